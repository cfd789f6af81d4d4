package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/internal/outbox"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/webhook"
)

// webhookClient returns the HTTP client webhooks are sent with: it dials
// only addresses the guard permits (checked on the address connected to,
// so a name re-pointed at a private address after the subscription was
// made is refused), follows no redirect, and gives up after timeout.
func webhookClient(g webhook.Guard, timeout time.Duration) *http.Client {
	tr := &http.Transport{
		DialContext:           g.Dialer(timeout).DialContext,
		Proxy:                 nil, // a proxy would connect for us, past the guard
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
	}
	return &http.Client{Transport: tr, Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// webhookQueue is the deliveries table as the dispatcher's queue.
type webhookQueue struct {
	in          *Integration
	maxAttempts int
}

func (q webhookQueue) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*webhook.Delivery, error) {
	return q.in.store.ClaimWebhookDeliveries(ctx, now, lease, limit, q.maxAttempts)
}

// pausedReason is what a subscription paused for good failures says.
const pausedReason = "推送连续失败超过重试期限，已自动暂停；请检查接收地址后恢复"

func (q webhookQueue) Report(ctx context.Context, now time.Time, outcomes []outbox.Outcome[*webhook.Delivery]) error {
	rows := make([]store.DeliveryOutcome, len(outcomes))
	delivered := false
	for i, o := range outcomes {
		rows[i] = store.DeliveryOutcome{Outcome: store.Outcome{ID: o.Item.ID, Attempt: o.Attempt, RetryAt: o.RetryAt, Skipped: o.Skipped},
			ResponseCode: o.Item.ResponseCode}
		if o.Err != nil {
			rows[i].Err = o.Err.Error()
			if o.RetryAt.IsZero() && !o.Skipped {
				q.in.metrics.DeliveryFailed("webhook") // failed for good
			}
		} else if !o.Skipped {
			delivered = true
		}
	}
	paused, err := q.in.store.ReportWebhookDeliveries(ctx, now, rows, pausedReason)
	if err != nil {
		return err
	}
	for _, id := range paused {
		q.in.subscriptionPaused(ctx, id)
	}
	if delivered {
		// The next delivery of each case's line is due now.
		q.in.hooks.Nudge()
	}
	return nil
}

// subscriptionPaused tells the department admin and the bureau admin that
// a subscription was paused.
//
// Staff accounts have no address of their own to send to yet: the pause
// shows on the webhook pages of both admins (paused, with its reason) and
// is logged as an error for the operators.
func (s *Integration) subscriptionPaused(ctx context.Context, id int64) {
	w, err := s.store.Webhook(ctx, id)
	if err != nil {
		s.log.Error("webhook paused", "subscription", id, "err", err)
		return
	}
	s.log.Error("webhook paused after its deliveries failed for the retry period",
		"subscription", id, "department", w.DepartmentCode, "url", w.URL)
}

// newDispatcher returns the webhook dispatcher: deliveries of one case to
// one subscription in order, a refused address failing at once.
func (s *Integration) newDispatcher() (*outbox.Dispatcher[*webhook.Delivery], error) {
	cfg := outbox.Config[*webhook.Delivery]{Settings: s.cfg.Webhooks.Outbox}
	cfg.Name = "webhooks"
	cfg.Send = s.sendWebhook
	cfg.Attempt = func(d *webhook.Delivery) int { return d.Attempts }
	cfg.Key = func(d *webhook.Delivery) string {
		return strconv.FormatInt(d.SubscriptionID, 10) + "/" + d.CaseNumber
	}
	cfg.Permanent = func(err error) bool { return errors.Is(err, webhook.ErrForbiddenAddress) }
	cfg.Describe = func(d *webhook.Delivery) []any {
		return []any{"delivery", d.ID, "subscription", d.SubscriptionID, "case", d.CaseNumber, "seq", d.EventSeq}
	}
	cfg.Now = s.clock.Now
	cfg.Log = s.log
	return outbox.New(webhookQueue{in: s, maxAttempts: cfg.Retry.Attempts}, cfg)
}

// sendWebhook posts one delivery, signed with the subscription's live
// secrets; any 2xx answer delivers it. The answer's status is kept on the
// delivery for the log.
func (s *Integration) sendWebhook(ctx context.Context, d *webhook.Delivery) error {
	d.ResponseCode = 0
	if d.After != nil && !d.After.Sent {
		// The one before it in its line failed: in order, or not yet.
		return errLineWaits
	}
	w, err := s.store.Webhook(ctx, d.SubscriptionID)
	if err != nil {
		return err
	}
	h, err := webhook.SignHeaders(w.Secrets, d.MessageID(), time.Now(), d.Payload)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/cloudevents+json")
	req.Header.Set("User-Agent", "OneWindow-Webhooks/1")
	req.Header.Set("webhook-id", h.ID)
	req.Header.Set("webhook-timestamp", h.Timestamp)
	req.Header.Set("webhook-signature", h.Signature)
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	d.ResponseCode = resp.StatusCode
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	d.Sent = true
	return nil
}

// errLineWaits is the outcome of a delivery whose predecessor in its line
// failed in the same round: it is tried again after its back-off.
var errLineWaits = errors.New("等待同一办件的前一事件送达")
