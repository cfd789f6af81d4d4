package store_test

import (
	"testing"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestItemInitialReview: each version of an item keeps its delegated
// initial review (委托初审, migration 46); a version without it reads 0.
func TestItemInitialReview(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		createDepartments(t, st)
		v1 := testItem("T-003", "委托街道初审的许可", material("M01", "申请书"))
		v1.InitialReviewDays = 2
		must(t, st.SaveItem(ctx, v1, 0, "alice"))
		v2 := testItem("T-003", "委托街道初审的许可（修订）", material("M01", "申请书"))
		must(t, st.SaveItem(ctx, v2, 1, "alice"))
		old, err := st.ItemVersion(ctx, "T-003", 1)
		must(t, err)
		cur, err := st.Item(ctx, "T-003")
		must(t, err)
		if old.InitialReviewDays != 2 || cur.InitialReviewDays != 0 || !old.InitialReview() || cur.InitialReview() {
			t.Errorf("initial review: version 1 %d, version 2 %d; want 2, 0", old.InitialReviewDays, cur.InitialReviewDays)
		}
		items, err := st.Items(ctx, store.ItemFilter{Query: "T-003"})
		must(t, err)
		if len(items) != 1 || items[0].InitialReviewDays != 0 {
			t.Errorf("listing: %+v", items)
		}
	})
}
