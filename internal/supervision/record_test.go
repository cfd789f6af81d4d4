package supervision_test

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/supervision"
)

// TestDayIsTheCalendarsDate: Day, written without fmt, names the date
// calendar.Date does, in Asia/Shanghai, whatever the time's location.
func TestDayIsTheCalendarsDate(t *testing.T) {
	times := []time.Time{
		{}, time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9, 3, 4, 5, 6, 7, 0, time.UTC),
		time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 15, 59, 59, 0, time.UTC),
		time.Date(2027, 1, 1, 0, 0, 0, 0, clock.Shanghai), time.Date(9999, 12, 31, 15, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 17, 0, 0, 0, time.UTC), time.Date(-5, 6, 7, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 7, 9, 23, 30, 0, 0, time.FixedZone("", -10*3600)),
	}
	for d := time.Date(1999, 12, 20, 3, 0, 0, 0, time.UTC); d.Year() < 2031; d = d.Add(37 * time.Hour) {
		times = append(times, d)
	}
	for _, tm := range times {
		if got, want := supervision.Day(tm), calendar.DateOf(tm).String(); got != want {
			t.Errorf("Day(%s) = %q, want %q", tm, got, want)
		}
	}
}

// TestMetricsNamedOnce: the step and holding metrics made once name what
// they always named.
func TestMetricsNamedOnce(t *testing.T) {
	for _, k := range append(supervision.Kinds, "unknown") {
		if got := supervision.StepMetric(k, false); string(got) != string(k)+".on_time" {
			t.Errorf("StepMetric(%s, on time) = %q", k, got)
		}
		if got := supervision.StepMetric(k, true); string(got) != string(k)+".late" {
			t.Errorf("StepMetric(%s, late) = %q", k, got)
		}
	}
	for _, h := range append(supervision.Holders, "unknown") {
		if got := supervision.HoldMetric(h); string(got) != "hold."+string(h) {
			t.Errorf("HoldMetric(%s) = %q", h, got)
		}
	}
}
