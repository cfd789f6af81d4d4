package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/metrics"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/pdf"
	"github.com/onewindow/onewindow/internal/server"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// textSender keeps the text messages sent.
type textSender struct {
	mu   sync.Mutex
	sent []notify.Message
}

func (s *textSender) Send(_ context.Context, m notify.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, m)
	return nil
}

// metricsHall is the demo district served with metrics (behind a token)
// and a public URL for the links of text messages.
type metricsHall struct {
	svc    *service.Service
	st     *store.Store
	clk    *clock.Manual
	srv    *httptest.Server
	as     map[string]context.Context
	sender *textSender
}

const metricsToken = "scrape-me-0123456789"

func newMetricsHall(t *testing.T, st *store.Store, clk *clock.Manual) *metricsHall {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := service.DefaultConfig()
	cfg.Messages.PublicURL = "https://zwfw.example.gov.cn"
	cfg.Messages.ReceiptSecret = "receipt-s3cret"
	svc := service.New(st, clk, log, cfg)
	creds, err := svc.LoadDemo(service.AsSystem(context.Background()), demo.Load())
	if err != nil {
		t.Fatal(err)
	}
	h := &metricsHall{svc: svc, st: st, clk: clk, as: map[string]context.Context{}, sender: &textSender{}}
	for _, c := range creds {
		if c.Role == "applicant" {
			continue
		}
		u, err := svc.Login(context.Background(), c.Username, c.Password)
		if err != nil {
			t.Fatal(err)
		}
		h.as[c.Username] = service.WithUser(context.Background(), u)
	}
	svc.Use(nil, h.sender)
	src := func(ctx context.Context) (metrics.Snapshot, error) {
		s, err := svc.MetricsSnapshot(service.AsSystem(ctx))
		if err != nil {
			return metrics.Snapshot{}, err
		}
		out := metrics.Snapshot{OpenCases: s.OpenCases, RedIdle: s.RedIdle, BoardClients: s.BoardClients}
		for _, b := range s.Backlogs {
			out.Backlogs = append(out.Backlogs, metrics.Backlog{Name: b.Name, Pending: b.Pending, InFlight: b.InFlight, Failed: b.Failed, OldestAge: b.OldestAge})
		}
		return out, nil
	}
	mx := metrics.New(src, st.Pools(), 5*time.Second, log)
	st.OnCommittedEvents(mx.Transitions)
	svc.Observe(mx)
	srv, err := server.New(server.Config{Version: "test", Metrics: mx, MetricsToken: metricsToken}, svc, server.NewSessions(sessionStore(st), false), log)
	if err != nil {
		t.Fatal(err)
	}
	h.srv = httptest.NewServer(srv.Handler())
	t.Cleanup(h.srv.Close)
	return h
}

func (h *metricsHall) get(t *testing.T, path string, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (h *metricsHall) scrape(t *testing.T) string {
	t.Helper()
	status, body := h.get(t, "/metrics", "Authorization", "Bearer "+metricsToken)
	if status != http.StatusOK {
		t.Fatalf("scrape: %d %s", status, body)
	}
	return body
}

// wantSeries checks that the scrape has each series with its value.
func wantSeries(t *testing.T, scrape string, series map[string]string) {
	t.Helper()
	for name, value := range series {
		re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`)
		m := re.FindStringSubmatch(scrape)
		switch {
		case m == nil:
			t.Errorf("the scrape lacks %s", name)
		case value != "" && m[1] != value:
			t.Errorf("%s = %s, want %s", name, m[1], value)
		}
	}
}

// TestMetrics: the metrics need the token; a scrape shows requests by
// route pattern (never the raw path), transitions by action once
// committed, open cases by warning colour (red ones idle for a working
// day too), the outbox's backlog and the pools' statistics.
func TestMetrics(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		h := newMetricsHall(t, st, clk)
		for _, auth := range []string{"", "Bearer wrong", "Basic " + metricsToken, metricsToken} {
			status, body := h.get(t, "/metrics", "Authorization", auth)
			if status != http.StatusUnauthorized || strings.Contains(body, "onewindow_") {
				t.Errorf("scrape with %q: %d", auth, status)
			}
		}

		v, err := h.svc.Intake(h.as["shouli"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}
		number := v.Case.Number
		// A refused step is not counted: the case is not yet accepted.
		if _, err := h.svc.Act(h.as["shenpi"], number, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve}, 0); err == nil {
			t.Fatal("decided a case not accepted")
		}
		if status, _ := h.get(t, "/items/SCJG-XK-001"); status != http.StatusOK {
			t.Fatal(status)
		}
		h.get(t, "/no/such/page")
		s := h.scrape(t)
		wantSeries(t, s, map[string]string{
			`onewindow_case_transitions_total{action="intake"}`:                                     "1",
			`onewindow_http_request_duration_seconds_count{route="GET /items/{code}",status="200"}`: "1",
			`onewindow_http_request_duration_seconds_count{route="unmatched",status="404"}`:         "1",
			`onewindow_open_cases{warning="yellow"}`:                                                "1", // the paper handover, due at 15:00
			`onewindow_open_cases{warning="red"}`:                                                   "0",
			`onewindow_outbox_pending{outbox="notifications"}`:                                      "1",
			`onewindow_outbox_oldest_age_seconds{outbox="notifications"}`:                           "0",
			`onewindow_outbox_pending{outbox="webhooks"}`:                                           "0", // no subscription
			`onewindow_red_cases_idle`:                                                              "0",
			`go_sql_open_connections{db_name="onewindow_write"}`:                                    "",
		})
		if strings.Contains(s, `action="decide"`) {
			t.Error("a refused step was counted")
		}
		if strings.Contains(s, "SCJG-XK-001") {
			t.Error("a raw path became a label")
		}

		// Acceptance is due in 2 working days (by 2026-10-09 17:00 after
		// the holiday); a working day after it passes, the case is red and
		// idle, and the notice has waited.
		clk.Set(time.Date(2026, 10, 12, 18, 0, 0, 0, clock.Shanghai))
		s = h.scrape(t)
		wantSeries(t, s, map[string]string{
			`onewindow_open_cases{warning="red"}`:    "1",
			`onewindow_open_cases{warning="yellow"}`: "0",
			`onewindow_red_cases_idle`:               "1",
		})
		age := regexp.MustCompile(`(?m)^onewindow_outbox_oldest_age_seconds\{outbox="notifications"\} (\S+)$`).FindStringSubmatch(s)
		if age == nil || age[1] == "0" {
			t.Errorf("the notice's age: %v", age)
		}
		for _, act := range []casework.Action{casework.ActAccept, casework.ActHandover} {
			if _, err := h.svc.Act(h.as["shenpi"], number, act, casework.Input{}, 0); err != nil {
				t.Fatal(err)
			}
		}
		wantSeries(t, h.scrape(t), map[string]string{
			`onewindow_case_transitions_total{action="accept"}`:   "1",
			`onewindow_case_transitions_total{action="handover"}`: "1",
			`onewindow_open_cases{warning="red"}`:                 "0",
			`onewindow_red_cases_idle`:                            "0",
		})
	})
}

// TestNoticeLinkAndReceiptOverHTTP: the correction notice's text carries a
// link that opens the notice without signing in; the gateway's receipt is
// taken by the API only when signed, and recorded on the notification.
func TestNoticeLinkAndReceiptOverHTTP(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		h := newMetricsHall(t, st, clk)
		v, err := h.svc.Intake(h.as["shouli"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.Act(h.as["shenpi"], v.Case.Number, casework.ActReturn, casework.Input{Reason: "平面图不清晰", Corrections: []string{"M03"}}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.DispatchNotifications(context.Background()); err != nil {
			t.Fatal(err)
		}
		var msg notify.Message
		for _, m := range h.sender.sent {
			if strings.Contains(m.Body, "补正") {
				msg = m
			}
		}
		link := regexp.MustCompile(`https://zwfw\.example\.gov\.cn(/n/[A-Z2-7]{16})`).FindStringSubmatch(msg.Body)
		if link == nil {
			t.Fatalf("no link in %q", msg.Body)
		}
		// The link opens the notice's PDF, which links to its printed form.
		res, err := http.Get(h.srv.URL + link[1])
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(doc, []byte("%PDF-")) {
			t.Fatalf("the link answers %d %s: %.200q", res.StatusCode, res.Header.Get("Content-Type"), doc)
		}
		if res.Header.Get("Cache-Control") != "no-store" || res.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("the PDF may be kept or its address passed on: %v", res.Header)
		}
		text := pdf.Text(doc)
		names, err := st.UserNames(context.Background(), []string{"shenpi"})
		if err != nil {
			t.Fatal(err)
		}
		reviewer := names["shenpi"]
		for _, want := range []string{"材料补齐补正通知书", "办件编号：" + v.Case.Number, "平面图不清晰", identity.Mask(companyCode), "审查人：" + reviewer} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, companyCode) || bytes.Contains(doc, []byte(companyCode)) || strings.Contains(text, "shenpi") {
			t.Errorf("the notice's PDF shows the credit code unmasked or a username:\n%s", text)
		}
		printURL := h.srv.URL + link[1] + "?view=page"
		if !bytes.Contains(doc, []byte("/URI ("+printURL+")")) {
			t.Errorf("the PDF does not link to its printed form %s", printURL)
		}
		status, body := h.get(t, link[1]+"?view=page")
		if status != http.StatusOK || !strings.Contains(body, "材料补齐补正通知书") || !strings.Contains(body, v.Case.Number) ||
			!strings.Contains(body, "审查人："+reviewer) {
			t.Fatalf("the printed form answers %d:\n%s", status, body)
		}
		if strings.Contains(body, companyCode) {
			t.Error("the notice page shows the credit code unmasked")
		}
		for _, p := range []string{"/n/AAAAAAAAAAAAAAAA?view=page", "/n/" + link[1][3:18]} {
			if status, _ := h.get(t, p); status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, status)
			}
		}
		if status, _ := h.get(t, "/n/AAAAAAAAAAAAAAAA"); status != http.StatusNotFound {
			t.Errorf("an unknown code: %d", status)
		}

		receipt := []byte(fmt.Sprintf(`{"out_id":%q,"success":true,"err_code":"DELIVERED"}`, msg.Ref))
		post := func(sig string) int {
			req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/api/v1/sms/receipts", bytes.NewReader(receipt))
			req.Header.Set("Content-Type", "application/json")
			if sig != "" {
				req.Header.Set("X-Signature", sig)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Logf("receipt answer: %s", b)
			}
			return res.StatusCode
		}
		if got := post(""); got != http.StatusUnauthorized {
			t.Errorf("unsigned receipt: %d", got)
		}
		if got := post(notify.SignSMS("receipt-s3cret", clk.Now().Unix(), receipt)); got != http.StatusOK {
			t.Fatalf("signed receipt: %d", got)
		}
		ns, err := st.CaseNotifications(context.Background(), v.Case.Number)
		if err != nil {
			t.Fatal(err)
		}
		var got applicant.Notification
		for _, n := range ns {
			if n.Kind == string(casework.ActReturn) {
				got = n
			}
		}
		if got.DeliveryStatus != applicant.DeliveryDelivered {
			t.Errorf("the return notice's receipt: %+v", got)
		}
	})
}
