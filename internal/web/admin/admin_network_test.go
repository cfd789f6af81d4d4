package admin_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/demo"
)

// TestAdminHallScope: the bureau admin removes an item from a street
// centre on its hall page; the centre's intake of it is then refused (the
// same use case as the API's); a clerk may not open the page.
func TestAdminHallScope(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		admin := h.signIn(t, "admin")
		admin.get("/admin/halls").want(t, http.StatusOK, `href="/admin/halls/`+demo.BinheHall+`/scope"`)
		p := admin.get("/admin/halls/" + demo.BinheHall + "/scope")
		p.want(t, http.StatusOK, "未发布过", `name="all_items" value="1" checked`, `value="SCJG-XK-001" id="item-SCJG-XK-001" checked`,
			"工作日 15:00 前收件的纸质材料搭乘下一个工作日 10:00 的交接班次", "发布为第 1 版")

		sv, err := h.svc.HallScope(h.as["admin"], demo.BinheHall)
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"base_version": {"0"}, "all_items": {"1"}, "issues": {"1"}, "cutoff": {"15:00"}, "run": {"25:00"}, "note": {"试点"}}
		for _, it := range sv.Items {
			if it.Code != "SCJG-XK-001" {
				form.Add("item", it.Code)
			}
		}
		admin.post("/admin/halls/"+demo.BinheHall+"/scope", form).want(t, http.StatusUnprocessableEntity, "交接班次时间须为 HH:MM", ">试点</textarea>")
		form.Set("run", "10:00")
		admin.follow(t, "/admin/halls/"+demo.BinheHall+"/scope", form).want(t, http.StatusOK, "已发布", "现行第 1 版", "移除 1 项")

		_, err = h.svc.Intake(h.as["shouli2"], foodLicence())
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("intake of a removed item at Binhe: %v", err)
		}
		if _, err := h.svc.Intake(h.as["shouli"], foodLicence()); err != nil {
			t.Fatalf("the district hall still takes it in: %v", err)
		}
		h.signIn(t, "shouli").get("/admin/halls/"+demo.BinheHall+"/scope").want(t, http.StatusForbidden)
	})
}
