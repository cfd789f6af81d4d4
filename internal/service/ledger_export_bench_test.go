package service_test

import (
	"cmp"
	"context"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/ledger"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
)

// BenchmarkLedgerExport measures the whole export of the case ledger
// (issue 12: ≥ 50,000 rows/s, flat memory): the store's query, the rows,
// the cells and the file, as Ledgers.Export does it for a download, each
// of b.N times, in each format, on each database. The database is a demo
// hall with ONEWINDOW_BENCH_LEDGER_CASES generated cases (default 4,000,
// nine months: the ledger of the whole history is exported), or, with
// ONEWINDOW_BENCH_DB (a SQLite file or a postgres:// URL that demo
// generate filled), that database as it is, for the month
// ONEWINDOW_BENCH_MONTH (default 2026-10), or the ONEWINDOW_BENCH_MONTHS
// months ending with it (a longer export, to see the memory stay flat).
// Reported: rows/s (wall),
// cpu-µs/row (the process's CPU time, garbage collection and the
// database driver included; on PostgreSQL the server's own CPU is not
// counted), B/row allocated, and the process's peak RSS. The sub-benchmark
// "read" reads the same entries from the store alone (no cells, no file)
// and reports first-row-ms: how long the database takes to hand over the
// first row (a plan that sorts hands it over only after its last).
//
//	go test -run '^$' -bench LedgerExport -benchtime 5x ./internal/service/
func BenchmarkLedgerExport(b *testing.B) {
	if dsn := os.Getenv("ONEWINDOW_BENCH_DB"); dsn != "" {
		st, err := store.Open(context.Background(), dsn, clock.System{})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		month, err := time.ParseInLocation("2006-01", cmp.Or(os.Getenv("ONEWINDOW_BENCH_MONTH"), "2026-10"), clock.Shanghai)
		if err != nil {
			b.Fatal(err)
		}
		svc := service.New(st, clock.System{}, slog.New(slog.NewTextHandler(io.Discard, nil)), service.DefaultConfig())
		months := 1
		if v, err := strconv.Atoi(os.Getenv("ONEWINDOW_BENCH_MONTHS")); err == nil && v > 0 {
			months = v
		}
		f := ledger.Filter{From: calendar.DateOf(month.AddDate(0, 1-months, 0)), To: calendar.DateOf(month.AddDate(0, 1, -1))}
		b.Run(string(st.Dialect())+"/existing", func(b *testing.B) {
			readLedger(b, st, f)
			exportFormats(b, svc, service.AsSystem(context.Background()), f)
		})
		return
	}
	cases := 4000
	if v, err := strconv.Atoi(os.Getenv("ONEWINDOW_BENCH_LEDGER_CASES")); err == nil && v > 0 {
		cases = v
	}
	eachDialect(b, func(b *testing.B, st *store.Store) {
		h := newBenchHall(b, st)
		if _, err := h.svc.GenerateHistory(service.AsSystem(context.Background()),
			service.HistoryOptions{Cases: cases, From: historyFrom, To: historyNow, Seed: 7}); err != nil {
			b.Fatal(err)
		}
		readLedger(b, st, wholeHistory)
		exportFormats(b, h.svc, h.as["jiandu"], wholeHistory)
	})
}

// readLedger reads the case ledger of f from the store, b.N times, and
// reports the time to its first row beside the rows/s and CPU.
func readLedger(b *testing.B, st *store.Store, f ledger.Filter) {
	b.Run("read", func(b *testing.B) {
		q := store.LedgerQuery{Filter: f, Now: time.Now()}
		cpu0 := cpuTime()
		var first time.Duration
		rows := 0
		b.ResetTimer()
		for range b.N {
			start, n := time.Now(), 0
			err := st.CaseLedger(context.Background(), q, func(*ledger.CaseEntry) error {
				if n++; n == 1 {
					first += time.Since(start)
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			if n == 0 {
				b.Fatal("the ledger is empty")
			}
			rows += n
		}
		b.StopTimer()
		reportRows(b, rows, cpuTime()-cpu0)
		b.ReportMetric(float64(first.Microseconds())/1e3/float64(b.N), "first-row-ms")
	})
}

// exportFormats exports the case ledger of f as ctx's user, b.N times in
// each format.
func exportFormats(b *testing.B, svc *service.Service, ctx context.Context, f ledger.Filter) {
	for _, format := range []export.Format{export.CSV, export.XLSX} {
		b.Run(string(format), func(b *testing.B) {
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			cpu0 := cpuTime()
			b.ResetTimer()
			rows := 0
			for range b.N {
				n, err := svc.Ledgers().Export(ctx, service.LedgerRequest{Kind: ledger.Cases, Filter: f}, format, io.Discard)
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					b.Fatal("the ledger is empty")
				}
				rows += n
			}
			b.StopTimer()
			reportRows(b, rows, cpuTime()-cpu0)
			runtime.ReadMemStats(&m1)
			b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(rows), "B/row")
			b.ReportMetric(peakRSS(), "peak-RSS-MB")
		})
	}
}

// reportRows reports the rows read or written per run, per second and
// the process's CPU per row.
func reportRows(b *testing.B, rows int, cpu time.Duration) {
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/1e3/float64(rows), "cpu-µs/row")
}
