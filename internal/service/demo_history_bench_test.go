package service_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
)

// BenchmarkGenerateHistory measures demo generate: b.N generated cases
// over nine months, in batches of 1,000, on each database; it reports
// cases and events per second (wall time) and the CPU time per case is
// go test's own ns/op.
//
//	go test -run '^$' -bench GenerateHistory -benchtime 5000x ./internal/service/
func BenchmarkGenerateHistory(b *testing.B) {
	eachDialect(b, func(b *testing.B, st *store.Store) {
		h := newBenchHall(b, st)
		b.ResetTimer()
		rep, err := h.svc.GenerateHistory(service.AsSystem(context.Background()), service.HistoryOptions{Cases: b.N, From: historyFrom, To: historyNow, Seed: 7})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(rep.CasesPerS, "cases/s")
		b.ReportMetric(rep.EventsPerS, "events/s")
	})
}
