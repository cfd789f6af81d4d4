// Package outbox runs the dispatchers that deliver what an outbox table
// holds: work written in the same transaction as the change that causes it
// (the applicants' notifications; webhook deliveries can reuse it).
//
// A Dispatcher works in rounds. It claims a batch of due items: the claim
// counts an attempt on each and leases it, in a transaction of its own that
// commits before anything is sent, so a database that cannot be written
// sends nothing and a notice can never go out without its attempt counted.
// It sends the batch with bounded concurrency, one item after the other
// among those sharing a key (one recipient's notices stay in order), then
// reports every outcome in one more transaction: done, due again after an
// exponential back-off with jitter, or failed for good after the last
// attempt. Several nodes may run dispatchers on one database: the claims
// are disjoint. A dispatcher wakes at each tick and when nudged after a
// commit that queued work, and stops cleanly when its context ends.
//
// The package knows nothing of SQL: a Queue (the store) claims and
// records.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Queue is where a dispatcher takes its work from and reports back to.
type Queue[T any] interface {
	// Claim leases up to limit items due at now until now+lease, counting
	// an attempt on each, and commits before returning them.
	Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]T, error)
	// Report records the outcomes of claimed items, all in one
	// transaction.
	Report(ctx context.Context, now time.Time, outcomes []Outcome[T]) error
}

// Outcome is what became of one claimed item.
type Outcome[T any] struct {
	Item    T
	Attempt int       // the attempt the claim counted
	Err     error     // nil: delivered
	RetryAt time.Time // after a failure, when the item is due again; zero: failed for good
	// Skipped: never tried, because the dispatcher ran out of time or was
	// stopped; the attempt is given back and the item is due at once.
	Skipped bool
}

// Settings are a dispatcher's numbers.
type Settings struct {
	Retry       Retry
	Batch       int           // items per claim
	Concurrency int           // sends at once
	Lease       time.Duration // how long a claim holds its items; a batch starts no send after half of it
	SendTimeout time.Duration // the longest one send may take
	Interval    time.Duration // the tick: how often to look without being nudged
	// Coalesce is the least time between the starts of two rounds when the
	// first did not fill its batch: nudges after many small commits then
	// make one round, not one each.
	Coalesce time.Duration
}

// DefaultSettings are batches of 200, 16 sends at once, a 2-minute lease,
// 20 s per send, a 5 s tick, at most 20 nudged rounds a second, and 10
// attempts over about an hour and a half (10 s, 20 s, 40 s … capped at an
// hour, each with jitter).
func DefaultSettings() Settings {
	return Settings{
		Retry:       Retry{Attempts: 10, Base: 10 * time.Second, Max: time.Hour},
		Batch:       200,
		Concurrency: 16,
		Lease:       2 * time.Minute,
		SendTimeout: 20 * time.Second,
		Interval:    5 * time.Second,
		Coalesce:    50 * time.Millisecond,
	}
}

// Validate checks the settings.
func (s Settings) Validate() error {
	switch {
	case s.Batch < 1 || s.Concurrency < 1:
		return errorf("batch %d and concurrency %d must be at least 1", s.Batch, s.Concurrency)
	case s.Lease <= 0 || s.SendTimeout <= 0 || s.Interval <= 0 || s.Coalesce < 0:
		return errorf("lease, send timeout and interval must be positive")
	case s.SendTimeout > s.Lease/4:
		return errorf("a send (%s) must fit well within the lease (%s): at most a quarter of it", s.SendTimeout, s.Lease)
	}
	return s.Retry.Validate()
}

// Config is how a dispatcher works: its settings and what it delivers.
type Config[T any] struct {
	Settings
	Name    string                               // for the log: "notifications"
	Send    func(ctx context.Context, t T) error // delivers one item
	Attempt func(t T) int                        // the attempt the claim counted (1 for the first)
	// Key, if set, orders delivery: items with the same key are sent one
	// after the other in the order claimed.
	Key func(t T) string
	// Permanent, if set, tells an error no retry can cure: the item fails
	// at once.
	Permanent func(err error) bool
	// Describe, if set, gives log attributes of an item (never personal
	// data unmasked).
	Describe func(t T) []any
	Now      func() time.Time // the clock the store's times are on
	Log      *slog.Logger
}

// Validate checks the configuration.
func (c Config[T]) Validate() error {
	if c.Send == nil || c.Attempt == nil || c.Now == nil || c.Log == nil {
		return errorf("%s: Send, Attempt, Now and Log are required", c.Name)
	}
	if err := c.Settings.Validate(); err != nil {
		return fmt.Errorf("%s: %w", c.Name, err)
	}
	return nil
}

// Dispatcher delivers the items of one Queue.
type Dispatcher[T any] struct {
	queue Queue[T]
	cfg   Config[T]
	wake  chan struct{}
}

// New returns a dispatcher of q; it fails on settings that make no sense.
func New[T any](q Queue[T], cfg Config[T]) (*Dispatcher[T], error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Dispatcher[T]{queue: q, cfg: cfg, wake: make(chan struct{}, 1)}, nil
}

// Nudge wakes the dispatcher: work was just queued. It never blocks;
// nudges while a round runs make one more round.
func (d *Dispatcher[T]) Nudge() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends: a round at once, then after each tick or
// nudge, and straight on while rounds fill their batch. A round in flight
// when ctx ends starts no more sends, lets those under way finish and
// records their outcomes.
func (d *Dispatcher[T]) Run(ctx context.Context) {
	tick := time.NewTicker(d.cfg.Interval)
	defer tick.Stop()
	for {
		began := time.Now()
		claimed, _, err := d.Round(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			d.cfg.Log.Error("outbox: round failed", "outbox", d.cfg.Name, "err", err)
		} else if claimed == d.cfg.Batch {
			continue // more is due
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-d.wake:
			if wait := d.cfg.Coalesce - time.Since(began); wait > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				}
			}
		}
	}
}

// Drain runs rounds until one finds less than a batch due, and returns how
// many items were delivered.
func (d *Dispatcher[T]) Drain(ctx context.Context) (int, error) {
	total := 0
	for {
		claimed, done, err := d.Round(ctx)
		total += done
		if err != nil || claimed < d.cfg.Batch || ctx.Err() != nil {
			return total, err
		}
	}
}

// Round claims one batch, sends it and reports the outcomes. It returns
// how many items it claimed and how many it delivered. A claim that fails
// sends nothing; a report that fails leaves the items leased, to be tried
// again (their attempt counted) when the lease runs out.
func (d *Dispatcher[T]) Round(ctx context.Context) (claimed, delivered int, err error) {
	items, err := d.queue.Claim(ctx, d.cfg.Now(), d.cfg.Lease, d.cfg.Batch)
	if err != nil {
		return 0, 0, fmt.Errorf("claim %s: %w", d.cfg.Name, err)
	}
	if len(items) == 0 {
		return 0, 0, nil
	}
	outcomes := d.send(ctx, items)
	for _, o := range outcomes {
		if !o.Skipped && o.Err == nil {
			delivered++
		}
	}
	// The outcomes are recorded even when ctx has ended: the sends happened.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := d.queue.Report(rctx, d.cfg.Now(), outcomes); err != nil {
		return len(items), delivered, fmt.Errorf("report %s: %w", d.cfg.Name, err)
	}
	return len(items), delivered, nil
}

// send delivers items with at most Concurrency sends at once, keeping the
// order of items with the same key, and returns one outcome per item. No
// send starts once ctx has ended or half the lease has passed: those items
// are skipped, so no claim outlives its lease while it sends.
func (d *Dispatcher[T]) send(ctx context.Context, items []T) []Outcome[T] {
	deadline := time.Now().Add(d.cfg.Lease / 2)
	outcomes := make([]Outcome[T], len(items))
	// Group the items by key, each group in claim order.
	var groups [][]int
	byKey := map[string]int{}
	for i, it := range items {
		outcomes[i] = Outcome[T]{Item: it, Attempt: d.cfg.Attempt(it)}
		key := ""
		if d.cfg.Key != nil {
			key = d.cfg.Key(it)
		}
		if g, ok := byKey[key]; ok && key != "" {
			groups[g] = append(groups[g], i)
			continue
		}
		byKey[key] = len(groups)
		groups = append(groups, []int{i})
	}
	work := make(chan []int)
	var wg sync.WaitGroup
	for range min(d.cfg.Concurrency, len(groups)) {
		wg.Go(func() {
			for group := range work {
				for _, i := range group {
					if ctx.Err() != nil || time.Now().After(deadline) {
						outcomes[i].Skipped = true
						continue
					}
					d.deliver(ctx, &outcomes[i])
				}
			}
		})
	}
	for _, g := range groups {
		work <- g
	}
	close(work)
	wg.Wait()
	return outcomes
}

// deliver sends one item and decides what follows a failure.
func (d *Dispatcher[T]) deliver(ctx context.Context, o *Outcome[T]) {
	// A send under way finishes even if ctx ends meanwhile: cut off, its
	// result would be unknown and the item sent twice.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.cfg.SendTimeout)
	defer cancel()
	o.Err = d.cfg.Send(sctx, o.Item)
	if o.Err == nil {
		return
	}
	attrs := []any{"outbox", d.cfg.Name, "attempt", o.Attempt, "err", o.Err}
	if d.cfg.Describe != nil {
		attrs = append(attrs, d.cfg.Describe(o.Item)...)
	}
	if d.cfg.Retry.Final(o.Attempt) || (d.cfg.Permanent != nil && d.cfg.Permanent(o.Err)) {
		d.cfg.Log.Error("outbox: failed for good", attrs...)
		return
	}
	o.RetryAt = d.cfg.Now().Add(d.cfg.Retry.Delay(o.Attempt))
	d.cfg.Log.Warn("outbox: send failed, will retry", append(attrs, "retry_at", o.RetryAt)...)
}

func errorf(format string, args ...any) error {
	return errors.New("outbox: " + fmt.Sprintf(format, args...))
}
