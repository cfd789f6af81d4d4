// Package page is the kit OneWindow's server-rendered pages (zh-CN) are
// built on: template parsing with the shared layout and partials, the view
// every page fills, rendering and form errors, flash messages, format
// functions, the static files, the page sessions and the menu. The pages
// themselves live by audience in web/hall, web/desk, web/online and
// web/admin; templates and static files are embedded and parsed at start.
package page

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
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
	SessionUserKey     = "user_id"
	SessionPasswordKey = "password_at"
	// SessionRoleKey keeps the role a person holding several switched
	// to (one clerk, two desks); absent, they act in their primary role.
	SessionRoleKey = "acting_role"
	// An applicant's session of the online hall (网上办事大厅), the same
	// way: the account's id and its password's fingerprint.
	SessionAccountKey         = "account_id"
	SessionAccountPasswordKey = "account_password"
)

// Kit is what every page package shares: the service, the page sessions,
// the log, the static files' content-hash URLs and the kit's own pages
// (the error pages every package may answer with).
type Kit struct {
	Svc      *service.Service
	Sessions *scs.SessionManager
	Log      *slog.Logger
	// IDCardBridge is the ID card reader bridge's origin on the windows'
	// PCs (internal/idcard), "" for none: the intake form's 读身份证.
	IDCardBridge string
	staticURL    map[string]string // file name → content-hash URL
	own          *Renderer         // the kit's own pages: error, my_error
}

// Renderer renders one package's pages (and the kit's own) on the kit.
type Renderer struct {
	*Kit
	pages map[string]*Template
}

// NewKit hashes the static files and parses the kit's own pages; a broken
// one is an error here, at start.
func NewKit(svc *service.Service, sessions *scs.SessionManager, log *slog.Logger) (*Kit, error) {
	k := &Kit{Svc: svc, Sessions: sessions, Log: log, staticURL: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		k.staticURL[d.Name()] = "/" + path + "?v=" + hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, err
	}
	own, err := k.Parse(templateFS)
	if err != nil {
		return nil, err
	}
	k.own = own
	return k, nil
}

// Parse parses a page package's templates (fsys holds its templates
// folder): templates/pages/*.html with the kit's layout.html (the
// workbench) and templates/print/*.html with print.html (A4 documents),
// each with the kit's shared partials. Pages are named by file ("case" for
// pages/case.html, "print/receipt_notice" for a print). The kit's own pages
// (error, my_error) come with every package's.
func (k *Kit) Parse(fsys fs.FS) (*Renderer, error) {
	funcs := k.funcs()
	pages := map[string]*Template{}
	for _, set := range []struct{ dir, layout, prefix string }{
		{"templates/pages", "templates/layout.html", ""},
		{"templates/print", "templates/print.html", "print/"},
	} {
		files, err := fs.Glob(fsys, set.dir+"/*.html")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			name := set.prefix + strings.TrimSuffix(path.Base(f), ".html")
			layout := set.layout
			parse := func() (*template.Template, error) {
				t, err := template.New(path.Base(layout)).Funcs(funcs).ParseFS(templateFS, layout, "templates/partials/*.html")
				if err == nil {
					t, err = t.ParseFS(fsys, f)
				}
				if err != nil {
					return nil, fmt.Errorf("template %s: %w", name, err)
				}
				return t, nil
			}
			// Parsed here so that a broken template fails the start, then
			// dropped: see Template.
			if _, err := parse(); err != nil {
				return nil, err
			}
			pages[name] = &Template{parse: parse}
		}
	}
	if k.own != nil {
		for name, t := range k.own.pages {
			if _, ok := pages[name]; !ok {
				pages[name] = t
			}
		}
	}
	return &Renderer{Kit: k, pages: pages}, nil
}

// Pages returns the pages by name.
func (p *Renderer) Pages() map[string]*Template { return p.pages }

// Template is one page's template set (the layout, the shared partials
// and the page), parsed on its first use. Every set is parsed once at
// start to fail a broken one there, and dropped: the sets repeat the
// layout and partials, and all of them kept (113 pages) held 41 MB of the
// server's 51 MB live heap; a node keeps only the pages it serves.
type Template struct {
	parse func() (*template.Template, error)
	once  sync.Once
	t     *template.Template
	err   error
}

func (p *Template) get() (*template.Template, error) {
	p.once.Do(func() { p.t, p.err = p.parse() })
	return p.t, p.err
}

// Execute renders the page's layout with data.
func (p *Template) Execute(w io.Writer, data any) error {
	t, err := p.get()
	if err != nil {
		return err
	}
	return t.Execute(w, data)
}

// ExecuteTemplate renders the set's template name with data.
func (p *Template) ExecuteTemplate(w io.Writer, name string, data any) error {
	t, err := p.get()
	if err != nil {
		return err
	}
	return t.ExecuteTemplate(w, name, data)
}

// SessionUser returns the active account of the request's page session, or
// nil when there is none, the account is inactive, or its password changed
// after the session signed in (a reset or change ends every other session).
func SessionUser(ctx context.Context, sessions *scs.SessionManager, svc *service.Service) (*org.User, error) {
	id := sessions.GetInt64(ctx, SessionUserKey)
	if id == 0 {
		return nil, nil
	}
	u, err := svc.UserByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && !u.Active) {
		return nil, nil
	}
	if err == nil && sessions.GetString(ctx, SessionPasswordKey) != PasswordFingerprint(u) {
		return nil, nil // the password changed since this session signed in
	}
	if err != nil {
		return nil, err
	}
	// The desk the person switched to, while they still hold its role;
	// a role taken away since puts them back at their primary desk.
	if role := sessions.GetString(ctx, SessionRoleKey); role != "" {
		if acting, err := svc.ActingAs(u, role); err == nil {
			return acting, nil
		}
		sessions.Remove(ctx, SessionRoleKey)
	}
	return u, nil
}

// SessionAccount returns the applicant signed in to the online hall by the
// page session of ctx, or nil.
func SessionAccount(ctx context.Context, sessions *scs.SessionManager, svc *service.Service) (*applicant.Account, error) {
	id := sessions.GetInt64(ctx, SessionAccountKey)
	if id == 0 {
		return nil, nil
	}
	a, err := svc.AccountByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}
	if err == nil && sessions.GetString(ctx, SessionAccountPasswordKey) != HashFingerprint(a.PasswordHash) {
		return nil, nil // the password changed since this session signed in
	}
	return a, err
}

// HashFingerprint identifies a password hash without keeping it.
func HashFingerprint(hash string) string {
	sum := sha256.Sum256([]byte("onewindow-session\x00" + hash))
	return hex.EncodeToString(sum[:8])
}

// PasswordFingerprint identifies the account's current password hash (its
// random salt makes every change a new one) without keeping the hash in
// the session.
func PasswordFingerprint(u *org.User) string {
	sum := sha256.Sum256([]byte("onewindow-session\x00" + u.PasswordHash))
	return hex.EncodeToString(sum[:8])
}

// View is what every page's layout needs.
type View struct {
	Title   string
	User    *org.User
	Account *applicant.Account // an applicant signed in to the online hall
	Now     time.Time
	Nav     []NavItem
	// UserDepartment is the signed-in person's department, by its name
	// ("" for roles without one).
	UserDepartment string
	Path           string // the request's path, to mark the current menu entry
	Flash          string // a one-time message after a redirect ("已受理")
	// FlashLink, with its label, follows the flash: "打印收件通知书".
	FlashLink, FlashLinkLabel string
	Error                     string            // a message for the whole form
	Field                     map[string]string // messages next to the fields they concern
	Form                      url.Values        // what was typed, kept when a form is refused
	Data                      any
	// RetryAfter, on a refusal for too many requests, is the seconds to
	// wait: the Retry-After header.
	RetryAfter int
	// Training is set in the training mode (serve --now): the layout shows
	// a banner, printed documents a watermark.
	Training bool
	// CallBar, on a desk page of a clerk at a window, is the window's
	// calling bar shown on top of the page.
	CallBar *CallBar
}

// NavItem is one entry of the menu.
type NavItem struct {
	Href, Label string
}

// navItem keeps the menus below short.
type navItem = NavItem

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
	org.WorkHandover: {"/handover", "材料交接"}, org.WorkTransit: {"/transit", "交接批次"}, org.WorkAgent: {"/agent", "代办"}, org.WorkIssuance: {"/issuance", "综合出件"},
	org.WorkBookings: {"", "预约名单"}, org.WorkCases: {"/cases", "办件查询"}, org.WorkHandbook: {"/items", "办事指南"},
	org.WorkRectifications: {"/rectifications", "差评整改"}, org.WorkBundles: {"/bundles", "一件事"},
	org.WorkSupervision: {"/supervision", "督查考核"}, org.WorkDeptFigures: {"/supervision", "本部门考核"},
	org.WorkHallFigures: {"/supervision", "本大厅考核"},
	org.WorkNotices:     {"/supervision/notices", "督办单"}, org.WorkQueueFigures: {"/queue/figures", "排队统计"}, org.WorkAdmin: {"/admin", "系统管理"},
}

// Render answers with the named page, filled with v and what the layout
// needs (the signed-in person, the menu, the flash).
func (h *Renderer) Render(w http.ResponseWriter, r *http.Request, status int, page string, v View) {
	v.User = service.UserFrom(r.Context())
	v.Account = service.AccountFrom(r.Context())
	v.Now = h.Svc.Now()
	v.Training = h.Svc.Training()
	v.Nav = nav(v.User)
	if v.User != nil && v.User.DepartmentCode != "" {
		v.UserDepartment = h.DepartmentNames(r.Context())[v.User.DepartmentCode]
	}
	if v.Account != nil {
		v.Nav = applicantNav
	}
	v.Path = r.URL.Path
	if v.Flash == "" && h.Sessions != nil {
		v.Flash = h.Sessions.PopString(r.Context(), FlashKey)
		v.FlashLink = h.Sessions.PopString(r.Context(), FlashLinkKey)
		v.FlashLinkLabel = h.Sessions.PopString(r.Context(), FlashLinkLabelKey)
	}
	t, ok := h.pages[page]
	if !ok {
		h.Log.Error("no such page", "page", page)
		http.Error(w, "页面不存在", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		h.Log.Error("render page", "page", page, "err", err, "request_id", service.RequestFrom(r.Context()).ID)
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
	FlashKey          = "flash"
	FlashLinkKey      = "flash_link"
	FlashLinkLabelKey = "flash_link_label"
)

// Redirect sends the browser on after a successful form, with a message.
func (h *Kit) Redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		h.Sessions.Put(r.Context(), FlashKey, flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// LocalPath returns p if it is a path on this site, else fallback: a form's
// "back" field must not send the browser elsewhere.
func LocalPath(p, fallback string) string {
	if strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.Contains(p, "\\") {
		return p
	}
	return fallback
}

// FormError fills v with err's messages: field errors next to their
// fields, the rest at the top. It returns the status to answer with.
func (h *Kit) FormError(r *http.Request, v *View, err error) int {
	p := problem.From(err)
	if p.Code == apperr.Internal {
		h.Log.Error("page action failed", "err", err, "request_id", service.RequestFrom(r.Context()).ID)
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

// SignedIn sends visitors without a session to the sign-in page.
func (h *Kit) SignedIn(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if service.UserFrom(r.Context()) == nil {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}
