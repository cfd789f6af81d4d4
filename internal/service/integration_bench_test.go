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

	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/webhook"
)

// The integration benchmarks (issue 14 items 2 and 3):
//
//	go test -run '^$' -bench 'EventFeed|WebhookLatency|WebhooksKeepUp' -benchtime 1x ./internal/service/
//
// with ONEWINDOW_TEST_POSTGRES set for PostgreSQL too.

// BenchmarkEventFeed: one reader pages through the feed (1,000 events a
// page) as the bureau admin; the events are generated history. Reported:
// events/s read.
func BenchmarkEventFeed(b *testing.B) {
	eachDialect(b, func(b *testing.B, st *store.Store) {
		h := newBenchHall(b, st)
		rep, err := h.svc.GenerateHistory(service.AsSystem(context.Background()), service.HistoryOptions{Cases: 4000, From: historyFrom, To: historyNow, Seed: 7})
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		read := 0
		for range b.N {
			after := ""
			for {
				p, err := h.svc.Events(h.as["admin"], service.EventsQuery{After: after, Limit: 1000})
				if err != nil {
					b.Fatal(err)
				}
				read += len(p.Events)
				if len(p.Events) == 0 {
					break
				}
				after = p.Cursor
			}
		}
		b.StopTimer()
		if read != b.N*rep.Events {
			b.Fatalf("read %d events, want %d", read, b.N*rep.Events)
		}
		b.ReportMetric(float64(read)/b.Elapsed().Seconds(), "events/s")
	})
}

// timedReceiver records when each case's first event arrived.
type timedReceiver struct {
	mu   sync.Mutex
	at   map[string]time.Time
	n    int
	done chan struct{}
	want int
}

func (r *timedReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	now := time.Now()
	var e webhook.Envelope
	if err := json.Unmarshal(body, &e); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	if _, ok := r.at[e.Subject+"/"+e.Type]; !ok {
		r.at[e.Subject+"/"+e.Type] = now
	}
	r.n++
	if r.n == r.want {
		close(r.done)
	}
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// webhookBench is a bench hall whose department subscribed a local
// receiver, its dispatcher running as serve runs it.
func webhookBench(b *testing.B, st *store.Store, want int) (*benchHall, *timedReceiver, context.CancelFunc) {
	h := newBenchHall(b, st)
	cfg := service.DefaultConfig()
	cfg.Webhooks.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	h.svc = service.New(st, h.clk, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	rcv := &timedReceiver{at: map[string]time.Time{}, done: make(chan struct{}), want: want}
	srv := httptest.NewServer(rcv)
	b.Cleanup(srv.Close)
	if _, err := h.svc.CreateWebhook(h.as["bumen"], service.WebhookInput{URL: srv.URL}); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(service.AsSystem(context.Background()))
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		h.svc.RunWebhooks(ctx)
	}()
	// Stopping waits for the dispatcher's last round: a round still in a
	// transaction when the test's schema is dropped deadlocks the drop.
	return h, rcv, func() { cancel(); <-stopped }
}

// BenchmarkWebhookLatency: the hall takes 100 cases a second (b.N cases);
// each intake's webhook is timed from the intake's return (its commit) to
// its arrival at a local receiver. Reported: p50, p99 and max in ms.
func BenchmarkWebhookLatency(b *testing.B) {
	eachDialect(b, func(b *testing.B, st *store.Store) {
		h, rcv, stop := webhookBench(b, st, -1)
		defer stop()
		h.intake(b)
		<-time.After(100 * time.Millisecond)
		rcv.mu.Lock()
		rcv.n, rcv.want, rcv.at, rcv.done = 0, b.N, map[string]time.Time{}, make(chan struct{})
		done := rcv.done
		rcv.mu.Unlock()
		committed := map[string]time.Time{}
		var mu sync.Mutex
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		var wg sync.WaitGroup
		// At most 8 intakes at once: a database that cannot take 100 a
		// second here falls behind the ticker instead of piling up
		// requests that starve the dispatcher of connections (cases/s
		// tells the rate reached).
		slots := make(chan struct{}, 8)
		b.ResetTimer()
		for range b.N {
			<-tick.C
			slots <- struct{}{}
			wg.Go(func() {
				defer func() { <-slots }()
				n := h.intake(b)
				mu.Lock()
				committed[n] = time.Now()
				mu.Unlock()
			})
		}
		wg.Wait()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			b.Fatalf("received %d of %d", rcv.n, b.N)
		}
		b.StopTimer()
		var lat []float64
		rcv.mu.Lock()
		for n, c := range committed {
			if at, ok := rcv.at[n+"/cn.gov.onewindow.case.received"]; ok {
				lat = append(lat, float64(max(at.Sub(c), 0))/float64(time.Millisecond))
			}
		}
		rcv.mu.Unlock()
		if len(lat) != b.N {
			b.Fatalf("%d of %d timed", len(lat), b.N)
		}
		slices.Sort(lat)
		b.ReportMetric(lat[len(lat)/2], "p50-ms")
		b.ReportMetric(lat[len(lat)*99/100], "p99-ms")
		b.ReportMetric(lat[len(lat)-1], "max-ms")
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
	})
}

// BenchmarkWebhooksKeepUp runs BenchmarkPromisedCase's lifecycle (b.N
// cases, eight transitions each) with every event subscribed and the
// dispatcher running beside it; reported: transitions/s and the webhooks
// still waiting when the last transition commits, and how long the rest
// took to arrive.
func BenchmarkWebhooksKeepUp(b *testing.B) {
	eachDialect(b, func(b *testing.B, st *store.Store) {
		events := b.N * (1 + len(wholeCase))
		h, rcv, stop := webhookBench(b, st, events)
		defer stop()
		b.ResetTimer()
		for range b.N {
			n := h.intake(b)
			for _, step := range wholeCase {
				if _, err := h.svc.Act(h.as[step.who], n, step.action, step.in, 0); err != nil {
					b.Fatalf("%s: %v", step.action, err)
				}
			}
		}
		elapsed := b.Elapsed()
		rcv.mu.Lock()
		waiting := events - rcv.n
		rcv.mu.Unlock()
		began := time.Now()
		select {
		case <-rcv.done:
		case <-time.After(60 * time.Second):
			b.Fatalf("received %d of %d", rcv.n, events)
		}
		b.StopTimer()
		b.ReportMetric(float64(events)/elapsed.Seconds(), "transitions/s")
		b.ReportMetric(float64(waiting), "backlog-at-end")
		b.ReportMetric(float64(time.Since(began))/float64(time.Millisecond), "drain-ms")
	})
}
