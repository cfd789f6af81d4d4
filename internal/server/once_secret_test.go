package server_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestKeyPageIsNotKeptForARepeat: the page that shows a new API client key
// once is not kept for a repeat of its form (page.ForgetAnswer): the
// repeat changes nothing and is sent back, never shown the key.
func TestKeyPageIsNotKeptForARepeat(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		c := f.user(t, "admin")
		f.run(t, []scenario{{name: "sign in", method: "POST", path: "/login", browser: "admin",
			body: url.Values{"username": {c.Username}, "password": {c.Password}}, want: http.StatusSeeOther}})
		r := f.do(t, scenario{method: "GET", path: "/admin/clients", browser: "admin"}, "get-form")
		m := formTokenRe.FindSubmatch(r.body)
		if r.status != http.StatusOK || m == nil {
			t.Fatalf("the clients page (%d) carries no one-time token", r.status)
		}
		form := url.Values{"name": {"食品许可审批系统"}, "department": {"SCJG"}, "scopes": {"cases:read"}, "form_token": {string(m[1])}}
		key := regexp.MustCompile(`owc_[a-z2-7]{52}`)
		send := func() (*http.Response, string) { return postAsAdmin(t, f, "/admin/clients", form) }
		res, body := send()
		if res.StatusCode != http.StatusOK || !key.MatchString(body) {
			t.Fatalf("first: %d, key shown %v", res.StatusCode, key.MatchString(body))
		}
		res, body = send()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/clients" || key.MatchString(body) {
			t.Errorf("repeat: %d → %q, key shown %v", res.StatusCode, res.Header.Get("Location"), key.MatchString(body))
		}
		var n int
		if err := f.st.DB().QueryRow(`SELECT COUNT(*) FROM api_clients`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d clients (%v), want 1", n, err)
		}
	})
}

// TestInitialPasswordIsNotKeptForARepeat: the page that shows a generated
// initial password once is not kept for a repeat of the account form
// either: the repeat adds no second account and never shows the password.
func TestInitialPasswordIsNotKeptForARepeat(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		c := f.user(t, "admin")
		f.run(t, []scenario{{name: "sign in", method: "POST", path: "/login", browser: "admin",
			body: url.Values{"username": {c.Username}, "password": {c.Password}}, want: http.StatusSeeOther}})
		r := f.do(t, scenario{method: "GET", path: "/admin/users", browser: "admin"}, "get-form")
		m := formTokenRe.FindSubmatch(r.body)
		if r.status != http.StatusOK || m == nil {
			t.Fatalf("the accounts page (%d) carries no one-time token", r.status)
		}
		form := url.Values{"username": {"xinren"}, "name": {"李新人"}, "role": {"intake"}, "hall": {"JC-ZWZX"}, "form_token": {string(m[1])}}
		shown := regexp.MustCompile(`初始密码：<output class="password">[^<]+</output>`)
		send := func() (*http.Response, string) { return postAsAdmin(t, f, "/admin/users", form) }
		res, body := send()
		if res.StatusCode != http.StatusOK || !shown.MatchString(body) {
			t.Fatalf("first: %d, password shown %v", res.StatusCode, shown.MatchString(body))
		}
		res, body = send()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/users" || shown.MatchString(body) {
			t.Errorf("repeat: %d → %q, password shown %v", res.StatusCode, res.Header.Get("Location"), shown.MatchString(body))
		}
		var n int
		if err := f.st.DB().QueryRow(`SELECT COUNT(*) FROM users WHERE username = 'xinren'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d accounts xinren (%v), want 1", n, err)
		}
	})
}

// postAsAdmin sends form to path from the signed-in admin's browser, as
// the page at path would, and returns the answer with its body.
func postAsAdmin(t *testing.T, f *fixture, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", f.nodes[0].URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", f.nodes[0].URL+path)
	req.AddCookie(f.cookies["admin"])
	res, err := f.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}
