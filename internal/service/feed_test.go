package service_test

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

func TestEventFeedVisibilityAndLongPoll(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		v, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		// SCJG's reviewer sees its case; GHZY's does not; the bureau sees all; applicants' agents nothing.
		for who, want := range map[string]int{"shenpi": 1, "shenpi2": 0, "admin": 1, "jiandu": 1} {
			p, err := svc.Events(as[who], service.EventsQuery{})
			if err != nil || len(p.Events) != want {
				t.Errorf("%s reads %v events (%v), want %d", who, p, err, want)
			}
		}
		if _, err := svc.Events(as["daiban"], service.EventsQuery{}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("an agent reads the feed: %v", err)
		}
		if _, err := svc.Events(as["anonymous"], service.EventsQuery{}); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("nobody reads the feed: %v", err)
		}
		first, err := svc.Events(as["shenpi"], service.EventsQuery{})
		if err != nil || first.Events[0].Number != v.Case.Number || first.Events[0].Seq != 1 || first.Events[0].State != "received" {
			t.Fatalf("first page %+v %v", first, err)
		}
		// A long poll is answered by the commit of the next event, not by its timeout.
		type result struct {
			p   *service.EventPage
			err error
			in  time.Duration
		}
		done := make(chan result, 1)
		go func() {
			began := time.Now()
			p, err := svc.Events(as["shenpi"], service.EventsQuery{After: first.Cursor, Wait: 20 * time.Second})
			done <- result{p, err, time.Since(began)}
		}()
		time.Sleep(200 * time.Millisecond)
		if _, err := svc.Act(as["shenpi"], v.Case.Number, casework.ActAccept, casework.Input{}, 0); err != nil {
			t.Fatal(err)
		}
		r := <-done
		if r.err != nil || len(r.p.Events) != 1 || r.p.Events[0].Seq != 2 || r.p.Events[0].Type != "cn.gov.onewindow.case.accepted" {
			t.Fatalf("long poll: %+v %v", r.p, r.err)
		}
		if r.in > 5*time.Second {
			t.Errorf("long poll answered after %s", r.in)
		}
		// Nothing new: the wait runs out and the cursor stays.
		p, err := svc.Events(as["shenpi"], service.EventsQuery{After: r.p.Cursor, Wait: 300 * time.Millisecond})
		if err != nil || len(p.Events) != 0 || p.Cursor != r.p.Cursor {
			t.Fatalf("empty long poll %+v %v", p, err)
		}
		if p, err := svc.Events(as["shenpi"], service.EventsQuery{After: "end"}); err != nil || len(p.Events) != 0 || p.Cursor != r.p.Cursor {
			t.Fatalf("from the end: %+v %v", p, err)
		}
		if _, err := svc.Events(as["shenpi"], service.EventsQuery{Limit: 5000}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("limit 5000: %v", err)
		}
	})
}
