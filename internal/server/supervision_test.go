package server_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// The supervision API over HTTP: who may read and change what, bad input
// refused with the field named and nothing changed, every operation in the
// OpenAPI document.
func TestSupervisionAPI(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		const period = "from=2026-09-01&to=2026-10-31"
		weights := func(onTime int) map[string]any {
			return map[string]any{
				"weights":    map[string]int{"on_time": onTime, "satisfaction": 25, "rectification": 15, "efficiency": 15, "coordination": 15},
				"thresholds": map[string]int{"yellow_red_cases": 3, "red_red_cases": 10, "yellow_unanswered": 1, "red_unanswered": 3},
				"reply_days": 3, "hours": map[string]int{"start_hour": 9, "end_hour": 17},
			}
		}
		f.run(t, []scenario{
			{name: "supervisor reads punctuality", method: "GET", path: "/api/v1/supervision/punctuality?" + period, user: "supervisor", want: 200,
				check: func(t *testing.T, r *response) {
					var body struct {
						Rows   []any                  `json:"rows"`
						Period struct{ Group string } `json:"period"`
					}
					if err := json.Unmarshal(r.body, &body); err != nil || body.Rows == nil || body.Period.Group != "department" {
						t.Errorf("body %s: %v", r.body, err)
					}
				}},
			{name: "each figure", method: "GET", path: "/api/v1/supervision/efficiency?" + period + "&group=month", user: "supervisor", want: 200},
			{name: "holding", method: "GET", path: "/api/v1/supervision/holding?" + period + "&group=hall", user: "admin", want: 200},
			{name: "assessment", method: "GET", path: "/api/v1/supervision/assessment?" + period, user: "dept_admin", want: 200},
			{name: "drill-down", method: "GET", path: "/api/v1/supervision/steps?" + period + "&key=SCJG&status=overdue", user: "supervisor", want: 200},
			{name: "cards", method: "GET", path: "/api/v1/supervision/cards?month=2026-10", user: "supervisor", want: 200},
			{name: "hall manager reads their hall", method: "GET", path: "/api/v1/supervision/assessment?" + period + "&hall=JC-ZWZX", user: "hall_manager", want: 200},
			{name: "hall manager, another hall", method: "GET", path: "/api/v1/supervision/punctuality?" + period + "&hall=JC-BHJD", user: "hall_manager", want: 403},
			{name: "hall manager, another hall's row", method: "GET", path: "/api/v1/supervision/steps?" + period + "&group=hall&key=JC-BHJD", user: "hall_manager", want: 403},
			{name: "hall manager, another hall's holding", method: "GET", path: "/api/v1/supervision/holding/cases?" + period + "&group=hall&key=JC-BHJD", user: "hall_manager", want: 403},
			{name: "hall manager, by item", method: "GET", path: "/api/v1/supervision/punctuality?" + period + "&group=item", user: "hall_manager", want: 422},
			{name: "hall manager, cards", method: "GET", path: "/api/v1/supervision/cards?month=2026-10", user: "hall_manager", want: 403},
			{name: "hall manager, notices", method: "GET", path: "/api/v1/supervision/notices", user: "hall_manager", want: 403},
			{name: "supervisor, one hall", method: "GET", path: "/api/v1/supervision/efficiency?" + period + "&hall=JC-BHJD&group=month", user: "supervisor", want: 200},
			{name: "reviewer may not", method: "GET", path: "/api/v1/supervision/punctuality?" + period, user: "reviewer", want: 403},
			{name: "anonymous", method: "GET", path: "/api/v1/supervision/punctuality?" + period, want: 401},
			{name: "no period", method: "GET", path: "/api/v1/supervision/punctuality", user: "supervisor", want: 422},
			{name: "unknown grouping", method: "GET", path: "/api/v1/supervision/punctuality?" + period + "&group=window", user: "supervisor", want: 422},
			{name: "to before from", method: "GET", path: "/api/v1/supervision/punctuality?from=2026-10-31&to=2026-10-01", user: "supervisor", want: 422},
			{name: "holding by person", method: "GET", path: "/api/v1/supervision/holding?" + period + "&group=user", user: "supervisor", want: 422},
			{name: "hand notice on an unknown case", method: "POST", path: "/api/v1/supervision/notices", user: "supervisor",
				body: map[string]string{"number": "20260930999999", "reason": "督办"}, want: 404},
			{name: "a reviewer opens no notice", method: "POST", path: "/api/v1/supervision/notices", user: "reviewer",
				body: map[string]string{"number": "20260930999999", "reason": "督办"}, want: 403},
			{name: "reply to an unknown notice", method: "POST", path: "/api/v1/supervision/notices/99/reply", user: "dept_admin",
				body: map[string]string{"explanation": "说明", "measures": "措施"}, want: 404},
			{name: "notices", method: "GET", path: "/api/v1/supervision/notices?status=overdue", user: "dept_admin", want: 200},
			{name: "weights not summing to 100", method: "PUT", path: "/api/v1/supervision/settings", user: "admin", body: weights(31), want: 422,
				check: func(t *testing.T, r *response) {
					if !strings.Contains(string(r.body), "weights") {
						t.Errorf("the field is not named: %s", r.body)
					}
				}},
			{name: "a supervisor sets nothing", method: "PUT", path: "/api/v1/supervision/settings", user: "supervisor", body: weights(30), want: 403},
			{name: "the admin sets the weights", method: "PUT", path: "/api/v1/supervision/settings", user: "admin", body: weights(30), want: 200},
			{name: "read back", method: "GET", path: "/api/v1/supervision/settings", user: "supervisor", want: 200,
				check: func(t *testing.T, r *response) {
					if !strings.Contains(string(r.body), `"reply_days":3`) {
						t.Errorf("settings %s", r.body)
					}
				}},
			{name: "OpenAPI", method: "GET", path: "/api/v1/openapi.json", want: 200, check: func(t *testing.T, r *response) {
				for _, p := range []string{"/supervision/punctuality", "/supervision/holding", "/supervision/efficiency", "/supervision/assessment",
					"/supervision/steps", "/supervision/notices", "/supervision/notices/{id}/reply", "/supervision/settings", "/supervision/cards"} {
					if !strings.Contains(string(r.body), `"`+p+`"`) {
						t.Errorf("OpenAPI lacks %s", p)
					}
				}
			}},
		})
	})
}

// Every number of the figures links to its cases: following the link gives
// as many cases as the number says.
func TestSupervisionDrillDownLinks(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		materials := []map[string]string{}
		for _, c := range []string{"M01", "M02", "M03", "M04", "M05"} {
			materials = append(materials, map[string]string{"code": c, "status": "provided"})
		}
		intake := map[string]any{"item_code": "SCJG-XK-001", "channel": "window", "materials": materials,
			"applicant": map[string]string{"kind": "entity", "name": "江川区味来餐饮管理有限公司", "id_type": "credit_code",
				"id_number": "91350100M000100Y43", "phone": "13912345678"}}
		for range 2 {
			if r := f.do(t, scenario{method: "POST", path: "/api/v1/cases", user: "intake", body: intake}, "intake"); r.status != 201 {
				t.Fatalf("intake: %d %s", r.status, r.body)
			}
		}
		// Both acceptances (due Fri 10-09 across 国庆) and papers (due 15:00)
		// are overdue on Monday 10-12.
		f.clk.Set(start.AddDate(0, 0, 12))
		r := f.do(t, scenario{method: "GET", path: "/api/v1/supervision/punctuality?from=2026-09-01&to=2026-10-31", user: "supervisor"}, "figures")
		var body struct {
			Rows []struct {
				Key   string `json:"key"`
				Steps []struct {
					Step    string `json:"step"`
					Overdue int    `json:"overdue"`
					Cases   string `json:"cases"`
				} `json:"steps"`
			} `json:"rows"`
		}
		if err := json.Unmarshal(r.body, &body); err != nil || len(body.Rows) != 1 {
			t.Fatalf("figures %s: %v", r.body, err)
		}
		checked := 0
		for _, s := range body.Rows[0].Steps {
			if s.Overdue == 0 {
				continue
			}
			l := f.do(t, scenario{method: "GET", path: s.Cases + "&status=overdue", user: "supervisor"}, "drill")
			var list struct {
				Total int `json:"total"`
			}
			if err := json.Unmarshal(l.body, &list); err != nil || l.status != 200 || list.Total != s.Overdue {
				t.Errorf("%s: %d overdue, its link %s lists %d (%d %s)", s.Step, s.Overdue, s.Cases, list.Total, l.status, l.body)
			}
			checked++
		}
		if checked != 2 {
			t.Errorf("overdue figures followed: %d, want accept and handover", checked)
		}
	})
}
