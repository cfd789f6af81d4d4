package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/store/storetest"
)

// migrated returns a fresh, migrated SQLite file.
func migrated(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "onewindow.db")
	if _, stderr, err := run(t, map[string]string{"ONEWINDOW_DB": db}, "migrate"); err != nil {
		t.Fatalf("migrate: %v\n%s", err, stderr)
	}
	return db
}

// checkReadOnlyStart starts serve on a database it can only read: it
// starts, says so in its start output naming the file, /healthz is up and
// /readyz answers 503, naming read-only.
func checkReadOnlyStart(t *testing.T, file, dsn string) {
	t.Helper()
	addr, stdout, stop := startServe(t, map[string]string{"ONEWINDOW_DB": dsn, "ONEWINDOW_DATA_KEY": storetest.DataKey})
	defer stop()
	out := stdout.String()
	for _, want := range []string{"警告：数据库只读", "read-only", file, "一窗通已启动"} {
		if !strings.Contains(out, want) {
			t.Errorf("start output lacks %q:\n%s", want, out)
		}
	}
	if resp, _ := get(t, "http://"+addr+"/healthz", ""); resp.StatusCode != 200 {
		t.Errorf("/healthz %d", resp.StatusCode)
	}
	resp, body := get(t, "http://"+addr+"/readyz", "")
	if resp.StatusCode != 503 || body["status"] != "not ready" || body["read_only"] != true {
		t.Errorf("/readyz %d %v", resp.StatusCode, body)
	}
}

// TestServeOnAReadOnlyDatabase: the server used to start on a database it
// could not write without a word. Now it warns; via mode=ro (which works
// for root too) and via the file's mode (skipped for root, whom a mode
// does not stop).
func TestServeOnAReadOnlyDatabase(t *testing.T) {
	t.Run("mode=ro", func(t *testing.T) {
		db := migrated(t)
		checkReadOnlyStart(t, db, "file:"+db+"?mode=ro")
	})
	t.Run("chmod", func(t *testing.T) {
		db := migrated(t)
		for _, f := range []string{db, db + "-wal", db + "-shm"} {
			if err := os.Chmod(f, 0o444); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
		}
		if f, err := os.OpenFile(db, os.O_RDWR, 0); err == nil {
			f.Close()
			t.Skip("the file's mode does not stop this user (root) writing: the mode=ro case covers it")
		}
		checkReadOnlyStart(t, db, db)
	})
}

// TestUnopenableDatabaseIsExplained: "unable to open database file" said
// neither which file nor why; now both.
func TestUnopenableDatabaseIsExplained(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "gone", "onewindow.db")
	_, _, err := run(t, map[string]string{"ONEWINDOW_DB": "file:" + missing + "?mode=ro"}, "migrate")
	if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "folder "+filepath.Dir(missing)+" does not exist") {
		t.Errorf("a missing folder: %v", err)
	}
	_, _, err = run(t, map[string]string{"ONEWINDOW_DB": "file:" + filepath.Join(dir, "nope.db") + "?mode=ro"}, "migrate")
	if err == nil || !strings.Contains(err.Error(), "nope.db cannot be opened: the file does not exist (a read-only open") {
		t.Errorf("a missing file opened read-only: %v", err)
	}
	_, _, err = run(t, map[string]string{"ONEWINDOW_DB": "file:" + filepath.Join(dir, "x.db") + "?mode=rx"}, "migrate")
	if err == nil || !strings.Contains(err.Error(), "mode=") {
		t.Errorf("a bad mode: %v", err)
	}

	// A folder the server may not create files in (WAL needs -wal and
	// -shm beside the database), with the database in it and without:
	// skipped for root, whom a folder's mode does not stop.
	db := migrated(t)
	ro := filepath.Dir(db)
	if err := os.Chmod(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(ro, 0o755) })
	if f, err := os.CreateTemp(ro, "probe"); err == nil {
		f.Close()
		os.Remove(f.Name())
		t.Skip("a folder's mode does not stop this user (root)")
	}
	_, _, err = run(t, map[string]string{"ONEWINDOW_DB": filepath.Join(ro, "new.db")}, "migrate")
	if err == nil || !strings.Contains(err.Error(), "the file does not exist and cannot be created in its folder "+ro+": permission denied") {
		t.Errorf("a new database in a read-only folder: %v", err)
	}
	_, _, err = run(t, map[string]string{"ONEWINDOW_DB": db}, "migrate")
	if err == nil || !strings.Contains(err.Error(), "nothing can be created in its folder "+ro) {
		t.Errorf("a database in a read-only folder: %v", err)
	}
}

// TestMigrateOnAReadOnlyDatabase: a database that still has to be
// migrated (here: an empty file, which SQLite takes as an empty database)
// but cannot be written says it is read-only, naming the file.
func TestMigrateOnAReadOnlyDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "onewindow.db")
	if err := os.WriteFile(db, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := run(t, map[string]string{"ONEWINDOW_DB": "file:" + db + "?mode=ro"}, "migrate")
	if err == nil || !strings.Contains(err.Error(), db+" is read-only") {
		t.Errorf("migrating a read-only database: %v", err)
	}
}
