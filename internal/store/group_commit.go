package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Group commit (SQLite). The one writer connection commits one
// transaction at a time, and with synchronous=FULL each commit waits for
// the disk's fsync: committed one by one, the writes of a busy hall can go
// no faster than the disk's fsync rate. So, while a commit is in flight,
// the writes that arrive queue; the committer then runs all of them in ONE
// transaction and commits it once:
//
//   - each write runs inside a SAVEPOINT of its own: if it fails, ROLLBACK
//     TO undoes its statements only and it gets its error, while the
//     writes before and after it in the group go on;
//   - every writer is answered only after the COMMIT that covers its
//     change returned (the fsync is behind it): never before;
//   - what a commit tells (outbox wakes, the committed events' hooks) is
//     kept per write and told after the COMMIT, for the writes whose
//     savepoint was released only;
//   - the supervision rollup cells each write collects are merged over the
//     group and logged once, last (rollup_flush.go, rollup_log.go); no data can make
//     that statement fail, so it fails only when the database does, and
//     then the whole group fails, as a failed COMMIT does;
//   - a write whose context ended before it started is not run; once
//     started it runs to its end: its statements are not interrupted when
//     its context ends (group_conn.go), since SQLite's interrupt rolls
//     back the whole transaction and with it the neighbours' writes;
//   - a write that must see the committed effect of every earlier one
//     (emptying the rollups before a rebuild) runs in a group of its own
//     (updateAlone).
//
// A write in a group sees the writes before it in the same group, as it
// would have seen them committed: the day's case numbers, the event feed's
// positions (MAX+1) and a case's version all follow on, and a rolled-back
// savepoint gives its numbers back to the next write, so SQLite's case
// numbers still have no gaps. Two conflicting actions in one group meet
// as they would in two transactions: the second finds the version moved
// on and gets a conflict.
//
// PostgreSQL runs each write in its own transaction on its pool (many
// connections commit concurrently there and its WAL writer groups their
// flushes itself).

// The savepoint statements of every write in a group, prepared once
// (prepared.go) like the transitions' own: SQLite would parse them anew
// on every write, on the committer's goroutine that every writer waits for.
const (
	savepointQuery  = `SAVEPOINT w`
	releaseQuery    = `RELEASE w`
	rollbackToQuery = `ROLLBACK TO w`
)

// groupMax is the most writes one group transaction runs.
const groupMax = 256

// groupCommitter runs the queued writes of a SQLite store.
type groupCommitter struct {
	queue chan *groupWrite
	quit  chan struct{}
	done  chan struct{}
	// next is a write the last drain took but could not run in its group
	// (it must run alone); the committer's own.
	next *groupWrite
}

// groupWrite is one write waiting for, or run in, a group.
type groupWrite struct {
	ctx   context.Context
	fn    func(*sql.Tx) error
	alone bool // run in a transaction of its own (updateAlone)

	err      error       // the answer
	panicked *writePanic // fn panicked: re-panicked on the writer's goroutine
	hooks    commitHooks
	cells    map[rollupCell]int64
	answered chan struct{}
}

// writePanic is a panic of a write's fn, carried to the writer.
type writePanic struct {
	value any
	stack []byte
}

func (p *writePanic) Error() string {
	return fmt.Sprintf("%v\n\n(in the group committer:)\n%s", p.value, p.stack)
}

// Unwrap returns the panic's value if it is an error.
func (p *writePanic) Unwrap() error {
	err, _ := p.value.(error)
	return err
}

var groupWritePool = sync.Pool{New: func() any { return &groupWrite{answered: make(chan struct{}, 1)} }}

// GroupCommit turns group commit on or off on a SQLite store (it is on
// after Open unless the file was opened read-only); PostgreSQL ignores
// it. Call it before the store is used, or while no write is under way.
func (s *Store) GroupCommit(on bool) {
	if s.dialect != SQLite {
		return
	}
	s.gc.mu.Lock()
	defer s.gc.mu.Unlock()
	g := s.gc.committer.Load()
	switch {
	case on && g == nil:
		g = &groupCommitter{queue: make(chan *groupWrite, groupMax), quit: make(chan struct{}), done: make(chan struct{})}
		s.gc.committer.Store(g)
		go s.commitGroups(g)
	case !on && g != nil:
		s.gc.committer.Store(nil)
		close(g.quit)
		<-g.done
	}
}

// GroupCommitting reports whether writes are committed in groups.
func (s *Store) GroupCommitting() bool { return s.gc.committer.Load() != nil }

// updateGrouped queues fn for the committer and waits for its answer. A
// write that finds the committer stopped (group commit turned off, or the
// store closing) runs in a transaction of its own instead.
func (s *Store) updateGrouped(ctx context.Context, g *groupCommitter, fn func(tx *sql.Tx) error, alone bool) error {
	if err := ctx.Err(); err != nil {
		return mapErr(err, "begin")
	}
	w := groupWritePool.Get().(*groupWrite)
	w.ctx, w.fn, w.alone = ctx, fn, alone
	select {
	case <-g.quit:
		groupWritePool.Put(w)
		return s.updateOwn(ctx, fn)
	case g.queue <- w:
	}
	// Wait for the answer even if ctx ends meanwhile: a write that has
	// started may still commit, and its writer must not be told otherwise.
	select {
	case <-w.answered:
	case <-g.done:
		select {
		case <-w.answered:
		default: // queued after the committer's last look: it never ran
			return s.updateOwn(ctx, fn)
		}
	}
	err, p := w.err, w.panicked
	*w = groupWrite{answered: w.answered}
	groupWritePool.Put(w)
	if p != nil {
		panic(p) // on the writer's goroutine, as if fn had panicked there
	}
	return err
}

// commitGroups is the committer: it takes the writes queued while the
// previous group ran and committed, and runs them as the next group. Told
// to stop, it runs what is queued and stops.
func (s *Store) commitGroups(g *groupCommitter) {
	defer close(g.done)
	batch := make([]*groupWrite, 0, groupMax)
	for {
		first := g.next
		g.next = nil
		if first == nil {
			select {
			case first = <-g.queue:
			case <-g.quit:
				select {
				case first = <-g.queue:
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
	drain:
		for !first.alone && len(batch) < groupMax {
			select {
			case w := <-g.queue:
				if w.alone {
					g.next = w
					break drain
				}
				batch = append(batch, w)
			default:
				break drain
			}
		}
		s.runGroup(batch)
		clear(batch)
	}
}

// runGroup runs batch in one transaction, each write in a savepoint of
// its own, commits once, tells the hooks of the writes that committed and
// answers every write.
func (s *Store) runGroup(batch []*groupWrite) {
	defer func() {
		for _, w := range batch {
			w.answered <- struct{}{}
		}
	}()
	s.gc.active.Store(true) // the writer's statements are not interrupted now: group_conn.go
	defer s.gc.active.Store(false)
	tx, err := s.write.BeginTx(context.Background(), nil)
	if err != nil {
		for _, w := range batch {
			w.err = mapErr(err, "begin")
		}
		return
	}
	var sums map[rollupCell]int64
	ran := 0
	for _, w := range batch {
		if err := w.ctx.Err(); err != nil {
			w.err = mapErr(err, "begin") // never started: nothing to undo
			continue
		}
		if err := s.runWrite(tx, w); err != nil {
			s.failGroup(tx, batch, err)
			return
		}
		if w.err != nil {
			continue
		}
		ran++
		if sums == nil {
			sums, w.cells = w.cells, nil
			continue
		}
		for c, n := range w.cells {
			sums[c] += n
		}
		w.cells = nil
	}
	if ran == 0 {
		tx.Rollback()
		return
	}
	if len(sums) > 0 {
		if err := s.logCells(context.Background(), tx, sums); err != nil {
			s.failGroup(tx, batch, mapErr(err, "transaction"))
			return
		}
	}
	if err := tx.Commit(); err != nil {
		for _, w := range batch {
			if w.err == nil {
				w.err = mapErr(err, "commit")
			}
		}
		return
	}
	s.gc.commits.Add(1)
	s.gc.writes.Add(int64(ran))
	for _, w := range batch {
		if w.err == nil {
			s.fireHooks(w.hooks)
		}
	}
	s.maybeFoldLog()
}

// runWrite runs one write in its savepoint: released if fn succeeded,
// rolled back to otherwise, and w.err set to fn's error. It returns an
// error only when the group's transaction itself broke (a savepoint could
// not be taken, released or rolled back to: SQLite rolled it back).
func (s *Store) runWrite(tx *sql.Tx, w *groupWrite) error {
	bg := context.Background()
	if _, err := s.execTx(bg, tx, savepointQuery); err != nil {
		return mapErr(err, "savepoint")
	}
	s.deferRollups(tx)
	err := s.callWrite(tx, w)
	cells := s.takeRollupCells(tx)
	hooks := s.takeHooks(tx)
	if err == nil {
		if _, err := s.execTx(bg, tx, releaseQuery); err != nil {
			return mapErr(err, "release savepoint")
		}
		w.cells, w.hooks = cells, hooks
		return nil
	}
	w.err = mapErr(err, "transaction")
	if _, rerr := s.execTx(bg, tx, rollbackToQuery); rerr != nil {
		return groupLost(err, rerr)
	}
	if _, rerr := s.execTx(bg, tx, releaseQuery); rerr != nil {
		return groupLost(err, rerr)
	}
	return nil
}

// groupLost is the error of the writes of a group whose transaction SQLite
// rolled back when a write failed (a full disk, an I/O error: errors that
// end the transaction, not the statement): cause, that write's error, if
// it is the database's, else rerr, the savepoint's.
func groupLost(cause, rerr error) error {
	var coded *apperr.Error
	if errors.As(cause, &coded) {
		cause = rerr
	}
	return apperr.Wrap(fmt.Errorf("the group's transaction was lost with a write's error: %w", cause), "transaction")
}

// callWrite calls w's fn, turning a panic into an error that carries it.
func (s *Store) callWrite(tx *sql.Tx, w *groupWrite) (err error) {
	defer func() {
		if v := recover(); v != nil {
			w.panicked = &writePanic{value: v, stack: debug.Stack()}
			err = w.panicked
		}
	}()
	return w.fn(tx)
}

// failGroup rolls the group's transaction back and gives err to every
// write that had none: none of them committed.
func (s *Store) failGroup(tx *sql.Tx, batch []*groupWrite, err error) {
	tx.Rollback()
	for _, w := range batch {
		if w.err == nil && w.panicked == nil {
			w.err = err
		}
		w.hooks, w.cells = commitHooks{}, nil
	}
}

// groupState is the store's group commit: the committer while it runs,
// and whether a group transaction holds the writer.
type groupState struct {
	mu        sync.Mutex
	committer atomic.Pointer[groupCommitter]
	active    *atomic.Bool // shared with the writer's connections: group_conn.go
	// commits and writes count the group transactions committed and the
	// writes they committed: writes/commits is the mean group's size.
	commits, writes atomic.Int64
}

// GroupCommitStats are the counts of group commit since the store opened.
type GroupCommitStats struct {
	// Commits is how many group transactions committed; Writes how many
	// writes they committed (each write one update of the store).
	Commits, Writes int64
}

// GroupCommitStats returns the counts of group commit so far (zero on
// PostgreSQL or with group commit off).
func (s *Store) GroupCommitStats() GroupCommitStats {
	return GroupCommitStats{Commits: s.gc.commits.Load(), Writes: s.gc.writes.Load()}
}
