package store

import (
	"context"
	"database/sql"
	"time"
)

// Notification is one message of the outbox.
type Notification struct {
	ID         int64
	CaseNumber string
	AccountID  int64
	Recipient  string
	Subject    string
	Body       string
	CreatedAt  time.Time
	SentAt     time.Time
	Attempts   int
	LastError  string
}

// notificationColumns reads the recipient from its sealed column: the
// recipient column holds its keyed hash, for NotificationsTo.
const notificationColumns = `SELECT n.id, COALESCE(c.number, ''), COALESCE(n.account_id, 0), n.recipient_sealed, n.subject, n.body,
	n.created_at, n.sent_at, n.attempts, n.last_error FROM notifications n LEFT JOIN cases c ON c.id = n.case_id`

func (s *Store) notifications(ctx context.Context, where string, args ...any) ([]Notification, error) {
	rows, err := s.read.QueryContext(ctx, notificationColumns+` WHERE `+where, args...)
	if err != nil {
		return nil, mapErr(err, "notifications")
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		if err := rows.Scan(&n.ID, &n.CaseNumber, &n.AccountID, s.opened(sealRecipient, &n.Recipient), &n.Subject, &n.Body,
			timeDest{&n.CreatedAt}, timeDest{&n.SentAt}, &n.Attempts, &n.LastError); err != nil {
			return nil, mapErr(err, "scan notification")
		}
		out = append(out, n)
	}
	return out, mapErr(rows.Err(), "notifications")
}

// PendingNotifications returns up to limit unsent notifications with fewer
// than maxAttempts failures, oldest first.
func (s *Store) PendingNotifications(ctx context.Context, maxAttempts, limit int) ([]Notification, error) {
	return s.notifications(ctx, `n.sent_at IS NULL AND n.attempts < $1 ORDER BY n.id LIMIT $2`, maxAttempts, limit)
}

// CaseNotifications returns the notifications of a case, oldest first.
func (s *Store) CaseNotifications(ctx context.Context, number string) ([]Notification, error) {
	return s.notifications(ctx, `c.number = $1 ORDER BY n.id`, number)
}

// NotificationsTo returns the latest notifications to a phone number or
// an account, newest first.
func (s *Store) NotificationsTo(ctx context.Context, accountID int64, phone string, limit int) ([]Notification, error) {
	h, err := s.hash(hashPhone, phone)
	if err != nil {
		return nil, err
	}
	if h == "" {
		h = "-" // no phone: match the account's only (a recipient is never empty)
	}
	return s.notifications(ctx, `(n.account_id = $1 OR n.recipient = $2) ORDER BY n.id DESC LIMIT $3`, accountID, h, limit)
}

// MarkNotification records a send: sent at now, or a failure with its error.
func (s *Store) MarkNotification(ctx context.Context, id int64, now time.Time, sendErr error) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		if sendErr == nil {
			_, err := tx.ExecContext(ctx, `UPDATE notifications SET sent_at = $1, attempts = attempts + 1, last_error = '' WHERE id = $2`, stamp(now), id)
			return err
		}
		msg := sendErr.Error()
		if len(msg) > 500 {
			msg = msg[:500]
		}
		_, err := tx.ExecContext(ctx, `UPDATE notifications SET attempts = attempts + 1, last_error = $1 WHERE id = $2`, msg, id)
		return err
	})
}
