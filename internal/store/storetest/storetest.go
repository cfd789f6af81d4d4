// Package storetest opens fresh, migrated stores for tests, so that the
// same test runs against SQLite and, when a server is named, PostgreSQL:
// two databases, one contract.
//
// SQLite runs always, in a file under t.TempDir(). PostgreSQL runs when the
// environment variable ONEWINDOW_TEST_POSTGRES holds a DSN such as
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable; each store then
// gets a schema of its own, dropped when the test ends, so tests may run in
// parallel on one database.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
)

// PostgresEnv names the environment variable holding the PostgreSQL DSN.
const PostgresEnv = "ONEWINDOW_TEST_POSTGRES"

// Dialects returns the dialects to test: SQLite always, PostgreSQL when
// ONEWINDOW_TEST_POSTGRES is set.
func Dialects() []store.Dialect {
	if os.Getenv(PostgresEnv) != "" {
		return []store.Dialect{store.SQLite, store.Postgres}
	}
	return []store.Dialect{store.SQLite}
}

// Each runs fn once on a fresh migrated SQLite store and, when
// ONEWINDOW_TEST_POSTGRES names a PostgreSQL DSN, once more on a fresh
// schema of that server, as the subtests "sqlite" and "postgres". A nil
// clk means the system clock.
func Each(t *testing.T, clk clock.Clock, fn func(t *testing.T, st *store.Store)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d, clk))
		})
	}
}

// Open returns a fresh migrated store of dialect, closed (and, on
// PostgreSQL, its schema dropped) when the test ends. For PostgreSQL
// without ONEWINDOW_TEST_POSTGRES the test is skipped; with it set but the
// server unreachable the test fails, so that CI never passes by skipping.
// A nil clk means the system clock.
func Open(t testing.TB, dialect store.Dialect, clk clock.Clock) *store.Store {
	t.Helper()
	return OpenAt(t, dialect, clk, 0)
}

// OpenAt is Open with the schema migrated only up to version (0: the
// newest), for tests of what a later migration does to existing data;
// Migrate completes it.
func OpenAt(t testing.TB, dialect store.Dialect, clk clock.Clock, version int64) *store.Store {
	t.Helper()
	if clk == nil {
		clk = clock.System{}
	}
	var dsn string
	switch dialect {
	case store.SQLite:
		dsn = filepath.Join(t.TempDir(), "onewindow.db")
	case store.Postgres:
		dsn = postgresSchema(t)
	default:
		t.Fatalf("storetest: unknown dialect %q", dialect)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, clk)
	if err != nil {
		t.Fatalf("storetest: open %s store: %v", dialect, err)
	}
	t.Cleanup(func() { st.Close() })
	if err := migrate(ctx, st, version); err != nil {
		t.Fatalf("storetest: migrate %s store: %v", dialect, err)
	}
	return st
}

// migrating queues this binary's PostgreSQL migrations: they all take
// goose's one advisory lock, and a migration that finds it taken sleeps
// 5 s before trying again, which parallel tests would otherwise hit.
var migrating sync.Mutex

// migrate migrates st to version, or to the newest if version is 0.
func migrate(ctx context.Context, st *store.Store, version int64) error {
	if st.Dialect() == store.Postgres {
		migrating.Lock()
		defer migrating.Unlock()
	}
	var err error
	if version == 0 {
		_, err = st.Migrate(ctx)
	} else {
		_, err = st.MigrateTo(ctx, version)
	}
	return err
}

// Migrate brings a store opened by OpenAt up to the newest schema, as
// an upgrade would.
func Migrate(t testing.TB, st *store.Store) {
	t.Helper()
	if err := migrate(context.Background(), st, 0); err != nil {
		t.Fatalf("storetest: migrate %s store: %v", st.Dialect(), err)
	}
}

// postgresSchema creates an empty schema on the server the environment
// names, arranges for it to be dropped, and returns a DSN whose
// search_path puts every table there. pgx passes URL parameters it does not
// know, such as search_path, to the server as run-time parameters.
func postgresSchema(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skipf("storetest: %s is not set; skipping PostgreSQL", PostgresEnv)
	}
	u, err := url.Parse(dsn)
	if err != nil || !store.IsPostgres(dsn) {
		t.Fatalf("storetest: %s must be a postgres:// URL, got %q", PostgresEnv, dsn)
	}
	var b [8]byte
	rand.Read(b[:])
	schema := "ow_test_" + hex.EncodeToString(b[:])

	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("storetest: %s: %v", PostgresEnv, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		t.Fatalf("storetest: PostgreSQL named by %s is unreachable or refused CREATE SCHEMA: %v", PostgresEnv, err)
	}
	// Registered before the store's own cleanup, so it runs after the
	// store has closed its connections.
	t.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("storetest: drop schema %s: %v", schema, err)
		}
	})

	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
