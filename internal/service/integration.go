package service

import (
	"context"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/onewindow/onewindow/internal/outbox"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/webhook"
)

// Integration is the area of department systems: the event feed and the
// webhooks (issue 14 items 2 and 3). API clients of departments (scopes,
// keys) are wired into it where the feed and the webhooks check who asks:
// see feedScope and webhookScope.
type Integration struct {
	*base
	store integrationStore

	feedSignal signal                                // rung after every local commit that appended a case event
	hooks      *outbox.Dispatcher[*webhook.Delivery] // sends the webhook outbox: webhook_dispatch.go
	netGuard   webhook.Guard                         // which addresses webhooks may reach
	client     *http.Client                          // the webhooks' client, dialling through guard
}

// newIntegration wires the integration area on st.
func newIntegration(b *base, st *store.Store) *Integration {
	in := &Integration{base: b, store: st}
	in.netGuard = webhook.Guard{Allow: b.cfg.Webhooks.Allow}
	in.client = webhookClient(in.netGuard, b.cfg.Webhooks.Outbox.SendTimeout)
	hooks, err := in.newDispatcher()
	if err != nil {
		panic("service: webhooks: " + err.Error())
	}
	in.hooks = hooks
	st.OnEnqueued(store.EventFeed, in.feedSignal.ring)
	st.OnEnqueued(store.WebhookOutbox, in.hooks.Nudge)
	return in
}

// WebhookSettings are how webhooks are sent.
type WebhookSettings struct {
	Outbox outbox.Settings // batches, concurrency, timeouts; Retry.Base is serve --webhook-retry-base
	// GiveUpAfter is how long a delivery is retried before it is given up
	// and its subscription paused: 3 days.
	GiveUpAfter time.Duration
	// Allow lists the private networks webhooks may reach anyway (serve
	// --webhook-allow).
	Allow []netip.Prefix
	// RotationGrace is how long a rotated-out secret still signs.
	RotationGrace time.Duration
}

// DefaultWebhookSettings: 4 s, 8 s, 16 s … doubling to an hour, each with
// jitter, for 3 days; 10 s per send; 32 sends at once.
func DefaultWebhookSettings() WebhookSettings {
	o := outbox.DefaultSettings()
	o.SendTimeout = 10 * time.Second
	o.Concurrency = 32
	w := WebhookSettings{Outbox: o, GiveUpAfter: 72 * time.Hour, RotationGrace: 24 * time.Hour}
	w.SetRetryBase(4 * time.Second)
	return w
}

// SetRetryBase sets the first wait after a failure, and with it how many
// attempts fill GiveUpAfter.
func (w *WebhookSettings) SetRetryBase(base time.Duration) {
	w.Outbox.Retry = outbox.Retry{Base: base, Max: time.Hour}
	w.Outbox.Retry.Attempts = webhook.Attempts(base, time.Hour, w.GiveUpAfter)
}

// signal wakes every waiter at once: each waiter takes the channel, and
// ring closes it and starts a new one.
type signal struct {
	mu sync.Mutex
	c  chan struct{}
}

// wait returns a channel closed at the next ring.
func (s *signal) wait() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c == nil {
		s.c = make(chan struct{})
	}
	return s.c
}

// ring wakes the waiters; it never blocks.
func (s *signal) ring() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c != nil {
		close(s.c)
		s.c = nil
	}
}

// RunWebhooks sends the webhook outbox until ctx ends.
func (s *Integration) RunWebhooks(ctx context.Context) { s.hooks.Run(ctx) }

// DispatchWebhooks sends every webhook delivery due now, batch after
// batch, and returns how many were delivered.
func (s *Integration) DispatchWebhooks(ctx context.Context) (int, error) { return s.hooks.Drain(ctx) }
