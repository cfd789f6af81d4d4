package service

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/broadcast"
	"github.com/onewindow/onewindow/internal/org"
)

// The hall's display board (叫号显示屏): the calls made at its windows,
// live. It is public, like the kiosk: it hangs in the hall and shows
// ticket numbers and windows only.

// BoardRecent is how many past calls a board shows when it first connects.
const BoardRecent = 12

// SetBoard attaches the hub that carries calls to the boards; without one
// calls are not broadcast and boards cannot connect.
func (s *Service) SetBoard(h *broadcast.Hub) { s.board.Store(h) }

// Board returns the hall a board shows (public).
func (s *Service) Board(ctx context.Context, hall string) (*org.Hall, error) {
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return nil, err
	}
	for i := range halls {
		if halls[i].Code == hall {
			return &halls[i], nil
		}
	}
	return nil, apperr.New(apperr.NotFound, "没有编码为 %s 的大厅", hall)
}

// WatchBoard subscribes to a hall's calls (public) and returns those
// after the event id after, or the last BoardRecent when after is 0. The
// caller closes the subscription.
func (s *Service) WatchBoard(ctx context.Context, hall string, after int64) (*broadcast.Subscription, []broadcast.Event, error) {
	hub := s.board.Load()
	if hub == nil {
		return nil, nil, apperr.New(apperr.Internal, "叫号显示服务未启动")
	}
	if _, err := s.Board(ctx, hall); err != nil {
		return nil, nil, err
	}
	sub, past, err := hub.Subscribe(ctx, hall, after, BoardRecent)
	if err != nil {
		return nil, nil, apperr.Wrap(err, "watch board")
	}
	return sub, past, nil
}

// announce tells the hall's boards what happened at a window, once it is
// committed. A failure is logged: the call stands, the clerk can recall.
func (s *Service) announce(ctx context.Context, kind broadcast.Kind, v *WindowView) {
	hub := s.board.Load()
	if hub == nil || v == nil || v.Ticket == nil || v.Ticket.Ticket == nil {
		return
	}
	// The clerk's request may end at once; the board must still hear.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	ev := broadcast.Event{Hall: v.Window.HallCode, Kind: kind, Ticket: v.Ticket.Ticket.Number, Window: v.Window.Number, At: s.clock.Now()}
	if ws, err := s.store.Windows(ctx, ev.Hall); err == nil {
		for _, w := range ws {
			if w.Number == ev.Window {
				ev.WindowName = w.Name
			}
		}
	}
	if _, err := hub.Publish(ctx, ev); err != nil {
		s.log.Error("board: publish call", "hall", ev.Hall, "ticket", ev.Ticket, "err", err, "request_id", RequestFrom(ctx).ID)
	}
}
