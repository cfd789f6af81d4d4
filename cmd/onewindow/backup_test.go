package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestBackupUnderLoad takes a backup while desks take cases in and move
// them on through the service, restores it into a new database and checks
// the copy: `audit verify` passes on it, and every case acknowledged before
// the backup started is there with at least every acknowledged event.
func TestBackupUnderLoad(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		backupUnderLoad(t, filepath.Join(dir, "live.db"), filepath.Join(dir, "restored", "onewindow.db"), filepath.Join(dir, "backup.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		live, restored := freshPostgres(t), freshPostgres(t)
		if _, err := exec.LookPath("pg_dump"); err != nil {
			t.Skip("pg_dump is not installed")
		}
		backupUnderLoad(t, live, restored, filepath.Join(t.TempDir(), "backup.dump"))
	})
}

func backupUnderLoad(t *testing.T, live, restored, file string) {
	ctx := context.Background()
	st, err := store.Open(ctx, live, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.UseKeys(ctx, storetest.Keyring(t)); err != nil {
		t.Fatal(err)
	}
	load := startHallLoad(t, service.New(st, clock.System{}, slog.New(slog.NewTextHandler(io.Discard, nil)), service.DefaultConfig()), 4)
	load.waitFor(t, 12)

	// A backup proves itself under load only if writes were acknowledged
	// while it ran; on a fast disk a small database is copied in a few
	// milliseconds, so it is taken again (to a new file) until they were.
	var before map[string]ack
	var started, finished time.Time
	ext := filepath.Ext(file)
	name := strings.TrimSuffix(file, ext)
	for attempt := 1; ; attempt++ {
		file = fmt.Sprintf("%s-%d%s", name, attempt, ext)
		before = load.snapshot()
		started = time.Now()
		out, stderr, err := run(t, map[string]string{"ONEWINDOW_DB": live}, "backup", file)
		finished = time.Now()
		if err != nil {
			t.Fatalf("backup: %v\n%s%s", err, out, stderr)
		}
		if !strings.Contains(out, "schema at version") {
			t.Errorf("backup printed %q", out)
		}
		if load.ackedBetween(started, finished) > 0 {
			break
		}
		if attempt == 5 {
			t.Fatalf("no write was acknowledged while any of 5 backups ran: not a backup under load")
		}
	}
	load.waitFor(t, len(before)+8) // the hall goes on after the backup
	load.stop(t)

	env := map[string]string{"ONEWINDOW_DB": restored}
	if out, stderr, err := run(t, env, "restore", file); err != nil {
		t.Fatalf("restore: %v\n%s%s", err, out, stderr)
	}
	out, _, err := run(t, env, "audit", "verify")
	if err != nil || !strings.Contains(out, " 0 broken link(s)") {
		t.Fatalf("audit verify on the restored copy: %v\n%s", err, out)
	}

	copyStore, err := store.Open(ctx, restored, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	defer copyStore.Close()
	if err := copyStore.CheckSchema(ctx); err != nil {
		t.Fatal(err)
	}
	for number, a := range before {
		checkAcked(t, copyStore, number, a)
	}
	// The acknowledgements are read right: the live database has every one.
	for number, a := range load.snapshot() {
		checkAcked(t, st, number, a)
	}

	// Restoring again: never over a database in use, over one that exists
	// only with --force.
	if _, _, err := run(t, env, "restore", "--force", file); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("restore over a database in use: %v", err)
	}
	copyStore.Close()
	// A closed connection's server process leaves PostgreSQL's list of
	// sessions a moment after the client is gone: ask again while the
	// answer is still "in use".
	_, _, err = run(t, env, "restore", file)
	for deadline := time.Now().Add(10 * time.Second); err != nil && strings.Contains(err.Error(), "in use") && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		_, _, err = run(t, env, "restore", file)
	}
	if err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("restore over an existing database without --force: %v", err)
	}
	if out, stderr, err := run(t, env, "restore", "--force", file); err != nil {
		t.Errorf("restore --force over a stopped database: %v\n%s%s", err, out, stderr)
	}
	t.Logf("%d case(s) acknowledged before the backup, %d during it (%s)", len(before), load.ackedBetween(started, finished), finished.Sub(started).Round(time.Millisecond))
}

// checkAcked fails unless the store holds the case with at least the
// acknowledged events, the last acknowledged one moving it to the
// acknowledged state.
func checkAcked(t *testing.T, st *store.Store, number string, a ack) {
	t.Helper()
	events, err := st.CaseEvents(context.Background(), number)
	if err != nil {
		t.Errorf("case %s, acknowledged at version %d (%s): %v", number, a.version, a.state, err)
		return
	}
	if len(events) < a.version || events[a.version-1].To != a.state {
		t.Errorf("case %s: %d event(s), want at least the %d acknowledged, the last to %s", number, len(events), a.version, a.state)
	}
}

// ack is the latest acknowledged write of a case: its version (one per
// event) and state, and when the answer came.
type ack struct {
	version int
	state   casework.State
	at      time.Time
}

// hallLoad is desks working through the service at full speed: each worker
// takes a case in and takes it to the archive, over and over, and every
// answered call is recorded.
type hallLoad struct {
	svc  *service.Service
	as   map[string]context.Context
	quit chan struct{}
	wg   sync.WaitGroup

	mu    sync.Mutex
	acked map[string]ack
	times []time.Time
	err   error
}

// wholeCase is a promised case from acceptance to the archive.
var wholeCase = []struct {
	who    string
	action casework.Action
	in     casework.Input
}{
	{"shenpi", casework.ActAccept, casework.Input{}},
	{"shenpi", casework.ActHandover, casework.Input{}},
	{"shenpi", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY13201200000001"}},
	{"shenpi", casework.ActSubmitResult, casework.Input{}},
	{"chujian", casework.ActAcceptResult, casework.Input{}},
	{"chujian", casework.ActDeliver, casework.Input{Signer: "李四", SignerIDType: "resident_id", SignerIDNumber: "11010519491231002X"}},
	{"chujian", casework.ActArchive, casework.Input{}},
}

// loadItem is the demo's 食品经营许可（变更） of 区市场监管局, whose reviewer
// is shenpi.
const loadItem = "SCJG-XK-002"

func startHallLoad(t *testing.T, svc *service.Service, workers int) *hallLoad {
	t.Helper()
	ctx := context.Background()
	creds, err := svc.LoadDemo(service.AsSystem(ctx), demo.Load())
	if err != nil {
		t.Fatal(err)
	}
	l := &hallLoad{svc: svc, as: map[string]context.Context{}, quit: make(chan struct{}), acked: map[string]ack{}}
	for _, c := range creds {
		if c.Username != "shouli" && c.Username != "shenpi" && c.Username != "chujian" {
			continue
		}
		u, err := svc.Login(ctx, c.Username, c.Password)
		if err != nil {
			t.Fatal(err)
		}
		l.as[c.Username] = service.WithRequest(service.WithUser(ctx, u), service.Request{ID: "load", Channel: "api"})
	}
	item, err := svc.Item(ctx, loadItem, 0)
	if err != nil {
		t.Fatal(err)
	}
	intake := casework.Intake{
		ItemCode: loadItem, Channel: casework.AtWindow,
		Applicant: casework.Party{Kind: casework.Entity, Name: "江川区好味餐饮有限公司", IDType: "credit_code", IDNumber: "91350100M000100Y43", Phone: "13800138000"},
	}
	for _, m := range item.Materials {
		if m.Required {
			intake.Materials = append(intake.Materials, casework.MaterialInput{Code: m.Code, Status: casework.Provided})
		}
	}
	for range workers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for !l.stopped() {
				if err := l.oneCase(intake); err != nil {
					l.fail(err)
					return
				}
			}
		}()
	}
	t.Cleanup(func() { l.stop(t) })
	return l
}

func (l *hallLoad) oneCase(intake casework.Intake) error {
	v, err := l.svc.Intake(l.as["shouli"], intake)
	if err != nil {
		return fmt.Errorf("intake: %w", err)
	}
	number := v.Case.Number
	l.record(number, v.Case)
	for _, step := range wholeCase {
		if l.stopped() {
			return nil
		}
		v, err := l.svc.Act(l.as[step.who], number, step.action, step.in, 0)
		if err != nil {
			return fmt.Errorf("%s %s: %w", step.action, number, err)
		}
		l.record(number, v.Case)
	}
	return nil
}

func (l *hallLoad) record(number string, c *casework.Case) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.acked[number] = ack{version: c.Version, state: c.State, at: now}
	l.times = append(l.times, now)
}

func (l *hallLoad) fail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.err = err
	}
}

func (l *hallLoad) stopped() bool {
	select {
	case <-l.quit:
		return true
	default:
		return false
	}
}

// stop ends the workers and fails the test if one of them failed.
func (l *hallLoad) stop(t *testing.T) {
	t.Helper()
	select {
	case <-l.quit:
	default:
		close(l.quit)
	}
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		t.Fatalf("the hall's load failed: %v", l.err)
	}
}

// waitFor waits until n cases have acknowledged writes.
func (l *hallLoad) waitFor(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		l.mu.Lock()
		got, err := len(l.acked), l.err
		l.mu.Unlock()
		if err != nil {
			t.Fatalf("the hall's load failed: %v", err)
		}
		if got >= n {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("fewer than %d cases acknowledged in 30s", n)
}

func (l *hallLoad) snapshot() map[string]ack {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]ack, len(l.acked))
	for k, v := range l.acked {
		out[k] = v
	}
	return out
}

// ackedBetween counts the writes acknowledged between from and to.
func (l *hallLoad) ackedBetween(from, to time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, at := range l.times {
		if !at.Before(from) && !at.After(to) {
			n++
		}
	}
	return n
}

// TestRestoreRefuses: restore changes nothing when the backup is not one
// this program can trust or serve, or when the database it would replace
// exists (without --force) or is in use; backup never overwrites a file;
// audit verify neither creates nor migrates a database.
func TestRestoreRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	st, err := store.Open(ctx, live, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.UseKeys(ctx, storetest.Keyring(t)); err != nil {
		t.Fatal(err)
	}
	load := startHallLoad(t, service.New(st, clock.System{}, slog.New(slog.NewTextHandler(io.Discard, nil)), service.DefaultConfig()), 2)
	load.waitFor(t, 4)
	load.stop(t)
	liveEnv := map[string]string{"ONEWINDOW_DB": live}
	good := filepath.Join(dir, "good.db")
	if out, stderr, err := run(t, liveEnv, "backup", good); err != nil {
		t.Fatalf("backup: %v %s%s", err, out, stderr)
	}
	if _, _, err := run(t, liveEnv, "backup", good); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing file: %v", err)
	}

	// Spoilt copies of the good backup.
	spoil := func(name string, how func(db *sql.DB) error) string {
		t.Helper()
		path := filepath.Join(dir, name)
		copyFile(t, good, path)
		db, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := how(db); err != nil {
			t.Fatalf("spoil %s: %v", name, err)
		}
		return path
	}
	// The record is append-only by triggers; whoever tampers drops them.
	tampered := spoil("tampered.db", func(db *sql.DB) error {
		return execAll(db, `DROP TRIGGER case_events_no_update`,
			`UPDATE case_events SET details = '{"outcome":"deny"}' WHERE rowid = (SELECT max(rowid) FROM case_events WHERE type = 'decide')`)
	})
	truncatedChain := spoil("lost-event.db", func(db *sql.DB) error {
		return execAll(db, `DROP TRIGGER case_events_no_delete`,
			`DELETE FROM case_events WHERE rowid = (SELECT max(rowid) FROM case_events)`)
	})
	newer := spoil("newer.db", func(db *sql.DB) error {
		_, err := db.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, 1)`)
		return err
	})
	older := spoil("older.db", func(db *sql.DB) error {
		_, err := db.Exec(`DELETE FROM goose_db_version WHERE version_id = (SELECT max(version_id) FROM goose_db_version)`)
		return err
	})
	dangling := spoil("dangling.db", func(db *sql.DB) error {
		return execAll(db, `PRAGMA foreign_keys = OFF`,
			`INSERT INTO case_documents (case_id, kind, title, event_seq, created_at, data) VALUES (999999, 'receipt_notice', 'x', 1, '2026-01-01', '{}')`)
	})
	foreign := spoil("foreign.db", func(db *sql.DB) error {
		_, err := db.Exec(`DROP TABLE goose_db_version`)
		return err
	})
	damaged := filepath.Join(dir, "damaged.db")
	copyFile(t, good, damaged)
	scribble(t, damaged)
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("not a database at all, just a long enough line of text to fill a header ........................"), 0o600)

	target := filepath.Join(dir, "target.db")
	targetEnv := map[string]string{"ONEWINDOW_DB": target}
	for _, tc := range []struct {
		name, file, want string
	}{
		{"a changed event", tampered, "broken link"},
		{"a lost event", truncatedChain, "broken link"},
		{"a newer schema", newer, "newer than this program's"},
		{"an older schema", older, "older than this program's"},
		{"no schema record", foreign, "holds no OneWindow database"},
		{"a dangling reference", dangling, "case_documents row"},
		{"damaged pages", damaged, "integrity check"},
		{"not a database", notDB, "is not a SQLite database"},
		{"a missing file", filepath.Join(dir, "nope.db"), "no such file"},
	} {
		_, _, err := run(t, targetEnv, "restore", tc.file)
		t.Logf("%s: %v", tc.name, err)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("restore of %s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
		if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("restore of %s created %s", tc.name, target)
		}
	}

	// A database at another schema version is backed up all the same
	// (before an upgrade), its chains left to the program of that version.
	out, _, err := run(t, map[string]string{"ONEWINDOW_DB": older}, "backup", filepath.Join(dir, "older-backup.db"))
	if err != nil || !strings.Contains(out, "chains not checked") || !strings.Contains(out, "older than this program's") {
		t.Errorf("backup of an older schema: %v %q", err, out)
	}

	// Over a database: not without --force, never while in use.
	out, _, err = run(t, liveEnv, "restore", good)
	if err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("restore over an existing database without --force: %v %s", err, out)
	}
	_, _, err = run(t, liveEnv, "restore", "--force", good)
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("restore over a database in use: %v", err)
	}
	if _, _, err := st.Cases(ctx, store.CaseFilter{}); err != nil {
		t.Fatalf("the live database after refused restores: %v", err)
	}
	st.Close()
	out, _, err = run(t, liveEnv, "restore", good, "--force")
	if err != nil || !strings.Contains(out, "before-restore-") {
		t.Fatalf("restore --force over a stopped database: %v %q", err, out)
	}
	asides, _ := filepath.Glob(live + ".before-restore-*")
	if len(asides) == 0 {
		t.Errorf("the replaced database was not kept")
	}
	if out, _, err := run(t, liveEnv, "audit", "verify"); err != nil || !strings.Contains(out, " 0 broken link(s)") {
		t.Errorf("audit verify after restore: %v %q", err, out)
	}

	// audit verify reads a database as it lies.
	missing := filepath.Join(dir, "missing", "ow.db")
	if _, _, err := run(t, map[string]string{"ONEWINDOW_DB": missing}, "audit", "verify"); err == nil {
		t.Error("audit verify on a missing database succeeded")
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Error("audit verify created a database")
	}
	if _, _, err := run(t, map[string]string{"ONEWINDOW_DB": newer}, "audit", "verify"); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("audit verify on a newer schema: %v", err)
	}
}

func execAll(db *sql.DB, statements ...string) error {
	for _, q := range statements {
		if _, err := db.Exec(q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// scribble overwrites the middle of the last pages with noise: the schema
// on the first pages still reads, the tables and indexes do not.
func scribble(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pageSize := int(b[16])<<8 | int(b[17])
	if pageSize == 1 {
		pageSize = 65536
	}
	for off := len(b) - 3*pageSize; off+pageSize <= len(b); off += pageSize {
		for i := off + 40; i < off+pageSize-40; i += 7 {
			b[i] ^= 0x5a
		}
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
