package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/demo"
)

// itemForm is the catalog editor's form for the demo item code, with its
// department set to department: what a department admin would post.
func itemForm(code, department string) url.Values {
	var it catalog.Item
	for _, x := range demo.Load().Items {
		if x.Code == code {
			it = x
		}
	}
	f := url.Values{
		"name": {it.Name}, "type": {string(it.Type)}, "department": {department}, "kind": {string(it.Kind)},
		"statutory_days": {strconv.Itoa(it.StatutoryDays)}, "promised_days": {strconv.Itoa(it.PromisedDays)},
		"deferral_days": {strconv.Itoa(it.DeferralDays)}, "legal_basis": {it.LegalBasis}, "conditions": {it.Conditions},
		"fees": {it.Fees}, "online_level": {string(it.OnlineLevel)}, "base_version": {"1"},
	}
	for _, k := range it.ApplicantKinds {
		f.Add("applicant_kinds", string(k))
	}
	for i, m := range it.Materials {
		p := "materials[" + strconv.Itoa(i) + "]."
		f.Set(p+"code", m.Code)
		f.Set(p+"name", m.Name)
		f.Set(p+"originals", strconv.Itoa(m.Originals))
		f.Set(p+"copies", strconv.Itoa(m.Copies))
		for flag, on := range map[string]bool{"required": m.Required, "paper": m.Paper, "electronic": m.Electronic, "deferrable": m.Deferrable} {
			if on {
				f.Set(p+flag, "on")
			}
		}
	}
	return f
}

// itemOwner checks, after the scenario, that the demo item code is still
// at version 1 of department: nothing was saved under another one.
func itemOwner(f *fixture, code, department string) func(*testing.T, *response) {
	return func(t *testing.T, _ *response) {
		t.Helper()
		var owner string
		var version int
		err := f.st.DB().QueryRow(`SELECT d.code, i.version FROM items i JOIN departments d ON d.id = i.department_id
			WHERE i.code = $1 AND i.is_current`, code).Scan(&owner, &version)
		if err != nil {
			t.Fatal(err)
		}
		if owner != department || version != 1 {
			t.Errorf("item %s is version %d of %s; want version 1 of %s", code, version, owner, department)
		}
	}
}

// A department admin cannot take another department's item over by a
// code with surrounding whitespace or control characters, through the API
// or the catalog editor's page (issue 10, defect 1): the code is refused
// at the edge, naming the field, and nothing is saved.
func TestIdentifierTakeover(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		admin := f.user(t, "dept_admin") // of SCJG
		own := func(it *catalog.Item) { it.DepartmentCode = "SCJG" }
		f.run(t, []scenario{
			{name: "leading space", method: "PUT", path: "/api/v1/items/%20CGJ-XK-001", user: "dept_admin",
				body: edit("CGJ-XK-001", 1, own), want: 422,
				check: all(wantProblem("invalid", "", "path.code"), itemOwner(f, "CGJ-XK-001", "CGJ"))},
			{name: "trailing tab", method: "PUT", path: "/api/v1/items/CGJ-XK-001%09", user: "dept_admin",
				body: edit("CGJ-XK-001", 1, own), want: 422,
				check: all(wantProblem("invalid", "", "path.code"), itemOwner(f, "CGJ-XK-001", "CGJ"))},
			{name: "trailing space", method: "PUT", path: "/api/v1/items/CGJ-XK-001%20", user: "dept_admin",
				body: edit("CGJ-XK-001", 1, own), want: 422,
				check: all(wantProblem("invalid", "", "path.code"), itemOwner(f, "CGJ-XK-001", "CGJ"))},
			{name: "ideographic space", method: "PUT", path: "/api/v1/items/" + url.PathEscape("CGJ-XK-001\u3000"), user: "dept_admin",
				body: edit("CGJ-XK-001", 1, own), want: 422,
				check: all(wantProblem("invalid", "", "path.code"), itemOwner(f, "CGJ-XK-001", "CGJ"))},
			{name: "code in the body with spaces", method: "POST", path: "/api/v1/items", user: "dept_admin",
				body: func() catalog.Item { it := newItem(" CGJ-XK-001", "SCJG"); return it }(), want: 422,
				check: all(wantProblem("invalid", "", "code"), itemOwner(f, "CGJ-XK-001", "CGJ"))},
			{name: "the item is still another department's", method: "PUT", path: "/api/v1/items/CGJ-XK-001", user: "dept_admin",
				body: edit("CGJ-XK-001", 1, own), want: 403, check: itemOwner(f, "CGJ-XK-001", "CGJ")},

			{name: "page sign-in", method: "POST", path: "/login", browser: "deptadmin",
				body: url.Values{"username": {admin.Username}, "password": {admin.Password}}, want: 303},
			{name: "page form, leading space", method: "POST", path: "/admin/items/%20GHZY-XK-002", browser: "deptadmin",
				body: itemForm("GHZY-XK-002", "SCJG"), want: 422,
				check: all(isHTML, contains("空白"), itemOwner(f, "GHZY-XK-002", "GHZY"))},
			{name: "page form, trailing tab", method: "POST", path: "/admin/items/GHZY-XK-002%09", browser: "deptadmin",
				body: itemForm("GHZY-XK-002", "SCJG"), want: 422,
				check: all(isHTML, itemOwner(f, "GHZY-XK-002", "GHZY"))},
			{name: "page form, the item itself", method: "POST", path: "/admin/items/GHZY-XK-002", browser: "deptadmin",
				body: itemForm("GHZY-XK-002", "SCJG"), want: 403, check: itemOwner(f, "GHZY-XK-002", "GHZY")},
		})
	})
}

// withoutNUL is a problem check that also makes sure the answer is JSON
// that names a field and says what is wrong in Chinese.
func refusedField(field string) func(*testing.T, *response) {
	return func(t *testing.T, r *response) {
		t.Helper()
		wantProblem("invalid", "", field)(t, r)
		p := r.problem(t)
		for _, e := range p.Errors {
			if e.Field == field && !strings.ContainsAny(e.Message, "控制字符编码方向空白") {
				t.Errorf("message %q does not say what is wrong", e.Message)
			}
		}
	}
}

// A NUL byte, another control character, a bidi override or invalid
// UTF-8 in any text input is refused with 422 naming the field, the same
// on both databases (issue 10, defect 3).
func TestTextHygiene(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		intake := f.user(t, "intake")
		applicant := func(name string) map[string]any {
			var in map[string]any
			b, _ := json.Marshal(foodLicence())
			json.Unmarshal(b, &in)
			in["applicant"].(map[string]any)["name"] = name
			return in
		}
		f.run(t, []scenario{
			{name: "NUL in a query", method: "GET", path: "/api/v1/items?q=a%00b", want: 422, check: refusedField("query.q")},
			{name: "NUL alone in a query", method: "GET", path: "/api/v1/cases?q=%00", user: "intake", want: 422, check: refusedField("query.q")},
			{name: "invalid UTF-8 in a query", method: "GET", path: "/api/v1/items?q=%FF%FE", want: 422, check: refusedField("query.q")},
			{name: "bidi override in a query", method: "GET", path: "/api/v1/items?q=" + url.QueryEscape("食品\u202e"), want: 422, check: refusedField("query.q")},
			{name: "NUL in a path", method: "GET", path: "/api/v1/items/SCJG%00", want: 422, check: refusedField("path.code")},
			{name: "NUL in a JSON sign-in", method: "POST", path: "/api/v1/login", body: `{"username":"adm\u0000in","password":"x"}`, want: 422,
				check: refusedField("username")},
			{name: "NUL in an applicant's name", method: "POST", path: "/api/v1/cases", user: "intake",
				body: applicant("张\u0000三"), want: 422, check: refusedField("applicant.name")},
			{name: "bidi isolate in an applicant's name", method: "POST", path: "/api/v1/cases", user: "intake",
				body: applicant("张三\u2066"), want: 422, check: refusedField("applicant.name")},
			{name: "a newline in an applicant's name", method: "POST", path: "/api/v1/cases", user: "intake",
				body: applicant("张三\n李四"), want: 422, check: refusedField("applicant.name")},
			{name: "invalid UTF-8 in a JSON string", method: "POST", path: "/api/v1/cases", user: "intake",
				body: strings.Replace(mustJSON(t, applicant("张三")), "张三", "张\xff三", 1), want: 422, check: refusedField("applicant.name")},
			{name: "NUL in an array's element", method: "POST", path: "/api/v1/cases", user: "intake",
				body: func() map[string]any {
					in := applicant("张三")
					in["materials"].([]any)[1].(map[string]any)["code"] = "M0\u00002"
					return in
				}(), want: 422, check: refusedField("materials[1].code")},
			{name: "a tab in a query", method: "GET", path: "/api/v1/items?q=" + url.QueryEscape("a\tb"), want: 422,
				check: refusedField("query.q")},

			{name: "NUL in the progress number", method: "GET", path: "/progress?number=2026%00", want: 422, check: all(isHTML, contains("控制字符"))},
			{name: "NUL in the progress number with a code", method: "GET", path: "/progress?number=2026%00&code=123456", want: 422, check: isHTML},
			{name: "NUL in a sign-in form", method: "POST", path: "/login", browser: "x",
				body: url.Values{"username": {"adm\x00in"}, "password": {"whatever1"}}, want: 422, check: all(isHTML, contains("控制字符"))},
			{name: "NUL in the online hall's sign-in", method: "POST", path: "/my/login", browser: "y",
				body: url.Values{"phone": {"1380013\x008000"}, "password": {"whatever1"}}, want: 422, check: isHTML},
			{name: "invalid UTF-8 in a form", method: "POST", path: "/login", browser: "x",
				body: "username=" + "%FF" + "&password=x", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
				want: 422, check: isHTML},
			{name: "a clean sign-in still works", method: "POST", path: "/login", browser: "z",
				body: url.Values{"username": {intake.Username}, "password": {intake.Password}}, want: 303},
		})
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var _ = http.StatusOK
