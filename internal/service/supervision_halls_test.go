package service_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/network"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/supervision"
)

// hallsWithStreetCase is the supervised hall (four cases at the district
// center, D collected there) and one case E at the 滨河 street center:
// taken in on Friday 2026-10-16 at 10:00, its paper carried in a batch
// and signed in at the district hall on Monday 10:00 (8 working hours in
// transit), decided, and collected at the street on 10-21. D is rated
// very dissatisfied, E very satisfied.
func hallsWithStreetCase(t *testing.T, clk *clock.Manual, st *store.Store) (*service.Service, map[string]context.Context, map[string]string) {
	t.Helper()
	svc, as, n := supervisedHall(t, clk, st)
	at := func(when string) { clk.Set(sh(when)) }
	at("2026-10-16 10:00")
	v, err := svc.Intake(as["shouli2"], deskApplication(false))
	if err != nil {
		t.Fatal(err)
	}
	n["E"] = v.Case.Number
	b, err := svc.PrepareBatch(as["shouli2"], service.PrepareBatchInput{To: demo.DistrictHall, Confirm: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SignOutBatch(as["shouli2"], b.Number, service.SignOutInput{Courier: "王师傅", Confirm: true}); err != nil {
		t.Fatal(err)
	}
	at("2026-10-19 10:00")
	if _, err := svc.SignInBatch(as["shouli"], b.Number, service.SignInInput{Confirm: true}); err != nil {
		t.Fatal(err)
	}
	// 吴婷 holds the street's issuance desk too: she switches to it.
	u, err := svc.SwitchDesk(service.WithRequest(as["shouli2"], service.Request{ID: "t", Channel: "web"}), "issuance")
	if err != nil {
		t.Fatal(err)
	}
	as["chujian2"] = service.WithRequest(service.WithUser(context.Background(), u), service.Request{ID: "t", Channel: "web"})
	for _, s := range []struct {
		user, when string
		action     casework.Action
		in         casework.Input
	}{
		{"shenpi", "2026-10-19 11:00", casework.ActHandover, casework.Input{}},
		{"shenpi", "2026-10-19 11:30", casework.ActAccept, casework.Input{}},
		{"shenpi", "2026-10-20 10:00", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "JY13501020260109"}},
		{"shenpi", "2026-10-20 10:30", casework.ActSubmitResult, casework.Input{}},
		{"", "2026-10-20 10:30", "", casework.Input{}}, // the result travels to the street (below)
		{"chujian2", "2026-10-20 14:00", casework.ActAcceptResult, casework.Input{}},
		{"chujian2", "2026-10-21 09:30", casework.ActDeliver, casework.Input{Signer: "李明", SignerIDType: identity.ResidentID, SignerIDNumber: "11010519491231002X"}},
	} {
		at(s.when)
		if s.action == "" {
			// The result goes to the street in a batch (issue 15 item 3),
			// signed out and in at once: no working time on the road, so
			// the street's transit figures stay the paper's.
			rb, err := svc.PrepareBatch(as["chujian"], service.PrepareBatchInput{Cargo: network.Result, To: demo.BinheHall, Confirm: true})
			if err != nil {
				t.Fatalf("E: result batch: %v", err)
			}
			if _, err := svc.SignOutBatch(as["chujian"], rb.Number, service.SignOutInput{Courier: "王师傅", Confirm: true}); err != nil {
				t.Fatalf("E: result sign-out: %v", err)
			}
			if _, err := svc.SignInBatch(as["chujian2"], rb.Number, service.SignInInput{Confirm: true}); err != nil {
				t.Fatalf("E: result sign-in: %v", err)
			}
			continue
		}
		if _, err := svc.Act(as[s.user], n["E"], s.action, s.in, 0); err != nil {
			t.Fatalf("E: %s %s: %v", s.user, s.action, err)
		}
	}
	for name, level := range map[string]rating.Level{"D": rating.VeryDissatisfied, "E": rating.VerySatisfied} {
		c, err := st.Case(context.Background(), n[name])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RateCase(context.Background(), n[name], c.CheckCode, rating.Input{Level: level, Channel: rating.PC}); err != nil {
			t.Fatalf("rate %s: %v", name, err)
		}
	}
	at("2026-10-30 10:00")
	return svc, as, n
}

// TestHallFigures: one row per hall in the order of the hall tree; each
// column equals the cases (intake, steps, transit, pickups, ratings) and
// its drill-down lists them; a hall manager reads their own row only; the
// rebuilt figures equal the live ones.
func TestHallFigures(t *testing.T) {
	clk := clock.At(sh("2026-09-30 09:30"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		svc, as, n := hallsWithStreetCase(t, clk, st)
		sv := svc.Supervision()
		rows, err := sv.Halls(as["jiandu"], octPeriod)
		if err != nil {
			t.Fatal(err)
		}
		byHall := map[string]service.HallFigures{}
		seen := map[string]bool{}
		for i, r := range rows {
			byHall[r.Hall] = r
			if r.Name == "" || r.Name == r.Hall {
				t.Errorf("row %d named %q", i, r.Name)
			}
			if r.Parent != "" && !seen[r.Parent] {
				t.Errorf("%s comes before its parent %s", r.Hall, r.Parent)
			}
			seen[r.Hall] = true
		}
		if len(rows) != 4 || rows[0].Hall != demo.DistrictHall || rows[1].Hall != demo.BinheHall || rows[2].Hall != demo.LiuyinHall || rows[2].Depth != 2 {
			t.Fatalf("rows %+v", rows)
		}
		district, binhe := byHall[demo.DistrictHall], byHall[demo.BinheHall]
		if district.Intake != 4 || binhe.Intake != 1 || byHall[demo.LiuyinHall].Intake != 0 {
			t.Errorf("intake: district %d, 滨河 %d", district.Intake, binhe.Intake)
		}
		if district.Pickups != 1 || binhe.Pickups != 1 {
			t.Errorf("pickups: district %d, 滨河 %d", district.Pickups, binhe.Pickups)
		}
		if tr := binhe.Transit; tr.Trips != 1 || tr.Minutes != 480 || tr.Mean == nil || *tr.Mean != 480 || tr.P90 == nil || *tr.P90 != 8 {
			t.Errorf("滨河 transit %+v, want one trip of 8 working hours", tr)
		}
		if tr := district.Transit; tr.Trips != 0 || tr.Mean != nil || tr.P90 != nil {
			t.Errorf("district transit %+v", tr)
		}
		if district.Ratings != 1 || district.Bad != 1 || district.Satisfaction == nil || *district.Satisfaction != 0 ||
			binhe.Ratings != 1 || binhe.Satisfaction == nil || *binhe.Satisfaction != 1 {
			t.Errorf("ratings: district %d/%d %v, 滨河 %d %v", district.Ratings, district.Bad, district.Satisfaction, binhe.Ratings, binhe.Satisfaction)
		}
		// On time: the punctuality of the cases taken in at each hall.
		punct, err := sv.Punctuality(as["jiandu"], service.Period{From: octPeriod.From, To: octPeriod.To, Group: supervision.ByHall})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range punct {
			if byHall[p.Key].Punctuality != p.Punctuality {
				t.Errorf("%s: on time %+v, punctuality by hall %+v", p.Key, byHall[p.Key].Punctuality, p.Punctuality)
			}
		}
		if binhe.Counted() == 0 || binhe.OnTimeRate == nil {
			t.Errorf("滨河 steps %+v", binhe.Punctuality)
		}
		// The transit time equals the holding time charged to the transit.
		hold, err := sv.Holding(as["jiandu"], service.Period{From: octPeriod.From, To: octPeriod.To, Group: supervision.ByHall, Key: demo.BinheHall})
		if err != nil || len(hold) != 1 {
			t.Fatalf("holding: %v %+v", err, hold)
		}
		for _, h := range hold[0].Holders {
			if h.Holder == supervision.Transit && h.Minutes != binhe.Transit.Minutes {
				t.Errorf("holding in transit %d minutes, trips %d", h.Minutes, binhe.Transit.Minutes)
			}
		}
		// Every number's drill-down lists what it counts.
		p := service.Period{From: octPeriod.From, To: octPeriod.To, Group: supervision.ByHall}
		for _, r := range rows {
			in, err := sv.Intakes(as["jiandu"], p, r.Hall, 100, 0)
			if err != nil || int64(in.Total) != r.Intake {
				t.Errorf("%s: intake %d, drill-down %v %+v", r.Hall, r.Intake, err, in)
			}
			steps, err := sv.Steps(as["jiandu"], service.StepQuery{Period: p, GroupKey: r.Hall})
			if err != nil || int64(steps.Total) != r.Counted() {
				t.Errorf("%s: steps %d, drill-down %v %+v", r.Hall, r.Counted(), err, steps)
			}
			for kind, want := range map[supervision.MoveKind]int64{supervision.MoveTransit: r.Transit.Trips, supervision.MovePickup: r.Pickups} {
				l, err := sv.HallMoves(as["jiandu"], p, r.Hall, kind, 100, 0)
				if err != nil || int64(l.Total) != want || len(l.Moves) != l.Total {
					t.Errorf("%s %s: figure %d, drill-down %v %+v", r.Hall, kind, want, err, l)
				}
			}
		}
		tr, _ := sv.HallMoves(as["jiandu"], p, demo.BinheHall, supervision.MoveTransit, 10, 0)
		if len(tr.Moves) != 1 || tr.Moves[0].Number != n["E"] || tr.Moves[0].Minutes != 480 || !tr.Moves[0].At.Equal(sh("2026-10-19 10:00")) {
			t.Errorf("滨河 trips %+v", tr.Moves)
		}
		pk, _ := sv.HallMoves(as["jiandu"], p, demo.DistrictHall, supervision.MovePickup, 10, 0)
		if len(pk.Moves) != 1 || pk.Moves[0].Number != n["D"] {
			t.Errorf("district pickups %+v", pk.Moves)
		}
		if district.RatingCases == "" || district.IntakeCases == "" || district.PickupCases == "" || binhe.Transit.Cases == "" {
			t.Errorf("links missing: %+v", district)
		}

		// A hall manager: their own row, the same numbers; another hall's
		// drill-down refused. A desk clerk: refused.
		mine, err := sv.Halls(as["dating"], octPeriod)
		if err != nil || len(mine) != 1 || mine[0].Hall != demo.DistrictHall {
			t.Fatalf("hall manager: %v %+v", err, mine)
		}
		if m := mine[0]; m.Intake != district.Intake || m.Punctuality != district.Punctuality || m.Pickups != district.Pickups ||
			m.Ratings != district.Ratings || m.RatingCases != "" {
			t.Errorf("hall manager's row %+v, supervisor's %+v", m, district)
		}
		if _, err := sv.HallMoves(as["dating"], p, demo.BinheHall, supervision.MoveTransit, 10, 0); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("another hall's trips: %v", err)
		}
		if _, err := sv.Halls(as["shouli"], octPeriod); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a desk clerk: %v", err)
		}
		if _, err := sv.HallMoves(as["jiandu"], p, demo.BinheHall, "mail", 10, 0); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("an unknown kind: %v", err)
		}
		bad := octPeriod
		bad.To = "2026-08-01"
		if _, err := sv.Halls(as["jiandu"], bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("to before from: %v", err)
		}

		// Rebuilt from the events, the figures are the same.
		if _, err := sv.Rebuild(as["admin"]); err != nil {
			t.Fatal(err)
		}
		again, err := sv.Halls(as["jiandu"], octPeriod)
		if err != nil {
			t.Fatal(err)
		}
		for i := range rows {
			a, b := rows[i], again[i]
			if a.Intake != b.Intake || a.Punctuality != b.Punctuality || a.Pickups != b.Pickups || a.Transit.Trips != b.Transit.Trips ||
				a.Transit.Minutes != b.Transit.Minutes || a.Ratings != b.Ratings || a.Bad != b.Bad {
				t.Errorf("%s rebuilt %+v, live %+v", a.Hall, b, a)
			}
		}
		tr2, _ := sv.HallMoves(as["jiandu"], p, demo.BinheHall, supervision.MoveTransit, 10, 0)
		if tr2.Total != 1 {
			t.Errorf("rebuilt trips %+v", tr2)
		}

		// D's bad rating, appealed and upheld, no longer counts: live and
		// rebuilt alike.
		rects, err := svc.Rectifications(as["admin"], service.RectificationFilter{State: rating.Open})
		if err != nil || len(rects) != 1 {
			t.Fatalf("rectifications: %v %+v", err, rects)
		}
		id := rects[0].Rectification.ID
		if _, err := svc.ActOnRectification(as["bumen"], id, rating.ActAppeal, rating.StepInput{Note: "申请人误评，有录音为证"}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ActOnRectification(as["jiandu"], id, rating.ActUphold, rating.StepInput{Note: "成立"}, 0); err != nil {
			t.Fatal(err)
		}
		for _, when := range []string{"upheld", "rebuilt"} {
			if when == "rebuilt" {
				if _, err := sv.Rebuild(as["admin"]); err != nil {
					t.Fatal(err)
				}
			}
			rows, err := sv.Halls(as["jiandu"], octPeriod)
			if err != nil {
				t.Fatal(err)
			}
			if d := rows[0]; d.Ratings != 0 || d.Bad != 0 || d.Satisfaction != nil || rows[1].Ratings != 1 {
				t.Errorf("%s: district %d ratings (%d bad), 滨河 %d", when, d.Ratings, d.Bad, rows[1].Ratings)
			}
		}
	})
}
