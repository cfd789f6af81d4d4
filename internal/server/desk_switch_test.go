package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDeskSwitcher: the street centre's clerk holding intake and issuance
// signs in at the intake desk, switches to the issuance desk in the top
// bar and back; the menu and 我的待办 follow the desk; a role not held is
// refused; a new sign-in starts at the primary desk again.
func TestDeskSwitcher(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		c := f.user(t, "intake,issuance")
		n := 0
		switchTo := func(role string) url.Values {
			n++
			return url.Values{"role": {role}, "form_token": {fmt.Sprintf("%032x", n)}}
		}
		lacks := func(texts ...string) func(*testing.T, *response) {
			return func(t *testing.T, r *response) {
				for _, s := range texts {
					if strings.Contains(string(r.body), s) {
						t.Errorf("the page shows %q", s)
					}
				}
			}
		}
		login := scenario{name: "sign in", method: "POST", path: "/login", browser: "two",
			body: url.Values{"username": {c.Username}, "password": {c.Password}}, want: http.StatusSeeOther}
		atIntake := scenario{name: "at the intake desk", method: "GET", path: "/", browser: "two", want: http.StatusOK,
			check: all(contains(c.Name+"（综合受理）", "切换到：发证窗口", `href="/intake"`), lacks("切换到：受理窗口", `href="/issuance"`))}
		f.run(t, []scenario{
			login, atIntake,
			{name: "switch to issuance", method: "POST", path: "/desk", browser: "two", body: switchTo("issuance"),
				want: http.StatusSeeOther, check: redirectsTo("/")},
			{name: "at the issuance desk, on the other node", method: "GET", path: "/", browser: "two", node: 1, want: http.StatusOK,
				check: all(contains(c.Name+"（综合出件）", "已切换到发证窗口", "切换到：受理窗口", `href="/issuance"`), lacks("切换到：发证窗口", `href="/intake"`))},
			{name: "the intake page is not this desk's", method: "GET", path: "/intake", browser: "two", want: http.StatusForbidden,
				check: contains("请先在页面顶部切换到「综合受理」")},
			{name: "the issuance desk's page", method: "GET", path: "/issuance", browser: "two", want: http.StatusOK},
			{name: "a role not held", method: "POST", path: "/desk", browser: "two", body: switchTo("reviewer"),
				want: http.StatusForbidden, check: contains("没有「部门审批」岗位")},
			{name: "still at the issuance desk", method: "GET", path: "/", browser: "two", want: http.StatusOK, check: contains(c.Name + "（综合出件）")},
			{name: "back to intake", method: "POST", path: "/desk", browser: "two", body: switchTo("intake"), want: http.StatusSeeOther},
			atIntake,
			{name: "switch again", method: "POST", path: "/desk", browser: "two", body: switchTo("issuance"), want: http.StatusSeeOther},
			login, atIntake, // a sign-in starts at the primary desk
		})
		// A one-role clerk has no switcher and may not switch.
		one := f.user(t, "issuance")
		f.run(t, []scenario{
			{name: "one-role sign in", method: "POST", path: "/login", browser: "one",
				body: url.Values{"username": {one.Username}, "password": {one.Password}}, want: http.StatusSeeOther},
			{name: "no switcher", method: "GET", path: "/", browser: "one", want: http.StatusOK, check: lacks("切换到")},
			{name: "no switch", method: "POST", path: "/desk", browser: "one", body: switchTo("intake"), want: http.StatusForbidden},
		})
	})
}

// TestRoleHeader: an API request of a two-desk clerk acts in its primary
// role, or in the role its X-Role header names; the case it takes in
// records that role; a role the account does not hold is refused with 403
// and changes nothing.
func TestRoleHeader(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		two := "intake,issuance"
		asRole := func(r string) map[string]string { return map[string]string{"X-Role": r} }
		var number string
		f.run(t, []scenario{
			{name: "me, primary", method: "GET", path: "/api/v1/me", user: two, want: http.StatusOK,
				check: contains(`"role":"intake"`, `"roles":["intake","issuance"]`)},
			{name: "me, as issuance", method: "GET", path: "/api/v1/me", user: two, header: asRole("issuance"), want: http.StatusOK,
				check: contains(`"role":"issuance"`, `"role_label":"综合出件"`)},
			{name: "a role not held", method: "GET", path: "/api/v1/me", user: two, header: asRole("reviewer"), want: http.StatusForbidden,
				check: contains("没有「部门审批」岗位")},
			{name: "an unknown role", method: "GET", path: "/api/v1/me", user: two, header: asRole("boss"), want: http.StatusUnprocessableEntity},
			{name: "a one-role clerk naming another", method: "GET", path: "/api/v1/me", user: "issuance", header: asRole("intake"), want: http.StatusForbidden},
			{name: "a one-role clerk naming their own", method: "GET", path: "/api/v1/me", user: "issuance", header: asRole("issuance"), want: http.StatusOK},
			{name: "intake acting as issuance", method: "POST", path: "/api/v1/cases", user: two, header: asRole("issuance"),
				body: foodLicence(), want: http.StatusForbidden},
			{name: "intake acting as intake", method: "POST", path: "/api/v1/cases", user: two, header: asRole("intake"),
				body: foodLicence(), want: http.StatusCreated, check: func(t *testing.T, r *response) {
					var v struct {
						Number string
						Events []struct{ Type, Actor, Role string }
					}
					if err := json.Unmarshal(r.body, &v); err != nil {
						t.Fatal(err)
					}
					number = v.Number
					if len(v.Events) == 0 || v.Events[0].Role != "intake" {
						t.Fatalf("the intake event: %+v", v.Events)
					}
				}},
		})
		sup := f.user(t, "supervisor")
		f.run(t, []scenario{
			{name: "the case's record keeps the role", method: "GET", path: "/api/v1/cases/" + number, user: "supervisor", want: http.StatusOK,
				check: contains(`"role":"intake"`)},
			{name: "supervisor signs in", method: "POST", path: "/login", browser: "sup",
				body: url.Values{"username": {sup.Username}, "password": {sup.Password}}, want: http.StatusSeeOther},
			{name: "the record page names the role in Chinese", method: "GET", path: "/cases/" + number, browser: "sup", want: http.StatusOK,
				check: contains("<th>岗位</th>", "<td>综合受理</td>")},
		})
	})
}
