// Package web holds OneWindow's server-rendered pages (zh-CN): sign-in,
// the home page, password change and the public handbook. Templates and
// static files are embedded and parsed at start.
package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/service"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// sessionUserKey is where a page session keeps its account's id.
const sessionUserKey = "user_id"

// Handlers serves the pages.
type Handlers struct {
	svc       *service.Service
	sessions  *scs.SessionManager
	log       *slog.Logger
	pages     map[string]*template.Template
	staticURL map[string]string // file name → content-hash URL
}

// New parses every template; a broken one is an error here, at start.
func New(svc *service.Service, sessions *scs.SessionManager, log *slog.Logger) (*Handlers, error) {
	h := &Handlers{svc: svc, sessions: sessions, log: log, pages: map[string]*template.Template{}, staticURL: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		h.staticURL[d.Name()] = "/" + path + "?v=" + hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"static": func(name string) string { return h.staticURL[name] },
		"date":   func(t time.Time) string { return t.In(clock.Shanghai).Format("2006-01-02 15:04") },
	}
	for _, page := range []string{"login", "home", "password", "items", "item"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+page+".html")
		if err != nil {
			return nil, err
		}
		h.pages[page] = t
	}
	return h, nil
}

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

// Register mounts the pages on mux.
func (h *Handlers) Register(mux *http.ServeMux) {
	mux.Handle("GET /static/", http.FileServerFS(staticFS))
	mux.HandleFunc("GET /login", h.loginForm)
	mux.HandleFunc("POST /login", h.login)
	mux.HandleFunc("POST /logout", h.logout)
	mux.HandleFunc("GET /{$}", h.signedIn(h.home))
	mux.HandleFunc("GET /password", h.signedIn(h.passwordForm))
	mux.HandleFunc("POST /password", h.signedIn(h.changePassword))
	mux.HandleFunc("GET /items", h.items)
	mux.HandleFunc("GET /items/{code}", h.item)
}

// SessionUser returns the active account of the request's page session, or
// nil when there is none.
func SessionUser(ctx context.Context, sessions *scs.SessionManager, svc *service.Service) (*org.User, error) {
	id := sessions.GetInt64(ctx, sessionUserKey)
	if id == 0 {
		return nil, nil
	}
	u, err := svc.UserByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && !u.Active) {
		return nil, nil
	}
	return u, err
}

// view is what every page's layout needs.
type view struct {
	Title string
	User  *org.User
	Now   time.Time
	Error string            // a message for the whole form
	Field map[string]string // messages next to the fields they concern
	Data  any
}

func (h *Handlers) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	v.User = service.UserFrom(r.Context())
	v.Now = h.svc.Now()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := h.pages[page].Execute(w, v); err != nil {
		h.log.Error("render page", "page", page, "err", err, "request_id", service.RequestFrom(r.Context()).ID)
	}
}

// formError fills v with err's messages: field errors next to their
// fields, the rest at the top. It returns the status to answer with.
func (h *Handlers) formError(r *http.Request, v *view, err error) int {
	p := problem.From(err)
	if p.Code == apperr.Internal {
		h.log.Error("page action failed", "err", err, "request_id", service.RequestFrom(r.Context()).ID)
	}
	v.Field = map[string]string{}
	for _, f := range p.Errors {
		v.Field[f.Field] = f.Message
	}
	if len(p.Errors) == 0 || p.Code != apperr.Invalid {
		v.Error = p.Detail
	}
	return p.Status
}

// signedIn sends visitors without a session to the sign-in page.
func (h *Handlers) signedIn(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if service.UserFrom(r.Context()) == nil {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}
