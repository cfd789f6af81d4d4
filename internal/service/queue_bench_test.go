package service_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
)

// BenchmarkKiosks: 50 kiosks take a ticket at the same moment, each round
// on a new working day; every round must give 50 distinct, consecutive
// numbers (none lost, none duplicated). It reports the tickets per second
// and the p99 time a kiosk waits for its ticket.
func BenchmarkKiosks(b *testing.B) {
	eachDialect(b, func(b *testing.B, st *store.Store) {
		h := newBenchHall(b, st)
		c := &queue.Category{HallCode: "JC-ZWZX", Code: "K", Name: "压力测试", Prefix: "K", Hours: queue.DefaultHours(), DailyCap: queue.MaxDailyCap}
		if err := h.svc.CreateCategory(h.as["admin"], c); err != nil {
			b.Fatal(err)
		}
		cal, err := h.svc.Calendar(context.Background(), "JC-ZWZX")
		if err != nil {
			b.Fatal(err)
		}
		day := calendar.DateOf(h.clk.Now())
		const kiosks = 50
		var waits []time.Duration
		b.ResetTimer()
		for range b.N {
			day = cal.NextWorkingDay(day)
			h.clk.Set(time.Date(day.Year, day.Month, day.Day, 10, 0, 0, 0, clock.Shanghai))
			numbers := make([]string, kiosks)
			took := make([]time.Duration, kiosks)
			var wg sync.WaitGroup
			for k := range kiosks {
				wg.Go(func() {
					start := time.Now()
					v, err := h.svc.TakeTicket(context.Background(), service.TicketRequest{Hall: "JC-ZWZX", Category: "K"})
					took[k] = time.Since(start)
					if err != nil {
						b.Errorf("kiosk %d: %v", k, err)
						return
					}
					numbers[k] = v.Ticket.Number
				})
			}
			wg.Wait()
			slices.Sort(numbers)
			for i, n := range numbers {
				if want := fmt.Sprintf("K%03d", i+1); n != want {
					b.Fatalf("%s: numbers %v: want K001…K%03d, each once", day, numbers, kiosks)
				}
			}
			waits = append(waits, took...)
		}
		b.StopTimer()
		slices.Sort(waits)
		b.ReportMetric(float64(b.N*kiosks)/b.Elapsed().Seconds(), "tickets/s")
		b.ReportMetric(float64(waits[len(waits)*99/100].Microseconds())/1000, "p99-ms")
	})
}
