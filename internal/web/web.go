// Package web holds OneWindow's server-rendered pages (zh-CN): sign-in,
// the home page, password change and the public handbook. Templates and
// static files are embedded and parsed at start.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/service"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// A page session keeps its account's id and a fingerprint of the password
// hash it signed in with: after a password change the session is over.
const (
	sessionUserKey     = "user_id"
	sessionPasswordKey = "password_at"
	// An applicant's session of the online hall (网上办事大厅), the same
	// way: the account's id and its password's fingerprint.
	sessionAccountKey         = "account_id"
	sessionAccountPasswordKey = "account_password"
)

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
	if err := h.parseTemplates(); err != nil {
		return nil, err
	}
	return h, nil
}

// parseTemplates parses every page with its layout and the shared
// partials: templates/pages/*.html with layout.html (the workbench) and
// templates/print/*.html with print.html (A4 documents). Pages are named
// by file ("case" for pages/case.html, "print/receipt_notice" for a print).
func (h *Handlers) parseTemplates() error {
	funcs := h.funcs()
	for _, set := range []struct{ dir, layout, prefix string }{
		{"templates/pages", "templates/layout.html", ""},
		{"templates/print", "templates/print.html", "print/"},
	} {
		files, err := fs.Glob(templateFS, set.dir+"/*.html")
		if err != nil {
			return err
		}
		for _, f := range files {
			name := set.prefix + strings.TrimSuffix(path.Base(f), ".html")
			t, err := template.New(path.Base(set.layout)).Funcs(funcs).ParseFS(templateFS, set.layout, "templates/partials/*.html", f)
			if err != nil {
				return fmt.Errorf("template %s: %w", name, err)
			}
			h.pages[name] = t
		}
	}
	return nil
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
	h.registerCases(mux)
	h.registerDesks(mux)
	h.registerIntake(mux)
	h.registerPrint(mux)
	h.registerPublic(mux)
	h.registerAdmin(mux)
	h.registerBoard(mux)
	h.registerQueuePages(mux)
	h.registerRatingPages(mux)
	h.registerAppointments(mux)
	h.registerGuidance(mux)
	h.registerOnline(mux)     // the applicant's online hall: online.go
	h.registerOnlineDesk(mux) // pre-review, online intake, bundles, agents: online_desk.go
}

// SessionUser returns the active account of the request's page session, or
// nil when there is none, the account is inactive, or its password changed
// after the session signed in (a reset or change ends every other session).
func SessionUser(ctx context.Context, sessions *scs.SessionManager, svc *service.Service) (*org.User, error) {
	id := sessions.GetInt64(ctx, sessionUserKey)
	if id == 0 {
		return nil, nil
	}
	u, err := svc.UserByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && !u.Active) {
		return nil, nil
	}
	if err == nil && sessions.GetString(ctx, sessionPasswordKey) != passwordFingerprint(u) {
		return nil, nil // the password changed since this session signed in
	}
	return u, err
}

// SessionAccount returns the applicant signed in to the online hall by the
// page session of ctx, or nil.
func SessionAccount(ctx context.Context, sessions *scs.SessionManager, svc *service.Service) (*applicant.Account, error) {
	id := sessions.GetInt64(ctx, sessionAccountKey)
	if id == 0 {
		return nil, nil
	}
	a, err := svc.AccountByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}
	if err == nil && sessions.GetString(ctx, sessionAccountPasswordKey) != hashFingerprint(a.PasswordHash) {
		return nil, nil // the password changed since this session signed in
	}
	return a, err
}

// hashFingerprint identifies a password hash without keeping it.
func hashFingerprint(hash string) string {
	sum := sha256.Sum256([]byte("onewindow-session\x00" + hash))
	return hex.EncodeToString(sum[:8])
}

// passwordFingerprint identifies the account's current password hash (its
// random salt makes every change a new one) without keeping the hash in
// the session.
func passwordFingerprint(u *org.User) string {
	sum := sha256.Sum256([]byte("onewindow-session\x00" + u.PasswordHash))
	return hex.EncodeToString(sum[:8])
}

// view is what every page's layout needs.
type view struct {
	Title   string
	User    *org.User
	Account *applicant.Account // an applicant signed in to the online hall
	Now     time.Time
	Nav     []navItem
	Path    string // the request's path, to mark the current menu entry
	Flash   string // a one-time message after a redirect ("已受理")
	// FlashLink, with its label, follows the flash: "打印收件通知书".
	FlashLink, FlashLinkLabel string
	Error                     string            // a message for the whole form
	Field                     map[string]string // messages next to the fields they concern
	Form                      url.Values        // what was typed, kept when a form is refused
	Data                      any
	// RetryAfter, on a refusal for too many requests, is the seconds to
	// wait: the Retry-After header.
	RetryAfter int
}

// navItem is one entry of the menu.
type navItem struct {
	Href, Label string
}

// applicantNav is the online hall's menu.
var applicantNav = []navItem{
	{"/my", "我的办件"}, {"/my/apply", "网上申报"}, {"/my/bundles", "一件事"},
	{"/my/drafts", "草稿"}, {"/my/agents", "代办授权"}, {"/my/profile", "账户信息"}, {"/items", "办事指南"},
}

// nav is the menu for a role: each desk sees its own pages first.
func nav(u *org.User) []navItem {
	if u == nil {
		return []navItem{{"/items", "办事指南"}, {"/progress", "办件进度查询"}, {"/my", "网上办事大厅"}}
	}
	var items []navItem
	for _, w := range u.Workspaces() { // which role sees which page: org decides
		it := workspacePages[w]
		if w == org.WorkBookings {
			it.Href = "/appointments/" + u.HallCode + "/bookings"
		}
		items = append(items, it)
	}
	return items
}

// workspacePages is each staff workspace's menu entry.
var workspacePages = map[org.Workspace]navItem{
	org.WorkTasks: {"/", "我的待办"}, org.WorkWindow: {"/window", "窗口叫号"}, org.WorkIntake: {"/intake", "综合受理"},
	org.WorkOnlineIntake: {"/intake/online", "网上申报收件"}, org.WorkBundleIntake: {"/intake/bundles", "一件事收件"},
	org.WorkGuidance: {"/guidance", "导办登记"}, org.WorkDept: {"/dept", "部门审批"}, org.WorkPreReview: {"/dept/prereview", "网上预审"},
	org.WorkHandover: {"/handover", "材料交接"}, org.WorkAgent: {"/agent", "代办"}, org.WorkIssuance: {"/issuance", "综合出件"},
	org.WorkBookings: {"", "预约名单"}, org.WorkCases: {"/cases", "办件查询"}, org.WorkHandbook: {"/items", "办事指南"},
	org.WorkRectifications: {"/rectifications", "差评整改"}, org.WorkBundles: {"/bundles", "一件事"},
	org.WorkSupervision: {"/supervision", "监督统计"}, org.WorkQueueFigures: {"/queue/figures", "排队统计"}, org.WorkAdmin: {"/admin", "系统管理"},
}

func (h *Handlers) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	v.User = service.UserFrom(r.Context())
	v.Account = service.AccountFrom(r.Context())
	v.Now = h.svc.Now()
	v.Nav = nav(v.User)
	if v.Account != nil {
		v.Nav = applicantNav
	}
	v.Path = r.URL.Path
	if v.Flash == "" && h.sessions != nil {
		v.Flash = h.sessions.PopString(r.Context(), flashKey)
		v.FlashLink = h.sessions.PopString(r.Context(), flashLinkKey)
		v.FlashLinkLabel = h.sessions.PopString(r.Context(), flashLinkLabelKey)
	}
	t, ok := h.pages[page]
	if !ok {
		h.log.Error("no such page", "page", page)
		http.Error(w, "页面不存在", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		h.log.Error("render page", "page", page, "err", err, "request_id", service.RequestFrom(r.Context()).ID)
		http.Error(w, "页面出错，请稍后重试", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if v.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(v.RetryAfter))
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// The session keys of a one-time message across a redirect, and of the
// link that may follow it.
const (
	flashKey          = "flash"
	flashLinkKey      = "flash_link"
	flashLinkLabelKey = "flash_link_label"
)

// redirect sends the browser on after a successful form, with a message.
func (h *Handlers) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		h.sessions.Put(r.Context(), flashKey, flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// localPath returns p if it is a path on this site, else fallback: a form's
// "back" field must not send the browser elsewhere.
func localPath(p, fallback string) string {
	if strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.Contains(p, "\\") {
		return p
	}
	return fallback
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
	v.Error = p.Detail
	v.RetryAfter = p.RetryAfter
	if r.Method == http.MethodPost {
		v.Form = r.PostForm // what was typed stays in the form
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
