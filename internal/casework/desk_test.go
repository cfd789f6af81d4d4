package casework_test

import (
	"slices"
	"testing"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
)

func deadlineNames(ds []casework.Due) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Name)
	}
	return out
}

// TestDeskWork: a case is on the work list of the desks that can act on it
// now, and each desk answers for the deadlines its actions end.
func TestDeskWork(t *testing.T) {
	rev := reviewer("SCJG")
	now := at(2026, 3, 2, 9, 0)
	h := takeIn(t, promisedIntake(), now) // M04, M05 deferred; paper to sign for

	if got := deadlineNames(h.c.DeskDeadlines(intakeClerk)); !slices.Equal(got, []string{"supply_by"}) {
		t.Errorf("the intake desk answers for %v, want [supply_by] (not the handover nor the acceptance)", got)
	}
	if got := deadlineNames(h.c.DeskDeadlines(rev)); !slices.Equal(got, []string{"accept_by", "handover_by"}) {
		t.Errorf("the reviewer answers for %v, want [accept_by handover_by]", got)
	}
	if got := h.c.DeskDeadlines(issuanceClerk); len(got) != 0 {
		t.Errorf("the issuance desk answers for %v", got)
	}
	if got := casework.Awaiting(h.c, intakeClerk, env(now)); !slices.Equal(got, []casework.Action{casework.ActSupply}) {
		t.Errorf("the case awaits %v of the intake desk, want [supply] (withdrawal puts no case on a list)", got)
	}
	if got := casework.Awaiting(h.c, reviewer("RSJ"), env(now)); len(got) != 0 {
		t.Errorf("another department's reviewer is awaited for %v", got)
	}

	// Past the handover's time: red for the reviewer, not for the intake desk.
	late := at(2026, 3, 3, 9, 0)
	if w := casework.WarningAmong(cal, late, h.c.DeskDeadlines(rev)); w != calendar.WarningRed {
		t.Errorf("the reviewer's warning %s, want red", w)
	}
	if w := casework.WarningAmong(cal, late, h.c.DeskDeadlines(intakeClerk)); w == calendar.WarningRed {
		t.Errorf("the intake desk's warning is red for the department's handover")
	}
	if w := h.c.Warning(cal, late); w != calendar.WarningRed {
		t.Errorf("the case's own warning %s, want red", w)
	}

	// Without deferred materials the intake desk has nothing to do.
	h.do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk)
	if got := casework.Awaiting(h.c, intakeClerk, env(h.now)); len(got) != 0 {
		t.Errorf("after supply the case awaits %v of the intake desk", got)
	}

	for _, c := range []struct {
		role org.Role
		want []casework.State
	}{
		{org.RoleIntake, []casework.State{casework.Submitted, casework.Returned, casework.Received, casework.Accepted, casework.Decided, casework.Delivered}},
		{org.RoleSupervisor, nil},
	} {
		got := casework.DeskStates(c.role)
		slices.Sort(got)
		slices.Sort(c.want)
		if !slices.Equal(got, c.want) {
			t.Errorf("DeskStates(%s) = %v, want %v", c.role, got, c.want)
		}
	}
}

// TestRefusedActionsSayWhy: the decision held up by deferred materials is
// listed with the guard's reason, not left out in silence (issue 13 point
// 10); actions of another role or another state are not listed.
func TestRefusedActionsSayWhy(t *testing.T) {
	rev := reviewer("SCJG")
	now := at(2026, 3, 2, 9, 0)
	h := takeIn(t, promisedIntake(), now)
	h.do(casework.ActAccept, casework.Input{}, rev)
	h.do(casework.ActHandover, casework.Input{}, rev)
	refused := casework.Refused(h.c, rev, env(h.now))
	i := slices.IndexFunc(refused, func(r casework.Refusal) bool { return r.Action == casework.ActDecide })
	if i < 0 || refused[i].Reason != "容缺材料尚未补齐，不能作出决定" || refused[i].Label != "作出决定" {
		t.Fatalf("refused actions %+v: want the decision with its reason", refused)
	}
	for _, r := range refused {
		if slices.Contains(casework.Allowed(h.c, rev, env(h.now)), r.Action) {
			t.Errorf("%s is both allowed and refused", r.Action)
		}
		if r.Action == casework.ActSupply || r.Action == casework.ActApproveExtension {
			t.Errorf("another role's action %s is listed for the reviewer", r.Action)
		}
	}
	if got := casework.Refused(h.c, reviewer("RSJ"), env(h.now)); len(got) != 0 {
		t.Errorf("another department's reviewer is told of %+v", got)
	}
}
