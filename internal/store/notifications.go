package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/onewindow/onewindow/internal/applicant"
)

// notificationColumns reads the recipient from its sealed column: the
// recipient column holds its keyed hash, for NotificationsTo.
const notificationColumns = `SELECT n.id, COALESCE(c.number, ''), COALESCE(n.account_id, 0), n.recipient_sealed, n.subject, n.body,
	n.created_at, n.sent_at, n.attempts, n.last_error, n.failed_at, n.next_attempt_at,
	n.kind, n.delivery_status, n.delivery_detail, n.delivered_at FROM notifications n LEFT JOIN cases c ON c.id = n.case_id`

func (s *Store) notifications(ctx context.Context, where string, args ...any) ([]applicant.Notification, error) {
	rows, err := s.read.QueryContext(ctx, notificationColumns+` WHERE `+where, args...)
	if err != nil {
		return nil, mapErr(err, "notifications")
	}
	out, err := s.scanNotifications(rows)
	return out, mapErr(err, "notifications")
}

// scanNotifications reads and closes rows of notificationColumns.
func (s *Store) scanNotifications(rows *sql.Rows) ([]applicant.Notification, error) {
	defer rows.Close()
	var out []applicant.Notification
	for rows.Next() {
		var n applicant.Notification
		if err := rows.Scan(&n.ID, &n.CaseNumber, &n.AccountID, s.opened(sealRecipient, &n.Recipient), &n.Subject, &n.Body,
			timeDest{&n.CreatedAt}, timeDest{&n.SentAt}, &n.Attempts, &n.LastError, timeDest{&n.FailedAt}, timeDest{&n.NextAttemptAt},
			&n.Kind, &n.DeliveryStatus, &n.DeliveryDetail, timeDest{&n.DeliveredAt}); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// CaseNotifications returns the notifications of a case, oldest first.
func (s *Store) CaseNotifications(ctx context.Context, number string) ([]applicant.Notification, error) {
	return s.notifications(ctx, `c.number = $1 ORDER BY n.id`, number)
}

// NotificationsTo returns the latest notifications to a phone number or
// an account, newest first.
func (s *Store) NotificationsTo(ctx context.Context, accountID int64, phone string, limit int) ([]applicant.Notification, error) {
	h, err := s.hash(hashPhone, phone)
	if err != nil {
		return nil, err
	}
	if h == "" {
		h = "-" // no phone: match the account's only (a recipient is never empty)
	}
	return s.notifications(ctx, `(n.account_id = $1 OR n.recipient = $2) ORDER BY n.id DESC LIMIT $3`, accountID, h, limit)
}

// notificationsTable is the notifications table as an outbox.
var notificationsTable = outboxTable{table: "notifications", done: "sent_at"}

// ClaimNotifications leases up to limit notifications due at now until
// now+lease, counting an attempt on each, in a transaction of its own that
// commits before anything is sent; it returns them oldest first with
// Attempts the attempt this claim is. A notice claimed for its last attempt
// whose outcome was never recorded is closed as failed. On PostgreSQL
// concurrent claims take disjoint batches (FOR UPDATE SKIP LOCKED).
func (s *Store) ClaimNotifications(ctx context.Context, now time.Time, lease time.Duration, limit, maxAttempts int) ([]applicant.Notification, error) {
	var out []applicant.Notification
	err := s.update(ctx, func(tx *sql.Tx) error {
		claimed, err := s.claimOutbox(ctx, tx, notificationsTable, now, lease, limit, maxAttempts)
		if err != nil || len(claimed) == 0 {
			return err
		}
		ids := make([]int64, 0, len(claimed))
		for id := range claimed {
			ids = append(ids, id)
		}
		in, args := idList(ids, 1)
		rows, err := tx.QueryContext(ctx, notificationColumns+` WHERE n.id IN (`+in+`) ORDER BY n.created_at, n.id`, args...)
		if err != nil {
			return err
		}
		out, err = s.scanNotifications(rows)
		return err
	})
	return out, err
}

// ReportNotifications records what became of claimed notifications, in one
// transaction.
func (s *Store) ReportNotifications(ctx context.Context, now time.Time, outcomes []Outcome) error {
	return s.update(ctx, func(tx *sql.Tx) error { return s.reportOutbox(ctx, tx, notificationsTable, now, outcomes) })
}

// NotificationBacklog counts the notifications waiting, in flight and
// failed at now, with the oldest waiting one's creation.
func (s *Store) NotificationBacklog(ctx context.Context, now time.Time) (OutboxBacklog, error) {
	return s.outboxBacklog(ctx, notificationsTable, now)
}
