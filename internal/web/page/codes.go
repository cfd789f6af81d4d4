package page

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"net/url"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/qr"
)

// Every printed document carries two codes: the case number as a Code128
// barcode, which the desks scan to open the case, and a QR code to the
// public progress page, which the applicant scans with a phone. Both are
// drawn here as two-colour PNGs and inlined as data: URIs, so a printed
// page needs no further request and prints the same offline.

// The codes' geometry, in image pixels (a CSS pixel on the page, 1/96 in).
const (
	barModule = 2  // the narrowest bar: 2 px ≈ 0.53 mm, well within desk scanners' reach
	barHeight = 52 // ≈ 14 mm, enough for a handheld scanner's line
	barQuiet  = 10 // white modules either side (ISO/IEC 15417 asks for 10)
	qrModule  = 4  // px per QR module: a version-4 code prints ≈ 40 mm wide
	qrQuiet   = 4  // white modules around the QR code (ISO/IEC 18004)
)

// twoTone is the palette the codes are drawn in: PNG encodes it at one bit
// a pixel, so a code inlines in a few hundred bytes.
var twoTone = color.Palette{color.White, color.Black}

// caseBarcode encodes the case number as Code128 (the checksum included),
// each module barModule pixels wide.
func caseBarcode(number string) (barcode.Barcode, error) {
	bc, err := code128.Encode(number)
	if err != nil {
		return nil, fmt.Errorf("code128 %q: %w", number, err)
	}
	return barcode.Scale(bc, bc.Bounds().Dx()*barModule, barHeight)
}

// progressQR encodes the progress page's address as a QR code with medium
// error correction (a scuffed print still reads), qrModule pixels a module.
func progressQR(link string) (barcode.Barcode, error) {
	bc, err := qr.Encode(link, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("qr %q: %w", link, err)
	}
	n := bc.Bounds().Dx() * qrModule
	return barcode.Scale(bc, n, n)
}

// BarcodePNG returns the case number's barcode as a data: URI, with its
// quiet zone on either side.
func BarcodePNG(number string) (template.URL, error) {
	bc, err := caseBarcode(number)
	if err != nil {
		return "", err
	}
	return pngDataURI(bc, barQuiet*barModule, 0)
}

// QRPNG returns the QR code of link as a data: URI, with its quiet zone
// all round.
func QRPNG(link string) (template.URL, error) {
	bc, err := progressQR(link)
	if err != nil {
		return "", err
	}
	return pngDataURI(bc, qrQuiet*qrModule, qrQuiet*qrModule)
}

// pngDataURI draws img on white with a margin of padX pixels left and
// right and padY top and bottom, and returns it as a PNG data: URI.
func pngDataURI(img image.Image, padX, padY int) (template.URL, error) {
	b := img.Bounds()
	canvas := image.NewPaletted(image.Rect(0, 0, b.Dx()+2*padX, b.Dy()+2*padY), twoTone)
	draw.Draw(canvas, canvas.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(canvas, image.Rect(padX, padY, padX+b.Dx(), padY+b.Dy()), img, b.Min, draw.Src)
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, canvas); err != nil {
		return "", err
	}
	// The URI is built here from our own PNG bytes, so it is safe as a src.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}

// SiteBase is the address the request reached this site at: the Host
// header, over https when the connection was TLS.
func SiteBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// ProgressLink is the public progress page of a case. With the check code
// (on the receipt notice) it opens the case at once; without it (on every
// other document) it opens the form with the number filled in.
func ProgressLink(r *http.Request, number, code string) string {
	link := SiteBase(r) + "/progress?number=" + url.QueryEscape(number)
	if code != "" {
		link += "&code=" + url.QueryEscape(code)
	}
	return link
}

// VerifyLink is the public verification page of a case's electronic
// result, with the verification code printed beside it.
func VerifyLink(r *http.Request, number, code string) string {
	return SiteBase(r) + "/verify/" + url.PathEscape(number) + "?code=" + url.QueryEscape(code)
}
