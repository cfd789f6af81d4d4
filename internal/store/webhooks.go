package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/webhook"
)

// sealWebhookSecrets binds the subscriptions' signing secrets: they are
// kept sealed under the data key like personal data.
const sealWebhookSecrets = "webhook_subscriptions.secrets"

// queueWebhookQuery queues one event for every live subscription of the
// case's department that wants its type and item. Lists are kept as
// ",a,b," so that one LIKE finds a member. The patterns are built in SQL,
// not bound: SQLite re-prepares a statement whose LIKE pattern is a bound
// parameter every time the binding changes (its LIKE optimisation), which
// cost every event nine times its own insert.
const queueWebhookQuery = `INSERT INTO webhook_deliveries (subscription_id, case_id, event_seq, event_type, payload, created_at, next_attempt_at)
	SELECT s.id, $1, $2, $3, $4, $5, $5 FROM webhook_subscriptions s
	WHERE s.department_id = (SELECT department_id FROM cases WHERE id = $1) AND s.deleted_at IS NULL AND s.paused_at IS NULL
		AND (s.event_types = '' OR s.event_types LIKE '%,' || $3 || ',%') AND (s.item_codes = '' OR s.item_codes LIKE '%,' || $6 || ',%')`

// queueWebhooks queues the deliveries of event ev of case c in the
// transaction that appends it, and notes the commit must wake the
// webhook dispatcher. Generated history (WithoutNotices) queues none.
func (s *Store) queueWebhooks(ctx context.Context, tx *sql.Tx, c *casework.Case, ev *casework.Event) error {
	if quiet(ctx) {
		return nil
	}
	e := webhook.Wrap(webhook.NewCaseEvent(c, ev))
	// How many were queued is told when the statement runs: on PostgreSQL
	// it may wait in the transaction's batch (pg_batch.go).
	queued := func(n int64) {
		if n > 0 {
			s.enqueued(tx, WebhookOutbox)
		}
	}
	if s.dialect == Postgres {
		ctx = withOutcome(ctx, queued, nil)
	}
	res, err := s.execTx(ctx, tx, queueWebhookQuery, c.ID, ev.Seq, e.Type, string(e.Body()), stamp(ev.At), c.ItemCode)
	if err != nil || s.dialect == Postgres {
		return err
	}
	n, err := res.RowsAffected()
	queued(n)
	return err
}

// list keeps a list as ",a,b," ("" when empty).
func list(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return "," + strings.Join(v, ",") + ","
}

func unlist(v string) []string {
	v = strings.Trim(v, ",")
	if v == "" {
		return []string{}
	}
	return strings.Split(v, ",")
}

const subscriptionColumns = `SELECT s.id, d.code, COALESCE(s.client_id, 0), s.url, s.event_types, s.item_codes, s.description, s.secrets,
	s.paused_at, s.paused_reason, s.created_by, s.created_at, s.updated_at FROM webhook_subscriptions s JOIN departments d ON d.id = s.department_id`

func (s *Store) scanSubscriptions(rows *sql.Rows) ([]webhook.Subscription, error) {
	defer rows.Close()
	var out []webhook.Subscription
	for rows.Next() {
		var w webhook.Subscription
		var types, items, secrets string
		if err := rows.Scan(&w.ID, &w.DepartmentCode, &w.ClientID, &w.URL, &types, &items, &w.Description, &secrets,
			timeDest{&w.PausedAt}, &w.PausedReason, &w.CreatedBy, timeDest{&w.CreatedAt}, timeDest{&w.UpdatedAt}); err != nil {
			return nil, err
		}
		w.EventTypes, w.ItemCodes = unlist(types), unlist(items)
		b, err := s.openBlob(sealWebhookSecrets, secrets)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &w.Secrets); err != nil {
			return nil, apperr.Wrap(err, "webhook secrets")
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

func (s *Store) sealSecrets(secrets []webhook.Secret) (string, error) {
	b, err := json.Marshal(secrets)
	if err != nil {
		return "", err
	}
	return s.sealBlob(sealWebhookSecrets, b)
}

// CreateWebhook saves a new subscription and sets its id.
func (s *Store) CreateWebhook(ctx context.Context, w *webhook.Subscription) error {
	secrets, err := s.sealSecrets(w.Secrets)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO webhook_subscriptions (department_id, client_id, url, event_types, item_codes, description, secrets,
			created_by, created_at, updated_at) VALUES ((SELECT id FROM departments WHERE code = $1), $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
			w.DepartmentCode, dbNull(w.ClientID), w.URL, list(w.EventTypes), list(w.ItemCodes), w.Description, secrets, w.CreatedBy, stamp(w.CreatedAt)).Scan(&w.ID)
		return err
	})
}

// Webhook returns the subscription with id (not deleted).
func (s *Store) Webhook(ctx context.Context, id int64) (*webhook.Subscription, error) {
	rows, err := s.read.QueryContext(ctx, subscriptionColumns+` WHERE s.id = $1 AND s.deleted_at IS NULL`, id)
	if err != nil {
		return nil, mapErr(err, "webhook")
	}
	out, err := s.scanSubscriptions(rows)
	if err != nil {
		return nil, mapErr(err, "webhook")
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.NotFound, "未找到该推送订阅")
	}
	return &out[0], nil
}

// Webhooks returns the subscriptions of a department ("" every one), with
// their deliveries counted.
func (s *Store) Webhooks(ctx context.Context, department string) ([]webhook.Subscription, error) {
	where, args := ` WHERE s.deleted_at IS NULL`, []any{}
	if department != "" {
		where += ` AND d.code = $1`
		args = append(args, department)
	}
	rows, err := s.read.QueryContext(ctx, subscriptionColumns+where+` ORDER BY d.code, s.id`, args...)
	if err != nil {
		return nil, mapErr(err, "webhooks")
	}
	out, err := s.scanSubscriptions(rows)
	if err != nil {
		return nil, mapErr(err, "webhooks")
	}
	for i := range out {
		c := &webhook.Counts{}
		err := s.read.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN delivered_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0)
			FROM webhook_deliveries WHERE subscription_id = $1`, out[i].ID).Scan(&c.Pending, &c.Delivered, &c.Failed)
		if err != nil {
			return nil, mapErr(err, "webhook counts")
		}
		out[i].Stats = c
	}
	return out, nil
}

// UpdateWebhook saves a subscription's address, filters, description,
// secrets and pause.
func (s *Store) UpdateWebhook(ctx context.Context, w *webhook.Subscription) error {
	secrets, err := s.sealSecrets(w.Secrets)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE webhook_subscriptions SET url = $1, event_types = $2, item_codes = $3, description = $4,
			secrets = $5, paused_at = $6, paused_reason = $7, updated_at = $8 WHERE id = $9 AND deleted_at IS NULL`,
			w.URL, list(w.EventTypes), list(w.ItemCodes), w.Description, secrets, stamp(w.PausedAt), w.PausedReason, stamp(w.UpdatedAt), w.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.NotFound, "未找到该推送订阅")
		}
		return nil
	})
}

// DeleteWebhook deletes a subscription: it is kept with its delivery log
// but no longer queued for nor sent to.
func (s *Store) DeleteWebhook(ctx context.Context, id int64, now time.Time) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE webhook_subscriptions SET deleted_at = $1, updated_at = $1 WHERE id = $2 AND deleted_at IS NULL`, stamp(now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.NotFound, "未找到该推送订阅")
		}
		_, err = tx.ExecContext(ctx, `UPDATE webhook_deliveries SET failed_at = $1, claimed_until = NULL, last_error = '订阅已删除'
			WHERE subscription_id = $2 AND delivered_at IS NULL AND failed_at IS NULL`, stamp(now), id)
		return err
	})
}

const deliveryColumns = `SELECT w.id, w.subscription_id, c.number, w.event_seq, w.event_type, w.payload, w.created_at, w.delivered_at,
	w.attempts, w.next_attempt_at, w.last_error, w.failed_at, w.response_code, w.responded_at
	FROM webhook_deliveries w JOIN cases c ON c.id = w.case_id`

func scanDeliveries(rows *sql.Rows) ([]*webhook.Delivery, error) {
	defer rows.Close()
	var out []*webhook.Delivery
	for rows.Next() {
		d := &webhook.Delivery{}
		var payload string
		if err := rows.Scan(&d.ID, &d.SubscriptionID, &d.CaseNumber, &d.EventSeq, &d.EventType, &payload, timeDest{&d.CreatedAt},
			timeDest{&d.DeliveredAt}, &d.Attempts, timeDest{&d.NextAttemptAt}, &d.LastError, timeDest{&d.FailedAt},
			&d.ResponseCode, timeDest{&d.RespondedAt}); err != nil {
			return nil, err
		}
		d.Payload = []byte(payload)
		out = append(out, d)
	}
	return out, rows.Err()
}

// WebhookDeliveries returns a subscription's latest deliveries, newest
// first; before > 0 pages on to those with smaller ids.
func (s *Store) WebhookDeliveries(ctx context.Context, subscription int64, before int64, limit int) ([]*webhook.Delivery, error) {
	where, args := ` WHERE w.subscription_id = $1`, []any{subscription, limit}
	if before > 0 {
		where += ` AND w.id < $3`
		args = append(args, before)
	}
	rows, err := s.read.QueryContext(ctx, deliveryColumns+where+` ORDER BY w.id DESC LIMIT $2`, args...)
	if err != nil {
		return nil, mapErr(err, "webhook deliveries")
	}
	out, err := scanDeliveries(rows)
	return out, mapErr(err, "webhook deliveries")
}

// WebhookDelivery returns one delivery.
func (s *Store) WebhookDelivery(ctx context.Context, id int64) (*webhook.Delivery, error) {
	rows, err := s.read.QueryContext(ctx, deliveryColumns+` WHERE w.id = $1`, id)
	if err != nil {
		return nil, mapErr(err, "webhook delivery")
	}
	out, err := scanDeliveries(rows)
	if err != nil {
		return nil, mapErr(err, "webhook delivery")
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.NotFound, "未找到该推送记录")
	}
	return out[0], nil
}

// RedeliverWebhook queues a delivery's event again for its subscription,
// due at once, at the end of its case's line; it returns the new delivery.
func (s *Store) RedeliverWebhook(ctx context.Context, id int64, now time.Time) (*webhook.Delivery, error) {
	var newID int64
	err := s.update(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO webhook_deliveries (subscription_id, case_id, event_seq, event_type, payload, created_at, next_attempt_at)
			SELECT subscription_id, case_id, event_seq, event_type, payload, $1, $1 FROM webhook_deliveries WHERE id = $2 RETURNING id`,
			stamp(now), id).Scan(&newID)
		if err != nil {
			return notFound(err, "未找到该推送记录")
		}
		s.enqueued(tx, WebhookOutbox)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.WebhookDelivery(ctx, newID)
}

// webhookTable is the deliveries as an outbox. A delivery is due only at
// the head of its line: no earlier delivery of the same subscription and
// case still pending (in flight or waiting to be retried), so the events
// of a case reach each receiver in order, whichever node sends them; and
// only while its subscription is live.
var webhookTable = outboxTable{table: "webhook_deliveries", done: "delivered_at", eligible: `NOT EXISTS (SELECT 1 FROM webhook_deliveries p
		WHERE p.subscription_id = webhook_deliveries.subscription_id AND p.case_id = webhook_deliveries.case_id AND p.id < webhook_deliveries.id
			AND p.delivered_at IS NULL AND p.failed_at IS NULL)
	AND EXISTS (SELECT 1 FROM webhook_subscriptions s WHERE s.id = webhook_deliveries.subscription_id AND s.paused_at IS NULL AND s.deleted_at IS NULL)`}

// ClaimWebhookDeliveries leases up to limit due deliveries (heads of their
// lines) until now+lease, counting an attempt on each, in a transaction
// that commits before anything is sent; on PostgreSQL concurrent claims
// take disjoint batches.
func (s *Store) ClaimWebhookDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit, maxAttempts int) ([]*webhook.Delivery, error) {
	var out []*webhook.Delivery
	err := s.update(ctx, func(tx *sql.Tx) error {
		claimed, err := s.claimOutbox(ctx, tx, webhookTable, now, lease, limit, maxAttempts)
		if err != nil || len(claimed) == 0 {
			return err
		}
		ids := make([]int64, 0, len(claimed))
		for id := range claimed {
			ids = append(ids, id)
		}
		// The due deliveries behind each claimed head come along in the
		// same claim: sent after it in one round instead of one round
		// each. No other node can take them meanwhile: their head is
		// pending.
		in, args := idList(ids, 3)
		rows, err := tx.QueryContext(ctx, `UPDATE webhook_deliveries SET attempts = attempts + 1, claimed_until = $1, next_attempt_at = $1
			WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2 AND id NOT IN (`+in+`)
				AND (subscription_id, case_id) IN (SELECT subscription_id, case_id FROM webhook_deliveries WHERE id IN (`+in+`))
			RETURNING id`, append([]any{stamp(now.Add(lease)), stamp(now)}, args...)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		in, args = idList(ids, 1)
		rows, err = tx.QueryContext(ctx, deliveryColumns+` WHERE w.id IN (`+in+`) ORDER BY w.id`, args...)
		if err != nil {
			return err
		}
		if out, err = scanDeliveries(rows); err != nil {
			return err
		}
		last := map[[2]any]*webhook.Delivery{}
		for _, d := range out {
			line := [2]any{d.SubscriptionID, d.CaseNumber}
			d.After = last[line]
			last[line] = d
		}
		return nil
	})
	return out, err
}

// DeliveryOutcome is what became of one claimed delivery, with the
// receiver's answer.
type DeliveryOutcome struct {
	Outcome
	ResponseCode int // 0: no answer came
}

// ReportWebhookDeliveries records the outcomes of claimed deliveries and
// pauses the subscription of every delivery given up for good, all in one
// transaction; it returns the subscriptions it paused.
func (s *Store) ReportWebhookDeliveries(ctx context.Context, now time.Time, outcomes []DeliveryOutcome, reason string) ([]int64, error) {
	var paused []int64
	err := s.update(ctx, func(tx *sql.Tx) error {
		plain := make([]Outcome, len(outcomes))
		for i, o := range outcomes {
			plain[i] = o.Outcome
			if o.Skipped {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET response_code = $1, responded_at = $2 WHERE id = $3 AND attempts = $4`,
				o.ResponseCode, stamp(now), o.ID, o.Attempt); err != nil {
				return err
			}
		}
		if err := s.reportOutbox(ctx, tx, webhookTable, now, plain); err != nil {
			return err
		}
		for _, o := range outcomes {
			if o.Skipped || o.Err == "" || !o.RetryAt.IsZero() {
				continue
			}
			var sub int64
			err := tx.QueryRowContext(ctx, `UPDATE webhook_subscriptions SET paused_at = $1, paused_reason = $2, updated_at = $1
				WHERE id = (SELECT subscription_id FROM webhook_deliveries WHERE id = $3 AND failed_at IS NOT NULL) AND paused_at IS NULL RETURNING id`,
				stamp(now), reason, o.ID).Scan(&sub)
			if err == sql.ErrNoRows {
				continue
			}
			if err != nil {
				return err
			}
			paused = append(paused, sub)
		}
		return nil
	})
	return paused, err
}

// PausedWebhooks returns the department's paused subscriptions (every
// department's for ""), without their delivery counts: the admin pages
// show them above every page.
func (s *Store) PausedWebhooks(ctx context.Context, department string) ([]webhook.Subscription, error) {
	where, args := ` WHERE s.deleted_at IS NULL AND s.paused_at IS NOT NULL`, []any{}
	if department != "" {
		where += ` AND d.code = $1`
		args = append(args, department)
	}
	rows, err := s.read.QueryContext(ctx, subscriptionColumns+where+` ORDER BY d.code, s.id`, args...)
	if err != nil {
		return nil, mapErr(err, "paused webhooks")
	}
	out, err := s.scanSubscriptions(rows)
	return out, mapErr(err, "paused webhooks")
}

// WebhookBacklog counts the deliveries waiting, in flight and failed.
func (s *Store) WebhookBacklog(ctx context.Context, now time.Time) (OutboxBacklog, error) {
	return s.outboxBacklog(ctx, webhookTable, now)
}
