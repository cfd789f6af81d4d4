package server_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/server"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// start is the moment every scenario table begins at: a Wednesday
// morning, the last working day before the National Day holiday.
var start = time.Date(2026, 9, 30, 9, 0, 0, 0, clock.Shanghai)

// scenario is one request and what must come back. A request that is
// expected to fail (want ≥ 400) must also leave the data as it was.
type scenario struct {
	name    string
	method  string
	path    string
	body    any               // nil: none; string: sent as is (JSON unless header says otherwise); url.Values: a form; else encoded as JSON
	user    string            // the role whose API token is sent; "" for anonymous
	header  map[string]string // extra request headers
	browser string            // the page session cookie jar to use and update; "" for none
	node    int               // which server answers: 0 or 1, both on the same database
	before  func()            // run just before the request (move the clock …)
	want    int
	check   func(t *testing.T, r *response)
}

// response is what a scenario got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// fixture is the demo district behind two servers on one database: two
// nodes of one hall.
type fixture struct {
	st      *store.Store
	svc     *service.Service // the service both nodes serve, for what a test sets up or reads beside HTTP
	clk     *clock.Manual
	nodes   [2]*httptest.Server
	client  *http.Client
	creds   map[string]service.Credential // the first demo account of each role
	tokens  map[string]string             // API tokens by role, logged in once
	cookies map[string]*http.Cookie       // page session cookies by browser
	seq     int
}

// eachDatabase runs fn on a fresh demo district for every dialect
// storetest offers, with the clock at start.
func eachDatabase(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Parallel()
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		fn(t, newFixture(t, st, clk))
	})
}

func newFixture(t *testing.T, st *store.Store, clk *clock.Manual) *fixture {
	t.Helper()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	svc := service.New(st, clk, log, service.DefaultConfig())
	creds, err := svc.LoadDemo(service.AsSystem(context.Background()), demo.Load())
	if err != nil || len(creds) == 0 {
		t.Fatalf("load demo: %v (%d accounts)", err, len(creds))
	}
	f := &fixture{
		st: st, clk: clk, svc: svc,
		// Redirects are answers to check, not to follow.
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		creds:  map[string]service.Credential{}, tokens: map[string]string{}, cookies: map[string]*http.Cookie{},
	}
	for _, c := range creds {
		if c.Role == "applicant" {
			continue // an online hall account: see the applicant tests
		}
		if _, ok := f.creds[string(c.Role)]; !ok {
			f.creds[string(c.Role)] = c
		}
		if len(c.Roles) > 1 { // one clerk, two desks: "intake,issuance"
			f.creds[org.RolesText(c.Roles)] = c
		}
	}
	for i := range f.nodes {
		srv, err := server.New(server.Config{Version: "test"}, svc, server.NewSessions(sessionStore(st), false), log)
		if err != nil {
			t.Fatal(err)
		}
		f.nodes[i] = httptest.NewServer(srv.Handler())
		t.Cleanup(f.nodes[i].Close)
	}
	return f
}

// sessionStore keeps page sessions in the store's database, as serve does.
func sessionStore(st *store.Store) scs.Store {
	if st.Dialect() == store.Postgres {
		return postgresstore.NewWithCleanupInterval(st.DB(), 0)
	}
	return sqlite3store.NewWithCleanupInterval(st.DB(), 0)
}

// user returns the demo account of role.
func (f *fixture) user(t *testing.T, role string) service.Credential {
	t.Helper()
	c, ok := f.creds[role]
	if !ok {
		t.Fatalf("no demo account with role %q", role)
	}
	return c
}

// loginBody returns the JSON body of a sign-in as role with password.
func (f *fixture) loginBody(t *testing.T, role, password string) map[string]string {
	return map[string]string{"username": f.user(t, role).Username, "password": password}
}

// token returns an API token of role, signing in on first use.
func (f *fixture) token(t *testing.T, role string) string {
	t.Helper()
	if tok, ok := f.tokens[role]; ok {
		return tok
	}
	c := f.user(t, role)
	r := f.do(t, scenario{method: "POST", path: "/api/v1/login", body: f.loginBody(t, role, c.Password)}, "login-"+role)
	if r.status != http.StatusOK {
		t.Fatalf("log in as %s: %d %s", role, r.status, r.body)
	}
	tok := decode[struct{ Token string }](t, r).Token
	f.tokens[role] = tok
	return tok
}

// run runs the scenarios in order, each as a subtest.
func (f *fixture) run(t *testing.T, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Helper()
			if sc.before != nil {
				sc.before()
			}
			if sc.user != "" {
				f.token(t, sc.user) // signing in is not part of the scenario
			}
			var before map[string]string
			if sc.want >= 400 {
				before = f.snapshot(t)
			}
			f.seq++
			id := fmt.Sprintf("scenario-%d", f.seq)
			r := f.do(t, sc, id)
			if r.status != sc.want {
				t.Fatalf("%s %s: status %d, want %d; body: %s", sc.method, sc.path, r.status, sc.want, r.body)
			}
			if got := r.header.Get("X-Request-Id"); got != id {
				t.Errorf("X-Request-Id %q, want %q echoed", got, id)
			}
			if sc.want >= 400 && strings.HasPrefix(sc.path, "/api/") {
				p := r.problem(t)
				if p.Status != sc.want || p.Code == "" || p.Detail == "" || p.RequestID != id {
					t.Errorf("problem %+v: want status %d, a code, a detail and request_id %q", p, sc.want, id)
				}
			}
			if sc.check != nil {
				sc.check(t, r)
			}
			if sc.want >= 400 {
				unchanged(t, before, f.snapshot(t))
			}
		})
	}
}

// do sends the scenario's request with the request id.
func (f *fixture) do(t *testing.T, sc scenario, id string) *response {
	t.Helper()
	var body io.Reader
	contentType := ""
	switch b := sc.body.(type) {
	case nil:
	case string:
		body, contentType = strings.NewReader(b), "application/json"
	case url.Values:
		body, contentType = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body, contentType = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(sc.method, f.nodes[sc.node].URL+sc.path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Request-Id", id)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if sc.user != "" {
		req.Header.Set("Authorization", "Bearer "+f.token(t, sc.user))
	}
	if c := f.cookies[sc.browser]; sc.browser != "" && c != nil {
		req.AddCookie(c)
	}
	for k, v := range sc.header {
		req.Header.Set(k, v)
	}
	res, err := f.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if sc.browser != "" {
		// Keep the session cookie as a browser would: a new one replaces
		// it, an expired one removes it.
		for _, c := range res.Cookies() {
			if c.Name != "onewindow_session" {
				continue
			}
			if c.MaxAge < 0 || c.Value == "" {
				delete(f.cookies, sc.browser)
			} else {
				f.cookies[sc.browser] = c
			}
		}
	}
	return &response{status: res.StatusCode, header: res.Header, body: b}
}

// snapshot renders, table by table, the data a refused request must not
// touch. The record of sign-in attempts and lockouts is left out:
// counting failures is its point.
func (f *fixture) snapshot(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for table, q := range map[string]string{
		"items":          `SELECT code, version, is_current, name, department_id, kind, statutory_days, promised_days FROM items ORDER BY code, version`,
		"item_materials": `SELECT item_id, position, code, name, required FROM item_materials ORDER BY item_id, position`,
		"calendar_days":  `SELECT * FROM calendar_days ORDER BY 1`,
		"hall_days":      `SELECT * FROM hall_days ORDER BY 1, 2`,
		"users":          `SELECT username, password_hash, active FROM users ORDER BY username`,
		"api_tokens":     `SELECT token_hash, revoked_at FROM api_tokens ORDER BY token_hash`,
		"departments":    `SELECT code, name FROM departments ORDER BY code`,
		"sms_templates":  `SELECT kind, body, updated_by FROM sms_templates ORDER BY kind`,
		"deadline_policies": `SELECT version, accept_days, prereview_days, correct_days, archive_days, split,
			handover_same_day, handover_next_day, note, published_by FROM deadline_policies ORDER BY version`,
	} {
		out[table] = dump(t, f.st.DB(), q)
	}
	return out
}

// unchanged reports every table that differs between two snapshots, with
// the rows from the first difference on.
func unchanged(t *testing.T, before, after map[string]string) {
	t.Helper()
	for table, b := range before {
		a := after[table]
		if a == b {
			continue
		}
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		i = strings.LastIndex(a[:i], ";") + 1
		t.Errorf("a refused request changed %s:\nbefore …%.300s\nafter  …%.300s", table, b[i:], a[i:])
	}
}

func dump(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%v;", vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// decode reads r's JSON body into a T.
func decode[T any](t *testing.T, r *response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %T: %v; body: %s", v, err, r.body)
	}
	return v
}

// problem reads r as a problem document, checking its media type.
func (r *response) problem(t *testing.T) problem.Problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != problem.ContentType {
		t.Errorf("Content-Type %q, want %q", ct, problem.ContentType)
	}
	return decode[problem.Problem](t, r)
}

// wantProblem checks the problem's code, that its detail contains detail,
// and that its errors name each of fields.
func wantProblem(code, detail string, fields ...string) func(*testing.T, *response) {
	return func(t *testing.T, r *response) {
		t.Helper()
		p := r.problem(t)
		if string(p.Code) != code {
			t.Errorf("code %q, want %q (%s)", p.Code, code, p.Detail)
		}
		if !strings.Contains(p.Detail, detail) {
			t.Errorf("detail %q, want it to contain %q", p.Detail, detail)
		}
		for _, want := range fields {
			found := false
			for _, e := range p.Errors {
				found = found || e.Field == want
			}
			if !found {
				t.Errorf("errors %+v do not name field %q", p.Errors, want)
			}
		}
	}
}

// contains checks the body contains every one of texts.
func contains(texts ...string) func(*testing.T, *response) {
	return func(t *testing.T, r *response) {
		t.Helper()
		for _, s := range texts {
			if !bytes.Contains(r.body, []byte(s)) {
				t.Errorf("body does not contain %q:\n%s", s, r.body)
			}
		}
	}
}

// redirectsTo checks the Location header.
func redirectsTo(path string) func(*testing.T, *response) {
	return func(t *testing.T, r *response) {
		t.Helper()
		if got := r.header.Get("Location"); got != path {
			t.Errorf("Location %q, want %q", got, path)
		}
	}
}

// all runs several checks.
func all(checks ...func(*testing.T, *response)) func(*testing.T, *response) {
	return func(t *testing.T, r *response) {
		t.Helper()
		for _, c := range checks {
			c(t, r)
		}
	}
}
