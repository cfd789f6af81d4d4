package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/onewindow/onewindow/internal/metrics"
	"github.com/onewindow/onewindow/internal/service"
)

// newMetrics wires the metrics: the scrape-time figures from the service,
// transitions from the store's commit hook, failures from the service,
// and the database pools.
func (m *Main) newMetrics(svc *service.Service, log *slog.Logger) *metrics.Metrics {
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
	mx := metrics.New(src, m.store.Pools(), 5*time.Second, log)
	m.store.OnCommittedEvents(mx.Transitions)
	svc.Observe(mx)
	return mx
}

// serveMetrics serves mx at /metrics on ln until ctx ends.
func serveMetrics(ctx context.Context, ln net.Listener, mx *metrics.Metrics, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", mx.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("metrics listener stopped", "err", err)
	}
}
