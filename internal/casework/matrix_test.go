package casework_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/org"
)

// The role × action × hall × department matrix, generated from the
// transition table: every action, as every role of org.Roles (and an
// applicant, and the system), of the case's department and another, at the
// case's intake hall, its pickup hall, a third hall and none, on a case in
// every state and sub-state of both kinds (the table test's fixtures), with
// the case's halls laid out four ways. What each rule of the table says
// decides whether Allowed offers the action and whether Apply takes it;
// a refusal is the 403 or 409 the table implies and changes nothing.

// hallLayout places a case at its halls.
type hallLayout struct {
	name           string
	intake, pickup string
}

var hallLayouts = []hallLayout{
	{"taken in at a street, collected at the district hall", demo.BinheHall, demo.DistrictHall},
	{"taken in and collected at the district hall", demo.DistrictHall, demo.DistrictHall},
	{"from before pickup halls: none recorded", demo.XinqiaoHall, ""},
	{"at no hall yet", "", ""},
}

// demoHalls are the demo district's hall names by code.
var demoHalls = func() map[string]string {
	out := map[string]string{}
	for _, h := range demo.Load().Halls {
		out[h.Code] = h.Name
	}
	return out
}()

// hallNames names the demo district's halls, as the service does.
func hallNames(code string) string { return demoHalls[code] }

// matrixActors is every role at every hall (and none), department roles
// of the case's department and of another, agents and applicants for the
// case's account and another, and the system.
func matrixActors(dept string) []casework.Actor {
	halls := []string{demo.DistrictHall, demo.BinheHall, demo.XinqiaoHall, ""}
	var out []casework.Actor
	for _, role := range org.Roles {
		depts := []string{""}
		if role.NeedsDepartment() {
			depts = []string{dept, "WSJK"}
		}
		accounts := []int64{0}
		if role == org.RoleAgent {
			accounts = []int64{applicantUser.AccountID, applicantUser.AccountID + 1}
		}
		for _, d := range depts {
			for _, h := range halls {
				for _, acc := range accounts {
					out = append(out, casework.Actor{Username: "u-" + string(role), Role: role, DepartmentCode: d, HallCode: h,
						AccountID: acc, Desk: "api"})
				}
			}
		}
	}
	other := applicantUser
	other.AccountID++
	return append(out, applicantUser, other, systemActor)
}

func matrixActorName(a casework.Actor) string {
	if a.System {
		return "system"
	}
	return fmt.Sprintf("%s@dept=%q,hall=%q,account=%d", a.Role, a.DepartmentCode, a.HallCode, a.AccountID)
}

// tableSays is what the table says of the actor and one row on the case:
// whether the row names the actor (role, department, hall), and whether
// the case is at a hall the row can be taken at.
func tableSays(r casework.Rule, c *casework.Case, a casework.Actor) (names, placed bool) {
	if a.System {
		return r.System, true
	}
	if r.System || !slices.Contains(r.Roles, a.Role) {
		return false, true
	}
	if r.OwnDepartment && a.Role.NeedsDepartment() && a.DepartmentCode != c.DepartmentCode {
		return false, true
	}
	if !a.Role.WorksAtHall() {
		return true, true
	}
	want := c.DeskHall(r.Hall)
	switch r.Hall {
	case casework.NoHall:
		return false, true
	case casework.AnyHall:
		return a.HallCode != "", true
	}
	return a.HallCode != "" && (want == "" || want == a.HallCode), want != ""
}

// expectation is what the table says must come of the actor taking action
// on the case: allowed, or the code of the refusal, and the row that is
// taken (or refuses).
type expectation struct {
	allowed bool
	code    apperr.Code
	row     int // index into casework.Table, -1 for none
	hall    bool
}

func expect(c *casework.Case, action casework.Action, a casework.Actor, e casework.Env) expectation {
	var forKind, all []int
	for i, r := range casework.Table {
		if r.Action != action {
			continue
		}
		all = append(all, i)
		if r.Kinds == nil || slices.Contains(r.Kinds, c.Kind) {
			forKind = append(forKind, i)
		}
	}
	namesAny := func(rows []int) (bool, bool) {
		names, hall := false, false
		for _, i := range rows {
			r := casework.Table[i]
			n, _ := tableSays(r, c, a)
			names = names || n
			// The row names the role (and department) but not this hall.
			hall = hall || (!a.System && !r.System && a.Role.WorksAtHall() && slices.Contains(r.Roles, a.Role) && !n)
		}
		return names, hall
	}
	if len(forKind) == 0 {
		if names, hall := namesAny(all); !names {
			return expectation{code: apperr.Forbidden, row: -1, hall: hall}
		}
		return expectation{code: apperr.Conflict, row: -1}
	}
	if names, hall := namesAny(forKind); !names {
		return expectation{code: apperr.Forbidden, row: -1, hall: hall}
	}
	for _, i := range forKind {
		r := casework.Table[i]
		names, placed := tableSays(r, c, a)
		if !names || !slices.Contains(r.From, c.State) {
			continue
		}
		if !placed {
			return expectation{code: apperr.Forbidden, row: i}
		}
		if r.Guard != nil {
			if err := r.Guard(c, a, e.Now); err != nil {
				return expectation{code: apperr.CodeOf(err), row: i}
			}
		}
		return expectation{allowed: true, row: i}
	}
	return expectation{code: apperr.Conflict, row: -1}
}

// matrixFixtures are the table test's fixtures and, so that every row is
// taken from every state it starts from, a bundle member waiting for its
// prerequisite in every state the system's bundle rows start from, and a
// decided case whose papers are pending again (set directly).
func matrixFixtures(t testing.TB) []fixture {
	out := append(promisedFixtures(t), instantFixtures(t)...)
	for _, f := range slices.Clone(out) {
		switch f.state {
		case casework.Submitted, casework.Received, casework.Returned, casework.RejectedOnline:
			if f.c.Waiting() {
				continue
			}
			w := f
			w.c = cloneCase(f.c)
			w.c.BundleNumber = "YJS20260302001"
			w.c.Wait([]string{"SCJG-XK-003"})
			w.name += "/waiting for a prerequisite"
			out = append(out, w)
		case casework.Decided:
			if f.name != "decided/no result yet" {
				continue
			}
			p := f
			p.c = cloneCase(f.c)
			p.c.HandoverAt = time.Time{}
			p.name = "decided/papers pending (set directly)"
			out = append(out, p)
		}
	}
	return out
}

// TestMatrix checks Allowed and Apply against the table for every
// combination; it also checks that every row of the table is taken from
// every state it starts from by someone, for every kind of case it serves
// that the fixtures reach, so no row is left untested.
func TestMatrix(t *testing.T) {
	fixtures := matrixFixtures(t)
	type start struct {
		row   int
		state casework.State
		kind  catalog.Kind
	}
	taken := map[start]bool{}
	reached := map[start]bool{} // the fixtures hold a case of this kind in this state
	checks := 0
	for _, layout := range hallLayouts {
		for _, f := range fixtures {
			c0 := cloneCase(f.c)
			c0.HallCode, c0.PickupHall = layout.intake, layout.pickup
			e := env(f.now)
			for i, r := range casework.Table {
				if slices.Contains(r.From, c0.State) && (r.Kinds == nil || slices.Contains(r.Kinds, c0.Kind)) {
					reached[start{i, c0.State, c0.Kind}] = true
				}
			}
			pristine := cloneCase(c0)
			for _, a := range matrixActors(c0.DepartmentCode) {
				allowed := casework.Allowed(c0, a, e)
				for _, action := range casework.Actions() {
					checks++
					want := expect(c0, action, a, e)
					what := func() string {
						return fmt.Sprintf("%s %s case %q (%s), %s by %s", layout.name, c0.Kind, f.name, c0.State, action, matrixActorName(a))
					}
					if got := slices.Contains(allowed, action); got != want.allowed {
						t.Errorf("%s: Allowed offers it: %v, the table says %v", what(), got, want.allowed)
						continue
					}
					if want.allowed {
						if _, _, err := casework.Apply(cloneCase(c0), action, validInput(action), a, e); err != nil {
							t.Errorf("%s: allowed by the table, Apply refuses: %v", what(), err)
						}
						taken[start{want.row, c0.State, c0.Kind}] = true
						continue
					}
					// A refusal changes nothing: c0 is compared with its
					// pristine copy after each actor's actions.
					_, _, err := casework.Apply(c0, action, validInput(action), a, e)
					if got := apperr.CodeOf(err); got != want.code {
						t.Errorf("%s: %q (%v), the table says %q", what(), got, err, want.code)
					}
					if want.hall {
						checkHallRefusal(t, what(), err, c0, a)
					}
				}
				if !reflect.DeepEqual(c0, pristine) {
					t.Fatalf("%s %s case %q: a refused action of %s changed the case", layout.name, c0.Kind, f.name, matrixActorName(a))
				}
			}
		}
	}
	for s := range reached {
		if !taken[s] {
			r := casework.Table[s.row]
			t.Errorf("nobody took row %d (%s %q) on a %s case in %s", s.row, r.Action, r.Label, s.kind, s.state)
		}
	}
	t.Logf("%d combinations checked; %d rows × start states × kinds taken", checks, len(taken))
}

// checkHallRefusal: a refusal at the wrong hall names the halls by their
// names, never by their codes.
func checkHallRefusal(t *testing.T, what string, err error, c *casework.Case, a casework.Actor) {
	t.Helper()
	if hr := (*casework.HallRefusal)(nil); errors.As(err, &hr) {
		err = hr.Named(hallNames)
	} else if a.HallCode != "" {
		t.Errorf("%s: %v is not a *HallRefusal", what, err)
	}
	msg := apperr.MessageOf(err)
	if apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("%s: the named refusal is %q", what, apperr.CodeOf(err))
	}
	for _, code := range []string{demo.DistrictHall, demo.BinheHall, demo.XinqiaoHall} {
		if strings.Contains(msg, code) {
			t.Errorf("%s: %q shows the hall code %s", what, msg, code)
		}
	}
	if a.HallCode == "" {
		if !strings.Contains(msg, "未指定所在大厅") {
			t.Errorf("%s: %q does not say the account has no hall", what, msg)
		}
		return
	}
	if !strings.Contains(msg, hallNames(a.HallCode)) {
		t.Errorf("%s: %q does not name the clerk's hall %s", what, msg, hallNames(a.HallCode))
	}
	if !strings.Contains(msg, hallNames(c.DeskHall(casework.IntakeHall))) && !strings.Contains(msg, hallNames(c.DeskHall(casework.PickupHall))) {
		t.Errorf("%s: %q names neither of the case's halls", what, msg)
	}
}

// TestDeskHall pins where a case's desk actions are taken.
func TestDeskHall(t *testing.T) {
	tests := []struct {
		name                 string
		c                    casework.Case
		intake, pickup, none string
	}{
		{"window case collected where taken in", casework.Case{HallCode: demo.BinheHall, PickupHall: demo.BinheHall}, demo.BinheHall, demo.BinheHall, ""},
		{"window case collected elsewhere", casework.Case{HallCode: demo.BinheHall, PickupHall: demo.DistrictHall}, demo.BinheHall, demo.DistrictHall, ""},
		{"case from before pickup halls", casework.Case{HallCode: demo.XinqiaoHall}, demo.XinqiaoHall, demo.XinqiaoHall, ""},
		{"fully online case", casework.Case{OnlineFull: true, PickupHall: demo.DistrictHall}, demo.DistrictHall, demo.DistrictHall, ""},
		{"fully online case made by a street's agent", casework.Case{OnlineFull: true, HallCode: demo.BinheHall, PickupHall: demo.DistrictHall},
			demo.DistrictHall, demo.DistrictHall, ""},
		{"online application before its paper is taken in", casework.Case{Channel: casework.Online}, "", "", ""},
	}
	for _, tt := range tests {
		if got := tt.c.DeskHall(casework.IntakeHall); got != tt.intake {
			t.Errorf("%s: intake desk at %q, want %q", tt.name, got, tt.intake)
		}
		if got := tt.c.DeskHall(casework.PickupHall); got != tt.pickup {
			t.Errorf("%s: issuance desk at %q, want %q", tt.name, got, tt.pickup)
		}
		for _, h := range []casework.HallRule{casework.NoHall, casework.AnyHall} {
			if got := tt.c.DeskHall(h); got != tt.none {
				t.Errorf("%s: %s at %q, want none", tt.name, h, got)
			}
		}
	}
}

// TestHallRules checks the table's hall rules against issue 10: every rule
// naming a desk role says at which hall; the intake desk's follow-up work
// and an instant case's visit belong to the intake hall, the issuance
// desk's work on a promised case to the pickup hall; the paper of a passed
// online application may be brought to any hall; no other rule is bound to
// a hall.
func TestHallRules(t *testing.T) {
	want := map[string]casework.HallRule{
		"complete-intake": casework.AnyHall,
		"resubmit":        casework.IntakeHall, "supply": casework.IntakeHall, "withdraw": casework.IntakeHall,
		"decide/instant": casework.IntakeHall, "deliver/instant": casework.IntakeHall, "archive/instant": casework.IntakeHall,
		"refuse-result": casework.PickupHall, "accept-result": casework.PickupHall, "deliver/promised": casework.PickupHall,
		"mail": casework.PickupHall, "confirm-delivery": casework.PickupHall, "archive/promised": casework.PickupHall,
	}
	seen := map[string]bool{}
	for _, r := range casework.Table {
		desk := slices.ContainsFunc(r.Roles, org.Role.WorksAtHall)
		key := string(r.Action)
		if len(r.Kinds) == 1 && (r.Action == casework.ActDecide || r.Action == casework.ActDeliver || r.Action == casework.ActArchive) {
			key += "/" + string(r.Kinds[0])
		}
		switch {
		case !desk && r.Hall != casework.NoHall:
			t.Errorf("%s %q names no desk role but is bound to the %s", r.Action, r.Label, r.Hall)
		case desk && r.Hall != want[key]:
			t.Errorf("%s %q: desk roles %v at the %s, want the %s", r.Action, r.Label, r.Roles, r.Hall, want[key])
		case desk:
			seen[key] = true
		}
	}
	for key := range want {
		if !seen[key] {
			t.Errorf("no desk rule %s in the table", key)
		}
	}
	for _, role := range append(slices.Clone(org.Roles), org.RoleApplicant) {
		if role.WorksAtHall() != (role == org.RoleIntake || role == org.RoleIssuance) {
			t.Errorf("%s works at a hall: %v", role, role.WorksAtHall())
		}
	}
}
