package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the hot paths' statements prepared. modernc's SQLite
// driver prepares every statement from scratch, which costs more than the
// statement itself; pgx caches prepared statements per connection on its
// own, so PostgreSQL goes straight through.
//
// The writer's statements are prepared once at open, before any
// transaction: the writer pool has one connection, and preparing on the
// pool while a transaction holds that connection would wait forever.
type stmtCache struct {
	mu    sync.Mutex
	write map[string]*sql.Stmt // fixed after open: read without the lock
	read  map[string]*sql.Stmt
}

// hotWrites are the statements of every transition.
var hotWrites = []string{nextCounterQuery, itemRefQuery, insertCaseQuery, loadCaseQuery, updateCaseQuery, insertEventQuery, insertDocumentQuery, insertNoticeQuery, upsertCaseLedgerQuery}

// prepareWrites prepares the hot statements on the writer, at open.
func (s *Store) prepareWrites(ctx context.Context) error {
	for _, q := range hotWrites {
		st, err := s.write.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		s.stmts.write[q] = st
	}
	// The supervision rollups' statements, the intake's visit lookup and the
	// webhook queue,
	// where the schema has their tables (a database migrated to an older version has not; those run
	// unprepared).
	queries := []string{insertLogCellsQuery, svSaveCaseQuery, svSaveRecordQuery, svTakeStepQuery, svHoldMinutesQuery, svDeleteStepQuery, svDeleteHoldQuery, clerkWindowsQuery,
		queueWebhookQuery} // every event's webhook deliveries: unprepared, it cost nine times the event's own insert
	if s.dialect == Postgres {
		queries = append(queries, insertLogCaseQuery) // SQLite logs a change by its event alone: rollup_log.go
	}
	if s.dialect == SQLite { // pgx keeps its own cache of prepared statements
		queries = append(queries, savepointQuery, releaseQuery, rollbackToQuery) // group_commit.go
		for _, m := range svMultiRows {
			for n := 1; n <= m.max; n++ {
				queries = append(queries, s.multiRowQuery(m, n))
			}
		}
	}
	for _, q := range queries {
		if st, err := s.write.PrepareContext(ctx, q); err == nil {
			s.stmts.write[q] = st
		}
	}
	return nil
}

// prepared returns the readers' statement for query, preparing it once.
func (s *Store) prepared(ctx context.Context, db *sql.DB, cache map[string]*sql.Stmt, query string) (*sql.Stmt, error) {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	if st, ok := cache[query]; ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	cache[query] = st
	return st, nil
}

// execTx runs a statement in tx, prepared if it is a hot one.
func (s *Store) execTx(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, ok := s.stmts.write[query]
	if !ok {
		return tx.ExecContext(ctx, query, args...)
	}
	return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}

// rowTx runs a one-row query in tx, prepared if it is a hot one.
func (s *Store) rowTx(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	st, ok := s.stmts.write[query]
	if !ok {
		return tx.QueryRowContext(ctx, query, args...)
	}
	return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
}

// queryTx runs a query in tx, prepared if it is a hot one.
func (s *Store) queryTx(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	st, ok := s.stmts.write[query]
	if !ok {
		return tx.QueryContext(ctx, query, args...)
	}
	return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
}

// row runs a one-row query on the readers, prepared once on SQLite.
func (s *Store) row(ctx context.Context, query string, args ...any) *sql.Row {
	if s.dialect == Postgres {
		return s.read.QueryRowContext(ctx, query, args...)
	}
	st, err := s.prepared(ctx, s.read, s.stmts.read, query)
	if err != nil {
		return s.read.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// rows runs a query on the readers, prepared once on SQLite.
func (s *Store) rows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s.dialect == Postgres {
		return s.read.QueryContext(ctx, query, args...)
	}
	st, err := s.prepared(ctx, s.read, s.stmts.read, query)
	if err != nil {
		return s.read.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// closeStatements releases the cached statements.
func (s *Store) closeStatements() {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	for _, m := range []map[string]*sql.Stmt{s.stmts.write, s.stmts.read} {
		for q, st := range m {
			st.Close()
			delete(m, q)
		}
	}
}
