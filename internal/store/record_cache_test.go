package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// svCase takes in a promised case whose acceptance and handover are due
// (supervision steps) and returns its number.
func svCase(t *testing.T, st *store.Store) string {
	t.Helper()
	c, ev := svNewCase()
	must(t, st.CreateCase(t.Context(), c, ev, func(c *casework.Case, ev *casework.Event) casework.Change {
		return casework.Change{Event: ev}
	}))
	return c.Number
}

// svNewCase returns svCase's case and intake event, not yet taken in.
func svNewCase() (*casework.Case, *casework.Event) {
	c := &casework.Case{
		ItemCode: "SCJG-XK-001", ItemVersion: 1, ItemName: "食品经营许可", DepartmentCode: "SCJG",
		Kind: catalog.Promised, PromisedDays: 5, State: casework.Received, Channel: casework.AtWindow, HallCode: demo.DistrictHall,
		Applicant: casework.Party{Kind: casework.Entity, Name: "江川区味来餐饮管理有限公司", Phone: "13912345678"},
		Delivery:  casework.Delivery{Method: casework.Pickup}, CheckCode: "123456",
		ReceivedAt: start, ReceivedBy: "shouli",
	}
	details, _ := json.Marshal(map[string]any{"deadlines": casework.Deadlines{AcceptBy: start.AddDate(0, 0, 2), HandoverBy: start.Add(3 * time.Hour)}})
	ev := &casework.Event{Type: casework.ActIntake, Actor: "shouli", Role: "intake", Desk: "web", At: start,
		To: casework.Received, Details: details}
	return c, ev
}

// svStep is a change of a supervised case: action by actor at at, to state
// to, with the event's details.
func svStep(action casework.Action, actor string, at time.Time, to casework.State, details map[string]any) store.ChangeFunc {
	return func(c *casework.Case) (casework.Change, error) {
		raw, _ := json.Marshal(details)
		from := c.State
		c.State = to
		return casework.Change{Event: &casework.Event{Type: action, Actor: actor, Role: "reviewer", Desk: "web", At: at,
			From: from, To: to, Details: raw}}, nil
	}
}

// sameAsRebuilt fails t unless the rollups st kept live equal what a
// rebuild from the events counts, and the case's record the rebuilt one.
func sameAsRebuilt(t *testing.T, st *store.Store, number string) {
	t.Helper()
	ctx := t.Context()
	live, err := st.RollupRows(ctx)
	must(t, err)
	rec, _, err := st.CaseRecord(ctx, number)
	must(t, err)
	if _, err := st.RebuildRollups(ctx); err != nil {
		t.Fatal(err)
	}
	rebuilt, err := st.RollupRows(ctx)
	must(t, err)
	if len(live) == 0 || !slices.Equal(live, rebuilt) {
		t.Errorf("live rollups differ from the rebuilt ones:\nlive    %v\nrebuilt %v", live, rebuilt)
	}
	again, _, err := st.CaseRecord(ctx, number)
	must(t, err)
	a, _ := json.Marshal(rec)
	b, _ := json.Marshal(again)
	if string(a) != string(b) {
		t.Errorf("the case's live record differs from the rebuilt one:\nlive    %s\nrebuilt %s", a, b)
	}
}

// TestRecordCacheHit: a case folded on one node (rollup_log.go) folds on
// from its record as its last fold there left it, not decoded, and counts
// what decoding would have.
func TestRecordCacheHit(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		n := svCase(t, st)
		must(t, st.FoldRollupLog(ctx))
		before := st.RecordCacheStats()
		_, err := st.UpdateCase(ctx, n, svStep(casework.ActHandover, "shenpi", start.Add(4*time.Hour), casework.Received, map[string]any{"on_time": false}))
		must(t, err)
		must(t, st.FoldRollupLog(ctx))
		_, err = st.UpdateCase(ctx, n, svStep(casework.ActAccept, "shenpi", start.Add(26*time.Hour), casework.Accepted,
			map[string]any{"decide_by": start.AddDate(0, 0, 7)}))
		must(t, err)
		must(t, st.FoldRollupLog(ctx))
		if got := st.RecordCacheStats(); got.Hits-before.Hits != 2 || got.Misses != before.Misses {
			t.Errorf("two folds after the intake's: %+v, then %+v; want two hits", before, got)
		}
		sameAsRebuilt(t, st, n)
	})
}

// TestRecordCacheRolledBack: a change whose transaction rolls back after
// it folded and wrote the case's record (a failed savepoint of a group
// commit on SQLite) leaves nothing the next change takes.
func TestRecordCacheRolledBack(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		n := svCase(t, st)
		_, err := st.UpdateCase(ctx, n, svStep(casework.ActHandover, "shenpi", start.Add(time.Hour), casework.Received, map[string]any{}))
		must(t, err)
		boom := errors.New("boom")
		err = st.Update(ctx, func(tx *sql.Tx) error {
			if _, err := st.UpdateCaseTx(ctx, tx, n, svStep(casework.ActAccept, "shenpi", start.Add(2*time.Hour), casework.Accepted,
				map[string]any{"decide_by": start.AddDate(0, 0, 7)})); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("the change that fails after the case's: %v", err)
		}
		// Accepted late the second time: had the rolled-back record been
		// taken, the acceptance would stay counted on time.
		_, err = st.UpdateCase(ctx, n, svStep(casework.ActAccept, "shenpi", start.AddDate(0, 0, 3), casework.Accepted,
			map[string]any{"on_time": false, "decide_by": start.AddDate(0, 0, 9)}))
		must(t, err)
		_, err = st.UpdateCase(ctx, n, svStep(casework.ActPause, "shenpi", start.AddDate(0, 0, 4), casework.Accepted, map[string]any{}))
		must(t, err)
		sameAsRebuilt(t, st, n)
	})
}

// TestRecordCacheOtherNode: a case folded on another node in between is
// decoded again, never taken as this node's last fold left it.
func TestRecordCacheOtherNode(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			nodes := storetest.OpenNodes(t, d, clock.At(start), 2)
			a, b := nodes[0], nodes[1]
			ctx := context.Background()
			must(t, a.Load(ctx, demoSeed(), "test"))
			n := svCase(t, a)
			_, err := a.UpdateCase(ctx, n, svStep(casework.ActHandover, "shenpi", start.Add(time.Hour), casework.Received, map[string]any{}))
			must(t, err)
			must(t, a.FoldRollupLog(ctx))
			_, err = b.UpdateCase(ctx, n, svStep(casework.ActAccept, "shenpi", start.Add(2*time.Hour), casework.Accepted,
				map[string]any{"decide_by": start.AddDate(0, 0, 7)}))
			must(t, err)
			must(t, b.FoldRollupLog(ctx))
			before := a.RecordCacheStats()
			_, err = a.UpdateCase(ctx, n, svStep(casework.ActDecide, "shenpi", start.AddDate(0, 0, 2), casework.Decided,
				map[string]any{"outcome": "approve"}))
			must(t, err)
			must(t, a.FoldRollupLog(ctx))
			if got := a.RecordCacheStats(); got.Misses-before.Misses != 1 || got.Hits != before.Hits {
				t.Errorf("a fold after another node's: %+v, then %+v; want one miss", before, got)
			}
			sameAsRebuilt(t, a, n)
		})
	}
}

// TestRecordCacheConflict: on PostgreSQL a change that meets another
// node's change of its case fails only when its batch reaches the server,
// after it wrote the case's record; the next change decodes the record the
// other node wrote. (SQLite's one writer serialises the two changes.)
func TestRecordCacheConflict(t *testing.T) {
	if !slices.Contains(storetest.Dialects(), store.Postgres) {
		t.Skip("PostgreSQL only: set ONEWINDOW_TEST_POSTGRES")
	}
	nodes := storetest.OpenNodes(t, store.Postgres, clock.At(start), 2)
	a, b := nodes[0], nodes[1]
	ctx := context.Background()
	must(t, a.Load(ctx, demoSeed(), "test"))
	n := svCase(t, a)
	_, err := a.UpdateCase(ctx, n, svStep(casework.ActHandover, "shenpi", start.Add(time.Hour), casework.Received, map[string]any{}))
	must(t, err)
	accept := svStep(casework.ActAccept, "shenpi", start.Add(2*time.Hour), casework.Accepted, map[string]any{"decide_by": start.AddDate(0, 0, 7)})
	_, err = a.UpdateCase(ctx, n, func(c *casework.Case) (casework.Change, error) {
		// The other node accepts the case late while this one changes it.
		if _, err := b.UpdateCase(ctx, n, svStep(casework.ActAccept, "shenpi", start.AddDate(0, 0, 3), casework.Accepted,
			map[string]any{"on_time": false, "decide_by": start.AddDate(0, 0, 9)})); err != nil {
			return casework.Change{}, err
		}
		return accept(c)
	})
	wantCode(t, err, apperr.Conflict)
	_, err = a.UpdateCase(ctx, n, svStep(casework.ActPause, "shenpi", start.AddDate(0, 0, 4), casework.Accepted, map[string]any{}))
	must(t, err)
	sameAsRebuilt(t, a, n)
}
