package store_test

import (
	"testing"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestItemReviewLevels: each version of an item keeps its review levels;
// a version saved without them reads as unset (one level).
func TestItemReviewLevels(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		createDepartments(t, st)
		v1 := testItem("T-002", "三级审批的许可", material("M01", "申请书"))
		v1.ReviewLevels = 3
		must(t, st.SaveItem(ctx, v1, 0, "alice"))
		v2 := testItem("T-002", "三级审批的许可（修订）", material("M01", "申请书"))
		must(t, st.SaveItem(ctx, v2, 1, "alice"))
		old, err := st.ItemVersion(ctx, "T-002", 1)
		must(t, err)
		cur, err := st.Item(ctx, "T-002")
		must(t, err)
		if old.ReviewLevels != 3 || cur.ReviewLevels != 0 || cur.Levels() != 1 {
			t.Errorf("levels: version 1 %d, version 2 %d (reads as %d); want 3, 0 (1)", old.ReviewLevels, cur.ReviewLevels, cur.Levels())
		}
		items, err := st.Items(ctx, store.ItemFilter{Query: "T-002"})
		must(t, err)
		if len(items) != 1 || items[0].ReviewLevels != 0 {
			t.Errorf("listing: %+v", items)
		}
	})
}
