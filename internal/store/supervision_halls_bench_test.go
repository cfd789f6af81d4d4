package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/supervision"
)

// BenchmarkHallFiguresYear measures what the per-hall figures of a year
// read (service.Supervision.Halls): the hall rollup sums with the transit
// buckets, the open overdue steps by hall, the pickups and the ratings by
// hall (rollup rows too), on rollups shaped like 1,000,000 cases over two
// years (4 halls, 10 departments, every metric every day; 1,000,000 step
// rows), settled as after a bulk load. It reports the p99 of the whole
// read.
//
//	go test -run '^$' -bench HallFiguresYear -benchtime 30x ./internal/store/
func BenchmarkHallFiguresYear(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			st := storetest.Open(b, d, nil)
			ctx := context.Background()
			fillRollups(b, st.DB(), d, 1_000_000)
			fillHallRollups(b, st.DB(), d)
			if err := st.Settle(ctx); err != nil {
				b.Fatal(err)
			}
			if _, err := st.DB().Exec(`ANALYZE`); err != nil {
				b.Fatal(err)
			}
			from, to := "2026-01-01", "2026-12-31"
			now := time.Date(2026, 12, 31, 12, 0, 0, 0, clock.Shanghai)
			q := store.FigureQuery{From: from, To: to, Group: supervision.ByHall}
			var ms []supervision.Metric
			for _, k := range supervision.Kinds {
				ms = append(ms, supervision.StepMetric(k, false), supervision.StepMetric(k, true))
			}
			ms = append(ms, supervision.MetricIntake, supervision.MetricTransit, supervision.MetricTransitMinutes)
			var took []time.Duration
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				sums, err := st.Sums(ctx, q, ms, supervision.TransitHoursPrefix)
				if err != nil || len(sums) != 4 {
					b.Fatalf("sums: %v (%d halls)", err, len(sums))
				}
				if _, err := st.Overdue(ctx, q, now); err != nil {
					b.Fatal(err)
				}
				if p, err := st.PickupSums(ctx, from, to, ""); err != nil || len(p) != 4 {
					b.Fatalf("pickups: %v %v", err, p)
				}
				took = append(took, time.Since(t0))
			}
			b.StopTimer()
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// fillHallRollups writes two years of hall rollup rows (4 halls by 10
// departments: the step metrics, intake, the trips and 10 hour buckets,
// the ratings) and the department rows' pickups at each hall.
func fillHallRollups(b testing.TB, db *sql.DB, d store.Dialect) {
	b.Helper()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	if d == store.Postgres {
		if _, err := tx.Exec(`SET LOCAL session_replication_role = replica`); err != nil {
			b.Fatal(err)
		}
	}
	halls := []string{"H0", "H1", "H2", "H3"}
	var metrics []string
	for _, k := range supervision.Kinds {
		metrics = append(metrics, string(supervision.StepMetric(k, false)), string(supervision.StepMetric(k, true)))
	}
	metrics = append(metrics, "intake", "transit", "transit_minutes", "rating", "rating_bad")
	for h := 1; h <= 10; h++ {
		metrics = append(metrics, string(supervision.TransitBucket(int64(h*60))))
	}
	ins, err := tx.Prepare(`INSERT INTO sv_rollup (dim, grain, day, department, key, metric, n) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (dim, grain, day, department, key, metric, shard) DO UPDATE SET n = sv_rollup.n + excluded.n`)
	if err != nil {
		b.Fatal(err)
	}
	day0 := time.Date(2025, 1, 1, 0, 0, 0, 0, clock.Shanghai)
	for dd := range 730 {
		day := day0.AddDate(0, 0, dd).Format(time.DateOnly)
		for dept := range 10 {
			dep := fmt.Sprintf("D%02d", dept)
			for _, g := range [][2]string{{"day", day}, {"month", day[:7]}} {
				for _, h := range halls {
					for i, m := range metrics {
						if _, err := ins.Exec("hall", g[0], g[1], dep, h, m, int64(i+dept)); err != nil {
							b.Fatal(err)
						}
					}
					if _, err := ins.Exec("department", g[0], g[1], dep, "", string(supervision.PickupMetric(h)), int64(dept+1)); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
