package store_test

import (
	"testing"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/supervision"
)

// TestMigrateHallRatings: migration 00048 counts the ratings already given
// in the hall rollup on their day in Asia/Shanghai (a rating at 01:00 on
// 11-01 there is 11-01's though it is 10-31 in UTC), bad ones apart; the
// per-hall figures read them as they read the ones counted live.
func TestMigrateHallRatings(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := t.Context()
			st := storetest.OpenAt(t, d, clock.At(start), 47)
			for i, r := range []struct {
				level int
				at    string
			}{{1, "2026-10-31T12:00:00.000000Z"}, {5, "2026-10-31T17:00:00.000000Z"}, {4, "2026-10-30T02:00:00.000000Z"}} {
				_, err := st.DB().ExecContext(ctx, `INSERT INTO ratings (level, tags, text, channel, ticket_id, hall_code, window_number, clerk,
					department, real_name, rater_name, rater_phone, key_hash, created_at)
					VALUES ($1, '[]', '', 'pad', $2, 'JC-BHJD', 'A01', 'u', 'SCJG', false, '', '', '', $3)`, r.level, "T-"+string(rune('a'+i)), r.at)
				must(t, err)
			}
			storetest.Migrate(t, st)
			for _, tc := range []struct {
				from, to string
				n, bad   int64
			}{{"2026-10-31", "2026-10-31", 1, 1}, {"2026-11-01", "2026-11-01", 1, 0}, {"2026-10-01", "2026-10-31", 2, 1}, {"2026-10-01", "2026-11-30", 3, 1}} {
				sums, err := st.Sums(ctx, store.FigureQuery{From: tc.from, To: tc.to, Group: supervision.ByHall},
					[]supervision.Metric{supervision.MetricRating, supervision.MetricRatingBad}, "")
				must(t, err)
				got := sums["JC-BHJD"]
				if got[supervision.MetricRating] != tc.n || got[supervision.MetricRatingBad] != tc.bad || len(sums) != 1 {
					t.Errorf("%s–%s: %v, want %d ratings, %d bad", tc.from, tc.to, sums, tc.n, tc.bad)
				}
			}
		})
	}
}
