package main

import (
	"context"
	"fmt"
	"time"
)

// stats runs "onewindow stats rebuild": the supervision rollups recomputed
// from the case events.
func (m *Main) stats(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "rebuild" {
		fmt.Fprintln(m.Stderr, "Usage: onewindow stats rebuild [--db …]")
		return errUsage
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	fs := m.flags("stats rebuild [flags]", "Recomputes every supervision figure (punctuality, holding time, efficiency) from the\n"+
		"case events: the rollups are emptied and each case's events folded afresh. Run it once\n"+
		"after upgrading a database that held cases before the rollups, or after editing the\n"+
		"calendar or the working hours of past days. Figures read meanwhile are incomplete.")
	dbFlag(fs, &cfg)
	dataKeyFlags(fs, &cfg)
	if done, err := parse(fs, args[1:]); done {
		return err
	}
	ctx, svc, err := m.openExisting(ctx, cfg)
	if err != nil {
		return err
	}
	if err := m.useDataKeys(ctx, cfg, m.cliLogger()); err != nil {
		return err
	}
	start := time.Now()
	rep, err := svc.Supervision().Rebuild(ctx)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintf(m.Stdout, "rebuilt the supervision figures of %d case(s) from %d event(s) in %s\n",
		rep.Cases, rep.Events, time.Since(start).Round(time.Millisecond))
	return nil
}
