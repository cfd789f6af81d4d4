package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/broadcast"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/server"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// abuseHall is the demo district behind one server with the given
// settings, and its demo accounts' passwords.
type abuseHall struct {
	svc       *service.Service
	st        *store.Store
	clk       *clock.Manual
	url       string
	passwords map[string]string
}

func newAbuseHall(t *testing.T, st *store.Store, clk *clock.Manual, scfg service.Config, cfg server.Config) *abuseHall {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, clk, log, scfg)
	creds, err := svc.LoadDemo(service.AsSystem(context.Background()), demo.Load())
	if err != nil {
		t.Fatal(err)
	}
	h := &abuseHall{svc: svc, st: st, clk: clk, passwords: map[string]string{}}
	for _, c := range creds {
		h.passwords[c.Username] = c.Password
	}
	cfg.Version = "test"
	srv, err := server.New(cfg, svc, server.NewSessions(sessionStore(st), false), log)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	h.url = ts.URL
	return h
}

// eachAbuseHall runs fn on a fresh hall with cfg for every database.
func eachAbuseHall(t *testing.T, scfg service.Config, cfg server.Config, fn func(t *testing.T, h *abuseHall)) {
	t.Parallel()
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		fn(t, newAbuseHall(t, st, clk, scfg, cfg))
	})
}

// post sends a form (or, for a path under /api/v1, JSON) with headers and
// returns the response, its body read.
func (h *abuseHall) post(t *testing.T, path string, form url.Values, header map[string]string) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	ctype := "application/x-www-form-urlencoded"
	if strings.HasPrefix(path, "/api/") {
		m := map[string]string{}
		for k := range form {
			m[k] = form.Get(k)
		}
		b, _ := json.Marshal(m)
		body, ctype = strings.NewReader(string(b)), "application/json"
	} else {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest("POST", h.url+path, body)
	req.Header.Set("Content-Type", ctype)
	for k, v := range header {
		req.Header.Add(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// lastSignInAddr signs in as nobody with headers and returns the address
// the sign-in record keeps for it.
func (h *abuseHall) lastSignInAddr(t *testing.T, i int, header map[string]string) string {
	t.Helper()
	res, _ := h.post(t, "/api/v1/login", url.Values{"username": {fmt.Sprintf("nobody%d", i)}, "password": {"wrong-password1"}}, header)
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("sign-in %d: %s", i, res.Status)
	}
	ins, err := h.st.SignIns(context.Background(), 1)
	if err != nil || len(ins) != 1 {
		t.Fatalf("sign-ins: %v %v", ins, err)
	}
	return ins[0].RemoteAddr
}

// TestClientAddress: the client's address comes from the configured header
// of a trusted proxy only: X-Forwarded-For walked right to left past the
// trusted hops, or X-Real-IP. The sign-in record shows what the server
// worked out (logs and limits read the same).
func TestClientAddress(t *testing.T) {
	trusted, err := server.ParseTrustedProxies("127.0.0.1, 10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	xff := func(vs ...string) map[string]string {
		return map[string]string{"X-Forwarded-For": strings.Join(vs, ", ")}
	}
	eachAbuseHall(t, service.DefaultConfig(), server.Config{TrustedProxies: trusted}, func(t *testing.T, h *abuseHall) {
		for i, c := range []struct {
			name   string
			header map[string]string
			want   string
		}{
			{"no header: the peer", nil, "127.0.0.1"},
			{"one hop", xff("203.0.113.1"), "203.0.113.1"},
			{"a forged hop on the left is not read", xff("198.51.100.9", "203.0.113.1"), "203.0.113.1"},
			{"trusted hops on the right are skipped", xff("203.0.113.1", "10.1.2.3"), "203.0.113.1"},
			{"only trusted hops: the furthest", xff("10.0.0.1", "10.0.0.2"), "10.0.0.1"},
			{"garbage: the last trusted hop", xff("<script>", "10.0.0.2"), "10.0.0.2"},
			{"an IPv4-mapped address", xff("::ffff:203.0.113.5"), "203.0.113.5"},
			{"IPv6", xff("2001:db8::1"), "2001:db8::1"},
			{"X-Real-IP is not the configured header", map[string]string{"X-Real-IP": "203.0.113.9"}, "127.0.0.1"},
		} {
			if got := h.lastSignInAddr(t, i, c.header); got != c.want {
				t.Errorf("%s: %q, want %q", c.name, got, c.want)
			}
			h.clk.Advance(10 * time.Second) // keep under the sign-in rate of one client
		}
	})
	t.Run("untrusted peer", func(t *testing.T) {
		eachAbuseHall(t, service.DefaultConfig(), server.Config{}, func(t *testing.T, h *abuseHall) {
			if got := h.lastSignInAddr(t, 1, xff("203.0.113.1")); got != "127.0.0.1" {
				t.Errorf("X-Forwarded-For from an untrusted peer was read: %q", got)
			}
		})
	})
	t.Run("X-Real-IP", func(t *testing.T) {
		eachAbuseHall(t, service.DefaultConfig(), server.Config{TrustedProxies: trusted, ProxyHeader: "X-Real-IP"}, func(t *testing.T, h *abuseHall) {
			for i, c := range []struct {
				header map[string]string
				want   string
			}{
				{map[string]string{"X-Real-IP": "203.0.113.9"}, "203.0.113.9"},
				{map[string]string{"X-Real-IP": "not an address"}, "127.0.0.1"},
				{xff("203.0.113.1"), "127.0.0.1"},
			} {
				if got := h.lastSignInAddr(t, i, c.header); got != c.want {
					t.Errorf("%v: %q, want %q", c.header, got, c.want)
				}
			}
		})
	})
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := server.ParseTrustedProxies(" 10.0.0.0/8,192.0.2.7, 2001:db8::/32 ,")
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32"), netip.MustParsePrefix("2001:db8::/32")}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%v %v, want %v", got, err, want)
	}
	for _, bad := range []string{"10.0.0.0/33", "example.com", "10.0.0"} {
		if _, err := server.ParseTrustedProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := server.CheckProxyHeader("x-real-ip"); err != nil {
		t.Error(err)
	}
	if err := server.CheckProxyHeader("Forwarded"); err == nil {
		t.Error("Forwarded accepted")
	}
}

// TestCodePageLimits reproduces defect 2 through the page: 30 POST
// /my/code for 30 phones from one address answered 200 27 times. Now ten
// do and the rest are 429 with Retry-After; a forged X-Forwarded-For does
// not make new clients, while behind a trusted proxy each real client has
// its own count.
func TestCodePageLimits(t *testing.T) {
	send := func(t *testing.T, h *abuseHall, i int, header map[string]string) *http.Response {
		res, _ := h.post(t, "/my/code", url.Values{"phone": {fmt.Sprintf("1370000%04d", i)}, "purpose": {"register"}}, header)
		return res
	}
	t.Run("one address", func(t *testing.T) {
		eachAbuseHall(t, service.DefaultConfig(), server.Config{}, func(t *testing.T, h *abuseHall) {
			ok := 0
			for i := range 30 {
				res := send(t, h, i, map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", i)})
				switch res.StatusCode {
				case http.StatusOK:
					ok++
				case http.StatusTooManyRequests:
					if res.Header.Get("Retry-After") == "" {
						t.Fatal("429 without Retry-After")
					}
				default:
					t.Fatalf("code %d: %s", i+1, res.Status)
				}
				h.clk.Advance(300 * time.Millisecond)
			}
			if ok != 10 {
				t.Fatalf("one address got %d codes, want 10", ok)
			}
		})
	})
	t.Run("behind a trusted proxy", func(t *testing.T) {
		trusted, _ := server.ParseTrustedProxies("127.0.0.1")
		eachAbuseHall(t, service.DefaultConfig(), server.Config{TrustedProxies: trusted}, func(t *testing.T, h *abuseHall) {
			for i := range 15 {
				if res := send(t, h, i, map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", i)}); res.StatusCode != 200 {
					t.Fatalf("client %d behind the proxy: %s", i+1, res.Status)
				}
			}
		})
	})
}

// flash is the page's message after a form.
var flash = regexp.MustCompile(`验证码已发送至 [0-9*]+`)

// TestResetCodePageAnswersAlike reproduces defect 9's reset half: the page
// said 该手机号未注册. Now a registered and an unregistered phone get the
// same page, message for message.
func TestResetCodePageAnswersAlike(t *testing.T) {
	eachAbuseHall(t, service.DefaultConfig(), server.Config{}, func(t *testing.T, h *abuseHall) {
		var answers []string
		for _, phone := range []string{"13900000001", "13900000099"} { // the demo applicant's, and nobody's
			res, body := h.post(t, "/my/code", url.Values{"phone": {phone}, "purpose": {"reset"}}, nil)
			msg := flash.FindString(body)
			if res.StatusCode != 200 || msg == "" || strings.Contains(body, "未注册") {
				t.Fatalf("reset code for %s: %s %q", phone, res.Status, msg)
			}
			answers = append(answers, res.Status+" "+msg[:len(msg)-4])
		}
		if answers[0] != answers[1] {
			t.Fatalf("answers differ: %q", answers)
		}
	})
}

// TestDeviceCookie: a successful sign-in, by the page or the API, gives
// the browser its device cookie (random, HttpOnly, SameSite=Lax), and a
// known device passes the username's global back-off.
func TestDeviceCookie(t *testing.T) {
	scfg := service.DefaultConfig()
	scfg.Limits.BackoffAfter = 3
	eachAbuseHall(t, scfg, server.Config{}, func(t *testing.T, h *abuseHall) {
		res, _ := h.post(t, "/login", url.Values{"username": {"admin"}, "password": {h.passwords["admin"]}}, nil)
		var device *http.Cookie
		for _, c := range res.Cookies() {
			if c.Name == service.DeviceCookie {
				device = c
			}
		}
		if res.StatusCode != http.StatusSeeOther || device == nil || !strings.HasPrefix(device.Value, "dv_") || !device.HttpOnly ||
			device.SameSite != http.SameSiteLaxMode || device.Path != "/" || device.MaxAge < 365*24*3600 {
			t.Fatalf("page sign-in: %s, device cookie %+v", res.Status, device)
		}
		res, _ = h.post(t, "/api/v1/login", url.Values{"username": {"shouli"}, "password": {h.passwords["shouli"]}}, nil)
		if !strings.Contains(res.Header.Get("Set-Cookie"), service.DeviceCookie+"=dv_") {
			t.Errorf("API sign-in set no device cookie: %q", res.Header.Get("Set-Cookie"))
		}
		// The back-off starts; a stranger with the right password waits,
		// with Retry-After, the known device does not.
		for range 3 {
			h.post(t, "/api/v1/login", url.Values{"username": {"admin"}, "password": {"wrong-password1"}}, nil)
		}
		res, _ = h.post(t, "/api/v1/login", url.Values{"username": {"admin"}, "password": {h.passwords["admin"]}}, nil)
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "1" {
			t.Fatalf("a stranger during the back-off: %s, Retry-After %q", res.Status, res.Header.Get("Retry-After"))
		}
		res, _ = h.post(t, "/api/v1/login", url.Values{"username": {"admin"}, "password": {h.passwords["admin"]}},
			map[string]string{"Cookie": service.DeviceCookie + "=" + device.Value})
		if res.StatusCode != http.StatusOK || strings.Contains(res.Header.Get("Set-Cookie"), service.DeviceCookie) {
			t.Fatalf("the known device during the back-off: %s (Set-Cookie %q)", res.Status, res.Header.Get("Set-Cookie"))
		}
	})
}

// TestBoardStreamCapAnswer: a board refused for a full cap gets 429 with
// Retry-After, which the board's script waits out before it reconnects.
func TestBoardStreamCapAnswer(t *testing.T) {
	scfg := service.DefaultConfig()
	scfg.Limits.BoardPerHall = 1
	eachAbuseHall(t, scfg, server.Config{}, func(t *testing.T, h *abuseHall) {
		attachHub(t, h.st, h.svc)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		open := func() *http.Response {
			req, _ := http.NewRequestWithContext(ctx, "GET", h.url+"/board/"+demo.DistrictHall+"/events", nil)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		first := open()
		defer first.Body.Close()
		if first.StatusCode != 200 {
			t.Fatalf("first stream: %s", first.Status)
		}
		second := open()
		body, _ := io.ReadAll(second.Body)
		second.Body.Close()
		if second.StatusCode != http.StatusTooManyRequests || second.Header.Get("Retry-After") != "30" || !strings.Contains(string(body), "已满") {
			t.Fatalf("second stream: %s, Retry-After %q, %q", second.Status, second.Header.Get("Retry-After"), body)
		}
	})
}

// attachHub gives svc a board hub on st, as serve does.
func attachHub(t *testing.T, st *store.Store, svc *service.Service) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := broadcast.Config{DB: st.DB()}
	if st.Dialect() == store.Postgres {
		cfg.Postgres, cfg.DSN = true, os.Getenv(storetest.PostgresEnv)
		cfg.Channel = fmt.Sprintf("board_server_test_%d", time.Now().UnixNano())
	}
	hub, err := broadcast.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); hub.Run(ctx) }()
	t.Cleanup(func() { hub.Close(); cancel(); <-done })
	<-hub.Listening()
	svc.SetBoard(hub)
}
