package service

import (
	"context"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/outbox"
	"github.com/onewindow/onewindow/internal/store"
)

// notificationQueue is the notifications table as the dispatcher's queue.
type notificationQueue struct {
	st          *store.Store
	maxAttempts int
	failed      func() // counts a notification failed for good
}

func (q notificationQueue) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]applicant.Notification, error) {
	return q.st.ClaimNotifications(ctx, now, lease, limit, q.maxAttempts)
}

func (q notificationQueue) Report(ctx context.Context, now time.Time, outcomes []outbox.Outcome[applicant.Notification]) error {
	rows := make([]store.Outcome, len(outcomes))
	for i, o := range outcomes {
		rows[i] = store.Outcome{ID: o.Item.ID, Attempt: o.Attempt, RetryAt: o.RetryAt, Skipped: o.Skipped}
		if o.Err != nil {
			rows[i].Err = o.Err.Error()
		}
	}
	if err := q.st.ReportNotifications(ctx, now, rows); err != nil {
		return err
	}
	for _, o := range outcomes {
		if o.Err != nil && o.RetryAt.IsZero() && !o.Skipped {
			q.failed()
		}
	}
	return nil
}

// newNotifier returns the notification dispatcher of s: each notification
// to the account's e-mail when it has one (and the sender is not SMS),
// else to the phone; the notices of one recipient in order; a message the
// sender refuses as undeliverable fails at once.
func (s *Service) newNotifier(cfg outbox.Config[applicant.Notification]) (*outbox.Dispatcher[applicant.Notification], error) {
	cfg.Name = "notifications"
	cfg.Send = s.sendNotification
	cfg.Attempt = func(n applicant.Notification) int { return n.Attempts }
	cfg.Key = func(n applicant.Notification) string {
		if n.AccountID != 0 {
			return "account:" + strconv.FormatInt(n.AccountID, 10)
		}
		return "phone:" + n.Recipient
	}
	cfg.Permanent = func(err error) bool { return apperr.Is(err, apperr.Invalid) }
	cfg.Describe = func(n applicant.Notification) []any {
		return []any{"id", n.ID, "to", applicant.MaskPhone(n.Recipient)}
	}
	cfg.Now = s.clock.Now
	cfg.Log = s.log
	failed := func() { s.metrics.DeliveryFailed("notification") }
	return outbox.New(notificationQueue{st: s.store, maxAttempts: cfg.Retry.Attempts, failed: failed}, cfg)
}

// sendNotification sends one notification through the configured sender:
// its text is its kind's template applied to the notice (sms_templates.go),
// and it goes under the reference "n-<id>" that delivery receipts name.
func (s *Service) sendNotification(ctx context.Context, n applicant.Notification) error {
	to := n.Recipient
	// The account's e-mail address, when it has one, unless messages go
	// out as text messages, which only reach the phone.
	if _, texts := s.sender.(*notify.SMS); n.AccountID != 0 && !texts {
		acc, err := s.store.Account(ctx, n.AccountID)
		switch {
		case err == nil && acc.Email != "":
			to = acc.Email
		case err != nil && !apperr.Is(err, apperr.NotFound):
			return err // the database, not the message: try again later
		}
	}
	text, err := s.Messages.composeNotification(ctx, n)
	if err != nil {
		return err
	}
	return s.sender.Send(ctx, notify.Message{To: to, Subject: n.Subject, Body: text, Ref: NotificationRefPrefix + strconv.FormatInt(n.ID, 10)})
}

// DispatchNotifications sends every notification due now, batch after
// batch, and returns how many went out. Each is claimed (its attempt
// counted) in a committed transaction before it is sent, so a database
// that cannot be written sends nothing; a failed send is due again after
// a back-off, and after the last attempt the notification is closed as
// failed with its error. Dispatchers on several nodes never send one
// notification at once; a crash between a send and its record sends it
// once more, never not at all.
func (s *Service) DispatchNotifications(ctx context.Context) (int, error) {
	return s.notifier.Drain(ctx)
}

// NudgeNotifications wakes the notification dispatcher; the store calls it
// after a commit that queued a notification.
func (s *Service) nudgeNotifications() { s.notifier.Nudge() }
