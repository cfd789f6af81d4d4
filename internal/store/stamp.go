package store

import (
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
)

// stampLayout is how times are written: fixed-width UTC, so that on SQLite
// (which stores them as text) string order is time order. PostgreSQL parses
// the same text into its TIMESTAMPTZ columns.
const stampLayout = "2006-01-02T15:04:05.000000Z"

// stamp returns t as a query argument; the zero time is NULL.
func stamp(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(stampLayout)
}

// timeDest scans a time written by stamp (text on SQLite, a time on
// PostgreSQL) into T, in Asia/Shanghai; NULL scans as the zero time.
type timeDest struct{ T *time.Time }

// Scan implements sql.Scanner.
func (d timeDest) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d.T = time.Time{}
	case time.Time:
		*d.T = v.In(clock.Shanghai)
	case string:
		return d.parse(v)
	case []byte:
		return d.parse(string(v))
	default:
		return fmt.Errorf("scan time: unexpected %T", src)
	}
	return nil
}

func (d timeDest) parse(s string) error {
	t, err := time.Parse(stampLayout, s)
	if err != nil {
		if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return fmt.Errorf("scan time %q: %w", s, err)
		}
	}
	*d.T = t.In(clock.Shanghai)
	return nil
}

var _ driver.Valuer = (*dbNull)(nil)

// dbNull is an optional integer id: zero is NULL.
type dbNull int64

// Value implements driver.Valuer.
func (n dbNull) Value() (driver.Value, error) {
	if n == 0 {
		return nil, nil
	}
	return int64(n), nil
}
