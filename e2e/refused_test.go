package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/casework"
)

// TestRefusedActionsSayWhy: while a deferred material is outstanding the
// reviewer's case page shows the decision greyed with its reason; the
// form disappeared without a word before (issue 13 point 10).
func TestRefusedActionsSayWhy(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)
	marks := append(provided("M01", "M02", "M03"), casework.MaterialInput{Code: "M04", Status: casework.Deferred}, casework.MaterialInput{Code: "M05", Status: casework.Deferred})
	n := h.takeIn(t, casework.Intake{ItemCode: "SCJG-XK-001", Channel: casework.AtWindow, Applicant: company, Materials: marks})
	h.as(t, ctx, "shenpi")
	h.act(t, ctx, n, "accept")
	h.act(t, ctx, n, "handover")
	h.open(t, ctx, "/cases/"+n)
	if forms, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#form-decide").length`)); err != nil || forms > 0 {
		t.Fatalf("the decision can be submitted while a deferred material is outstanding (%v)", err)
	}
	got := text(t, ctx, "#refused-decide")
	if !strings.Contains(got, "作出决定") || !strings.Contains(got, "容缺材料尚未补齐") {
		t.Fatalf("the greyed decision says %q, want its name and the reason", got)
	}
	disabled, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#refused-decide button").disabled`))
	if err != nil || !disabled {
		t.Fatalf("the greyed decision's button is enabled (%v)", err)
	}
}
