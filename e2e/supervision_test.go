package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
)

// TestSupervisorDrillsDownAndDepartmentAnswers: a supervisor opens
// /supervision on last month, sees 市场监管's 按时办结率, clicks its red late
// number and lands on the late case; opens a supervision notice on it from
// the case page; the department admin answers it on the notice's page.
func TestSupervisorDrillsDownAndDepartmentAnswers(t *testing.T) {
	h := newHall(t)
	at := func(s string) {
		when, err := time.ParseInLocation("2006-01-02 15:04", s, clock.Shanghai)
		if err != nil {
			t.Fatal(err)
		}
		h.clk.Set(when)
	}
	in := casework.Intake{ItemCode: "SCJG-XK-001", Channel: casework.AtWindow,
		Applicant: casework.Party{Kind: casework.Entity, Name: "江川区味来餐饮管理有限公司", IDType: "credit_code", IDNumber: "91350100M000100Y43", Phone: "13800000001"},
		Materials: provided("M01", "M02", "M03", "M04", "M05")}
	at("2026-09-30 10:00")
	late := h.takeIn(t, in)
	onTime := h.takeIn(t, in)
	reviewer := h.asStaff(t, "shenpi")
	act := func(number, when string, a casework.Action, in casework.Input) {
		t.Helper()
		at(when)
		if _, err := h.svc.Act(reviewer, number, a, in, 0); err != nil {
			t.Fatalf("%s %s: %v", a, number, err)
		}
	}
	act(onTime, "2026-09-30 11:00", casework.ActHandover, casework.Input{})
	act(late, "2026-09-30 14:00", casework.ActHandover, casework.Input{})
	act(onTime, "2026-09-30 15:00", casework.ActAccept, casework.Input{})
	act(late, "2026-10-08 10:00", casework.ActAccept, casework.Input{})
	act(onTime, "2026-10-09 10:00", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "JY13501020260101"})
	act(late, "2026-10-30 09:00", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "JY13501020260102"})
	at("2026-11-05 10:00")

	ctx := browser(t)
	h.as(t, ctx, "jiandu")
	h.open(t, ctx, "/supervision")
	row := `#sv-departments tr[data-department="江川区市场监督管理局"]`
	if got := text(t, ctx, row+" .sv-rate"); got != "50.0%" {
		t.Errorf("按时办结率 %q, want 50.0%%", got)
	}
	if got := text(t, ctx, row+" .sv-late a.sv-red"); got != "1" {
		t.Errorf("late decisions %q, want a red 1", got)
	}
	shot(t, ctx, "supervision")
	click(t, ctx, "click the late number", row+" .sv-late a")
	do(t, ctx, "the drill-down", chromedp.WaitVisible(chromedp.CSS("#drill")))
	if got := text(t, ctx, "#drill-total"); got != "1" {
		t.Errorf("the drill-down lists %q cases, want 1", got)
	}
	if got := text(t, ctx, "#drill tbody"); !strings.Contains(got, late) || strings.Contains(got, onTime) {
		t.Errorf("the drill-down lists %q, want %s only", got, late)
	}

	// From the case page, a notice by hand.
	click(t, ctx, "open the late case", `#drill a[href="/cases/`+late+`"]`)
	do(t, ctx, "the holding bar", chromedp.WaitVisible(chromedp.CSS("#holding-bar")))
	click(t, ctx, "open a notice", "#open-notice-link")
	do(t, ctx, "the reason", chromedp.SetValue(chromedp.CSS("#reason"), "审批决定超期，请说明原因"))
	click(t, ctx, "submit the notice", "#open-notice")
	do(t, ctx, "the notice", chromedp.WaitVisible(chromedp.CSS("#notice-reason")))
	notice, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}

	// The department admin answers it.
	h.as(t, ctx, "bumen")
	do(t, ctx, "open the notice", chromedp.Navigate(notice), chromedp.WaitVisible(chromedp.CSS("#explanation")),
		chromedp.SetValue(chromedp.CSS("#explanation"), "国庆后积压，审批人员不足"),
		chromedp.SetValue(chromedp.CSS("#measures"), "已安排专人跟进，每日清理"))
	click(t, ctx, "reply", "#reply")
	do(t, ctx, "the reply", chromedp.WaitVisible(chromedp.CSS("#notice-measures")))
	if got := text(t, ctx, "h1"); !strings.Contains(got, "已回复") {
		t.Errorf("after the reply the notice says %q", got)
	}

	// The hall's big screen, public: today's figures.
	do(t, ctx, "the screen", chromedp.Navigate(h.base+"/screen/JC-ZWZX"), chromedp.WaitVisible(chromedp.CSS("#fig-intakes")))
	if got := text(t, ctx, "#fig-in_progress"); got != "2" {
		t.Errorf("the screen shows %q cases in progress, want 2", got)
	}
	shot(t, ctx, "screen")
}
