package desk_test

import (
	"bytes"
	"encoding/base64"
	"html"
	"image/png"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/identity"
)

// start is a Wednesday morning, the last working day before the National
// Day holiday.
var start = time.Date(2026, 9, 30, 9, 0, 0, 0, clock.Shanghai)

// What the applicants gave at intake; printed masked, never in full.
const (
	companyName  = "江川区味来餐饮管理有限公司"
	companyCode  = "91350100M000100Y43"
	companyPhone = "13912345678"
	signerName   = "李明"
	signerID     = "11010519491231002X"
	returnReason = "经营场所平面布局图与现场不符"
)

// open opens path in b. Any page showing a full ID number fails the test:
// the printed documents and the public pages show them masked.
func open(t *testing.T, b *browser, path string) reply {
	t.Helper()
	p := b.get(path)
	for _, id := range []string{companyCode, signerID} {
		if strings.Contains(p.body, id) {
			t.Errorf("GET %s as %s shows the full ID number %s", path, b.username, id)
		}
	}
	return p
}

// foodLicence applies for SCJG-XK-001 with M05 deferred (a pledge), the
// result to be collected at the issuance desk.
func foodLicence() casework.Intake {
	in := casework.Intake{
		ItemCode: "SCJG-XK-001", Channel: casework.AtWindow,
		Applicant: casework.Party{Kind: casework.Entity, Name: companyName, IDType: identity.CreditCode, IDNumber: companyCode, Phone: companyPhone},
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

// wholeCase takes a food licence from intake to delivery, through a
// return, a deferral, a refused result and its correction, so that it
// makes every kind of document; it returns the case number and its check
// code.
func (h *hall) wholeCase(t *testing.T) (string, string) {
	t.Helper()
	v, err := h.svc.Intake(h.as["shouli"], foodLicence())
	if err != nil {
		t.Fatal(err)
	}
	n := v.Case.Number
	for _, s := range []struct {
		who string
		a   casework.Action
		in  casework.Input
	}{
		{"shenpi", casework.ActReturn, casework.Input{Reason: returnReason, Corrections: []string{"M03"}}},
		{"shouli", casework.ActResubmit, casework.Input{Materials: []string{"M03"}}},
		{"shouli", casework.ActSupply, casework.Input{Materials: []string{"M05"}}},
		{"shenpi", casework.ActAccept, casework.Input{}},
		{"shenpi", casework.ActHandover, casework.Input{}},
		{"shenpi", casework.ActDecide, casework.Input{Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY13201200000001"}},
		{"shenpi", casework.ActSubmitResult, casework.Input{}},
		{"chujian", casework.ActRefuseResult, casework.Input{Reason: "证照上的经营场所与决定不符"}},
		{"shenpi", casework.ActSubmitResult, casework.Input{}},
		{"chujian", casework.ActAcceptResult, casework.Input{}},
		{"chujian", casework.ActDeliver, casework.Input{Signer: signerName, SignerIDType: identity.ResidentID, SignerIDNumber: signerID}},
	} {
		h.act(t, s.who, n, s.a, s.in)
	}
	return n, v.Case.CheckCode
}

var (
	imgPattern  = regexp.MustCompile(`<img src="data:image/png;base64,([^"]+)"`)
	linkPattern = regexp.MustCompile(`data-link="([^"]+)"`)
)

// codes checks the page carries the barcode and the QR code as PNGs and
// returns where the QR code leads.
func codes(t *testing.T, what string, p reply) string {
	t.Helper()
	imgs := imgPattern.FindAllStringSubmatch(p.body, -1)
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
	m := linkPattern.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("%s: the QR code has no data-link", what)
	}
	return html.UnescapeString(m[1])
}

func TestPrintEveryDocument(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		n, code := h.wholeCase(t)
		cv, err := h.svc.Case(h.as["shouli"], n)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []casework.DocKind
		for _, d := range cv.Documents {
			kinds = append(kinds, d.Kind)
		}
		want := []casework.DocKind{casework.ReceiptNotice, casework.DeferralPledge, casework.CorrectionNotice, casework.HandoverSheet,
			casework.ResultSheet, casework.ResultSheet, casework.DeliveryReceipt}
		if len(kinds) != len(want) {
			t.Fatalf("documents %v, want %v", kinds, want)
		}
		// What each document must show beyond the common parts.
		shows := map[int][]string{
			0: {"查询码", code, companyName, identity.Mask(companyCode), "申请材料清单", "食品经营许可申请书", "容缺后补", "承诺件", "申请人（签字）", "本通知书一式两份"},
			1: {companyName, "容缺材料", "食品安全管理人员任命文件及培训考核证明", "补齐期限", "逾期未补齐的，终止办理", "承诺人（签字或盖章）"},
			2: {companyName, "第三十二条", returnReason, "需补齐补正的材料", "与食品经营相适应的主要设备设施、经营布局、操作流程等文件", "江川区市场监督管理局", "送 达 回 执"},
			3: {"移交的纸质材料", "食品经营许可申请书", "江川区市场监督管理局", "移交人（综合受理窗口）", "接收人（江川区市场监督管理局）"},
			4: {"食品经营许可证 JY13201200000001", "准予", "第 1 次", "综合出件窗口核验"},
			5: {"第 2 次移交（更正后）", "食品经营许可证 JY13201200000001"},
			6: {companyName, signerName, identity.Mask(signerID), "窗口领取", "受送达人（签收）", "食品经营许可证 JY13201200000001"},
		}
		clerk := h.signIn(t, "shouli")
		for i, kind := range kinds {
			what := string(kind)
			p := open(t, clerk, "/cases/"+n+"/print/"+strconv.Itoa(i))
			if p.status != http.StatusOK {
				t.Fatalf("%s: status %d: %s", what, p.status, p.body)
			}
			p.has(t, what, "<h1>"+kind.Label()+"</h1>", n, "江川区政务服务中心", "（盖章）", "print.css", `data-print`, "actions.js")
			p.has(t, what, shows[i]...)
			link := codes(t, what, p)
			if kind == casework.DeliveryReceipt {
				p.has(t, what, `data-rating-link="`+h.url+"/rate/"+n+`"`) // the QR to rate the service, without the check code
			}
			wantLink := "http://" + strings.TrimPrefix(h.url, "http://") + "/progress?number=" + n
			if kind == casework.ReceiptNotice {
				wantLink += "&code=" + code
			}
			if link != wantLink {
				t.Errorf("%s: the QR code leads to %q, want %q", what, link, wantLink)
			}
			if kind != casework.ReceiptNotice {
				// The check code is the receipt's alone.
				p.hasNot(t, what, "code="+code, "查询码")
			}
		}
		// The supervisor reads every case, so may print it.
		if p := open(t, h.signIn(t, "jiandu"), "/cases/"+n+"/print/0"); p.status != http.StatusOK {
			t.Errorf("supervisor: %d", p.status)
		}
	})
}

func TestPrintMailedByAnAgent(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		in := foodLicence()
		in.Materials[4].Status = casework.Provided
		in.Channel = casework.ByMail
		in.Agent = &casework.Party{Kind: casework.Person, Name: signerName, IDType: identity.ResidentID, IDNumber: signerID, Phone: "13800138000"}
		in.Delivery = &casework.Delivery{Method: casework.Mail, Address: "江川区滨河路66号2栋301室"}
		v, err := h.svc.Intake(h.as["shouli"], in)
		if err != nil {
			t.Fatal(err)
		}
		n := v.Case.Number
		for _, s := range []struct {
			who string
			a   casework.Action
			in  casework.Input
		}{
			{"shenpi", casework.ActAccept, casework.Input{}},
			{"shenpi", casework.ActHandover, casework.Input{}},
			{"shenpi", casework.ActDecide, casework.Input{Outcome: casework.Deny, Reason: "经营场所不符合要求", ResultDocument: "不予行政许可决定书 江市监不许〔2026〕1号"}},
			{"shenpi", casework.ActSubmitResult, casework.Input{}},
			{"chujian", casework.ActAcceptResult, casework.Input{}},
			{"chujian", casework.ActMail, casework.Input{Carrier: "EMS", Tracking: "EA123456789CN"}},
			{"chujian", casework.ActConfirmDelivery, casework.Input{}},
		} {
			h.act(t, s.who, n, s.a, s.in)
		}
		cv, err := h.svc.Case(h.as["chujian"], n)
		if err != nil {
			t.Fatal(err)
		}
		shows := map[casework.DocKind][]string{
			casework.ReceiptNotice:   {"以邮寄方式申请办理", "代办人", signerName, identity.Mask(signerID), "邮寄送达", "江川区滨河路66号2栋301室"},
			casework.HandoverSheet:   {"移交的纸质材料"},
			casework.ResultSheet:     {"不予", "不予行政许可决定书 江市监不许〔2026〕1号", "邮寄送达（由综合出件窗口寄出）"},
			casework.DeliveryReceipt: {"邮寄送达", "EMS", "EA123456789CN", "妥投凭证"},
		}
		if len(cv.Documents) != len(shows) {
			t.Fatalf("%d documents, want %d", len(cv.Documents), len(shows))
		}
		clerk := h.signIn(t, "chujian")
		for i, d := range cv.Documents {
			p := open(t, clerk, "/cases/"+n+"/print/"+strconv.Itoa(i))
			if p.status != http.StatusOK {
				t.Fatalf("%s: %d", d.Kind, p.status)
			}
			p.has(t, string(d.Kind), shows[d.Kind]...)
			codes(t, string(d.Kind), p)
		}
	})
}

func TestPrintRefusals(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		v, err := h.svc.Intake(h.as["shouli"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}
		n := v.Case.Number
		clerk := h.signIn(t, "shouli")
		for _, tc := range []struct {
			name    string
			browser *browser
			path    string
			status  int
			shows   string
		}{
			{"another department's reviewer", h.signIn(t, "shenpi2"), "/cases/" + n + "/print/0", http.StatusForbidden, "只能查看本部门的办件"},
			{"an index past the end", clerk, "/cases/" + n + "/print/2", http.StatusNotFound, "没有第 2 份文书"},
			{"a negative index", clerk, "/cases/" + n + "/print/-1", http.StatusNotFound, "没有第 -1 份文书"},
			{"an index that is no number", clerk, "/cases/" + n + "/print/x", http.StatusNotFound, "没有第 x 份文书"},
			{"an unknown case", clerk, "/cases/20260930999999/print/0", http.StatusNotFound, "未知的办件编号"},
		} {
			p := open(t, tc.browser, tc.path)
			if p.status != tc.status {
				t.Errorf("%s: status %d, want %d", tc.name, p.status, tc.status)
			}
			p.has(t, tc.name, tc.shows)
			p.hasNot(t, tc.name, "data:image/png", companyName)
		}
		p := open(t, h.browser(t), "/cases/"+n+"/print/0")
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/login" {
			t.Errorf("a stranger: %d to %q, want the sign-in page", p.status, p.header.Get("Location"))
		}
		if p := open(t, h.signIn(t, "shenpi"), "/cases/"+n+"/print/1"); p.status != http.StatusOK {
			t.Errorf("the department's own reviewer: %d", p.status)
		}
	})
}
