package e2e

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
)

// TestMainPages opens every desk's main page as its user and checks what
// it must show; with ONEWINDOW_SCREENSHOTS set it saves them for the docs.
func TestMainPages(t *testing.T) {
	h := newHall(t)
	ctx := browser(t)
	deferred := provided("M01", "M02", "M03")
	deferred = append(deferred, casework.MaterialInput{Code: "M04", Status: casework.Deferred}, casework.MaterialInput{Code: "M05", Status: casework.Deferred})
	first := h.takeIn(t, casework.Intake{ItemCode: "SCJG-XK-001", Channel: casework.AtWindow, Applicant: company, Materials: deferred})
	h.takeIn(t, casework.Intake{ItemCode: "SCJG-XK-002", Channel: casework.AtWindow, Applicant: company, Materials: provided("M01", "M02", "M03", "M04")})

	for _, p := range []struct{ user, path, want, shot string }{
		{"shouli", "/", "我的待办", "home-intake"},
		{"shouli", "/intake", "综合受理", "intake-search-all"},
		{"shenpi", "/dept", "待受理", "dept-desk"},
		{"shenpi", "/handover", first, "handover"},
		{"chujian", "/issuance", "待核验结果", "issuance-desk"},
		{"shenpi", "/cases/" + first, "容缺待补", "case-page"},
		{"admin", "/admin/calendar?year=2026", "国庆节", "admin-calendar"},
		{"admin", "/admin/items/SCJG-XK-001/edit", "申请材料", "admin-item-edit"},
		{"jiandu", "/cases?warning=yellow", "办件查询", "search"},
	} {
		h.as(t, ctx, p.user)
		h.open(t, ctx, p.path)
		if body := text(t, ctx, "body"); !strings.Contains(body, p.want) {
			t.Errorf("%s as %s does not show %q", p.path, p.user, p.want)
		}
		shot(t, ctx, p.shot)
	}
	h.open(t, ctx, "/progress")
	if !strings.Contains(text(t, ctx, "body"), "查询码") {
		t.Error("the public progress page asks for no check code")
	}
}
