package service

import (
	"slices"

	"context"
	"errors"

	"github.com/onewindow/onewindow/internal/catalog"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/store"
)

// FinishInstant finishes an instant case at the window in one flow (R7):
// decided, handed over to the person present and the receipt archived,
// each step its own event, all in one transaction (casework.InstantSteps).
// expectedVersion, if not 0, is the case version the clerk saw.
func (s *Casework) FinishInstant(ctx context.Context, number string, f casework.InstantFinish, expectedVersion int) (*CaseView, error) {
	r, env, err := s.acting(ctx, number, casework.ActDecide)
	if err != nil {
		return nil, err
	}
	a := r.Actor
	var acting casework.Actor
	var plan []casework.PlannedStep
	step := func(i int) store.ChangeFunc {
		return func(c *casework.Case) (casework.Change, error) {
			if i == 0 {
				if acting, err = r.actsOn(c, expectedVersion, env.Now); err != nil {
					return casework.Change{}, err
				}
				if plan, err = casework.InstantSteps(c, f); err != nil {
					return casework.Change{}, err
				}
			}
			return casework.Step(c, plan[i].Action, plan[i].Input, acting, env)
		}
	}
	c, err := s.store.UpdateCaseSteps(ctx, number, step(0), step(1), step(2))
	if hr := (*casework.HallRefusal)(nil); errors.As(err, &hr) {
		return nil, hr.Named(s.hallNames(ctx))
	}
	if err != nil {
		return nil, err
	}
	s.log.Info("instant case finished", "number", number, "outcome", f.Outcome, "by", a.Username, "request_id", RequestFrom(ctx).ID)
	if c.BundleNumber != "" {
		s.advanceBundle(ctx, c.BundleNumber)
	}
	return s.view(c, acting, env), nil
}

// FinishesInstant reports whether the one-flow finish (FinishInstant) is
// open to the viewer now: an instant case just taken in that the viewer
// may decide.
func (v *CaseView) FinishesInstant() bool {
	return v.Case.Kind == catalog.Instant && v.Case.State == casework.Received && slices.Contains(v.Allowed, casework.ActDecide)
}
