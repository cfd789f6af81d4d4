package main

import (
	"context"
	"fmt"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
)

func (m *Main) migrate(ctx context.Context, args []string) error {
	cfg, err := m.config()
	if err != nil {
		return err
	}
	fs := m.flags("migrate [flags]", "Applies every pending database migration (serve does this too at start).")
	dbFlag(fs, &cfg)
	if done, err := parse(fs, args); done {
		return err
	}
	st, err := store.Open(ctx, cfg.DB, clock.System{})
	if err != nil {
		return err
	}
	m.store = st
	n, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	current, _, err := st.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "applied %d migration(s); %s schema at version %d\n", n, st.Dialect(), current)
	return nil
}
