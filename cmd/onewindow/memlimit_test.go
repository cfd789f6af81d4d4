package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// gcPercent reads the runtime's garbage collection target.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestMemoryLimit: serve sets the Go runtime's soft memory limit it is
// given (48 MiB by default) and its garbage collection target (200 by
// default) for as long as it runs, and leaves the runtime's own when
// GOMEMLIMIT or GOGC is set.
func TestMemoryLimit(t *testing.T) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		t.Skip("GOMEMLIMIT is set: serve leaves the runtime's limit alone")
	}
	if _, set := os.LookupEnv("GOGC"); set {
		t.Skip("GOGC is set: serve leaves the runtime's target alone")
	}
	before, gcBefore := debug.SetMemoryLimit(-1), gcPercent()
	m := &Main{Env: map[string]string{}}
	cfg, err := m.config()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MemoryLimitMiB != 48 {
		t.Errorf("default memory limit %d MiB, want 48", cfg.MemoryLimitMiB)
	}
	if cfg.GCPercent != 200 {
		t.Errorf("default GC percent %d, want 200", cfg.GCPercent)
	}
	db := filepath.Join(t.TempDir(), "ow.db")
	_, _, stop := startServe(t, map[string]string{"ONEWINDOW_DB": db, "ONEWINDOW_MEMORY_LIMIT_MIB": "40", "ONEWINDOW_GC_PERCENT": "150"}, "--demo")
	if got := debug.SetMemoryLimit(-1); got != 40<<20 {
		t.Errorf("memory limit while serving = %d, want %d", got, 40<<20)
	}
	if got := gcPercent(); got != 150 {
		t.Errorf("GC percent while serving = %d, want 150", got)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("memory limit after serve = %d, want the runtime's %d back", got, before)
	}
	if got := gcPercent(); got != gcBefore {
		t.Errorf("GC percent after serve = %d, want the runtime's %d back", got, gcBefore)
	}
}
