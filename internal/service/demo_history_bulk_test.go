package service_test

import (
	"context"
	"slices"
	"testing"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/supervision"
)

// The generator's batches fold each new case's rollups once, at the end of
// the batch, and write their counts summed: the rollups equal those a
// rebuild from the events computes (the same as change by change), and
// every figure equals its drill-down.
func TestGeneratedRollupsEqualRebuild(t *testing.T) {
	storetest.Each(t, clock.At(historyNow), func(t *testing.T, st *store.Store) {
		svc, as, _ := generated(t, st, 150)
		ctx := context.Background()
		bulk, err := st.RollupRows(ctx)
		if err != nil || len(bulk) == 0 {
			t.Fatalf("rollup: %v (%d rows)", err, len(bulk))
		}
		p := service.Period{From: "2026-01-01", To: "2026-09-30", Group: supervision.ByDepartment}
		before, err := svc.Supervision().Punctuality(as["jiandu"], p)
		if err != nil {
			t.Fatal(err)
		}
		checkDrillDowns(t, svc.Supervision(), as["jiandu"], p)
		if _, err := svc.Supervision().Rebuild(as["admin"]); err != nil {
			t.Fatal(err)
		}
		rebuilt, err := st.RollupRows(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(bulk, rebuilt) {
			t.Errorf("the batches' rollup (%d rows) differs from the rebuilt one (%d rows)", len(bulk), len(rebuilt))
		}
		after, err := svc.Supervision().Punctuality(as["jiandu"], p)
		if err != nil {
			t.Fatal(err)
		}
		if len(before) != len(after) {
			t.Fatalf("%d rows before the rebuild, %d after", len(before), len(after))
		}
		for i := range before {
			if before[i].Punctuality != after[i].Punctuality {
				t.Errorf("%s: %+v before the rebuild, %+v after", before[i].Key, before[i].Punctuality, after[i].Punctuality)
			}
		}
	})
}
