package supervise_test

import (
	"net/http"
	"testing"

	"github.com/onewindow/onewindow/internal/service"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/web/webtest"
)

// A hall manager's home is their hall's figures: a late decision of a case
// taken in at another hall is not among them, its drill-down lists their
// hall's late case only, and another hall's figures are refused as a page.
func TestHallManagerHome(t *testing.T) {
	webtest.EachHall(t, sh("2026-09-30 09:00"), func(t *testing.T, h *webtest.Hall) {
		// A second late decision, of a case taken in at 滨河.
		in := webtest.FoodLicence()
		for i := range in.Materials {
			in.Materials[i].Status = casework.Provided
		}
		h.Clk.Set(sh("2026-09-30 10:00"))
		v, err := h.Svc.Intake(h.As["shouli2"], in)
		if err != nil {
			t.Fatal(err)
		}
		binhe := v.Case.Number
		// Its paper travels to the district hall in a batch (issue 15).
		b, err := h.Svc.PrepareBatch(h.As["shouli2"], service.PrepareBatchInput{To: demo.DistrictHall, Confirm: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Svc.SignOutBatch(h.As["shouli2"], b.Number, service.SignOutInput{Courier: "王师傅", Confirm: true}); err != nil {
			t.Fatal(err)
		}
		h.Clk.Set(sh("2026-09-30 13:00"))
		if _, err := h.Svc.SignInBatch(h.As["shouli"], b.Number, service.SignInInput{Confirm: true}); err != nil {
			t.Fatal(err)
		}
		h.Clk.Set(sh("2026-09-30 14:00"))
		h.Act(t, "shenpi", binhe, casework.ActHandover, casework.Input{})
		h.Clk.Set(sh("2026-10-08 10:00"))
		h.Act(t, "shenpi", binhe, casework.ActAccept, casework.Input{})
		h.Clk.Set(sh("2026-10-30 09:00"))
		h.Act(t, "shenpi", binhe, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "JY13501020260103"})
		n := scenario(t, h)

		sup := h.SignIn(t, "jiandu")
		if _, late := cell(t, sup.Get("/supervision").Body, scjg, "sv-late"); late != "2" {
			t.Fatalf("the supervisor sees %s late decisions, want 2", late)
		}
		mgr := h.SignIn(t, "dating")
		mgr.Get("/").Want(t, http.StatusSeeOther, `href="/supervision"`) // no desk: the hall's figures
		home := mgr.Get("/supervision")
		home.Want(t, http.StatusOK, "本大厅考核 · 2026年10月", `<strong id="sv-hall">江川区政务服务中心</strong>`,
			`href="/screen/`+demo.DistrictHall+`"`, scjg, "本大厅考核</a>")
		home.WantNot(t, `href="/supervision/notices"`, `href="/supervision/ledgers"`, "黄牌/红牌", demo.DistrictHall+"<")
		href, late := cell(t, home.Body, scjg, "sv-late")
		if late != "1" {
			t.Errorf("the hall manager sees %s late decisions, want 1 (their hall's)", late)
		}
		list := mgr.Get(href)
		list.Want(t, http.StatusOK, `<strong id="drill-total">1</strong>`, n["late"])
		list.WantNot(t, binhe)
		// Another hall, by filter or by row; the supervisor's pages.
		mgr.Get("/supervision/cases?from=2026-10-01&to=2026-10-31&group=department&key=SCJG&hall="+demo.BinheHall).Want(t, http.StatusForbidden)
		mgr.Get("/supervision/cases?from=2026-10-01&to=2026-10-31&group=hall&key="+demo.BinheHall).Want(t, http.StatusForbidden)
		mgr.Get("/supervision/notices").Want(t, http.StatusForbidden)
		mgr.Get("/supervision/bulletin").Want(t, http.StatusForbidden)
		mgr.Get("/supervision/ledgers").Want(t, http.StatusForbidden)
		mgr.Get("/cases/"+binhe).WantNot(t, `id="holding-bar"`)
		mgr.Get("/cases/"+n["late"]).Want(t, http.StatusOK, `id="holding-bar"`)
	})
}
