package server_test

import (
	"net/http"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
)

// TestFinishInstantThroughTheAPI: POST /cases/{number}/finish-instant
// finishes an instant case in one request (decide, deliver, archive: three
// events), refuses a promised case with 409 and a denial without reason
// with 422, changing nothing.
func TestFinishInstantThroughTheAPI(t *testing.T) {
	eachDesk(t, "2026-03-02T10:00:00+08:00", func(t *testing.T, d *caseDesk) {
		c := d.take(t, socialSecurityCard())
		if c.Deadlines["finish_by"] == "" || len(c.OpenDeadlines) != 1 || c.OpenDeadlines[0].Name != "finish_by" {
			t.Fatalf("instant case deadlines %v, running %v", c.Deadlines, c.OpenDeadlines)
		}
		path := "/api/v1/cases/" + c.Number + "/finish-instant"
		r := d.post(t, "shouli", path, map[string]any{"outcome": "deny", "result_document": "不予办理告知书"})
		mustStatus(t, r, http.StatusUnprocessableEntity)
		if got := d.caseOf(t, "shouli", c.Number); got.State != casework.Received || len(got.Events) != 1 {
			t.Fatalf("a refused finish changed the case: %s, %d events", got.State, len(got.Events))
		}
		promised := d.take(t, foodLicence())
		r = d.post(t, "shouli", "/api/v1/cases/"+promised.Number+"/finish-instant", map[string]any{"outcome": "approve", "result_document": "许可证"})
		mustStatus(t, r, http.StatusConflict)

		r = d.post(t, "shouli", path, map[string]any{"outcome": "approve", "result_document": "社会保障卡 No.320100001", "version": c.Version})
		mustStatus(t, r, http.StatusOK)
		got := d.caseOf(t, "shouli", c.Number)
		if got.State != casework.Archived || len(got.Events) != 4 || len(got.OpenDeadlines) != 0 {
			t.Fatalf("after finish-instant: %s, %d events, running %v", got.State, len(got.Events), got.OpenDeadlines)
		}
		for i, want := range []string{"decide", "deliver", "archive"} {
			if e := got.Events[i+1]; e.Type != want || e.Actor != "shouli" {
				t.Errorf("event %d: %s by %s, want %s by shouli", i+2, e.Type, e.Actor, want)
			}
		}
	})
}
