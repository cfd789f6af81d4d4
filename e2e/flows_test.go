package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
)

var company = casework.Party{Kind: casework.Entity, Name: "江川区好味餐饮有限公司", IDType: identity.CreditCode, IDNumber: "91350100M000100Y43", Phone: "13800138000"}

func provided(codes ...string) []casework.MaterialInput {
	var out []casework.MaterialInput
	for _, c := range codes {
		out = append(out, casework.MaterialInput{Code: c, Status: casework.Provided})
	}
	return out
}

// act submits the form of one action on the case page; fill sets its fields.
func (h *hall) act(t *testing.T, ctx context.Context, number, action string, fill ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	h.open(t, ctx, "/cases/"+number)
	form := "#form-" + action
	steps := append([]chromedp.Action[chromedp.Void]{chromedp.WaitVisible(chromedp.CSS(form))}, fill...)
	do(t, ctx, "fill "+action+" on "+number, steps...)
	// RunResponse waits for the page the form's submission loads.
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(form+" button[type=submit]"))); err != nil {
		t.Fatalf("%s on %s: %v", action, number, err)
	}
}

// confirm confirms the decision the page previews, as it will print.
func (h *hall) confirm(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, "the decision's preview", chromedp.WaitVisible(chromedp.CSS("#confirm-decision")))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#confirm-button"))); err != nil {
		t.Fatalf("confirm the decision: %v", err)
	}
}

func (h *hall) wantState(t *testing.T, ctx context.Context, number, want string) {
	t.Helper()
	h.open(t, ctx, "/cases/"+number)
	if got := text(t, ctx, ".case-head .state"); got != want {
		t.Fatalf("case %s is %q, want %q", number, got, want)
	}
}

// TestPromisedCaseThroughThePages takes a promised case from its return
// for correction to the archive, each step as the right person in the
// pages: return, resubmission, acceptance, handover, decision, a refused
// and corrected result, pickup against an ID check, archiving.
func TestPromisedCaseThroughThePages(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)

	// Intake at the desk: find the item by its pinyin initials, tick the
	// materials, fill in the company; a wrong credit code is refused next
	// to its field with everything typed kept.
	h.as(t, ctx, "shouli")
	h.open(t, ctx, "/intake?q=spjyxk")
	shot(t, ctx, "intake-search")
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`a[href="/intake/SCJG-XK-002"]`))); err != nil {
		t.Fatalf("open the intake form: %v", err)
	}
	fill := func(creditCode string) {
		t.Helper()
		steps := []chromedp.Action[chromedp.Void]{chromedp.WaitVisible(chromedp.CSS("#intake-form"))}
		for _, m := range []string{"M01", "M02", "M03", "M04"} {
			steps = append(steps, chromedp.Click(chromedp.CSS(`input[name="material.`+m+`"][value=provided]`)))
		}
		steps = append(steps,
			chromedp.Click(chromedp.CSS(`input[name="applicant.kind"][value=entity]`)),
			chromedp.SetValue(chromedp.CSS(`#applicant-name`), company.Name),
			chromedp.SetValue(chromedp.CSS(`#applicant-id_type`), "credit_code"),
			chromedp.SetValue(chromedp.CSS(`#applicant-id_number`), creditCode),
			chromedp.SetValue(chromedp.CSS(`#applicant-phone`), company.Phone),
		)
		do(t, ctx, "fill the intake form", steps...)
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#intake-form button[type=submit]:not([formaction])`))); err != nil {
			t.Fatalf("submit the intake form: %v", err)
		}
	}
	fill("91350100M000100Y44") // wrong check character
	if msg := text(t, ctx, "#msg-applicant-id_number"); !strings.Contains(msg, "校验") {
		t.Fatalf("a wrong credit code: message %q next to the field", msg)
	}
	if name, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#applicant-name"))); name != company.Name {
		t.Fatalf("the typed name was lost: %q", name)
	}
	shot(t, ctx, "intake-form-error")
	do(t, ctx, "correct the credit code", chromedp.SetValue(chromedp.CSS(`#applicant-id_number`), company.IDNumber))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#intake-form button[type=submit]:not([formaction])`))); err != nil {
		t.Fatalf("submit the intake form: %v", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "/cases/") {
		t.Fatalf("after intake the browser is at %q (%v)", loc, err)
	}
	n := loc[strings.LastIndex(loc, "/")+1:]
	if flash := text(t, ctx, "p.notice"); !strings.Contains(flash, "打印收件通知书") {
		t.Errorf("no link to print the receipt notice at once: %q", flash)
	}

	h.as(t, ctx, "shenpi")
	h.open(t, ctx, "/")
	if !strings.Contains(text(t, ctx, "main"), n) {
		t.Fatalf("the reviewer's work list does not show %s", n)
	}
	shot(t, ctx, "home-reviewer")
	// A return without a reason is refused next to the form, nothing lost.
	h.act(t, ctx, n, "return")
	if msg := text(t, ctx, "#form-return .field-error"); !strings.Contains(msg, "原因") {
		t.Fatalf("return without reason: %q", msg)
	}
	h.act(t, ctx, n, "return",
		chromedp.SetValue(chromedp.CSS(`#form-return select[name="correction.M03"]`), "复印件不清晰"),
		chromedp.SetValue(chromedp.CSS("#reason-return"), "请携带营业执照原件核对"))
	h.wantState(t, ctx, n, "已退回")
	h.open(t, ctx, "/cases/"+n+"/print/1")
	if notice := text(t, ctx, "article"); !strings.Contains(notice, "材料补齐补正通知书") || !strings.Contains(notice, "复印件不清晰") {
		t.Fatalf("the correction notice does not list the material's reason:\n%s", notice)
	}

	h.as(t, ctx, "shouli")
	h.act(t, ctx, n, "resubmit", chromedp.Click(chromedp.CSS("#form-resubmit input[value=M03]")))
	h.wantState(t, ctx, n, "已收件")

	h.as(t, ctx, "shenpi")
	h.act(t, ctx, n, "accept")
	h.act(t, ctx, n, "handover")
	h.act(t, ctx, n, "decide", chromedp.SetValue(chromedp.CSS("#result_document"), "食品经营许可证 JY13201200000001"))
	h.confirm(t, ctx)
	h.wantState(t, ctx, n, "已决定")
	shot(t, ctx, "case-decided")
	h.act(t, ctx, n, "submit-result")

	h.as(t, ctx, "chujian")
	h.act(t, ctx, n, "refuse-result", chromedp.SetValue(chromedp.CSS("#reason-refuse-result"), "许可证有效期填写错误"))
	h.open(t, ctx, "/cases/"+n)
	if due := text(t, ctx, "main"); !strings.Contains(due, "结果更正期限") {
		t.Fatal("the correction deadline is not shown after a refused result")
	}

	h.as(t, ctx, "shenpi")
	h.act(t, ctx, n, "submit-result")
	h.as(t, ctx, "chujian")
	h.act(t, ctx, n, "accept-result")
	h.wantState(t, ctx, n, "待领取")
	// Pickup with a wrong ID number is refused next to the field.
	h.act(t, ctx, n, "deliver", chromedp.SetValue(chromedp.CSS("#signer_id_number"), "110105194912310021"))
	if msg := text(t, ctx, "#form-deliver .field-error"); !strings.Contains(msg, "签收人证件") {
		t.Fatalf("pickup with a bad ID: %q", msg)
	}
	h.act(t, ctx, n, "deliver",
		chromedp.SetValue(chromedp.CSS("#signer"), "李四"),
		chromedp.SetValue(chromedp.CSS("#signer_id_number"), "11010519491231002X"))
	h.wantState(t, ctx, n, "已送达")
	h.act(t, ctx, n, "archive")
	h.wantState(t, ctx, n, "已归档")
	shot(t, ctx, "case-archived")

	timeline := text(t, ctx, ".timeline")
	for _, step := range []string{"收件", "退回补正", "补正后重新提交", "受理", "签收纸质材料", "作出决定", "拒收结果", "核验接收结果", "领取发证", "回执归档"} {
		if !strings.Contains(timeline, step) {
			t.Errorf("timeline lacks %q", step)
		}
	}
	if strings.Contains(text(t, ctx, "main"), "11010519491231002X") {
		t.Error("the case page shows a full ID number")
	}
}

// TestInstantCaseInOneFlow takes an instant case in and finishes it from
// the case page with one form (当场办结并发证): decided, handed over to the
// applicant present without typing the ID again, and archived; the flash
// offers the delivery receipt to print.
func TestInstantCaseInOneFlow(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)
	h.as(t, ctx, "shouli")
	h.open(t, ctx, "/intake/RSJ-GG-001")
	do(t, ctx, "fill the intake form",
		chromedp.WaitVisible(chromedp.CSS("#intake-form")),
		chromedp.Click(chromedp.CSS(`input[name="material.M01"][value=provided]`)),
		chromedp.Click(chromedp.CSS(`input[name="material.M02"][value=provided]`)),
		chromedp.Click(chromedp.CSS(`input[name="applicant.kind"][value=person]`)),
		chromedp.SetValue(chromedp.CSS(`#applicant-name`), "王小明"),
		chromedp.SetValue(chromedp.CSS(`#applicant-id_type`), "resident_id"),
		chromedp.SetValue(chromedp.CSS(`#applicant-id_number`), "11010519491231002x"),
		chromedp.SetValue(chromedp.CSS(`#applicant-phone`), "13900139000"))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#intake-form button[type=submit]:not([formaction])`))); err != nil {
		t.Fatalf("take the case in: %v", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "/cases/") {
		t.Fatalf("after intake the browser is at %q (%v)", loc, err)
	}
	n := loc[strings.LastIndex(loc, "/")+1:]
	h.act(t, ctx, n, "finish-instant", chromedp.SetValue(chromedp.CSS("#fi-result"), "社会保障卡 补卡"))
	if msg := text(t, ctx, "p.notice"); !strings.Contains(msg, "已当场办结（准予）、已当场发证、已将送达回执归档，本件办结") {
		t.Errorf("after the one flow the flash says %q", msg)
	}
	h.wantState(t, ctx, n, "已归档")
}

// TestInstantCaseAtTheWindow decides, hands out and archives an instant
// case at the intake window, as the intake clerk.
func TestInstantCaseAtTheWindow(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)
	h.as(t, ctx, "shouli")
	h.open(t, ctx, "/intake/RSJ-GG-001")
	steps := []chromedp.Action[chromedp.Void]{chromedp.WaitVisible(chromedp.CSS("#intake-form"))}
	for _, m := range []string{"M01", "M02"} {
		steps = append(steps, chromedp.Click(chromedp.CSS(`input[name="material.`+m+`"][value=provided]`)))
	}
	steps = append(steps,
		chromedp.Click(chromedp.CSS(`input[name="applicant.kind"][value=person]`)),
		chromedp.SetValue(chromedp.CSS(`#applicant-name`), "王小明"),
		chromedp.SetValue(chromedp.CSS(`#applicant-id_type`), "resident_id"),
		chromedp.SetValue(chromedp.CSS(`#applicant-id_number`), "11010519491231002x"),
		chromedp.SetValue(chromedp.CSS(`#applicant-phone`), "13900139000"),
	)
	do(t, ctx, "fill the intake form", steps...)
	shot(t, ctx, "intake-form")
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#intake-form button[type=submit]:not([formaction])`))); err != nil {
		t.Fatalf("take the case in: %v", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "/cases/") {
		t.Fatalf("after intake the browser is at %q (%v)", loc, err)
	}
	n := loc[strings.LastIndex(loc, "/")+1:]
	h.act(t, ctx, n, "decide", chromedp.SetValue(chromedp.CSS("#result_document"), "社会保障卡 补卡"))
	h.confirm(t, ctx)
	h.wantState(t, ctx, n, "已决定")
	h.act(t, ctx, n, "deliver", chromedp.SetValue(chromedp.CSS("#signer_id_number"), "11010519491231002X"))
	h.act(t, ctx, n, "archive")
	h.wantState(t, ctx, n, "已归档")
}
