package service

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/store"
)

// FinishedVisit is a visit just finished at a window: the window and the
// ticket finished, and until when the window's rating pad waits for the
// applicant's rating. The visit's rating token is never in it: only the
// pad learns it, so a clerk cannot rate in the applicant's place.
type FinishedVisit struct {
	WindowView
	PadUntil time.Time
}

// FinishVisit ends service of the window's ticket (R16): in one
// transaction it finishes the ticket, issues the visit's one-time rating
// token and hands it to the window's rating pad for PadWait (never beyond
// the token's own life). The window console and the API both call it, so
// every visit finished can be rated on site.
func (s *Hall) FinishVisit(ctx context.Context, hall, number string) (*FinishedVisit, error) {
	clerk, err := windowClerk(ctx, hall)
	if err != nil {
		return nil, err
	}
	w, err := s.ratings.padWindow(ctx, hall, number)
	if err != nil {
		return nil, err
	}
	token, err := randomKey("rv_")
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	expires := now.Add(s.ratingSettings().VisitTokenTTL)
	pass := store.VisitPass{
		Token: store.VisitToken{Hash: tokenHash(token), HallCode: w.HallCode, Window: w.Number, Clerk: clerk,
			Department: w.DepartmentCode, IssuedAt: now, ExpiresAt: expires},
		Plain: token, PadUntil: now.Add(PadWait),
	}
	if pass.PadUntil.After(expires) {
		pass.PadUntil = expires
	}
	qw, t, err := s.store.FinishVisit(ctx, w.HallCode, w.Number, now, windowStep(clerk, w.Number, queue.ActFinish, queue.Input{}, now), pass)
	if err != nil {
		return nil, err
	}
	v, err := s.windowView(ctx, qw, t)
	if err != nil {
		return nil, err
	}
	return &FinishedVisit{WindowView: *v, PadUntil: pass.PadUntil}, nil
}
