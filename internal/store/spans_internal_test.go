package store

import (
	"slices"
	"testing"
)

func TestSpansSplitWholeMonthsFromPartialOnes(t *testing.T) {
	for _, c := range []struct {
		from, to string
		want     []span
	}{
		{"2026-01-01", "2026-12-31", []span{{grainMonth, "2026-01", "2026-12"}}},
		{"2026-01-15", "2026-03-10", []span{{grainDay, "2026-01-15", "2026-01-31"}, {grainMonth, "2026-02", "2026-02"}, {grainDay, "2026-03-01", "2026-03-10"}}},
		{"2026-01-15", "2026-02-10", []span{{grainDay, "2026-01-15", "2026-02-10"}}},
		{"2026-02-01", "2026-02-28", []span{{grainMonth, "2026-02", "2026-02"}}},
		{"2026-02-01", "2026-02-27", []span{{grainDay, "2026-02-01", "2026-02-27"}}},
		{"2026-12-02", "2027-01-31", []span{{grainDay, "2026-12-02", "2026-12-31"}, {grainMonth, "2027-01", "2027-01"}}},
		{"2026-10-08", "2026-10-08", []span{{grainDay, "2026-10-08", "2026-10-08"}}},
	} {
		if got := spans(c.from, c.to); !slices.Equal(got, c.want) {
			t.Errorf("%s…%s: %v, want %v", c.from, c.to, got, c.want)
		}
	}
}
