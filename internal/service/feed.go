package service

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/apiclient"
	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/webhook"
)

// EventsQuery asks the event feed for what follows a cursor.
type EventsQuery struct {
	After string // the cursor of the last event read; "" from the first, "end" from now on
	Limit int    // at most this many events (default 100, at most 1000)
	// Wait, if positive, holds the request open until an event comes or
	// the wait runs out (long polling; at most MaxFeedWait).
	Wait time.Duration
}

// EventPage is one read of the feed.
type EventPage struct {
	Events []webhook.CaseEvent `json:"events"`
	// Cursor is where to ask from next: the last event's cursor, or the
	// one asked from when nothing came.
	Cursor string `json:"cursor"`
}

// MaxFeedWait is the longest a long poll is held open: well within the
// server's 60 s write timeout.
const MaxFeedWait = 45 * time.Second

// feedRecheck is how often a waiting read looks again without being
// woken: commits on other nodes wake only their own node's readers, and on
// PostgreSQL an event committed here may be held back by a transaction
// still running elsewhere.
const feedRecheck = time.Second

// feedScope returns the department whose cases the actor may read in the
// feed ("" all of them): the case visibility rule (a department's roles
// see their department's cases; the bureau's roles see every case;
// applicants and agents none). A department system needs scope
// events:read and reads as a reviewer of its department.
func feedScope(ctx context.Context) (string, error) {
	if a := ActorFrom(ctx); a != nil && a.Client != nil {
		// A department system reads its department's events with
		// events:read alone (it need not read cases through the API).
		if err := needScope(ctx, apiclient.ScopeEventsRead); err != nil {
			return "", err
		}
		return a.Client.DepartmentCode, nil
	}
	a, err := require(ctx, "读取办件事件", org.RoleReviewer, org.RoleDeptAdmin, org.RoleAdmin, org.RoleSupervisor, org.RoleIntake, org.RoleIssuance, org.RoleHallManager)
	if err != nil {
		return "", err
	}
	if a.System {
		return "", nil
	}
	if a.User.Role.NeedsDepartment() {
		return a.User.DepartmentCode, nil
	}
	return "", nil
}

// Events reads the event feed: the case events the actor may see, in the
// order their transactions committed, after q.After. With q.Wait it waits
// for the next event when there is none yet, woken by the commit that
// appends it.
func (s *Integration) Events(ctx context.Context, q EventsQuery) (*EventPage, error) {
	dept, err := feedScope(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case q.Limit == 0:
		q.Limit = 100
	case q.Limit < 0 || q.Limit > 1000:
		return nil, apperr.Field("limit", "每次最多读取 1000 条")
	}
	if q.Wait < 0 || q.Wait > MaxFeedWait {
		return nil, apperr.Field("wait", "等待时间须在 0 至 45 秒之间")
	}
	if q.After == "end" {
		if q.After, err = s.store.FeedEnd(ctx); err != nil {
			return nil, err
		}
	}
	var deadline <-chan time.Time
	if q.Wait > 0 {
		t := time.NewTimer(q.Wait)
		defer t.Stop()
		deadline = t.C
	}
	for {
		woken := s.feedSignal.wait() // before the read: a commit during it is not missed
		events, err := s.store.Feed(ctx, store.FeedQuery{After: q.After, Limit: q.Limit, Department: dept})
		if err != nil {
			return nil, err
		}
		if len(events) > 0 || deadline == nil {
			page := &EventPage{Events: events, Cursor: q.After}
			if len(events) > 0 {
				page.Cursor = events[len(events)-1].Position
			}
			return page, nil
		}
		recheck := time.NewTimer(feedRecheck)
		select {
		case <-ctx.Done():
			recheck.Stop()
			return &EventPage{Events: events, Cursor: q.After}, nil
		case <-deadline:
			recheck.Stop()
			return &EventPage{Events: events, Cursor: q.After}, nil
		case <-woken:
		case <-recheck.C:
		}
		recheck.Stop()
	}
}
