package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// groupCommitArg is serve's flag for --group-commit on or off.
func groupCommitArg(mode string) string {
	if mode == "off" {
		return "--group-commit=false"
	}
	return "--group-commit=true"
}

// variant is one of the two servers of a comparison.
type variant struct {
	name    string // on, off
	dsn     string
	srv     *server
	client  *client
	log     bytes.Buffer // the server's log, read once it has stopped
	stopped bool
	results map[string]*result
}

func (v *variant) stop() {
	if !v.stopped && v.srv != nil {
		v.stopped = true
		v.srv.stop()
	}
}

// groupStats finds the server's "group commit" log line of its shutdown.
func (v *variant) groupStats() string {
	sc := bufio.NewScanner(bytes.NewReader(v.log.Bytes()))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		var line struct {
			Msg     string  `json:"msg"`
			Commits int64   `json:"commits"`
			Writes  int64   `json:"writes"`
			Per     float64 `json:"writes_per_commit"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "group commit" {
			return fmt.Sprintf("%d writes in %d commits, %.1f writes per commit", line.Writes, line.Commits, line.Per)
		}
	}
	return "no grouped commits"
}

// merge adds r's requests to the variant's result of r's phase.
func (v *variant) merge(r *result) {
	sum, ok := v.results[r.Name]
	if !ok {
		v.results[r.Name] = r
		return
	}
	sum.Elapsed += r.Elapsed
	sum.Requests += r.Requests
	sum.Errors += r.Errors
	if sum.FirstErr == nil {
		sum.FirstErr = r.FirstErr
	}
	sum.Latencies = append(sum.Latencies, r.Latencies...)
	slices.Sort(sum.Latencies)
	sum.ServerCPU += r.ServerCPU
	sum.LoadCPU += r.LoadCPU
}

// compareGroupCommit runs the phases on two SQLite servers side by side,
// one serving with group commit and one without, each on its own file:
// each phase runs --rounds times on each, alternating (on, off, then
// off, on, …), so that a shared machine's changing load falls on both
// alike; then the raw commit rate with both idle. It prints each server's
// figures and the ratios between them.
func compareGroupCommit(ctx context.Context, o options) error {
	if o.DB != "" {
		return errors.New("--group-commit both compares SQLite servers; PostgreSQL has no group commit")
	}
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
	variants := []*variant{{name: "on"}, {name: "off"}}
	defer func() {
		for _, v := range variants {
			v.stop()
		}
	}()
	for _, v := range variants {
		vdir := filepath.Join(dir, v.name)
		if err := os.MkdirAll(vdir, 0o750); err != nil {
			return err
		}
		v.dsn = filepath.Join(vdir, "load.db")
		v.results = map[string]*result{}
		var logTo io.Writer = &v.log
		if o.KeepServerLog {
			logTo = io.MultiWriter(&v.log, os.Stderr)
		}
		if v.srv, err = start(ctx, bin, v.dsn, vdir, false, logTo, groupCommitArg(v.name)); err != nil {
			return fmt.Errorf("server with group commit %s: %w", v.name, err)
		}
		if v.client, err = newClient(ctx, v.srv.base, max(o.Clients, o.LifeClients), v.srv.passwords); err != nil {
			return err
		}
		for range o.Warmup {
			if _, err := v.client.takeIn(ctx); err != nil {
				return fmt.Errorf("warm-up intake: %w", err)
			}
		}
	}
	fmt.Printf("database sqlite, two servers side by side (group commit on: pid %d, off: pid %d), %d rounds of %s per phase and server, %d CPUs, load average %s\n",
		variants[0].srv.cmd.Process.Pid, variants[1].srv.cmd.Process.Pid, o.Rounds, o.Duration, numCPU(), loadAverage())
	var phases []string
	for _, phase := range strings.Split(o.Phases, ",") {
		phase = strings.TrimSpace(phase)
		if phase != "intake" && phase != "lifecycle" {
			return fmt.Errorf("unknown phase %q: intake or lifecycle", phase)
		}
		phases = append(phases, phase)
		for round := range max(o.Rounds, 1) {
			order := variants
			if round%2 == 1 {
				order = []*variant{variants[1], variants[0]}
			}
			for _, v := range order {
				cpu0, self0 := v.srv.cpu(), selfCPU()
				var r *result
				if phase == "intake" {
					r = v.client.intakePhase(ctx, o.Clients, o.Duration)
				} else {
					r = v.client.lifecyclePhase(ctx, o.LifeClients, o.Duration)
				}
				r.ServerCPU, r.LoadCPU = v.srv.cpu()-cpu0, selfCPU()-self0
				v.merge(r)
				if ctx.Err() != nil {
					return ctx.Err()
				}
			}
		}
	}
	raw, err := rawCommitRate(ctx, variants[0].dsn, 1, o.RawFor)
	if err != nil {
		return err
	}
	rss := map[string]float64{}
	for _, v := range variants {
		rss[v.name] = v.srv.peakRSSMB()
		v.stop()
	}

	fmt.Printf("\n%-10s %5s %7s %9s %12s %8s %8s %8s %14s %12s %7s\n", "phase", "group", "clients", "requests", "requests/s", "p50", "p99", "max", "server CPU/req", "load CPU/req", "errors")
	for _, phase := range phases {
		for _, v := range variants {
			r := v.results[phase]
			fmt.Printf("%-10s %5s %7d %9d %12.0f %8s %8s %8s %14s %12s %7d\n", r.Name, v.name, r.Clients, r.Requests, r.rate(),
				ms(r.percentile(0.50)), ms(r.percentile(0.99)), ms(r.percentile(1)), us(r.perRequest(r.ServerCPU)), us(r.perRequest(r.LoadCPU)), r.Errors)
			if r.FirstErr != nil {
				fmt.Printf("                 first error: %v\n", r.FirstErr)
			}
		}
	}
	fmt.Printf("\nraw single-row commits/s, same kind of file, both servers idle: %.0f (1 writer)\n", raw)
	for _, phase := range phases {
		on, off := variants[0].results[phase], variants[1].results[phase]
		fmt.Printf("%s: group commit on/off: %.2f× the requests/s, p50 %.2f×, p99 %.2f×", phase,
			on.rate()/off.rate(), ratio(on.percentile(0.5), off.percentile(0.5)), ratio(on.percentile(0.99), off.percentile(0.99)))
		if phase == "lifecycle" {
			fmt.Printf("; transitions/s to raw: %.2f on, %.2f off", on.rate()/raw, off.rate()/raw)
		}
		fmt.Println()
	}
	for _, v := range variants {
		fmt.Printf("group commit %s: peak RSS %.0f MB; %s\n", v.name, rss[v.name], v.groupStats())
	}
	fmt.Printf("load average now %s\n", loadAverage())
	return nil
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
