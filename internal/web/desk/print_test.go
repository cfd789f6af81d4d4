package desk_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
)

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
		want := []casework.DocKind{casework.ReceiptNotice, casework.DeferralPledge, casework.CorrectionNotice, casework.AcceptanceNotice, casework.HandoverSheet,
			casework.ApprovalDecision, casework.ResultSheet, casework.ResultSheet, casework.DeliveryReceipt}
		if len(kinds) != len(want) {
			t.Fatalf("documents %v, want %v", kinds, want)
		}
		// What each document must show beyond the common parts.
		shows := map[int][]string{
			0: {"查询码", code, companyName, identity.Mask(companyCode), "申请材料清单", "食品经营许可申请书", "容缺后补", "承诺件", "申请人（签字）", "本通知书一式两份"},
			1: {companyName, "容缺材料", "食品安全管理人员任命文件及培训考核证明", "补齐期限", "逾期未补齐的，终止办理", "承诺人（签字或盖章）"},
			2: {companyName, "第三十二条", returnReason, "需补齐补正的材料", "与食品经营相适应的主要设备设施、经营布局、操作流程等文件", "江川区市场监督管理局", "送 达 回 执", "不会因逾期而终止办理"},
			3: {companyName, "江川受字〔2026〕第000001号", "第三十二条第一款第（五）项", "决定予以受理", "经办人：<span id=\"doc-person\">王建国</span>", "江川区市场监督管理局"},
			4: {"移交的纸质材料", "食品经营许可申请书", "江川区市场监督管理局", "移交人（综合受理窗口）", "接收人（江川区市场监督管理局）"},
			5: {companyName, "江川准字〔2026〕第000001号", "第三十八条第一款", "决定准予行政许可", "食品经营许可证 JY13201200000001", "承办人：<span id=\"doc-person\">王建国</span>"},
			6: {"食品经营许可证 JY13201200000001", "准予", "第 1 次", "综合出件窗口核验"},
			7: {"第 2 次移交（更正后）", "食品经营许可证 JY13201200000001"},
			8: {companyName, signerName, identity.Mask(signerID), "窗口领取", "受送达人（签收）", "食品经营许可证 JY13201200000001"},
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
			{"shenpi", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Deny, Reason: "经营场所不符合要求", ResultDocument: "不予行政许可决定书 江市监不许〔2026〕1号"}},
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
			casework.ReceiptNotice:    {"以邮寄方式申请办理", "代办人", signerName, identity.Mask(signerID), "邮寄送达", "江川区滨河路66号2栋301室"},
			casework.AcceptanceNotice: {"江川受字〔2026〕第000001号", "决定予以受理"},
			casework.DenialDecision: {"江川不准字〔2026〕第000001号", "经营场所不符合要求", "第三十八条第二款", "决定不予行政许可",
				"六十日内向江川区人民政府申请行政复议", "六个月内依法向人民法院提起行政诉讼"},
			casework.HandoverSheet:   {"移交的纸质材料", "移交人（综合受理窗口）：张晓梅", "：王建国"},
			casework.ResultSheet:     {"不予", "不予行政许可决定书 江市监不许〔2026〕1号", "邮寄送达（由综合出件窗口寄出）"},
			casework.DeliveryReceipt: {"邮寄送达", "EMS", "EA123456789CN", "妥投凭证", "送达人：李文静"},
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
			p.hasNot(t, string(d.Kind), "shouli", "shenpi", "chujian") // people by their names, never usernames
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
