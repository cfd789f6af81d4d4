package notify

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// gateway is a fake SMS gateway recording what it was sent.
type gateway struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
	bodies   [][]byte
	status   int
	answer   string
}

func newGateway(t *testing.T) *gateway {
	g := &gateway{status: http.StatusOK, answer: `{"Code":"OK"}`}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		g.mu.Lock()
		g.requests = append(g.requests, r)
		g.bodies = append(g.bodies, b)
		status, answer := g.status, g.answer
		g.mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, answer)
	}))
	t.Cleanup(g.Close)
	return g
}

func (g *gateway) last(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.requests) == 0 {
		t.Fatal("the gateway received nothing")
	}
	return g.requests[len(g.requests)-1], g.bodies[len(g.bodies)-1]
}

func TestSMSSendsTheTemplateSigned(t *testing.T) {
	g := newGateway(t)
	s, err := NewSMS(SMSConfig{URL: g.URL + "/send?action=sms", AppID: "hall-1", Secret: "s3cret", OK: "Code=OK"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return at }
	// A body with quotes, a backslash and a line break: the JSON must still parse.
	body := "【一窗通】您申请的「\"食品\\经营\"许可」需要补正材料。\n请查看通知书"
	if err := s.Send(context.Background(), Message{To: "13812345678", Subject: "退回补正", Body: body, Ref: "n-42"}); err != nil {
		t.Fatal(err)
	}
	r, raw := g.last(t)
	if r.Method != http.MethodPost || r.URL.Path != "/send" || r.URL.Query().Get("action") != "sms" {
		t.Errorf("request %s %s", r.Method, r.URL)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, raw)
	}
	want := map[string]any{"app_id": "hall-1", "phone": "13812345678", "content": body, "out_id": "n-42", "timestamp": float64(at.Unix())}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("body %s = %#v, want %#v", k, got[k], v)
		}
	}
	if n, _ := got["nonce"].(string); len(n) != 16 {
		t.Errorf("nonce %q", n)
	}
	sig := r.Header.Get(DefaultSMSSignature)
	if !VerifySMS("s3cret", sig, raw, at, time.Minute) {
		t.Errorf("signature %q does not verify", sig)
	}
	if VerifySMS("other", sig, raw, at, time.Minute) {
		t.Error("signature verifies with another secret")
	}
	if VerifySMS("s3cret", sig, append(raw, ' '), at, time.Minute) {
		t.Error("signature verifies a changed body")
	}
	if VerifySMS("s3cret", sig, raw, at.Add(10*time.Minute), time.Minute) {
		t.Error("an old signature verifies (replay)")
	}
}

func TestSMSFormBodyTemplate(t *testing.T) {
	g := newGateway(t)
	s, err := NewSMS(SMSConfig{URL: g.URL, Method: "PUT", ContentType: "application/x-www-form-urlencoded",
		Body: `mobile={{urlquery .To}}&msg={{urlquery .Text}}&ref={{urlquery .Ref}}`})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), Message{To: "13812345678", Body: "办结 & 领取", Ref: "n-7"}); err != nil {
		t.Fatal(err)
	}
	r, raw := g.last(t)
	if r.Method != "PUT" {
		t.Errorf("method %s", r.Method)
	}
	if r.Header.Get(DefaultSMSSignature) != "" {
		t.Error("signed without a secret")
	}
	if want := "mobile=13812345678&msg=%E5%8A%9E%E7%BB%93+%26+%E9%A2%86%E5%8F%96&ref=n-7"; string(raw) != want {
		t.Errorf("body %s, want %s", raw, want)
	}
}

func TestSMSFailures(t *testing.T) {
	g := newGateway(t)
	s, err := NewSMS(SMSConfig{URL: g.URL, OK: "Response.SendStatusSet.0.Code=Ok"})
	if err != nil {
		t.Fatal(err)
	}
	m := Message{To: "13812345678", Body: "x"}
	tests := []struct {
		status int
		answer string
		want   apperr.Code
	}{
		{200, `{"Response":{"SendStatusSet":[{"Code":"Ok"}]}}`, ""},
		{200, `{"Response":{"SendStatusSet":[{"Code":"LimitExceeded"}]}}`, apperr.Internal},
		{200, `not json`, apperr.Internal},
		{500, `down`, apperr.Internal},
		{503, ``, apperr.Internal},
		{429, `slow down`, apperr.Internal},
		{408, ``, apperr.Internal},
		{400, `bad phone`, apperr.Invalid},
		{403, `bad key`, apperr.Invalid},
	}
	for _, tt := range tests {
		g.mu.Lock()
		g.status, g.answer = tt.status, tt.answer
		g.mu.Unlock()
		if got := apperr.CodeOf(s.Send(context.Background(), m)); got != tt.want {
			t.Errorf("%d %s: code %q, want %q", tt.status, tt.answer, got, tt.want)
		}
	}
	// Refused before any request.
	g.mu.Lock()
	before := len(g.requests)
	g.mu.Unlock()
	for _, to := range []string{"a@example.cn", "1381234567x", ""} {
		if err := s.Send(context.Background(), Message{To: to, Body: "x"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("Send to %q = %v, want invalid", to, err)
		}
	}
	g.mu.Lock()
	after := len(g.requests)
	g.mu.Unlock()
	if after != before {
		t.Errorf("refused messages reached the gateway")
	}
	// A gateway that never answers is cut off by the timeout.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(time.Second):
		}
	}))
	defer slow.Close()
	s2, _ := NewSMS(SMSConfig{URL: slow.URL, Timeout: 100 * time.Millisecond})
	start := time.Now()
	if err := s2.Send(context.Background(), m); !apperr.Is(err, apperr.Internal) {
		t.Errorf("timeout: %v, want internal", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the timeout took %v", d)
	}
}

func TestSMSSegments(t *testing.T) {
	for _, tt := range []struct {
		n, want int
	}{{0, 0}, {1, 1}, {70, 1}, {71, 2}, {134, 2}, {135, 3}} {
		if got := SMSSegments(strings.Repeat("办", tt.n)); got != tt.want {
			t.Errorf("SMSSegments(%d characters) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

func TestOpenSMS(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "body.tmpl")
	if err := os.WriteFile(tmpl, []byte(`{"to":{{json .To}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open("sms+https://hall-1:s3cret@sms.example.gov.cn/api/send?action=send&body_file="+tmpl+"&ok=Code%3DOK&timeout=5s&signature_header=X-Sign", log)
	if err != nil {
		t.Fatal(err)
	}
	sms := s.(*SMS)
	c := sms.cfg
	if c.URL != "https://sms.example.gov.cn/api/send?action=send" || c.AppID != "hall-1" || c.Secret != "s3cret" ||
		c.OK != "Code=OK" || c.Timeout != 5*time.Second || c.SignatureHeader != "X-Sign" || c.Body != `{"to":{{json .To}}}` {
		t.Errorf("config %+v", c)
	}
	for _, tt := range []struct{ url, want string }{
		{"sms+https://", "主机名"},
		{"sms+https://h.cn/x?timeout=soon", "timeout"},
		{"sms+https://h.cn/x?method=GET", "method"},
		{"sms+https://h.cn/x?ok=Code", "ok="},
		{"sms+https://h.cn/x?body_file=" + filepath.Join(dir, "none"), "模板文件"},
		{"sms+https://h.cn/x?body_file=" + tmpl + "&body_file=" + tmpl, "重复"},
		{"sms+ftp://h.cn/x", "不受支持"},
	} {
		_, err := Open(tt.url, log)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%q) = %v, want invalid mentioning %q", tt.url, err, tt.want)
		}
	}
	bad := filepath.Join(dir, "bad.tmpl")
	os.WriteFile(bad, []byte(`{{json .To`), 0o600)
	if _, err := Open("sms+https://h.cn/x?body_file="+bad, log); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("a broken template opens: %v", err)
	}
}
