package store_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/supervision"
)

// count returns what query (a COUNT) counts.
func count(t *testing.T, st *store.Store, query string, args ...any) int {
	t.Helper()
	var n int
	must(t, st.DB().QueryRowContext(t.Context(), query, args...).Scan(&n))
	return n
}

// TestRollupLogFoldedBeforeReads: a change writes one log row and none of
// the supervision tables; the first read of a figure folds the log, and
// reads what every change committed before it.
func TestRollupLogFoldedBeforeReads(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		must(t, st.FoldRollupLog(ctx))
		n := svCase(t, st)
		_, err := st.UpdateCase(ctx, n, svStep(casework.ActHandover, "shenpi", start.Add(4*time.Hour), casework.Received, map[string]any{"on_time": false}))
		must(t, err)
		_, err = st.UpdateCase(ctx, n, svStep(casework.ActAccept, "shenpi", start.Add(26*time.Hour), casework.Accepted,
			map[string]any{"decide_by": start.AddDate(0, 0, 7)}))
		must(t, err)
		unfolded, seq, err := st.Unfolded(ctx)
		must(t, err)
		if unfolded != 3 || seq != 3 {
			t.Errorf("%d changes logged after an intake and two changes, the last event %d; want 3 and 3", unfolded, seq)
		}
		if got := count(t, st, `SELECT COUNT(*) FROM sv_steps`) + count(t, st, `SELECT COUNT(*) FROM sv_cases`); got != 0 {
			t.Errorf("%d supervision rows written by the changes themselves, want none (logged)", got)
		}
		// The case page reads the latest record before any fold.
		rec, dims, err := st.CaseRecord(ctx, n)
		must(t, err)
		if dims.Department != "SCJG" || len(rec.Steps) == 0 {
			t.Errorf("case record before the fold: %+v %+v", dims, rec)
		}
		day := supervision.Day(start)
		sums, err := st.Sums(ctx, store.FigureQuery{From: day[:8] + "01", To: day[:8] + "31", Group: supervision.ByDepartment},
			[]supervision.Metric{supervision.MetricIntake, supervision.StepMetric(supervision.Handover, true)}, "")
		must(t, err)
		if got := sums["SCJG"]; got[supervision.MetricIntake] != 1 || got[supervision.StepMetric(supervision.Handover, true)] != 1 {
			t.Errorf("figures read after the changes: %v, want one intake and one late handover", got)
		}
		if unfolded, _, err := st.Unfolded(ctx); err != nil || unfolded != 0 || count(t, st, `SELECT COUNT(*) FROM sv_log`) != 0 {
			t.Errorf("%d changes left in the log after a read (%v), want none", unfolded, err)
		}
		if got := count(t, st, `SELECT COUNT(*) FROM sv_steps WHERE number = $1`, n); got < 3 {
			t.Errorf("%d steps of the case after the fold, want its acceptance, handover and decision", got)
		}
		if got := count(t, st, `SELECT seq FROM sv_cases WHERE number = $1`, n); got != 3 {
			t.Errorf("sv_cases.seq = %d after the fold, want 3 (the case's last event)", got)
		}
		again, _, err := st.CaseRecord(ctx, n)
		must(t, err)
		a, _ := json.Marshal(rec)
		b, _ := json.Marshal(again)
		if string(a) != string(b) {
			t.Errorf("the case's record before the fold differs from after:\n%s\n%s", a, b)
		}
		// The next change folds on from the folded record.
		_, err = st.UpdateCase(ctx, n, svStep(casework.ActPause, "shenpi", start.AddDate(0, 0, 4), casework.Accepted, map[string]any{}))
		must(t, err)
		sameAsRebuilt(t, st, n)
	})
}

// TestRollupLogFoldsEachEventOnce: a log row naming a case whose events
// are all folded already (on PostgreSQL a fold may read a case's events
// committed after the log rows it read) folds nothing of the case again;
// the cells a row carries are added.
func TestRollupLogFoldsEachEventOnce(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		n := svCase(t, st)
		_, err := st.UpdateCase(ctx, n, svStep(casework.ActHandover, "shenpi", start.Add(4*time.Hour), casework.Received, map[string]any{"on_time": false}))
		must(t, err)
		before, err := st.RollupRows(ctx)
		must(t, err)
		var id int64
		must(t, st.DB().QueryRowContext(ctx, `SELECT case_id FROM sv_cases WHERE number = $1`, n).Scan(&id))
		cell := store.RollupRow{Dim: "department", Grain: "day", Day: "2026-03-09", Department: "SCJG", Metric: "test.logged", N: 5}
		_, err = st.DB().ExecContext(ctx, `INSERT INTO sv_log (case_id, seq, number, department, item, hall, instant, promised_days, pickup_hall)
			SELECT case_id, 2, number, department, item, hall, FALSE, 5, hall FROM sv_cases WHERE case_id = $1`, id)
		must(t, err)
		_, err = st.DB().ExecContext(ctx, `INSERT INTO sv_log (cells) VALUES ($1)`, store.EncodeLogCells([]store.RollupRow{cell}))
		must(t, err)
		after, err := st.RollupRows(ctx)
		must(t, err)
		if want := append(slices.Clone(before), cell); !sameRows(after, want) {
			t.Errorf("after folding a row of a folded case and a row of cells:\n%v\nwant\n%v", after, want)
		}
		sameAsRebuiltBut(t, st, n, cell)
	})
}

// sameRows reports whether a and b hold the same cells in any order.
func sameRows(a, b []store.RollupRow) bool {
	key := func(r store.RollupRow) string { return r.Dim + r.Grain + r.Day + r.Department + r.Key + r.Metric }
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, func(x, y store.RollupRow) int { return strings.Compare(key(x), key(y)) })
	slices.SortFunc(b, func(x, y store.RollupRow) int { return strings.Compare(key(x), key(y)) })
	return slices.Equal(a, b)
}

// sameAsRebuiltBut is sameAsRebuilt for rollups that hold extra beside
// what the events count: a rebuild counts the events only.
func sameAsRebuiltBut(t *testing.T, st *store.Store, number string, extra store.RollupRow) {
	t.Helper()
	live, err := st.RollupRows(t.Context())
	must(t, err)
	if _, err := st.RebuildRollups(t.Context()); err != nil {
		t.Fatal(err)
	}
	rebuilt, err := st.RollupRows(t.Context())
	must(t, err)
	if !sameRows(live, append(rebuilt, extra)) {
		t.Errorf("live rollups differ from the rebuilt ones:\nlive    %v\nrebuilt %v", live, rebuilt)
	}
}

// TestRollupLogFoldsInBackground: once a node has logged logFoldRows rows
// the log is folded without anyone reading.
func TestRollupLogFoldsInBackground(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		must(t, st.FoldRollupLog(ctx))
		for range store.LogFoldRows + 10 {
			svCase(t, st)
		}
		deadline := time.Now().Add(20 * time.Second)
		for count(t, st, `SELECT COUNT(*) FROM sv_log`) >= store.LogFoldRows {
			if time.Now().After(deadline) {
				t.Fatalf("%d rows still in the log, want fewer than %d", count(t, st, `SELECT COUNT(*) FROM sv_log`), store.LogFoldRows)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if got := count(t, st, `SELECT COUNT(*) FROM sv_cases`); got < store.LogFoldRows/2 {
			t.Errorf("%d cases folded into sv_cases, want most of %d", got, store.LogFoldRows+10)
		}
	})
}

// TestRollupLogReadOnly: a SQLite file opened read-only (mode=ro) reads
// the figures as the last fold left them: it cannot fold, and does not
// fail for it.
func TestRollupLogReadOnly(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "ow.db")
	st, err := store.Open(ctx, path, clock.At(start))
	must(t, err)
	_, err = st.Migrate(ctx)
	must(t, err)
	must(t, st.UseKeys(ctx, storetest.Keyring(t)))
	must(t, st.Load(ctx, demoSeed(), "test"))
	svCase(t, st)
	must(t, st.Close())
	ro, err := store.Open(ctx, "file:"+path+"?mode=ro", clock.At(start))
	must(t, err)
	defer ro.Close()
	if n, _, err := ro.Unfolded(ctx); err != nil || n == 0 {
		t.Fatalf("the log was folded before the file was closed (%v): nothing to check", err)
	}
	day := supervision.Day(start)
	if _, err := ro.Sums(ctx, store.FigureQuery{From: day, To: day, Group: supervision.ByDepartment},
		[]supervision.Metric{supervision.MetricIntake}, ""); err != nil {
		t.Fatalf("figures on a read-only file with the log unfolded: %v", err)
	}
}

// TestRollupLogFoldsKeptEvents: a fold takes the events this node
// committed from memory, reads from the database the cases whose events
// are not all kept, and the figures are the same either way.
func TestRollupLogFoldsKeptEvents(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		must(t, st.FoldRollupLog(ctx))
		read := st.UnkeptFolds()
		n := svCase(t, st)
		_, err := st.UpdateCase(ctx, n, svStep(casework.ActHandover, "shenpi", start.Add(4*time.Hour), casework.Received, map[string]any{"on_time": false}))
		must(t, err)
		must(t, st.FoldRollupLog(ctx))
		if got := st.UnkeptFolds() - read; got != 0 {
			t.Errorf("%d cases read from the database by a fold of this node's changes, want none", got)
		}
		sameAsRebuilt(t, st, n)

		// Forgotten (another node's change, a restart): read back.
		_, err = st.UpdateCase(ctx, n, svStep(casework.ActAccept, "shenpi", start.Add(26*time.Hour), casework.Accepted,
			map[string]any{"decide_by": start.AddDate(0, 0, 7)}))
		must(t, err)
		st.DropKeptEvents()
		_, err = st.UpdateCase(ctx, n, svStep(casework.ActPause, "shenpi", start.AddDate(0, 0, 4), casework.Accepted, map[string]any{}))
		must(t, err)
		must(t, st.FoldRollupLog(ctx))
		if got := st.UnkeptFolds() - read; got != 1 {
			t.Errorf("%d cases read from the database with an event forgotten, want 1", got)
		}
		if got := count(t, st, `SELECT seq FROM sv_cases WHERE number = $1`, n); got != 4 {
			t.Errorf("sv_cases.seq = %d after the fold, want 4", got)
		}
		sameAsRebuilt(t, st, n)
	})
}

// TestRollupLogBatchCountsItsOwn: a batch (demo generate) counts the cases
// it creates itself, and leaves nothing of them for the folds (on SQLite
// the folds' position moves past their events); the figures are the
// rebuild's.
func TestRollupLogBatchCountsItsOwn(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		must(t, st.FoldRollupLog(ctx))
		var number string
		must(t, st.Batch(ctx, func(b *store.CaseBatch) error {
			for range 3 {
				c, ev := svNewCase()
				if err := b.CreateCase(c, ev); err != nil {
					return err
				}
				number = c.Number
			}
			return nil
		}))
		if n, _, err := st.Unfolded(ctx); err != nil || n != 0 {
			t.Errorf("%d changes left for the folds after a batch (%v), want none", n, err)
		}
		day := supervision.Day(start)
		sums, err := st.Sums(ctx, store.FigureQuery{From: day, To: day, Group: supervision.ByDepartment},
			[]supervision.Metric{supervision.MetricIntake}, "")
		must(t, err)
		if got := sums["SCJG"][supervision.MetricIntake]; got != 3 {
			t.Errorf("intake counted after the batch: %d, want 3", got)
		}
		sameAsRebuilt(t, st, number)
	})
}

// TestRollupLogCaseFacts: the groupings and facts a fold or the case page
// reads from a case's columns (no data key needed) are those its changes
// log from the case itself, for a window case and an online one picked
// up at another hall. (A case's promised days are its item version's,
// set at intake.)
func TestRollupLogCaseFacts(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		window := svCase(t, st)
		c, ev := svNewCase()
		c.Channel, c.PickupHall, c.Kind = casework.Online, "JC-JD-01", catalog.Instant
		must(t, st.CreateCase(ctx, c, ev, func(c *casework.Case, ev *casework.Event) casework.Change {
			return casework.Change{Event: ev}
		}))
		for _, n := range []string{window, c.Number} {
			cols, logged, err := st.CaseFactsBothWays(ctx, n)
			must(t, err)
			if cols != logged {
				t.Errorf("case %s: from its columns %+v, logged %+v", n, cols, logged)
			}
		}
	})
}

// TestRollupLogFoldsAloneUnderGroupCommit: with group commit (SQLite's
// default) and changes arriving from many clients, every fold (in the
// background or a reader's) finds the events of the changes before it
// kept: it runs in a group of its own, after their commit told them.
func TestRollupLogFoldsAloneUnderGroupCommit(t *testing.T) {
	st := storetest.Open(t, store.SQLite, clock.At(start))
	ctx := t.Context()
	must(t, st.Load(ctx, demoSeed(), "test"))
	must(t, st.FoldRollupLog(ctx))
	read := st.UnkeptFolds()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 40 {
				c, ev := svNewCase()
				err := st.CreateCase(ctx, c, ev, func(c *casework.Case, ev *casework.Event) casework.Change {
					return casework.Change{Event: ev}
				})
				if err == nil {
					_, err = st.UpdateCase(ctx, c.Number, svStep(casework.ActHandover, "shenpi", start.Add(4*time.Hour), casework.Received, map[string]any{"on_time": true}))
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	must(t, st.FoldRollupLog(ctx))
	if got := st.UnkeptFolds() - read; got != 0 {
		t.Errorf("%d cases read from the database by folds of this node's changes under group commit, want none", got)
	}
}

// TestFoldPositionMigrationDown: rolling migration 00052 back logs the
// changes not yet folded in sv_log again, with the case's groupings and
// facts, so that the older code counts them; migrating up again folds
// them and the figures are the rebuild's.
func TestFoldPositionMigrationDown(t *testing.T) {
	st := storetest.Open(t, store.SQLite, clock.At(start))
	ctx := t.Context()
	must(t, st.Load(ctx, demoSeed(), "test"))
	must(t, st.FoldRollupLog(ctx))
	n := svCase(t, st)
	_, err := st.UpdateCase(ctx, n, svStep(casework.ActHandover, "shenpi", start.Add(4*time.Hour), casework.Received, map[string]any{"on_time": false}))
	must(t, err)
	cols, _, err := st.CaseFactsBothWays(ctx, n)
	must(t, err)
	must(t, st.MigrateDownTo(ctx, 51))
	var r struct {
		seq, days                      int
		department, item, hall, pickup string
		instant                        bool
	}
	must(t, st.DB().QueryRowContext(ctx, `SELECT seq, department, item, hall, instant, promised_days, pickup_hall FROM sv_log WHERE number = $1`, n).
		Scan(&r.seq, &r.department, &r.item, &r.hall, &r.instant, &r.days, &r.pickup))
	got := [2]any{supervision.Dims{Department: r.department, Item: r.item, Hall: r.hall},
		supervision.Facts{Instant: r.instant, PromisedDays: r.days, PickupHall: r.pickup}}
	if r.seq != 2 || got != cols {
		t.Errorf("logged by the Down: event %d, %+v; want 2, %+v", r.seq, got, cols)
	}
	_, err = st.Migrate(ctx)
	must(t, err)
	if unfolded, _, err := st.Unfolded(ctx); err != nil || unfolded != 0 {
		t.Errorf("%d events after the position once migrated up again (%v), want none: the log row carries them", unfolded, err)
	}
	sameAsRebuilt(t, st, n)
}
