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
	"github.com/onewindow/onewindow/internal/web/page"
)

// hall is the demo district behind one test server, with the service at
// hand to prepare cases as the right person and to check what the pages
// wrote.
type hall struct {
	svc       *service.Service
	clk       *clock.Manual
	url       string
	passwords map[string]string          // demo account → password
	as        map[string]context.Context // demo account → its service context, as if from a page
}

// eachHall runs fn on a fresh demo district for each database, the clock
// set to start.
func eachHall(t *testing.T, start time.Time, fn func(t *testing.T, h *hall)) {
	t.Parallel()
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		fn(t, newHall(t, st, clk))
	})
}

// newHall loads the demo district into st and serves it with page sessions
// kept in the same database, as the real server does.
func newHall(t *testing.T, st *store.Store, clk *clock.Manual) *hall {
	t.Helper()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	svc := service.New(st, clk, log, service.DefaultConfig())
	creds, err := svc.LoadDemo(service.AsSystem(context.Background()), demo.Load())
	if err != nil {
		t.Fatalf("load demo: %v", err)
	}
	h := &hall{svc: svc, clk: clk, passwords: map[string]string{}, as: map[string]context.Context{}}
	for _, c := range creds {
		if c.Role == "applicant" {
			continue // an online hall account: see the applicant tests
		}
		h.passwords[c.Username] = c.Password
		u, err := svc.Login(context.Background(), c.Username, c.Password)
		if err != nil {
			t.Fatal(err)
		}
		h.as[c.Username] = service.WithRequest(service.WithUser(context.Background(), u), service.Request{ID: "test", Channel: "web"})
	}
	var sessions scs.Store = sqlite3store.NewWithCleanupInterval(st.DB(), 0)
	if st.Dialect() == store.Postgres {
		sessions = postgresstore.NewWithCleanupInterval(st.DB(), 0)
	}
	srv, err := server.New(server.Config{Version: "test"}, svc, st, page.NewSessions(sessions, false), log)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	h.url = ts.URL
	return h
}

// act takes action on the case as user, through the service.
func (h *hall) act(t *testing.T, user, number string, action casework.Action, in casework.Input) *service.CaseView {
	t.Helper()
	v, err := h.svc.Act(h.as[user], number, action, in, 0)
	if err != nil {
		t.Fatalf("%s %s on %s: %v", user, action, number, err)
	}
	return v
}

// browser is one person's browser: a cookie jar, redirects returned rather
// than followed.
type browser struct {
	t        *testing.T
	h        *hall
	client   *http.Client
	username string // who signed in on it, "" for nobody
}

// browser returns a browser nobody has signed in on.
func (h *hall) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, h: h, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn signs in as a demo account through the sign-in form.
func (h *hall) signIn(t *testing.T, username string) *browser {
	t.Helper()
	return h.signInWith(t, username, h.passwords[username])
}

// signInWith signs in through the sign-in form with a password the demo
// did not make.
func (h *hall) signInWith(t *testing.T, username, password string) *browser {
	t.Helper()
	b := h.browser(t)
	p := b.post("/login", url.Values{"username": {username}, "password": {password}})
	if p.status != http.StatusSeeOther || p.location != "/" {
		t.Fatalf("sign in as %s: %d → %q\n%s", username, p.status, p.location, p.body)
	}
	b.username = username
	return b
}

func (b *browser) do(req *http.Request) reply {
	b.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return reply{status: res.StatusCode, header: res.Header, location: res.Header.Get("Location"), body: string(body)}
}

func (b *browser) get(path string) reply {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.h.url+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) reply {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.h.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// follow posts and follows the one redirect that must come back.
func (b *browser) follow(t *testing.T, path string, form url.Values) reply {
	t.Helper()
	p := b.post(path, form)
	if p.status != http.StatusSeeOther {
		t.Fatalf("POST %s: status %d, want 303\n%s", path, p.status, p.body)
	}
	return b.get(p.location)
}

// reply is what came back.
type reply struct {
	status   int
	header   http.Header
	location string
	body     string
}

// want fails unless the page has status and contains every one of texts.
func (p reply) want(t *testing.T, status int, texts ...string) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d\n%s", p.status, status, p.body)
	}
	for _, s := range texts {
		if !strings.Contains(p.body, s) {
			t.Errorf("page does not contain %q\n%s", s, p.body)
		}
	}
}

// wantNot fails if the page contains any of texts.
func (p reply) wantNot(t *testing.T, texts ...string) {
	t.Helper()
	p.hasNot(t, "page", texts...)
}

// has fails, naming what the page is, unless it contains every one of
// texts; unlike want it neither checks the status nor repeats the page.
func (p reply) has(t *testing.T, what string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(p.body, s) {
			t.Errorf("%s: the page does not show %q", what, s)
		}
	}
}

// hasNot fails, naming what the page is, if it contains any of texts.
func (p reply) hasNot(t *testing.T, what string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(p.body, s) {
			t.Errorf("%s: the page shows %q", what, s)
		}
	}
}

// row returns the table row of the case numbered, or "" if none lists it.
func (p reply) row(number string) string {
	i := strings.Index(p.body, `id="case-`+number+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(p.body[i:], "</tr>")
	if j < 0 {
		return p.body[i:]
	}
	return p.body[i : i+j]
}

// near returns the page from anchor (a field's attribute) to the next
// field's label or button: where the field's message must be.
func (p reply) near(t *testing.T, anchor string) string {
	t.Helper()
	i := strings.Index(p.body, anchor)
	if i < 0 {
		t.Fatalf("page has no %q\n%s", anchor, p.body)
	}
	rest := p.body[i+len(anchor):]
	end := len(rest)
	for _, stop := range []string{"<label", "<button", "</tr>", "</form>"} {
		if j := strings.Index(rest, stop); j >= 0 && j < end {
			end = j
		}
	}
	return p.body[i : i+len(anchor)+end]
}

// wantNear fails unless msg is shown next to the field anchor names.
func (p reply) wantNear(t *testing.T, anchor, msg string) {
	t.Helper()
	if got := p.near(t, anchor); !strings.Contains(got, `class="field-error"`) || !strings.Contains(got, msg) {
		t.Errorf("no %q next to %s; there is:\n%s", msg, anchor, got)
	}
}

// cell returns the calendar grid's cell of date.
func (p reply) cell(t *testing.T, date string) string {
	t.Helper()
	i := strings.Index(p.body, `data-date="`+date+`"`)
	if i < 0 {
		t.Fatalf("no cell for %s\n%s", date, p.body)
	}
	j := strings.Index(p.body[i:], "</td>")
	return p.body[i : i+j]
}

var shownPassword = regexp.MustCompile(`<output class="password">([^<]+)</output>`)

// password returns the password the page shows once.
func (p reply) password(t *testing.T) string {
	t.Helper()
	m := shownPassword.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no password shown\n%s", p.body)
	}
	return m[1]
}
