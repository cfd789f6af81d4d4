package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/service"
)

// The monthly bulletin over HTTP: JSON whose links list as many cases as
// its numbers say, the workbook by format and by Accept, the refusals
// before any byte, and the operation in the OpenAPI document.
func TestBulletinAPI(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		_, err := f.svc.GenerateHistory(service.AsSystem(context.Background()), service.HistoryOptions{
			Cases: 60, From: time.Date(2026, 7, 1, 0, 0, 0, 0, clock.Shanghai), To: start, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		const path = "/api/v1/supervision/bulletin?month="
		var late int
		f.run(t, []scenario{
			{name: "the supervisor reads August", method: "GET", path: path + "2026-08", user: "supervisor", want: 200,
				check: func(t *testing.T, r *response) {
					var b struct {
						Title    string `json:"title"`
						Complete bool   `json:"complete"`
						Totals   struct {
							Intakes     int    `json:"intakes"`
							IntakeCases string `json:"intake_cases"`
							LateCases   int    `json:"late_cases"`
						} `json:"totals"`
						Ranking []struct {
							Label string `json:"label"`
							Rank  int    `json:"rank"`
						} `json:"ranking"`
						Late []struct {
							Label string `json:"label"`
							Count int    `json:"count"`
							Cases string `json:"cases"`
						} `json:"late"`
						Cards      []any `json:"cards"`
						Unanswered []any `json:"unanswered_notices"`
					}
					if err := json.Unmarshal(r.body, &b); err != nil {
						t.Fatal(err)
					}
					if b.Title != "2026年8月政务服务督查通报" || !b.Complete || len(b.Ranking) < 2 || b.Cards == nil || b.Unanswered == nil {
						t.Fatalf("bulletin %s", r.body)
					}
					intakes := f.do(t, scenario{method: "GET", path: b.Totals.IntakeCases + "&limit=1000", user: "supervisor"}, "intakes")
					var list struct{ Total int }
					if err := json.Unmarshal(intakes.body, &list); err != nil || list.Total != b.Totals.Intakes || list.Total == 0 {
						t.Errorf("%d intakes, the link lists %d (%s)", b.Totals.Intakes, list.Total, intakes.body)
					}
					sum := 0
					for _, d := range b.Late {
						l := f.do(t, scenario{method: "GET", path: d.Cases + "&limit=1000", user: "supervisor"}, "late")
						var steps struct {
							Steps []struct{ Number string } `json:"steps"`
						}
						if err := json.Unmarshal(l.body, &steps); err != nil || l.status != 200 {
							t.Fatalf("%s: %d %s", d.Cases, l.status, l.body)
						}
						var numbers []string
						for _, s := range steps.Steps {
							numbers = append(numbers, s.Number)
						}
						slices.Sort(numbers)
						if n := len(slices.Compact(numbers)); n != d.Count {
							t.Errorf("%s: %d late cases, its link lists %d", d.Label, d.Count, n)
						}
						sum += d.Count
					}
					if sum != b.Totals.LateCases {
						t.Errorf("late cases %d, the departments' %d", b.Totals.LateCases, sum)
					}
					late = sum
				}},
			{name: "the workbook by format", method: "GET", path: path + "2026-08&format=xlsx", user: "admin", want: 200,
				check: func(t *testing.T, r *response) {
					if ct := r.header.Get("Content-Type"); ct != export.XLSXType {
						t.Errorf("Content-Type %q", ct)
					}
					if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=UTF-8''") {
						t.Errorf("Content-Disposition %q", cd)
					}
					x, err := excelize.OpenReader(bytes.NewReader(r.body))
					if err != nil {
						t.Fatal(err)
					}
					defer x.Close()
					if got := strings.Join(x.GetSheetList(), ","); got != "概况,排名,超期办件,黄红牌,未回复督办单" {
						t.Errorf("sheets %q", got)
					}
					if rows, err := x.GetRows("超期办件"); err != nil || len(rows) != late+1 {
						t.Errorf("超期办件: %d rows for %d late cases (%v)", len(rows), late, err)
					}
				}},
			{name: "the workbook by Accept, for the department admin", method: "GET", path: path + "2026-09", user: "dept_admin",
				header: map[string]string{"Accept": export.XLSXType}, want: 200,
				check: func(t *testing.T, r *response) {
					if !bytes.HasPrefix(r.body, []byte("PK")) {
						t.Errorf("not a workbook: %q", r.body[:min(len(r.body), 40)])
					}
				}},
			{name: "a reviewer", method: "GET", path: path + "2026-08", user: "reviewer", want: 403},
			{name: "an intake clerk's workbook", method: "GET", path: path + "2026-08&format=xlsx", user: "intake", want: 403},
			{name: "not signed in", method: "GET", path: path + "2026-08", want: 401},
			{name: "no month", method: "GET", path: "/api/v1/supervision/bulletin", user: "supervisor", want: 422,
				check: nameField("month")},
			{name: "a thirteenth month", method: "GET", path: path + "2026-13&format=xlsx", user: "supervisor", want: 422,
				check: nameField("month")},
			{name: "a month not begun", method: "GET", path: path + "2026-12", user: "supervisor", want: 422,
				check: nameField("month")},
			{name: "a day, not a month", method: "GET", path: path + "2026-08-01", user: "supervisor", want: 422,
				check: nameField("month")},
			{name: "as CSV", method: "GET", path: path + "2026-08&format=csv", user: "supervisor", want: 422,
				check: nameField("format")},
			{name: "in the OpenAPI document", method: "GET", path: "/api/v1/openapi.json", want: 200,
				check: func(t *testing.T, r *response) {
					var doc struct {
						Paths map[string]map[string]struct {
							Responses map[string]struct {
								Content map[string]any
							}
						}
					}
					if err := json.Unmarshal(r.body, &doc); err != nil {
						t.Fatal(err)
					}
					c := doc.Paths["/supervision/bulletin"]["get"].Responses["200"].Content
					if c["application/json"] == nil || c[export.XLSXType] == nil {
						t.Errorf("/supervision/bulletin: 200 content %v", c)
					}
				}},
		})
	})
}

// nameField checks that a problem document names field among its errors.
func nameField(field string) func(t *testing.T, r *response) {
	return func(t *testing.T, r *response) {
		var p struct {
			Errors []struct{ Field string } `json:"errors"`
		}
		if err := json.Unmarshal(r.body, &p); err != nil || !strings.Contains(r.header.Get("Content-Type"), "problem+json") ||
			len(p.Errors) != 1 || strings.TrimPrefix(p.Errors[0].Field, "query.") != field {
			t.Errorf("the field %q is not named: %s %s", field, r.header.Get("Content-Type"), r.body)
		}
	}
}
