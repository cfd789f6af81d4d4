package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"time"
)

// Checkpoints off the committer (SQLite). In WAL mode SQLite copies the
// log's pages back into the database file (a checkpoint) once the log
// holds 1,000 pages, and it does so inside the COMMIT that crossed the
// mark: on the one committer (group_commit.go), whose every group then
// waits for the copy and its two fsyncs. Under load that is several times
// a second. So while group commit is on, the writer's automatic
// checkpoints are off (wal_autocheckpoint=0) and a goroutine of its own
// checkpoints on a connection of its own, PASSIVE (it never waits for the
// writer or the readers), at most every checkpointPace and only after a
// group committed. Durability does not depend on checkpoints: a change is
// durable once the COMMIT's fsync of the log returned, as before; a
// checkpoint moves durable pages from the log to the database file.
// Closing the store checkpoints the rest, as before (SQLite does it when
// the last connection closes).

// checkpointPace is the least time between two background checkpoints:
// the log grows by at most what the writer commits in it (a few MB under
// the load test), and each checkpoint copies many groups' pages at once.
const checkpointPace = 250 * time.Millisecond

// autoCheckpointPages is SQLite's default wal_autocheckpoint, which the
// writer gets back when group commit is turned off.
const autoCheckpointPages = 1000

// checkpointer runs the background checkpoints of a SQLite store.
type checkpointer struct {
	db   *sql.DB
	kick chan struct{} // a group committed: cap 1, never blocks the committer
	quit chan struct{}
	done chan struct{}
	// runs counts the checkpoints run, copied the log pages they copied
	// back into the database file.
	runs, copied atomic.Int64
}

// startCheckpointer turns the writer's automatic checkpoints off and
// starts the background checkpointer, on a SQLite store opened with a
// checkpoint DSN; it does nothing otherwise. The caller holds s.gc.mu.
func (s *Store) startCheckpointer() error {
	if s.gc.ckptDSN == "" || s.gc.ckpt != nil {
		return nil
	}
	db, err := sql.Open("sqlite", s.gc.ckptDSN)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	if _, err := s.write.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA wal_autocheckpoint=%d`, 0)); err != nil {
		db.Close()
		return err
	}
	c := &checkpointer{db: db, kick: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	s.gc.ckpt = c
	go c.run()
	return nil
}

// stopCheckpointer stops the background checkpointer, if one runs, and
// gives the writer its automatic checkpoints back. The caller holds s.gc.mu.
func (s *Store) stopCheckpointer() {
	c := s.gc.ckpt
	if c == nil {
		return
	}
	s.gc.ckpt = nil
	close(c.quit)
	<-c.done
	c.db.Close()
	s.write.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA wal_autocheckpoint=%d`, autoCheckpointPages))
}

// committed tells the checkpointer that a group committed.
func (c *checkpointer) committed() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// run checkpoints after commits, at most every checkpointPace. A
// checkpoint that fails (a reader in the way, a busy file) is tried again
// after the next commit.
func (c *checkpointer) run() {
	defer close(c.done)
	for {
		select {
		case <-c.quit:
			return
		case <-c.kick:
		}
		var busy, logPages, copied int
		if c.db.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logPages, &copied) == nil {
			c.copied.Add(int64(copied))
		}
		c.runs.Add(1)
		select {
		case <-c.quit:
			return
		case <-time.After(checkpointPace):
		}
	}
}
