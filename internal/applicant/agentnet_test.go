package applicant

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
)

// TestRemindFrom: a reminder is due from the start of the working day
// before the deadline's day: the day before, a Friday for a Monday, the
// last working day before a holiday for the first one after it.
func TestRemindFrom(t *testing.T) {
	cal := calendar.New(calendar.Published(2026, 2026), calendar.DefaultSettings())
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, clock.Shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct{ due, want string }{
		{"2026-09-24 17:00", "2026-09-23 00:00"}, // Thursday → Wednesday
		{"2026-09-14 17:00", "2026-09-11 00:00"}, // Monday → Friday
		{"2026-09-21 17:00", "2026-09-20 00:00"}, // Monday → the working Sunday before it (调休)
		{"2026-10-08 17:00", "2026-09-30 00:00"}, // after National Day → its eve
	} {
		if got := RemindFrom(cal, at(tc.due)); !got.Equal(at(tc.want)) {
			t.Errorf("RemindFrom(%s) = %s, want %s", tc.due, got, tc.want)
		}
	}
	due := at("2026-10-08 17:00")
	for _, tc := range []struct {
		now  string
		want bool
	}{{"2026-09-29 23:59", false}, {"2026-09-30 00:00", true}, {"2026-10-08 16:59", true}, {"2026-10-08 17:00", false}} {
		if got := RemindNow(cal, due, at(tc.now)); got != tc.want {
			t.Errorf("RemindNow at %s = %v", tc.now, got)
		}
	}
}

// TestInTeam: a street's team is its own agents and its community
// stations'; nobody without a hall.
func TestInTeam(t *testing.T) {
	parent := func(h string) string { return map[string]string{"LY": "BH", "BH": "D", "XQ": "D"}[h] }
	for _, tc := range []struct {
		agent, team string
		want        bool
	}{{"BH", "BH", true}, {"LY", "BH", true}, {"XQ", "BH", false}, {"", "BH", false}, {"LY", "D", false}} {
		if got := InTeam(tc.agent, tc.team, parent); got != tc.want {
			t.Errorf("InTeam(%q, %q) = %v", tc.agent, tc.team, got)
		}
	}
}
