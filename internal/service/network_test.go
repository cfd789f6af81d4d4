package service_test

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/network"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

func shAt(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, clock.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func wantErrCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("got %v, want %s", err, code)
	}
}

// runsOf returns the waiting paper's run per case number.
func runsOf(w *service.WaitingPaper) map[string]time.Time {
	out := map[string]time.Time{}
	for _, g := range w.Groups {
		for _, e := range g.Entries {
			out[e.Case] = g.Run
		}
	}
	return out
}

// TestStreetPaperTravels: a street centre's case of a district department
// waits for its run (the 15:00 boundary on a Friday, a holiday eve); the
// batch is prepared and signed out only at the street, signed in only at
// the district hall; the handover clock starts at the arrival, the
// acceptance deadline still counts from intake at the street; missing
// paper goes back and waits again.
func TestStreetPaperTravels(t *testing.T) {
	clk := clock.At(shAt("2026-12-04 14:59:59"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(shAt("2026-12-04 14:59:59")) // a Friday, a second before the cut-off
		svc, as := hall(t, st, clk)
		street, district := as["shouli2"], as["shouli"]
		before, err := svc.Intake(street, foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		c := before.Case
		if !c.PaperInTransit() || !c.Deadlines.HandoverBy.IsZero() || !c.Deadlines.AcceptBy.Equal(shAt("2026-12-08 17:00:00")) {
			t.Fatalf("street case: transit %+v, deadlines %+v", c.Transit, c.Deadlines)
		}
		clk.Set(shAt("2026-12-04 15:00:00"))
		after, err := svc.Intake(street, foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		// The department cannot sign for paper still on its way.
		_, err = svc.Act(as["shenpi"], c.Number, casework.ActHandover, casework.Input{}, 0)
		wantErrCode(t, err, apperr.Conflict)

		w, err := svc.WaitingAtMyHall(street, "")
		if err != nil {
			t.Fatal(err)
		}
		runs := runsOf(w)
		if !runs[c.Number].Equal(shAt("2026-12-07 10:00:00")) || !runs[after.Case.Number].Equal(shAt("2026-12-08 10:00:00")) {
			t.Fatalf("runs: %v", runs)
		}
		if w, _ := svc.WaitingAtMyHall(district, ""); len(w.Groups) != 0 {
			t.Fatal("the district hall's paper stays")
		}

		clk.Set(shAt("2026-12-04 16:00:00"))
		_, err = svc.PrepareBatch(district, service.PrepareBatchInput{To: demo.DistrictHall, Confirm: true})
		wantErrCode(t, err, apperr.Conflict) // nothing waits at the district hall
		_, err = svc.PrepareBatch(street, service.PrepareBatchInput{To: demo.DistrictHall})
		wantErrCode(t, err, apperr.Invalid) // not confirmed
		b, err := svc.PrepareBatch(street, service.PrepareBatchInput{To: demo.DistrictHall, Confirm: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Entries) != 1 || b.Entries[0].Case != c.Number || !b.Run.Equal(shAt("2026-12-07 10:00:00")) ||
			b.Counts.Cases != 1 || b.Counts.Materials == 0 || b.PreparedName != "吴婷" || b.FromName != "江川区滨河街道为民服务中心" {
			t.Fatalf("batch: %+v", b)
		}
		_, err = svc.SignOutBatch(district, b.Number, service.SignOutInput{Courier: "王师傅", Confirm: true})
		wantErrCode(t, err, apperr.Forbidden)
		_, err = svc.SignInBatch(district, b.Number, service.SignInInput{Confirm: true})
		wantErrCode(t, err, apperr.Conflict) // not signed out yet

		clk.Set(shAt("2026-12-07 09:20:00"))
		if _, err := svc.SignOutBatch(street, b.Number, service.SignOutInput{Courier: "王师傅", Confirm: true}); err != nil {
			t.Fatal(err)
		}
		clk.Set(shAt("2026-12-07 10:05:00"))
		_, err = svc.SignInBatch(street, b.Number, service.SignInInput{Confirm: true})
		wantErrCode(t, err, apperr.Forbidden)
		in, err := svc.SignInBatch(district, b.Number, service.SignInInput{Confirm: true})
		if err != nil || in.State != network.Arrived || in.InName != "张晓梅" {
			t.Fatalf("sign-in: %v %+v", err, in)
		}
		v, err := svc.Case(as["shenpi"], c.Number)
		if err != nil {
			t.Fatal(err)
		}
		if v.Case.PaperInTransit() || !v.Case.Deadlines.HandoverBy.Equal(shAt("2026-12-07 15:00:00")) ||
			!v.Case.Deadlines.AcceptBy.Equal(shAt("2026-12-08 17:00:00")) {
			t.Fatalf("after arrival: %+v", v.Case.Deadlines)
		}
		if _, err := svc.Act(as["shenpi"], c.Number, casework.ActHandover, casework.Input{}, 0); err != nil {
			t.Fatalf("handover after arrival: %v", err)
		}

		// The second case's paper arrives damaged: recorded, sent back.
		clk.Set(shAt("2026-12-07 16:00:00"))
		b2, err := svc.PrepareBatch(street, service.PrepareBatchInput{To: demo.DistrictHall, Confirm: true})
		if err != nil || len(b2.Entries) != 1 || b2.Entries[0].Case != after.Case.Number {
			t.Fatalf("second batch: %v %+v", err, b2)
		}
		clk.Set(shAt("2026-12-08 09:00:00"))
		if _, err := svc.SignOutBatch(street, b2.Number, service.SignOutInput{Courier: "王师傅", Confirm: true}); err != nil {
			t.Fatal(err)
		}
		m := b2.Entries[0].Materials[0].Code
		_, err = svc.SignInBatch(district, b2.Number, service.SignInInput{Confirm: true, Problems: []network.Problem{{Case: "20991231000001", Material: m, Kind: network.Missing}}})
		wantErrCode(t, err, apperr.Invalid)
		back, err := svc.SignInBatch(district, b2.Number, service.SignInInput{Confirm: true, Problems: []network.Problem{{Case: after.Case.Number, Material: m, Kind: network.Damaged, Note: "水渍"}}})
		if err != nil || len(back.Problems) != 1 || len(back.ProblemWords) != 1 {
			t.Fatalf("sign-in with a problem: %v %+v", err, back)
		}
		w, err = svc.WaitingAtMyHall(street, "")
		if err != nil {
			t.Fatal(err)
		}
		if runs := runsOf(w); len(runs) != 1 || runs[after.Case.Number].IsZero() {
			t.Fatalf("the paper sent back waits again: %v", runs)
		}
		list, err := svc.Batches(as["dating"], "", "")
		if err != nil || len(list) != 2 {
			t.Fatalf("the district hall manager's batches: %v %d", err, len(list))
		}
		_, err = svc.Batch(as["chujian"], b.Number)
		if err != nil {
			t.Fatalf("the district issuance desk reads its hall's batch: %v", err)
		}
	})
}

// TestHolidayEveRun: paper taken in on the eve of National Day before the
// cut-off leaves on the first working day's run after the holiday.
func TestHolidayEveRun(t *testing.T) {
	clk := clock.At(shAt("2026-09-30 14:30:00"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(shAt("2026-09-30 14:30:00"))
		svc, as := hall(t, st, clk)
		v, err := svc.Intake(as["shouli2"], foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		clk.Set(shAt("2026-09-30 15:30:00"))
		v2, err := svc.Intake(as["shouli2"], foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		w, err := svc.WaitingAtMyHall(as["shouli2"], "")
		if err != nil {
			t.Fatal(err)
		}
		runs := runsOf(w)
		if !runs[v.Case.Number].Equal(shAt("2026-10-08 10:00:00")) || !runs[v2.Case.Number].Equal(shAt("2026-10-09 10:00:00")) {
			t.Fatalf("runs: %v", runs)
		}
	})
}

// TestHallScopeRefusesIntake: the bureau admin publishes a street
// centre's items; the centre's intake of another item is refused with a
// clear message, the district hall still takes it in; only the bureau
// admin publishes, on the version in force.
func TestHallScopeRefusesIntake(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		sc := service.PublishScopeInput{Hall: demo.BinheHall, AllItems: true, Excluded: []string{"SCJG-XK-001"}, Issues: true,
			Cutoff: "15:00", Run: "10:00", Confirm: true}
		_, err := svc.PublishHallScope(as["shouli2"], sc)
		wantErrCode(t, err, apperr.Forbidden)
		v, err := svc.PublishHallScope(as["admin"], sc)
		if err != nil || v.Scope.Version != 1 || v.Transit == "" {
			t.Fatalf("publish: %v %+v", err, v)
		}
		_, err = svc.PublishHallScope(as["admin"], sc)
		wantErrCode(t, err, apperr.Conflict) // made on version 0, 1 is in force
		_, err = svc.Intake(as["shouli2"], foodApplication(casework.Pickup))
		wantErrCode(t, err, apperr.Invalid)
		if fe := apperr.FieldsOf(err); len(fe) != 1 || fe[0].Field != "item_code" {
			t.Fatalf("refusal fields: %+v", fe)
		}
		if _, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup)); err != nil {
			t.Fatalf("the district hall takes every item: %v", err)
		}
		district := service.PublishScopeInput{Hall: demo.DistrictHall, AllItems: true, Cutoff: "15:00", Run: "25:00", Confirm: true}
		_, err = svc.PublishHallScope(as["admin"], district)
		if fe := apperr.FieldsOf(err); len(fe) != 1 || fe[0].Field != "run" {
			t.Fatalf("bad time: %+v", fe)
		}
		district.Run = "10:00"
		_, err = svc.PublishHallScope(as["admin"], district)
		wantErrCode(t, err, apperr.Invalid)
	})
}
