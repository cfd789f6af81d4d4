package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestNoSuchPageInChinese: a page address no route serves is answered
// with a Chinese page, 404, and one that exists for another method with a
// Chinese page, 405 and Allow (they were Go's English text); the API keeps
// problem+json.
func TestNoSuchPageInChinese(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		html := func(status int, words ...string) func(*testing.T, *response) {
			return func(t *testing.T, r *response) {
				t.Helper()
				body := string(r.body)
				if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(body, `lang="zh-CN"`) {
					t.Fatalf("%d answered with %q: %.200s", status, r.header.Get("Content-Type"), body)
				}
				for _, w := range append(words, "返回") {
					if !strings.Contains(body, w) {
						t.Errorf("the page lacks %q: %.300s", w, body)
					}
				}
				for _, english := range []string{"page not found", "Method Not Allowed"} {
					if strings.Contains(body, english) {
						t.Errorf("the page says %q", english)
					}
				}
			}
		}
		c := f.user(t, "intake")
		f.run(t, []scenario{
			{name: "anonymous, no such page", method: "GET", path: "/no/such/page", want: http.StatusNotFound, check: html(404, "没有这个页面")},
			{name: "sign in", method: "POST", path: "/login", browser: "desk",
				body: url.Values{"username": {c.Username}, "password": {c.Password}}, want: http.StatusSeeOther},
			{name: "signed in, no such page", method: "GET", path: "/intake/x/y/z", browser: "desk", want: http.StatusNotFound,
				check: html(404, "没有这个页面", c.Name)},
			{name: "an online hall address", method: "GET", path: "/my/nothing/here", want: http.StatusNotFound, check: html(404, "没有这个页面", "我的办件")},
			{name: "a page address with the wrong method", method: "DELETE", path: "/cases", browser: "desk", want: http.StatusMethodNotAllowed,
				check: all(html(405, "不能这样打开"), func(t *testing.T, r *response) {
					if allow := r.header.Get("Allow"); !strings.Contains(allow, "GET") {
						t.Errorf("Allow: %q", allow)
					}
				})},
			{name: "the API keeps problem+json", method: "GET", path: "/api/v1/no/such", want: http.StatusNotFound,
				check: func(t *testing.T, r *response) {
					if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
						t.Errorf("Content-Type %q", ct)
					}
				}},
		})
	})
}
