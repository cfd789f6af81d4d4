package e2e

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/casework"
)

// TestReceiptNoticeRenders prints a receipt notice in the browser and
// checks what was drawn, not only the HTML: the title's Chinese glyphs come
// from a CJK font (no missing-glyph boxes), the barcode and the QR code are
// loaded images, and the barcode's rendered pixels are bars.
func TestReceiptNoticeRenders(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)
	n := h.takeIn(t, casework.Intake{ItemCode: "SCJG-XK-002", Channel: casework.AtWindow, Applicant: company,
		Materials: provided("M01", "M02", "M03", "M04")})
	h.as(t, ctx, "shouli")
	h.open(t, ctx, "/cases/"+n+"/print/0")
	do(t, ctx, "wait for the codes", chromedp.WaitVisible(chromedp.CSS("figure.barcode img")), chromedp.WaitVisible(chromedp.CSS("figure.qr img")))
	shot(t, ctx, "print-receipt-notice")

	if title := text(t, ctx, "h1"); !strings.Contains(strings.ReplaceAll(title, " ", ""), "收件通知书") {
		t.Fatalf("title %q", title)
	}
	if body := text(t, ctx, "article"); !strings.Contains(body, n) || !strings.Contains(body, "查询码") || strings.Contains(body, company.IDNumber) {
		t.Fatalf("the notice must show the number and the check code and mask the credit code:\n%s", body)
	}

	// The fonts the browser really used for the title's glyphs.
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS("h1")))
	if err != nil || len(nodes) == 0 {
		t.Fatalf("h1 node: %v", err)
	}
	if _, err := chromedp.Call(ctx, css.Enable, struct{}{}); err != nil {
		t.Fatalf("CSS.enable: %v", err)
	}
	fonts, err := chromedp.Call(ctx, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: nodes[0].NodeID})
	if err != nil {
		t.Fatalf("platform fonts: %v", err)
	}
	var cjk float64
	var used []string
	for _, f := range fonts.Fonts {
		used = append(used, f.FamilyName)
		if strings.Contains(f.FamilyName, "CJK") {
			cjk += f.GlyphCount
		}
	}
	t.Logf("title drawn with %v (%v CJK glyphs)", used, cjk)
	if cjk < 5 {
		t.Fatalf("the title's five characters were not drawn with a CJK font (fonts used: %v): install fonts-noto-cjk", used)
	}

	// Both codes are decoded images of a real size.
	sizes, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](
		`[document.querySelector("figure.barcode img").naturalWidth, document.querySelector("figure.qr img").naturalWidth]`))
	if err != nil || len(sizes) != 2 || sizes[0] < 100 || sizes[1] < 50 {
		t.Fatalf("code images not loaded: %v %v", sizes, err)
	}

	// The barcode as drawn on screen: across its middle, dark bars and
	// light spaces alternate many times.
	shotPNG, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("figure.barcode img")))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shotPNG))
	if err != nil {
		t.Fatal(err)
	}
	if edges := transitions(img); edges < 40 {
		t.Fatalf("the rendered barcode has %d dark/light transitions across its middle; a Code128 of %s has many more", edges, n)
	}
}

// transitions counts dark/light changes along the middle row of img.
func transitions(img image.Image) int {
	b := img.Bounds()
	y := (b.Min.Y + b.Max.Y) / 2
	count, dark := 0, false
	for x := b.Min.X; x < b.Max.X; x++ {
		r, g, bl, _ := img.At(x, y).RGBA()
		d := (r+g+bl)/3 < 0x8000
		if x > b.Min.X && d != dark {
			count++
		}
		dark = d
	}
	return count
}
