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
	"github.com/onewindow/onewindow/internal/sealed"
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
	st := OpenEmpty(t, dialect, clk)
	ctx := context.Background()
	if err := migrate(ctx, st, 0); err != nil {
		t.Fatalf("storetest: migrate %s store: %v", dialect, err)
	}
	if err := st.UseKeys(ctx, Keyring(t)); err != nil {
		t.Fatalf("storetest: data keys of %s store: %v", dialect, err)
	}
	return st
}

// OpenAt returns a fresh store of dialect with the schema migrated up to
// version only and no data keys, for a test of one migration's changes to
// the data before it.
func OpenAt(t testing.TB, dialect store.Dialect, clk clock.Clock, version int64) *store.Store {
	t.Helper()
	st := OpenEmpty(t, dialect, clk)
	if err := migrate(context.Background(), st, version); err != nil {
		t.Fatalf("storetest: migrate %s store: %v", dialect, err)
	}
	return st
}

// OpenEmpty returns a fresh store of dialect as Open does, but neither
// migrated nor given keys: for tests of migrations and of key handling.
func OpenEmpty(t testing.TB, dialect store.Dialect, clk clock.Clock) *store.Store {
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
	return st
}

// Migrate applies st's pending migrations, one PostgreSQL store at a time.
func Migrate(t testing.TB, st *store.Store) {
	t.Helper()
	if err := migrate(context.Background(), st, 0); err != nil {
		t.Fatalf("storetest: migrate %s store: %v", st.Dialect(), err)
	}
}

// DataKey is the data key test stores seal personal data with.
const DataKey = "b25ld2luZG93IHRlc3QgZGF0YSBrZXksIDMyIGJ5dGU=" // "onewindow test data key, 32 byte"

// Keyring returns a fresh key ring holding DataKey, for a store's UseKeys.
func Keyring(t testing.TB) *sealed.Keyring {
	t.Helper()
	ring, err := sealed.ParseKeyring(DataKey, "")
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	return ring
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
	if version > 0 {
		_, err := st.MigrateTo(ctx, version)
		return err
	}
	_, err := st.Migrate(ctx)
	return err
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

// ReadOnly makes st refuse every write from now on, as a database on a
// read-only file, a full disk or a PostgreSQL standby does, while reads go
// on; the returned function (also run when the test ends) makes it
// writable again. SQLite: query_only on the one writer connection;
// PostgreSQL: the pool shrunk to one connection whose transactions are
// read-only. Nothing else may hold a connection meanwhile.
func ReadOnly(t testing.TB, st *store.Store) (restore func()) {
	t.Helper()
	db := st.DB()
	on, off := `PRAGMA query_only = 1`, `PRAGMA query_only = 0`
	if st.Dialect() == store.Postgres {
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		on, off = `SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`, `SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE`
	}
	if _, err := db.Exec(on); err != nil {
		t.Fatalf("storetest: make the database read-only: %v", err)
	}
	var once sync.Once
	restore = func() {
		once.Do(func() {
			if _, err := db.Exec(off); err != nil {
				t.Errorf("storetest: make the database writable again: %v", err)
			}
			if st.Dialect() == store.Postgres {
				db.SetMaxOpenConns(20)
				db.SetMaxIdleConns(20)
			}
		})
	}
	t.Cleanup(restore)
	return restore
}

// OpenNodes returns n stores of dialect on one fresh migrated database, as
// n serving nodes share one: on PostgreSQL n pools on one schema; on
// SQLite n stores on one file.
func OpenNodes(t testing.TB, dialect store.Dialect, clk clock.Clock, n int) []*store.Store {
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
	var out []*store.Store
	for i := range n {
		st, err := store.Open(ctx, dsn, clk)
		if err != nil {
			t.Fatalf("storetest: open %s node %d: %v", dialect, i, err)
		}
		t.Cleanup(func() { st.Close() })
		if i == 0 {
			if err := migrate(ctx, st, 0); err != nil {
				t.Fatalf("storetest: migrate %s store: %v", dialect, err)
			}
		} else if err := st.Prepare(ctx); err != nil {
			t.Fatalf("storetest: prepare %s node %d: %v", dialect, i, err)
		}
		if err := st.UseKeys(ctx, Keyring(t)); err != nil {
			t.Fatalf("storetest: data keys of %s node %d: %v", dialect, i, err)
		}
		out = append(out, st)
	}
	return out
}
