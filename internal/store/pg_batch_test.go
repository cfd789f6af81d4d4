package store_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// counterValue reads a counter committed, -1 when it is absent.
func counterValue(t *testing.T, st *store.Store, name string) int64 {
	t.Helper()
	var v int64
	err := st.DB().QueryRowContext(context.Background(), `SELECT value FROM counters WHERE name = $1`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return -1
	}
	must(t, err)
	return v
}

// A pipelined write keeps the order of its statements (a read sees the
// writes queued before it, rows affected are counted), commits whole, and
// on PostgreSQL sends its writes, BEGIN and COMMIT in one round trip.
func TestPipelinedWriteKeepsOrderAndCommits(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		st.DB().SetMaxOpenConns(1) // one connection: its statements are prepared after the first run
		write := func(prefix string) {
			t.Helper()
			var told int64 = -1
			must(t, st.UpdatePipelined(ctx, func(tx *sql.Tx) error {
				for _, n := range []string{"a", "b", "c"} {
					if _, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ($1, 1)`, prefix+n); err != nil {
						return err
					}
				}
				_, err := tx.ExecContext(store.WithOutcome(ctx, func(n int64) { told = n }, nil),
					`UPDATE counters SET value = value + 1 WHERE name LIKE $1`, prefix+"%")
				return err
			}))
			if told != 3 && st.Dialect() == store.Postgres { // SQLite's callers read the result
				t.Errorf("%s: the update told %d rows, want 3", prefix, told)
			}
		}
		write("warm:")
		before := st.RoundTrips()
		write("pipe:")
		if st.Dialect() == store.Postgres {
			if trips := st.RoundTrips() - before; trips != 1 {
				t.Errorf("a write of four statements made %d round trips, want 1 (BEGIN, the writes and COMMIT in one batch)", trips)
			}
		}
		for _, n := range []string{"pipe:a", "pipe:b", "pipe:c"} {
			if v := counterValue(t, st, n); v != 2 {
				t.Errorf("%s = %d after the commit, want 2", n, v)
			}
		}

		// A read sees what was queued before it; rows affected asked at
		// once are those of the statement.
		must(t, st.UpdatePipelined(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ('read:x', 7)`); err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `UPDATE counters SET value = value * 2 WHERE name = 'read:x'`)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				t.Errorf("rows affected = %d, %v; want 1", n, err)
			}
			var v int64
			if err := tx.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = 'read:x'`).Scan(&v); err != nil {
				return err
			}
			if v != 14 {
				t.Errorf("the read in the transaction saw %d, want 14", v)
			}
			return nil
		}))
	})
}

// A statement that fails in a batch fails its write with the same coded
// error as when run alone, and nothing of the write is kept: at the
// commit, at the next read, or translated by its outcome.
func TestPipelinedWriteFailsWhole(t *testing.T) {
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		must(t, st.Update(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ('taken', 1)`)
			return err
		}))
		insertTaken := func(tx *sql.Tx, first string) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ($1, 1)`, first); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ('taken', 2)`)
			return err
		}
		// Found at the commit.
		err := st.UpdatePipelined(ctx, func(tx *sql.Tx) error { return insertTaken(tx, "lost:1") })
		wantCode(t, err, apperr.Conflict)
		// Found at the next read, which the write gives up at.
		err = st.UpdatePipelined(ctx, func(tx *sql.Tx) error {
			if err := insertTaken(tx, "lost:2"); err != nil {
				return err
			}
			var n int
			return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM counters`).Scan(&n)
		})
		wantCode(t, err, apperr.Conflict)
		// Translated by the statement's outcome (PostgreSQL's connections).
		mine := apperr.New(apperr.Invalid, "mine")
		if st.Dialect() == store.SQLite {
			mine = nil
		}
		err = st.UpdatePipelined(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(store.WithOutcome(ctx, nil, func(error) error { return mine }),
				`INSERT INTO counters (name, value) VALUES ('taken', 3)`)
			return err
		})
		if mine != nil && !errors.Is(err, mine) {
			t.Errorf("error = %v, want the outcome's", err)
		} else if mine == nil {
			wantCode(t, err, apperr.Conflict)
		}
		for _, n := range []string{"lost:1", "lost:2"} {
			if v := counterValue(t, st, n); v != -1 {
				t.Errorf("%s = %d: a failed write kept a row", n, v)
			}
		}
		if v := counterValue(t, st, "taken"); v != 1 {
			t.Errorf("taken = %d, want 1", v)
		}
		// The connection is sound afterwards.
		must(t, st.UpdatePipelined(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ('after', 1)`)
			return err
		}))
		if v := counterValue(t, st, "after"); v != 1 {
			t.Errorf("after = %d, want 1", v)
		}
	})
}
