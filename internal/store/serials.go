package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"sync/atomic"
)

// Day numbers (a case's 20261125000042, a joint application's
// YJS202611250007) come from a counter row per day. Every intake of the
// day increments the same row, so on PostgreSQL a transaction that
// incremented it inside the case's transaction held the row's lock until
// its commit: every other intake of the day waited for that commit,
// round trips, fsync and all, and intake ran one at a time.
//
// On PostgreSQL the number is therefore taken before the case's
// transaction writes anything, in a statement of its own on a small pool
// of connections that commit asynchronously (synchronous_commit=off): the
// row is locked only while that statement runs, and its commit waits for
// no fsync. Numbers stay unique and ordered by the moment they are taken:
//
//   - the increment is visible to every later taker as soon as it
//     commits, so no number is given twice while the server runs;
//   - a case is saved only by a later, synchronous commit, whose flush
//     covers every earlier WAL record, the increment included; an
//     increment lost in a crash is one whose case was never saved, so a
//     number given again after a crash was never held by a saved case.
//
// A number whose case transaction then fails (bad input found late, a
// conflict, a crash) is not used by any case: a gap in the day's numbers
// means an intake that was not saved, never a case removed. On SQLite the
// one writer takes the number inside the case's transaction as before
// (there is no concurrency to gain), so SQLite's numbers have no gaps.
const serialPoolSize = 4

// openSerials opens the pool that takes day numbers on PostgreSQL.
func openSerials(dsn string, trips *atomic.Int64) (*sql.DB, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres URL: %w", err)
	}
	q := u.Query()
	q.Set("synchronous_commit", "off") // a run-time parameter of these connections only
	u.RawQuery = q.Encode()
	db, err := openPostgresPool(u.String(), trips, false)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(serialPoolSize)
	db.SetMaxIdleConns(serialPoolSize)
	return db, nil
}

// nextSerial returns the next value of the day counter name for a
// transaction tx that is about to save what it numbers: outside tx on
// PostgreSQL, in tx on SQLite (see above).
func (s *Store) nextSerial(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	if s.serials == nil {
		return s.nextCounter(ctx, tx, name)
	}
	var v int64
	err := s.serials.QueryRowContext(ctx, nextCounterQuery, name).Scan(&v)
	return v, err
}
