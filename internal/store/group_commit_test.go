package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/supervision"
)

// holdWriter starts a write that holds the SQLite writer until the
// returned release is called, so that the writes started meanwhile queue
// and run as the next group. On PostgreSQL (no group commit) it does
// nothing.
func holdWriter(t *testing.T, st *store.Store) (release func()) {
	t.Helper()
	if !st.GroupCommitting() {
		return func() {}
	}
	started, gate, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- st.Update(context.Background(), func(tx *sql.Tx) error {
			close(started)
			<-gate
			return nil
		})
	}()
	<-started
	return func() {
		close(gate)
		if err := <-done; err != nil {
			t.Errorf("the holding write: %v", err)
		}
	}
}

// waitQueued waits until n writes wait for the group committer.
func waitQueued(t *testing.T, st *store.Store, n int) {
	t.Helper()
	if !st.GroupCommitting() {
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for st.Queued() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d writes queued after 10 s, want %d", st.Queued(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// counterNames returns the names of the counters rows under prefix.
func counterNames(t *testing.T, st *store.Store, prefix string) []string {
	t.Helper()
	rows, err := st.DB().QueryContext(t.Context(), `SELECT name FROM counters WHERE name LIKE $1 ORDER BY name`, prefix+"%")
	must(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		must(t, rows.Scan(&n))
		out = append(out, n)
	}
	must(t, rows.Err())
	return out
}

// TestGroupCommitOneFailingWriteLeavesNeighbours: concurrent writes, one
// of which fails after writing (a duplicate key) and one whose context
// ended before it started, run (on SQLite) as one group transaction: the
// others are committed with their rollup cells and their wakes, the
// failing one's rows, cells and wakes are absent, and the cancelled one
// never ran.
func TestGroupCommitOneFailingWriteLeavesNeighbours(t *testing.T) {
	t.Parallel()
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		var webhookWakes, noticeWakes atomic.Int64
		st.OnEnqueued(store.WebhookOutbox, func() { webhookWakes.Add(1) })
		st.OnEnqueued(store.NotificationOutbox, func() { noticeWakes.Add(1) })
		const writers, failing = 8, 3
		const day = "2026-03-09"
		before := st.GroupCommitStats()

		release := holdWriter(t, st)
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Go(func() {
				errs[i] = st.Update(ctx, func(tx *sql.Tx) error {
					name := fmt.Sprintf("gc:%d", i)
					if i == failing {
						name = "gc:bad"
					}
					if _, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ($1, 1)`, name); err != nil {
						return err
					}
					n := int64(1)
					if i == failing {
						n = 100
						st.Enqueued(tx, store.NotificationOutbox)
					} else {
						st.Enqueued(tx, store.WebhookOutbox)
					}
					if err := st.AddRollup(ctx, tx, "GC", day, supervision.MetricIntake, n); err != nil {
						return err
					}
					if i == failing { // the same key again: a unique violation
						_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ($1, 2)`, name)
						return err
					}
					return nil
				})
			})
		}
		waitQueued(t, st, writers)
		cancelled, cancel := context.WithCancel(ctx)
		if !st.GroupCommitting() {
			cancel() // no queue to wait in: ended before it starts
		}
		ran := false
		var cancelledErr error
		wg.Go(func() {
			cancelledErr = st.Update(cancelled, func(tx *sql.Tx) error {
				ran = true
				_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ('gc:cancelled', 1)`)
				return err
			})
		})
		waitQueued(t, st, writers+1)
		cancel()
		release()
		wg.Wait()

		for i, err := range errs {
			if i == failing {
				wantCode(t, err, apperr.Conflict)
				continue
			}
			if err != nil {
				t.Errorf("writer %d beside the failing one: %v", i, err)
			}
		}
		if ran || !errors.Is(cancelledErr, context.Canceled) {
			t.Errorf("a write cancelled before it started: ran %v, error %v; want not run, context.Canceled", ran, cancelledErr)
		}
		var want []string
		for i := range writers {
			if i != failing {
				want = append(want, fmt.Sprintf("gc:%d", i))
			}
		}
		if got := counterNames(t, st, "gc:"); !slices.Equal(got, want) {
			t.Errorf("committed rows %v, want %v (the failing and the cancelled writes' rows absent)", got, want)
		}
		if got := webhookWakes.Load(); got != writers-1 {
			t.Errorf("%d webhook wakes, want %d (one per committed write)", got, writers-1)
		}
		if got := noticeWakes.Load(); got != 0 {
			t.Errorf("%d notification wakes from the write that failed, want none", got)
		}
		if st.Dialect() == store.SQLite {
			after := st.GroupCommitStats()
			if c, w := after.Commits-before.Commits, after.Writes-before.Writes; c != 2 || w != writers {
				t.Errorf("group commit: %d commits of %d writes, want 2 of %d (the holding write, then one group)", c, w, writers)
			}
		}
		var sum int64                  // after the counts: folding the log is a write of its own
		must(t, st.FoldRollupLog(ctx)) // the group's cells are logged: rollup_log.go
		must(t, st.DB().QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM sv_rollup WHERE dim = 'department' AND grain = 'day'
			AND day = $1 AND department = 'GC' AND metric = $2`, day, string(supervision.MetricIntake)).Scan(&sum))
		if sum != writers-1 {
			t.Errorf("rollup cell = %d, want %d (one per committed write; the failing write's 100 absent)", sum, writers-1)
		}
	})
}

// TestGroupCommitPanicAndCancelMidWrite: in one group, a write that
// panics gets its panic back on its own goroutine and a write whose
// context ends while its statement runs fails alone (SQLite's interrupt
// would roll back the whole group's transaction: group_conn.go); the
// writes before and after both are committed.
func TestGroupCommitPanicAndCancelMidWrite(t *testing.T) {
	t.Parallel()
	st := storetest.Open(t, store.SQLite, nil)
	ctx := t.Context()
	insert := func(name string) func(tx *sql.Tx) error {
		return func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ($1, 1)`, name)
			return err
		}
	}
	release := holdWriter(t, st)
	var wg sync.WaitGroup
	var errA, errC, errMid error
	var recovered any
	wg.Go(func() { errA = st.Update(ctx, insert("gc:a")) })
	waitQueued(t, st, 1)
	wg.Go(func() {
		defer func() { recovered = recover() }()
		st.Update(ctx, func(tx *sql.Tx) error {
			if err := insert("gc:panic")(tx); err != nil {
				return err
			}
			panic("a bug in a write")
		})
	})
	waitQueued(t, st, 2)
	mid, cancel := context.WithCancel(ctx)
	defer cancel()
	wg.Go(func() {
		errMid = st.Update(mid, func(tx *sql.Tx) error {
			if err := insert("gc:mid")(tx); err != nil {
				return err
			}
			stop := time.AfterFunc(2*time.Millisecond, cancel)
			defer stop.Stop()
			// long enough for the cancellation to land while it runs
			_, err := tx.ExecContext(mid, `INSERT INTO counters (name, value)
				WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200000)
				SELECT 'gc:mid:' || i, i FROM c`)
			if err == nil {
				err = mid.Err()
			}
			return err
		})
	})
	waitQueued(t, st, 3)
	wg.Go(func() { errC = st.Update(ctx, insert("gc:c")) })
	waitQueued(t, st, 4)
	release()
	wg.Wait()

	if errA != nil || errC != nil {
		t.Fatalf("the writes beside a panic and a cancellation: %v, %v", errA, errC)
	}
	if p, ok := recovered.(error); !ok || !strings.Contains(p.Error(), "a bug in a write") {
		t.Errorf("the panicking write's goroutine recovered %v, want its panic", recovered)
	}
	if !errors.Is(errMid, context.Canceled) {
		t.Errorf("the write cancelled while running: %v, want context.Canceled", errMid)
	}
	if got := counterNames(t, st, "gc:"); !slices.Equal(got, []string{"gc:a", "gc:c"}) {
		t.Errorf("committed rows %v, want [gc:a gc:c]", got)
	}
}

// TestGroupCommitOff: with group commit off every write commits alone, as
// before; turned on again, writes group again.
func TestGroupCommitOff(t *testing.T) {
	t.Parallel()
	st := storetest.Open(t, store.SQLite, nil)
	ctx := t.Context()
	if !st.GroupCommitting() {
		t.Fatal("a SQLite store opened for writing does not group commits")
	}
	var tempStore int
	must(t, st.DB().QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&tempStore))
	if tempStore != 2 {
		t.Errorf("the writer's temp_store = %d, want 2 (memory: savepoint journals never touch a file)", tempStore)
	}
	// Turned off while writes wait: they still run, in a last group.
	release := holdWriter(t, st)
	var queued sync.WaitGroup
	for i := range 3 {
		queued.Go(func() {
			must(t, st.Update(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ($1, 1)`, fmt.Sprintf("last:%d", i))
				return err
			}))
		})
	}
	waitQueued(t, st, 3)
	turnedOff := make(chan struct{})
	go func() {
		st.GroupCommit(false)
		close(turnedOff)
	}()
	release()
	queued.Wait()
	<-turnedOff
	if got := counterNames(t, st, "last:"); len(got) != 3 {
		t.Errorf("writes queued when group commit was turned off: rows %v, want 3", got)
	}
	before := st.GroupCommitStats()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			must(t, st.Update(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ($1, 1)`, fmt.Sprintf("off:%d", i))
				return err
			}))
		})
	}
	wg.Wait()
	if got := st.GroupCommitStats(); got != before {
		t.Errorf("group commit off: stats moved from %+v to %+v", before, got)
	}
	if got := counterNames(t, st, "off:"); len(got) != 4 {
		t.Errorf("rows %v, want 4", got)
	}
	st.GroupCommit(true)
	must(t, st.Update(ctx, func(tx *sql.Tx) error { return nil }))
	if got := st.GroupCommitStats(); got.Commits != before.Commits+1 {
		t.Errorf("group commit on again: %+v, want one more commit than %+v", got, before)
	}
}

// TestGroupCommitLostTransaction: when a write's failure ends the group's
// transaction itself (here it rolls the transaction back; in life a full
// disk or an I/O error), none of the group's writes is committed or
// reported as such, and the next group commits again.
func TestGroupCommitLostTransaction(t *testing.T) {
	t.Parallel()
	st := storetest.Open(t, store.SQLite, nil)
	ctx := t.Context()
	var wakes atomic.Int64
	st.OnEnqueued(store.WebhookOutbox, func() { wakes.Add(1) })
	insert := func(name string) func(tx *sql.Tx) error {
		return func(tx *sql.Tx) error {
			st.Enqueued(tx, store.WebhookOutbox)
			_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ($1, 1)`, name)
			return err
		}
	}
	release := holdWriter(t, st)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	wg.Go(func() { errs[0] = st.Update(ctx, insert("lost:a")) })
	waitQueued(t, st, 1)
	wg.Go(func() {
		errs[1] = st.Update(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `ROLLBACK`); err != nil {
				return err
			}
			return errors.New("the transaction is gone")
		})
	})
	waitQueued(t, st, 2)
	wg.Go(func() { errs[2] = st.Update(ctx, insert("lost:c")) })
	waitQueued(t, st, 3)
	release()
	wg.Wait()
	for i, err := range errs {
		if apperr.CodeOf(err) != apperr.Internal {
			t.Errorf("write %d of the lost group: %v, want an internal error", i, err)
		}
	}
	if got := counterNames(t, st, "lost:"); len(got) != 0 {
		t.Errorf("rows %v committed by a lost group", got)
	}
	if got := wakes.Load(); got != 0 {
		t.Errorf("%d wakes from a lost group, want none", got)
	}
	must(t, st.Update(ctx, insert("lost:after")))
	if got := counterNames(t, st, "lost:"); !slices.Equal(got, []string{"lost:after"}) {
		t.Errorf("after the lost group: rows %v, want [lost:after]", got)
	}
}
