// Package webtest is the fixture the page packages' tests share: a demo
// district served by the whole server (on SQLite and, when configured,
// PostgreSQL), browsers that sign in through the pages, the replies they
// get with the checks tests make on them, and the scenarios several
// packages' tests start from.
package webtest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/server"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// Hall is the demo district behind one test server, with the service at
// hand to prepare cases as the right person and to check what the pages
// wrote.
type Hall struct {
	Svc       *service.Service
	Clk       *clock.Manual
	URL       string
	Passwords map[string]string          // demo account → password
	As        map[string]context.Context // demo account → its service context, as if from a page
}

// EachHall runs fn on a fresh demo district for each database, the clock
// set to start.
func EachHall(t *testing.T, start time.Time, fn func(t *testing.T, h *Hall)) {
	t.Parallel()
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		fn(t, NewHall(t, st, clk))
	})
}

// NewHall loads the demo district into st and serves it with page sessions
// kept in the same database, as the real server does.
func NewHall(t *testing.T, st *store.Store, clk *clock.Manual) *Hall {
	t.Helper()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	svc := service.New(st, clk, log, service.DefaultConfig())
	creds, err := svc.LoadDemo(service.AsSystem(context.Background()), demo.Load())
	if err != nil {
		t.Fatalf("load demo: %v", err)
	}
	h := &Hall{Svc: svc, Clk: clk, Passwords: map[string]string{}, As: map[string]context.Context{}}
	for _, c := range creds {
		if c.Role == "applicant" {
			continue // an online hall account: see the applicant tests
		}
		h.Passwords[c.Username] = c.Password
		u, err := svc.Login(context.Background(), c.Username, c.Password)
		if err != nil {
			t.Fatal(err)
		}
		h.As[c.Username] = service.WithRequest(service.WithUser(context.Background(), u), service.Request{ID: "test", Channel: "web"})
	}
	var sessions scs.Store = sqlite3store.NewWithCleanupInterval(st.DB(), 0)
	if st.Dialect() == store.Postgres {
		sessions = postgresstore.NewWithCleanupInterval(st.DB(), 0)
	}
	srv, err := server.New(server.Config{Version: "test"}, svc, server.NewSessions(sessions, false), log)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	h.URL = ts.URL
	return h
}

// Act takes action on the case as user, through the service.
func (h *Hall) Act(t *testing.T, user, number string, action casework.Action, in casework.Input) *service.CaseView {
	t.Helper()
	v, err := h.Svc.Act(h.As[user], number, action, in, 0)
	if err != nil {
		t.Fatalf("%s %s on %s: %v", user, action, number, err)
	}
	return v
}

// Browser is one person's browser: a cookie jar, redirects returned rather
// than followed.
type Browser struct {
	T        *testing.T
	H        *Hall
	Client   *http.Client
	Username string // who signed in on it, "" for nobody
}

// Browser returns a browser nobody has signed in on.
func (h *Hall) Browser(t *testing.T) *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{T: t, H: h, Client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// SignIn signs in as a demo account through the sign-in form.
func (h *Hall) SignIn(t *testing.T, username string) *Browser {
	t.Helper()
	return h.SignInWith(t, username, h.Passwords[username])
}

// SignInWith signs in through the sign-in form with a password the demo
// did not make.
func (h *Hall) SignInWith(t *testing.T, username, password string) *Browser {
	t.Helper()
	b := h.Browser(t)
	p := b.Post("/login", url.Values{"username": {username}, "password": {password}})
	if p.Status != http.StatusSeeOther || p.Location != "/" {
		t.Fatalf("sign in as %s: %d → %q\n%s", username, p.Status, p.Location, p.Body)
	}
	b.Username = username
	return b
}

// Do sends req with the browser's cookies and returns what came back.
func (b *Browser) Do(req *http.Request) Reply {
	b.T.Helper()
	res, err := b.Client.Do(req)
	if err != nil {
		b.T.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.T.Fatal(err)
	}
	return Reply{Status: res.StatusCode, Header: res.Header, Location: res.Header.Get("Location"), Body: string(body)}
}

// Get opens path.
func (b *Browser) Get(path string) Reply {
	b.T.Helper()
	req, _ := http.NewRequest("GET", b.H.URL+path, nil)
	return b.Do(req)
}

// Post posts form to path.
func (b *Browser) Post(path string, form url.Values) Reply {
	b.T.Helper()
	req, _ := http.NewRequest("POST", b.H.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.Do(req)
}

// Follow posts and follows the one redirect that must come back.
func (b *Browser) Follow(t *testing.T, path string, form url.Values) Reply {
	t.Helper()
	p := b.Post(path, form)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("POST %s: status %d, want 303\n%s", path, p.Status, p.Body)
	}
	return b.Get(p.Location)
}

// Reply is what came back.
type Reply struct {
	Status   int
	Header   http.Header
	Location string
	Body     string
}

// Want fails unless the page has status and contains every one of texts.
func (p Reply) Want(t *testing.T, status int, texts ...string) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("status %d, want %d\n%s", p.Status, status, p.Body)
	}
	for _, s := range texts {
		if !strings.Contains(p.Body, s) {
			t.Errorf("page does not contain %q\n%s", s, p.Body)
		}
	}
}

// WantNot fails if the page contains any of texts.
func (p Reply) WantNot(t *testing.T, texts ...string) {
	t.Helper()
	p.HasNot(t, "page", texts...)
}

// Has fails, naming what the page is, unless it contains every one of
// texts; unlike want it neither checks the status nor repeats the page.
func (p Reply) Has(t *testing.T, what string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(p.Body, s) {
			t.Errorf("%s: the page does not show %q", what, s)
		}
	}
}

// HasNot fails, naming what the page is, if it contains any of texts.
func (p Reply) HasNot(t *testing.T, what string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(p.Body, s) {
			t.Errorf("%s: the page shows %q", what, s)
		}
	}
}

// Row returns the table row of the case numbered, or "" if none lists it.
func (p Reply) Row(number string) string {
	i := strings.Index(p.Body, `id="case-`+number+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(p.Body[i:], "</tr>")
	if j < 0 {
		return p.Body[i:]
	}
	return p.Body[i : i+j]
}

// Near returns the page from anchor (a field's attribute) to the next
// field's label or button: where the field's message must be.
func (p Reply) Near(t *testing.T, anchor string) string {
	t.Helper()
	i := strings.Index(p.Body, anchor)
	if i < 0 {
		t.Fatalf("page has no %q\n%s", anchor, p.Body)
	}
	rest := p.Body[i+len(anchor):]
	end := len(rest)
	for _, stop := range []string{"<label", "<button", "</tr>", "</form>"} {
		if j := strings.Index(rest, stop); j >= 0 && j < end {
			end = j
		}
	}
	return p.Body[i : i+len(anchor)+end]
}

// WantNear fails unless msg is shown next to the field anchor names.
func (p Reply) WantNear(t *testing.T, anchor, msg string) {
	t.Helper()
	if got := p.Near(t, anchor); !strings.Contains(got, `class="field-error"`) || !strings.Contains(got, msg) {
		t.Errorf("no %q next to %s; there is:\n%s", msg, anchor, got)
	}
}

// Cell returns the calendar grid's cell of date.
func (p Reply) Cell(t *testing.T, date string) string {
	t.Helper()
	i := strings.Index(p.Body, `data-date="`+date+`"`)
	if i < 0 {
		t.Fatalf("no cell for %s\n%s", date, p.Body)
	}
	j := strings.Index(p.Body[i:], "</td>")
	return p.Body[i : i+j]
}

var shownPassword = regexp.MustCompile(`<output class="password">([^<]+)</output>`)

// Password returns the password the page shows once.
func (p Reply) Password(t *testing.T) string {
	t.Helper()
	m := shownPassword.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no password shown\n%s", p.Body)
	}
	return m[1]
}
