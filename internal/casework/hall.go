package casework

import (
	"github.com/onewindow/onewindow/internal/apperr"
)

// HallRule says at which hall's desk the desk roles of a rule (the intake
// and issuance clerks: org.Role.WorksAtHall) may take its action. Desk
// actions belong to the hall the case is at: where it was taken in, or
// where the applicant collects the result. Department roles (departments
// sit behind every hall), agents, applicants and the system are never
// bound to a hall.
type HallRule int

// The hall rules.
const (
	// NoHall is for rules that name no desk role. A desk role on a rule
	// without a hall rule may not act: the table test requires one.
	NoHall HallRule = iota
	// AnyHall lets the desk of any hall act; the clerk's account still
	// needs a hall. The paper of a passed online application may be
	// brought to any hall (complete-intake), which becomes the case's
	// intake hall.
	AnyHall
	// IntakeHall binds the action to the hall where the case was taken in
	// (Case.HallCode): the intake desk's follow-up work and an instant
	// case's whole visit at the window.
	IntakeHall
	// PickupHall binds the action to the hall where the applicant collects
	// the result (Case.PickupHall): the issuance desk's work.
	PickupHall
)

// String names the rule for messages in tests and logs.
func (h HallRule) String() string {
	switch h {
	case AnyHall:
		return "any hall"
	case IntakeHall:
		return "intake hall"
	case PickupHall:
		return "pickup hall"
	}
	return "no hall"
}

// DeskHall returns the code of the hall whose desk takes actions of rule h
// on the case, "" when h names none or the case has none yet.
//
// A case collects where it was taken in unless it names another pickup
// hall (cases from before pickup halls name none). A fully online case is
// never taken in at a hall: its intake desk is that of its pickup hall.
func (c *Case) DeskHall(h HallRule) string {
	intake, pickup := c.HallCode, c.PickupHall
	if c.OnlineFull {
		intake = pickup
	}
	if pickup == "" {
		pickup = intake
	}
	switch h {
	case IntakeHall:
		return intake
	case PickupHall:
		return pickup
	}
	return ""
}

// atHall reports whether the rule's hall rule lets the actor act on c:
// always for roles not bound to a hall; for a desk role, only with a hall
// of its own and, unless any hall will do, the case's. A case not yet at
// a hall for the rule (an online application before its paper is taken
// in) is refused by its state, or else by unplaced.
func (r Rule) atHall(c *Case, a Actor) bool {
	if a.System || !a.Role.WorksAtHall() {
		return true
	}
	if r.Hall == NoHall || a.HallCode == "" {
		return false
	}
	want := c.DeskHall(r.Hall)
	return r.Hall == AnyHall || want == "" || want == a.HallCode
}

// unplaced refuses a desk role a rule bound to a hall the case does not
// have (it never came to one): no desk may act on it.
func (r Rule) unplaced(c *Case, a Actor) error {
	if a.System || !a.Role.WorksAtHall() || r.Hall == NoHall || r.Hall == AnyHall || c.DeskHall(r.Hall) != "" {
		return nil
	}
	return apperr.New(apperr.Forbidden, "该办件尚未确定办理大厅，不能在窗口办理「%s」", r.Label)
}

// hallRefusal is the 403 of a desk clerk at the wrong hall for r; nil
// when atHall holds.
func (r Rule) hallRefusal(c *Case, a Actor) error {
	if r.atHall(c, a) {
		return nil
	}
	switch {
	case a.HallCode == "":
		return apperr.New(apperr.Forbidden, "您的账号未指定所在大厅，不能在窗口办理「%s」；请局管理员为账号设置所在大厅", r.Label)
	case r.Hall == NoHall:
		return apperr.New(apperr.Forbidden, "窗口人员不能办理「%s」", r.Label)
	}
	return (&HallRefusal{Label: r.Label, CaseHall: c.DeskHall(r.Hall), ClerkHall: a.HallCode, Pickup: r.Hall == PickupHall}).Named(nil)
}

// HallRefusal is the 403 of a clerk at another hall than the one whose
// desk the action belongs to. People read halls by their names: Named
// gives them. The service names them once the change's transaction is
// over, so a refusal never holds a second connection; until then the
// message shows the codes.
type HallRefusal struct {
	Label     string // the rule's Chinese name
	CaseHall  string // the code of the hall whose desk the action belongs to
	ClerkHall string // the code of the clerk's hall
	Pickup    bool   // the case's pickup hall (else its intake hall)
	// Initial is the street's initial review (委托初审): the street that
	// took the case in reviews it, a reviewer of another hall may not.
	Initial bool
	err     *apperr.Error
}

// Named returns the refusal with the halls named by name (a hall it
// cannot name keeps its code).
func (e *HallRefusal) Named(name func(code string) string) *HallRefusal {
	say := func(code string) string {
		if name != nil {
			if n := name(code); n != "" {
				return n
			}
		}
		return code
	}
	out := *e
	if e.Initial {
		out.err = apperr.New(apperr.Forbidden, "该办件由%s初审，您所在的%s不能办理「%s」", say(e.CaseHall), say(e.ClerkHall), e.Label)
		return &out
	}
	if e.Pickup {
		out.err = apperr.New(apperr.Forbidden, "该办件的办理结果在%s领取，本窗口所在的%s不能办理「%s」", say(e.CaseHall), say(e.ClerkHall), e.Label)
	} else {
		out.err = apperr.New(apperr.Forbidden, "该办件在%s办理，本窗口所在的%s不能办理「%s」", say(e.CaseHall), say(e.ClerkHall), e.Label)
	}
	return &out
}

func (e *HallRefusal) Error() string { return e.err.Error() }

// Unwrap returns the coded error (forbidden).
func (e *HallRefusal) Unwrap() error { return e.err }
