package service_test

import (
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/ledger"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/supervision"
)

// A hall manager (dating, of the district center) reads the figures of the
// cases taken in at their hall: the district's figures are the hall's plus
// the other halls', every figure of theirs equals its drill-down, and
// another hall's figures, cases, cards, notices and ledgers are refused.
func TestHallManagerSeesTheirHall(t *testing.T) {
	clk := clock.At(sh("2026-09-30 09:30"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		svc, as, n := supervisedHall(t, clk, st) // four cases at the district center
		// One case at the 滨河 street center: handed over on time, then
		// left unaccepted past its deadline.
		v, err := svc.Intake(as["shouli2"], deskApplication(false))
		if err != nil {
			t.Fatal(err)
		}
		binhe := v.Case.Number
		// Its paper travels to the district hall in a batch (issue 15).
		b, err := svc.PrepareBatch(as["shouli2"], service.PrepareBatchInput{To: demo.DistrictHall, Confirm: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SignOutBatch(as["shouli2"], b.Number, service.SignOutInput{Courier: "王师傅", Confirm: true}); err != nil {
			t.Fatal(err)
		}
		clk.Set(sh("2026-10-16 10:00"))
		if _, err := svc.SignInBatch(as["shouli"], b.Number, service.SignInInput{Confirm: true}); err != nil {
			t.Fatal(err)
		}
		clk.Set(sh("2026-10-16 11:00"))
		if _, err := svc.Act(as["shenpi"], binhe, casework.ActHandover, casework.Input{}, 0); err != nil {
			t.Fatal(err)
		}
		clk.Set(sh("2026-10-30 10:00"))
		sv := svc.Supervision()
		whole, err := sv.Punctuality(as["jiandu"], octPeriod)
		if err != nil || len(whole) != 1 {
			t.Fatalf("whole: %v %+v", err, whole)
		}
		byHall := func(ctx string, hall string) supervision.Punctuality {
			t.Helper()
			p := octPeriod
			p.Hall = hall
			rows, err := sv.Punctuality(as[ctx], p)
			if err != nil {
				t.Fatalf("%s reads %s: %v", ctx, hall, err)
			}
			var sum supervision.Punctuality
			for _, r := range rows {
				sum.Add(r.Punctuality)
			}
			return sum
		}
		mine := byHall("dating", "")
		district, other := byHall("jiandu", demo.DistrictHall), byHall("jiandu", demo.BinheHall)
		if mine != district {
			t.Errorf("the hall manager reads %+v, the district center's figures are %+v", mine, district)
		}
		var sum supervision.Punctuality
		sum.Add(district)
		sum.Add(other)
		if sum != whole[0].Punctuality || other.Counted() == 0 {
			t.Errorf("district %+v + 滨河 %+v != whole %+v", district, other, whole[0].Punctuality)
		}
		// Every figure of the hall manager's equals its drill-down.
		for _, g := range []supervision.Grouping{supervision.ByDepartment, supervision.ByHall, supervision.ByMonth} {
			p := octPeriod
			p.Group = g
			checkDrillDowns(t, sv, as["dating"], p)
		}
		scores, err := sv.Assessment(as["dating"], octPeriod)
		if err != nil || len(scores) != 1 || scores[0].Key != "SCJG" {
			t.Errorf("assessment: %v %+v", err, scores)
		}

		// Refused: another hall, by filter or by key; groupings the hall's
		// rollup does not hold; another hall's case; the departments' cards,
		// notices, bulletin and ledgers.
		other1 := octPeriod
		other1.Hall = demo.BinheHall
		if _, err := sv.Punctuality(as["dating"], other1); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("another hall's figures: %v", err)
		}
		byKey := service.Period{From: octPeriod.From, To: octPeriod.To, Group: supervision.ByHall, Key: demo.BinheHall}
		if _, err := sv.Punctuality(as["dating"], byKey); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("another hall's row: %v", err)
		}
		if _, err := sv.Steps(as["dating"], service.StepQuery{Period: service.Period{From: octPeriod.From, To: octPeriod.To, Group: supervision.ByHall},
			GroupKey: demo.BinheHall}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("another hall's drill-down: %v", err)
		}
		if _, err := sv.Intakes(as["dating"], service.Period{From: octPeriod.From, To: octPeriod.To, Group: supervision.ByHall}, demo.BinheHall, 10, 0); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("another hall's intakes: %v", err)
		}
		for _, g := range []supervision.Grouping{supervision.ByItem, supervision.ByUser} {
			p := octPeriod
			p.Group = g
			if _, err := sv.Punctuality(as["dating"], p); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("grouped by %s: %v", g, err)
			}
		}
		if _, err := sv.Case(as["dating"], binhe); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another hall's case bar: %v", err)
		}
		if _, err := sv.Case(as["dating"], n["A"]); err != nil {
			t.Errorf("the hall's own case bar: %v", err)
		}
		if _, err := sv.Cards(as["dating"], "2026-10", ""); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("cards: %v", err)
		}
		if _, err := sv.Notices(as["dating"], service.NoticeQuery{}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("notices: %v", err)
		}
		if _, err := sv.Bulletin(as["dating"], "2026-10"); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("bulletin: %v", err)
		}
		if _, err := svc.Ledgers().Page(as["dating"], service.LedgerRequest{Kind: ledger.Cases}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("ledger: %v", err)
		}
		// And changes nothing.
		if _, err := svc.Act(as["dating"], binhe, casework.ActAccept, casework.Input{}, 0); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a hall manager accepted a case: %v", err)
		}
	})
}
