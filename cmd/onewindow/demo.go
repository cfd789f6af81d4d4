package main

import (
	"context"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/internal/service"
)

func (m *Main) demo(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "generate" {
		fmt.Fprintln(m.Stderr, "Usage: onewindow demo generate --cases N [flags]")
		return errUsage
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	fs := m.flags("demo generate [flags]", "Adds N made-up cases to the database, spread over the catalog's items, departments and halls on\n"+
		"the working days of the last --years years up to --end, with returns, deferred materials, handovers,\n"+
		"pauses, extensions, refused results, mail, late steps and ratings, each change written through the\n"+
		"same transitions and events as a real one (in batches of --batch cases per transaction; no notices\n"+
		"are sent). On an empty database the demo district is loaded first.")
	dbFlag(fs, &cfg)
	cases := fs.Int("cases", 1000, "how many cases")
	years := fs.Float64("years", 2, "years of history before --end")
	end := fs.String("end", "", "where the history ends, e.g. 2026-09-30T17:00:00+08:00 (default: now)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed on the same database makes the same history")
	batch := fs.Int("batch", 1000, "cases per transaction")
	if done, err := parse(fs, args[1:]); done {
		return err
	}
	to := time.Now()
	if *end != "" {
		if to, err = time.Parse(time.RFC3339, *end); err != nil {
			return fmt.Errorf("--end %q: use a time like 2026-09-30T17:00:00+08:00", *end)
		}
	}
	if *years <= 0 || *years > 10 {
		return fmt.Errorf("--years must be between 0 and 10")
	}
	ctx, svc, err := m.openCLI(ctx, cfg)
	if err != nil {
		return err
	}
	// As `serve --demo` does: a demo database without a data key gets one.
	cfg.Demo = true
	if err := m.serveKeys(ctx, cfg, m.cliLogger(), true); err != nil {
		return err
	}
	if err := m.loadDemo(ctx, svc, 0); err != nil {
		return fmt.Errorf("demo district: %w", err)
	}
	from := to.Add(-time.Duration(*years * 365.25 * 24 * float64(time.Hour)))
	rep, err := svc.GenerateHistory(ctx, service.HistoryOptions{Cases: *cases, From: from, To: to, Seed: *seed, Batch: *batch,
		Progress: func(done int) {
			if done%(10*max(*batch, 1)) == 0 || done == *cases {
				fmt.Fprintf(m.Stderr, "  %d / %d\n", done, *cases)
			}
		}})
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(m.Stdout, "generated %d cases (%d events, %d ratings) from %s to %s in %s: %.0f cases/s, %.0f events/s\n",
		rep.Cases, rep.Events, rep.Ratings, from.Format("2006-01-02"), to.Format("2006-01-02"), rep.Took.Round(time.Millisecond),
		rep.CasesPerS, rep.EventsPerS)
	fmt.Fprintf(m.Stdout, "  returned %d, paused %d, extended %d, with a late step %d, still open %d; staff accounts added %d\n",
		rep.Returned, rep.Paused, rep.Extended, rep.Late, rep.Open, rep.Staff)
	return nil
}
