package page

import (
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/boombuler/barcode"
)

// decodePNG reads a data: URI back into the image it holds.
func decodePNG(t *testing.T, uri template.URL) image.Image {
	t.Helper()
	const prefix = "data:image/png;base64,"
	s := string(uri)
	if !strings.HasPrefix(s, prefix) {
		t.Fatalf("not a PNG data URI: %.40q", s)
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, prefix))
	if err != nil {
		t.Fatalf("base64: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("png: %v", err)
	}
	return img
}

func dark(c color.Color) bool {
	y := color.GrayModel.Convert(c).(color.Gray).Y
	return y < 128
}

// counts returns the dark and light pixels of img.
func counts(img image.Image) (darkN, lightN int) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if dark(img.At(x, y)) {
				darkN++
			} else {
				lightN++
			}
		}
	}
	return darkN, lightN
}

func TestBarcodeEncodesTheCaseNumber(t *testing.T) {
	for _, number := range []string{"20260930000001", "20261231999999", "20260101000042"} {
		bc, err := caseBarcode(number)
		if err != nil {
			t.Fatal(err)
		}
		if got := bc.Content(); got != number {
			t.Errorf("barcode content %q, want %q", got, number)
		}
		if k := bc.Metadata().CodeKind; k != barcode.TypeCode128 {
			t.Errorf("barcode kind %q, want Code 128", k)
		}
		if _, ok := bc.(barcode.BarcodeIntCS); !ok {
			t.Errorf("the barcode carries no checksum")
		}

		img := decodePNG(t, must(BarcodePNG(number)))
		quiet := barQuiet * barModule
		if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != bc.Bounds().Dx()+2*quiet || h != barHeight {
			t.Errorf("PNG %d×%d, want %d×%d", w, h, bc.Bounds().Dx()+2*quiet, barHeight)
		}
		// A 14-digit number in Code set C: start, 7 digit pairs, checksum,
		// stop = 9×11+13 = 112 modules.
		if modules := bc.Bounds().Dx() / barModule; modules != 112 {
			t.Errorf("%d modules, want 112", modules)
		}
		if d, l := counts(img); d == 0 || l == 0 {
			t.Errorf("PNG has %d dark and %d light pixels; want both", d, l)
		}
		// Every column of the PNG is the barcode's module there, the quiet
		// zones white; every row the same.
		for y := 0; y < img.Bounds().Dy(); y += 7 {
			for x := 0; x < img.Bounds().Dx(); x++ {
				want := false
				if x >= quiet && x < quiet+bc.Bounds().Dx() {
					want = dark(bc.At(x-quiet, y))
				}
				if got := dark(img.At(x, y)); got != want {
					t.Fatalf("%s: pixel (%d,%d) dark=%v, want %v", number, x, y, got, want)
				}
			}
		}
	}
	if _, err := caseBarcode("收件"); err == nil {
		t.Error("Code128 accepted characters it cannot encode")
	}
}

func TestQRCodeLinksToTheProgressPage(t *testing.T) {
	link := "http://hall.example:8080/progress?number=20260930000001&code=042917"
	bc, err := progressQR(link)
	if err != nil {
		t.Fatal(err)
	}
	if bc.Content() != link || bc.Metadata().CodeKind != barcode.TypeQR {
		t.Fatalf("QR holds %q (%s), want %q", bc.Content(), bc.Metadata().CodeKind, link)
	}
	img := decodePNG(t, must(QRPNG(link)))
	quiet := qrQuiet * qrModule
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	if w != h || w != bc.Bounds().Dx()+2*quiet || w < 21*qrModule {
		t.Fatalf("QR PNG %d×%d, want a square of %d", w, h, bc.Bounds().Dx()+2*quiet)
	}
	if d, l := counts(img); d == 0 || l == 0 {
		t.Fatalf("QR PNG has %d dark and %d light pixels; want both", d, l)
	}
	// The quiet zone is white, and the top-left finder pattern starts right
	// after it: a dark 7×7-module square ring with a light ring inside.
	mod := func(mx, my int) bool { return dark(img.At(quiet+mx*qrModule+1, quiet+my*qrModule+1)) }
	if dark(img.At(quiet-1, quiet-1)) || dark(img.At(0, 0)) {
		t.Error("the quiet zone is not white")
	}
	for _, m := range [][2]int{{0, 0}, {6, 0}, {0, 6}, {6, 6}, {3, 3}} {
		if !mod(m[0], m[1]) {
			t.Errorf("finder module %v is light", m)
		}
	}
	if mod(1, 1) || mod(5, 5) {
		t.Error("the finder pattern's inner ring is dark")
	}
}

func TestProgressLink(t *testing.T) {
	r := httptest.NewRequest("GET", "/cases/20260930000001/print/0", nil)
	r.Host = "10.1.2.3:8080"
	if got, want := ProgressLink(r, "20260930000001", "042917"), "http://10.1.2.3:8080/progress?number=20260930000001&code=042917"; got != want {
		t.Errorf("link %q, want %q", got, want)
	}
	if got, want := ProgressLink(r, "20260930000001", ""), "http://10.1.2.3:8080/progress?number=20260930000001"; got != want {
		t.Errorf("link without code %q, want %q", got, want)
	}
	r.TLS = &tls.ConnectionState{}
	r.Host = "zwfw.jiangchuan.gov.cn"
	if got := ProgressLink(r, "20260930000001", ""); !strings.HasPrefix(got, "https://zwfw.jiangchuan.gov.cn/progress?") {
		t.Errorf("link over TLS %q", got)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
