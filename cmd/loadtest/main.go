// Command loadtest measures the hall's throughput over HTTP: it starts the
// real server (the onewindow binary, built from this checkout unless --bin
// names one) on a temporary database, drives intake (POST /api/v1/cases)
// and whole promised lifecycles through the public API with concurrent
// clients, and prints throughput, p50/p99 latency, the server's CPU per
// request and peak resident memory, beside the raw single-row commit rate
// of the same database measured in the same run.
//
//	go run ./cmd/loadtest                       # SQLite, a temporary file
//	go run ./cmd/loadtest --db 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//
// On PostgreSQL the DSN names a server and a database to connect to; the
// run creates a fresh database beside it and drops it afterwards.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// options are the command line.
type options struct {
	DB            string
	Bin           string
	Clients       int
	LifeClients   int
	Duration      time.Duration
	Warmup        int
	Profile       string
	Trace         time.Duration
	Phases        string
	RawFor        time.Duration
	KeepServerLog bool
	GroupCommit   string // on, off or both: compare.go
	Rounds        int
}

func main() {
	var o options
	flag.StringVar(&o.DB, "db", "", "postgres:// URL of a server to create a fresh database on; empty: a temporary SQLite file")
	flag.StringVar(&o.Bin, "bin", "", "the onewindow binary to start; empty: go build ./cmd/onewindow from the current folder")
	flag.IntVar(&o.Clients, "clients", 32, "concurrent clients of the intake phase")
	flag.IntVar(&o.LifeClients, "lifecycle-clients", 8, "concurrent clients of the lifecycle phase, each taking cases from intake to the archive")
	flag.DurationVar(&o.Duration, "duration", 10*time.Second, "how long each phase runs")
	flag.IntVar(&o.Warmup, "warmup", 20, "intakes before the measured phases")
	flag.StringVar(&o.Profile, "profile", "", "a folder: save the server's CPU and allocation profiles of each phase there")
	flag.DurationVar(&o.Trace, "trace", 0, "with --profile: also save an execution trace of this long from each phase's start (go tool trace)")
	flag.StringVar(&o.Phases, "phases", "intake,lifecycle", "the phases to run, comma-separated")
	flag.DurationVar(&o.RawFor, "raw-for", 2*time.Second, "how long each raw commit-rate measurement runs")
	flag.BoolVar(&o.KeepServerLog, "server-log", false, "copy the server's log to stderr")
	flag.StringVar(&o.GroupCommit, "group-commit", "on", "SQLite: serve with group commit on, off, or both: two servers side by side, phases alternating (compare.go)")
	flag.IntVar(&o.Rounds, "rounds", 2, "with --group-commit both: how many times each phase alternates between the two servers")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	runner := run
	if o.GroupCommit == "both" {
		runner = compareGroupCommit
	}
	if err := runner(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}
