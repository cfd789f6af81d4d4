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
type stmtCache struct {
	mu    sync.Mutex
	write map[string]*sql.Stmt
	read  map[string]*sql.Stmt
}

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

// execTx runs a statement in tx, prepared once on SQLite.
func (s *Store) execTx(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if s.dialect == Postgres {
		return tx.ExecContext(ctx, query, args...)
	}
	st, err := s.prepared(ctx, s.write, s.stmts.write, query)
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}

// rowTx runs a one-row query in tx, prepared once on SQLite.
func (s *Store) rowTx(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if s.dialect == Postgres {
		return tx.QueryRowContext(ctx, query, args...)
	}
	st, err := s.prepared(ctx, s.write, s.stmts.write, query)
	if err != nil {
		return tx.QueryRowContext(ctx, query, args...) // reports the same error
	}
	return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
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
