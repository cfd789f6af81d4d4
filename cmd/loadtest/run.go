package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// run builds (unless given) and starts the server, runs the phases and
// prints the report.
func run(ctx context.Context, o options) error {
	dir, err := os.MkdirTemp("", "onewindow-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := o.Bin
	if bin == "" {
		bin = filepath.Join(dir, "onewindow")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/onewindow")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build ./cmd/onewindow (run from the repository, or give --bin): %w", err)
		}
	}
	dsn, drop, err := database(ctx, o.DB, dir)
	if err != nil {
		return err
	}
	defer func() {
		if err := drop(); err != nil {
			fmt.Fprintln(os.Stderr, "drop database:", err)
		}
	}()
	var logTo io.Writer // nil: /dev/null, not a pipe this process would read
	if o.KeepServerLog {
		logTo = os.Stderr
	}
	srv, err := start(ctx, bin, dsn, dir, o.Profile != "", logTo, groupCommitArg(o.GroupCommit))
	if err != nil {
		return err
	}
	defer srv.stop()
	kind := "sqlite"
	if o.DB != "" {
		kind = "postgres"
	}
	c, err := newClient(ctx, srv.base, max(o.Clients, o.LifeClients), srv.passwords)
	if err != nil {
		return err
	}
	for range o.Warmup {
		if _, err := c.takeIn(ctx); err != nil {
			return fmt.Errorf("warm-up intake: %w", err)
		}
	}
	fmt.Printf("database %s, server %s (pid %d), %s per phase, %d CPUs, load average %s\n",
		kind, srv.base, srv.cmd.Process.Pid, o.Duration, numCPU(), loadAverage())
	var results []*result
	for _, phase := range strings.Split(o.Phases, ",") {
		var r *result
		measure := func(work func() *result) *result {
			cpu0, self0 := srv.cpu(), selfCPU()
			profDone, waiting := make(chan error, 3), 0
			save := func(path, file string) {
				waiting++
				go func() { profDone <- srv.saveProfile(ctx, path, filepath.Join(o.Profile, kind+"-"+phase+file)) }()
			}
			if o.Profile != "" {
				secs := int(o.Duration.Seconds())
				save(fmt.Sprintf("/debug/pprof/profile?seconds=%d", secs), "-cpu.pprof")
				save(fmt.Sprintf("/debug/pprof/allocs?seconds=%d", secs), "-allocs.pprof")
				if o.Trace > 0 {
					save(fmt.Sprintf("/debug/pprof/trace?seconds=%g", o.Trace.Seconds()), ".trace")
				}
			}
			r := work()
			r.ServerCPU, r.LoadCPU = srv.cpu()-cpu0, selfCPU()-self0
			for range waiting {
				if err := <-profDone; err != nil {
					fmt.Fprintln(os.Stderr, "profile:", err)
				}
			}
			return r
		}
		switch strings.TrimSpace(phase) {
		case "intake":
			r = measure(func() *result { return c.intakePhase(ctx, o.Clients, o.Duration) })
		case "lifecycle":
			r = measure(func() *result { return c.lifecyclePhase(ctx, o.LifeClients, o.Duration) })
		default:
			return fmt.Errorf("unknown phase %q: intake or lifecycle", phase)
		}
		results = append(results, r)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	// The raw rate, with the server idle, on the same database.
	raw1, err := rawCommitRate(ctx, dsn, 1, o.RawFor)
	if err != nil {
		return err
	}
	raw8 := 0.0
	if kind == "postgres" {
		if raw8, err = rawCommitRate(ctx, dsn, 8, o.RawFor); err != nil {
			return err
		}
	}
	fmt.Printf("\n%-10s %7s %9s %12s %8s %8s %8s %14s %12s %7s\n", "phase", "clients", "requests", "requests/s", "p50", "p99", "max", "server CPU/req", "load CPU/req", "errors")
	for _, r := range results {
		fmt.Printf("%-10s %7d %9d %12.0f %8s %8s %8s %14s %12s %7d\n", r.Name, r.Clients, r.Requests, r.rate(),
			ms(r.percentile(0.50)), ms(r.percentile(0.99)), ms(r.percentile(1)), us(r.perRequest(r.ServerCPU)), us(r.perRequest(r.LoadCPU)), r.Errors)
		if r.FirstErr != nil {
			fmt.Printf("           first error: %v\n", r.FirstErr)
		}
	}
	fmt.Printf("\nraw single-row commits/s, same database, server idle: %.0f (1 writer)", raw1)
	if raw8 > 0 {
		fmt.Printf(", %.0f (8 writers)", raw8)
	}
	fmt.Println()
	for _, r := range results {
		if r.Name == "lifecycle" {
			fmt.Printf("ratio lifecycle transitions/s to raw: %.2f (1 writer)", r.rate()/raw1)
			if raw8 > 0 {
				fmt.Printf(", %.2f (8 writers)", r.rate()/raw8)
			}
			fmt.Println()
		}
	}
	fmt.Printf("server peak RSS: %.0f MB; load average now %s\n", srv.peakRSSMB(), loadAverage())
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }
func us(d time.Duration) string { return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond)) }

// loadAverage is the machine's load average (the machine is shared).
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(raw))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func numCPU() int { return runtime.NumCPU() }
