package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/onewindow/onewindow/internal/clock"
)

// sqliteMagic opens every SQLite database file; pgDumpMagic every dump
// pg_dump writes in its custom format.
var (
	sqliteMagic = []byte("SQLite format 3\x00")
	pgDumpMagic = []byte("PGDMP")
)

// Backup writes a consistent copy of the SQLite database to dest, which must
// not exist, while the hall goes on serving. VACUUM INTO, on a connection of
// its own, reads one snapshot in one read transaction: under WAL it neither
// waits for the writer nor holds it up, and every change is in the copy
// whole or not at all. The copy is a compact file in rollback-journal mode,
// written under a temporary name in dest's folder, synced, and only then
// given its name, so dest is either absent or complete.
//
// PostgreSQL is backed up with pg_dump; Backup refuses it.
func (s *Store) Backup(ctx context.Context, dest string) (err error) {
	if s.dialect != SQLite {
		return errors.New("backup: a PostgreSQL database is backed up with pg_dump")
	}
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new name", dest)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	dir := filepath.Dir(dest)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(dest)+".*.tmp")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmpName := tmp.Name()
	tmp.Close() // VACUUM INTO writes into an empty file
	defer func() {
		if err != nil {
			os.Remove(tmpName)
		}
	}()

	// Not the writer (it would wait behind the hall's writes, and they behind
	// it) and not a reader (query_only refuses VACUUM, even INTO a new file).
	db, err := sql.Open("sqlite", "file:"+s.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `VACUUM INTO $1`, tmpName); err != nil {
		return fmt.Errorf("backup: copy %s: %w", s.path, err)
	}
	if err := syncFile(tmpName); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// A hard link fails if dest appeared meanwhile; a rename would replace it.
	if err := os.Link(tmpName, dest); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("backup: %s already exists; choose a new name", dest)
		}
		if err := os.Rename(tmpName, dest); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	} else {
		os.Remove(tmpName)
	}
	return syncDir(dir)
}

// OpenBackup opens a SQLite backup read-only as it lies: immutable, so that
// checking it writes nothing to it or beside it, not even a lock. It refuses
// a file that is not a SQLite database (naming a pg_dump file as such) and
// a live database whose write-ahead log lies beside it, whose last changes
// only the log holds. The store has no migrations run; check it with
// HasSchema, SchemaVersion, CheckIntegrity and VerifyChains.
func OpenBackup(ctx context.Context, path string, clk clock.Clock) (*Store, error) {
	head, err := readHead(path, 100)
	if err != nil {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, pgDumpMagic):
		return nil, fmt.Errorf("%s is a PostgreSQL dump (pg_dump): restore it into a postgres:// database", path)
	case !bytes.HasPrefix(head, sqliteMagic) || len(head) < 100:
		return nil, fmt.Errorf("%s is not a SQLite database", path)
	}
	// Bytes 18 and 19 are 2 in WAL mode: a copy of a live file, not a backup.
	if head[18] == 2 {
		if _, err := os.Stat(path + "-wal"); err == nil {
			return nil, fmt.Errorf("%s is a live database with its write-ahead log beside it: make a copy with `onewindow backup`", path)
		}
	}
	db, err := sql.Open("sqlite", "file:"+path+"?immutable=1&_pragma=query_only(1)")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(2)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := newStore(SQLite, db, db, clk)
	s.path = path
	return s, nil
}

// readHead returns up to n bytes from the start of the file at path.
func readHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, n)
	k, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return head[:k], nil
}

// HasSchema reports whether the database holds OneWindow's record of
// migrations: false for an empty database or someone else's.
func (s *Store) HasSchema(ctx context.Context) (bool, error) {
	q := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version'`
	if s.dialect == Postgres {
		q = `SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'goose_db_version' AND schemaname = current_schema()`
	}
	var n int
	if err := s.read.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return false, mapErr(err, "schema")
	}
	return n > 0, nil
}

// CheckIntegrity returns every problem SQLite's own checks find in the
// database file: its pages and indexes (PRAGMA integrity_check) and its
// references (PRAGMA foreign_key_check). None means the file is sound.
// PostgreSQL checks its own pages, and a restore by pg_restore re-creates
// every constraint; it returns none there.
func (s *Store) CheckIntegrity(ctx context.Context) ([]string, error) {
	if s.dialect != SQLite {
		return nil, nil
	}
	var problems []string
	rows, err := s.read.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return nil, mapErr(err, "integrity check")
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return nil, mapErr(err, "integrity check")
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err, "integrity check")
	}
	rows, err = s.read.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, mapErr(err, "foreign key check")
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return nil, mapErr(err, "foreign key check")
		}
		problems = append(problems, fmt.Sprintf("%s row %d refers to a missing %s", table, rowid.Int64, parent))
	}
	return problems, mapErr(rows.Err(), "foreign key check")
}

// SQLiteInUse reports whether any connection, of this process or another,
// has the SQLite database at path open. It asks for the file's exclusive
// lock without waiting: under WAL every open connection, even an idle one,
// holds a shared lock that refuses it. A missing file is not in use.
func SQLiteInUse(ctx context.Context, path string) (bool, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		return false, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA locking_mode = EXCLUSIVE`); err != nil {
		return false, err
	}
	if _, err := conn.ExecContext(ctx, `BEGIN EXCLUSIVE`); err != nil {
		var liteErr *sqlite.Error
		if errors.As(err, &liteErr) && (liteErr.Code()&0xff == sqlite3.SQLITE_BUSY || liteErr.Code()&0xff == sqlite3.SQLITE_LOCKED) {
			return true, nil
		}
		return false, err
	}
	_, err = conn.ExecContext(ctx, `ROLLBACK`)
	return false, err
}

// InstallSQLite makes a copy of the backup file the database at target:
// copied under a temporary name in target's folder, synced, then renamed
// into place. A database already at target is not deleted but moved aside,
// with its write-ahead log and index, to target.before-restore-TIME, whose
// name it returns (empty when there was none). The caller checks the backup
// and that nothing uses target first.
func InstallSQLite(backup, target string, now time.Time) (aside string, err error) {
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	defer func() {
		tmp.Close()
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	src, err := os.Open(backup)
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	defer src.Close()
	if _, err := io.Copy(tmp, src); err != nil {
		return "", fmt.Errorf("restore: copy %s: %w", backup, err)
	}
	if err := tmp.Sync(); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	// The old database's log and index go with it: a log left beside the
	// new file would be replayed into it.
	stamp := now.In(clock.Shanghai).Format("20060102T150405")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		old := target + suffix
		if _, err := os.Lstat(old); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		moved := target + ".before-restore-" + stamp + suffix
		if err := os.Rename(old, moved); err != nil {
			return aside, fmt.Errorf("restore: move %s aside: %w", old, err)
		}
		if suffix == "" {
			aside = moved
		}
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return aside, fmt.Errorf("restore: %w", err)
	}
	return aside, syncDir(dir)
}

// syncFile flushes the file at path to the disk.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncDir flushes a folder's entries, so that a rename survives a power cut.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
