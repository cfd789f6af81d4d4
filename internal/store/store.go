// Package store is OneWindow's one database/sql implementation, for the
// embedded SQLite file and for PostgreSQL alike: one set of portable SQL
// (both drivers bind $1…$N by number) plus per-dialect migrations.
//
// Exported methods own their transaction; helpers take the transaction.
// Unique and foreign-key violations are mapped to coded errors rather than
// checked before writing, so concurrent writers never race past a check.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver (page sessions, tools)
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/sealed"
)

// Dialect names the database behind a Store.
type Dialect string

// The supported databases.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is the database. It is safe for concurrent use by many goroutines.
type Store struct {
	dialect Dialect
	path    string  // SQLite: the file
	write   *sql.DB // SQLite: the one writer connection; PostgreSQL: the pool
	read    *sql.DB // SQLite: a pool of read-only connections; PostgreSQL: the same pool
	serials *sql.DB // PostgreSQL: the day numbers' own pool (serials.go); SQLite: nil
	clock   clock.Clock
	stmts   stmtCache
	pii     *sealed.Keyring // seals personal data (personal_data.go); nil without keys
	wakers  wakers          // background workers to wake after a commit, see wake.go
	rollups sync.Map        // *sql.Tx → its supervision rollup cells, written at its end: rollup_flush.go
	events  committedEvents // hooks told of the case events a commit appended, see committed.go
	schema  schemaProvider  // for SchemaVersion
	fold    foldEnv         // the calendar and hours the supervision rollups fold with: supervision_rollup.go
	records recordCache     // the supervision records of the cases changed last, folded: record_cache.go
	folder  logFolder       // the background folds of the supervision log: rollup_log.go
	kept    keptEvents      // the committed events the folds have not taken: fold_events.go
	// readOnly: a SQLite file opened with mode=ro (it folds no log).
	readOnly bool
	gc       groupState    // SQLite: the group committer, see group_commit.go
	trips    *atomic.Int64 // PostgreSQL: round trips so far, see pg_trips.go; SQLite: nil

	// itemRefs maps an itemRefKey to the item version's [id, department
	// id], read committed (prepareCase in cases.go).
	itemRefs sync.Map
}

// IsPostgres reports whether dsn names a PostgreSQL server.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database dsn names: a postgres:// URL, or the path
// of a SQLite file (created, with its folder, if missing). It does not
// migrate; call Migrate or CheckSchema next.
func Open(ctx context.Context, dsn string, clk clock.Clock) (*Store, error) {
	if IsPostgres(dsn) {
		trips := new(atomic.Int64)
		db, err := openPostgresPool(dsn, trips, true)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(20)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("connect to postgres: %w", err)
		}
		serials, err := openSerials(dsn, trips)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		s := newStore(Postgres, db, db, clk)
		s.serials, s.trips = serials, trips
		return s, nil
	}
	return openSQLite(ctx, dsn, clk)
}

// openSQLite opens the SQLite file dsn names: a path, or file:PATH with
// SQLite's mode parameter (file:data/onewindow.db?mode=ro opens it
// read-only: a node that serves and shows but never writes).
func openSQLite(ctx context.Context, dsn string, clk clock.Clock) (*Store, error) {
	path, query, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if path == "" {
		return nil, errors.New("open sqlite: no file named")
	}
	params, err := url.ParseQuery(query)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: parameters %q: %w", path, query, err)
	}
	mode := ""
	for name, values := range params {
		if name != "mode" || len(values) != 1 {
			return nil, fmt.Errorf("open sqlite %s: unknown parameter %q: only mode=ro|rw|rwc is taken", path, name)
		}
		mode = values[0]
		if mode != "ro" && mode != "rw" && mode != "rwc" {
			return nil, fmt.Errorf("open sqlite %s: mode=%q: use ro, rw or rwc", path, mode)
		}
	}
	if dir := filepath.Dir(path); dir != "." && mode != "ro" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create data folder for SQLite database %s: %s", path, cause(err))
		}
	}
	// synchronous(FULL): an acknowledged change survives a power cut.
	pragmas := url.Values{}
	if mode != "" {
		pragmas.Set("mode", mode)
	}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", "busy_timeout(10000)"} {
		pragmas.Add("_pragma", p)
	}
	// The writer keeps its statement and savepoint journals in memory
	// (temp_store): a group's savepoints (group_commit.go) would otherwise
	// write each page a write first changes to a temporary file.
	writeDSN := "file:" + path + "?" + pragmas.Encode() + "&_pragma=" + url.QueryEscape("temp_store(MEMORY)") + "&_txlock=immediate"
	grouped := new(atomic.Bool)
	connector, err := newWriterConnector(writeDSN, grouped)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	write := sql.OpenDB(connector)
	// One writer: SQLite serialises writes anyway, and a single connection
	// turns lock waits into a queue in Go instead of busy retries.
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, sqliteOpenError(path, err)
	}
	pragmas.Add("_pragma", "query_only(1)")
	read, err := sql.Open("sqlite", "file:"+path+"?"+pragmas.Encode())
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite readers: %w", err)
	}
	read.SetMaxOpenConns(4)
	read.SetMaxIdleConns(4)
	s := newStore(SQLite, write, read, clk)
	s.path = path
	s.gc.active = grouped
	s.readOnly = mode == "ro"
	if !s.readOnly {
		s.GroupCommit(true)
	}
	return s, nil
}

// Prepare readies the hot statements; Migrate calls it (they need the
// tables). It does nothing on PostgreSQL, whose driver caches them.
func (s *Store) Prepare(ctx context.Context) error {
	if s.dialect == Postgres || len(s.stmts.write) > 0 {
		return nil
	}
	return s.prepareWrites(ctx)
}

func newStore(d Dialect, write, read *sql.DB, clk clock.Clock) *Store {
	s := &Store{dialect: d, write: write, read: read, clock: clk}
	s.stmts.write, s.stmts.read = map[string]*sql.Stmt{}, map[string]*sql.Stmt{}
	return s
}

// Dialect returns the database kind.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB returns the pool that writes, for libraries that keep their own
// tables in the same database (page sessions).
func (s *Store) DB() *sql.DB { return s.write }

// Pools returns the connection pools by name, for their statistics:
// "write" and, when readers have a pool of their own (SQLite), "read".
func (s *Store) Pools() map[string]*sql.DB {
	if s.read == s.write {
		return map[string]*sql.DB{"write": s.write}
	}
	return map[string]*sql.DB{"write": s.write, "read": s.read}
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.read.PingContext(ctx) }

// Close closes every connection.
func (s *Store) Close() error {
	s.stopFolding()
	s.GroupCommit(false)
	s.closeStatements()
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	if s.serials != nil {
		err = errors.Join(err, s.serials.Close())
	}
	return err
}

// update runs fn in one write transaction: committed if fn returns nil,
// rolled back otherwise. Database errors are mapped to coded errors. On
// SQLite with group commit, fn runs in a savepoint of a transaction it
// may share with the writes queued beside it (group_commit.go): fn must
// not assume tx is its alone, only that its changes commit or roll back
// together.
func (s *Store) update(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if g := s.gc.committer.Load(); g != nil {
		return s.updateGrouped(ctx, g, fn, false)
	}
	return s.updateOwn(ctx, fn)
}

// updateAlone is update for a write that must see every earlier write
// committed and its own statements alone in their transaction: with group
// commit it runs in a group of its own.
func (s *Store) updateAlone(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if g := s.gc.committer.Load(); g != nil {
		return s.updateGrouped(ctx, g, fn, true)
	}
	return s.updateOwn(ctx, fn)
}

// updateOwn runs fn in a transaction of its own.
func (s *Store) updateOwn(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err, "begin")
	}
	s.deferRollups(tx)
	err = fn(tx)
	if err == nil {
		err = s.flushRollups(ctx, tx) // the day's shared cells last: rollup_flush.go
	}
	if err != nil {
		s.forgetRollups(tx)
		tx.Rollback()
		s.ended(tx, false)
		return mapErr(err, "transaction")
	}
	if err := tx.Commit(); err != nil {
		s.ended(tx, false)
		return mapErr(err, "commit")
	}
	s.ended(tx, true)
	s.maybeFoldLog()
	return nil
}

// mapErr turns driver errors into coded errors: constraint violations
// become conflicts or invalid input, no rows becomes not found, and any
// other error is internal. Coded errors pass through.
func mapErr(err error, what string) error {
	if err == nil {
		return nil
	}
	var coded *apperr.Error
	if errors.As(err, &coded) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "未找到")
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return apperr.New(apperr.Conflict, "记录已存在或已被他人修改，请刷新后重试")
		case "23503":
			return apperr.New(apperr.Invalid, "引用的记录不存在")
		case "23514":
			return apperr.New(apperr.Invalid, "数据不符合约束条件")
		}
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return apperr.New(apperr.Conflict, "记录已存在或已被他人修改，请刷新后重试")
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return apperr.New(apperr.Invalid, "引用的记录不存在")
		case sqlite3.SQLITE_CONSTRAINT_CHECK:
			return apperr.New(apperr.Invalid, "数据不符合约束条件")
		}
	}
	return apperr.Wrap(err, what)
}

// notFound returns a NotFound error for sql.ErrNoRows, else maps err.
func notFound(err error, message string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "%s", message)
	}
	return mapErr(err, message)
}
