package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
)

// On PostgreSQL, backup and restore hand the work to pg_dump and pg_restore
// (the server's own tools: one consistent snapshot, every constraint
// re-created on restore) and check the result the way the SQLite ones do.

// libpqParams are the URL parameters libpq understands; pgx passes others
// (such as search_path) to the server, which libpq would refuse.
var libpqParams = map[string]bool{
	"sslmode": true, "sslcert": true, "sslkey": true, "sslrootcert": true, "sslcrl": true, "sslpassword": true,
	"sslsni": true, "channel_binding": true, "connect_timeout": true, "application_name": true,
	"options": true, "target_session_attrs": true, "gssencmode": true, "krbsrvname": true, "service": true,
	"passfile": true, "keepalives": true, "keepalives_idle": true, "keepalives_interval": true,
	"keepalives_count": true, "tcp_user_timeout": true, "ssl_min_protocol_version": true,
	"ssl_max_protocol_version": true, "requirepeer": true, "load_balance_hosts": true,
}

// pgTarget is a postgres:// DSN as pg_dump and pg_restore take it: the URL
// without its password (which goes in PGPASSWORD, out of the process list)
// and without the parameters libpq does not know; search_path names the
// schema to dump.
type pgTarget struct {
	url      string
	password string
	schema   string
}

func parsePGTarget(dsn string) (pgTarget, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return pgTarget{}, fmt.Errorf("database URL: %w", err)
	}
	var t pgTarget
	if u.User != nil {
		t.password, _ = u.User.Password()
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	for k := range q {
		if k == "search_path" {
			t.schema = strings.TrimSpace(strings.Split(q.Get(k), ",")[0])
		}
		if !libpqParams[k] {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	t.url = u.String()
	return t, nil
}

func (t pgTarget) env() []string {
	env := os.Environ()
	if t.password != "" {
		env = append(env, "PGPASSWORD="+t.password)
	}
	return env
}

// pgTool finds pg_dump or pg_restore, or prints the commands to run by
// hand and says it is missing.
func (m *Main) pgTool(name string, t pgTarget, file string) (string, error) {
	path, err := exec.LookPath(name)
	if err == nil {
		return path, nil
	}
	fmt.Fprintf(m.Stderr, `%s is not installed here (apt-get install postgresql-client). By hand:
  back up:  pg_dump --format=custom --no-owner --no-privileges --file=%s '%s'
  restore:  createdb NEW && pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname='%s' %s
  check:    onewindow audit verify --db '<the restored database>'
`, name, file, t.url, t.url, file)
	return "", fmt.Errorf("%s not found", name)
}

// run runs a PostgreSQL tool and returns its error with what it printed.
func runPGTool(ctx context.Context, t pgTarget, path string, args ...string) error {
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = t.env()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", filepath.Base(path), err, strings.TrimSpace(out.String()))
	}
	return nil
}

func (m *Main) backupPostgres(ctx context.Context, dsn, file string) (err error) {
	t, err := parsePGTarget(dsn)
	if err != nil {
		return err
	}
	pgDump, err := m.pgTool("pg_dump", t, file)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(file); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new name", file)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	st, err := store.Open(ctx, dsn, clock.System{})
	if err != nil {
		return err
	}
	m.store = st
	// Another schema version is backed up all the same (before an upgrade).
	schema, err := schemaOf(ctx, st, "the database")
	if err != nil && !isSchemaMismatch(err) {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*.tmp")
	if err != nil {
		return err
	}
	tmp.Close()
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	args := []string{"--format=custom", "--no-owner", "--no-privileges", "--file=" + tmp.Name()}
	if t.schema != "" {
		args = append(args, "--schema="+t.schema)
	}
	start := time.Now()
	// pg_dump reads one snapshot: every change is in the dump whole or not
	// at all, while the hall goes on writing.
	if err := runPGTool(ctx, t, pgDump, append(args, "--dbname="+t.url)...); err != nil {
		return err
	}
	took := time.Since(start)
	if pgRestore, err := exec.LookPath("pg_restore"); err == nil {
		if err := runPGTool(ctx, t, pgRestore, "--list", tmp.Name()); err != nil {
			return fmt.Errorf("the dump does not read back: %w", err)
		}
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return err
	}
	info, _ := os.Stat(file)
	fmt.Fprintf(m.Stdout, "backed up the PostgreSQL database to %s in %s: schema at version %d, %d bytes (pg_dump custom format; restore with `onewindow restore`)\n",
		file, took.Round(time.Millisecond), schema, info.Size())
	return nil
}

func (m *Main) restorePostgres(ctx context.Context, dsn, file string, force bool) error {
	head, err := fileHead(file, 16)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(head, []byte("PGDMP")) {
		if bytes.HasPrefix(head, []byte("SQLite format 3\x00")) {
			return fmt.Errorf("%s is a SQLite backup: restore it into a SQLite file (--db PATH)", file)
		}
		return fmt.Errorf("%s is not a pg_dump custom-format file (pg_dump --format=custom)", file)
	}
	t, err := parsePGTarget(dsn)
	if err != nil {
		return err
	}
	pgRestore, err := m.pgTool("pg_restore", t, file)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, dsn, clock.System{})
	if err != nil {
		return err
	}
	others, err := otherSessions(ctx, st)
	if err != nil {
		st.Close()
		return err
	}
	if others > 0 {
		st.Close()
		return fmt.Errorf("the database is in use (%d other session(s)): stop every `onewindow serve` and other client first", others)
	}
	existing, err := st.HasSchema(ctx)
	st.Close()
	if err != nil {
		return err
	}
	args := []string{"--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"}
	if existing {
		if !force {
			return errors.New("the database already holds a OneWindow schema: restore into an empty database (createdb), or with --force over it")
		}
		args = append(args, "--clean", "--if-exists")
	}
	if err := runPGTool(ctx, t, pgRestore, append(args, "--dbname="+t.url, file)...); err != nil {
		return fmt.Errorf("restore refused, nothing changed: %w", err)
	}
	st, err = store.Open(ctx, dsn, clock.System{})
	if err != nil {
		return err
	}
	m.store = st
	rep, err := checkCopy(ctx, st, "the restored database", false)
	if err != nil {
		return fmt.Errorf("restored %s, but it fails its check (do not serve it): %w", file, err)
	}
	fmt.Fprintf(m.Stdout, "restored %s: %s\n", file, rep)
	return nil
}

// fileHead returns up to n bytes from the start of the file.
func fileHead(path string, n int) ([]byte, error) {
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

// otherSessions counts the sessions connected to the store's database
// other than the store's own.
func otherSessions(ctx context.Context, st *store.Store) (int, error) {
	var n int
	err := st.DB().QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`).Scan(&n)
	return n, err
}
