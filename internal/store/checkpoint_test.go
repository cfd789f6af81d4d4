package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
)

// TestCheckpointsOffTheCommitter: with group commit on, the writer's
// automatic checkpoints are off and the background checkpointer
// checkpoints after commits (the log is copied back: its pages are
// counted as checkpointed); turned off, the writer checkpoints by itself
// again (wal_autocheckpoint 1000).
func TestCheckpointsOffTheCommitter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ckpt.db")
	st, err := Open(ctx, path, clock.At(time.Date(2026, 11, 25, 9, 0, 0, 0, clock.Shanghai)))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if !st.GroupCommitting() || st.gc.ckpt == nil {
		t.Fatalf("group commit %v, checkpointer %v (%v): want both", st.GroupCommitting(), st.gc.ckpt, st.gc.ckptErr)
	}
	autoPages := func() int {
		var n int
		if err := st.write.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := autoPages(); n != 0 {
		t.Errorf("writer's wal_autocheckpoint = %d with group commit on, want 0", n)
	}
	if _, err := st.write.ExecContext(ctx, `CREATE TABLE t (v TEXT)`); err != nil {
		t.Fatal(err)
	}
	ckpt := st.gc.ckpt
	for i := range 50 {
		if err := st.update(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES ($1)`, i)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for ckpt.runs.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if ckpt.runs.Load() == 0 {
		t.Fatal("no background checkpoint after 50 commits")
	}
	if ckpt.copied.Load() == 0 {
		t.Error("the background checkpoints copied no page of the log back")
	}
	st.GroupCommit(false)
	if n := autoPages(); n != autoCheckpointPages {
		t.Errorf("writer's wal_autocheckpoint = %d with group commit off, want %d", n, autoCheckpointPages)
	}
	if st.gc.ckpt != nil {
		t.Error("the checkpointer still runs with group commit off")
	}
}
