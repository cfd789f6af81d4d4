package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// TestMemoryLimit: serve sets the Go runtime's soft memory limit it is
// given (48 MiB by default) for as long as it runs, and leaves the
// runtime's own when GOMEMLIMIT is set.
func TestMemoryLimit(t *testing.T) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		t.Skip("GOMEMLIMIT is set: serve leaves the runtime's limit alone")
	}
	before := debug.SetMemoryLimit(-1)
	m := &Main{Env: map[string]string{}}
	cfg, err := m.config()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MemoryLimitMiB != 48 {
		t.Errorf("default memory limit %d MiB, want 48", cfg.MemoryLimitMiB)
	}
	db := filepath.Join(t.TempDir(), "ow.db")
	_, _, stop := startServe(t, map[string]string{"ONEWINDOW_DB": db, "ONEWINDOW_MEMORY_LIMIT_MIB": "40"}, "--demo")
	if got := debug.SetMemoryLimit(-1); got != 40<<20 {
		t.Errorf("memory limit while serving = %d, want %d", got, 40<<20)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("memory limit after serve = %d, want the runtime's %d back", got, before)
	}
}
