package service

import (
	"context"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/store"
)

type windowKey struct{}

// WorkingAt returns ctx of a clerk working at window number of their hall
// (the one their console last opened): a case taken in then links to the
// visit in service at that window rather than at any other the clerk is
// signed in at. "" leaves ctx as it is.
func WorkingAt(ctx context.Context, number string) context.Context {
	if number = strings.TrimSpace(number); number == "" {
		return ctx
	}
	return context.WithValue(ctx, windowKey{}, number)
}

func windowFrom(ctx context.Context) string {
	n, _ := ctx.Value(windowKey{}).(string)
	return n
}

// visitLink is how an intake by the clerk a links the cases it takes in
// to the visit the clerk is serving (Window.Serving): at the window of
// WorkingAt, else at the first window of the hall the clerk is signed in
// at that serves one. nil for anyone but a clerk of a hall.
func (s *Hall) visitLink(ctx context.Context, a *Actor) *store.VisitLink {
	if a == nil || a.User == nil || a.User.HallCode == "" || !a.User.Role.Sees(org.WorkWindow) {
		return nil
	}
	clerk, now := a.Name(), s.clock.Now()
	return &store.VisitLink{
		Hall: a.User.HallCode, Window: windowFrom(ctx), Clerk: clerk,
		Pick: func(w *queue.Window, t *queue.Ticket) bool { return w.Serving(t, clerk) },
		Change: func(t *queue.Ticket, set queue.Settings, caseNumber string) (*queue.TicketEvent, error) {
			return queue.Apply(t, queue.ActLinkCase, queue.Input{CaseNumber: caseNumber}, clerk, set, now)
		},
	}
}

// visitNumber is the number of the ticket t linked, "" for none.
func visitNumber(t *queue.Ticket) string {
	if t == nil {
		return ""
	}
	return t.Number
}

// RequeueNumbered is Requeue for today's ticket of the clerk's hall
// numbered number (A003), as the window console names it.
func (s *Hall) RequeueNumbered(ctx context.Context, number string) (*TicketView, error) {
	return s.changeNumbered(ctx, number, queue.ActRequeue)
}

// CancelNumbered is Cancel for today's ticket of the clerk's hall numbered
// number.
func (s *Hall) CancelNumbered(ctx context.Context, number string) (*TicketView, error) {
	return s.changeNumbered(ctx, number, queue.ActCancel)
}

func (s *Hall) changeNumbered(ctx context.Context, number string, action queue.Action) (*TicketView, error) {
	a, err := requireIn(ctx, org.WorkWindow, "处理排队号")
	if err != nil {
		return nil, err
	}
	if number == "" || a.User == nil || a.User.HallCode == "" {
		return nil, apperr.Field("ticket", "请填写号码，如 A003")
	}
	if number, err = queue.ParseTicketNumber("ticket", number); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	t, err := s.store.UpdateTicketNumbered(ctx, a.User.HallCode, calendar.DateOf(now), number, ticketStep(a, action, now))
	if err != nil {
		return nil, err
	}
	if action == queue.ActCancel {
		s.textNearTickets(ctx, t.HallCode)
	}
	return s.ticketView(ctx, t)
}
