package store

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/rating"
)

// HallRatingRates counts, per department, the ratings given at one hall in
// [from, to), as RatingRates counts them: a hall manager's satisfaction
// figures.
func (s *Store) HallRatingRates(ctx context.Context, from, to time.Time, hall string) ([]rating.Rate, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT r.department, COUNT(*),
		SUM(CASE WHEN r.level <= 2 THEN 1 ELSE 0 END),
		SUM(CASE WHEN r.level <= 2 AND r.real_name THEN 1 ELSE 0 END),
		SUM(CASE WHEN r.level <= 2 AND r.real_name AND x.state IN ('done', 'explained') THEN 1 ELSE 0 END)
		FROM ratings r LEFT JOIN rectifications x ON x.rating_id = r.id
		WHERE r.created_at >= $1 AND r.created_at < $2 AND r.hall_code = $3 AND (x.state IS NULL OR x.state <> 'upheld')
		GROUP BY r.department ORDER BY r.department`, stamp(from), stamp(to), hall)
	if err != nil {
		return nil, mapErr(err, "hall rating rates")
	}
	defer rows.Close()
	var out []rating.Rate
	for rows.Next() {
		var r rating.Rate
		if err := rows.Scan(&r.Key, &r.Total, &r.Bad, &r.RealNameBad, &r.RealNameRectified); err != nil {
			return nil, mapErr(err, "scan hall rates")
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err(), "hall rating rates")
}
