package server_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/demo"
)

// The whole HTTP surface, as scenario tables run in order against two real
// servers on one fresh demo district, on each database. The runner (in
// fixture_test.go) also checks every answer echoes X-Request-Id, every
// refused API request is problem+json carrying that id, and every refused
// request leaves the data as it was.

func TestPlumbing(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		sameSite := map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": f.nodes[0].URL}
		crossSite := map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"}
		admin := f.user(t, "admin")
		f.run(t, []scenario{
			{name: "health names the database", method: "GET", path: "/healthz", want: 200, check: func(t *testing.T, r *response) {
				h := decode[map[string]string](t, r)
				if h["status"] != "ok" || h["database"] != string(f.st.Dialect()) || h["time"] != start.Format(time.RFC3339) {
					t.Errorf("health %v", h)
				}
			}},
			{name: "unknown API path", method: "GET", path: "/api/v1/nope", want: 404,
				check: wantProblem("not_found", "/api/v1/nope")},
			{name: "unknown method on a known path", method: "DELETE", path: "/api/v1/items", user: "admin", want: 404,
				check: wantProblem("not_found", "DELETE")},
			{name: "cross-site POST refused", method: "POST", path: "/api/v1/login", header: crossSite,
				body: f.loginBody(t, "admin", admin.Password), want: 403, check: wantProblem("forbidden", "跨站")},
			{name: "cross-site page form refused", method: "POST", path: "/login", header: crossSite,
				body: url.Values{"username": {admin.Username}, "password": {admin.Password}}, want: 403},
			{name: "cross-site GET allowed", method: "GET", path: "/api/v1/items", header: crossSite, want: 200},
			{name: "same-origin POST passes", method: "POST", path: "/api/v1/login", header: sameSite,
				body: f.loginBody(t, "admin", admin.Password), want: 200},
			{name: "body over 1 MiB", method: "POST", path: "/api/v1/login",
				body: `{"username":"` + strings.Repeat("x", 1<<20) + `","password":"x"}`, want: 413,
				check: wantProblem("invalid", "过大")},
			{name: "OpenAPI document", method: "GET", path: "/api/v1/openapi.json", want: 200, check: func(t *testing.T, r *response) {
				doc := decode[struct{ Paths map[string]json.RawMessage }](t, r)
				for _, p := range []string{"/login", "/me", "/items", "/items/{code}", "/items/{code}/versions", "/calendar/{year}", "/calendar/days/{date}"} {
					if _, ok := doc.Paths[p]; !ok {
						t.Errorf("OpenAPI lacks path %s", p)
					}
				}
			}},
			{name: "docs page", method: "GET", path: "/api/v1/docs", want: 200, check: all(isHTML,
				contains("/api/v1/login", "/api/v1/items/{code}", "/api/v1/calendar/{year}", "/api/v1/openapi.json"))},
		})
	})
}

func TestAuthAPI(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		intake, issuance, reviewer := f.user(t, "intake"), f.user(t, "issuance"), f.user(t, "reviewer")
		badCredentials := wantProblem("unauthorized", "用户名或密码错误")
		wrong := f.loginBody(t, "issuance", issuance.Password+"x")
		newPassword := "hall2026window"
		f.run(t, []scenario{
			{name: "login", method: "POST", path: "/api/v1/login", body: f.loginBody(t, "intake", intake.Password), want: 200,
				check: func(t *testing.T, r *response) {
					out := decode[struct {
						Token     string
						ExpiresAt time.Time `json:"expires_at"`
						User      struct{ Username, Role string }
					}](t, r)
					if !strings.HasPrefix(out.Token, "ow_") || !out.ExpiresAt.Equal(start.Add(12*time.Hour)) ||
						out.User.Username != intake.Username || out.User.Role != "intake" {
						t.Errorf("login answer %+v", out)
					}
				}},
			{name: "username is case-blind", method: "POST", path: "/api/v1/login", want: 200,
				body: map[string]string{"username": strings.ToUpper(intake.Username), "password": intake.Password}},
			{name: "wrong password", method: "POST", path: "/api/v1/login", body: f.loginBody(t, "intake", "wrong-0000"), want: 401, check: badCredentials},
			{name: "unknown user, same answer", method: "POST", path: "/api/v1/login", want: 401, check: badCredentials,
				body: map[string]string{"username": "nobody", "password": intake.Password}},
			{name: "missing fields", method: "POST", path: "/api/v1/login", body: `{}`, want: 422,
				check: wantProblem("invalid", "", "username", "password")},
			{name: "missing password", method: "POST", path: "/api/v1/login", body: `{"username":"shouli"}`, want: 422,
				check: wantProblem("invalid", "", "password")},
			{name: "empty fields", method: "POST", path: "/api/v1/login", body: `{"username":"","password":""}`, want: 422,
				check: wantProblem("invalid", "", "username", "password")},
			{name: "empty body", method: "POST", path: "/api/v1/login", body: "", want: 400, check: wantProblem("invalid", "")},
			{name: "malformed JSON", method: "POST", path: "/api/v1/login", body: `{"username":`, want: 400, check: wantProblem("invalid", "")},
			{name: "not JSON", method: "POST", path: "/api/v1/login", body: "username=shouli", want: 415,
				header: map[string]string{"Content-Type": "text/plain"}, check: wantProblem("invalid", "JSON")},

			// Lockout: five failures within 15 minutes lock the name for 15.
			{name: "failure 1", method: "POST", path: "/api/v1/login", body: wrong, want: 401, check: badCredentials},
			{name: "failure 2", method: "POST", path: "/api/v1/login", body: wrong, want: 401},
			{name: "failure 3", method: "POST", path: "/api/v1/login", body: wrong, want: 401},
			{name: "failure 4", method: "POST", path: "/api/v1/login", body: wrong, want: 401},
			{name: "failure 5 locks", method: "POST", path: "/api/v1/login", body: wrong, want: 429,
				check: wantProblem("locked", "09:15")},
			{name: "locked: right password refused", method: "POST", path: "/api/v1/login", want: 429,
				body: f.loginBody(t, "issuance", issuance.Password), check: wantProblem("locked", "暂停登录")},
			{name: "16 minutes later: right password", method: "POST", path: "/api/v1/login", want: 200,
				before: func() { f.clk.Advance(16 * time.Minute) }, body: f.loginBody(t, "issuance", issuance.Password)},

			{name: "me", method: "GET", path: "/api/v1/me", user: "intake", want: 200,
				check: contains(`"username":"shouli"`, `"name":"张晓梅"`, `"role":"intake"`, `"hall":"JC-ZWZX"`)},
			{name: "me anonymous", method: "GET", path: "/api/v1/me", want: 401, check: wantProblem("unauthorized", "请先登录")},
			{name: "me garbage token", method: "GET", path: "/api/v1/me", want: 401,
				header: map[string]string{"Authorization": "Bearer ow_garbage"},
				check: all(wantProblem("unauthorized", ""), func(t *testing.T, r *response) {
					if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
						t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
					}
				})},
			{name: "me basic auth", method: "GET", path: "/api/v1/me", want: 401,
				header: map[string]string{"Authorization": "Basic x"}, check: wantProblem("unauthorized", "Bearer")},

			{name: "logout anonymous", method: "POST", path: "/api/v1/logout", want: 401},
			{name: "logout", method: "POST", path: "/api/v1/logout", user: "supervisor", want: 204},
			{name: "token dead after logout", method: "GET", path: "/api/v1/me", user: "supervisor", want: 401,
				check: wantProblem("unauthorized", "")},

			{name: "password: wrong old", method: "POST", path: "/api/v1/password", user: "reviewer", want: 422,
				body:  map[string]string{"old_password": "not-it-1", "new_password": newPassword},
				check: wantProblem("invalid", "原密码", "old_password")},
			{name: "password: weak new", method: "POST", path: "/api/v1/password", user: "reviewer", want: 422,
				body:  map[string]string{"old_password": reviewer.Password, "new_password": "12345678"},
				check: wantProblem("invalid", "", "new_password")},
			{name: "password: anonymous", method: "POST", path: "/api/v1/password", want: 401,
				body: map[string]string{"old_password": reviewer.Password, "new_password": newPassword}},
			{name: "password changed", method: "POST", path: "/api/v1/password", user: "reviewer", want: 204,
				body: map[string]string{"old_password": reviewer.Password, "new_password": newPassword}},
			{name: "old token dead after password change", method: "GET", path: "/api/v1/me", user: "reviewer", want: 401},
			{name: "old password refused", method: "POST", path: "/api/v1/login", body: f.loginBody(t, "reviewer", reviewer.Password), want: 401},
			{name: "new password works", method: "POST", path: "/api/v1/login", body: f.loginBody(t, "reviewer", newPassword), want: 200},
		})
	})
}

func TestCatalogAPI(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		renamed := "食品经营许可（新办·告知承诺）"
		rename := func(it *catalog.Item) { it.Name = renamed }
		same := func(*catalog.Item) {}
		f.run(t, []scenario{
			{name: "list", method: "GET", path: "/api/v1/items", want: 200, check: func(t *testing.T, r *response) {
				out := decode[struct {
					Items []map[string]json.RawMessage
					Total int
				}](t, r)
				if len(out.Items) < 15 || out.Total != len(out.Items) {
					t.Fatalf("%d items, total %d; want ≥ 15", len(out.Items), out.Total)
				}
				for _, it := range out.Items {
					wantKeys(t, it, "code", "name", "department", "kind", "statutory_days", "promised_days", "materials")
					var mats []map[string]json.RawMessage
					json.Unmarshal(it["materials"], &mats)
					if len(mats) == 0 {
						t.Errorf("item %s has no materials", it["code"])
					}
					for _, m := range mats {
						wantKeys(t, m, "code", "name", "required", "deferrable")
					}
				}
			}},
			{name: "instant items", method: "GET", path: "/api/v1/items?kind=instant", want: 200,
				check: everyItem(func(it catalog.Item) bool { return it.Kind == catalog.Instant })},
			{name: "one department", method: "GET", path: "/api/v1/items?department=SCJG", want: 200,
				check: everyItem(func(it catalog.Item) bool { return it.DepartmentCode == "SCJG" })},
			{name: "search", method: "GET", path: "/api/v1/items?q=" + url.QueryEscape("食品"), want: 200,
				check: all(everyItem(func(it catalog.Item) bool { return strings.Contains(it.Name, "食品") }), contains("SCJG-XK-001", "SCJG-XK-002"))},
			{name: "search by code, any case", method: "GET", path: "/api/v1/items?q=scjg-xk-00", want: 200,
				check: everyItem(func(it catalog.Item) bool { return strings.HasPrefix(it.Code, "SCJG-XK-00") })},
			{name: "bogus kind", method: "GET", path: "/api/v1/items?kind=bogus", want: 422, check: wantProblem("invalid", "", "query.kind")},
			{name: "departments", method: "GET", path: "/api/v1/departments", want: 200, check: contains("SCJG", "江川区市场监督管理局")},
			{name: "halls", method: "GET", path: "/api/v1/halls", want: 200, check: contains("JC-ZWZX", `"windows"`)},

			{name: "one item", method: "GET", path: "/api/v1/items/SCJG-XK-001", want: 200, check: wantItem(1, "食品经营许可（新办）")},
			{name: "unknown item", method: "GET", path: "/api/v1/items/NOPE-1", want: 404, check: wantProblem("not_found", "NOPE-1")},
			{name: "versions of unknown item", method: "GET", path: "/api/v1/items/NOPE-1/versions", want: 404, check: wantProblem("not_found", "NOPE-1")},

			{name: "edit as admin", method: "PUT", path: "/api/v1/items/SCJG-XK-001", user: "admin",
				body: edit("SCJG-XK-001", 1, rename), want: 200, check: wantItem(2, renamed)},
			{name: "stale edit", method: "PUT", path: "/api/v1/items/SCJG-XK-001", user: "admin",
				body: edit("SCJG-XK-001", 1, func(it *catalog.Item) { it.Name = "过时的修改" }), want: 409,
				check: wantProblem("conflict", "第 2 版")},
			{name: "current is version 2", method: "GET", path: "/api/v1/items/SCJG-XK-001", want: 200, check: wantItem(2, renamed)},
			{name: "version 1 kept", method: "GET", path: "/api/v1/items/SCJG-XK-001?version=1", want: 200, check: wantItem(1, "食品经营许可（新办）")},
			{name: "unknown version", method: "GET", path: "/api/v1/items/SCJG-XK-001?version=9", want: 404, check: wantProblem("not_found", "")},
			{name: "versions newest first", method: "GET", path: "/api/v1/items/SCJG-XK-001/versions", want: 200, check: func(t *testing.T, r *response) {
				vs := decode[struct{ Versions []catalog.Item }](t, r).Versions
				if len(vs) != 2 || vs[0].Version != 2 || vs[1].Version != 1 || vs[0].Name != renamed || vs[0].CreatedBy != "admin" {
					t.Errorf("versions %+v", vs)
				}
			}},
			{name: "edit as intake clerk", method: "PUT", path: "/api/v1/items/SCJG-XK-002", user: "intake",
				body: edit("SCJG-XK-002", 1, same), want: 403, check: wantProblem("forbidden", "")},
			{name: "edit anonymous", method: "PUT", path: "/api/v1/items/SCJG-XK-002",
				body: edit("SCJG-XK-002", 1, same), want: 401, check: wantProblem("unauthorized", "")},
			{name: "dept admin edits own department's item", method: "PUT", path: "/api/v1/items/SCJG-XK-002", user: "dept_admin",
				body: edit("SCJG-XK-002", 1, func(it *catalog.Item) { it.PromisedDays = 2 }), want: 200, check: wantItem(2, "食品经营许可（延续）")},
			{name: "dept admin edits another department's item", method: "PUT", path: "/api/v1/items/GHZY-XK-001", user: "dept_admin",
				body: edit("GHZY-XK-001", 1, same), want: 403, check: wantProblem("forbidden", "本部门")},
			{name: "dept admin takes over another department's item", method: "PUT", path: "/api/v1/items/GHZY-XK-001", user: "dept_admin",
				body: edit("GHZY-XK-001", 1, func(it *catalog.Item) { it.DepartmentCode = "SCJG" }), want: 403, check: wantProblem("forbidden", "本部门")},
			{name: "promised beyond statutory", method: "PUT", path: "/api/v1/items/SCJG-XK-001", user: "admin",
				body: edit("SCJG-XK-001", 2, func(it *catalog.Item) { it.PromisedDays = it.StatutoryDays + 1 }), want: 422,
				check: wantProblem("invalid", "承诺时限", "promised_days")},
			{name: "still version 2", method: "GET", path: "/api/v1/items/SCJG-XK-001", want: 200, check: wantItem(2, renamed)},
			{name: "edit unknown item", method: "PUT", path: "/api/v1/items/NOPE-1", user: "admin",
				body: edit("SCJG-XK-001", 1, same), want: 404, check: wantProblem("not_found", "NOPE-1")},
			{name: "edit without base version", method: "PUT", path: "/api/v1/items/SCJG-XK-001", user: "admin",
				body: edit("SCJG-XK-001", 0, same), want: 422, check: wantProblem("invalid", "", "base_version")},

			{name: "create", method: "POST", path: "/api/v1/items", user: "admin", body: newItem("SCJG-XK-099", "SCJG"), want: 201,
				check: all(wantItem(1, "小餐饮登记"), func(t *testing.T, r *response) {
					if r.header.Get("ETag") != `"1"` {
						t.Errorf("ETag %q", r.header.Get("ETag"))
					}
				})},
			{name: "created item listed", method: "GET", path: "/api/v1/items/SCJG-XK-099", want: 200, check: wantItem(1, "小餐饮登记")},
			{name: "create same code", method: "POST", path: "/api/v1/items", user: "admin", body: newItem("SCJG-XK-099", "SCJG"), want: 422,
				check: wantProblem("invalid", "SCJG-XK-099", "code")},
			{name: "create in unknown department", method: "POST", path: "/api/v1/items", user: "admin", body: newItem("NOPE-XK-001", "NOPE"), want: 422,
				check: wantProblem("invalid", "NOPE", "department")},
			{name: "dept admin creates for another department", method: "POST", path: "/api/v1/items", user: "dept_admin",
				body: newItem("GHZY-XK-099", "GHZY"), want: 403, check: wantProblem("forbidden", "")},
			{name: "create as reviewer", method: "POST", path: "/api/v1/items", user: "reviewer", body: newItem("SCJG-XK-098", "SCJG"), want: 403},
			{name: "create invalid", method: "POST", path: "/api/v1/items", user: "admin", want: 422,
				body: func() catalog.Item {
					it := newItem("SCJG-XK-097", "SCJG")
					it.Materials = nil
					it.Fees = ""
					return it
				}(),
				check: wantProblem("invalid", "", "materials", "fees")},
		})
	})
}

func TestCalendarAPI(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		off := map[string]any{"working": false, "name": "设备检修"}
		f.run(t, []scenario{
			{name: "2026", method: "GET", path: "/api/v1/calendar/2026", want: 200, check: wantYear(365, 248, map[string]wantDay{
				"2026-02-14": {true, "春节"}, // Saturday made a working day
				"2026-02-17": {false, "春节"},
				"2026-10-01": {false, "国庆"},
				"2026-10-10": {true, "国庆"},
				"2026-12-01": {true, ""},
			})},
			{name: "year out of range", method: "GET", path: "/api/v1/calendar/1999", want: 422, check: wantProblem("invalid", "", "path.year")},
			{name: "unknown hall", method: "GET", path: "/api/v1/calendar/2026?hall=NOPE", want: 422, check: wantProblem("invalid", "NOPE", "hall")},
			{name: "a hall's calendar", method: "GET", path: "/api/v1/calendar/2026?hall=" + demo.DistrictHall, want: 200,
				check: wantYear(365, 248, nil)},

			{name: "close a day as intake clerk", method: "PUT", path: "/api/v1/calendar/days/2026-12-01", user: "intake", body: off, want: 403,
				check: wantProblem("forbidden", "工作日历")},
			{name: "close a day anonymous", method: "PUT", path: "/api/v1/calendar/days/2026-12-01", body: off, want: 401},
			{name: "bad date", method: "PUT", path: "/api/v1/calendar/days/2026-13-01", user: "admin", body: off, want: 422,
				check: wantProblem("invalid", "", "date")},
			{name: "no reason", method: "PUT", path: "/api/v1/calendar/days/2026-12-01", user: "admin", want: 422,
				body: map[string]any{"working": false, "name": ""}, check: wantProblem("invalid", "", "name")},
			{name: "date out of range", method: "PUT", path: "/api/v1/calendar/days/1999-12-01", user: "admin", body: off, want: 422},
			{name: "unknown hall's day", method: "PUT", path: "/api/v1/calendar/days/2026-12-01", user: "admin", want: 422,
				body: map[string]any{"working": false, "name": "设备检修", "hall": "NOPE"}, check: wantProblem("invalid", "", "hall")},
			{name: "unchanged", method: "GET", path: "/api/v1/calendar/2026", want: 200, check: wantYear(365, 248, map[string]wantDay{"2026-12-01": {true, ""}})},

			{name: "close a day", method: "PUT", path: "/api/v1/calendar/days/2026-12-01", user: "admin", body: off, want: 204},
			{name: "closed", method: "GET", path: "/api/v1/calendar/2026", want: 200,
				check: wantYear(365, 247, map[string]wantDay{"2026-12-01": {false, "设备检修"}})},
			{name: "closed on the other node too", method: "GET", path: "/api/v1/calendar/2026", node: 1, want: 200,
				check: wantYear(365, 247, map[string]wantDay{"2026-12-01": {false, "设备检修"}})},
			{name: "reset as intake clerk", method: "DELETE", path: "/api/v1/calendar/days/2026-12-01", user: "intake", want: 403},
			{name: "reset", method: "DELETE", path: "/api/v1/calendar/days/2026-12-01", user: "admin", want: 204},
			{name: "open again", method: "GET", path: "/api/v1/calendar/2026", want: 200,
				check: wantYear(365, 248, map[string]wantDay{"2026-12-01": {true, ""}})},

			{name: "close a day in one hall", method: "PUT", path: "/api/v1/calendar/days/2026-12-02", user: "admin", want: 204,
				body: map[string]any{"working": false, "name": "设备检修", "hall": demo.BinheHall}},
			{name: "that hall is closed", method: "GET", path: "/api/v1/calendar/2026?hall=" + demo.BinheHall, want: 200,
				check: wantYear(365, 247, map[string]wantDay{"2026-12-02": {false, "设备检修"}})},
			{name: "the district is not", method: "GET", path: "/api/v1/calendar/2026", want: 200,
				check: wantYear(365, 248, map[string]wantDay{"2026-12-02": {true, ""}})},
		})
	})
}

func TestPages(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		intake := f.user(t, "intake")
		form := func(password string) url.Values {
			return url.Values{"username": {intake.Username}, "password": {password}}
		}
		signedIn := func(t *testing.T, r *response) {
			if f.cookies["clerk"] == nil {
				t.Error("no session cookie")
			}
		}
		f.run(t, []scenario{
			{name: "login page", method: "GET", path: "/login", want: 200, check: all(isHTML, contains("登录", `name="username"`))},
			{name: "home sends strangers to login", method: "GET", path: "/", want: 303, check: redirectsTo("/login")},
			{name: "bad password", method: "POST", path: "/login", browser: "clerk", body: form("wrong-0000"), want: 401,
				check: all(isHTML, contains("用户名或密码错误", `value="`+intake.Username+`"`))},
			{name: "empty form", method: "POST", path: "/login", browser: "clerk", body: url.Values{}, want: 422,
				check: contains("请输入用户名和密码")},
			{name: "sign in", method: "POST", path: "/login", browser: "clerk", body: form(intake.Password), want: 303,
				check: all(redirectsTo("/"), signedIn)},
			{name: "home", method: "GET", path: "/", browser: "clerk", want: 200, check: all(isHTML, contains(intake.Name, "退出"))},
			{name: "home on the second node", method: "GET", path: "/", browser: "clerk", node: 1, want: 200, check: contains(intake.Name)},
			{name: "login page when signed in", method: "GET", path: "/login", browser: "clerk", want: 303, check: redirectsTo("/")},
			{name: "API through the page session", method: "GET", path: "/api/v1/me", browser: "clerk", want: 200, check: contains(intake.Username)},
			{name: "password page", method: "GET", path: "/password", browser: "clerk", want: 200, check: contains("修改密码")},
			{name: "password page for strangers", method: "GET", path: "/password", want: 303, check: redirectsTo("/login")},
			{name: "handbook", method: "GET", path: "/items", want: 200, check: all(isHTML, contains("食品经营许可"))},
			{name: "handbook search", method: "GET", path: "/items?q=" + url.QueryEscape("劳务派遣"), want: 200,
				check: contains("劳务派遣经营许可")},
			{name: "handbook item", method: "GET", path: "/items/SCJG-XK-001", want: 200, check: contains("食品经营许可（新办）", "食品经营许可申请书")},
			{name: "unknown handbook item", method: "GET", path: "/items/NOPE-1", want: 404, check: all(isHTML, contains("NOPE-1"))},
			{name: "static file", method: "GET", path: "/static/app.css", want: 200},

			{name: "sign out on the second node", method: "POST", path: "/logout", browser: "clerk", node: 1, want: 303,
				before: func() { f.cookies["copy"] = f.cookies["clerk"] }, // what a thief might have kept
				check: all(redirectsTo("/login"), func(t *testing.T, r *response) {
					if f.cookies["clerk"] != nil {
						t.Error("session cookie not cleared")
					}
				})},
			{name: "home after sign-out", method: "GET", path: "/", browser: "clerk", want: 303, check: redirectsTo("/login")},
			{name: "the old cookie is dead on the first node", method: "GET", path: "/", browser: "copy", want: 303, check: redirectsTo("/login")},
			{name: "the old cookie is dead for the API", method: "GET", path: "/api/v1/me", browser: "copy", want: 401},
		})
	})
}

// edit returns the demo item code, changed, as an update made on version
// base.
func edit(code string, base int, change func(*catalog.Item)) any {
	for _, it := range demo.Load().Items {
		if it.Code == code {
			change(&it)
			return struct {
				BaseVersion int `json:"base_version,omitempty"`
				catalog.Item
			}{base, it}
		}
	}
	panic("no demo item " + code)
}

// newItem returns a valid new instant item of department.
func newItem(code, department string) catalog.Item {
	return catalog.Item{
		Code: code, Name: "小餐饮登记", Type: catalog.Licence, DepartmentCode: department, Kind: catalog.Instant,
		StatutoryDays: 5, Fees: "不收费", OnlineLevel: catalog.OnlineFull, ApplicantKinds: []catalog.ApplicantKind{catalog.NaturalPerson},
		Materials: []catalog.Material{{Code: "M01", Name: "小餐饮登记申请表", Required: true, Originals: 1, Paper: true}},
	}
}

// wantItem checks the answer is the item's version with name, and its ETag.
func wantItem(version int, name string) func(*testing.T, *response) {
	return func(t *testing.T, r *response) {
		t.Helper()
		it := decode[catalog.Item](t, r)
		if it.Version != version || it.Name != name || len(it.Materials) == 0 {
			t.Errorf("item %s version %d %q with %d materials; want version %d %q", it.Code, it.Version, it.Name, len(it.Materials), version, name)
		}
		if want := strconv.Quote(strconv.Itoa(version)); r.header.Get("ETag") != want {
			t.Errorf("ETag %q, want %q", r.header.Get("ETag"), want)
		}
	}
}

// everyItem checks a listing is not empty and every item in it satisfies ok.
func everyItem(ok func(catalog.Item) bool) func(*testing.T, *response) {
	return func(t *testing.T, r *response) {
		t.Helper()
		items := decode[struct{ Items []catalog.Item }](t, r).Items
		if len(items) == 0 {
			t.Fatal("no items")
		}
		for _, it := range items {
			if !ok(it) {
				t.Errorf("item %s %s (%s, %s) does not belong", it.Code, it.Name, it.DepartmentCode, it.Kind)
			}
		}
	}
}

func wantKeys(t *testing.T, m map[string]json.RawMessage, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s lacks %q", m["code"], k)
		}
	}
}

// wantDay is what a calendar must say of a date: working or not, and a
// name containing the given text ("" for none).
type wantDay struct {
	working bool
	name    string
}

// wantYear checks a year's calendar: its length, its working days, and
// the given dates.
func wantYear(days, working int, dates map[string]wantDay) func(*testing.T, *response) {
	return func(t *testing.T, r *response) {
		t.Helper()
		y := decode[struct {
			WorkingDays int `json:"working_days"`
			Days        []calendar.DayInfo
		}](t, r)
		if len(y.Days) != days || y.WorkingDays != working {
			t.Errorf("%d days, %d working; want %d, %d", len(y.Days), y.WorkingDays, days, working)
		}
		for date, want := range dates {
			i := slices.IndexFunc(y.Days, func(d calendar.DayInfo) bool { return d.Date.String() == date })
			if i < 0 {
				t.Errorf("no %s", date)
				continue
			}
			d := y.Days[i]
			if d.Working != want.working || (want.name == "") != (d.Name == "") || !strings.Contains(d.Name, want.name) {
				t.Errorf("%s: working %v %q; want %v %q", date, d.Working, d.Name, want.working, want.name)
			}
		}
	}
}

func isHTML(t *testing.T, r *response) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q, want HTML", ct)
	}
}
