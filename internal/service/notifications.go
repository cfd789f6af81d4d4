package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/notify"
)

// notifyAttempts is how often a notification is tried before it is left
// for a person to look at (its last error is kept).
const notifyAttempts = 5

// DispatchNotifications sends what the outbox holds: each notification to
// the account's e-mail when it has one, else to the phone. A send that
// fails is tried again on the next round, up to notifyAttempts times.
// Several nodes may dispatch at once; a message may then go out twice,
// never not at all.
func (s *Service) DispatchNotifications(ctx context.Context) (int, error) {
	pending, err := s.store.PendingNotifications(ctx, notifyAttempts, 100)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, n := range pending {
		to := n.Recipient
		if n.AccountID != 0 {
			if acc, err := s.store.Account(ctx, n.AccountID); err == nil && acc.Email != "" {
				to = acc.Email
			}
		}
		err := s.sender.Send(ctx, notify.Message{To: to, Subject: n.Subject, Body: "【一窗通】" + n.Body})
		if ctx.Err() != nil {
			return sent, ctx.Err()
		}
		if err != nil {
			s.log.Warn("notification not sent", "id", n.ID, "to", applicant.MaskPhone(n.Recipient), "err", err)
		} else {
			sent++
		}
		if err := s.store.MarkNotification(ctx, n.ID, s.clock.Now(), err); err != nil {
			return sent, err
		}
	}
	return sent, nil
}
