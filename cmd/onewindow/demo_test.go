package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDemoHistory: the demo starts with a year of generated cases, so its
// figures and ledgers are not empty; `demo generate` adds more, and the
// ledger export command writes them.
func TestDemoHistory(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ONEWINDOW_DB": filepath.Join(dir, "ow.db"), "ONEWINDOW_DEMO_HISTORY": "40"}
	_, stdout, stop := startServe(t, env, "--demo", "--now", "2026-09-30T14:00:00+08:00")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "已生成近一年的演示办件 40 件") {
		t.Fatalf("serve --demo said:\n%s", stdout)
	}
	out, _, err := run(t, env, "demo", "generate", "--cases", "25", "--end", "2026-09-30T14:00:00+08:00", "--years", "0.5")
	if err != nil {
		t.Fatalf("demo generate: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`generated 25 cases \(\d+ events, \d+ ratings\) from 2026-0[34]-\d\d to 2026-09-30`).MatchString(out) {
		t.Fatalf("demo generate said:\n%s", out)
	}
	file := filepath.Join(dir, "cases.csv")
	_, errOut, err := run(t, env, "ledger", "export", "--ledger", "cases", "--from", "2025-09-30", "--to", "2026-09-30",
		"--format", "csv", "--out", file)
	if err != nil {
		t.Fatalf("ledger export: %v\n%s", err, errOut)
	}
	if !regexp.MustCompile(`办件台账: 66 rows in .*rows/s, peak RSS \d+ MB`).MatchString(errOut) {
		t.Fatalf("ledger export said:\n%s", errOut)
	}
}
