package webtest

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/service"
)

// ValidID returns a valid resident ID (GB 11643 check digit) numbered n.
func ValidID(n int) string {
	body := fmt.Sprintf("11010519800101%03d", n%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

// WithQueue loads the demo hall's categories, as `serve --demo` does.
func (h *Hall) WithQueue(t *testing.T) {
	t.Helper()
	if err := h.Svc.LoadDemoQueue(service.AsSystem(context.Background())); err != nil {
		t.Fatalf("load demo queue: %v", err)
	}
	// Loading again changes nothing.
	if err := h.Svc.LoadDemoQueue(service.AsSystem(context.Background())); err != nil {
		t.Fatalf("load demo queue again: %v", err)
	}
}

// TicketLocation is where the kiosk sends the browser after taking a
// ticket: the ticket's id and its follow token.
var TicketLocation = regexp.MustCompile(`^/kiosk/JC-ZWZX/ticket/(\d+)\?t=(tf_[A-Za-z0-9_-]+)$`)

// TakeAtKiosk takes a ticket through the kiosk page and returns the
// ticket page's path.
func TakeAtKiosk(t *testing.T, b *Browser, form url.Values) (path string, id int64) {
	t.Helper()
	r := b.Post("/kiosk/JC-ZWZX", form)
	m := TicketLocation.FindStringSubmatch(r.Location)
	if r.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("kiosk: %d → %q\n%s", r.Status, r.Location, r.Body)
	}
	id, _ = strconv.ParseInt(m[1], 10, 64)
	return r.Location, id
}

// Start is a Wednesday morning, the last working day before the National
// Day holiday.
var Start = time.Date(2026, 9, 30, 9, 0, 0, 0, clock.Shanghai)

// What the applicants gave at intake; printed masked, never in full.
const (
	CompanyName  = "江川区味来餐饮管理有限公司"
	CompanyCode  = "91350100M000100Y43"
	CompanyPhone = "13912345678"
	SignerName   = "李明"
	SignerID     = "11010519491231002X"
	ReturnReason = "经营场所平面布局图与现场不符"
)

// Open opens path in b. Any page showing a full ID number fails the test:
// the printed documents and the public pages show them masked.
func Open(t *testing.T, b *Browser, path string) Reply {
	t.Helper()
	p := b.Get(path)
	for _, id := range []string{CompanyCode, SignerID} {
		if strings.Contains(p.Body, id) {
			t.Errorf("GET %s as %s shows the full ID number %s", path, b.Username, id)
		}
	}
	return p
}

// FoodLicence applies for SCJG-XK-001 with M05 deferred (a pledge), the
// result to be collected at the issuance desk.
func FoodLicence() casework.Intake {
	in := casework.Intake{
		ItemCode: "SCJG-XK-001", Channel: casework.AtWindow,
		Applicant: casework.Party{Kind: casework.Entity, Name: CompanyName, IDType: identity.CreditCode, IDNumber: CompanyCode, Phone: CompanyPhone},
	}
	for _, code := range []string{"M01", "M02", "M03", "M04", "M05"} {
		st := casework.Provided
		if code == "M05" {
			st = casework.Deferred
		}
		in.Materials = append(in.Materials, casework.MaterialInput{Code: code, Status: st})
	}
	return in
}

// WholeCase takes a food licence from intake to delivery, through a
// return, a deferral, a refused result and its correction, so that it
// makes every kind of document; it returns the case number and its check
// code.
func (h *Hall) WholeCase(t *testing.T) (string, string) {
	t.Helper()
	v, err := h.Svc.Intake(h.As["shouli"], FoodLicence())
	if err != nil {
		t.Fatal(err)
	}
	n := v.Case.Number
	for _, s := range []struct {
		who string
		a   casework.Action
		in  casework.Input
	}{
		{"shenpi", casework.ActReturn, casework.Input{Reason: ReturnReason, Corrections: []string{"M03"}}},
		{"shouli", casework.ActResubmit, casework.Input{Materials: []string{"M03"}}},
		{"shouli", casework.ActSupply, casework.Input{Materials: []string{"M05"}}},
		{"shenpi", casework.ActAccept, casework.Input{}},
		{"shenpi", casework.ActHandover, casework.Input{}},
		{"shenpi", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY13201200000001"}},
		{"shenpi", casework.ActSubmitResult, casework.Input{}},
		{"chujian", casework.ActRefuseResult, casework.Input{Reason: "证照上的经营场所与决定不符"}},
		{"shenpi", casework.ActSubmitResult, casework.Input{}},
		{"chujian", casework.ActAcceptResult, casework.Input{}},
		{"chujian", casework.ActDeliver, casework.Input{Signer: SignerName, SignerIDType: identity.ResidentID, SignerIDNumber: SignerID}},
	} {
		h.Act(t, s.who, n, s.a, s.in)
	}
	return n, v.Case.CheckCode
}

var (
	imgPattern  = regexp.MustCompile(`<img src="data:image/png;base64,([^"]+)"`)
	linkPattern = regexp.MustCompile(`data-link="([^"]+)"`)
)

// Codes checks the page carries the barcode and the QR code as PNGs and
// returns where the QR code leads.
func Codes(t *testing.T, what string, p Reply) string {
	t.Helper()
	imgs := imgPattern.FindAllStringSubmatch(p.Body, -1)
	want := 2
	if strings.Contains(what, "delivery_receipt") {
		want = 3 // and the QR to rate the service (好差评)
	}
	if len(imgs) != want {
		t.Fatalf("%s: %d inline PNG images, want the barcode and the QR code (and on a delivery receipt the rating QR)", what, len(imgs))
	}
	for i, m := range imgs {
		// html/template writes a "+" in an attribute as &#43;.
		b, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
		if err != nil {
			t.Fatalf("%s: image %d: %v", what, i, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: image %d: %v", what, i, err)
		}
		w, hgt := img.Bounds().Dx(), img.Bounds().Dy()
		switch {
		case i == 0 && (w < 200 || hgt < 30 || w < 3*hgt):
			t.Errorf("%s: the barcode is %d×%d", what, w, hgt)
		case i >= 1 && (w != hgt || w < 100):
			t.Errorf("%s: the QR code is %d×%d", what, w, hgt)
		}
	}
	m := linkPattern.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("%s: the QR code has no data-link", what)
	}
	return html.UnescapeString(m[1])
}
