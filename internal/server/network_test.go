package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/demo"
)

type waitingBody struct {
	Groups []struct {
		To      string    `json:"to"`
		Run     time.Time `json:"run"`
		Entries []struct {
			Case string `json:"case"`
		} `json:"entries"`
	} `json:"groups"`
}

type batchReply struct {
	Number string `json:"number"`
	State  string `json:"state"`
	Run    time.Time
	Counts struct {
		Cases int `json:"cases"`
	} `json:"counts"`
	Entries []struct {
		Case      string `json:"case"`
		Materials []struct {
			Code string `json:"code"`
		} `json:"materials"`
	} `json:"entries"`
	PreparedBy string `json:"prepared_by"`
}

func runsByCase(t *testing.T, d *caseDesk, user string) map[string]time.Time {
	t.Helper()
	r := d.get(t, user, "/api/v1/transit/waiting")
	mustStatus(t, r, http.StatusOK)
	out := map[string]time.Time{}
	for _, g := range decodeAs[waitingBody](t, r).Groups {
		for _, e := range g.Entries {
			out[e.Case] = g.Run
		}
	}
	return out
}

// TestTransitAPI: through the API, a street centre's intake on either
// side of the 15:00 cut-off of a Friday and of a holiday eve waits for
// the run the rule gives; the batch is prepared and signed out only at
// the street and signed in only at the district hall, after which the
// department's handover clock runs from the arrival while accept_by
// still counts from the intake; an item the street does not take in is
// refused with its reason.
func TestTransitAPI(t *testing.T) {
	eachDesk(t, "2026-12-04T14:59:00+08:00", func(t *testing.T, d *caseDesk) {
		takeAt := func(at string) caseBody {
			t.Helper()
			d.at(at)
			r := d.post(t, "shouli2", "/api/v1/cases", foodLicence())
			mustStatus(t, r, http.StatusCreated)
			return decodeAs[caseBody](t, r)
		}
		friday := takeAt("2026-12-04T14:59:00+08:00")
		fridayLate := takeAt("2026-12-04T15:00:00+08:00")
		eve := takeAt("2026-09-30T14:59:00+08:00")
		eveLate := takeAt("2026-09-30T15:00:00+08:00")
		d.at("2026-12-04T16:00:00+08:00")
		runs := runsByCase(t, d, "shouli2")
		for number, want := range map[string]string{
			friday.Number: "2026-12-07T10:00:00+08:00", fridayLate.Number: "2026-12-08T10:00:00+08:00",
			eve.Number: "2026-10-08T10:00:00+08:00", eveLate.Number: "2026-10-09T10:00:00+08:00",
		} {
			if !runs[number].Equal(moment(want)) {
				t.Errorf("case %s: run %s, want %s", number, runs[number], want)
			}
		}

		// The district clerk prepares nothing for Binhe; Binhe's batch
		// carries the runs due by Monday's (the eve's late papers too).
		mustStatus(t, d.post(t, "shouli", "/api/v1/transit/batches", map[string]any{"to": demo.DistrictHall, "confirm": true}), http.StatusConflict)
		r := d.post(t, "shouli2", "/api/v1/transit/batches", map[string]any{"to": demo.DistrictHall, "confirm": true})
		mustStatus(t, r, http.StatusCreated)
		b := decodeAs[batchReply](t, r)
		if b.Counts.Cases != 3 || !b.Run.Equal(moment("2026-12-07T10:00:00+08:00")) || b.PreparedBy != "吴婷" {
			t.Fatalf("batch: %+v", b)
		}
		path := "/api/v1/transit/batches/" + b.Number
		mustStatus(t, d.post(t, "shouli", path+"/sign-out", map[string]any{"courier": "王师傅", "confirm": true}), http.StatusForbidden)
		mustStatus(t, d.post(t, "shouli2", path+"/sign-out", map[string]any{"courier": "王师傅", "confirm": true}), http.StatusOK)
		d.at("2026-12-07T10:05:00+08:00")
		r = d.post(t, "shouli2", path+"/sign-in", map[string]any{"confirm": true})
		mustStatus(t, r, http.StatusForbidden)
		if !strings.Contains(string(r.body), "江川区政务服务中心") || strings.Contains(string(r.body), demo.DistrictHall+"签收") {
			t.Errorf("refusal names the halls: %s", r.body)
		}
		mustStatus(t, d.post(t, "shouli", path+"/sign-in", map[string]any{"confirm": true}), http.StatusOK)
		c := d.caseOf(t, "shenpi", friday.Number)
		if !moment(c.Deadlines["handover_by"]).Equal(moment("2026-12-07T15:00:00+08:00")) || c.Deadlines["accept_by"] != friday.Deadlines["accept_by"] ||
			!moment(c.Deadlines["accept_by"]).Equal(moment("2026-12-08T17:00:00+08:00")) {
			t.Errorf("after arrival: %v (at intake %v)", c.Deadlines, friday.Deadlines)
		}
		if _, ok := friday.Deadlines["handover_by"]; ok {
			t.Errorf("a handover clock while the paper travels: %v", friday.Deadlines)
		}
		d.mustAct(t, "shenpi", friday.Number, casework.ActHandover, nil)
		if runs := runsByCase(t, d, "shouli2"); len(runs) != 1 || runs[fridayLate.Number].IsZero() {
			t.Errorf("Tuesday's paper still waits: %v", runs)
		}

		// The bureau admin removes the item from Binhe: the API refuses it.
		r = d.post(t, "admin", "/api/v1/halls/"+demo.BinheHall+"/scope", map[string]any{"base_version": 0, "all_items": true,
			"excluded": []string{"SCJG-XK-001"}, "issues": true, "cutoff": "15:00", "run": "10:00", "confirm": true})
		mustStatus(t, r, http.StatusCreated)
		r = d.post(t, "shouli2", "/api/v1/cases", foodLicence())
		mustStatus(t, r, http.StatusUnprocessableEntity)
		if !strings.Contains(string(r.body), "不收取") {
			t.Errorf("refusal: %s", r.body)
		}
		mustStatus(t, d.post(t, "shouli2", "/api/v1/halls/"+demo.BinheHall+"/scope", map[string]any{"base_version": 1, "all_items": true,
			"issues": true, "cutoff": "15:00", "run": "10:00", "confirm": true}), http.StatusForbidden)
	})
}
