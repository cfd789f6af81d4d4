package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/org"
)

// TestPickupJourneyAPI: through the API, a case taken in at the district
// hall names 滨河街道为民服务中心 as its pickup hall (a hall that issues
// nothing is refused); its result waits at the district hall's issuance
// desk for the run its cut-off gives (a Friday's 15:00), travels in a
// result batch (cargo=result) and is checked at the street only after the
// street's issuance desk signed the batch in; the receipt travels back in
// a receipt batch, and the department archives it with R12 counted from
// its arrival. Wrong desks and halls are 403, unconfirmed steps 422.
func TestPickupJourneyAPI(t *testing.T) {
	eachDesk(t, "2026-12-07T09:00:00+08:00", func(t *testing.T, d *caseDesk) {
		d.addClerk(t, "bh-chujian", org.RoleIssuance, demo.BinheHall)
		in := foodLicence()
		in.PickupHall = demo.LiuyinHall
		p := wantRefusal(t, d.post(t, "shouli", "/api/v1/cases", in), http.StatusUnprocessableEntity, "invalid")
		if !strings.Contains(p.Detail+mustJSON(t, p.Errors), "pickup_hall") {
			t.Errorf("a hall that issues nothing: %+v", p)
		}
		in.PickupHall = demo.BinheHall
		take := func(at string) string {
			d.at(at)
			c := d.take(t, in)
			if c.PickupHall != demo.BinheHall {
				t.Fatalf("pickup_hall %q", c.PickupHall)
			}
			for _, a := range []casework.Action{casework.ActAccept, casework.ActHandover, casework.ActDecide} {
				d.mustAct(t, "shenpi", c.Number, a, nil)
			}
			return c.Number
		}
		first, second := take("2026-12-07T09:00:00+08:00"), take("2026-12-07T09:30:00+08:00")
		d.at("2026-12-11T14:59:00+08:00")
		d.mustAct(t, "shenpi", first, casework.ActSubmitResult, nil)
		d.at("2026-12-11T15:00:00+08:00")
		d.mustAct(t, "shenpi", second, casework.ActSubmitResult, nil)

		r := d.get(t, "chujian", "/api/v1/transit/waiting?cargo=result")
		mustStatus(t, r, http.StatusOK)
		runs := map[string]string{}
		for _, g := range decodeAs[waitingBody](t, r).Groups {
			for _, e := range g.Entries {
				runs[e.Case] = g.Run.Format("2006-01-02T15:04")
			}
		}
		if runs[first] != "2026-12-14T10:00" || runs[second] != "2026-12-15T10:00" {
			t.Fatalf("result runs: %v", runs)
		}
		mustStatus(t, d.get(t, "shouli", "/api/v1/transit/waiting?cargo=result"), http.StatusForbidden)
		mustStatus(t, d.get(t, "chujian", "/api/v1/transit/waiting?cargo=parcel"), http.StatusUnprocessableEntity)

		// The street may not check what has not come.
		p = wantRefusal(t, d.act(t, "bh-chujian", first, casework.ActAcceptResult, nil), http.StatusConflict, "conflict")
		if !strings.Contains(p.Detail, "江川区政务服务中心") || !strings.Contains(p.Detail, "尚未送达") {
			t.Errorf("refusal: %s", p.Detail)
		}
		d.wrongPickupHall(t, "chujian", first, casework.ActAcceptResult)

		d.at("2026-12-11T16:00:00+08:00")
		mustStatus(t, d.post(t, "chujian", "/api/v1/transit/batches", map[string]any{"cargo": "result", "to": demo.BinheHall}), http.StatusUnprocessableEntity)
		mustStatus(t, d.post(t, "shouli", "/api/v1/transit/batches", map[string]any{"cargo": "result", "to": demo.BinheHall, "confirm": true}), http.StatusForbidden)
		r = d.post(t, "chujian", "/api/v1/transit/batches", map[string]any{"cargo": "result", "to": demo.BinheHall, "confirm": true})
		mustStatus(t, r, http.StatusCreated)
		b := decodeAs[batchReply](t, r)
		if b.Counts.Cases != 1 || b.Entries[0].Case != first || b.Entries[0].Materials[0].Code != "result" {
			t.Fatalf("result batch: %+v", b)
		}
		if list := d.get(t, "chujian", "/api/v1/transit/batches?cargo=paper"); !strings.Contains(string(list.body), `"batches":[]`) {
			t.Errorf("no paper batches: %s", list.body)
		}
		if list := d.get(t, "chujian", "/api/v1/transit/batches?cargo=result"); !strings.Contains(string(list.body), b.Number) {
			t.Errorf("the result batch is listed: %s", list.body)
		}
		path := "/api/v1/transit/batches/" + b.Number
		mustStatus(t, d.post(t, "bh-chujian", path+"/sign-out", map[string]any{"courier": "王师傅", "confirm": true}), http.StatusForbidden)
		mustStatus(t, d.post(t, "chujian", path+"/sign-out", map[string]any{"courier": "王师傅", "confirm": true}), http.StatusOK)
		d.at("2026-12-14T10:10:00+08:00")
		r = d.post(t, "chujian", path+"/sign-in", map[string]any{"confirm": true})
		mustStatus(t, r, http.StatusForbidden)
		if !strings.Contains(string(r.body), "江川区滨河街道为民服务中心") || !strings.Contains(string(r.body), "江川区政务服务中心") {
			t.Errorf("refusal names both halls: %s", r.body)
		}
		mustStatus(t, d.post(t, "bh-chujian", path+"/sign-in", map[string]any{}), http.StatusUnprocessableEntity)
		mustStatus(t, d.post(t, "bh-chujian", path+"/sign-in", map[string]any{"confirm": true}), http.StatusOK)

		d.mustAct(t, "bh-chujian", first, casework.ActAcceptResult, nil)
		d.at("2026-12-14T11:00:00+08:00")
		c := d.mustAct(t, "bh-chujian", first, casework.ActDeliver, nil)
		if _, ok := c.Deadlines["archive_by"]; ok || c.State != casework.Delivered {
			t.Fatalf("delivered at the street: %s %v", c.State, c.Deadlines)
		}
		wantRefusal(t, d.act(t, "shenpi", first, casework.ActArchive, nil), http.StatusConflict, "conflict")

		r = d.post(t, "bh-chujian", "/api/v1/transit/batches", map[string]any{"cargo": "receipt", "to": demo.DistrictHall, "confirm": true})
		mustStatus(t, r, http.StatusCreated)
		rb := decodeAs[batchReply](t, r)
		if !rb.Run.Equal(moment("2026-12-15T10:00:00+08:00")) {
			t.Errorf("receipt run %s", rb.Run)
		}
		rpath := "/api/v1/transit/batches/" + rb.Number
		mustStatus(t, d.post(t, "bh-chujian", rpath+"/sign-out", map[string]any{"courier": "王师傅", "confirm": true}), http.StatusOK)
		d.at("2026-12-15T10:20:00+08:00")
		mustStatus(t, d.post(t, "shouli", rpath+"/sign-in", map[string]any{"confirm": true}), http.StatusForbidden)
		mustStatus(t, d.post(t, "chujian", rpath+"/sign-in", map[string]any{"confirm": true}), http.StatusOK)
		c = d.caseOf(t, "shenpi", first)
		if !moment(c.Deadlines["archive_by"]).Equal(moment("2026-12-16T17:00:00+08:00")) {
			t.Errorf("archive_by %v, want the working day after the receipt's arrival", c.Deadlines)
		}
		d.at("2026-12-15T11:00:00+08:00")
		c = d.mustAct(t, "shenpi", first, casework.ActArchive, nil)
		seen := map[string]bool{}
		for _, e := range c.Events {
			seen[e.Type] = true
		}
		if c.State != casework.Archived || !seen["result-arrive"] || !seen["receipt-arrive"] {
			t.Errorf("archived %s, events %v", c.State, seen)
		}
	})
}

// wrongPickupHall checks that the district hall's issuance desk is refused
// a step of a case collected at 滨河街道为民服务中心, both halls named.
func (d *caseDesk) wrongPickupHall(t *testing.T, user, number string, action casework.Action) {
	t.Helper()
	p := wantRefusal(t, d.act(t, user, number, action, nil), http.StatusForbidden, "forbidden")
	for _, name := range []string{"江川区政务服务中心", "江川区滨河街道为民服务中心"} {
		if !strings.Contains(p.Detail, name) {
			t.Errorf("%s by %s: %q does not name %s", action, user, p.Detail, name)
		}
	}
}
