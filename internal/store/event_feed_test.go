package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/webhook"
)

// feedCase takes in a case of item (of department dept) at at.
func feedCase(t *testing.T, st *store.Store, item, dept string, at time.Time) *casework.Case {
	t.Helper()
	c := &casework.Case{
		ItemCode: item, ItemVersion: 1, ItemName: "事项", DepartmentCode: dept,
		Kind: catalog.Promised, PromisedDays: 5, State: casework.Received, Channel: casework.AtWindow, HallCode: demo.DistrictHall,
		Applicant: casework.Party{Kind: casework.Entity, Name: "江川区味来餐饮管理有限公司", Phone: "13912345678"},
		Delivery:  casework.Delivery{Method: casework.Pickup}, CheckCode: "123456",
		ReceivedAt: at, ReceivedBy: "shouli", Deadlines: casework.Deadlines{AcceptBy: at.AddDate(0, 0, 2)},
	}
	ev := &casework.Event{Type: casework.ActIntake, Actor: "shouli", Role: "intake", Desk: "web", At: at,
		To: casework.Received, Details: json.RawMessage(`{}`)}
	must(t, st.CreateCase(t.Context(), c, ev, func(c *casework.Case, ev *casework.Event) casework.Change {
		return casework.Change{Event: ev}
	}))
	return c
}

// feedStep records one more event on the case that keeps its state.
func feedStep(st *store.Store, number string, at time.Time, a casework.Action, to casework.State) error {
	_, err := st.UpdateCase(context.Background(), number, func(c *casework.Case) (casework.Change, error) {
		from := c.State
		c.State = to
		return casework.Change{Event: &casework.Event{Type: a, Actor: "shenpi", Role: "reviewer", Desk: "api", At: at,
			From: from, To: to, Details: json.RawMessage(`{}`)}}, nil
	})
	return err
}

// readAll reads the feed from after until it is empty.
func readAll(t *testing.T, st *store.Store, after, dept string) ([]webhook.CaseEvent, string) {
	t.Helper()
	var out []webhook.CaseEvent
	for {
		page, err := st.Feed(t.Context(), store.FeedQuery{After: after, Limit: 2, Department: dept})
		must(t, err)
		if len(page) == 0 {
			return out, after
		}
		out = append(out, page...)
		after = page[len(page)-1].Position
	}
}

func TestFeedCursor(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		must(t, st.Load(t.Context(), demoSeed(), "test"))
		a := feedCase(t, st, "SCJG-XK-001", "SCJG", start)
		must(t, feedStep(st, a.Number, start.Add(time.Minute), casework.ActAccept, casework.Accepted))
		other := demo.Load().Items[len(demo.Load().Items)-1]
		b := feedCase(t, st, other.Code, other.DepartmentCode, start.Add(2*time.Minute))
		must(t, feedStep(st, a.Number, start.Add(3*time.Minute), casework.ActPause, casework.Accepted))

		all, end := readAll(t, st, "", "")
		got := []string{}
		for _, e := range all {
			got = append(got, fmt.Sprintf("%s/%d/%s/%s", e.Number, e.Seq, e.Action, e.State))
		}
		want := []string{a.Number + "/1/intake/received", a.Number + "/2/accept/accepted", b.Number + "/1/intake/received", a.Number + "/3/pause/accepted"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("feed %v\nwant %v", got, want)
		}
		if all[0].Type != "cn.gov.onewindow.case.received" || all[1].Type != "cn.gov.onewindow.case.accepted" {
			t.Errorf("types %s, %s", all[0].Type, all[1].Type)
		}
		if len(all[0].Deadlines) != 1 || all[0].Deadlines[0].Name != "accept_by" || !all[0].Deadlines[0].At.Equal(start.AddDate(0, 0, 2)) {
			t.Errorf("intake's deadlines after the change: %+v", all[0].Deadlines)
		}
		if all[0].ItemCode != "SCJG-XK-001" || all[0].Department != "SCJG" {
			t.Errorf("event names item %s of %s", all[0].ItemCode, all[0].Department)
		}
		// From a cursor on: only what follows.
		rest, _ := readAll(t, st, all[1].Position, "")
		if len(rest) != 2 || rest[0].Number != b.Number {
			t.Errorf("after the second event: %+v", rest)
		}
		// Nothing after the end; the end is where a new reader starts.
		if more, _ := readAll(t, st, end, ""); len(more) != 0 {
			t.Errorf("after the end: %+v", more)
		}
		fe, err := st.FeedEnd(t.Context())
		must(t, err)
		if fe != end {
			t.Errorf("feed end %q, last cursor %q", fe, end)
		}
		// A department sees its own cases only.
		mine, _ := readAll(t, st, "", "SCJG")
		for _, e := range mine {
			if e.Department != "SCJG" {
				t.Errorf("SCJG reads %s of %s", e.Number, e.Department)
			}
		}
		if other.DepartmentCode != "SCJG" && len(mine) != 3 {
			t.Errorf("SCJG reads %d events, want 3", len(mine))
		}
		_, err = st.Feed(t.Context(), store.FeedQuery{After: "x", Limit: 10})
		wantField(t, err, "after")
		_, err = st.Feed(t.Context(), store.FeedQuery{After: "999999", Limit: 10})
		if st.Dialect() == store.Postgres {
			wantField(t, err, "after")
		}
	})
}

// TestFeedHoldsBackUncommitted: a PostgreSQL transaction takes a position,
// another takes the next one and commits first. The feed must not serve
// the second while the first may still commit, or a reader's cursor would
// pass the first for good.
func TestFeedHoldsBackUncommitted(t *testing.T) {
	if len(storetest.Dialects()) < 2 {
		t.Skip("PostgreSQL only")
	}
	st := storetest.Open(t, store.Postgres, clock.At(start))
	ctx := t.Context()
	must(t, st.Load(ctx, demoSeed(), "test"))
	a := feedCase(t, st, "SCJG-XK-001", "SCJG", start)
	_, end := readAll(t, st, "", "")

	slow, err := st.DB().BeginTx(ctx, nil)
	must(t, err)
	defer slow.Rollback()
	var slowPos int64
	must(t, slow.QueryRowContext(ctx, `INSERT INTO case_events (case_id, seq, type, actor, role, desk, at, from_state, to_state, details, prev_hash, hash)
		VALUES ($1, 99, 'pause', 'x', 'reviewer', 'api', $2, 'accepted', 'accepted', '{}', '', '') RETURNING position`, a.ID, start.UTC()).Scan(&slowPos))
	must(t, feedStep(st, a.Number, start.Add(time.Minute), casework.ActAccept, casework.Accepted)) // a later position, committed

	held, _ := readAll(t, st, end, "")
	if len(held) != 0 {
		t.Fatalf("the feed served %+v while an earlier position was uncommitted", held)
	}
	must(t, slow.Commit())
	got, _ := readAll(t, st, end, "")
	if len(got) != 2 || got[0].Position != fmt.Sprint(slowPos) || got[1].Seq != 2 {
		t.Fatalf("after the slow commit: %+v (slow position %d)", got, slowPos)
	}
}

// TestFeedConcurrentWriters: writers on several nodes change cases while a
// reader follows the feed all along; the reader sees every event exactly
// once.
func TestFeedConcurrentWriters(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			nodes := storetest.OpenNodes(t, d, clock.At(start), 3)
			ctx := t.Context()
			must(t, nodes[0].Load(ctx, demoSeed(), "test"))
			const writers, steps = 6, 12
			cases := make([]*casework.Case, writers)
			for i := range cases {
				cases[i] = feedCase(t, nodes[0], "SCJG-XK-001", "SCJG", start)
			}
			seen := map[string]int{}
			var mu sync.Mutex
			done := make(chan struct{})
			var readerErr error
			var readerWG sync.WaitGroup
			readerWG.Go(func() {
				after := ""
				read := func() int {
					page, err := nodes[2].Feed(ctx, store.FeedQuery{After: after, Limit: 7})
					if err != nil {
						readerErr = err
						return 0
					}
					mu.Lock()
					for _, e := range page {
						seen[fmt.Sprintf("%s/%d", e.Number, e.Seq)]++
					}
					mu.Unlock()
					if len(page) > 0 {
						after = page[len(page)-1].Position
					}
					return len(page)
				}
				for {
					select {
					case <-done:
						// Everything has committed; on PostgreSQL a
						// transaction elsewhere on the server may still
						// hold the feed back a moment (never make it skip).
						deadline := time.Now().Add(20 * time.Second)
						for time.Now().Before(deadline) {
							if read() == 0 {
								mu.Lock()
								n := len(seen)
								mu.Unlock()
								if n == writers*(steps+1) {
									return
								}
								time.Sleep(20 * time.Millisecond)
							}
						}
						return
					default:
						read()
					}
				}
			})
			var wg sync.WaitGroup
			for w := range writers {
				wg.Go(func() {
					node := nodes[w%2]
					for s := range steps {
						if err := feedStep(node, cases[w].Number, start.Add(time.Duration(s+1)*time.Second), casework.ActPause, casework.Received); err != nil {
							t.Errorf("writer %d step %d: %v", w, s, err)
							return
						}
					}
				})
			}
			wg.Wait()
			close(done)
			readerWG.Wait()
			must(t, readerErr)
			if want := writers * (steps + 1); len(seen) != want {
				t.Fatalf("the reader saw %d distinct events, want %d", len(seen), want)
			}
			for k, n := range seen {
				if n != 1 {
					t.Errorf("event %s seen %d times", k, n)
				}
			}
		})
	}
}
