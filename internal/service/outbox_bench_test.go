package service_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/outbox"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
)

// BenchmarkOutbox measures how fast the notification outbox drains, with
// a sender that answers at once and one that takes 5 ms (a near mail or
// SMS gateway), on each database:
//
//	go test -run '^$' -bench Outbox -benchtime 5000x ./internal/service/
//
// Each iteration is one notice; they are queued before the timer starts
// and sent by DispatchNotifications in the default batches and
// concurrency. Compare notices/s with BenchmarkPromisedCase's
// transitions/s: the outbox must outrun the hall.
func BenchmarkOutbox(b *testing.B) {
	for _, latency := range []time.Duration{0, 5 * time.Millisecond} {
		name := "instant"
		if latency > 0 {
			name = fmt.Sprintf("sender-%s", latency)
		}
		b.Run(name, func(b *testing.B) {
			eachDialect(b, func(b *testing.B, st *store.Store) {
				clk := clock.At(start)
				cfg := service.DefaultConfig()
				svc := service.New(st, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
				sender := newCountingSender()
				sender.delay = latency
				svc.Use(nil, sender)
				insertNotices(b, st, clk.Now(), b.N)
				b.ResetTimer()
				n, err := svc.DispatchNotifications(context.Background())
				b.StopTimer()
				if err != nil || n != b.N {
					b.Fatalf("%d of %d sent: %v", n, b.N, err)
				}
				b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "notices/s")
				b.ReportMetric(float64(outbox.DefaultSettings().Concurrency), "concurrency")
			})
		})
	}
}
