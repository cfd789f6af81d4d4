package service_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/webhook"
)

// receiver is a department system's webhook endpoint: it verifies every
// message as a Standard Webhooks library does and keeps what it got.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	secret string
	fail   int // answer 503 to this many requests first
	got    []webhook.Envelope
	ids    map[string]int
	bad    int
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{ids: map[string]int{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		h := webhook.Headers{ID: req.Header.Get("webhook-id"), Timestamp: req.Header.Get("webhook-timestamp"), Signature: req.Header.Get("webhook-signature")}
		if err := webhook.Verify(r.secret, h, body, time.Now()); err != nil || req.Header.Get("Content-Type") != "application/cloudevents+json" {
			r.bad++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.fail > 0 {
			r.fail--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		var e webhook.Envelope
		if err := json.Unmarshal(body, &e); err != nil {
			r.bad++
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		r.got = append(r.got, e)
		r.ids[h.ID]++
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) received() []webhook.Envelope {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]webhook.Envelope(nil), r.got...)
}

// integrationHall is hall with webhooks allowed to reach loopback (the
// test's receiver) and the given retry numbers.
func integrationHall(t *testing.T, st *store.Store, clk clock.Clock, base, giveUp time.Duration) (*service.Service, map[string]context.Context) {
	t.Helper()
	cfg := service.DefaultConfig()
	cfg.Webhooks.GiveUpAfter = giveUp
	cfg.Webhooks.SetRetryBase(base)
	cfg.Webhooks.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	svc := service.New(st, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	ctx := service.AsSystem(context.Background())
	creds, err := svc.LoadDemo(ctx, demo.Load())
	if err != nil {
		t.Fatal(err)
	}
	as := map[string]context.Context{"system": ctx, "anonymous": context.Background()}
	for _, c := range creds {
		if c.Role == "applicant" {
			continue
		}
		u, err := svc.Login(context.Background(), c.Username, c.Password)
		if err != nil {
			t.Fatal(err)
		}
		as[c.Username] = service.WithUser(context.Background(), u)
	}
	return svc, as
}

func TestWebhookSubscriptionRules(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		// Without --webhook-allow, loopback and private addresses are refused when subscribing.
		for _, u := range []string{"http://127.0.0.1:9/x", "http://10.0.0.8/x", "http://169.254.169.254/", "http://[::1]/"} {
			_, err := svc.CreateWebhook(as["bumen"], service.WebhookInput{URL: u})
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("subscribe %s: %v, want invalid", u, err)
			}
		}
		w, err := svc.CreateWebhook(as["bumen"], service.WebhookInput{URL: "https://93.184.216.34/hook", EventTypes: []string{"cn.gov.onewindow.case.accepted"}})
		if err != nil {
			t.Fatal(err)
		}
		if w.DepartmentCode != "SCJG" || len(w.Secret) < 40 || w.Secret[:6] != "whsec_" {
			t.Fatalf("created %+v", w)
		}
		// Others: a reviewer may not, another department sees nothing, the bureau admin sees all.
		if _, err := svc.CreateWebhook(as["shenpi"], service.WebhookInput{URL: "https://93.184.216.34/h"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("reviewer subscribes: %v", err)
		}
		if _, err := svc.CreateWebhook(as["bumen"], service.WebhookInput{Department: "GHZY", URL: "https://93.184.216.34/h"}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("dept admin subscribes another department: %v", err)
		}
		list, err := svc.Webhooks(as["admin"])
		if err != nil || len(list) != 1 {
			t.Fatalf("admin's list: %v %d", err, len(list))
		}
		if _, err := svc.Webhook(as["shouli"], w.ID); err == nil {
			t.Error("an intake clerk reads a subscription")
		}
		rotated, err := svc.RotateWebhookSecret(as["admin"], w.ID)
		if err != nil || rotated.Secret == w.Secret || len(rotated.Secrets) != 2 {
			t.Fatalf("rotate: %v (%d secrets)", err, len(rotated.Secrets))
		}
	})
}

func TestWebhooksDeliveredSignedInOrder(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := integrationHall(t, st, clk, 4*time.Second, 72*time.Hour)
		rcv := newReceiver(t)
		w, err := svc.CreateWebhook(as["bumen"], service.WebhookInput{URL: rcv.URL + "/hook"})
		if err != nil {
			t.Fatal(err)
		}
		rcv.secret = w.Secret
		v, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(as["shenpi"], v.Case.Number, casework.ActAccept, casework.Input{}, 0); err != nil {
			t.Fatal(err)
		}
		rcv.fail = 1 // the first try fails: the line waits for its retry
		if _, err := svc.DispatchWebhooks(as["system"]); err != nil {
			t.Fatal(err)
		}
		if got := rcv.received(); len(got) != 0 {
			t.Fatalf("received %d before the failed head was retried", len(got))
		}
		d, err := svc.WebhookDeliveries(as["bumen"], w.ID, 0)
		if err != nil || len(d) != 2 {
			t.Fatalf("log: %v %d", err, len(d))
		}
		head := d[1]
		if head.ResponseCode != 503 || head.Attempts != 1 || head.Status() != "pending" {
			t.Fatalf("the failed head in the log: %+v", head)
		}
		// Back-off: not before 2 s (half of the 4 s base), due by 4 s.
		clk.Set(start.Add(1900 * time.Millisecond))
		svc.DispatchWebhooks(as["system"])
		if len(rcv.received()) != 0 {
			t.Fatal("retried before the back-off")
		}
		clk.Set(start.Add(4 * time.Second))
		for range 3 {
			svc.DispatchWebhooks(as["system"])
		}
		got := rcv.received()
		if len(got) != 2 || got[0].Type != "cn.gov.onewindow.case.received" || got[1].Type != "cn.gov.onewindow.case.accepted" {
			t.Fatalf("received %+v", got)
		}
		if got[1].Subject != v.Case.Number || got[1].Data.State != "accepted" || got[1].Data.Seq != 2 || got[1].SpecVersion != "1.0" {
			t.Fatalf("accepted event %+v", got[1])
		}
		if !slices.ContainsFunc(got[1].Data.Deadlines, func(d casework.Due) bool { return d.Name == "decide_by" }) {
			t.Errorf("deadlines after acceptance: %+v", got[1].Data.Deadlines)
		}
		if rcv.bad != 0 {
			t.Fatalf("%d messages failed verification", rcv.bad)
		}
		// Redelivery: the same webhook-id again.
		d, _ = svc.WebhookDeliveries(as["bumen"], w.ID, 0)
		if _, err := svc.RedeliverWebhook(as["bumen"], d[0].ID, false); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("redeliver unconfirmed: %v", err)
		}
		if _, err := svc.RedeliverWebhook(as["bumen"], d[0].ID, true); err != nil {
			t.Fatal(err)
		}
		svc.DispatchWebhooks(as["system"])
		if rcv.ids[d[0].MessageID()] != 2 {
			t.Fatalf("redelivered message seen %d times", rcv.ids[d[0].MessageID()])
		}
	})
}

func TestWebhookPausedAfterGivingUp(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		// 1 s doubling, given up once the waits pass 5 s: 1+2+4 → 4 attempts.
		svc, as := integrationHall(t, st, clk, time.Second, 5*time.Second)
		rcv := newReceiver(t)
		w, err := svc.CreateWebhook(as["bumen"], service.WebhookInput{URL: rcv.URL})
		if err != nil {
			t.Fatal(err)
		}
		rcv.secret = w.Secret
		rcv.fail = 1000
		if _, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup)); err != nil {
			t.Fatal(err)
		}
		for i := range 20 {
			clk.Set(start.Add(time.Duration(i) * time.Second))
			svc.DispatchWebhooks(as["system"])
		}
		s, err := svc.Webhook(as["bumen"], w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !s.Paused() || s.PausedReason == "" {
			t.Fatalf("subscription not paused after giving up: %+v", s)
		}
		// Both admins are told: the paused subscription is on top of
		// their pages; a reviewer has none to manage.
		for _, who := range []string{"bumen", "admin"} {
			if p, err := svc.PausedWebhooks(as[who]); err != nil || len(p) != 1 || p[0].ID != w.ID {
				t.Errorf("%s is told of %+v (%v), want subscription %d", who, p, err, w.ID)
			}
		}
		if _, err := svc.PausedWebhooks(as["shenpi"]); err == nil {
			t.Error("a reviewer was shown the paused subscriptions")
		}
		d, _ := svc.WebhookDeliveries(as["bumen"], w.ID, 0)
		if len(d) != 1 || d[0].Status() != "failed" || d[0].Attempts != 4 {
			t.Fatalf("delivery %+v", d[0])
		}
		// Resumed and redelivered, it goes out.
		rcv.mu.Lock()
		rcv.fail = 0
		rcv.mu.Unlock()
		if _, err := svc.PauseWebhook(as["admin"], w.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RedeliverWebhook(as["admin"], d[0].ID, true); err != nil {
			t.Fatal(err)
		}
		svc.DispatchWebhooks(as["system"])
		if len(rcv.received()) != 1 {
			t.Fatalf("after resuming received %d", len(rcv.received()))
		}
		// Paused by hand, it is no alarm.
		if _, err := svc.PauseWebhook(as["bumen"], w.ID, true); err != nil {
			t.Fatal(err)
		}
		if p, _ := svc.PausedWebhooks(as["bumen"]); len(p) != 0 {
			t.Errorf("a subscription paused by hand is reported as given up: %+v", p)
		}
	})
}

// TestWebhooksTwoNodesNoDoubleSend: two nodes' dispatchers drain one
// outbox at once; every message reaches the receiver exactly once, each
// case's in order.
func TestWebhooksTwoNodesNoDoubleSend(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			clk := clock.At(start)
			nodes := storetest.OpenNodes(t, d, clk, 2)
			svc, as := integrationHall(t, nodes[0], clk, 4*time.Second, time.Hour)
			cfg := service.DefaultConfig()
			cfg.Webhooks.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
			other := service.New(nodes[1], clk, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
			rcv := newReceiver(t)
			w, err := svc.CreateWebhook(as["bumen"], service.WebhookInput{URL: rcv.URL})
			if err != nil {
				t.Fatal(err)
			}
			rcv.secret = w.Secret
			var numbers []string
			for range 10 {
				v, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
				if err != nil {
					t.Fatal(err)
				}
				numbers = append(numbers, v.Case.Number)
			}
			for _, n := range numbers {
				if _, err := svc.Act(as["shenpi"], n, casework.ActAccept, casework.Input{}, 0); err != nil {
					t.Fatal(err)
				}
			}
			var wg sync.WaitGroup
			for _, s := range []*service.Service{svc, other} {
				wg.Go(func() {
					for range 5 {
						if _, err := s.DispatchWebhooks(as["system"]); err != nil {
							t.Error(err)
						}
					}
				})
			}
			wg.Wait()
			got := rcv.received()
			if len(got) != 20 {
				t.Fatalf("received %d, want 20", len(got))
			}
			for id, n := range rcv.ids {
				if n != 1 {
					t.Errorf("%s received %d times", id, n)
				}
			}
			seq := map[string]int{}
			for _, e := range got {
				if e.Data.Seq != seq[e.Subject]+1 {
					t.Errorf("case %s: event %d after %d", e.Subject, e.Data.Seq, seq[e.Subject])
				}
				seq[e.Subject] = e.Data.Seq
			}
		})
	}
}
