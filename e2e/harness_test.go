// Package e2e drives the staff pages in Debian's chromium (headless, no
// sandbox, a temporary profile). Without chromium the tests skip with a
// message; with ONEWINDOW_E2E_REQUIRED set (CI) they fail instead.
//
// ONEWINDOW_SCREENSHOTS=DIR saves screenshots of the main pages there
// (docs/screenshots in the README were made so).
package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/scs/sqlite3store"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/server"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// chromiumPath finds the browser, or skips (fails in CI) without it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("ONEWINDOW_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("ONEWINDOW_E2E_REQUIRED") != "" {
		t.Fatal("browser tests are required (ONEWINDOW_E2E_REQUIRED) but chromium is not installed: apt-get install chromium fonts-noto-cjk")
	}
	t.Skip("chromium is not installed: browser tests skipped (apt-get install chromium fonts-noto-cjk to run them)")
	return ""
}

// hall is a running OneWindow with the demo district, on SQLite, at a
// fixed moment: Monday 2026-09-28 09:30, three days before National Day.
type hall struct {
	base  string
	svc   *service.Service
	clk   *clock.Manual
	creds map[string]string
	gate  atomic.Pointer[gate] // holds POSTs to one path (holdPosts)
}

// gate holds every POST to path until release is closed, telling arrived
// of each.
type gate struct {
	path    string
	arrived chan struct{}
	release chan struct{}
}

// holdPosts makes the server hold every POST to path until the returned
// release is called (also at the test's end); arrived receives one value
// per POST that reached the server.
func (h *hall) holdPosts(t *testing.T, path string) (arrived <-chan struct{}, release func()) {
	g := &gate{path: path, arrived: make(chan struct{}, 16), release: make(chan struct{})}
	h.gate.Store(g)
	var once sync.Once
	release = func() { once.Do(func() { h.gate.Store(nil); close(g.release) }) }
	t.Cleanup(release)
	return g.arrived, release
}

var start = time.Date(2026, 9, 28, 9, 30, 0, 0, clock.Shanghai)

func newHall(t *testing.T) *hall {
	t.Helper()
	return newHallWith(t, server.Config{Version: "e2e"})
}

// newHallWith is newHall with the server's settings given.
func newHallWith(t *testing.T, srvCfg server.Config) *hall {
	t.Helper()
	clk := clock.At(start)
	st := storetest.Open(t, store.SQLite, clk)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := service.DefaultConfig()
	cfg.TokenTTL = 24 * time.Hour * 365
	svc := service.New(st, clk, log, cfg)
	creds, err := svc.LoadDemo(service.AsSystem(context.Background()), demo.Load())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(srvCfg, svc, server.NewSessions(sqlite3store.NewWithCleanupInterval(st.DB(), 0), false), log)
	if err != nil {
		t.Fatal(err)
	}
	h := &hall{svc: svc, clk: clk, creds: map[string]string{}}
	handler := srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g := h.gate.Load(); g != nil && r.Method == http.MethodPost && r.URL.Path == g.path {
			g.arrived <- struct{}{}
			<-g.release
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	h.base = ts.URL
	for _, c := range creds {
		if c.Role == "applicant" {
			continue // an online hall account: see the applicant tests
		}
		h.creds[c.Username] = c.Password
	}
	return h
}

// browser starts a headless chromium for the test: 1366×768, a hall PC.
// The test fails at its end if any page it showed reported an error to
// the console: a script exception, console.error, or content its
// Content-Security-Policy blocked.
func browser(t *testing.T) context.Context {
	t.Helper()
	ctx, _ := watchedBrowser(t)
	return ctx
}

// watchedBrowser is browser, with its watch for a test to listen on;
// extra adds flags to chromium's (the document camera's test gives it a
// fake camera).
func watchedBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) (context.Context, *consoleWatch) {
	t.Helper()
	ctx, console := newBrowser(t, extra...)
	t.Cleanup(func() {
		if errs := console.errors(); len(errs) > 0 {
			t.Errorf("the pages reported %d console error(s):\n%s", len(errs), strings.Join(errs, "\n"))
		}
	})
	return ctx, console
}

// newBrowser starts chromium, with the extra flags, and watches its
// console.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) (context.Context, *consoleWatch) {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("lang", "zh-CN"),
	)
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	console := &consoleWatch{}
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithListener(console.see))
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// A violation of the policy also reaches the page as an event: report
	// it to the console with what was blocked and where.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspReporter}); err != nil {
		t.Fatalf("watch for policy violations: %v", err)
	}
	return ctx, console
}

// cspReporter runs in every page before its own scripts (the browser runs
// it whatever the page's policy).
const cspReporter = `document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.effectiveDirective + " blocked " + (e.blockedURI || "inline code") +
    " in " + e.documentURI + (e.sourceFile ? " at " + e.sourceFile + ":" + e.lineNumber : "") +
    (e.sample ? " (" + e.sample + ")" : ""));
});`

// consoleWatch collects what pages report as errors: script exceptions,
// console.error, and the browser's own error entries (a blocked inline
// script or style among them). Failed requests are left out: tests load
// pages that answer 4xx on purpose.
type consoleWatch struct {
	mu   sync.Mutex
	msgs []string
	// also are further listeners a test adds (listen).
	also []func(ev any)
}

// listen adds fn to the browser's listeners; like see, it must return fast.
func (w *consoleWatch) listen(fn func(ev any)) {
	w.mu.Lock()
	w.also = append(w.also, fn)
	w.mu.Unlock()
}

// see is the listener: it runs on the browser's reading goroutine, so it
// only records.
func (w *consoleWatch) see(ev any) {
	w.mu.Lock()
	also := w.also
	w.mu.Unlock()
	for _, fn := range also {
		fn(ev)
	}
	var msg string
	switch e := ev.(type) {
	case *runtime.EventExceptionThrown:
		msg = "exception: " + e.ExceptionDetails.Text
		if ex := e.ExceptionDetails.Exception; ex != nil {
			msg += " " + ex.Description
		}
		msg += " at " + e.ExceptionDetails.URL
	case *runtime.EventConsoleAPICalled:
		if e.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		var parts []string
		for _, a := range e.Args {
			if a.Description != "" {
				parts = append(parts, a.Description)
			} else {
				parts = append(parts, strings.Trim(string(a.Value), `"`))
			}
		}
		msg = "console.error: " + strings.Join(parts, " ")
	case *cdplog.EventEntryAdded:
		if e.Entry.Level != cdplog.EntryLevelError || e.Entry.Source == cdplog.EntrySourceNetwork {
			return
		}
		msg = string(e.Entry.Source) + ": " + e.Entry.Text + " " + e.Entry.URL
	default:
		return
	}
	w.mu.Lock()
	w.msgs = append(w.msgs, msg)
	w.mu.Unlock()
}

// errors returns what was collected so far.
func (w *consoleWatch) errors() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.msgs)
}

// do runs browser steps, failing the test with what was attempted.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// text returns the visible text of the first element matching css.
func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

// as signs the browser out and in again as user, through the pages.
func (h *hall) as(t *testing.T, ctx context.Context, user string) {
	t.Helper()
	do(t, ctx, "sign in as "+user,
		chromedp.Navigate(h.base+"/login?again=1"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SetValue(chromedp.CSS("#username"), user),
		chromedp.SetValue(chromedp.CSS("#password"), h.creds[user]),
	)
	if _, err := chromedp.RunResponse(ctx, chromedp.Submit(chromedp.CSS("#password"))); err != nil {
		t.Fatalf("sign in as %s: %v", user, err)
	}
	if who := text(t, ctx, "header .who"); !strings.Contains(who, "（") {
		t.Fatalf("signed in as %s, header says %q", user, who)
	}
}

// open goes to a page and waits for its main content.
func (h *hall) open(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	do(t, ctx, "open "+path, chromedp.Navigate(h.base+path), chromedp.WaitVisible(chromedp.CSS("body > *")))
}

// shot saves a screenshot of the whole page when ONEWINDOW_SCREENSHOTS names
// a folder.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("ONEWINDOW_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// takeIn takes a case in through the service as the intake clerk: the
// browser tests of later desks start from it.
func (h *hall) takeIn(t *testing.T, in casework.Intake) string {
	t.Helper()
	u, err := h.svc.Login(context.Background(), "shouli", h.creds["shouli"])
	if err != nil {
		t.Fatal(err)
	}
	ctx := service.WithRequest(service.WithUser(context.Background(), u), service.Request{ID: "e2e", Channel: "web"})
	v, err := h.svc.Intake(ctx, in)
	if err != nil {
		t.Fatalf("intake: %v", err)
	}
	return v.Case.Number
}
