package store_test

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/supervision"
)

// BenchmarkSupervisionYearByDepartment measures the punctuality figure of
// a year grouped by department (the rollup sums and the open overdue
// steps) on rollups shaped like 1,000,000 cases over two years: 20
// departments, every metric every day, and ONEWINDOW_BENCH_STEPS step rows
// (default 1,000,000; 1 in 500 still open), settled as after a bulk load
// (Store.Settle). It reports the p99 of the figure's queries.
//
//	go test -run '^$' -bench SupervisionYear -benchtime 50x ./internal/store/
//
// With ONEWINDOW_BENCH_DB (a SQLite file or a postgres:// URL of a
// database demo generate filled, e.g. the 1,000,000-case one of
// bench/million) it measures that database instead, as it is, for the year
// ending 2026-11-30 (ONEWINDOW_BENCH_YEAR_END).
func BenchmarkSupervisionYearByDepartment(b *testing.B) {
	if dsn := os.Getenv("ONEWINDOW_BENCH_DB"); dsn != "" {
		st, err := store.Open(context.Background(), dsn, clock.System{})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		end := cmp.Or(os.Getenv("ONEWINDOW_BENCH_YEAR_END"), "2026-11-30")
		to, err := time.ParseInLocation(time.DateOnly, end, clock.Shanghai)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(string(st.Dialect())+"/existing", func(b *testing.B) {
			yearByDepartment(b, st, to.AddDate(-1, 0, 1).Format(time.DateOnly), end, to.Add(17*time.Hour), 0)
		})
		return
	}
	steps := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("ONEWINDOW_BENCH_STEPS")); err == nil && v > 0 {
		steps = v
	}
	for _, d := range storetest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			st := storetest.Open(b, d, nil)
			ctx := context.Background()
			fillRollups(b, st.DB(), d, steps)
			// As demo generate and stats rebuild do after their bulk load:
			// without it PostgreSQL's first reads set the hint bits and
			// prune the dead versions the load's upserts left (a year's
			// figure read 243,000 buffers and took 0.5 s, then 5,000).
			if err := st.Settle(ctx); err != nil {
				b.Fatal(err)
			}
			yearByDepartment(b, st, "2026-01-01", "2026-12-31", time.Date(2026, 12, 31, 12, 0, 0, 0, clock.Shanghai), 20)
		})
	}
}

// yearByDepartment times the punctuality figure of from–to grouped by
// department b.N times and reports the p99 (and the mean as ns/op).
func yearByDepartment(b *testing.B, st *store.Store, from, to string, now time.Time, groups int) {
	ctx := context.Background()
	q := store.FigureQuery{From: from, To: to, Group: supervision.ByDepartment}
	var ms []supervision.Metric
	for _, k := range supervision.Kinds {
		ms = append(ms, supervision.StepMetric(k, false), supervision.StepMetric(k, true))
	}
	var took []time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		sums, err := st.Sums(ctx, q, ms, "")
		if err != nil || len(sums) == 0 || (groups > 0 && len(sums) != groups) {
			b.Fatalf("sums: %v (%d groups)", err, len(sums))
		}
		if _, err := st.Overdue(ctx, q, now); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

// fillRollups writes two years of department rollup rows (20 departments,
// 34 metrics a day, day and month rows) and steps rows.
func fillRollups(b testing.TB, db *sql.DB, d store.Dialect, steps int) {
	b.Helper()
	// The step rows name no real case: the foreign key is not checked
	// while they are written.
	if d == store.SQLite {
		if _, err := db.Exec(`PRAGMA foreign_keys = OFF`); err != nil {
			b.Fatal(err)
		}
		defer db.Exec(`PRAGMA foreign_keys = ON`)
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	if d == store.Postgres {
		if _, err := tx.Exec(`SET LOCAL session_replication_role = replica`); err != nil {
			b.Fatal(err)
		}
	}
	metrics := []string{}
	for _, k := range supervision.Kinds {
		metrics = append(metrics, string(supervision.StepMetric(k, false)), string(supervision.StepMetric(k, true)))
	}
	for _, h := range supervision.Holders {
		metrics = append(metrics, string(supervision.HoldMetric(h)))
	}
	metrics = append(metrics, "intake", "return", "decision", "denied", "days_used", "days_promised", "early", "first_day", "result_refusal",
		"return_reason:M01", "return_reason:M02", "return_reason:M03", "return_reason:-", "return_reason:M04", "return_reason:M05")
	ins, err := tx.Prepare(`INSERT INTO sv_rollup (dim, grain, day, department, key, metric, n) VALUES ('department', $1, $2, $3, '', $4, $5)
		ON CONFLICT (dim, grain, day, department, key, metric, shard) DO UPDATE SET n = sv_rollup.n + excluded.n`)
	if err != nil {
		b.Fatal(err)
	}
	day0 := time.Date(2025, 1, 1, 0, 0, 0, 0, clock.Shanghai)
	for d := range 730 {
		day := day0.AddDate(0, 0, d).Format(time.DateOnly)
		for dept := range 20 {
			for i, m := range metrics {
				for _, g := range [][2]string{{"day", day}, {"month", day[:7]}} {
					if _, err := ins.Exec(g[0], g[1], fmt.Sprintf("D%02d", dept), m, int64(i+dept)); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	}
	stepIns, err := tx.Prepare(`INSERT INTO sv_steps (case_id, kind, ord, number, department, item, hall, by_user, due_at, due_day,
		done_at, done_day, late, answer, paused) VALUES ($1, 'accept', 1, $2, $3, 'I', 'H', 'u', $4, $5, $6, $7, $8, '', $9)`)
	if err != nil {
		b.Fatal(err)
	}
	for i := range steps {
		due := day0.Add(time.Duration(i) * (730 * 24 * time.Hour / time.Duration(steps)))
		var done any = due.UTC().Format("2006-01-02T15:04:05.000000Z")
		var doneDay any = due.Format(time.DateOnly)
		if i%500 == 0 {
			done, doneDay = nil, nil
		}
		if _, err := stepIns.Exec(int64(i+1), fmt.Sprintf("N%09d", i), fmt.Sprintf("D%02d", i%20),
			due.UTC().Format("2006-01-02T15:04:05.000000Z"), due.Format(time.DateOnly), done, doneDay, i%7 == 0, false); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

func fillRollupsT(t *testing.T, st *store.Store, steps int) {
	fillRollups(t, st.DB(), store.SQLite, steps)
}
