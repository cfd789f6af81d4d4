package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver, as the server uses it
)

// rawCommitRate measures single-row inserts, each committed alone, by
// writers concurrent connections for d, on the run's database with the
// server's settings (SQLite: WAL, synchronous=FULL), in a table of its own.
func rawCommitRate(ctx context.Context, dsn string, writers int, d time.Duration) (float64, error) {
	db, err := openRaw(dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(writers)
	db.SetMaxIdleConns(writers)
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS loadtest_raw (id BIGINT PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		return 0, err
	}
	var base int64
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM loadtest_raw`).Scan(&base); err != nil {
		return 0, err
	}
	var next atomic.Int64
	next.Store(base)
	var done atomic.Int64
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	begin := time.Now()
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(begin) < d && ctx.Err() == nil {
				if _, err := db.ExecContext(ctx, `INSERT INTO loadtest_raw (id, v) VALUES ($1, $2)`, next.Add(1), "x"); err != nil {
					once.Do(func() { first = err })
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return 0, fmt.Errorf("raw insert: %w", first)
	}
	return float64(done.Load()) / time.Since(begin).Seconds(), nil
}

// openRaw opens the database as the server does (store.Open's pragmas).
func openRaw(dsn string) (*sql.DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return sql.Open("pgx", dsn)
	}
	p := url.Values{}
	for _, pr := range []string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", "busy_timeout(10000)"} {
		p.Add("_pragma", pr)
	}
	return sql.Open("sqlite", "file:"+dsn+"?"+p.Encode()+"&_txlock=immediate")
}
