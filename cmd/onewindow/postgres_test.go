package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/store/storetest"
)

// freshPostgres returns the DSN of a new, empty PostgreSQL database on the
// server ONEWINDOW_TEST_POSTGRES names, dropped when the test ends. A whole
// database rather than a schema: pg_dump, pg_restore and the restore's
// in-use check work on databases. Without the variable the test is skipped;
// with it set and the server unreachable it fails.
func freshPostgres(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv(storetest.PostgresEnv)
	if dsn == "" {
		t.Skipf("%s is not set; skipping PostgreSQL", storetest.PostgresEnv)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s: %v", storetest.PostgresEnv, err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "ow_cmd_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		admin.Close()
		t.Fatalf("PostgreSQL named by %s refused CREATE DATABASE: %v", storetest.PostgresEnv, err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String()
}
