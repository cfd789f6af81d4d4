package main

import (
	"context"
	"fmt"
)

func (m *Main) audit(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(m.Stderr, "Usage: onewindow audit verify [--db …]")
		return errUsage
	}
	cfg, err := m.config()
	if err != nil {
		return err
	}
	fs := m.flags("audit verify [flags]", "Recomputes every case's hash-chained event record and names every broken link.\nExits non-zero if any chain is broken.")
	dbFlag(fs, &cfg)
	if done, err := parse(fs, args[1:]); done {
		return err
	}
	ctx, svc, err := m.openCLI(ctx, cfg)
	if err != nil {
		return err
	}
	rep, err := svc.VerifyAudit(ctx)
	if err != nil {
		return cliError(err)
	}
	for _, b := range rep.Breaks {
		fmt.Fprintf(m.Stdout, "BROKEN case %s event %d: %s\n", b.Number, b.Seq, b.Reason)
	}
	fmt.Fprintf(m.Stdout, "checked %d case(s), %d event(s): %d broken link(s)\n", rep.Cases, rep.Events, len(rep.Breaks))
	if len(rep.Breaks) > 0 {
		return fmt.Errorf("%d broken link(s) in the case record", len(rep.Breaks))
	}
	return nil
}
