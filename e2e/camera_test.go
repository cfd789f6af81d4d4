package e2e

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/service"
)

// TestDocumentCameraScansToPDF: at the window, the clerk opens the case,
// presses 高拍仪拍摄 (chromium's fake camera stands for the document
// camera), takes two pages, has them made into one PDF in the browser and
// uploads it through the case page's scan form; the case then holds a PDF
// of two pages under the material, which the department can open.
func TestDocumentCameraScansToPDF(t *testing.T) {
	h := newHall(t)
	h.withFiles(t)
	ctx, _ := watchedBrowser(t,
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true))
	n := h.takeIn(t, casework.Intake{ItemCode: "SCJG-XK-002", Channel: casework.AtWindow, Applicant: company, Materials: provided("M01", "M02", "M03", "M04")})
	h.as(t, ctx, "shouli")
	h.open(t, ctx, "/cases/"+n)
	do(t, ctx, "start the document camera",
		chromedp.WaitVisible(chromedp.CSS("#camera-start")), // shown by camera.js
		chromedp.SetValue(chromedp.CSS("#scan-material"), "M02"),
		chromedp.Click(chromedp.CSS("#camera-start")),
		chromedp.WaitVisible(chromedp.CSS("#camera-shot")))
	// Wait for the picture before taking pages.
	var ready bool
	for i := 0; i < 50 && !ready; i++ {
		var err error
		if ready, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('camera-video').videoWidth > 0`)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !ready {
		t.Fatal("the fake camera's picture never came")
	}
	do(t, ctx, "take two pages and make the PDF",
		chromedp.Click(chromedp.CSS("#camera-shot")),
		chromedp.Click(chromedp.CSS("#camera-shot")),
		chromedp.Click(chromedp.CSS("#camera-done")),
		chromedp.WaitNotVisible(chromedp.CSS("#camera-video")))
	if s := text(t, ctx, "#camera-status"); !strings.Contains(s, "已生成 2 页的 PDF") {
		t.Fatalf("camera status %q", s)
	}
	chosen, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.getElementById('scan-files').files.length`))
	if err != nil || chosen != 1 {
		t.Fatalf("%d files chosen, want the camera's PDF", chosen)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#scan-submit"))); err != nil {
		t.Fatalf("upload: %v", err)
	}
	if msg := text(t, ctx, "main"); !strings.Contains(msg, "已上传 1 个扫描件") {
		t.Fatalf("after the upload the page says:\n%s", msg)
	}

	// The department opens the case: the PDF is there, of two pages.
	u, err := h.svc.Login(context.Background(), "shenpi", h.creds["shenpi"])
	if err != nil {
		t.Fatal(err)
	}
	as := service.WithUser(context.Background(), u)
	v, err := h.svc.Case(as, n)
	if err != nil {
		t.Fatal(err)
	}
	var f *casework.FileRef
	for _, m := range v.Case.Materials {
		if m.Code == "M02" && len(m.Files) == 1 {
			f = &m.Files[0]
		}
	}
	if f == nil || f.Type != "application/pdf" || !strings.HasPrefix(f.Name, "高拍仪拍摄-") {
		t.Fatalf("material M02's files: %+v", v.Case.Materials)
	}
	rc, _, err := h.svc.CaseFile(as, n, f.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	pdf, _ := io.ReadAll(rc)
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4")) || bytes.Count(pdf, []byte("/Type /Page ")) != 2 ||
		bytes.Count(pdf, []byte("/Filter /DCTDecode")) != 2 || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatalf("the camera's PDF (%d bytes) is not two JPEG pages:\n%.400q", len(pdf), pdf)
	}
	last := v.Events[len(v.Events)-1]
	if last.Type != casework.ActAttachFiles || last.Actor != "shouli" {
		t.Fatalf("last event %s by %s", last.Type, last.Actor)
	}
}
