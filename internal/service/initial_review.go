package service

import (
	"context"
	"slices"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// Delegated initial review (委托初审, issue 15 item 4): the bureau marks an
// item (catalog.Item.InitialReviewDays); a case of it taken in at a street
// centre that has a street reviewer (org.RoleStreetReviewer) waits for that
// reviewer's 初审通过 before the department may accept it. The rules are
// casework's (initial_review.go); here the intake learns where the initial
// review is done, the catalog keeps the mark the bureau's, accounts of the
// role belong to a street, and the street reviewer's work list.

// initialReviewAt tells the intake at the plan's hall where the initial
// review of a delegated item is done: at a street centre with an active
// street reviewer, by that street. Elsewhere (the district hall, a
// community station, a street with no reviewer yet) the department
// accepts as before.
func (s *Casework) initialReviewAt(ctx context.Context, p *hallPlan, env *casework.Env) error {
	if p == nil || p.Hall.Level != org.Street {
		return nil
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(users, func(u org.User) bool {
		return u.Active && u.HallCode == p.Hall.Code && u.Holds(org.RoleStreetReviewer)
	}) {
		env.InitialReviewAt.Code, env.InitialReviewAt.Name = p.Hall.Code, p.Hall.Name
	}
	return nil
}

// keepInitialReview makes the item's initial review the bureau's to set:
// a department admin's edit keeps the current version's (and may not
// change it); the bureau admin's may not outlast the acceptance the
// applicant waits for (R5), which the initial review never stretches.
func (s *Admin) keepInitialReview(ctx context.Context, a *Actor, it *catalog.Item) error {
	if a.Is(org.RoleDeptAdmin) {
		cur := 0
		switch prev, err := s.store.Item(ctx, it.Code); {
		case err == nil:
			cur = prev.InitialReviewDays
		case !apperr.Is(err, apperr.NotFound):
			return err
		}
		if it.InitialReviewDays != 0 && it.InitialReviewDays != cur {
			return apperr.New(apperr.Forbidden, "委托街道初审由行政审批局设定，部门管理员不能修改")
		}
		it.InitialReviewDays = cur
		return nil
	}
	if it.InitialReviewDays == 0 {
		return nil
	}
	accept := casework.DefaultPolicy().AcceptDays
	switch p, err := s.store.DeadlinePolicy(ctx); {
	case err == nil && p.Policy.AcceptDays > 0:
		accept = p.Policy.AcceptDays
	case err != nil && !apperr.Is(err, apperr.NotFound):
		return err
	}
	if it.InitialReviewDays > accept {
		return apperr.Field("initial_review_days", "委托初审的期限不能超过部门受理期限（收件后 "+itoa(accept)+
			" 个工作日）：申请人的受理期限不因初审延长")
	}
	return nil
}

// checkStreetReviewer refuses a street reviewer's account whose hall is
// not a street centre: the initial review is a street's.
func (s *Admin) checkStreetReviewer(ctx context.Context, u *org.User) error {
	if !u.Holds(org.RoleStreetReviewer) {
		return nil
	}
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(halls, func(h org.Hall) bool { return h.Code == u.HallCode })
	if i < 0 || halls[i].Level != org.Street {
		return apperr.Field("hall", "街道初审人员须属于一个街道为民服务中心")
	}
	return nil
}

// InitialReviewList is a street's initial review work list (委托初审).
type InitialReviewList struct {
	Hall org.Hall
	// Pending wait for the street's initial review, the earliest due
	// first; Passed have passed it and wait for the department's
	// acceptance.
	Pending, Passed []*CaseView
}

// InitialReviews returns the initial review work list of hall: the street
// reviewer's own street (hall may be left empty), a hall manager's own
// hall, any street for the bureau admin and supervisors. The page and
// GET /api/v1/initial-reviews both call it.
func (s *Casework) InitialReviews(ctx context.Context, hall string) (*InitialReviewList, error) {
	a, err := require(ctx, "查看委托初审清单", org.RoleStreetReviewer, org.RoleHallManager, org.RoleAdmin, org.RoleSupervisor)
	if err != nil {
		return nil, err
	}
	if u := a.User; u != nil && (u.Role == org.RoleStreetReviewer || u.Role == org.RoleHallManager) {
		if hall != "" && hall != u.HallCode {
			return nil, apperr.New(apperr.Forbidden, "只能查看本大厅的委托初审清单")
		}
		hall = u.HallCode
	}
	if hall == "" {
		return nil, apperr.Field("hall", "请选择街道为民服务中心")
	}
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(halls, func(h org.Hall) bool { return h.Code == hall })
	if i < 0 {
		return nil, apperr.New(apperr.NotFound, "未知的大厅：%s", hall)
	}
	ca, err := caseActor(ctx)
	if err != nil {
		return nil, err
	}
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	list := &InitialReviewList{Hall: halls[i]}
	sf := store.CaseFilter{States: []casework.State{casework.Received}, Hall: hall, Size: 200}
	var views []*CaseView
	for sf.Page = 1; ; sf.Page++ {
		cases, total, err := s.store.Cases(ctx, sf)
		if err != nil {
			return nil, err
		}
		for i := range cases {
			c := &cases[i]
			if c.InitialReview == nil || c.InitialReview.Hall != hall {
				continue
			}
			v := s.view(c, ca, env)
			views = append(views, v)
			if c.InitialReviewPending() {
				list.Pending = append(list.Pending, v)
			} else {
				list.Passed = append(list.Passed, v)
			}
		}
		if sf.Page*sf.Size >= total {
			break
		}
	}
	if err := s.nameReceivers(ctx, views); err != nil {
		return nil, err
	}
	slices.SortStableFunc(list.Pending, func(x, y *CaseView) int {
		return x.Case.Deadlines.InitialReviewBy.Compare(y.Case.Deadlines.InitialReviewBy)
	})
	return list, nil
}
