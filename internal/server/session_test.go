package server_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestPasswordChangeEndsOtherSessions: a password changed through the API
// signs the account's page sessions out on every node; the account signs in
// again with the new password.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	eachDatabase(t, func(t *testing.T, f *fixture) {
		c := f.user(t, "intake")
		f.run(t, []scenario{
			{name: "sign in on the page", method: "POST", path: "/login", browser: "desk",
				body: url.Values{"username": {c.Username}, "password": {c.Password}}, want: http.StatusSeeOther},
			{name: "the session works", method: "GET", path: "/", browser: "desk", want: http.StatusOK, check: contains(c.Name)},
			{name: "password changed through the API", method: "POST", path: "/api/v1/password", user: "intake",
				body: map[string]string{"old_password": c.Password, "new_password": "NewSecret2026"}, want: http.StatusNoContent},
			{name: "the old page session is over", method: "GET", path: "/", browser: "desk", node: 1, want: http.StatusSeeOther, check: redirectsTo("/login")},
			{name: "sign in with the new password", method: "POST", path: "/login", browser: "desk",
				body: url.Values{"username": {c.Username}, "password": {"NewSecret2026"}}, want: http.StatusSeeOther},
			{name: "the new session works", method: "GET", path: "/", browser: "desk", want: http.StatusOK, check: contains(c.Name)},
		})
	})
}
