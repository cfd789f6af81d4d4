package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apiclient"
	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/webhook"
)

// WebhookInput is a subscription as its maker writes it.
type WebhookInput struct {
	Department  string   // the bureau admin names it; a department's own admin or client makes its own
	URL         string   // where to post
	EventTypes  []string // CloudEvents types; none means all
	ItemCodes   []string // only cases of these items; none means all
	Description string
}

// WebhookCreated is a new subscription with its signing secret, shown this
// once only.
type WebhookCreated struct {
	*webhook.Subscription
	Secret string `json:"secret"`
}

// webhookScope returns the department whose subscriptions the actor
// manages ("" every department's): the department admin its own, the
// bureau admin all, and a department system (an API client with scope
// events:read) its department's, acting as itself.
func webhookScope(ctx context.Context) (*Actor, string, error) {
	if a := ActorFrom(ctx); a != nil && a.Client != nil {
		if err := needScope(ctx, apiclient.ScopeEventsRead); err != nil {
			return nil, "", err
		}
		return a, a.Client.DepartmentCode, nil
	}
	a, err := require(ctx, "管理事件推送订阅", org.RoleDeptAdmin, org.RoleAdmin)
	if err != nil {
		return nil, "", err
	}
	if a.System || a.User.Role == org.RoleAdmin {
		return a, "", nil
	}
	return a, a.User.DepartmentCode, nil
}

// ownWebhook loads a subscription the actor manages; another department's
// is not there.
func (s *Integration) ownWebhook(ctx context.Context, id int64) (*Actor, *webhook.Subscription, error) {
	a, dept, err := webhookScope(ctx)
	if err != nil {
		return nil, nil, err
	}
	w, err := s.store.Webhook(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if dept != "" && w.DepartmentCode != dept {
		return nil, nil, apperr.New(apperr.NotFound, "未找到该推送订阅")
	}
	return a, w, nil
}

// apply puts the input's fields on w and checks them, the address against
// the network rule too.
func (s *Integration) apply(ctx context.Context, w *webhook.Subscription, in WebhookInput) error {
	w.URL = strings.TrimSpace(in.URL)
	w.EventTypes, w.ItemCodes = clean(in.EventTypes), clean(in.ItemCodes)
	w.Description = strings.TrimSpace(in.Description)
	if err := w.Validate(); err != nil {
		return err
	}
	return s.netGuard.Check(ctx, w.URL)
}

// clean trims, drops empties and duplicates, and sorts.
func clean(v []string) []string {
	var out []string
	for _, x := range v {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

// CreateWebhook makes a subscription of a department: its address is
// refused if it resolves to a loopback, link-local or private address
// (unless serve --webhook-allow lets it). It returns the signing secret,
// which is never shown again.
func (s *Integration) CreateWebhook(ctx context.Context, in WebhookInput) (*WebhookCreated, error) {
	a, dept, err := webhookScope(ctx)
	if err != nil {
		return nil, err
	}
	if dept == "" {
		dept = in.Department
	} else if in.Department != "" && in.Department != dept {
		return nil, apperr.Field("department", "只能为本部门订阅")
	}
	if dept != "" {
		if _, err := s.store.Department(ctx, dept); err != nil {
			return nil, apperr.Field("department", "未知的部门："+dept)
		}
	}
	now := s.clock.Now()
	w := &webhook.Subscription{DepartmentCode: dept, CreatedBy: a.Name(), CreatedAt: now, UpdatedAt: now}
	if a.Client != nil {
		w.ClientID, w.CreatedBy = a.Client.ID, a.Client.Name
	}
	if err := s.apply(ctx, w, in); err != nil {
		return nil, err
	}
	secret := webhook.NewSecret(now)
	w.Secrets = []webhook.Secret{secret}
	if err := s.store.CreateWebhook(ctx, w); err != nil {
		return nil, err
	}
	s.log.Info("webhook subscribed", "subscription", w.ID, "department", dept, "by", a.Name())
	return &WebhookCreated{Subscription: w, Secret: secret.Key}, nil
}

// PausedWebhooks returns the subscriptions the actor manages that paused
// themselves after failing for the retry period (not those paused by hand): the
// department admin's and the bureau admin's pages show them on top, which
// is how both are told that a subscription gave up after failing for the
// retry period (staff accounts have no address to send to).
func (s *Integration) PausedWebhooks(ctx context.Context) ([]webhook.Subscription, error) {
	_, dept, err := webhookScope(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.store.PausedWebhooks(ctx, dept)
	if err != nil {
		return nil, err
	}
	var out []webhook.Subscription
	for _, w := range all {
		if w.PausedReason == pausedReason { // not those an admin paused
			out = append(out, w)
		}
	}
	return out, nil
}

// Webhooks lists the subscriptions the actor manages, with their delivery
// counts.
func (s *Integration) Webhooks(ctx context.Context) ([]webhook.Subscription, error) {
	_, dept, err := webhookScope(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.Webhooks(ctx, dept)
}

// Webhook returns one subscription the actor manages.
func (s *Integration) Webhook(ctx context.Context, id int64) (*webhook.Subscription, error) {
	_, w, err := s.ownWebhook(ctx, id)
	return w, err
}

// UpdateWebhook changes a subscription's address, filters and description.
func (s *Integration) UpdateWebhook(ctx context.Context, id int64, in WebhookInput) (*webhook.Subscription, error) {
	_, w, err := s.ownWebhook(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.apply(ctx, w, in); err != nil {
		return nil, err
	}
	w.UpdatedAt = s.clock.Now()
	return w, s.store.UpdateWebhook(ctx, w)
}

// PauseWebhook stops or (resume) restarts deliveries to a subscription.
// Resumed, what was queued before the pause goes out in order; events of
// the paused time were not queued (the event feed has them).
func (s *Integration) PauseWebhook(ctx context.Context, id int64, pause bool) (*webhook.Subscription, error) {
	a, w, err := s.ownWebhook(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if pause && !w.Paused() {
		who := a.Name()
		switch {
		case a.Client != nil:
			who = a.Client.Name
		case a.User != nil && a.User.Name != "":
			who = a.User.Name // a person's real name: the pages show the reason
		}
		w.PausedAt, w.PausedReason = now, "由 "+who+" 暂停"
	} else if !pause {
		w.PausedAt, w.PausedReason = time.Time{}, ""
	}
	w.UpdatedAt = now
	if err := s.store.UpdateWebhook(ctx, w); err != nil {
		return nil, err
	}
	if !pause {
		s.hooks.Nudge()
	}
	return w, nil
}

// RotateWebhookSecret gives a subscription a new signing secret, shown
// this once; the old one goes on signing beside it for the rotation grace
// (24 h), so the receiver can switch without losing a message.
func (s *Integration) RotateWebhookSecret(ctx context.Context, id int64) (*WebhookCreated, error) {
	_, w, err := s.ownWebhook(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	secrets, fresh := webhook.Rotate(w.Secrets, now, s.cfg.Webhooks.RotationGrace)
	w.Secrets, w.UpdatedAt = secrets, now
	if err := s.store.UpdateWebhook(ctx, w); err != nil {
		return nil, err
	}
	return &WebhookCreated{Subscription: w, Secret: fresh.Key}, nil
}

// DeleteWebhook deletes a subscription; its delivery log stays.
func (s *Integration) DeleteWebhook(ctx context.Context, id int64) error {
	if _, _, err := s.ownWebhook(ctx, id); err != nil {
		return err
	}
	return s.store.DeleteWebhook(ctx, id, s.clock.Now())
}

// WebhookDeliveries returns a subscription's delivery log, newest first,
// 50 a page; before pages on.
func (s *Integration) WebhookDeliveries(ctx context.Context, id, before int64) ([]*webhook.Delivery, error) {
	if _, _, err := s.ownWebhook(ctx, id); err != nil {
		return nil, err
	}
	return s.store.WebhookDeliveries(ctx, id, before, 50)
}

// RedeliverWebhook sends a delivery's event again (with the same
// webhook-id, so the receiver can tell), at the end of its case's line.
func (s *Integration) RedeliverWebhook(ctx context.Context, deliveryID int64, confirm bool) (*webhook.Delivery, error) {
	if !confirm {
		return nil, apperr.Field("confirm", "请确认重新推送")
	}
	if _, _, err := webhookScope(ctx); err != nil {
		return nil, err
	}
	d, err := s.store.WebhookDelivery(ctx, deliveryID)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.ownWebhook(ctx, d.SubscriptionID); err != nil {
		return nil, apperr.New(apperr.NotFound, "未找到该推送记录")
	}
	return s.store.RedeliverWebhook(ctx, deliveryID, s.clock.Now())
}
