package service

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
)

// MetricsSnapshot is what the metrics read on each scrape: figures the
// database and this node hold at the moment.
type MetricsSnapshot struct {
	// Open cases by the warning of their next deadline: red (passed),
	// yellow (within the warning's working days) and none (the rest,
	// those without a running deadline included).
	OpenCases map[string]int
	// RedIdle are the red cases nobody has changed for a working day (since
	// this time on the working day before today's).
	RedIdle int
	// Backlogs are the outboxes' queues: "notifications" and "webhooks"
	// (the webhook deliveries), and any added with AddBacklog.
	Backlogs []OutboxFigures
	// BoardClients are the display-board streams this node holds open,
	// by hall.
	BoardClients map[string]int
}

// OutboxFigures are one outbox's queue at the moment.
type OutboxFigures struct {
	Name      string
	Pending   int           // waiting or in flight
	InFlight  int           // claimed, being sent
	Failed    int           // given up after the last attempt
	OldestAge time.Duration // how long the oldest waiting item has waited; 0 when none
}

// BacklogSource reports one more outbox to the metrics (AddBacklog).
type BacklogSource func(ctx context.Context, now time.Time) (OutboxFigures, error)

// AddBacklog makes src's outbox part of every MetricsSnapshot.
func (s *Service) AddBacklog(src BacklogSource) { s.backlogs = append(s.backlogs, src) }

// MetricsSnapshot reads the figures the metrics show on a scrape: three
// cheap queries (open cases on their partial index, each outbox's
// backlog) and this node's counters.
func (s *Service) MetricsSnapshot(ctx context.Context) (MetricsSnapshot, error) {
	env, err := s.env(ctx)
	if err != nil {
		return MetricsSnapshot{}, err
	}
	yellowBy := env.Cal.AddWorkingDays(env.Now, env.Cal.Settings().YellowDays)
	c, err := s.store.OpenCaseWarnings(ctx, env.Now, yellowBy, workingDayAgo(env.Cal, env.Now))
	if err != nil {
		return MetricsSnapshot{}, err
	}
	snap := MetricsSnapshot{
		OpenCases:    map[string]int{"red": c.Red, "yellow": c.Yellow, "none": c.Open - c.Red - c.Yellow},
		RedIdle:      c.RedIdle,
		BoardClients: s.guard.boardHalls.Counts(),
	}
	for _, o := range []struct {
		name string
		read func(context.Context, time.Time) (store.OutboxBacklog, error)
	}{{"notifications", s.store.NotificationBacklog}, {"webhooks", s.store.WebhookBacklog}} {
		b, err := o.read(ctx, env.Now)
		if err != nil {
			return MetricsSnapshot{}, err
		}
		f := OutboxFigures{Name: o.name, Pending: b.Pending, InFlight: b.InFlight, Failed: b.Failed}
		if !b.Oldest.IsZero() {
			f.OldestAge = max(env.Now.Sub(b.Oldest), 0)
		}
		snap.Backlogs = append(snap.Backlogs, f)
	}
	for _, src := range s.backlogs {
		f, err := src(ctx, env.Now)
		if err != nil {
			return MetricsSnapshot{}, err
		}
		snap.Backlogs = append(snap.Backlogs, f)
	}
	return snap, nil
}

// workingDayAgo is the same time of day on the last working day before
// now's day: a change older than it is more than a working day old.
func workingDayAgo(cal *calendar.Calendar, now time.Time) time.Time {
	now = now.In(clock.Shanghai)
	d := calendar.DateOf(now).AddDays(-1)
	for i := 0; i < 60 && !cal.IsWorkingDay(d); i++ {
		d = d.AddDays(-1)
	}
	return d.At(now.Hour(), now.Minute())
}
