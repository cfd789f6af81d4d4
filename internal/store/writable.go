package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Heartbeat proves the database takes a write: it records, in a
// transaction that commits, that node (running version) is alive now. One
// small row per node, written in place.
func (s *Store) Heartbeat(ctx context.Context, node, version string) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO node_heartbeats (node, version, beat_at) VALUES ($1, $2, $3)
			ON CONFLICT (node) DO UPDATE SET version = excluded.version, beat_at = excluded.beat_at`,
			node, version, stamp(s.clock.Now()))
		return err
	})
}

// WriteFault is why the database refused a write, in the words an
// operator acts on.
type WriteFault struct {
	// Kind is "read-only", "disk full", "cannot open" or "error".
	Kind string
	// Detail names the database (the SQLite file) and the cause.
	Detail string
}

// ReadOnly reports whether the database refuses every write.
func (f WriteFault) ReadOnly() bool { return f.Kind == "read-only" }

// ExplainWriteError says why err, from a write, happened: a read-only
// file, folder, file system or PostgreSQL server, a full disk, a file that
// cannot be opened, or another error.
func (s *Store) ExplainWriteError(err error) WriteFault {
	if s.dialect == Postgres {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			switch {
			case pgErr.Code == "25006":
				return WriteFault{"read-only", "the PostgreSQL server is read-only (a standby, or default_transaction_read_only is on)"}
			case pgErr.Code == "53100":
				return WriteFault{"disk full", "the PostgreSQL server's disk is full"}
			}
		}
		return WriteFault{"error", "PostgreSQL refused the write: " + err.Error()}
	}
	kind := sqliteFault(err)
	if kind == "" {
		return WriteFault{"error", fmt.Sprintf("the SQLite database %s refused the write: %v", s.path, err)}
	}
	return WriteFault{kind, fmt.Sprintf("the SQLite database %s %s: %s", s.path, faultPhrase[kind], diagnoseSQLiteFile(s.path, kind))}
}

// sqliteFault names the trouble of a SQLite error about the file itself,
// or "" for any other error.
func sqliteFault(err error) string {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return ""
	}
	switch e.Code() & 0xff { // the primary code of an extended one
	case sqlite3.SQLITE_READONLY:
		return "read-only"
	case sqlite3.SQLITE_FULL:
		return "disk full"
	case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
		return "cannot open"
	}
	return ""
}

// sqliteOpenError explains an error opening or migrating the SQLite file
// at path, naming the file and, where the file system tells, the cause.
func sqliteOpenError(path string, err error) error {
	kind := sqliteFault(err)
	if kind == "" {
		return fmt.Errorf("open SQLite database %s: %w", path, err)
	}
	return fmt.Errorf("SQLite database %s %s: %s (%w)", path, faultPhrase[kind], diagnoseSQLiteFile(path, kind), err)
}

// faultPhrase says a fault of sqliteFault after the database's name.
var faultPhrase = map[string]string{
	"read-only":   "is read-only",
	"disk full":   "is on a full disk",
	"cannot open": "cannot be opened",
}

// diagnoseSQLiteFile finds out, from the file system, why the SQLite file
// at path cannot be opened or written. SQLite in WAL mode needs to read and
// write the file and to create path-wal and path-shm beside it.
func diagnoseSQLiteFile(path, kind string) string {
	if kind == "disk full" {
		return "no space is left on its disk (free some, then restart)"
	}
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Sprintf("its folder %s does not exist", dir)
	case err != nil:
		return fmt.Sprintf("its folder %s cannot be read: %v", dir, cause(err))
	case !info.IsDir():
		return fmt.Sprintf("%s is not a folder", dir)
	}
	info, err = os.Stat(path)
	missing := errors.Is(err, os.ErrNotExist)
	if err == nil && info.IsDir() {
		return "it is a folder, not a file"
	}
	if !missing {
		if f, err := os.OpenFile(path, os.O_RDWR, 0); err != nil {
			return "the file cannot be written: " + cause(err)
		} else {
			f.Close()
		}
	}
	probe, err := os.CreateTemp(dir, ".onewindow-probe-*")
	if err != nil {
		if missing {
			return fmt.Sprintf("the file does not exist and cannot be created in its folder %s: %s", dir, cause(err))
		}
		return fmt.Sprintf("nothing can be created in its folder %s, where SQLite keeps %s-wal and %s-shm: %s",
			dir, filepath.Base(path), filepath.Base(path), cause(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	if missing {
		return "the file does not exist (a read-only open does not create it)"
	}
	for _, side := range []string{path + "-wal", path + "-shm"} {
		if f, err := os.OpenFile(side, os.O_RDWR, 0); err == nil {
			f.Close()
		} else if !errors.Is(err, os.ErrNotExist) {
			return fmt.Sprintf("%s cannot be written: %s", side, cause(err))
		}
	}
	if kind == "read-only" {
		return "it was opened read-only (mode=ro in the --db name, or the file was read-only when the server started)"
	}
	return "SQLite could not open it although the file system allows it"
}

// cause says in words what a file system error means.
func cause(err error) string {
	switch {
	case errors.Is(err, syscall.EROFS):
		return "the file system is mounted read-only"
	case errors.Is(err, os.ErrPermission):
		return "permission denied (check the owner and mode of the file and its folder)"
	case errors.Is(err, syscall.ENOSPC):
		return "no space left on the disk"
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
