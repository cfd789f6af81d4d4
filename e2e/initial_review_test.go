package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/casework"
)

// TestInitialReviewAtTheStreet: a food licence renewal taken in at 滨河街道
// (delegated to the street's initial review in the demo) waits on 陈静's
// 委托初审 list; the department's case page offers no acceptance and says
// why; 陈静 presses 初审通过 on the list; 王建国 then accepts on the case
// page, whose record names both.
func TestInitialReviewAtTheStreet(t *testing.T) {
	h := newHall(t)
	v, err := h.svc.Intake(h.asStaff(t, "shouli2"), casework.Intake{ItemCode: "SCJG-XK-002", Channel: casework.AtWindow,
		Applicant: company, Materials: provided("M01", "M02", "M03", "M04")})
	if err != nil {
		t.Fatal(err)
	}
	n := v.Case.Number
	ctx := browser(t)

	h.as(t, ctx, "shenpi")
	h.open(t, ctx, "/cases/"+n)
	if s := text(t, ctx, "main"); !strings.Contains(s, "初审通过后，部门方可受理") {
		t.Fatalf("the department's case page: %q", s)
	}
	if none, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#form-accept") === null`)); err != nil || !none {
		t.Fatalf("the department is offered acceptance before the initial review (%v)", err)
	}

	h.as(t, ctx, "chushen")
	if m := text(t, ctx, `nav[aria-label="主菜单"]`); !strings.Contains(m, "委托初审") {
		t.Fatalf("the street reviewer's menu: %q", m)
	}
	h.open(t, ctx, "/initial-review")
	if s := text(t, ctx, "#initial-pending"); !strings.Contains(s, n) || !strings.Contains(s, "食品经营许可（延续）") {
		t.Fatalf("the list: %q", s)
	}
	shot(t, ctx, "initial-review")
	click(t, ctx, "初审通过", "#case-"+n+` form button[type="submit"]`)
	if s := text(t, ctx, "main .notice"); !strings.Contains(s, "已初审通过") {
		t.Fatalf("the flash: %q", s)
	}
	if s := text(t, ctx, "#initial-passed"); !strings.Contains(s, n) || !strings.Contains(s, "初审：陈静（江川区滨河街道为民服务中心）") {
		t.Fatalf("passed: %q", s)
	}

	h.as(t, ctx, "shenpi")
	h.open(t, ctx, "/cases/"+n)
	click(t, ctx, "受理", `#form-accept button[type="submit"]`)
	if s := text(t, ctx, "main"); !strings.Contains(s, "初审：陈静（江川区滨河街道为民服务中心）；受理：王建国") {
		t.Fatalf("the record after acceptance: %q", s)
	}
}
