package casework

import (
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/org"
)

// What a desk's work list holds, and what the case page says of the
// actions a person may not take now, both read from the transition table.

// optional are the actions a desk may take on a case but the case does not
// wait for: the applicant's withdrawal, a termination, a pause or an
// extension. They put no case on a work list.
var optional = []Action{ActWithdraw, ActTerminate, ActPause, ActExtend}

// Awaiting lists the actions the case waits for the actor to take now, in
// table order: Allowed less the optional ones. A case is on a desk's work
// list (我的待办) when this is not empty.
func Awaiting(c *Case, a Actor, env Env) []Action {
	return slices.DeleteFunc(Allowed(c, a, env), func(x Action) bool { return slices.Contains(optional, x) })
}

// DeskStates lists the states in which role has work: the From states of
// every rule of the table that names role and is not optional. A desk's
// work list looks among these.
func DeskStates(role org.Role) []State {
	var out []State
	for _, r := range Table {
		if r.System || slices.Contains(optional, r.Action) || !slices.Contains(r.Roles, role) {
			continue
		}
		for _, st := range r.From {
			if !slices.Contains(out, st) {
				out = append(out, st)
			}
		}
	}
	return out
}

// deadlineActions says which actions end each deadline: the desk that may
// take one of them answers for the deadline.
var deadlineActions = map[string][]Action{
	"prereview_by":      {ActPassPreReview, ActFailPreReview, ActAccept},
	"initial_review_by": {ActPassInitialReview, ActReturnInitialReview},
	"accept_by":         {ActAccept, ActReturn},
	"handover_by":       {ActHandover},
	"supply_by":         {ActSupply},
	"decide_by":         {ActDecide},
	"correct_by":        {ActSubmitResult},
	"archive_by":        {ActArchive},
}

// DeskDeadlines returns the running deadlines the actor answers for: those
// ended by an action whose rule lets the actor's role (of the case's
// department, at the case's hall, where the rule says so) act on the case
// in its state, whatever its guard says now (a decision held up by the
// paper still counts against the reviewer's time).
func (c *Case) DeskDeadlines(a Actor) []Due {
	var out []Due
	for _, d := range c.OpenDeadlines() {
		for _, r := range Table {
			if slices.Contains(deadlineActions[d.Name], r.Action) && (r.Kinds == nil || slices.Contains(r.Kinds, c.Kind)) &&
				slices.Contains(r.From, c.State) && r.mayAct(c, a) {
				out = append(out, d)
				break
			}
		}
	}
	return out
}

// WarningAmong returns the warning of the running deadlines open: red
// when one has passed, yellow when one is within the warning distance,
// else none. It is the one place a warning is judged (Case.Warning is
// that of every running deadline).
func WarningAmong(cal *calendar.Calendar, now time.Time, open []Due) calendar.Warning {
	w := calendar.WarningNone
	for _, d := range open {
		switch cal.Warn(now, d.At) {
		case calendar.WarningRed:
			return calendar.WarningRed
		case calendar.WarningYellow:
			w = calendar.WarningYellow
		}
	}
	return w
}

// Refusal is an action that exists for the actor on the case in its
// state but may not be taken now, with the reason the table's guard gives.
type Refusal struct {
	Action Action `json:"action"`
	Label  string `json:"label"`
	Reason string `json:"reason"`
}

// Refused lists, in table order, the actions the actor's role may take on
// the case in its state (of its department, at its hall) but not now, each
// with its guard's reason: the greyed actions of the case page, so that
// no action disappears without a word.
func Refused(c *Case, a Actor, env Env) []Refusal {
	allowed := Allowed(c, a, env)
	var out []Refusal
	seen := func(x Action) bool {
		return slices.Contains(allowed, x) || slices.ContainsFunc(out, func(r Refusal) bool { return r.Action == x })
	}
	for _, r := range Table {
		if r.Guard == nil || seen(r.Action) || (r.Kinds != nil && !slices.Contains(r.Kinds, c.Kind)) {
			continue
		}
		if !slices.Contains(r.From, c.State) || !r.mayAct(c, a) || r.unplaced(c, a) != nil {
			continue
		}
		if err := r.Guard(c, a, env.Now); err != nil {
			out = append(out, Refusal{Action: r.Action, Label: r.Label, Reason: apperr.MessageOf(err)})
		}
	}
	return out
}
