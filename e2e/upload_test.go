package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/identity"
)

// TestUploadAllChosenFiles: the applicant chooses files for two materials
// and sends them in one request with 上传全部所选文件 (the progress bar
// shows while it goes up); the draft comes back with each file under its
// material and the message of what was uploaded.
func TestUploadAllChosenFiles(t *testing.T) {
	h := newHall(t)
	h.withFiles(t)
	ctx := browser(t)
	const phone = "13812345670"
	password := h.applicantAccount(t, phone, applicant.Profile{Kind: "person", Name: "王小明", IDType: identity.ResidentID, IDNumber: "11010519491231002X"})
	h.asApplicant(t, ctx, phone, password)

	files := t.TempDir()
	form, plan := filepath.Join(files, "申请表.pdf"), filepath.Join(files, "位置图.pdf")
	for _, p := range []string{form, plan} {
		if err := os.WriteFile(p, []byte("%PDF-1.4\n% "+p+"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h.open(t, ctx, "/my/apply/CGJ-XK-003")
	do(t, ctx, "choose files for two materials",
		chromedp.WaitVisible(chromedp.CSS("#upload-all button")), // shown by upload.js
		chromedp.SetUploadFiles(chromedp.CSS("#file-M01"), []string{form}),
		chromedp.SetUploadFiles(chromedp.CSS("#file-M03"), []string{plan}))
	do(t, ctx, "upload them at once",
		chromedp.Click(chromedp.CSS("#upload-all button")),
		chromedp.WaitVisible(chromedp.CSS(`a[href*="/my/files/drafts/"]`)))
	page := text(t, ctx, "main")
	for _, want := range []string{"已上传「申请表.pdf」「位置图.pdf」", "申请表.pdf", "位置图.pdf"} {
		if !strings.Contains(page, want) {
			t.Errorf("after the upload the page lacks %q:\n%s", want, page)
		}
	}
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || !strings.Contains(loc, "/my/drafts/") {
		t.Errorf("the address after the upload is %q (%v), want the draft's", loc, err)
	}
}
