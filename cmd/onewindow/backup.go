package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
)

func (m *Main) backup(ctx context.Context, args []string) error {
	cfg, err := m.config()
	if err != nil {
		return err
	}
	set := m.flags("backup [flags] FILE", "Writes a consistent copy of the database to FILE (which must not exist) while the hall serves.\n"+
		"SQLite: VACUUM INTO, one snapshot that holds up no writer; the copy is then checked (integrity,\n"+
		"schema version, every case's event chain). PostgreSQL: pg_dump --format=custom, if installed;\n"+
		"otherwise the commands to run are printed. Uploaded files (--files) are backed up separately.")
	dbFlag(set, &cfg)
	file, done, err := parseWithFile(set, args)
	if done {
		return err
	}
	if store.IsPostgres(cfg.DB) {
		return m.backupPostgres(ctx, cfg.DB, file)
	}
	if _, err := os.Stat(cfg.DB); err != nil {
		return fmt.Errorf("no database at %s: %w", cfg.DB, err)
	}
	st, err := store.Open(ctx, cfg.DB, clock.System{})
	if err != nil {
		return err
	}
	m.store = st
	// A database at another schema version is backed up all the same: the
	// copy to keep before an upgrade is made before migrating.
	if _, err := schemaOf(ctx, st, cfg.DB); err != nil && !isSchemaMismatch(err) {
		return err
	}
	start := time.Now()
	if err := st.Backup(ctx, file); err != nil {
		return err
	}
	took := time.Since(start)
	rep, err := checkSQLiteCopy(ctx, file, true)
	if err != nil {
		return fmt.Errorf("the backup %s was written but fails its check: %w", file, err)
	}
	fmt.Fprintf(m.Stdout, "backed up %s to %s in %s: %s\n", cfg.DB, file, took.Round(time.Millisecond), rep)
	return nil
}

func (m *Main) restore(ctx context.Context, args []string) error {
	cfg, err := m.config()
	if err != nil {
		return err
	}
	set := m.flags("restore [flags] FILE", "Checks a backup made by `onewindow backup` and makes it the database named by --db.\n"+
		"The backup must be sound (SQLite integrity and foreign-key checks), at this program's schema\n"+
		"version, and every case's event chain must verify; otherwise nothing changes. A database in\n"+
		"use is never replaced; an existing one only with --force, and a SQLite file it replaces is\n"+
		"kept beside it as FILE.before-restore-TIME. PostgreSQL: a pg_dump custom-format file, restored\n"+
		"with pg_restore into an empty database (or, with --force, over the OneWindow tables there).")
	dbFlag(set, &cfg)
	force := set.Bool("force", false, "replace an existing database that no process has open")
	file, done, err := parseWithFile(set, args)
	if done {
		return err
	}
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("backup %s: %w", file, err)
	}
	if store.IsPostgres(cfg.DB) {
		return m.restorePostgres(ctx, cfg.DB, file, *force)
	}
	rep, err := checkSQLiteCopy(ctx, file, false)
	if err != nil {
		return fmt.Errorf("backup %s refused, nothing changed: %w", file, err)
	}
	if _, err := os.Lstat(cfg.DB); err == nil {
		if !*force {
			return fmt.Errorf("a database exists at %s: restore replaces it only with --force (it is then kept as %s.before-restore-TIME)", cfg.DB, cfg.DB)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	busy, err := store.SQLiteInUse(ctx, cfg.DB)
	if err != nil {
		return fmt.Errorf("check whether %s is in use: %w", cfg.DB, err)
	}
	if busy {
		return fmt.Errorf("the database %s is in use: stop every `onewindow serve` (and other program) on it first", cfg.DB)
	}
	aside, err := store.InstallSQLite(file, cfg.DB, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "restored %s into %s: %s\n", file, cfg.DB, rep)
	if aside != "" {
		fmt.Fprintf(m.Stdout, "the database it replaced is kept as %s\n", aside)
	}
	return nil
}

// copyReport sums up a checked copy of the database.
type copyReport struct {
	dialect store.Dialect
	schema  int64
	cases   int
	events  int
	// unverified says why the chains were not checked (another schema).
	unverified string
}

func (r copyReport) String() string {
	if r.unverified != "" {
		return fmt.Sprintf("%s schema at version %d, integrity checked; %s", r.dialect, r.schema, r.unverified)
	}
	return fmt.Sprintf("%s schema at version %d, %d case(s), %d event(s), every chain verified", r.dialect, r.schema, r.cases, r.events)
}

// checkSQLiteCopy opens a SQLite backup read-only and checks it (see
// checkCopy).
func checkSQLiteCopy(ctx context.Context, path string, anySchema bool) (copyReport, error) {
	st, err := store.OpenBackup(ctx, path, clock.System{})
	if err != nil {
		// Damage SQLite meets before its own check can run (a page the
		// schema or the first query needs) is the same finding.
		if strings.Contains(err.Error(), "malformed") {
			return copyReport{}, fmt.Errorf("the database fails its integrity check: %w", err)
		}
		return copyReport{}, err
	}
	defer st.Close()
	return checkCopy(ctx, st, path, anySchema)
}

// checkCopy checks a backed-up or restored database: SQLite's own checks
// find nothing, and every event chain verifies. Its schema version must be
// this program's, whose code reads the chains; with anySchema (a backup
// made before an upgrade) another version is reported and its chains are
// left to the program of that version.
func checkCopy(ctx context.Context, st *store.Store, name string, anySchema bool) (copyReport, error) {
	rep := copyReport{dialect: st.Dialect()}
	current, err := schemaOf(ctx, st, name)
	rep.schema = current
	if err != nil && !(anySchema && isSchemaMismatch(err)) {
		return rep, err
	}
	problems, ierr := st.CheckIntegrity(ctx)
	if ierr != nil {
		return rep, ierr
	}
	if len(problems) > 0 {
		if len(problems) > 5 {
			problems = append(problems[:5], fmt.Sprintf("… %d more", len(problems)-5))
		}
		return rep, fmt.Errorf("the database fails its integrity check:\n  %s", strings.Join(problems, "\n  "))
	}
	if err != nil {
		rep.unverified = "chains not checked: " + err.Error()
		return rep, nil
	}
	chains, err := st.VerifyChains(ctx)
	if err != nil {
		return rep, err
	}
	rep.cases, rep.events = chains.Cases, chains.Events
	if n := len(chains.Breaks); n > 0 {
		var lines []string
		for i, b := range chains.Breaks {
			if i == 5 {
				lines = append(lines, fmt.Sprintf("… %d more", n-5))
				break
			}
			lines = append(lines, fmt.Sprintf("BROKEN case %s event %d: %s", b.Number, b.Seq, b.Reason))
		}
		return rep, fmt.Errorf("%d broken link(s) in the case record:\n  %s", n, strings.Join(lines, "\n  "))
	}
	return rep, nil
}

// schemaMismatch is a database at a schema version other than this
// program's.
type schemaMismatch struct{ msg string }

func (e *schemaMismatch) Error() string { return e.msg }

func isSchemaMismatch(err error) bool {
	var m *schemaMismatch
	return errors.As(err, &m)
}

// schemaOf returns the database's schema version; an error says what to do
// when it holds no OneWindow schema, or (a *schemaMismatch) one at another
// version than this program's.
func schemaOf(ctx context.Context, st *store.Store, name string) (int64, error) {
	ok, err := st.HasSchema(ctx)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, fmt.Errorf("%s holds no OneWindow database (no record of migrations)", name)
	}
	current, newest, err := st.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	switch {
	case current < newest:
		return current, &schemaMismatch{fmt.Sprintf("%s is at schema version %d, older than this program's %d: use the program of that version, or migrate a copy first (`onewindow migrate --db COPY`)", name, current, newest)}
	case current > newest:
		return current, &schemaMismatch{fmt.Sprintf("%s is at schema version %d, newer than this program's %d: use the newer program", name, current, newest)}
	}
	return current, nil
}

// parseWithFile parses flags placed before or after the one FILE argument.
func parseWithFile(set *flag.FlagSet, args []string) (file string, done bool, err error) {
	var files []string
	for {
		if done, err := parse(set, args); done {
			return "", true, err
		}
		if set.NArg() == 0 {
			break
		}
		files = append(files, set.Arg(0))
		args = set.Args()[1:]
	}
	if len(files) != 1 || files[0] == "" {
		set.Usage()
		return "", true, errUsage
	}
	return files[0], false, nil
}
