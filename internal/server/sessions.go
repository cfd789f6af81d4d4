package server

import (
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
)

// NewSessions returns the page session manager: cookies that carry only a
// token, with the session data in the database (store), so every node of a
// cluster knows every session.
func NewSessions(store scs.Store, secureCookie bool) *scs.SessionManager {
	m := scs.New()
	m.Store = store
	m.Lifetime = 12 * time.Hour
	m.IdleTimeout = 2 * time.Hour
	m.Cookie.Name = "onewindow_session"
	m.Cookie.HttpOnly = true
	m.Cookie.SameSite = http.SameSiteLaxMode
	m.Cookie.Secure = secureCookie
	return m
}
