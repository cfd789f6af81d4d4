package service_test

import (
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestMyWork: each desk's list holds the cases it can act on now, coloured
// by its own deadlines; roles without a desk are refused.
func TestMyWork(t *testing.T) {
	t.Parallel()
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		plain, err := svc.Intake(as["shouli"], deskApplication(false)) // waits on the department
		if err != nil {
			t.Fatal(err)
		}
		in := deskApplication(false)
		in.Materials[3].Status, in.Materials[4].Status = casework.Deferred, casework.Deferred
		owed, err := svc.Intake(as["shouli"], in) // the intake desk owes M04, M05
		if err != nil {
			t.Fatal(err)
		}
		clk.Set(start.Add(8 * time.Hour)) // past the paper's handover time: red for the department
		list := func(user string) map[string]calendar.Warning {
			t.Helper()
			p, err := svc.MyWork(as[user])
			if err != nil {
				t.Fatalf("%s: %v", user, err)
			}
			out := map[string]calendar.Warning{}
			for _, v := range p.Cases {
				out[v.Case.Number] = v.Warning
			}
			return out
		}
		intake := list("shouli")
		if _, ok := intake[plain.Case.Number]; ok || intake[owed.Case.Number] == calendar.WarningRed {
			t.Errorf("the intake desk's list %v: want only %s, not red", intake, owed.Case.Number)
		}
		review := list("shenpi")
		if review[plain.Case.Number] != calendar.WarningRed || review[owed.Case.Number] != calendar.WarningRed {
			t.Errorf("the reviewer's list %v: want both cases red (handover overdue)", review)
		}
		if got := list("chujian"); len(got) != 0 {
			t.Errorf("the issuance desk's list %v, want empty", got)
		}
		p, err := svc.MyWork(as["shenpi"])
		if err != nil || !slices.IsSortedFunc(p.Cases, func(a, b *service.CaseView) int { return a.WarningRank - b.WarningRank }) {
			t.Errorf("the reviewer's list is not red first (%v)", err)
		}
		if _, err := svc.MyWork(as["jiandu"]); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a supervisor's work list: %v, want forbidden", err)
		}
	})
}
