package export

import (
	"io"
	"testing"
	"time"
)

// BenchmarkWrite writes a case-ledger-shaped table (18 columns: text, a
// masked ID number, times, counts, yes/no) in each format; rows/s is the
// file writer's own rate, without the database (issue 12: ≥ 50,000 rows/s
// for the whole export).
//
//	go test -run '^$' -bench Write -benchtime 50000x ./internal/export/
func BenchmarkWrite(b *testing.B) {
	at := time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC)
	row := []any{"20261103000123", "食品经营许可（新办）", "区市场监督管理局", "江川区政务服务中心", "窗口", "江川区好味餐饮有限公司",
		"913501**********43", "已归档", at, at.Add(time.Hour), at.Add(72 * time.Hour), at.Add(48 * time.Hour), "准予许可",
		at.Add(96 * time.Hour), 1, 0, false, true}
	header := make([]string, len(row))
	for i := range header {
		header[i] = "列"
	}
	for _, f := range []Format{CSV, XLSX} {
		b.Run(string(f), func(b *testing.B) {
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
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
