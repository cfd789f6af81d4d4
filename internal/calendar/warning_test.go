package calendar_test

import (
	"slices"
	"testing"

	"github.com/onewindow/onewindow/internal/calendar"
)

// TestRedFirst is the one order of every work list: red, then yellow, then
// the rest, each level keeping its own order.
func TestRedFirst(t *testing.T) {
	type row struct {
		w  calendar.Warning
		id int
	}
	rows := []row{
		{calendar.WarningNone, 1}, {calendar.WarningYellow, 2}, {calendar.WarningRed, 3}, {"", 4},
		{calendar.WarningYellow, 5}, {calendar.WarningRed, 6}, {calendar.WarningNone, 7},
	}
	slices.SortStableFunc(rows, func(a, b row) int { return calendar.RedFirst(a.w, b.w) })
	var got []int
	for _, r := range rows {
		got = append(got, r.id)
	}
	if want := []int{3, 6, 2, 5, 1, 4, 7}; !slices.Equal(got, want) {
		t.Errorf("red-first order = %v, want %v", got, want)
	}
	for w, rank := range map[calendar.Warning]int{calendar.WarningRed: 0, calendar.WarningYellow: 1, calendar.WarningNone: 2, "": 2} {
		if got := w.Rank(); got != rank {
			t.Errorf("%q.Rank() = %d, want %d", w, got, rank)
		}
	}
	if calendar.RedFirst(calendar.WarningRed, calendar.WarningRed) != 0 || calendar.RedFirst(calendar.WarningYellow, calendar.WarningRed) <= 0 {
		t.Error("RedFirst does not put red before yellow, or tells equal levels apart")
	}
}
