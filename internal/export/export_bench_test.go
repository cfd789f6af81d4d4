package export

import (
	"context"
	"io"
	"syscall"
	"testing"
	"time"
)

// benchRow is a case-ledger-shaped row (18 columns: text, a masked ID
// number, times, an empty time, counts, yes/no).
func benchRow() []any {
	at := time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC)
	return []any{"20261103000123", "食品经营许可（新办）", "区市场监督管理局", "江川区政务服务中心", "窗口", "江川区好味餐饮有限公司",
		"913501**********43", "已归档", at, at.Add(time.Hour), at.Add(72 * time.Hour), at.Add(48 * time.Hour), "准予",
		time.Time{}, 1, 0, false, true}
}

// cpuTime returns the process's user and system CPU time so far: on a
// shared machine the CPU per row is steadier than the wall-clock rate.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWrite writes a case-ledger-shaped table in each format, one
// Row after another on one goroutine; rows/s is the file writer's own
// rate, without the database (issue 12: ≥ 50,000 rows/s for the whole
// export). cpu-µs/row is the process's CPU time (garbage collection
// included) per row; B/op and allocs/op are per row.
//
//	go test -run '^$' -bench 'Write|Stream' -benchmem -benchtime 200000x ./internal/export/
func BenchmarkWrite(b *testing.B) {
	row := benchRow()
	header := make([]string, len(row))
	for i := range header {
		header[i] = "列"
	}
	for _, f := range []Format{CSV, XLSX} {
		b.Run(string(f), func(b *testing.B) {
			cpu0 := cpuTime()
			w, err := New(f, io.Discard, "办件台账", header)
			if err != nil {
				b.Fatal(err)
			}
			for range b.N {
				if err := w.Row(row); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			report(b, cpu0)
		})
	}
}

// BenchmarkStream writes the same table through Stream: the rows are
// emitted (and converted) on one goroutine and written on another, as an
// export does with the database's rows.
func BenchmarkStream(b *testing.B) {
	row := benchRow()
	header := make([]string, len(row))
	for i := range header {
		header[i] = "列"
	}
	for _, f := range []Format{CSV, XLSX} {
		b.Run(string(f), func(b *testing.B) {
			cpu0 := cpuTime()
			w, err := New(f, io.Discard, "办件台账", header)
			if err != nil {
				b.Fatal(err)
			}
			n, readErr, writeErr := Stream(context.Background(), w, func(emit func([]any) error) error {
				for range b.N {
					if err := emit(row); err != nil {
						return err
					}
				}
				return nil
			})
			if readErr != nil || writeErr != nil || n != b.N {
				b.Fatal(n, readErr, writeErr)
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			report(b, cpu0)
		})
	}
}

func report(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/1e3/float64(b.N), "cpu-µs/row")
}
