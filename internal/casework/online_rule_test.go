package casework_test

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
)

// TestOnlineApplicable is the one rule of which items may be applied for
// online: promised items with pre-review or fully online service, never
// an instant item nor one without online service.
func TestOnlineApplicable(t *testing.T) {
	tests := []struct {
		kind  catalog.Kind
		level catalog.OnlineLevel
		want  bool
		says  string
	}{
		{catalog.Promised, catalog.OnlinePre, true, ""},
		{catalog.Promised, catalog.OnlineFull, true, ""},
		{catalog.Promised, catalog.OnlineNone, false, "暂不支持网上申报"},
		{catalog.Promised, "", false, "暂不支持网上申报"},
		{catalog.Instant, catalog.OnlinePre, false, "即办件须到窗口当场办理"},
		{catalog.Instant, catalog.OnlineFull, false, "即办件须到窗口当场办理"},
		{catalog.Instant, catalog.OnlineNone, false, "暂不支持网上申报"},
	}
	for _, tt := range tests {
		it := *item(t, promisedItem)
		it.Kind, it.OnlineLevel = tt.kind, tt.level
		if got := casework.OnlineApplicable(&it); got != tt.want {
			t.Errorf("%s item with online level %q: OnlineApplicable = %v, want %v", tt.kind, tt.level, got, tt.want)
		}
		if got := casework.OnlineRefusal(&it); (got == "") != (tt.says == "") || !strings.Contains(got, tt.says) {
			t.Errorf("%s item with online level %q: OnlineRefusal = %q, want %q", tt.kind, tt.level, got, tt.says)
		}
		// NewOnlineCase asks the same rule: a refused item makes no case.
		_, _, err := casework.NewOnlineCase(onlineApplication(t, promisedItem), &it, applicantUser, env(at(2026, 3, 2, 9, 0)))
		if refused := err != nil; refused == tt.want {
			t.Errorf("%s item with online level %q: NewOnlineCase error %v, want applicable %v", tt.kind, tt.level, err, tt.want)
		}
		if !tt.want {
			wantField(t, err, "item_code")
		}
	}
}
