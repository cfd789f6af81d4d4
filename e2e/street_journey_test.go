package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
)

// submitIn clicks a form's submit button and waits for the page it loads.
func submitIn(t *testing.T, ctx context.Context, form string) {
	t.Helper()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(form+" button[type=submit]"))); err != nil {
		t.Fatalf("submit %s: %v", form, err)
	}
}

// batchFrom prepares, on the transit page, the batch of cargo waiting
// for the hall to, and returns its page's path.
func (h *hall) batchFrom(t *testing.T, ctx context.Context, cargo, to string) string {
	t.Helper()
	h.open(t, ctx, "/transit")
	submitIn(t, ctx, "#waiting-"+cargo+"-"+to)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "/transit/batches/JJ") {
		t.Fatalf("after 组批 the browser is at %q (%v): %s", loc, err, text(t, ctx, "main"))
	}
	return loc[strings.Index(loc, "/transit/"):]
}

// signOut signs the batch at path out with the courier.
func (h *hall) signOut(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	h.open(t, ctx, path)
	do(t, ctx, "fill the sign-out", chromedp.SetValue(chromedp.CSS("#courier"), "王师傅"),
		chromedp.Click(chromedp.CSS(`#sign-out input[name=confirm]`)))
	submitIn(t, ctx, "#sign-out")
	if s := text(t, ctx, "main"); !strings.Contains(s, "在途") {
		t.Fatalf("after sign-out: %s", s)
	}
}

// signIn signs the batch at path in, everything whole.
func (h *hall) signIn(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	h.open(t, ctx, path)
	do(t, ctx, "tick the sign-in", chromedp.Click(chromedp.CSS(`#sign-in input[name=confirm]`)))
	submitIn(t, ctx, "#sign-in")
	if s := text(t, ctx, "main"); !strings.Contains(s, "已签收") {
		t.Fatalf("after sign-in: %s", s)
	}
}

// TestStreetJourney is issue 15's whole journey in the pages: 吴婷 takes a
// district department's case in at 滨河街道为民服务中心 (collected there),
// prints the batch sheet and signs the paper out; the district hall signs
// it in; the department accepts and decides; the district issuance desk
// sends the result to the street, whose issuance desk cannot check it
// before signing its batch in; the applicant collects at the street; the
// receipt travels back and the department archives it.
func TestStreetJourney(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)
	at := func(s string) {
		ti, err := time.ParseInLocation("2006-01-02 15:04", s, clock.Shanghai)
		if err != nil {
			t.Fatal(err)
		}
		h.clk.Set(ti)
	}

	// Intake at the street, collected at the street (the default).
	h.as(t, ctx, "shouli2")
	h.open(t, ctx, "/intake/SCJG-XK-001")
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#pickup_hall"))); v != demo.BinheHall {
		t.Fatalf("the pickup hall defaults to %q, want the street centre", v)
	}
	steps := []chromedp.Action[chromedp.Void]{}
	for _, m := range []string{"M01", "M02", "M03", "M04", "M05"} {
		steps = append(steps, chromedp.Click(chromedp.CSS(`input[name="material.`+m+`"][value=provided]`)))
	}
	steps = append(steps,
		chromedp.Click(chromedp.CSS(`input[name="applicant.kind"][value=entity]`)),
		chromedp.SetValue(chromedp.CSS(`#applicant-name`), company.Name),
		chromedp.SetValue(chromedp.CSS(`#applicant-id_type`), "credit_code"),
		chromedp.SetValue(chromedp.CSS(`#applicant-id_number`), company.IDNumber),
		chromedp.SetValue(chromedp.CSS(`#applicant-phone`), company.Phone),
	)
	do(t, ctx, "fill the intake form", steps...)
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#intake-form button[type=submit]:not([formaction])`))); err != nil {
		t.Fatalf("submit the intake form: %v", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "/cases/") {
		t.Fatalf("after intake the browser is at %q (%v)", loc, err)
	}
	n := loc[strings.LastIndex(loc, "/")+1:]
	h.open(t, ctx, "/cases/"+n)
	if facts := text(t, ctx, "main"); !strings.Contains(facts, "领取大厅") || !strings.Contains(facts, "江川区滨河街道为民服务中心") {
		t.Fatalf("the case page does not name the pickup hall:\n%s", facts)
	}

	// The paper travels: batch, sheet, sign-out at the street.
	paper := h.batchFrom(t, ctx, "paper", demo.DistrictHall)
	h.open(t, ctx, paper+"/print")
	if sheet := text(t, ctx, "body"); !strings.Contains(sheet, "纸质材料交接单") || !strings.Contains(sheet, n) {
		t.Fatalf("the batch sheet:\n%s", sheet)
	}
	do(t, ctx, "the sheet's barcode", chromedp.WaitVisible(chromedp.CSS(`figure.barcode img`)))
	h.signOut(t, ctx, paper)

	at("2026-09-29 10:05")
	h.as(t, ctx, "shouli")
	h.signIn(t, ctx, paper)

	// The department accepts, signs for the paper, decides and hands the
	// result to the issuance desk.
	h.as(t, ctx, "shenpi")
	h.act(t, ctx, n, "accept")
	h.act(t, ctx, n, "handover")
	h.act(t, ctx, n, "decide", chromedp.SetValue(chromedp.CSS("#result_document"), "食品经营许可证 JY13201200000009"))
	h.confirm(t, ctx)
	h.act(t, ctx, n, "submit-result")

	// The street cannot check the result before it arrives.
	h.as(t, ctx, "shouli2")
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form.desk-switch button[value]`))); err != nil {
		t.Fatalf("switch to the issuance desk: %v", err)
	}
	h.open(t, ctx, "/cases/"+n)
	if has, _ := chromedp.Run(ctx, chromedp.EvaluateAsDevTools[bool](`document.querySelector("#form-accept-result") !== null`)); has {
		t.Fatal("the street is offered 核验接收结果 before the result arrived")
	}
	if facts := text(t, ctx, "main"); !strings.Contains(facts, "办理结果：从江川区政务服务中心送往江川区滨河街道为民服务中心") {
		t.Fatalf("the case page does not say where the result is:\n%s", facts)
	}

	// The district issuance desk sends it on the next run.
	at("2026-09-29 16:00")
	h.as(t, ctx, "chujian")
	result := h.batchFrom(t, ctx, "result", demo.BinheHall)
	h.open(t, ctx, result+"/print")
	if sheet := text(t, ctx, "body"); !strings.Contains(sheet, "办理结果交接单") || !strings.Contains(sheet, "JY13201200000009") {
		t.Fatalf("the result sheet:\n%s", sheet)
	}
	at("2026-09-30 09:30")
	h.signOut(t, ctx, result)

	// The street's issuance desk signs it in, checks it, hands it over.
	at("2026-09-30 10:20")
	h.as(t, ctx, "shouli2")
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form.desk-switch button[value]`))); err != nil {
		t.Fatalf("switch to the issuance desk: %v", err)
	}
	h.signIn(t, ctx, result)
	h.act(t, ctx, n, "accept-result")
	h.wantState(t, ctx, n, "待领取")
	h.act(t, ctx, n, "deliver",
		chromedp.SetValue(chromedp.CSS("#signer"), "李四"),
		chromedp.SetValue(chromedp.CSS("#signer_id_number"), "11010519491231002X"))
	h.wantState(t, ctx, n, "已送达")

	// The receipt travels back on the street's next run (after the
	// National Day holiday) and the department archives it.
	receipt := h.batchFrom(t, ctx, "receipt", demo.DistrictHall)
	h.signOut(t, ctx, receipt)
	at("2026-10-08 10:10")
	h.as(t, ctx, "chujian")
	h.signIn(t, ctx, receipt)
	h.as(t, ctx, "shenpi")
	h.act(t, ctx, n, "archive")
	h.wantState(t, ctx, n, "已归档")
	shot(t, ctx, "street-journey-archived")

	timeline := text(t, ctx, ".timeline")
	for _, step := range []string{"收件", "纸质材料", "受理", "作出决定", "提交办理结果", "办理结果", "核验接收结果", "领取发证", "送达回执", "回执归档"} {
		if !strings.Contains(timeline, step) {
			t.Errorf("timeline lacks %q:\n%s", step, timeline)
		}
	}
}
