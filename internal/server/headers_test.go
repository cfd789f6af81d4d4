package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/server"
	"github.com/onewindow/onewindow/internal/service"
)

// strictCSP are the directives every page's Content-Security-Policy must
// carry.
var strictCSP = []string{"default-src 'self'", "script-src 'self'", "img-src 'self' data:", "object-src 'none'", "base-uri 'none'", "form-action 'self'"}

// checkHeaders checks the security headers of one answer; framing is
// "none" for every page but a board with configured ancestors.
func checkHeaders(t *testing.T, what string, h http.Header, framing string) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	for _, d := range strictCSP {
		if !strings.Contains(csp, d) {
			t.Errorf("%s: Content-Security-Policy %q lacks %q", what, csp, d)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("%s: Content-Security-Policy %q allows inline code", what, csp)
	}
	if !strings.Contains(csp, "frame-ancestors "+framing) {
		t.Errorf("%s: Content-Security-Policy %q, want frame-ancestors %s", what, csp, framing)
	}
	xfo := "DENY"
	if framing != "'none'" {
		xfo = "" // X-Frame-Options cannot name origins
	}
	for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": xfo} {
		if got := h.Get(name); got != want {
			t.Errorf("%s: %s %q, want %q", what, name, got, want)
		}
	}
	// Pages whose address carries a token (a ticket, a rating pad) send
	// no referrer at all.
	if rp := h.Get("Referrer-Policy"); rp != "same-origin" && rp != "no-referrer" {
		t.Errorf("%s: Referrer-Policy %q, want same-origin (or no-referrer)", what, rp)
	}
}

// inlineCode finds what the policy would block in a page: inline script,
// inline style, style attributes, event handler attributes, javascript:
// links.
var inlineCode = regexp.MustCompile(`(?i)<script\b[^>]*>\s*[^<\s]|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:`)

// getPatterns returns every GET route the pages and the server register,
// read from their source: a route added without a row in the test's table
// fails the test.
func getPatterns(t *testing.T) []string {
	t.Helper()
	pattern := regexp.MustCompile(`"GET (/[^"]*)"`)
	var out []string
	for _, root := range []string{"../web", "."} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir() && root == "." && path != root:
				return filepath.SkipDir // the server's own package only; the pages' with their subfolders
			case d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go"):
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range pattern.FindAllStringSubmatch(string(src), -1) {
				out = append(out, m[1])
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(out) < 50 {
		t.Fatalf("found only %d GET routes in the source: has the route table moved?", len(out))
	}
	return out
}

// matches reports whether path is served by the ServeMux pattern.
func matches(pattern, path string) bool {
	var re strings.Builder
	re.WriteString("^")
	for _, seg := range strings.Split(strings.TrimPrefix(pattern, "/"), "/") {
		switch {
		case seg == "{$}":
			re.WriteString("/")
		case strings.HasSuffix(seg, "...}"):
			re.WriteString("/.*")
		case strings.HasPrefix(seg, "{"):
			re.WriteString("/[^/]+")
		case seg == "":
			re.WriteString("/.*") // a pattern ending in a slash is a prefix
		default:
			re.WriteString("/" + regexp.QuoteMeta(seg))
		}
	}
	if !strings.HasSuffix(pattern, "/") {
		re.WriteString("$")
	}
	u, _ := url.Parse(path)
	return regexp.MustCompile(re.String()).MatchString(u.Path)
}

// TestSecurityHeadersOnEveryRoute fetches every GET route of the pages and
// the server (the table below; the source's routes are checked to be all
// in it) and checks the security headers on each answer, and that no page
// carries inline code the policy would block.
func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	eachDesk(t, "2026-09-30T10:00:00+08:00", func(t *testing.T, d *caseDesk) {
		blobs, err := blob.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		d.svc.Use(blobs, nil)
		number := d.take(t, foodLicence()).Number
		me := onlineApplicant(t, d, "13900000009")
		online := submitFoodLicence(t, d, me)
		jar := d.appSession(t, "13900000009", "Window2026hall")
		hall := demo.DistrictHall

		type fetch struct {
			user, path string
			want       int
		}
		pages := []fetch{
			{"", "/static/app.css", 200}, {"", "/login", 200}, {"shouli", "/", 200}, {"shouli", "/password", 200},
			{"", "/items", 200}, {"", "/items/SCJG-XK-001", 200},
			{"admin", "/admin", 200}, {"admin", "/admin/items", 200}, {"admin", "/admin/items/new", 200},
			{"admin", "/admin/items/SCJG-XK-001/edit", 200}, {"admin", "/admin/items/SCJG-XK-001/versions", 200},
			{"admin", "/admin/items/SCJG-XK-001/versions/1", 200}, {"admin", "/admin/calendar", 200}, {"admin", "/admin/policy", 200},
			{"admin", "/admin/halls", 200}, {"admin", "/admin/departments", 200}, {"admin", "/admin/users", 200},
			{"admin", "/admin/users/shouli", 200}, {"admin", "/admin/bundles", 200}, {"admin", "/admin/queue", 200},
			{"admin", "/admin/clients", 200}, {"admin", "/admin/webhooks", 200}, {"admin", "/admin/webhooks/999", 404},
			{"admin", "/admin/sms", 200}, {"", "/n/AAAAAAAAAAAAAAAA", 404},
			{"", "/appointments/" + hall, 200}, {"", "/appointments/" + hall + "/checkin", 200},
			{"shouli", "/appointments/" + hall + "/bookings", 200},
			{"", "/board/" + hall, 200},
			{"shouli", "/cases", 200}, {"shouli", "/cases/" + number, 200}, {"shouli", "/cases/" + number + "/print/0", 200},
			{"shenpi", "/cases/" + online + "/files/0000", 404},
			{"shenpi", "/dept", 200}, {"chujian", "/issuance", 200}, {"shenpi", "/handover", 200},
			{"shenpi", "/handover/print?numbers=" + number, 200},
			{"admin", "/admin/halls/JC-BHJD/scope", 200}, {"shouli2", "/transit", 200},
			{"chushen", "/initial-review", 200}, {"shouli", "/initial-review", 403},
			{"shouli", "/transit/batches/JJ20260930001", 404}, {"shouli", "/transit/batches/JJ20260930001/print", 404},
			{"shouli", "/guidance", 200}, {"admin", "/queue/figures", 200},
			{"shouli", "/intake", 200}, {"shouli", "/intake/check-id?id_type=credit_code&id_number=91350100M000100Y43", 200},
			{"shouli", "/intake/recall?id_number=91350100M000100Y43", 200}, {"shouli", "/intake/notices", 200},
			{"shouli", "/intake/notices/1/print", 404}, {"shouli", "/intake/SCJG-XK-001", 200},
			{"", "/my/login", 200}, {"", "/my/register", 200}, {"", "/my/reset", 200},
			{jar, "/my", 200}, {jar, "/my/", 200}, {jar, "/my/profile", 200}, {jar, "/my/apply", 200},
			{jar, "/my/apply/SCJG-XK-001", 200}, {jar, "/my/drafts", 200}, {jar, "/my/drafts/999", 404},
			{jar, "/my/cases/" + online, 200}, {jar, "/my/agents", 200}, {jar, "/my/bundles", 200},
			{jar, "/my/bundles/YJS-CY/apply", 200}, {jar, "/my/files/drafts/999/00", 404},
			{jar, "/my/files/cases/" + online + "/00", 404}, {jar, "/my/cases/" + online + "/documents/99", 404},
			{"shenpi", "/dept/prereview", 200}, {"shouli", "/intake/online", 200}, {"shouli", "/intake/bundles", 200},
			{"shouli", "/intake/bundles/YJS-CY", 200}, {"shenpi", "/bundles", 200}, {"shenpi", "/bundles/YJS209901010001", 404}, {"shenpi", "/bundles/nope", 422}, {"shenpi", "/bundles/YJS209901010001/print", 404},
			{"daiban", "/agent", 200}, {"daiban", "/agent/cases/" + number, 404}, {"daiban", "/agent/apply", 403},
			{"daiban", "/agent/work", 200}, {"daiban", "/agent/applicants/999999", 404}, {"daibanguanli", "/agent/team", 200},
			{"", "/progress", 200}, {"", "/verify/" + number, 200}, {"", "/verify/" + number + "?code=WRONG23456", 404},
			{"", "/kiosk/" + hall, 200}, {"", "/kiosk/" + hall + "/ticket/999", 404}, {"", "/queue/ticket/999", 404},
			{"shouli", "/window", 200},
			{"", "/pad/" + hall + "/A01", 401}, {"", "/pad/" + hall + "/A01/pending", 401},
			{"shouli", "/pad/" + hall + "/A01/setup", 200},
			{"", "/rate/" + number, 200}, {"shenpi", "/rectifications", 200}, {"shenpi", "/rectifications/999", 404},
			{"jiandu", "/supervision", 200}, {"jiandu", "/supervision/cases?from=2026-01-01&to=2026-01-31", 200},
			{"jiandu", "/supervision/ratings", 200}, {"jiandu", "/supervision/notices", 200},
			{"jiandu", "/supervision/notices/new", 200}, {"jiandu", "/supervision/notices/999", 404}, {"jiandu", "/supervision/bulletin", 200},
			{"jiandu", "/supervision/ledgers", 200}, {"jiandu", "/supervision/ledgers/notices", 200},
			{"jiandu", "/supervision/halls", 200}, {"jiandu", "/supervision/halls/cases?from=2026-01-01&to=2026-01-31&group=hall&key=" + hall + "&kind=pickup", 200},
			{"", "/screen/" + hall, 200}, {"", "/screen/" + hall + "/figures", 200},
			{"", "/healthz", 200}, {"", "/readyz", 200}, {"", "/api/v1/docs", 200}, {"", "/api/v1/items", 200},
			{"", "/api/v1/openapi.json", 200}, {"", "/api/v1/nope", 404}, {"", "/no/such/page", 404},
		}

		var fetched []string
		for _, p := range pages {
			fetched = append(fetched, p.path)
			res, body := d.fetch(t, p.user, p.path)
			if res.StatusCode != p.want {
				t.Errorf("GET %s as %q: %d, want %d", p.path, p.user, res.StatusCode, p.want)
			}
			checkHeaders(t, "GET "+p.path, res.Header, "'none'")
			if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") && p.path != "/api/v1/docs" { // its style: TestDocsPageStyleHash
				if m := inlineCode.FindString(body); m != "" {
					t.Errorf("GET %s: the page carries %q, which its policy blocks", p.path, m)
				}
			}
		}
		// The board's event stream: headers only.
		res := d.stream(t, "/board/"+hall+"/events")
		fetched = append(fetched, "/board/"+hall+"/events")
		checkHeaders(t, "the board's events", res.Header, "'none'")
		// A refused form and a body too large answer with the headers too.
		for _, path := range []string{"/login", "/my/drafts/1/files"} {
			res, _ := d.fetchPost(t, path, strings.Repeat("x", 40<<20))
			checkHeaders(t, "POST "+path, res.Header, "'none'")
		}

		for _, pattern := range getPatterns(t) {
			if !slices.ContainsFunc(fetched, func(p string) bool { return matches(pattern, p) }) {
				t.Errorf("GET %s is in no row of the test's table", pattern)
			}
		}
	})
}

// TestDocsPageStyleHash: the API docs page keeps its inline style, allowed
// by its hash, which must be the hash of the style the page carries.
func TestDocsPageStyleHash(t *testing.T) {
	eachDesk(t, "2026-09-30T10:00:00+08:00", func(t *testing.T, d *caseDesk) {
		res, body := d.fetch(t, "", "/api/v1/docs")
		m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("the docs page has no style")
		}
		sum := sha256.Sum256([]byte(m[1]))
		want := "style-src 'self' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, want) {
			t.Errorf("docs page policy %q lacks %q", csp, want)
		}
		checkHeaders(t, "docs", res.Header, "'none'")
	})
}

// TestBoardFrameAncestors: the display board may be framed by the origins
// configured, every other page by none.
func TestBoardFrameAncestors(t *testing.T) {
	ancestors, err := server.ParseFrameAncestors("https://screens.example.gov.cn, 'self' http://10.1.2.3:8080 https://*.hall.example.gov.cn")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://screens.example.gov.cn", "'self'", "http://10.1.2.3:8080", "https://*.hall.example.gov.cn"}
	if !slices.Equal(ancestors, want) {
		t.Fatalf("parsed %q, want %q", ancestors, want)
	}
	for _, bad := range []string{"screens.example.gov.cn", "https://a.example/board", "https://a.example?x", "*", "https://a.example;script-src *",
		"'unsafe-inline'", "ftp://a.example", "https://user@a.example", "https://a.*.example", "data:"} {
		if _, err := server.ParseFrameAncestors(bad); err == nil {
			t.Errorf("%q accepted as a frame ancestor", bad)
		}
	}
	eachDesk(t, "2026-09-30T10:00:00+08:00", func(t *testing.T, d *caseDesk) {
		ts := d.serve(t, server.Config{Version: "test", BoardFrameAncestors: ancestors}, false)
		hall := demo.DistrictHall
		res, _ := get(t, ts.Client(), ts.URL+"/board/"+hall)
		checkHeaders(t, "the board", res.Header, strings.Join(want, " "))
		for _, path := range []string{"/", "/login", "/kiosk/" + hall, "/progress"} {
			res, _ := get(t, ts.Client(), ts.URL+path)
			checkHeaders(t, path, res.Header, "'none'")
		}
	})
}

// TestSecureCookiesOverHTTPS: a session cookie set over HTTPS is Secure
// without --secure-cookies; over plain HTTP it is not, and a client's
// X-Forwarded-Proto changes that only when it comes from a trusted proxy.
func TestSecureCookiesOverHTTPS(t *testing.T) {
	eachDesk(t, "2026-09-30T10:00:00+08:00", func(t *testing.T, d *caseDesk) {
		const password = "hall2026window"
		if err := d.svc.AddUser(service.AsSystem(context.Background()), &org.User{Username: "cookies", Name: "周立", Role: org.RoleIntake}, password); err != nil {
			t.Fatal(err)
		}
		login := func(ts *httptest.Server, header map[string]string) *http.Cookie {
			form := url.Values{"username": {"cookies"}, "password": {password}}
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range header {
				req.Header.Set(k, v)
			}
			client := ts.Client()
			client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			for _, c := range res.Cookies() {
				if c.Name == "onewindow_session" {
					return c
				}
			}
			t.Fatalf("no session cookie (%d)", res.StatusCode)
			return nil
		}
		tlsServer := d.serve(t, server.Config{Version: "test"}, true)
		if c := login(tlsServer, nil); !c.Secure {
			t.Error("a session cookie set over HTTPS is not Secure")
		}
		plain := d.serve(t, server.Config{Version: "test"}, false)
		if c := login(plain, nil); c.Secure {
			t.Error("a session cookie set over plain HTTP is Secure (a browser would never send it back)")
		}
		if c := login(plain, map[string]string{"X-Forwarded-Proto": "https"}); c.Secure {
			t.Error("an untrusted X-Forwarded-Proto made the cookie Secure")
		}
		behind := d.serve(t, server.Config{Version: "test", TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}}, false)
		if c := login(behind, map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.10"}); !c.Secure {
			t.Error("a trusted proxy's X-Forwarded-Proto: https did not make the cookie Secure")
		}
		if c := login(behind, map[string]string{"X-Forwarded-For": "203.0.113.11"}); c.Secure {
			t.Error("behind a trusted proxy without X-Forwarded-Proto the cookie is Secure")
		}
	})
}

// serve starts another server on the desk's service with cfg, over TLS or
// plain HTTP.
func (d *caseDesk) serve(t *testing.T, cfg server.Config, tls bool) *httptest.Server {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := server.New(cfg, d.svc, server.NewSessions(sessionStore(d.st), false), log)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv.Handler())
	if tls {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	t.Cleanup(ts.Close)
	return ts
}

// get fetches url with client, not following redirects.
func get(t *testing.T, client *http.Client, u string) (*http.Response, string) {
	t.Helper()
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// fetch GETs path as user: a username (its API token), a page session
// cookie ("cookie:…"), or "" for anyone; redirects are answers.
func (d *caseDesk) fetch(t *testing.T, user, path string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, d.base+path, nil)
	if c, ok := strings.CutPrefix(user, "cookie:"); ok {
		req.Header.Set("Cookie", c)
	} else if user != "" {
		req.Header.Set("Authorization", "Bearer "+d.tokens[user])
	}
	c := *d.client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// fetchPost posts a form body to path, anonymously.
func (d *caseDesk) fetchPost(t *testing.T, path, body string) (*http.Response, string) {
	t.Helper()
	res, err := d.client.Post(d.base+path, "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// stream opens an event stream and returns its answer's head.
func (d *caseDesk) stream(t *testing.T, path string) *http.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, d.base+path, nil)
	res, err := d.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// appSession signs an applicant in to the online hall through its page
// and returns the session cookie as a fetch user ("cookie:…").
func (d *caseDesk) appSession(t *testing.T, phone, password string) string {
	t.Helper()
	form := url.Values{"phone": {phone}, "password": {password}}
	res, _ := d.fetchPostForm(t, "/my/login", form)
	for _, c := range res.Cookies() {
		if c.Name == "onewindow_session" {
			return "cookie:" + c.Name + "=" + c.Value
		}
	}
	t.Fatalf("no session after signing in to the online hall: %d", res.StatusCode)
	return ""
}

func (d *caseDesk) fetchPostForm(t *testing.T, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	c := *d.client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := c.Post(d.base+path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}
