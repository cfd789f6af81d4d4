package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
)

// QueueWindow returns a window's queue state and its current ticket (nil
// when none) for its console: an intake or issuance clerk of its hall.
func (s *Hall) QueueWindow(ctx context.Context, hall, number string) (*WindowView, error) {
	if _, err := windowClerk(ctx, hall); err != nil {
		return nil, err
	}
	w, err := s.store.QueueWindow(ctx, hall, number)
	if err != nil {
		return nil, err
	}
	var t *queue.Ticket
	if w.Current != 0 {
		if t, _, err = s.store.Ticket(ctx, w.Current); err != nil {
			return nil, err
		}
	}
	v, err := s.windowView(ctx, w, t)
	if err != nil || w.Clerk == "" {
		return v, err
	}
	if u := UserFrom(ctx); u != nil && u.Username == w.Clerk {
		v.ClerkName = u.Name // the clerk at their own window: no lookup (the calling bar asks on every desk page)
		return v, nil
	}
	names, err := s.store.UserNames(ctx, []string{w.Clerk})
	if err != nil {
		return nil, err
	}
	v.ClerkName = names[w.Clerk]
	return v, nil
}

// WindowQueues returns the queue state of every window of a hall, for the
// bureau admin's assignment of categories to windows.
func (s *Hall) WindowQueues(ctx context.Context, hall string) ([]*queue.Window, error) {
	if _, err := require(ctx, "查看窗口的叫号类别", org.RoleAdmin); err != nil {
		return nil, err
	}
	ws, err := s.store.Windows(ctx, hall)
	if err != nil {
		return nil, err
	}
	out := make([]*queue.Window, 0, len(ws))
	for _, w := range ws {
		q, err := s.store.QueueWindow(ctx, hall, w.Number)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}
