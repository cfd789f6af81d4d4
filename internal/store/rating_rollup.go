package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/supervision"
)

// The ratings in the supervision rollup (the per-hall figures'
// satisfaction): each rating adds to its hall's cells of its day and month
// in the transaction that saves it, and an appeal upheld takes it out in
// the transaction that upholds it, so a year of every hall's satisfaction
// reads a few hundred rollup rows instead of every rating of the year.

// ratingCells adds sign × the rating's counts (given at hall for
// department at at, bad or not) to sums.
func ratingCells(sums map[rollupCell]int64, at time.Time, department, hall string, bad bool, sign int64) {
	day := supervision.Day(at)
	for _, g := range [][2]string{{grainDay, day}, {grainMonth, day[:7]}} {
		sums[rollupCell{dimHall, g[0], g[1], department, hall, string(supervision.MetricRating)}] += sign
		if bad {
			sums[rollupCell{dimHall, g[0], g[1], department, hall, string(supervision.MetricRatingBad)}] += sign
		}
	}
}

// rollRating counts a rating (sign 1) or takes it out (sign -1) in tx.
func (s *Store) rollRating(ctx context.Context, tx *sql.Tx, at time.Time, department, hall string, bad bool, sign int64) error {
	sums, deferred := s.pendingRollup(tx)
	if !deferred {
		sums = map[rollupCell]int64{}
	}
	ratingCells(sums, at, department, hall, bad, sign)
	if deferred {
		return nil
	}
	return s.writeRollupCells(ctx, tx, sums)
}

// unrollUpheld takes the rating of rectification x out of the rollup when
// the change just made upheld its appeal (it was not upheld before).
func (s *Store) unrollUpheld(ctx context.Context, tx *sql.Tx, before rating.State, x *rating.Rectification) error {
	if before == rating.Upheld || x.State != rating.Upheld {
		return nil
	}
	var at time.Time
	var department, hall string
	var level int
	if err := tx.QueryRowContext(ctx, `SELECT created_at, department, hall_code, level FROM ratings WHERE id = $1`, x.RatingID).
		Scan(timeDest{&at}, &department, &hall, &level); err != nil {
		return err
	}
	return s.rollRating(ctx, tx, at, department, hall, rating.Level(level).Bad(), -1)
}

// rebuildRatingRollup counts every rating whose appeal was not upheld in
// the emptied rollup, in tx (stats rebuild).
func (s *Store) rebuildRatingRollup(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT r.created_at, r.department, r.hall_code, r.level
		FROM ratings r LEFT JOIN rectifications x ON x.rating_id = r.id WHERE x.state IS NULL OR x.state <> 'upheld'`)
	if err != nil {
		return err
	}
	sums := map[rollupCell]int64{}
	for rows.Next() {
		var at time.Time
		var department, hall string
		var level int
		if err := rows.Scan(timeDest{&at}, &department, &hall, &level); err != nil {
			rows.Close()
			return err
		}
		ratingCells(sums, at, department, hall, rating.Level(level).Bad(), 1)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return s.writeRollupCells(ctx, tx, sums)
}
