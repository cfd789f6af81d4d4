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
func (s *Hall) SetBoard(h *broadcast.Hub) { s.board.Store(h) }

// Board returns the hall a board shows (public).
func (s *Hall) Board(ctx context.Context, hall string) (*org.Hall, error) {
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

// BoardWatch is one board's stream of calls. Close it when the board goes.
type BoardWatch struct {
	*broadcast.Subscription
	release []func()
}

// Close ends the subscription and frees its places in the caps.
func (w *BoardWatch) Close() {
	w.Subscription.Close()
	for _, r := range w.release {
		r()
	}
}

// boardRetry is how soon a board refused for a full cap is told to retry.
const boardRetry = 30 * time.Second

// WatchBoard subscribes to a hall's calls (public) and returns those
// after the event id after, or the last BoardRecent when after is 0. The
// caller closes the watch. A node holds at most Limits.BoardPerHall
// streams per hall and Limits.BoardPerClient per client, and a client may
// open only so many a minute: a stream holds a connection for as long as
// the board hangs there, so the public may not hold them all.
func (s *Hall) WatchBoard(ctx context.Context, hall string, after int64) (*BoardWatch, []broadcast.Event, error) {
	hub := s.board.Load()
	if hub == nil {
		return nil, nil, apperr.New(apperr.Internal, "叫号显示服务未启动")
	}
	if err := s.throttle(ctx, s.guard.board); err != nil {
		return nil, nil, err
	}
	if _, err := s.Board(ctx, hall); err != nil {
		return nil, nil, err
	}
	w := &BoardWatch{}
	fail := func(err error) (*BoardWatch, []broadcast.Event, error) {
		for _, r := range w.release {
			r()
		}
		return nil, nil, err
	}
	release, ok := s.guard.boardHalls.Acquire(hall)
	if !ok {
		s.log.Warn("board streams: the hall's cap is reached", "hall", hall, "cap", s.guard.boardHalls.Cap(), "request_id", RequestFrom(ctx).ID)
		return fail(apperr.TooMany(boardRetry, "本大厅的叫号显示连接已满，请稍后再试"))
	}
	w.release = append(w.release, release)
	if client := clientKey(ctx); client != "" && !exempt(ctx) {
		release, ok := s.guard.boardClients.Acquire(client)
		if !ok {
			return fail(apperr.TooMany(boardRetry, "本设备打开的叫号显示过多，请关闭不用的页面后再试"))
		}
		w.release = append(w.release, release)
	}
	sub, past, err := hub.Subscribe(ctx, hall, after, BoardRecent)
	if err != nil {
		return fail(apperr.Wrap(err, "watch board"))
	}
	w.Subscription = sub
	return w, past, nil
}

// announce tells the hall's boards what happened at a window, once it is
// committed. A failure is logged: the call stands, the clerk can recall.
func (s *Hall) announce(ctx context.Context, kind broadcast.Kind, v *WindowView) {
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
