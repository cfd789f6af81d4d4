package store

import (
	"context"
	"database/sql"

	"github.com/onewindow/onewindow/internal/calendar"
)

// CalendarDays returns every district-wide override of the Monday–Friday
// rule (holidays and 调休 working days), by date.
func (s *Store) CalendarDays(ctx context.Context) ([]calendar.Override, error) {
	return s.overrides(ctx, `SELECT day, working, name FROM calendar_days ORDER BY day`)
}

// HallDays returns a hall's own closures and openings, by date.
func (s *Store) HallDays(ctx context.Context, hallCode string) ([]calendar.Override, error) {
	return s.overrides(ctx, `SELECT hd.day, hd.working, hd.name FROM hall_days hd JOIN halls h ON h.id = hd.hall_id
		WHERE h.code = $1 ORDER BY hd.day`, hallCode)
}

func (s *Store) overrides(ctx context.Context, query string, args ...any) ([]calendar.Override, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err, "calendar")
	}
	defer rows.Close()
	var out []calendar.Override
	for rows.Next() {
		var o calendar.Override
		var day string
		if err := rows.Scan(&day, &o.Working, &o.Name); err != nil {
			return nil, mapErr(err, "scan calendar day")
		}
		if o.Date, err = calendar.ParseDate(day); err != nil {
			return nil, mapErr(err, "calendar day "+day)
		}
		out = append(out, o)
	}
	return out, mapErr(rows.Err(), "calendar")
}

// DayChange sets or clears one date's override. Reset removes the
// override, returning the date to the Monday–Friday rule.
type DayChange struct {
	calendar.Override
	Reset bool
}

// ChangeDays applies changes to the district calendar (hallCode "") or to
// one hall's own days, all in one transaction.
func (s *Store) ChangeDays(ctx context.Context, hallCode string, changes []DayChange, by string) error {
	now := stamp(s.clock.Now())
	return s.update(ctx, func(tx *sql.Tx) error {
		var hall int64
		if hallCode != "" {
			var err error
			if hall, err = hallID(ctx, tx, hallCode, "hall"); err != nil {
				return err
			}
		}
		// Every node caches the calendar by this counter's value.
		if err := bump(ctx, tx, calendarCounter); err != nil {
			return err
		}
		for _, c := range changes {
			day := c.Date.String()
			var err error
			switch {
			case hall == 0 && c.Reset:
				_, err = tx.ExecContext(ctx, `DELETE FROM calendar_days WHERE day = $1`, day)
			case hall == 0:
				_, err = tx.ExecContext(ctx, `
					INSERT INTO calendar_days (day, working, name, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
					ON CONFLICT (day) DO UPDATE SET working = excluded.working, name = excluded.name,
						updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
					day, c.Working, c.Name, now, by)
			case c.Reset:
				_, err = tx.ExecContext(ctx, `DELETE FROM hall_days WHERE hall_id = $1 AND day = $2`, hall, day)
			default:
				_, err = tx.ExecContext(ctx, `
					INSERT INTO hall_days (hall_id, day, working, name, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
					ON CONFLICT (hall_id, day) DO UPDATE SET working = excluded.working, name = excluded.name,
						updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
					hall, day, c.Working, c.Name, now, by)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// The counters that tell nodes a cached copy is stale.
const (
	calendarCounter = "calendar"
	catalogCounter  = "catalog"
	hallsCounter    = "halls"           // every hall added
	policyCounter   = "deadline_policy" // every deadline policy published
)

// Versions are numbers that change with every edit of what the nodes
// cache: the calendar, the catalog, the halls and the deadline policy.
type Versions struct {
	Calendar, Catalog, Halls, Policy int64
}

// CacheVersions returns the counters of every calendar edit, catalog
// edit, hall added and deadline policy published, so that nodes can cache
// all four and still see every change at once. One statement: every use
// case that reads the calendar asks it.
func (s *Store) CacheVersions(ctx context.Context) (Versions, error) {
	var v Versions
	err := s.row(ctx, `SELECT
		COALESCE((SELECT value FROM counters WHERE name = $1), 0),
		COALESCE((SELECT value FROM counters WHERE name = $2), 0),
		COALESCE((SELECT value FROM counters WHERE name = $3), 0),
		COALESCE((SELECT value FROM counters WHERE name = $4), 0)`, calendarCounter, catalogCounter, hallsCounter, policyCounter).
		Scan(&v.Calendar, &v.Catalog, &v.Halls, &v.Policy)
	return v, mapErr(err, "cache versions")
}

// bump increments a named counter in tx.
func bump(ctx context.Context, tx *sql.Tx, name string) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO counters (name, value) VALUES ($1, 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1`, name)
	return err
}
