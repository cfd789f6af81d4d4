package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/casework"
)

// TestMyWorkHoldsWhatTheDeskCanDo: each desk's 我的待办 lists the cases
// that desk can act on now, coloured by the deadlines it answers for (issue
// 13 point 5: the intake clerk's list showed the department's handover in
// yellow).
func TestMyWorkHoldsWhatTheDeskCanDo(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)
	// Waits on the department: the paper is to be signed for by 15:00 today.
	waiting := h.takeIn(t, casework.Intake{ItemCode: "SCJG-XK-002", Channel: casework.AtWindow, Applicant: company, Materials: provided("M01", "M02", "M03", "M04")})
	// The intake desk owes its deferred material.
	marks := append(provided("M01", "M02", "M03"), casework.MaterialInput{Code: "M04", Status: casework.Deferred}, casework.MaterialInput{Code: "M05", Status: casework.Deferred})
	deferred := h.takeIn(t, casework.Intake{ItemCode: "SCJG-XK-001", Channel: casework.AtWindow, Applicant: company, Materials: marks})

	warnings := func() int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("main .badge-yellow, main .badge-red").length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	h.as(t, ctx, "shouli")
	h.open(t, ctx, "/")
	list := text(t, ctx, "main")
	if strings.Contains(list, waiting) {
		t.Errorf("the intake clerk's list shows %s, which waits on the department:\n%s", waiting, list)
	}
	if !strings.Contains(list, deferred) {
		t.Errorf("the intake clerk's list lacks %s, whose deferred materials the desk takes in:\n%s", deferred, list)
	}
	if n := warnings(); n != 0 {
		t.Errorf("the intake clerk's list shows %d yellow or red deadlines of other desks:\n%s", n, list)
	}

	h.as(t, ctx, "shenpi")
	h.open(t, ctx, "/")
	list = text(t, ctx, "main")
	for _, n := range []string{waiting, deferred} {
		if !strings.Contains(list, n) {
			t.Errorf("the reviewer's list lacks %s:\n%s", n, list)
		}
	}
	if warnings() == 0 || !strings.Contains(list, "材料交接期限") {
		t.Errorf("the reviewer's list does not warn of the handover due today:\n%s", list)
	}
}
