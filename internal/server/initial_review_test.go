package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
)

type initialReviewsBody struct {
	HallName string     `json:"hall_name"`
	Pending  []caseBody `json:"pending"`
	Passed   []caseBody `json:"passed"`
}

// TestInitialReviewAPI: through the API, a delegated item taken in at
// 滨河街道 on a Friday afternoon and on the National Day eve is due for its
// initial review on the next working day (Monday; after the holiday), red
// after it, while accept_by still counts from intake; the department's
// acceptance is a 409 until the street's reviewer passes it; the clerk is
// refused; the street's list shows it; the acceptance names both people.
func TestInitialReviewAPI(t *testing.T) {
	eachDesk(t, "2026-12-04T16:00:00+08:00", func(t *testing.T, d *caseDesk) {
		take := func(at string) caseBody {
			t.Helper()
			d.at(at)
			r := d.post(t, "shouli2", "/api/v1/cases", renewal())
			mustStatus(t, r, http.StatusCreated)
			return decodeAs[caseBody](t, r)
		}
		eve := take("2026-09-30T16:00:00+08:00")
		if !moment(eve.Deadlines["initial_review_by"]).Equal(moment("2026-10-08T17:00:00+08:00")) {
			t.Errorf("holiday eve: initial_review_by %s", eve.Deadlines["initial_review_by"])
		}
		d.at("2026-10-08T17:01:00+08:00")
		if late := decodeAs[caseBody](t, d.get(t, "chushen", "/api/v1/cases/"+eve.Number)); late.Warning != "red" {
			t.Errorf("past the initial review: warning %q", late.Warning)
		}

		c := take("2026-12-04T16:00:00+08:00") // a Friday
		if !moment(c.Deadlines["initial_review_by"]).Equal(moment("2026-12-07T17:00:00+08:00")) ||
			!moment(c.Deadlines["accept_by"]).Equal(moment("2026-12-08T17:00:00+08:00")) ||
			!slices.ContainsFunc(c.OpenDeadlines, func(x casework.Due) bool { return x.Name == "initial_review_by" }) {
			t.Fatalf("Friday intake: %v, open %v", c.Deadlines, c.OpenDeadlines)
		}
		r := d.act(t, "shenpi", c.Number, casework.ActAccept, map[string]any{})
		mustStatus(t, r, http.StatusConflict)
		if !strings.Contains(string(r.body), "初审通过后，部门方可受理") {
			t.Errorf("the department is told %s", r.body)
		}
		mustStatus(t, d.act(t, "shouli2", c.Number, casework.ActPassInitialReview, map[string]any{}), http.StatusForbidden)
		mustStatus(t, d.get(t, "shouli2", "/api/v1/initial-reviews"), http.StatusForbidden)
		r = d.get(t, "chushen", "/api/v1/initial-reviews")
		mustStatus(t, r, http.StatusOK)
		l := decodeAs[initialReviewsBody](t, r)
		if l.HallName != "江川区滨河街道为民服务中心" || !slices.ContainsFunc(l.Pending, func(x caseBody) bool { return x.Number == c.Number }) {
			t.Fatalf("the street's list: %s", r.body)
		}
		if got := decodeAs[caseBody](t, d.get(t, "chushen", "/api/v1/cases/"+c.Number)).AllowedActions; !slices.Equal(got, []string{"pass-initial-review", "return-initial-review"}) {
			t.Errorf("the street reviewer may %v", got)
		}

		d.at("2026-12-07T09:30:00+08:00")
		r = d.act(t, "chushen", c.Number, casework.ActPassInitialReview, map[string]any{"reason": "材料齐全"})
		mustStatus(t, r, http.StatusOK)
		if p := decodeAs[caseBody](t, r); p.State != casework.Received || len(p.AllowedActions) != 0 {
			t.Errorf("after the pass: %s, may %v", p.State, p.AllowedActions)
		}
		r = d.act(t, "shenpi", c.Number, casework.ActAccept, map[string]any{})
		mustStatus(t, r, http.StatusOK)
		a := decodeAs[caseBody](t, d.get(t, "shenpi", "/api/v1/cases/"+c.Number))
		last := a.Events[len(a.Events)-1]
		if last.Type != "accept" || last.Details["initial_review"] != "初审：陈静（江川区滨河街道为民服务中心）；受理：王建国" {
			t.Errorf("the acceptance: %s %v", last.Type, last.Details)
		}
	})
}
