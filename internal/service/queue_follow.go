package service

import (
	"context"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
)

// A ticket's id counts up, so it cannot be what a ticket's QR code opens:
// whoever holds a ticket could walk the ids and read everyone's. The kiosk
// gives each ticket a random follow token instead, printed in the QR code;
// only its hash is kept.

// TakeTicketToFollow takes a ticket as TakeTicket does and gives it its
// follow token (shown once, on the printed ticket). Should the token fail
// to be kept the ticket stands and the token is "": the ticket is valid
// without its QR code.
func (s *Hall) TakeTicketToFollow(ctx context.Context, req TicketRequest) (*TicketView, string, error) {
	v, err := s.TakeTicket(ctx, req)
	if err != nil {
		return nil, "", err
	}
	token, err := randomKey("tf_")
	if err == nil {
		err = s.store.CreateTicketFollow(ctx, v.Ticket.ID, tokenHash(token), s.clock.Now())
	}
	if err != nil {
		s.log.Error("ticket follow token", "ticket", v.Ticket.ID, "err", err, "request_id", RequestFrom(ctx).ID)
		return v, "", nil
	}
	return v, token, nil
}

// FollowTicket returns ticket id as its holder sees it (public, ID masked),
// given the follow token of its QR code. A wrong token and an unknown id
// are the same not-found, so ids cannot be probed.
func (s *Hall) FollowTicket(ctx context.Context, id int64, token string) (*TicketView, error) {
	if err := s.throttle(ctx, s.guard.follow); err != nil {
		return nil, err
	}
	token = strings.TrimSpace(token)
	if token == "" || len(token) > 100 {
		return nil, errNoTicket()
	}
	got, err := s.store.TicketByFollow(ctx, tokenHash(token))
	if err != nil {
		return nil, errNoTicket()
	}
	if got != id {
		return nil, errNoTicket()
	}
	t, ahead, err := s.store.Ticket(ctx, id)
	if err != nil {
		return nil, err
	}
	t.Mask()
	v := &TicketView{Ticket: t, Ahead: ahead}
	if c, err := s.store.Category(ctx, t.HallCode, t.Category); err == nil {
		v.CategoryName = c.Name
	}
	return v, nil
}

func errNoTicket() error {
	return apperr.New(apperr.NotFound, "排队号不存在或链接已失效，请扫描号票上的二维码")
}
