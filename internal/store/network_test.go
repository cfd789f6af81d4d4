package store_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/network"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestHallScopeVersions: versions per hall, a stale edit refused.
func TestHallScopeVersions(t *testing.T) {
	t.Parallel()
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "system"))
		for _, h := range []string{demo.LiuyinHall, demo.XinqiaoHall} {
			none, err := st.HallScopeVersions(ctx, h)
			must(t, err)
			if len(none) != 0 {
				t.Fatalf("no scope published yet at %s: %+v", h, none)
			}
		}
		if one, ok, err := st.HallScope(ctx, demo.LiuyinHall); err != nil || ok {
			t.Fatalf("no scope published yet: %+v, %v, %v", one, ok, err)
		}
		sc := network.DefaultScope(demo.LiuyinHall)
		sc.AllItems, sc.Items, sc.Issues, sc.PublishedBy = false, []string{"RSJ-GG-001"}, false, "admin"
		must(t, st.PublishHallScope(ctx, &sc, 0))
		if sc.Version != 1 {
			t.Fatalf("version %d", sc.Version)
		}
		wantCode(t, st.PublishHallScope(ctx, &sc, 0), apperr.Conflict)
		sc.Items = append(sc.Items, "SCJG-XK-001")
		must(t, st.PublishHallScope(ctx, &sc, 1))
		one, ok, err := st.HallScope(ctx, demo.LiuyinHall)
		must(t, err)
		if !ok || one.Hall != demo.LiuyinHall || one.Version != 2 || len(one.Items) != 2 || one.PublishedBy != "admin" || !one.PublishedAt.Equal(start) {
			t.Fatalf("the hall's scope in force: %+v, %v", one, ok)
		}
		if other, ok, err := st.HallScope(ctx, demo.XinqiaoHall); err != nil || ok {
			t.Fatalf("another hall has none: %+v, %v, %v", other, ok, err)
		}
		vs, err := st.HallScopeVersions(ctx, demo.LiuyinHall)
		must(t, err)
		if len(vs) != 2 || vs[1].Version != 1 || len(vs[1].Items) != 1 {
			t.Fatalf("versions: %+v", vs)
		}
	})
}

// streetCase saves a case taken in at a street hall whose paper travels.
func streetCase(t *testing.T, st *store.Store, at time.Time) *casework.Case {
	t.Helper()
	c := &casework.Case{
		ItemCode: "SCJG-XK-001", ItemVersion: 1, ItemName: "食品经营许可（新办）", DepartmentCode: "SCJG",
		Kind: catalog.Promised, PromisedDays: 5, State: casework.Received, Channel: casework.AtWindow, HallCode: demo.XinqiaoHall,
		Applicant: casework.Party{Kind: casework.Entity, Name: "某某餐饮有限公司", IDType: identity.CreditCode, IDNumber: "91320120MA1XK5T2QF", Phone: "13800000000"},
		Delivery:  casework.Delivery{Method: casework.Pickup}, CheckCode: "123456", ReceivedAt: at, ReceivedBy: "shouli3",
		Transit: &casework.Transit{From: demo.XinqiaoHall, To: demo.DistrictHall, Trip: 1, Since: at},
	}
	ev := &casework.Event{Type: casework.ActIntake, Actor: "shouli3", Role: "intake", Desk: "web", At: at, To: casework.Received, Details: json.RawMessage(`{"paper_travels":true}`)}
	must(t, st.CreateCase(t.Context(), c, ev, casework.Opened))
	return c
}

// TestTransitBatch: a street case's trip waits, a batch takes it (never
// twice), and signing in changes the batch and the case in one
// transaction; a send-back puts a new trip on the waiting list.
func TestTransitBatch(t *testing.T) {
	t.Parallel()
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "system"))
		c1 := streetCase(t, st, start)
		c2 := streetCase(t, st, start.Add(time.Minute))
		waiting, err := st.WaitingTrips(ctx, demo.XinqiaoHall)
		must(t, err)
		if len(waiting) != 2 || waiting[0].Case != c1.Number || waiting[0].To != demo.DistrictHall || !waiting[0].Since.Equal(start) {
			t.Fatalf("waiting: %+v", waiting)
		}
		if other, _ := st.WaitingTrips(ctx, demo.BinheHall); len(other) != 0 {
			t.Fatal("another hall's paper")
		}
		run := start.Add(24 * time.Hour)
		b, err := network.NewBatch(network.Paper, demo.XinqiaoHall, demo.DistrictHall, run,
			[]network.Entry{{Case: c1.Number, Trip: 1}, {Case: c2.Number, Trip: 1}}, start.Add(time.Hour), "shouli3")
		must(t, err)
		must(t, st.CreateBatch(ctx, b))
		if b.Number == "" || b.ID == 0 {
			t.Fatalf("batch not numbered: %+v", b)
		}
		again, _ := network.NewBatch(network.Paper, demo.XinqiaoHall, demo.DistrictHall, run, []network.Entry{{Case: c1.Number, Trip: 1}}, start.Add(time.Hour), "shouli3")
		wantCode(t, st.CreateBatch(ctx, again), apperr.Conflict)
		if waiting, _ = st.WaitingTrips(ctx, demo.XinqiaoHall); len(waiting) != 0 {
			t.Fatalf("batched paper still waiting: %+v", waiting)
		}
		_, err = st.UpdateBatch(ctx, b.Number, func(b *network.Batch) (map[string]store.ChangeFunc, error) {
			return nil, b.SignOut(start.Add(2*time.Hour), "shouli3", "王师傅")
		})
		must(t, err)
		arrival := start.Add(25 * time.Hour)
		sys := casework.Actor{System: true, Desk: "system"}
		env := casework.Env{Cal: calendar.New(calendar.Published(2026, 2026), calendar.DefaultSettings()), Now: arrival}
		out, err := st.UpdateBatch(ctx, b.Number, func(b *network.Batch) (map[string]store.ChangeFunc, error) {
			arrived, back, err := b.SignIn(arrival, "shouli", nil)
			if err != nil {
				return nil, err
			}
			_ = back
			changes := map[string]store.ChangeFunc{}
			for _, e := range arrived {
				changes[e.Case] = func(c *casework.Case) (casework.Change, error) {
					return casework.ArrivePaper(c, b.Number, e.Trip, sys, env)
				}
			}
			changes[c2.Number] = func(c *casework.Case) (casework.Change, error) {
				return casework.SendBackPaper(c, b.Number, 1, "申请书缺失", sys, env)
			}
			return changes, nil
		})
		must(t, err)
		got, err := st.TransitBatch(ctx, b.Number)
		must(t, err)
		if out.State != network.Arrived || got.State != network.Arrived || got.Courier != "王师傅" || got.Version != 3 {
			t.Fatalf("batch after sign-in: %+v", got)
		}
		arrivedCase, err := st.Case(ctx, c1.Number)
		must(t, err)
		if arrivedCase.PaperInTransit() || arrivedCase.Deadlines.HandoverBy.IsZero() {
			t.Fatalf("arrived case: %+v %+v", arrivedCase.Transit, arrivedCase.Deadlines)
		}
		waiting, err = st.WaitingTrips(ctx, demo.XinqiaoHall)
		must(t, err)
		if len(waiting) != 1 || waiting[0].Case != c2.Number || waiting[0].Trip != 2 {
			t.Fatalf("the paper sent back waits again: %+v", waiting)
		}
		list, err := st.TransitBatches(ctx, store.BatchFilter{Hall: demo.DistrictHall, States: []network.BatchState{network.Arrived}})
		must(t, err)
		if len(list) != 1 || list[0].Number != b.Number {
			t.Fatalf("batches: %+v", list)
		}
	})
}

// TestTransitCargo: a case's paper, result and receipt trips are kept
// apart (each numbered from 1): a result trip waits at the district hall
// beside the same case's arrived paper, a result batch takes only the
// result trip, TripBatch finds it, and batches filter by cargo.
func TestTransitCargo(t *testing.T) {
	t.Parallel()
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "system"))
		c := streetCase(t, st, start)
		at := start.Add(time.Hour)
		_, err := st.UpdateCase(ctx, c.Number, func(c *casework.Case) (casework.Change, error) {
			c.Transit.ArrivedAt, c.Transit.Batch = at, "JJ1"
			c.ResultTransit = &casework.Transit{From: demo.DistrictHall, To: demo.XinqiaoHall, Trip: 1, Since: at}
			return casework.Change{Event: &casework.Event{Type: casework.ActSubmitResult, Actor: "shenpi", Role: "reviewer", Desk: "web", At: at,
				From: casework.Received, To: casework.Received, Details: json.RawMessage(`{"result_travels":true}`)}}, nil
		})
		must(t, err)
		waiting, err := st.WaitingTrips(ctx, demo.DistrictHall)
		must(t, err)
		if len(waiting) != 1 || waiting[0].Cargo != network.Result || waiting[0].Trip != 1 || waiting[0].To != demo.XinqiaoHall {
			t.Fatalf("the result waits at the district hall: %+v", waiting)
		}
		if paper, _ := st.WaitingTrips(ctx, demo.XinqiaoHall); len(paper) != 1 || paper[0].Cargo != network.Paper {
			t.Fatalf("the paper trip stays as it was (the store keeps trips, the batch takes them): %+v", paper)
		}
		if b, err := st.TripBatch(ctx, c.Number, network.Result, 1); err != nil || b != nil {
			t.Fatalf("no batch yet: %v %+v", err, b)
		}
		b, err := network.NewBatch(network.Result, demo.DistrictHall, demo.XinqiaoHall, start.Add(24*time.Hour),
			[]network.Entry{{Case: c.Number, Trip: 1}}, at, "chujian")
		must(t, err)
		must(t, st.CreateBatch(ctx, b))
		found, err := st.TripBatch(ctx, c.Number, network.Result, 1)
		must(t, err)
		if found == nil || found.Number != b.Number || found.Cargo != network.Result {
			t.Fatalf("the result's batch: %+v", found)
		}
		// A batch of another cargo cannot take the result's trip.
		wrong, _ := network.NewBatch(network.Receipt, demo.DistrictHall, demo.XinqiaoHall, start.Add(24*time.Hour),
			[]network.Entry{{Case: c.Number, Trip: 1}}, at, "chujian")
		wantCode(t, st.CreateBatch(ctx, wrong), apperr.Conflict)
		for cargo, n := range map[network.Cargo]int{network.Result: 1, network.Paper: 0, network.Receipt: 0} {
			list, err := st.TransitBatches(ctx, store.BatchFilter{Cargo: cargo})
			must(t, err)
			if len(list) != n {
				t.Errorf("%s batches: %d, want %d", cargo, len(list), n)
			}
		}
	})
}
