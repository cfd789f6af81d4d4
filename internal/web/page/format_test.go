package page

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
)

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
	} {
		if got := DueWords(cal, tc.now, tc.due); got != tc.want {
			t.Errorf("DueWords(%s, %s) = %q, want %q", tc.now.Format("01-02 15:04"), tc.due.Format("01-02 15:04"), got, tc.want)
		}
	}
}
