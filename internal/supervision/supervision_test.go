package supervision_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/supervision"
)

// cal is the published calendar: 国庆 2026 (Oct 1–7 off, Sat Oct 10
// worked) and 元旦/春节 2027.
var cal = calendar.New(calendar.Published(2026, 2027), calendar.DefaultSettings())

var env = supervision.Env{Cal: cal, Hours: supervision.DefaultHours()}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, clock.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// ev makes an event as casework records it.
func ev(typ casework.Action, actor, when string, from, to casework.State, details map[string]any) casework.Event {
	b, _ := json.Marshal(details)
	return casework.Event{Type: typ, Actor: actor, At: at(when), From: from, To: to, Details: b}
}

func TestWorkingMinutesSkipHolidaysAndCountWorkedWeekends(t *testing.T) {
	days := supervision.WorkingMinutes(cal, env.Hours, at("2026-09-30 16:00"), at("2026-10-10 10:30"))
	want := []supervision.HoldDay{{Day: "2026-09-30", Minutes: 60}, {Day: "2026-10-08", Minutes: 480}, {Day: "2026-10-09", Minutes: 480}, {Day: "2026-10-10", Minutes: 90}}
	if len(days) != len(want) {
		t.Fatalf("got %+v, want %+v", days, want)
	}
	for i := range want {
		if days[i] != want[i] {
			t.Errorf("day %d: got %+v, want %+v", i, days[i], want[i])
		}
	}
	if got := supervision.WorkingMinutes(cal, env.Hours, at("2026-10-01 09:00"), at("2026-10-07 17:00")); len(got) != 0 {
		t.Errorf("the 国庆 holidays count %v", got)
	}
	if got := supervision.WorkingMinutes(cal, env.Hours, at("2026-09-30 17:30"), at("2026-09-30 18:00")); len(got) != 0 {
		t.Errorf("after hours count %v", got)
	}
}

// lifecycle is a promised case taken in on the afternoon before 国庆, its
// papers handed over late, accepted in time, paused, extended, decided,
// a result refused and corrected late, delivered and archived in time.
func lifecycle() []casework.Event {
	acceptBy, handoverBy := cal.AddWorkingDays(at("2026-09-30 14:00"), 2), cal.HandoverCutoff(at("2026-09-30 14:00"), casework.DefaultPolicy().Cutoffs())
	decideBy := cal.AddWorkingDays(at("2026-10-09 16:00"), 5)
	resumed := cal.AddWorkingDays(decideBy, 2)
	extended := cal.AddWorkingDays(resumed, 3)
	return []casework.Event{
		ev(casework.ActIntake, "shouli", "2026-09-30 14:00", "", casework.Received, map[string]any{
			"deadlines": casework.Deadlines{AcceptBy: acceptBy, HandoverBy: handoverBy}}),
		ev(casework.ActHandover, "shenpi", "2026-10-08 11:00", casework.Received, casework.Received, map[string]any{"on_time": false}),
		ev(casework.ActAccept, "shenpi", "2026-10-09 16:00", casework.Received, casework.Accepted, map[string]any{"on_time": true, "decide_by": decideBy}),
		ev(casework.ActPause, "shenpi", "2026-10-12 09:00", casework.Accepted, casework.Accepted, map[string]any{"pause_type": "site_survey"}),
		ev(casework.ActResume, "shenpi", "2026-10-14 09:00", casework.Accepted, casework.Accepted, map[string]any{"paused_days": 2, "decide_by": resumed}),
		ev(casework.ActExtend, "shenpi", "2026-10-14 10:00", casework.Accepted, casework.Accepted, map[string]any{"days": 3}),
		ev(casework.ActApproveExtension, "bumen", "2026-10-14 11:00", casework.Accepted, casework.Accepted, map[string]any{"days": 3, "decide_by": extended}),
		ev(casework.ActDecide, "shenpi", "2026-10-20 10:00", casework.Accepted, casework.Decided, map[string]any{"on_time": true, "outcome": "approve"}),
		ev(casework.ActSubmitResult, "shenpi", "2026-10-20 11:00", casework.Decided, casework.Decided, map[string]any{}),
		ev(casework.ActRefuseResult, "chujian", "2026-10-20 14:00", casework.Decided, casework.Decided, map[string]any{"correct_by": cal.AddWorkingDays(at("2026-10-20 14:00"), 1)}),
		ev(casework.ActSubmitResult, "shenpi", "2026-10-22 09:30", casework.Decided, casework.Decided, map[string]any{"on_time": false}),
		ev(casework.ActAcceptResult, "chujian", "2026-10-22 10:00", casework.Decided, casework.ResultReady, map[string]any{}),
		ev(casework.ActDeliver, "chujian", "2026-10-23 09:00", casework.ResultReady, casework.Delivered, map[string]any{"archive_by": cal.AddWorkingDays(at("2026-10-23 09:00"), 1)}),
		ev(casework.ActArchive, "chujian", "2026-10-23 15:00", casework.Delivered, casework.Archived, map[string]any{"on_time": true}),
	}
}

func TestFoldStepsAndTheDeadlineInForce(t *testing.T) {
	events := lifecycle()
	r := supervision.FoldAll(events, supervision.Facts{PromisedDays: 5}, env)
	type want struct {
		kind   supervision.Kind
		due    time.Time
		status supervision.Status
		by     string
	}
	decideBy := cal.AddWorkingDays(cal.AddWorkingDays(cal.AddWorkingDays(at("2026-10-09 16:00"), 5), 2), 3)
	wants := []want{
		{supervision.Accept, at("2026-10-09 17:00"), supervision.OnTime, "shenpi"},
		{supervision.Handover, at("2026-10-08 10:00"), supervision.Late, "shenpi"},
		{supervision.Decide, decideBy, supervision.OnTime, "shenpi"},
		{supervision.Correct, at("2026-10-21 17:00"), supervision.Late, "shenpi"},
		{supervision.Archive, at("2026-10-26 17:00"), supervision.OnTime, "chujian"},
	}
	if len(r.Steps) != len(wants) {
		t.Fatalf("steps %+v", r.Steps)
	}
	for i, w := range wants {
		s := r.Steps[i]
		if s.Kind != w.kind || !s.Due.Equal(w.due) || s.StatusAt(at("2027-01-01 00:00")) != w.status || s.By != w.by {
			t.Errorf("step %d: got %s due %s %s by %s; want %s due %s %s by %s", i, s.Kind, s.Due, s.StatusAt(at("2027-01-01 00:00")), s.By,
				w.kind, w.due, w.status, w.by)
		}
	}
	d := r.Decision
	// Accepted Fri 10-09, decided Tue 10-20: Sat 10-10 (调休 worked), 12–16,
	// 19, 20 are 8 working days, less the 2 paused.
	if d == nil || d.Used != 6 || d.Promised != 5 || !d.Early || d.FirstDay {
		t.Errorf("decision %+v", d)
	}
	if !r.Closed() || r.Holder != supervision.NoHolder {
		t.Errorf("archived case: closed %v, holder %q", r.Closed(), r.Holder)
	}
}

func TestHoldingPrecedence(t *testing.T) {
	r := supervision.FoldAll(lifecycle(), supervision.Facts{PromisedDays: 5}, env)
	sum := map[supervision.Holder]int64{}
	for _, h := range r.Hold {
		sum[h.Holder] += h.Minutes
	}
	// Pause 10-12 09:00 → 10-14 09:00: two full working days.
	if sum[supervision.LegalPause] != 2*480 {
		t.Errorf("legal pause %d minutes, want 960", sum[supervision.LegalPause])
	}
	// The result with the issuance desk: 10-20 11:00–14:00, the corrected
	// one 10-22 09:30–10:00, and delivered → archived 10-23 09:00–15:00.
	if sum[supervision.Issuance] != 3*60+30+6*60 {
		t.Errorf("issuance desk %d minutes, want 570", sum[supervision.Issuance])
	}
	// Awaiting pickup: 10-22 10:00 → 10-23 09:00 = 7 h + 0 h.
	if sum[supervision.Applicant] != 7*60 {
		t.Errorf("applicant %d minutes, want 420", sum[supervision.Applicant])
	}
	if sum[supervision.IntakeDesk] != 0 {
		t.Errorf("intake desk held a promised case %d minutes", sum[supervision.IntakeDesk])
	}
	total := int64(0)
	for _, d := range supervision.WorkingMinutes(cal, env.Hours, at("2026-09-30 14:00"), at("2026-10-23 15:00")) {
		total += d.Minutes
	}
	got := int64(0)
	for _, m := range sum {
		got += m
	}
	if got != total {
		t.Errorf("held %d minutes in all, the case lived %d working minutes: one holder at a time, every minute", got, total)
	}
}

func TestDeferredMaterialsHeldByTheApplicant(t *testing.T) {
	events := []casework.Event{
		ev(casework.ActIntake, "shouli", "2026-12-30 09:00", "", casework.Received, map[string]any{
			"deadlines": casework.Deadlines{AcceptBy: cal.AddWorkingDays(at("2026-12-30 09:00"), 2), SupplyBy: at("2027-01-05 17:00")}}),
		ev(casework.ActAccept, "shenpi", "2026-12-30 10:00", casework.Received, casework.Accepted, map[string]any{"on_time": true, "decide_by": at("2027-01-20 17:00")}),
		ev(casework.ActSupply, "shouli", "2027-01-04 10:00", casework.Accepted, casework.Accepted, map[string]any{"on_time": true}),
	}
	r := supervision.FoldAll(events, supervision.Facts{PromisedDays: 10}, env)
	sum := map[supervision.Holder]int64{}
	for _, h := range r.Hold {
		sum[h.Holder] += h.Minutes
	}
	// Deferred materials outstanding from intake: the applicant holds the
	// case even while the department reviews it (precedence): 12-30 all
	// day, 12-31 all day, 元旦 01-01 off, the weekend, 01-04 09:00–10:00.
	if sum[supervision.Applicant] != 480+480+60 || sum[supervision.Department] != 0 {
		t.Errorf("holding %v", sum)
	}
	if r.Holder != supervision.Department {
		t.Errorf("after supply the department holds, got %q", r.Holder)
	}
}

func TestStepsCancelledOrMissed(t *testing.T) {
	acceptBy := cal.AddWorkingDays(at("2026-09-29 09:00"), 2) // Thu 10-08 17:00 across 国庆
	base := ev(casework.ActIntake, "shouli", "2026-09-29 09:00", "", casework.Received, map[string]any{
		"deadlines": casework.Deadlines{AcceptBy: acceptBy}})
	if acceptBy != at("2026-10-08 17:00") {
		t.Fatalf("accept_by %s", acceptBy)
	}
	// Withdrawn in time: the deadline never came, no step.
	early := supervision.FoldAll([]casework.Event{base,
		ev(casework.ActWithdraw, "shouli", "2026-10-08 16:00", casework.Received, casework.Withdrawn, nil)}, supervision.Facts{}, env)
	if len(early.Steps) != 0 {
		t.Errorf("withdrawn in time: %+v", early.Steps)
	}
	// Withdrawn after it passed unanswered: missed, counted late.
	late := supervision.FoldAll([]casework.Event{base,
		ev(casework.ActWithdraw, "shouli", "2026-10-09 09:00", casework.Received, casework.Withdrawn, nil)}, supervision.Facts{}, env)
	if len(late.Steps) != 1 || late.Steps[0].Answer != supervision.Cancelled || !late.Steps[0].Late {
		t.Errorf("withdrawn late: %+v", late.Steps)
	}
	// Still open on 10-08 at 17:01: overdue; at 17:00: running.
	open := supervision.FoldAll([]casework.Event{base}, supervision.Facts{}, env)
	if s := open.Steps[0]; s.StatusAt(at("2026-10-08 17:00")) != supervision.Running || s.StatusAt(at("2026-10-08 17:01")) != supervision.Overdue {
		t.Errorf("open step statuses: %s, %s", s.StatusAt(at("2026-10-08 17:00")), s.StatusAt(at("2026-10-08 17:01")))
	}
	// Returned: R5 answered by a return; the resubmission's acceptance is a
	// second step.
	returned := supervision.FoldAll([]casework.Event{base,
		ev(casework.ActReturn, "shenpi", "2026-09-30 10:00", casework.Received, casework.Returned, map[string]any{"on_time": true, "corrections": []string{"M02"}}),
		ev(casework.ActResubmit, "shouli", "2026-10-09 09:00", casework.Returned, casework.Received, map[string]any{"accept_by": at("2026-10-12 17:00")}),
	}, supervision.Facts{}, env)
	if len(returned.Steps) != 2 || returned.Steps[0].Answer != supervision.Returned || returned.Steps[1].Ord != 2 || len(returned.Returns) != 1 {
		t.Errorf("return and resubmission: %+v %+v", returned.Steps, returned.Returns)
	}
	if e := returned.Entries(); e[supervision.EntryKey{Day: "2026-09-30", Metric: supervision.ReturnReasonMetric("M02"), User: "shenpi"}] != 1 {
		t.Errorf("return reason not counted: %v", e)
	}
}

func TestSecondHandoverSheetForSuppliedPaper(t *testing.T) {
	r := supervision.FoldAll([]casework.Event{
		ev(casework.ActIntake, "shouli", "2026-11-02 09:00", "", casework.Received, map[string]any{
			"deadlines": casework.Deadlines{AcceptBy: at("2026-11-04 17:00"), HandoverBy: at("2026-11-02 15:00"), SupplyBy: at("2026-11-10 17:00")}}),
		ev(casework.ActHandover, "shenpi", "2026-11-02 14:00", casework.Received, casework.Received, map[string]any{"on_time": true}),
		ev(casework.ActSupply, "shouli", "2026-11-03 14:00", casework.Received, casework.Received, map[string]any{"on_time": true, "handover_by": at("2026-11-04 10:00")}),
	}, supervision.Facts{}, env)
	var sheets []supervision.Step
	for _, s := range r.Steps {
		if s.Kind == supervision.Handover {
			sheets = append(sheets, s)
		}
	}
	if len(sheets) != 2 || sheets[1].Ord != 2 || sheets[1].Closed() || !sheets[1].Due.Equal(at("2026-11-04 10:00")) {
		t.Errorf("handover sheets %+v", sheets)
	}
}

func TestEntriesDiff(t *testing.T) {
	events := lifecycle()
	var r supervision.Record
	total := map[supervision.EntryKey]int64{}
	prev := map[supervision.EntryKey]int64{}
	for i := range events {
		r.Fold(&events[i], supervision.Facts{PromisedDays: 5}, env)
		next := r.Entries()
		for _, e := range supervision.Diff(prev, next) {
			total[supervision.EntryKey{Day: e.Day, Metric: e.Metric, User: e.User}] += e.N
		}
		prev = next
	}
	whole := supervision.FoldAll(events, supervision.Facts{PromisedDays: 5}, env).Entries()
	for k, n := range whole {
		if total[k] != n {
			t.Errorf("%v: the diffs add up to %d, the whole fold counts %d", k, total[k], n)
		}
	}
	for k, n := range total {
		if n != 0 && whole[k] != n {
			t.Errorf("%v: diffs left %d the fold does not count", k, n)
		}
	}
}

func TestWeightsThresholdsAndScore(t *testing.T) {
	if err := supervision.DefaultWeights().Validate(); err != nil {
		t.Fatal(err)
	}
	w := supervision.DefaultWeights()
	w[supervision.OnTimeIndicator] = 31
	if err := w.Validate(); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("weights summing to 101 accepted: %v", err)
	}
	delete(w, supervision.CoordinationIndicator)
	w[supervision.OnTimeIndicator] = 45
	if err := w.Validate(); err == nil {
		t.Error("a missing indicator accepted")
	}
	score, parts := supervision.Score(map[supervision.Indicator]supervision.Value{
		supervision.OnTimeIndicator:       {Value: 0.9, OK: true},
		supervision.SatisfactionIndicator: {Value: 1, OK: true},
	}, supervision.DefaultWeights())
	// 30×0.9 + 25 + unmeasured 15 + 15 + 15 = 97.
	if score != 97 || parts[0].Points != 27 || parts[2].Measured {
		t.Errorf("score %v, parts %+v", score, parts)
	}
	th := supervision.DefaultThresholds()
	for _, c := range []struct {
		red, unanswered int64
		want            supervision.Card
	}{{0, 0, supervision.NoCard}, {3, 0, supervision.YellowCard}, {2, 1, supervision.YellowCard}, {10, 0, supervision.RedCard}, {0, 3, supervision.RedCard}} {
		if got := th.CardFor(c.red, c.unanswered); got != c.want {
			t.Errorf("%d red cases, %d unanswered: %q, want %q", c.red, c.unanswered, got, c.want)
		}
	}
	if err := (supervision.Thresholds{YellowRedCases: 5, RedRedCases: 5, YellowUnanswered: 1, RedUnanswered: 2}).Validate(); err == nil {
		t.Error("red threshold equal to yellow accepted")
	}
	if err := supervision.DefaultSettings().Validate(); err != nil {
		t.Error(err)
	}
}

func TestNoticeReplyClock(t *testing.T) {
	// Opened on the last working day before 国庆: 2 working days end 10-09.
	n := supervision.NewSweepNotice("20260929000001", "SCJG", supervision.Step{Kind: supervision.Accept, Ord: 1, Due: at("2026-09-29 17:00")},
		at("2026-09-30 10:00"), cal, 2)
	if !n.ReplyBy.Equal(at("2026-10-09 17:00")) {
		t.Fatalf("reply by %s", n.ReplyBy)
	}
	if n.StatusAt(at("2026-10-09 17:00")) != supervision.NoticeOpen || n.StatusAt(at("2026-10-09 17:01")) != supervision.NoticeOverdue {
		t.Error("reply clock")
	}
	if err := n.Answer(supervision.Reply{Explanation: " "}, "bumen", at("2026-10-08 09:00")); !apperr.Is(err, apperr.Invalid) || !n.RepliedAt.IsZero() {
		t.Errorf("empty reply: %v", err)
	}
	if err := n.Answer(supervision.Reply{Explanation: "节前人手不足", Measures: "安排专人值守受理岗"}, "bumen", at("2026-10-08 09:00")); err != nil {
		t.Fatal(err)
	}
	if err := n.Answer(supervision.Reply{Explanation: "再答", Measures: "再答"}, "bumen", at("2026-10-08 10:00")); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("second reply: %v", err)
	}
	if _, err := supervision.NewHandNotice("x", "SCJG", "", "jiandu", at("2026-10-08 09:00"), cal, 2); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("hand notice without a reason: %v", err)
	}
}
