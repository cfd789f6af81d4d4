package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
)

// requiredMaterials returns every required material of a demo item as
// provided.
func requiredMaterials(t *testing.T, code string) []casework.MaterialInput {
	t.Helper()
	for _, it := range demo.Load().Items {
		if it.Code != code {
			continue
		}
		var out []casework.MaterialInput
		for _, m := range it.Materials {
			if m.Required {
				out = append(out, casework.MaterialInput{Code: m.Code, Status: casework.Provided})
			}
		}
		return out
	}
	t.Fatalf("no demo item %s", code)
	return nil
}

// restaurantBundle is the one-form intake of the demo's 开办餐饮店 bundle.
func restaurantBundle(t *testing.T) map[string]any {
	var members []map[string]any
	for _, code := range []string{"SCJG-DJ-001", "SCJG-XK-001", "WSJK-XK-001", "CGJ-XK-002"} {
		members = append(members, map[string]any{"item_code": code, "materials": requiredMaterials(t, code)})
	}
	return map[string]any{
		"template": "YJS-CY",
		"applicant": casework.Party{Kind: casework.Entity, Name: "江川区味来餐饮管理有限公司", IDType: identity.CreditCode,
			IDNumber: companyCode, Phone: "13912345678"},
		"form":    map[string]string{"shop_name": "味来小馆", "shop_address": "江川区滨河路20号", "area": "120", "contact": "李明"},
		"members": members,
	}
}

type bundleBody struct {
	Number         string
	State          string
	StateLabel     string `json:"state_label"`
	LeadDepartment string `json:"lead_department"`
	DueBy          string `json:"due_by"`
	Applicant      struct {
		IDNumber string `json:"id_number"`
	}
	Cases []caseBody
}

// TestBundlesThroughTheAPI takes in a joint application on one form and
// follows it: the ordered members wait for their prerequisite, the lead
// department sees the whole bundle, a department without a member sees
// none of it, and a refused member leaves nothing behind.
func TestBundlesThroughTheAPI(t *testing.T) {
	eachDesk(t, "2026-11-23T09:30:00+08:00", func(t *testing.T, d *caseDesk) {
		r := d.get(t, "", "/api/v1/bundle-templates")
		mustStatus(t, r, http.StatusOK)
		if !strings.Contains(string(r.body), "YJS-CY") {
			t.Fatalf("templates: %s", r.body)
		}

		// A member with a material missing: nothing is taken in.
		bad := restaurantBundle(t)
		members := bad["members"].([]map[string]any)
		members[1]["materials"] = requiredMaterials(t, "SCJG-XK-001")[1:]
		r = d.post(t, "shouli", "/api/v1/bundles", bad)
		p := wantRefusal(t, r, http.StatusUnprocessableEntity, "invalid")
		if !strings.Contains(p.Detail+string(r.body), "SCJG-XK-001") {
			t.Errorf("refusal does not name the member: %s", r.body)
		}
		if got := d.list(t, "admin", "?q=江川区味来"); len(got) != 0 {
			t.Fatalf("a refused bundle left %d cases", len(got))
		}

		r = d.post(t, "shenpi", "/api/v1/bundles", restaurantBundle(t))
		wantRefusal(t, r, http.StatusForbidden, "forbidden")

		r = d.post(t, "shouli", "/api/v1/bundles", restaurantBundle(t))
		mustStatus(t, r, http.StatusCreated)
		b := decodeAs[bundleBody](t, r)
		if !strings.HasPrefix(b.Number, "YJS20261123") || b.State != "open" || b.LeadDepartment != "SCJG" || len(b.Cases) != 4 {
			t.Fatalf("bundle = %+v", b)
		}
		if b.Applicant.IDNumber == companyCode || b.DueBy != "2026-12-07T17:00:00+08:00" {
			t.Errorf("applicant id %q (must be masked), due_by %s (10 working days)", b.Applicant.IDNumber, b.DueBy)
		}
		food, dj := b.Cases[1], b.Cases[0]
		if food.Deadlines["accept_by"] != "" || dj.Deadlines["accept_by"] == "" {
			t.Errorf("accept_by: waiting member %q, first member %q", food.Deadlines["accept_by"], dj.Deadlines["accept_by"])
		}
		r = d.act(t, "shenpi", food.Number, casework.ActAccept, nil)
		p = wantRefusal(t, r, http.StatusConflict, "conflict")
		if !strings.Contains(p.Detail, "SCJG-DJ-001") {
			t.Errorf("the refusal does not name the prerequisite: %s", p.Detail)
		}

		// The lead department sees all four; GHZY, with no member, none.
		r = d.get(t, "shenpi", "/api/v1/bundles/"+b.Number)
		mustStatus(t, r, http.StatusOK)
		if got := decodeAs[bundleBody](t, r); len(got.Cases) != 4 {
			t.Errorf("lead department sees %d members", len(got.Cases))
		}
		wantRefusal(t, d.get(t, "shenpi2", "/api/v1/bundles/"+b.Number), http.StatusForbidden, "forbidden")
		r = d.get(t, "shenpi", "/api/v1/bundles?state=open")
		mustStatus(t, r, http.StatusOK)
		if !strings.Contains(string(r.body), b.Number) {
			t.Errorf("SCJG's open bundles do not list %s", b.Number)
		}

		// The registration decided: the food licence opens for acceptance.
		d.mustAct(t, "shenpi", dj.Number, casework.ActHandover, nil)
		d.mustAct(t, "shenpi", dj.Number, casework.ActAccept, nil)
		d.mustAct(t, "shenpi", dj.Number, casework.ActDecide, nil)
		food = d.caseOf(t, "shenpi", food.Number)
		if food.Deadlines["accept_by"] == "" || food.Events[len(food.Events)-1].Type != "open" {
			t.Fatalf("after the prerequisite's decision: accept_by %q, last event %q", food.Deadlines["accept_by"], food.Events[len(food.Events)-1].Type)
		}
		d.mustAct(t, "shenpi", food.Number, casework.ActAccept, nil)
	})
}

// TestBundleTemplatesThroughTheAPI: the bureau admin defines a joint
// application; a cycle, an unknown item or a lead department without a
// member is refused and nothing is saved; nobody else may define one.
func TestBundleTemplatesThroughTheAPI(t *testing.T) {
	eachDesk(t, "2026-11-23T09:30:00+08:00", func(t *testing.T, d *caseDesk) {
		tpl := map[string]any{
			"code": "YJS-JZ", "name": "建筑垃圾处置和道路占用“一件事”", "lead_department": "CGJ", "promised_days": 5,
			"fields": []map[string]any{{"key": "site", "label": "工地地址", "required": true}},
			"members": []map[string]any{
				{"item_code": "CGJ-XK-001"},
				{"item_code": "CGJ-XK-003", "after": []string{"CGJ-XK-001"}},
			},
		}
		wantRefusal(t, d.send2(t, "PUT", "shenpi", "/api/v1/bundle-templates/YJS-JZ", tpl), http.StatusForbidden, "forbidden")
		for name, change := range map[string]func(m map[string]any){
			"a cycle": func(m map[string]any) {
				m["members"] = []map[string]any{{"item_code": "CGJ-XK-001", "after": []string{"CGJ-XK-003"}}, {"item_code": "CGJ-XK-003", "after": []string{"CGJ-XK-001"}}}
			},
			"an unknown item": func(m map[string]any) {
				m["members"] = []map[string]any{{"item_code": "CGJ-XK-001"}, {"item_code": "CGJ-XK-999"}}
			},
			"a lead without a member": func(m map[string]any) { m["lead_department"] = "WSJK" },
		} {
			bad := map[string]any{}
			for k, v := range tpl {
				bad[k] = v
			}
			change(bad)
			r := d.send2(t, "PUT", "admin", "/api/v1/bundle-templates/YJS-JZ", bad)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d %s", name, r.status, r.body)
			}
		}
		mustStatus(t, d.get(t, "", "/api/v1/bundle-templates/YJS-JZ"), http.StatusNotFound)
		r := d.send2(t, "PUT", "admin", "/api/v1/bundle-templates/YJS-JZ", tpl)
		mustStatus(t, r, http.StatusOK)
		r = d.get(t, "", "/api/v1/bundle-templates/YJS-JZ")
		mustStatus(t, r, http.StatusOK)
		if !strings.Contains(string(r.body), `"after":["CGJ-XK-001"]`) {
			t.Errorf("saved template: %s", r.body)
		}
	})
}

// send2 sends a request and fails the test on a transport error.
func (d *caseDesk) send2(t *testing.T, method, user, path string, body any) *reply {
	t.Helper()
	r, err := d.send(method, user, path, body)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
