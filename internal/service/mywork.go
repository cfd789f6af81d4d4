package service

import (
	"context"
	"slices"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// myWorkLimit bounds the cases a work list shows; Total counts them all.
const myWorkLimit = 200

// MyWork returns the signed-in person's work list (我的待办): the cases
// waiting for an action of their desk now (casework.Awaiting: the
// transition table, with its roles, departments, halls and guards), most
// urgent first. Each case's warning, deadlines and words are those of the
// deadlines this desk answers for (Case.DeskDeadlines): the intake desk is
// not shown the department's handover or the issuance desk's archiving.
// A role without a desk (supervisors, administrators) is refused: its
// list is that of the district's warnings (Cases).
func (s *Casework) MyWork(ctx context.Context) (*CasePage, error) {
	a, err := caseActor(ctx)
	if err != nil {
		return nil, err
	}
	states := casework.DeskStates(a.Role)
	if a.System || a.Role == org.RoleApplicant || a.Role == org.RoleAgent || len(states) == 0 {
		return nil, apperr.New(apperr.Forbidden, "该账号没有窗口或部门的待办事项")
	}
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	sf := store.CaseFilter{States: states, Size: 200}
	if a.Role.NeedsDepartment() {
		sf.Department = a.DepartmentCode
	}
	if a.Role == org.RoleStreetReviewer {
		sf.Hall = a.HallCode // the initial review of the cases taken in at their street
	}
	var views []*CaseView
	for sf.Page = 1; ; sf.Page++ {
		cases, total, err := s.store.Cases(ctx, sf)
		if err != nil {
			return nil, err
		}
		for i := range cases {
			c := &cases[i]
			if len(casework.Awaiting(c, a, env)) == 0 {
				continue
			}
			v := s.view(c, a, env)
			v.Open = c.DeskDeadlines(a)
			v.Warning = casework.WarningAmong(env.Cal, env.Now, v.Open)
			v.WarningRank, v.WarningLabel = v.Warning.Rank(), v.Warning.Label()
			v.DueWords = c.DueWordsAmong(env.Cal, env.Now, v.Open)
			v.Running = nil
			for _, d := range v.Open {
				v.Running = append(v.Running, casework.RunningRow(env.Cal, env.Now, d))
			}
			views = append(views, v)
		}
		if sf.Page*sf.Size >= total {
			break
		}
	}
	// Red, then yellow, then the rest; within each, the earliest of the
	// desk's deadlines first, then by number.
	slices.SortStableFunc(views, func(x, y *CaseView) int {
		if x.WarningRank != y.WarningRank {
			return x.WarningRank - y.WarningRank
		}
		xn, yn := x.Next(), y.Next()
		switch {
		case xn != nil && yn != nil && !xn.At.Equal(yn.At):
			return xn.At.Compare(yn.At)
		case xn != nil && yn == nil:
			return -1
		case xn == nil && yn != nil:
			return 1
		}
		return 0
	})
	page := &CasePage{Total: len(views), Page: 1, Size: myWorkLimit}
	page.Cases = views[:min(len(views), myWorkLimit)]
	return page, nil
}
