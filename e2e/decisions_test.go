package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/casework"
)

// TestDecisionInWriting: the reviewer decides a refusal on the case page:
// without a reason it is refused next to the form; with one, the page
// shows the decision as it will print and takes it only when confirmed;
// the numbered decision, with its reason and the remedies, prints at once.
// The applicant then finds it on their own case page and prints it.
func TestDecisionInWriting(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)

	// The applicant's online account: the company's credit code and phone.
	const phone = "13800138000"
	password := h.applicantAccount(t, phone, applicant.Profile{Kind: company.Kind, Name: company.Name, IDType: company.IDType, IDNumber: company.IDNumber})
	n := h.takeIn(t, casework.Intake{ItemCode: "SCJG-XK-002", Channel: casework.AtWindow, Applicant: company, Materials: provided("M01", "M02", "M03", "M04")})

	h.as(t, ctx, "shenpi")
	h.act(t, ctx, n, "accept")
	h.act(t, ctx, n, "handover")
	// A refusal without its reason: refused next to the form, nothing taken.
	h.act(t, ctx, n, "decide", chromedp.SetValue(chromedp.CSS("#outcome"), "deny"))
	if msg := text(t, ctx, "#form-decide .field-error"); !strings.Contains(msg, "不予许可须说明理由") {
		t.Fatalf("a refusal without reason: %q", msg)
	}
	const reason = "经营场所与原许可登记地址不一致，且未提供新场所的布局图"
	h.act(t, ctx, n, "decide",
		chromedp.SetValue(chromedp.CSS("#outcome"), "deny"),
		chromedp.SetValue(chromedp.CSS("#reason-decide"), reason))
	preview := text(t, ctx, "body")
	for _, want := range []string{"请核对将要出具的《不予行政许可决定书》", "预览 · 尚未生效", "（确认后编号）", reason, "六十日内向江川区人民政府申请行政复议"} {
		if !strings.Contains(preview, want) {
			t.Fatalf("the preview does not show %q:\n%s", want, preview)
		}
	}
	shot(t, ctx, "decision-preview")
	h.open(t, ctx, "/cases/"+n)
	if got := text(t, ctx, ".case-head .state"); got != "已受理" {
		t.Fatalf("the preview took the decision: %q", got)
	}
	h.act(t, ctx, n, "decide",
		chromedp.SetValue(chromedp.CSS("#outcome"), "deny"),
		chromedp.SetValue(chromedp.CSS("#reason-decide"), reason))
	h.confirm(t, ctx)
	if flash := text(t, ctx, "p.notice"); !strings.Contains(flash, "江川不准字〔2026〕第000001号") || !strings.Contains(flash, "打印不予行政许可决定书") {
		t.Fatalf("after confirming: %q", flash)
	}
	// The flash's link opens the print in a new tab: follow its address.
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("p.notice a"), "href"))
	if link := attr.Value; err != nil || !strings.HasPrefix(link, "/cases/"+n+"/print/") {
		t.Fatalf("the link to print the decision: %q (%v)", link, err)
	}
	h.open(t, ctx, attr.Value)
	printed := text(t, ctx, "article")
	for _, want := range []string{"不予行政许可决定书", "江川不准字〔2026〕第000001号", reason, "第三十八条第二款", "六个月内依法向人民法院提起行政诉讼", "承办人：王建国", "江川区市场监督管理局"} {
		if !strings.Contains(printed, want) {
			t.Errorf("the printed decision lacks %q:\n%s", want, printed)
		}
	}
	if strings.Contains(printed, "确认后编号") || strings.Contains(text(t, ctx, "body"), "尚未生效") {
		t.Error("the printed decision still reads as a preview")
	}
	shot(t, ctx, "print-denial-decision")

	// The applicant signs in to the online hall and opens it.
	h.asApplicant(t, ctx, phone, password)
	h.open(t, ctx, "/my/cases/"+n)
	docs := text(t, ctx, "#my-documents")
	for _, want := range []string{"收件通知书", "受理通知书", "江川受字〔2026〕第000001号", "不予行政许可决定书", "江川不准字〔2026〕第000001号"} {
		if !strings.Contains(docs, want) {
			t.Errorf("the applicant's documents lack %q: %s", want, docs)
		}
	}
	if strings.Contains(docs, "材料交接表") {
		t.Errorf("the applicant is shown the hall's own sheets: %s", docs)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#my-documents li:last-child a`))); err != nil {
		t.Fatalf("open the decision: %v", err)
	}
	mine := text(t, ctx, "article")
	for _, want := range []string{"不予行政许可决定书", "江川不准字〔2026〕第000001号", reason, "六十日内向江川区人民政府申请行政复议"} {
		if !strings.Contains(mine, want) {
			t.Errorf("the applicant's decision lacks %q:\n%s", want, mine)
		}
	}
	do(t, ctx, "the print button", chromedp.WaitVisible(chromedp.CSS("[data-print]")))
}
