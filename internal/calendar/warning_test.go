package calendar_test

import (
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
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

// TestDueWords: how a deadline stands, in the words every page shows.
func TestDueWords(t *testing.T) {
	cal := calendar.New(calendar.Published(2026, 2027), calendar.DefaultSettings())
	at := func(m time.Month, d, h, min int) time.Time {
		return time.Date(2026, m, d, h, min, 0, 0, clock.Shanghai)
	}
	for _, tc := range []struct {
		now, due time.Time
		want     string
	}{
		{at(9, 30, 9, 0), time.Time{}, "即办"},
		{at(9, 30, 9, 0), at(9, 30, 15, 0), "今天 15:00 截止"},
		{at(9, 30, 16, 0), at(9, 30, 15, 0), "已超期（15:00 截止）"},
		// Over the National Day holiday: 10/8 is the first working day after 9/30.
		{at(9, 30, 9, 0), at(10, 8, 17, 0), "剩余 1 个工作日"},
		{at(9, 30, 9, 0), at(10, 9, 17, 0), "剩余 2 个工作日"},
		{at(10, 9, 9, 0), at(9, 30, 17, 0), "已超期 2 个工作日"},
		// A working Saturday counts.
		{at(2, 13, 9, 0), at(2, 14, 17, 0), "剩余 1 个工作日"},
		// Shown in Asia/Shanghai whatever the zone of the time given.
		{at(9, 30, 9, 0).UTC(), at(9, 30, 15, 0).UTC(), "今天 15:00 截止"},
	} {
		if got := cal.DueWords(tc.now, tc.due); got != tc.want {
			t.Errorf("DueWords(%s, %s) = %q, want %q", tc.now.Format("01-02 15:04"), tc.due.Format("01-02 15:04"), got, tc.want)
		}
	}
	for w, label := range map[calendar.Warning]string{calendar.WarningRed: "已超期", calendar.WarningYellow: "临近期限", calendar.WarningNone: "正常"} {
		if got := w.Label(); got != label {
			t.Errorf("%q.Label() = %q, want %q", w, got, label)
		}
	}
}
