package store

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/rating"
)

// RatingRatesByHall returns the rating counts of from–to (to excluded) per
// hall where the rating was given, as RatingRates grouped by hall counts
// them (appeals upheld not counted), narrowed to one department's ratings
// when department is set: the per-hall figures' satisfaction.
func (s *Store) RatingRatesByHall(ctx context.Context, from, to time.Time, department string) ([]rating.Rate, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT r.hall_code, COUNT(*),
		SUM(CASE WHEN r.level <= 2 THEN 1 ELSE 0 END),
		SUM(CASE WHEN r.level <= 2 AND r.real_name THEN 1 ELSE 0 END),
		SUM(CASE WHEN r.level <= 2 AND r.real_name AND x.state IN ('done', 'explained') THEN 1 ELSE 0 END)
		FROM ratings r LEFT JOIN rectifications x ON x.rating_id = r.id
		WHERE r.created_at >= $1 AND r.created_at < $2 AND ($3 = '' OR r.department = $3) AND (x.state IS NULL OR x.state <> 'upheld')
		GROUP BY r.hall_code ORDER BY r.hall_code`, stamp(from), stamp(to), department)
	if err != nil {
		return nil, mapErr(err, "rating rates by hall")
	}
	defer rows.Close()
	var out []rating.Rate
	for rows.Next() {
		var r rating.Rate
		if err := rows.Scan(&r.Key, &r.Total, &r.Bad, &r.RealNameBad, &r.RealNameRectified); err != nil {
			return nil, mapErr(err, "scan rates by hall")
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err(), "rating rates by hall")
}
