package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
)

// TestServeCatchesUpRollups: serve on a database whose cases the
// supervision rollups do not count (one from before them) rebuilds them
// once, in the background, without "stats rebuild".
func TestServeCatchesUpRollups(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ow.db")
	env := map[string]string{"ONEWINDOW_DB": db, "ONEWINDOW_DEMO_HISTORY": "20"}
	_, _, stop := startServe(t, env, "--demo", "--now", "2026-09-30T14:00:00+08:00")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	counts := func() (cases, counted int) {
		t.Helper()
		st, err := store.Open(ctx, db, clock.System{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.FoldRollupLog(ctx); err != nil { // sv_cases holds the cases the log's rows name once folded
			t.Fatal(err)
		}
		if err := st.DB().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM sv_cases)`).Scan(&cases, &counted); err != nil {
			t.Fatal(err)
		}
		return cases, counted
	}
	// Back to a database from before the rollups.
	st, err := store.Open(ctx, db, clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DELETE FROM sv_log", "DELETE FROM sv_rollup", "DELETE FROM sv_hold", "DELETE FROM sv_steps", "DELETE FROM sv_cases",
		"DELETE FROM counters WHERE name = 'supervision:rollups'",
		"UPDATE sv_fold SET position = (SELECT MAX(position) FROM case_events)"} { // and no change waiting for a fold
		if _, err := st.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	// The history's 20, and the community agent's intake (issue 15 item 5).
	if cases, counted := counts(); cases != 21 || counted != 0 {
		t.Fatalf("before: %d cases, %d counted", cases, counted)
	}
	delete(env, "ONEWINDOW_DEMO_HISTORY")
	_, _, stop = startServe(t, env)
	deadline := time.Now().Add(30 * time.Second)
	for {
		cases, counted := counts()
		if counted == cases {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve counted %d of %d cases in 30 s", counted, cases)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}
