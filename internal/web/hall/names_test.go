package hall_test

import (
	"net/http"
	"testing"
)

// TestPagesNameDepartments: the header names a department person's
// department and the case list each case's department by their names, never
// by their codes.
func TestPagesNameDepartments(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		if _, err := h.svc.Intake(h.as["shouli"], foodLicence()); err != nil {
			t.Fatal(err)
		}
		home := h.signIn(t, "shenpi").get("/")
		home.want(t, http.StatusOK, "王建国（部门审批 · 江川区市场监督管理局）", "江川区市场监督管理局 · 承诺件")
		home.wantNot(t, "· SCJG", "SCJG ·")
	})
}

// TestHandbookNamesDepartments: the public 办事指南, its list and an item's
// guide, name the implementing department, never its code.
func TestHandbookNamesDepartments(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		b := h.browser(t)
		guide := b.get("/items/SCJG-XK-001")
		guide.want(t, http.StatusOK, "<dt>实施部门</dt><dd>江川区市场监督管理局</dd>")
		guide.wantNot(t, "<dd>SCJG</dd>")
		list := b.get("/items?department=SCJG")
		list.want(t, http.StatusOK, "SCJG-XK-001", "<td>江川区市场监督管理局</td>")
		list.wantNot(t, "<td>SCJG</td>")
	})
}
