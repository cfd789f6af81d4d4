package store_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestConcurrentIntakeNumbers: intakes saved at once get the day's numbers
// without a duplicate or a gap (none failed), and the supervision rollup
// counts every one of them, whatever shards they were added to.
func TestConcurrentIntakeNumbers(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		const n = 16
		cases := make([]*casework.Case, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cases[i] = saveDeskCase(t, st, "SCJG-XK-001", casework.Received, start, start.AddDate(0, 0, 2))
			}()
		}
		wg.Wait()
		var got, want []string
		day := start.In(clock.Shanghai).Format("20060102")
		for i, c := range cases {
			got = append(got, c.Number)
			want = append(want, fmt.Sprintf("%s%06d", day, i+1))
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("numbers %v, want %v", got, want)
		}
		next := saveDeskCase(t, st, "SCJG-XK-001", casework.Received, start, start.AddDate(0, 0, 2))
		if w := fmt.Sprintf("%s%06d", day, n+1); next.Number != w {
			t.Errorf("next number %s, want %s", next.Number, w)
		}
		rows, err := st.RollupRows(ctx)
		must(t, err)
		var intakes int64
		for _, r := range rows {
			if r.Dim == "department" && r.Grain == "day" && r.Department == "SCJG" && r.Metric == "intake" {
				intakes += r.N
			}
		}
		if intakes != n+1 {
			t.Errorf("the rollup counts %d intakes of SCJG that day, want %d", intakes, n+1)
		}
	})
}
