package service

import (
	"context"
	"errors"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
)

// Decisions in writing: the acceptance notice, the decision not to accept
// and the decision on the application are issued by the case's steps
// (casework); here the district they name, and the preview a decision is
// confirmed against before it is taken.

// writingEnv names the district in env for the steps that issue a written
// decision: its short name begins their numbers, its people's government
// hears 行政复议. The district is the one the district-level hall's name
// begins with; without one the documents name none.
func (s *Casework) writingEnv(ctx context.Context, action casework.Action, env *casework.Env) {
	if action != casework.ActAccept && !casework.NeedsConfirm(action) {
		return
	}
	halls, err := s.cachedHalls(ctx) // acting refreshed the caches just before
	if err != nil {
		s.log.Warn("halls for a written decision", "err", err, "request_id", RequestFrom(ctx).ID)
		return
	}
	for _, h := range halls {
		if h.Level == org.District {
			if d := casework.DistrictOf(h.Name); d != "" {
				env.District = d
				return
			}
		}
	}
}

// DecisionPreview is what a decision would issue, shown to be confirmed
// before it is taken: the case as it stands, the documents the step would
// issue (unnumbered: numbers are given only when the step is taken) and
// the state it would leave the case in.
type DecisionPreview struct {
	View      *CaseView
	Action    casework.Action
	Documents []casework.Document
	// StateLabel is the state the step would leave the case in, in words.
	StateLabel string
}

// PreviewDecision checks a decision (decide, refuse-acceptance) exactly as
// Act would take it, confirmed, and returns what it would issue without
// taking it: nothing changes, nothing is numbered. The page shows it to be
// confirmed; the API serves it as POST /cases/{number}/{action}/preview. A
// refusal is the one Act would give (a refusal without a reason, a stale
// version, a state that does not allow it).
func (s *Casework) PreviewDecision(ctx context.Context, number string, action casework.Action, in casework.Input, expectedVersion int) (*DecisionPreview, error) {
	if !casework.NeedsConfirm(action) {
		return nil, apperr.Field("action", "只有作出决定和不予受理需要预览确认")
	}
	r, env, err := s.acting(ctx, number, action)
	if err != nil {
		return nil, err
	}
	c, err := s.store.Case(ctx, number)
	if err != nil {
		return nil, err
	}
	acting, err := r.actsOn(c, expectedVersion, env.Now)
	if err != nil {
		return nil, err
	}
	p := &DecisionPreview{View: s.view(c, acting, env), Action: action}
	in.Confirm = true
	ch, err := casework.Step(c, action, in, acting, env) // c is this call's own copy
	if hr := (*casework.HallRefusal)(nil); errors.As(err, &hr) {
		return nil, hr.Named(s.hallNames(ctx))
	}
	if err != nil {
		return nil, err
	}
	p.Documents, p.StateLabel = ch.Documents, c.StateLabel()
	return p, nil
}
