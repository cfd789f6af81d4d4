package service_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/supervision"
)

func sh(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, clock.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// supervisedHall runs four cases across 国庆 2026 (Oct 1–7 off, Saturday
// Oct 10 worked) with the clock, and leaves the clock at Fri 10-16 10:00:
//
//	A: papers on time, accepted on time, decided late (decide_by 10-14).
//	B: papers handed over late, never accepted: accept_by 10-09 passed.
//	C: returned on time for material M02: R5 answered by a return.
//	D: decided early, result refused, corrected late (correct_by was the
//	   worked Saturday), delivered and archived in time.
func supervisedHall(t *testing.T, clk *clock.Manual, st *store.Store) (*service.Service, map[string]context.Context, map[string]string) {
	t.Helper()
	clk.Set(sh("2026-09-30 09:30"))
	svc, as := hall(t, st, clk)
	numbers := map[string]string{}
	at := func(when string) { clk.Set(sh(when)) }
	intake := func(name, when string) {
		t.Helper()
		at(when)
		v, err := svc.Intake(as["shouli"], deskApplication(false))
		if err != nil {
			t.Fatal(err)
		}
		numbers[name] = v.Case.Number
	}
	act := func(name, user, when string, action casework.Action, in casework.Input) {
		t.Helper()
		at(when)
		if _, err := svc.Act(as[user], numbers[name], action, in, 0); err != nil {
			t.Fatalf("%s: %s %s: %v", name, user, action, err)
		}
	}
	intake("A", "2026-09-30 10:00")
	intake("B", "2026-09-30 10:00")
	intake("C", "2026-09-30 11:00")
	intake("D", "2026-09-30 10:30")
	act("D", "shenpi", "2026-09-30 11:00", casework.ActHandover, casework.Input{})
	act("A", "shenpi", "2026-09-30 14:00", casework.ActHandover, casework.Input{})
	act("D", "shenpi", "2026-09-30 15:00", casework.ActAccept, casework.Input{})
	act("C", "shenpi", "2026-09-30 16:00", casework.ActReturn, casework.Input{Corrections: []string{"M02"}, Reason: "营业执照复印件不清晰"})
	act("B", "shenpi", "2026-10-08 09:00", casework.ActHandover, casework.Input{})
	act("A", "shenpi", "2026-10-08 10:00", casework.ActAccept, casework.Input{})
	act("D", "shenpi", "2026-10-09 10:00", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "JY13501020260101"})
	act("D", "shenpi", "2026-10-09 11:00", casework.ActSubmitResult, casework.Input{})
	act("D", "chujian", "2026-10-09 14:00", casework.ActRefuseResult, casework.Input{Reason: "证照经营场所有误"})
	act("D", "shenpi", "2026-10-12 09:00", casework.ActSubmitResult, casework.Input{})
	act("D", "chujian", "2026-10-12 09:30", casework.ActAcceptResult, casework.Input{})
	act("D", "chujian", "2026-10-12 10:00", casework.ActDeliver, casework.Input{Signer: "李明", SignerIDType: identity.ResidentID, SignerIDNumber: "11010519491231002X"})
	act("D", "chujian", "2026-10-13 09:00", casework.ActArchive, casework.Input{})
	act("A", "shenpi", "2026-10-15 09:00", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "JY13501020260102"})
	at("2026-10-16 10:00")
	return svc, as, numbers
}

var octPeriod = service.Period{From: "2026-09-01", To: "2026-10-31", Group: supervision.ByDepartment}

func TestSupervisionFiguresAcrossTheHoliday(t *testing.T) {
	clk := clock.At(sh("2026-09-30 09:30"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		svc, as, n := supervisedHall(t, clk, st)
		sv := svc.Supervision()
		rows, err := sv.Punctuality(as["jiandu"], octPeriod)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Key != "SCJG" || rows[0].Label == "SCJG" {
			t.Fatalf("rows %+v", rows)
		}
		got := map[supervision.Kind]supervision.Punctuality{}
		for _, f := range rows[0].Steps {
			got[f.Step] = f.Punctuality
		}
		want := map[supervision.Kind]supervision.Punctuality{
			supervision.Accept:   {OnTime: 3, Overdue: 1}, // A, D, C (returned); B overdue
			supervision.Handover: {OnTime: 2, Late: 2},    // A, D; B late, C missed before its return
			supervision.Decide:   {OnTime: 1, Late: 1},    // D; A
			supervision.Correct:  {Late: 1},               // D: the worked Saturday passed
			supervision.Archive:  {OnTime: 1},             // D
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: got %+v, want %+v", k, got[k], w)
			}
		}
		if r := rows[0].OnTimeCompletion; r == nil || *r != 0.5 {
			t.Errorf("按时办结率 %v, want 0.5", r)
		}
		// B's acceptance is open: running on 10-09 at 17:00, overdue a
		// minute later.
		clk.Set(sh("2026-10-09 17:00"))
		if l, _ := sv.Steps(as["jiandu"], service.StepQuery{Period: octPeriod, GroupKey: "SCJG", Step: supervision.Accept, Status: supervision.Overdue}); l.Total != 0 {
			t.Errorf("overdue at the deadline itself: %+v", l)
		}
		clk.Set(sh("2026-10-16 10:00"))
		l, err := sv.Steps(as["jiandu"], service.StepQuery{Period: octPeriod, GroupKey: "SCJG", Step: supervision.Accept, Status: supervision.Overdue})
		if err != nil || l.Total != 1 || l.Steps[0].Number != n["B"] {
			t.Errorf("overdue acceptance: %v %+v", err, l)
		}
		for _, g := range []supervision.Grouping{supervision.ByDepartment, supervision.ByItem, supervision.ByHall, supervision.ByUser, supervision.ByMonth} {
			p := octPeriod
			p.Group = g
			checkDrillDowns(t, sv, as["jiandu"], p)
		}

		eff, err := sv.Efficiency(as["jiandu"], octPeriod)
		if err != nil || len(eff.Rows) != 1 {
			t.Fatalf("efficiency: %v %+v", err, eff)
		}
		e := eff.Rows[0]
		if e.Decisions != 2 || e.Early != 1 || e.Intakes != 4 || e.Returns != 1 || e.ResultRefusals != 1 || e.Corrections != 1 ||
			e.ReturnsPer100 == nil || *e.ReturnsPer100 != 25 {
			t.Errorf("efficiency %+v", e)
		}
		if len(eff.ReturnReasons) != 1 || eff.ReturnReasons[0].Material != "M02" || eff.ReturnReasons[0].Count != 1 || eff.ReturnReasons[0].Name == "M02" {
			t.Errorf("return reasons %+v", eff.ReturnReasons)
		}

		// A's bar: the department held it from intake to decision except
		// nothing else applied; D's issuance desk held it while checking.
		cs, err := sv.Case(as["jiandu"], n["C"])
		if err != nil || cs.Holder != supervision.Applicant {
			t.Errorf("returned case C: %v %+v", err, cs)
		}
	})
}

// checkDrillDowns checks that every figure equals the count its drill-down
// lists.
func checkDrillDowns(t *testing.T, sv *service.Supervision, ctx context.Context, p service.Period) {
	t.Helper()
	rows, err := sv.Punctuality(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("group %s: no rows", p.Group)
	}
	for _, r := range rows {
		for _, f := range r.Steps {
			for status, want := range map[supervision.Status]int64{supervision.OnTime: f.OnTime, supervision.Late: f.Late, supervision.Overdue: f.Overdue} {
				l, err := sv.Steps(ctx, service.StepQuery{Period: p, GroupKey: r.Key, Step: f.Step, Status: status})
				if err != nil {
					t.Fatal(err)
				}
				if int64(l.Total) != want || len(l.Steps) != l.Total {
					t.Errorf("group %s %q %s %s: figure %d, drill-down lists %d (%d)", p.Group, r.Key, f.Step, status, want, l.Total, len(l.Steps))
				}
			}
		}
	}
	// 部门协同配合's drill-down: several kinds at once lists their sum.
	for _, r := range rows {
		var want int64
		for _, f := range r.Steps {
			if slices.Contains(supervision.CoordinationSteps, f.Step) {
				want += f.Counted()
			}
		}
		l, err := sv.Steps(ctx, service.StepQuery{Period: p, GroupKey: r.Key, Kinds: supervision.CoordinationSteps})
		if err != nil {
			t.Fatal(err)
		}
		if int64(l.Total) != want {
			t.Errorf("group %s %q coordination steps: figures sum to %d, drill-down lists %d", p.Group, r.Key, want, l.Total)
		}
	}
	if _, err := sv.Steps(ctx, service.StepQuery{Period: p, Kinds: []supervision.Kind{supervision.Accept, "nope"}}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("an unknown kind among several: %v", err)
	}
	eff, err := sv.Efficiency(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range eff.Rows {
		for _, c := range []struct {
			what string
			want int64
			q    service.StepQuery
		}{
			{"decisions", r.Decisions, service.StepQuery{Period: p, GroupKey: r.Key, Decided: true, ByDone: true}},
			{"returns", r.Returns, service.StepQuery{Period: p, GroupKey: r.Key, Returned: true, ByDone: true}},
			{"refusals", r.ResultRefusals, service.StepQuery{Period: p, GroupKey: r.Key, Step: supervision.Correct, Any: true}},
		} {
			l, err := sv.Steps(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			if int64(l.Total) != c.want {
				t.Errorf("group %s %q %s: figure %d, drill-down lists %d", p.Group, r.Key, c.what, c.want, l.Total)
			}
		}
		l, err := sv.Intakes(ctx, p, r.Key, 1000, 0)
		if err != nil {
			t.Fatal(err)
		}
		if int64(l.Total) != r.Intakes || len(l.Numbers) != l.Total {
			t.Errorf("group %s %q intakes: figure %d, drill-down lists %d", p.Group, r.Key, r.Intakes, l.Total)
		}
	}
	if p.Group == supervision.ByUser {
		if _, err := sv.Holding(ctx, p); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("holding by user: %v", err)
		}
		return
	}
	hold, err := sv.Holding(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(hold) == 0 {
		t.Errorf("group %s: no holding rows", p.Group)
	}
	for _, r := range hold {
		for _, h := range r.Holders {
			l, err := sv.HoldingCases(ctx, p, r.Key, h.Holder, 1000, 0)
			if err != nil {
				t.Fatal(err)
			}
			sum := int64(0)
			for _, c := range l.Cases {
				sum += c.Minutes
			}
			if sum != h.Minutes {
				t.Errorf("group %s %q %s: %d minutes, the drill-down's cases sum to %d", p.Group, r.Key, h.Holder, h.Minutes, sum)
			}
		}
	}
}

func TestSupervisionRebuildEqualsLive(t *testing.T) {
	clk := clock.At(sh("2026-09-30 09:30"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		svc, as, _ := supervisedHall(t, clk, st)
		ctx := context.Background()
		live, err := st.RollupRows(ctx)
		if err != nil || len(live) == 0 {
			t.Fatalf("live rollup: %v (%d rows)", err, len(live))
		}
		before, err := svc.Supervision().Punctuality(as["jiandu"], octPeriod)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Supervision().Rebuild(as["jiandu"]); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a supervisor rebuilt the figures: %v", err)
		}
		rep, err := svc.Supervision().Rebuild(as["admin"])
		if err != nil || rep.Cases != 4 {
			t.Fatalf("rebuild: %v %+v", err, rep)
		}
		rebuilt, err := st.RollupRows(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(live, rebuilt) {
			t.Errorf("rebuilt rollup differs from the live one:\nlive    %v\nrebuilt %v", live, rebuilt)
		}
		after, err := svc.Supervision().Punctuality(as["jiandu"], octPeriod)
		if err != nil {
			t.Fatal(err)
		}
		if len(before) != len(after) || before[0].Punctuality != after[0].Punctuality {
			t.Errorf("figures before %+v, after %+v", before[0].Punctuality, after[0].Punctuality)
		}
	})
}

func TestSupervisionNotices(t *testing.T) {
	clk := clock.At(sh("2026-09-30 09:30"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		svc, as, n := supervisedHall(t, clk, st)
		sv := svc.Supervision()
		sys := as["system"]
		rep, err := sv.Sweep(sys)
		if err != nil || rep.Opened != 1 {
			t.Fatalf("first sweep: %v %+v", err, rep)
		}
		// Another node, or a restart, sweeping again opens none.
		if rep, err := sv.Sweep(sys); err != nil || rep.Opened != 0 {
			t.Fatalf("second sweep: %v %+v", err, rep)
		}
		if _, err := sv.Sweep(as["jiandu"]); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a person ran the sweep: %v", err)
		}
		list, err := sv.Notices(as["jiandu"], service.NoticeQuery{})
		if err != nil || list.Total != 1 || list.Notices[0].Number != n["B"] || list.Notices[0].Step != supervision.Accept ||
			list.Notices[0].Status != supervision.NoticeOpen {
			t.Fatalf("notices: %v %+v", err, list)
		}
		sweep := list.Notices[0]
		// Opened Fri 10-16 10:00: two working days end Tue 10-20 17:00.
		if !sweep.ReplyBy.Equal(sh("2026-10-20 17:00")) {
			t.Errorf("reply by %s", sweep.ReplyBy)
		}
		// By hand, with a reason; not by a reviewer; never without a reason.
		if _, err := sv.OpenNotice(as["shenpi"], n["A"], "超期办结"); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a reviewer opened a notice: %v", err)
		}
		if _, err := sv.OpenNotice(as["jiandu"], n["A"], " "); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a notice without a reason: %v", err)
		}
		hand, err := sv.OpenNotice(as["jiandu"], n["A"], "审批决定超期，请说明原因")
		if err != nil || hand.Origin != supervision.ByHand || hand.Department != "SCJG" {
			t.Fatalf("hand notice: %v %+v", err, hand)
		}
		if _, err := sv.OpenNotice(as["jiandu"], n["A"], "再次督办"); err != nil {
			t.Errorf("a second hand notice on the same case: %v", err)
		}
		// The department admin replies, once; a reviewer may not.
		reply := supervision.Reply{Explanation: "节后积压", Measures: "增派审批人员"}
		if _, err := sv.ReplyNotice(as["shenpi"], sweep.ID, reply); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a reviewer replied: %v", err)
		}
		if _, err := sv.ReplyNotice(as["bumen"], sweep.ID, supervision.Reply{Explanation: "x"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a reply without measures: %v", err)
		}
		done, err := sv.ReplyNotice(as["bumen"], sweep.ID, reply)
		if err != nil || done.Status != supervision.NoticeReplied || done.RepliedBy != "bumen" {
			t.Fatalf("reply: %v %+v", err, done)
		}
		if _, err := sv.ReplyNotice(as["bumen"], sweep.ID, reply); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a second reply: %v", err)
		}
		// Unanswered past the clock: red, escalated to the supervisor's list,
		// and counted for the month's card.
		clk.Set(sh("2026-10-21 09:00"))
		rep, err = sv.Sweep(sys)
		if err != nil || rep.Escalated != 2 {
			t.Fatalf("escalation sweep: %v %+v", err, rep)
		}
		esc, err := sv.Notices(as["jiandu"], service.NoticeQuery{Escalated: true})
		if err != nil || esc.Total != 2 || esc.Notices[0].Status != supervision.NoticeOverdue || esc.Notices[0].Warning != "red" {
			t.Errorf("escalated: %v %+v", err, esc)
		}
		cards, err := sv.Cards(as["jiandu"], "2026-10", "")
		if err != nil || len(cards) != 1 || cards[0].Unanswered != 2 || cards[0].Card != supervision.YellowCard {
			t.Errorf("cards: %v %+v", err, cards)
		}
		// A, B and D missed a deadline of October; C's missed handover was
		// due in September.
		if len(cards) == 1 && cards[0].RedCases != 3 {
			t.Errorf("red cases %d, want 3", cards[0].RedCases)
		}
	})
}

func TestSupervisionWhoSeesWhat(t *testing.T) {
	clk := clock.At(sh("2026-09-30 09:30"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		svc, as, _ := supervisedHall(t, clk, st)
		sv := svc.Supervision()
		for _, user := range []string{"shenpi", "shouli", "chujian", "anonymous"} {
			if _, err := sv.Punctuality(as[user], octPeriod); err == nil {
				t.Errorf("%s read the figures", user)
			}
		}
		other := octPeriod
		other.Department = "GHZY"
		if _, err := sv.Punctuality(as["bumen"], other); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a department admin read another department: %v", err)
		}
		rows, err := sv.Punctuality(as["bumen"], service.Period{From: "2026-09-01", To: "2026-10-31", Group: supervision.ByItem})
		if err != nil || len(rows) == 0 {
			t.Fatalf("department admin: %v", err)
		}
		bad := []service.Period{
			{From: "2026-10-31", To: "2026-10-01"},
			{From: "2026-02-30", To: "2026-03-01"},
			{From: "2020-01-01", To: "2026-01-01"},
			{From: "2026-01-01", To: "2026-02-01", Group: "window"},
		}
		for _, p := range bad {
			if _, err := sv.Punctuality(as["jiandu"], p); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("period %+v: %v", p, err)
			}
		}
		// Settings: the admin's, weights summing to 100.
		set := supervision.DefaultSettings()
		set.Weights[supervision.OnTimeIndicator] = 40
		if err := sv.SaveSettings(as["admin"], set); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("weights summing to 110: %v", err)
		}
		set.Weights[supervision.SatisfactionIndicator] = 15
		if err := sv.SaveSettings(as["jiandu"], set); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a supervisor changed the settings: %v", err)
		}
		if err := sv.SaveSettings(as["admin"], set); err != nil {
			t.Fatal(err)
		}
		got, err := sv.Settings(as["jiandu"])
		if err != nil || got.Weights[supervision.OnTimeIndicator] != 40 {
			t.Errorf("settings read back: %v %+v", err, got)
		}
		scores, err := sv.Assessment(as["jiandu"], octPeriod)
		if err != nil || len(scores) != 1 || scores[0].Rank != 1 {
			t.Fatalf("assessment: %v %+v", err, scores)
		}
		// 按时办结率 0.5 × 40 = 20 points.
		if ind := scores[0].Indicators[0]; ind.Indicator != supervision.OnTimeIndicator || ind.Points != 20 || ind.Weight != 40 {
			t.Errorf("on-time indicator %+v", ind)
		}
	})
}
