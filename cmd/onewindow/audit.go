package main

import (
	"context"
	"fmt"
	"os"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
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
	fs := m.flags("audit verify [flags]", "Recomputes every case's hash-chained event record and names every broken link.\n"+
		"Exits non-zero if any chain is broken, or if the database's schema is not this program's\n"+
		"(it never migrates: run it on a restored copy as it lies).")
	dbFlag(fs, &cfg)
	if done, err := parse(fs, args[1:]); done {
		return err
	}
	ctx, svc, err := m.openExisting(ctx, cfg)
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

// openExisting opens a database for a command that reads it as it lies: it
// must exist and be at this program's schema version; nothing is migrated
// or created. It acts as the system.
func (m *Main) openExisting(ctx context.Context, cfg Config) (context.Context, *service.Service, error) {
	if !store.IsPostgres(cfg.DB) {
		if _, err := os.Stat(cfg.DB); err != nil {
			return ctx, nil, fmt.Errorf("no database at %s: %w", cfg.DB, err)
		}
	}
	st, err := store.Open(ctx, cfg.DB, clock.System{})
	if err != nil {
		return ctx, nil, err
	}
	m.store = st
	version, err := schemaOf(ctx, st, "the database")
	if err != nil {
		return ctx, nil, err
	}
	fmt.Fprintf(m.Stdout, "%s schema at version %d\n", st.Dialect(), version)
	scfg, err := serviceConfig(cfg)
	if err != nil {
		return ctx, nil, err
	}
	svc := service.New(st, clock.System{}, m.cliLogger(), scfg)
	ctx = service.WithRequest(service.AsSystem(ctx), service.Request{ID: "cli", Channel: "cli"})
	return ctx, svc, nil
}
