package casework_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
)

// fixture is a case brought into one state (and sub-state) through the real
// transitions, and the time the table test acts on it.
type fixture struct {
	name  string
	state casework.State
	c     *casework.Case
	now   time.Time
}

// overdue is after the supply_by of a case taken in on Monday 2026-03-02
// (3 working days: Thursday 2026-03-05 17:00).
var overdue = at(2026, 3, 6, 9, 0)

// promisedFixtures covers every state of a SCJG-XK-001 case and the
// sub-states that change what may be done.
func promisedFixtures(t testing.TB) []fixture {
	t0 := at(2026, 3, 2, 9, 30)
	rev := reviewer("SCJG")
	base := func() *history { return takeIn(t, promisedIntake(), t0) }
	mailed := func() *history {
		in := promisedIntake()
		in.Delivery = mailTo()
		return takeIn(t, in, t0)
	}
	ready := func(h *history) *history {
		return h.do(casework.ActAccept, casework.Input{}, rev).
			do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk).
			do(casework.ActHandover, casework.Input{}, rev)
	}
	decided := func(h *history) *history {
		return ready(h).do(casework.ActDecide, validInput(casework.ActDecide), rev)
	}
	resultReady := func(h *history) *history {
		return decided(h).do(casework.ActSubmitResult, casework.Input{}, rev).
			do(casework.ActAcceptResult, casework.Input{}, issuanceClerk)
	}
	fx := func(name string, state casework.State, h *history) fixture {
		return fixture{name: name, state: state, c: h.c, now: h.now.Add(10 * time.Minute)}
	}
	late := func(f fixture) fixture { f.now = overdue; f.name += "/supply overdue"; return f }
	// A case collected at a street: its result travels there, its receipt
	// back (transit.go).
	street := casework.Actor{Username: "zhoum", Role: org.RoleIssuance, HallCode: streetHall, Desk: "window:" + streetHall}
	resultOnItsWay := func() *history {
		h := decided(base())
		h.c.PickupHall = streetHall
		return h.via(casework.ActSubmitResult, casework.Input{}, rev)
	}
	resultArrived := func() *history { return resultOnItsWay().arrive(casework.ArriveResult) }
	receiptOnItsWay := func() *history {
		return resultArrived().do(casework.ActAcceptResult, casework.Input{}, street).
			via(casework.ActDeliver, validInput(casework.ActDeliver), street)
	}
	return []fixture{
		fx("decided/result on its way to a street", casework.Decided, resultOnItsWay()),
		fx("decided/result arrived at the street", casework.Decided, resultArrived()),
		fx("delivered/receipt on its way back", casework.Delivered, receiptOnItsWay()),
		fx("delivered/receipt back at the district hall", casework.Delivered, receiptOnItsWay().arrive(casework.ArriveReceipt)),
		fx("received/deferred and papers pending", casework.Received, base()),
		late(fx("received", casework.Received, base())),
		fx("received/supplied and handed over", casework.Received,
			base().do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk).do(casework.ActHandover, casework.Input{}, rev)),
		fx("accepted/deferred and papers pending", casework.Accepted, base().do(casework.ActAccept, casework.Input{}, rev)),
		late(fx("accepted", casework.Accepted, base().do(casework.ActAccept, casework.Input{}, rev))),
		fx("accepted/ready to decide", casework.Accepted, ready(base())),
		fx("accepted/paused", casework.Accepted, ready(base()).do(casework.ActPause, validInput(casework.ActPause), rev)),
		fx("accepted/paused and resumed", casework.Accepted, ready(base()).do(casework.ActPause, validInput(casework.ActPause), rev).
			do(casework.ActResume, casework.Input{}, rev)),
		fx("accepted/extension requested", casework.Accepted, ready(base()).do(casework.ActExtend, validInput(casework.ActExtend), rev)),
		fx("accepted/extension approved", casework.Accepted, ready(base()).do(casework.ActExtend, validInput(casework.ActExtend), rev).
			do(casework.ActApproveExtension, casework.Input{}, deptAdmin("SCJG"))),
		fx("accepted/hearing under way", casework.Accepted, ready(base()).do(casework.ActStartProcedure, hearing(), rev)),
		fx("accepted/site inspection under way", casework.Accepted, ready(base()).do(casework.ActStartProcedure, validInput(casework.ActStartProcedure), rev)),
		fx("accepted/three levels, to propose", casework.Accepted, ready(levels(t, 3, t0))),
		fx("accepted/three levels, proposed", casework.Accepted, ready(levels(t, 3, t0)).do(casework.ActPropose, validInput(casework.ActPropose), handler)),
		fx("accepted/three levels, checked", casework.Accepted, ready(levels(t, 3, t0)).do(casework.ActPropose, validInput(casework.ActPropose), handler).
			do(casework.ActCheck, casework.Input{}, checker)),
		fx("decided/no result yet", casework.Decided, decided(base())),
		fx("decided/result submitted", casework.Decided, decided(base()).do(casework.ActSubmitResult, casework.Input{}, rev)),
		fx("decided/result refused", casework.Decided, decided(base()).do(casework.ActSubmitResult, casework.Input{}, rev).
			do(casework.ActRefuseResult, validInput(casework.ActRefuseResult), issuanceClerk)),
		fx("result_ready/pickup", casework.ResultReady, resultReady(base())),
		fx("result_ready/to mail", casework.ResultReady, resultReady(mailed())),
		fx("result_ready/mailed", casework.ResultReady, resultReady(mailed()).do(casework.ActMail, validInput(casework.ActMail), issuanceClerk)),
		fx("delivered/picked up", casework.Delivered, resultReady(base()).do(casework.ActDeliver, validInput(casework.ActDeliver), issuanceClerk)),
		fx("delivered/by mail", casework.Delivered, resultReady(mailed()).do(casework.ActMail, validInput(casework.ActMail), issuanceClerk).
			do(casework.ActConfirmDelivery, casework.Input{}, issuanceClerk)),
		fx("archived", casework.Archived, resultReady(base()).do(casework.ActDeliver, validInput(casework.ActDeliver), issuanceClerk).
			do(casework.ActArchive, casework.Input{}, issuanceClerk)),
		fx("returned", casework.Returned, base().do(casework.ActReturn, validInput(casework.ActReturn), rev)),
		late(fx("returned", casework.Returned, base().do(casework.ActReturn, validInput(casework.ActReturn), rev))),
		fx("withdrawn", casework.Withdrawn, base().do(casework.ActWithdraw, validInput(casework.ActWithdraw), intakeClerk)),
		fx("terminated", casework.Terminated, base().do(casework.ActTerminate, validInput(casework.ActTerminate), rev)),
		fx("terminated/lapsed", casework.Terminated, base().doAt(overdue, casework.ActLapse, casework.Input{}, systemActor)),
		fx("submitted/awaiting pre-review", casework.Submitted, submitOnline(t, promisedItem, t0)),
		fx("submitted/pre-review passed", casework.Submitted, submitOnline(t, promisedItem, t0).do(casework.ActPassPreReview, casework.Input{}, rev)),
		fx("submitted/fully online", casework.Submitted, submitOnline(t, fullyOnlineItem, t0)),
		fx("rejected_online", casework.RejectedOnline, submitOnline(t, promisedItem, t0).do(casework.ActFailPreReview, validInput(casework.ActFailPreReview), rev)),
		fx("received/waiting for a prerequisite", casework.Received, waiting(base())),
		fx("submitted/waiting for a prerequisite", casework.Submitted, waiting(submitOnline(t, promisedItem, t0))),
		// The street's initial review (委托初审): initial_review_test.go.
		// Its desk work is placed at the district hall, as the other
		// fixtures' is: the matrix lays the halls out every way.
		fx("received/initial review pending", casework.Received, atDistrict(takeInAtStreet(t, 1, t0))),
		fx("received/initial review passed", casework.Received, atDistrict(takeInAtStreet(t, 1, t0).do(casework.ActPassInitialReview, casework.Input{}, streetReviewerActor))),
		fx("returned/by the initial review", casework.Returned, atDistrict(takeInAtStreet(t, 1, t0).do(casework.ActReturnInitialReview, validInput(casework.ActReturn), streetReviewerActor))),
	}
}

// streetHall is the street centre the travelling fixtures collect at.
const streetHall = "JC-BHJD"

// via applies action with the street centre's transit to the district
// hall known, as the service gives it.
func (h *history) via(action casework.Action, in casework.Input, by casework.Actor) *history {
	h.t.Helper()
	h.now = h.now.Add(10 * time.Minute)
	e := env(h.now)
	e.TransitHub = map[string]string{streetHall: intakeClerk.HallCode}
	ev, docs, err := casework.Apply(h.c, action, in, by, e)
	if err != nil {
		h.t.Fatalf("%s by %s in state %s: %v", action, actorName(by), h.c.State, err)
	}
	h.events, h.docs = append(h.events, ev), append(h.docs, docs)
	return h
}

// arrive signs the current trip of a journey in, as a batch does.
func (h *history) arrive(step func(*casework.Case, string, int, casework.Actor, casework.Env) (casework.Change, error)) *history {
	h.t.Helper()
	h.now = h.now.Add(time.Hour)
	trip := 1
	if h.c.ResultTransit != nil {
		trip = h.c.ResultTransit.Trip
	}
	if h.c.ReceiptTransit != nil {
		trip = h.c.ReceiptTransit.Trip
	}
	ch, err := step(h.c, "JJ20260302001", trip, casework.Actor{Username: "clerk", Role: org.RoleIssuance}, env(h.now))
	if err != nil {
		h.t.Fatal(err)
	}
	h.events = append(h.events, ch.Event)
	return h
}

// waiting makes the history's case a bundle member waiting for another.
func waiting(h *history) *history {
	h.c.BundleNumber = "YJS20260302001"
	h.c.Wait([]string{"SCJG-XK-003"})
	return h
}

// instantFixtures covers every state of a RSJ-GG-001 case; the states an
// instant case never reaches are set directly.
func instantFixtures(t testing.TB) []fixture {
	t0 := at(2026, 3, 2, 9, 30)
	base := func() *history { return takeIn(t, instantIntake(instantItem), t0) }
	fx := func(name string, state casework.State, h *history) fixture {
		return fixture{name: name, state: state, c: h.c, now: h.now.Add(10 * time.Minute)}
	}
	direct := func(state casework.State) fixture {
		h := base()
		h.c.State = state
		return fx(string(state)+"/set directly", state, h)
	}
	decided := func() *history { return base().do(casework.ActDecide, validInput(casework.ActDecide), intakeClerk) }
	delivered := func() *history {
		return decided().do(casework.ActDeliver, validInput(casework.ActDeliver), intakeClerk)
	}
	return []fixture{
		direct(casework.Submitted),
		fx("received", casework.Received, base()),
		direct(casework.Accepted),
		fx("decided", casework.Decided, decided()),
		direct(casework.ResultReady),
		fx("delivered", casework.Delivered, delivered()),
		fx("archived", casework.Archived, delivered().do(casework.ActArchive, casework.Input{}, intakeClerk)),
		direct(casework.Returned),
		fx("withdrawn", casework.Withdrawn, base().do(casework.ActWithdraw, validInput(casework.ActWithdraw), intakeClerk)),
		fx("terminated", casework.Terminated, base().do(casework.ActTerminate, validInput(casework.ActTerminate), reviewer("RSJ"))),
		direct(casework.RejectedOnline),
	}
}

// rowsOf returns the table's rows for action, of any kind.
func rowsOf(action casework.Action) []casework.Rule {
	var out []casework.Rule
	for _, r := range casework.Table {
		if r.Action == action {
			out = append(out, r)
		}
	}
	return out
}

// rowsFor returns the rows for action on cases of kind.
func rowsFor(action casework.Action, kind catalog.Kind) []casework.Rule {
	var out []casework.Rule
	for _, r := range rowsOf(action) {
		if r.Kinds == nil || slices.Contains(r.Kinds, kind) {
			out = append(out, r)
		}
	}
	return out
}

// rowFor returns the first row for action on cases of kind.
func rowFor(action casework.Action, kind catalog.Kind) (casework.Rule, bool) {
	rows := rowsFor(action, kind)
	if len(rows) == 0 {
		return casework.Rule{}, false
	}
	return rows[0], true
}

// rowIn returns the row for action on cases of kind that names the actor
// and starts from state, if any.
func rowIn(action casework.Action, kind catalog.Kind, a casework.Actor, state casework.State) (casework.Rule, bool) {
	for _, r := range rowsFor(action, kind) {
		if roleIn(r, a) && slices.Contains(r.From, state) {
			return r, true
		}
	}
	return casework.Rule{}, false
}

// anyRoleIn reports whether any of rows names the actor.
func anyRoleIn(rows []casework.Rule, a casework.Actor) bool {
	return slices.ContainsFunc(rows, func(r casework.Rule) bool { return roleIn(r, a) })
}

// roleIn reports whether the row names the actor's role (or the system).
// Department scoping is not the question here: every department actor of
// the table test belongs to the case's department.
func roleIn(r casework.Rule, a casework.Actor) bool {
	if a.System {
		return r.System
	}
	return !r.System && slices.Contains(r.Roles, a.Role)
}

func TestFixturesCoverEveryStateOfBothKinds(t *testing.T) {
	for kind, fixtures := range map[catalog.Kind][]fixture{catalog.Promised: promisedFixtures(t), catalog.Instant: instantFixtures(t)} {
		for _, s := range casework.States {
			if !slices.ContainsFunc(fixtures, func(f fixture) bool { return f.state == s }) {
				t.Errorf("%s: no fixture in state %s", kind, s)
			}
		}
		for _, f := range fixtures {
			if f.c.State != f.state || f.c.Kind != kind {
				t.Errorf("%s: case is %s %s, want %s %s", f.name, f.c.Kind, f.c.State, kind, f.state)
			}
		}
	}
}

// TestTransitionTable acts with every action, as every role and the system,
// on a case in every state of both kinds, and checks the outcome against
// Allowed and the table: what Allowed lists succeeds with valid input and
// refuses a missing one; anything else is 403 when the role can never take
// the action and 409 otherwise, naming what is allowed; an error never
// changes the case.
func TestTransitionTable(t *testing.T) {
	fixtures := append(promisedFixtures(t), instantFixtures(t)...)
	for _, f := range fixtures {
		for _, action := range casework.Actions() {
			for _, a := range actorsFor(f.c.DepartmentCode) {
				if h := f.c.DeskHall(casework.PickupHall); a.Role == org.RoleIssuance && h != "" {
					// The issuance clerk of the case's pickup hall: halls
					// are the matrix test's question.
					a.HallCode = h
				}
				name := string(f.c.Kind) + "/" + f.name + "/" + string(action) + "/" + actorName(a)
				t.Run(name, func(t *testing.T) {
					checkTransition(t, f, action, a)
				})
			}
		}
	}
}

func checkTransition(t *testing.T, f fixture, action casework.Action, a casework.Actor) {
	c := cloneCase(f.c)
	before := cloneCase(c)
	e := env(f.now)
	allowed := casework.Allowed(c, a, e)
	for _, x := range allowed {
		if _, ok := rowIn(x, c.Kind, a, c.State); !ok {
			t.Fatalf("Allowed lists %s, which the table does not give %s on a %s case in %s", x, actorName(a), c.Kind, c.State)
		}
	}

	if slices.Contains(allowed, action) {
		if needsInput(action) {
			_, _, err := casework.Apply(c, action, casework.Input{}, a, e)
			wantCode(t, err, apperr.Invalid)
			if !reflect.DeepEqual(c, before) {
				t.Fatalf("an invalid input changed the case:\n got %+v\nwant %+v", c, before)
			}
		}
		shallow := *c // shares the slices and the extension with c
		ev, _, err := casework.Apply(c, action, validInput(action), a, e)
		if err != nil {
			t.Fatalf("Allowed lists %s but Apply fails: %v", action, err)
		}
		if !reflect.DeepEqual(&shallow, before) {
			t.Errorf("Apply wrote through into the slices or the extension of the case it was given:\n got %+v\nwant %+v", &shallow, before)
		}
		row, _ := rowIn(action, c.Kind, a, before.State)
		want := row.To
		if want == "" {
			want = before.State
		}
		if c.State != want {
			t.Errorf("state = %s, want %s", c.State, want)
		}
		wantActor := a.Username
		if a.System {
			wantActor = "system"
		}
		if ev.Type != action || ev.From != before.State || ev.To != c.State || ev.Actor != wantActor || ev.Desk != a.Desk || !ev.At.Equal(f.now) {
			t.Errorf("event = %+v, want %s %s→%s by %s at %s", ev, action, before.State, c.State, wantActor, f.now)
		}
		if c.State.Closed() != !c.ClosedAt.IsZero() {
			t.Errorf("state %s with ClosedAt %v", c.State, c.ClosedAt)
		}
		return
	}

	ev, docs, err := casework.Apply(c, action, validInput(action), a, e)
	if err == nil {
		t.Fatalf("Apply succeeded (%s→%s) but Allowed = %v", ev.From, ev.To, allowed)
	}
	if ev != nil || docs != nil {
		t.Errorf("a refused action returned an event %v or documents %v", ev, docs)
	}
	if !reflect.DeepEqual(c, before) {
		t.Fatalf("a refused action changed the case:\n got %+v\nwant %+v", c, before)
	}
	// 403 when no row of the table for this kind of case names the role;
	// for an action of the other kind only, when no row names it at all.
	rows := rowsFor(action, c.Kind)
	ok := len(rows) > 0
	if ok && !anyRoleIn(rows, a) || !ok && !anyRoleIn(rowsOf(action), a) {
		wantCode(t, err, apperr.Forbidden)
		return
	}
	wantCode(t, err, apperr.Conflict)
	if !ok {
		if msg := apperr.MessageOf(err); !strings.Contains(msg, "不适用于"+map[catalog.Kind]string{catalog.Instant: "即办件", catalog.Promised: "承诺件"}[c.Kind]) {
			t.Errorf("message %q does not say the action is not for this kind of case", msg)
		}
		return
	}
	_, guarded := rowIn(action, c.Kind, a, c.State)
	se := stateError(err)
	if se == nil {
		if !guarded {
			t.Fatalf("a 409 for state %s is %T (%v), want a *StateError listing the allowed actions", c.State, err, err)
		}
		return // a guard's refusal: the state is right, a sub-state is not
	}
	if se.State != c.State || se.Action != action {
		t.Errorf("StateError names %s/%s, want %s/%s", se.State, se.Action, c.State, action)
	}
	if !slices.Equal(se.Allowed, allowed) {
		t.Errorf("StateError.Allowed = %v, Allowed = %v", se.Allowed, allowed)
	}
	for _, x := range allowed {
		if !strings.Contains(apperr.MessageOf(err), string(x)) {
			t.Errorf("message %q does not name the allowed action %s", apperr.MessageOf(err), x)
		}
	}
}

// TestAllowedByRole pins, for the cases in their usual states, exactly what
// each role may do: the buttons a clerk sees.
func TestAllowedByRole(t *testing.T) {
	find := func(fs []fixture, name string) fixture {
		for _, f := range fs {
			if f.name == name {
				return f
			}
		}
		t.Fatalf("no fixture %q", name)
		return fixture{}
	}
	p, i := promisedFixtures(t), instantFixtures(t)
	A := func(xs ...casework.Action) []casework.Action { return xs }
	rev, rsj := reviewer("SCJG"), reviewer("RSJ")
	tests := []struct {
		f     fixture
		actor casework.Actor
		want  []casework.Action
	}{
		{find(p, "received/deferred and papers pending"), rev, A(casework.ActAccept, casework.ActReturn, casework.ActRefuseAcceptance, casework.ActHandover, casework.ActTerminate)},
		{find(p, "received/deferred and papers pending"), intakeClerk, A(casework.ActSupply, casework.ActWithdraw)},
		{find(p, "received/deferred and papers pending"), systemActor, nil},
		{find(p, "received/supply overdue"), systemActor, A(casework.ActLapse)},
		{find(p, "returned/supply overdue"), systemActor, A(casework.ActLapse)},
		{find(p, "returned"), intakeClerk, A(casework.ActResubmit, casework.ActSupply, casework.ActWithdraw)},
		{find(p, "accepted/ready to decide"), rev, A(casework.ActPause, casework.ActExtend, casework.ActStartProcedure, casework.ActDecide, casework.ActTerminate)},
		{find(p, "accepted/ready to decide"), deptAdmin("SCJG"), nil},
		{find(p, "accepted/deferred and papers pending"), rev, A(casework.ActHandover, casework.ActPause, casework.ActExtend, casework.ActStartProcedure, casework.ActTerminate)},
		{find(p, "accepted/paused"), rev, A(casework.ActResume, casework.ActExtend, casework.ActStartProcedure, casework.ActTerminate)},
		{find(p, "accepted/extension requested"), rev, A(casework.ActPause, casework.ActStartProcedure, casework.ActTerminate)},
		{find(p, "accepted/extension requested"), deptAdmin("SCJG"), A(casework.ActApproveExtension, casework.ActRejectExtension)},
		{find(p, "accepted/extension approved"), rev, A(casework.ActPause, casework.ActStartProcedure, casework.ActDecide, casework.ActTerminate)},
		{find(p, "accepted/hearing under way"), rev, A(casework.ActExtend, casework.ActFinishProcedure, casework.ActTerminate)},
		{find(p, "accepted/site inspection under way"), rev, A(casework.ActPause, casework.ActExtend, casework.ActFinishProcedure, casework.ActTerminate)},
		{find(p, "accepted/three levels, to propose"), rev, A(casework.ActPause, casework.ActExtend, casework.ActStartProcedure, casework.ActPropose, casework.ActTerminate)},
		{find(p, "accepted/three levels, to propose"), deptAdmin("SCJG"), nil},
		{find(p, "accepted/three levels, proposed"), rev, A(casework.ActPause, casework.ActExtend, casework.ActStartProcedure, casework.ActCheck, casework.ActSendBack, casework.ActTerminate)},
		{find(p, "accepted/three levels, proposed"), deptAdmin("SCJG"), A(casework.ActCheck, casework.ActSendBack)},
		{find(p, "accepted/three levels, proposed"), handler, A(casework.ActPause, casework.ActExtend, casework.ActStartProcedure, casework.ActTerminate)},
		{find(p, "accepted/three levels, checked"), rev, A(casework.ActPause, casework.ActExtend, casework.ActStartProcedure, casework.ActSendBack, casework.ActDecide, casework.ActTerminate)},
		{find(p, "accepted/three levels, checked"), deptAdmin("SCJG"), A(casework.ActSendBack, casework.ActDecide)},
		{find(p, "accepted/three levels, checked"), checker, A(casework.ActPause, casework.ActExtend, casework.ActStartProcedure, casework.ActTerminate)},
		{find(p, "decided/no result yet"), rev, A(casework.ActSubmitResult)},
		{find(p, "decided/result submitted"), issuanceClerk, A(casework.ActRefuseResult, casework.ActAcceptResult)},
		{find(p, "decided/result submitted"), rev, nil},
		{find(p, "decided/result refused"), rev, A(casework.ActSubmitResult)},
		{find(p, "result_ready/pickup"), issuanceClerk, A(casework.ActDeliver)},
		{find(p, "result_ready/to mail"), issuanceClerk, A(casework.ActMail)},
		{find(p, "result_ready/mailed"), issuanceClerk, A(casework.ActConfirmDelivery)},
		{find(p, "delivered/picked up"), issuanceClerk, A(casework.ActArchive)},
		{find(p, "delivered/picked up"), intakeClerk, nil},
		{find(p, "archived"), issuanceClerk, nil},
		{find(i, "received"), intakeClerk, A(casework.ActDecide, casework.ActWithdraw)},
		{find(i, "received"), rsj, A(casework.ActDecide, casework.ActTerminate)},
		{find(i, "decided"), intakeClerk, A(casework.ActDeliver)},
		{find(i, "decided"), issuanceClerk, A(casework.ActDeliver)},
		{find(i, "delivered"), intakeClerk, A(casework.ActArchive)},
	}
	for _, tt := range tests {
		got := casework.Allowed(tt.f.c, tt.actor, env(tt.f.now))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s %s, %s: Allowed = %v, want %v", tt.f.c.Kind, tt.f.name, actorName(tt.actor), got, tt.want)
		}
	}
}

// TestDepartmentScoping: department roles act only on their department's
// cases, the intake desk decides only delegated instant items, only the
// issuance desk mails, and the supervisor changes nothing.
func TestDepartmentScoping(t *testing.T) {
	t.Run("reviewer of another department", func(t *testing.T) {
		other := reviewer("WSJK")
		for _, f := range promisedFixtures(t) {
			for _, r := range casework.Table {
				if !slices.Contains(r.Roles, org.RoleReviewer) || !r.OwnDepartment {
					continue
				}
				c := cloneCase(f.c)
				before := cloneCase(c)
				_, _, err := casework.Apply(c, r.Action, validInput(r.Action), other, env(f.now))
				wantCode(t, err, apperr.Forbidden)
				if msg := apperr.MessageOf(err); !strings.Contains(msg, f.c.DepartmentCode) {
					t.Errorf("%s %s: message %q does not name the case's department %s", f.name, r.Action, msg, f.c.DepartmentCode)
				}
				if !reflect.DeepEqual(c, before) {
					t.Errorf("%s %s: a refused action changed the case", f.name, r.Action)
				}
			}
			if got := casework.Allowed(f.c, other, env(f.now)); len(got) != 0 {
				t.Errorf("%s: a WSJK reviewer is allowed %v on a SCJG case", f.name, got)
			}
		}
	})

	t.Run("dept_admin of another department", func(t *testing.T) {
		h := takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30)).
			do(casework.ActAccept, casework.Input{}, reviewer("SCJG")).
			do(casework.ActExtend, validInput(casework.ActExtend), reviewer("SCJG"))
		for _, action := range []casework.Action{casework.ActApproveExtension, casework.ActRejectExtension} {
			c := cloneCase(h.c)
			_, _, err := casework.Apply(c, action, validInput(action), deptAdmin("WSJK"), env(h.now.Add(time.Hour)))
			wantCode(t, err, apperr.Forbidden)
			if !strings.Contains(apperr.MessageOf(err), "SCJG") {
				t.Errorf("%s: message %q does not name SCJG", action, apperr.MessageOf(err))
			}
			if !reflect.DeepEqual(c, h.c) {
				t.Errorf("%s: a refused action changed the case", action)
			}
		}
		h.do(casework.ActApproveExtension, casework.Input{}, deptAdmin("SCJG"))
		if h.c.Extension.State != casework.ExtensionApproved || h.c.Extension.DecidedBy != "adm-scjg" {
			t.Errorf("extension = %+v, want approved by adm-scjg", h.c.Extension)
		}
	})

	t.Run("instant item not delegated", func(t *testing.T) {
		h := takeIn(t, instantIntake(undelegatedItem), at(2026, 3, 2, 9, 30))
		if h.c.Delegated {
			t.Fatal("GHZY-GG-001 is taken as delegated")
		}
		e := env(h.now.Add(time.Minute))
		if slices.Contains(casework.Allowed(h.c, intakeClerk, e), casework.ActDecide) {
			t.Error("Allowed offers the intake desk to decide an item not delegated to it")
		}
		for _, a := range []casework.Actor{intakeClerk, reviewer("RSJ"), issuanceClerk, supervisor} {
			c := cloneCase(h.c)
			_, _, err := casework.Apply(c, casework.ActDecide, validInput(casework.ActDecide), a, e)
			wantCode(t, err, apperr.Forbidden)
			if !reflect.DeepEqual(c, h.c) {
				t.Errorf("%s: a refused decision changed the case", actorName(a))
			}
		}
		c := cloneCase(h.c)
		_, _, err := casework.Apply(c, casework.ActDecide, validInput(casework.ActDecide), intakeClerk, e)
		if msg := apperr.MessageOf(err); !strings.Contains(msg, "实施部门的审批人员") || strings.Contains(msg, "GHZY") {
			t.Errorf("message %q does not say who decides, in words (no department code)", msg)
		}
		if !slices.Contains(casework.Allowed(h.c, reviewer("GHZY"), e), casework.ActDecide) {
			t.Error("Allowed does not offer the GHZY reviewer to decide")
		}
		h.do(casework.ActDecide, validInput(casework.ActDecide), reviewer("GHZY"))
		if h.c.State != casework.Decided || h.c.Outcome != casework.Approve {
			t.Errorf("after the GHZY reviewer's decision: %s %s", h.c.State, h.c.Outcome)
		}
	})

	t.Run("only the issuance desk mails", func(t *testing.T) {
		var f fixture
		for _, x := range promisedFixtures(t) {
			if x.name == "result_ready/to mail" {
				f = x
			}
		}
		for _, a := range append(actorsFor("SCJG"), reviewer("WSJK")) {
			c := cloneCase(f.c)
			_, _, err := casework.Apply(c, casework.ActMail, validInput(casework.ActMail), a, env(f.now))
			if a.Role == org.RoleIssuance && !a.System {
				if err != nil {
					t.Errorf("the issuance desk cannot mail: %v", err)
				}
				continue
			}
			wantCode(t, err, apperr.Forbidden)
		}
	})

	t.Run("supervisor changes nothing", func(t *testing.T) {
		for _, f := range append(promisedFixtures(t), instantFixtures(t)...) {
			if got := casework.Allowed(f.c, supervisor, env(f.now)); len(got) != 0 {
				t.Errorf("%s %s: supervisor is allowed %v", f.c.Kind, f.name, got)
			}
			for _, action := range casework.Actions() {
				c := cloneCase(f.c)
				_, _, err := casework.Apply(c, action, validInput(action), supervisor, env(f.now))
				if apperr.CodeOf(err) != apperr.Forbidden {
					t.Errorf("%s %s: supervisor's %s gives %v, want forbidden", f.c.Kind, f.name, action, err)
				}
			}
		}
	})

	t.Run("unknown action", func(t *testing.T) {
		h := takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30))
		_, _, err := casework.Apply(h.c, casework.Action("approve-all"), casework.Input{}, reviewer("SCJG"), env(h.now))
		wantField(t, err, "action")
		if casework.Action("approve-all").Valid() || casework.ActIntake.Valid() {
			t.Error("an action outside the table reads as valid")
		}
	})
}

// TestTableRows checks the table against DESIGN.md sections 3 and 4: the
// instant path, who may act, and that every action has a label.
func TestTableRows(t *testing.T) {
	for _, r := range casework.Table {
		if r.Label == "" || r.Action.Label() == string(r.Action) {
			t.Errorf("%s has no Chinese label", r.Action)
		}
		if r.System != (len(r.Roles) == 0) {
			t.Errorf("%s: System=%v with roles %v", r.Action, r.System, r.Roles)
		}
		for _, role := range r.Roles {
			if role == org.RoleSupervisor || role == org.RoleAdmin {
				t.Errorf("%s may be taken by %s, which DESIGN.md section 4 does not allow", r.Action, role)
			}
			// Applicants and their agents act only on their own online
			// applications: resubmitting them or withdrawing them.
			onlineOnly := slices.Equal(r.From, []casework.State{casework.RejectedOnline}) ||
				slices.Equal(r.From, []casework.State{casework.Submitted, casework.RejectedOnline})
			if (role == org.RoleAgent || role == org.RoleApplicant) && !onlineOnly {
				t.Errorf("%s may be taken by %s from %v, beyond the applicant's online application", r.Action, role, r.From)
			}
		}
		if r.Action == casework.ActMail && !slices.Equal(r.Roles, []org.Role{org.RoleIssuance}) {
			t.Errorf("mail may be taken by %v; R11: the issuance desk only", r.Roles)
		}
	}
	// An instant case goes received → decided → delivered → archived.
	path := []casework.State{casework.Received, casework.Decided, casework.Delivered, casework.Archived}
	for i, action := range []casework.Action{casework.ActDecide, casework.ActDeliver, casework.ActArchive} {
		r, ok := rowFor(action, catalog.Instant)
		if !ok || !slices.Equal(r.From, path[i:i+1]) || r.To != path[i+1] {
			t.Errorf("instant %s: %+v, want %s → %s", action, r, path[i], path[i+1])
		}
	}
	if got := casework.Actions(); len(got) != 34 || got[0] != casework.ActAccept || got[len(got)-1] != casework.ActLapse {
		t.Errorf("Actions() = %v", got)
	}
}
