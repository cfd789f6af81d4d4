package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/store"
)

// CatchUpRollups rebuilds the supervision figures once when the rollups
// miss cases that exist: a database that held cases before the rollups
// (or restored without them) would otherwise show empty figures until
// someone ran "onewindow stats rebuild". serve calls it at start; it
// returns how many cases were missing and, if any, what the rebuild
// counted. Only the system runs it.
func (v *Supervision) CatchUpRollups(ctx context.Context) (int, *store.RebuildReport, error) {
	if _, err := require(ctx, "补建督查统计"); err != nil {
		return 0, nil, err
	}
	missing, err := v.store.CasesWithoutRollups(ctx)
	if err != nil || missing == 0 {
		return 0, nil, err
	}
	rep, err := v.store.RebuildRollups(ctx)
	return missing, rep, err
}
