package service_test

import (
	"context"
	"slices"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// A database whose cases the rollups do not count (one upgraded from
// before them) gets its figures rebuilt once, at start; a database whose
// rollups are whole is left alone and marked so, and later starts skip the
// search.
func TestCatchUpRollups(t *testing.T) {
	clk := clock.At(sh("2026-09-30 09:30"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		svc, as, _ := supervisedHall(t, clk, st)
		ctx := context.Background()
		sv := svc.Supervision()
		live, err := st.RollupRows(ctx)
		if err != nil || len(live) == 0 {
			t.Fatalf("live rollup: %v (%d rows)", err, len(live))
		}
		if _, _, err := sv.CatchUpRollups(as["admin"]); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a person ran the catch-up: %v", err)
		}
		// Whole rollups: nothing to do, and said so for later starts.
		if missing, rep, err := sv.CatchUpRollups(as["system"]); err != nil || missing != 0 || rep != nil {
			t.Fatalf("whole rollups: %d missing, %+v, %v", missing, rep, err)
		}
		// The database as it was before the rollups: cases, no figures.
		for _, q := range []string{"DELETE FROM sv_log", "DELETE FROM sv_rollup", "DELETE FROM sv_hold", "DELETE FROM sv_steps", "DELETE FROM sv_cases",
			"DELETE FROM counters WHERE name = 'supervision:rollups'"} {
			if _, err := st.DB().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if rows, _ := sv.Punctuality(as["jiandu"], octPeriod); len(rows) != 0 {
			t.Fatalf("figures without rollups: %+v", rows)
		}
		missing, rep, err := sv.CatchUpRollups(as["system"])
		if err != nil || missing != 4 || rep == nil || rep.Cases != 4 {
			t.Fatalf("catch-up: %d missing, %+v, %v", missing, rep, err)
		}
		rebuilt, err := st.RollupRows(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(live, rebuilt) {
			t.Errorf("caught-up rollup differs from the live one:\nlive    %v\nrebuilt %v", live, rebuilt)
		}
		// Once: the next start finds nothing missing.
		if missing, rep, err := sv.CatchUpRollups(as["system"]); err != nil || missing != 0 || rep != nil {
			t.Errorf("second catch-up: %d missing, %+v, %v", missing, rep, err)
		}
	})
}
