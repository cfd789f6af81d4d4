package service

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// The case search (办件查询): Cases with CaseFilter's search fields, and
// the choices the search page offers for them. The applicant's phone is
// found by its keyed hash (store/case_search.go), so only a whole number
// finds a case.

// narrowSearch checks the search fields of f and adds them to sf.
func narrowSearch(f CaseFilter, sf *store.CaseFilter) error {
	var errs apperr.Collector
	if p := strings.TrimSpace(f.Phone); p != "" {
		k, err := casework.SearchPhone("phone", p)
		if err != nil {
			errs.Add("phone", apperr.MessageOf(err))
		}
		sf.Phone = k
	}
	from, to, err := casework.ReceivedBetween(f.From, f.To)
	if err != nil {
		errs.Add("to", apperr.MessageOf(err))
	}
	sf.ReceivedFrom, sf.ReceivedTo = from, to
	sf.Item, sf.ReceivedBy = strings.TrimSpace(f.Item), strings.TrimSpace(f.Clerk)
	errs.Check(utf8.RuneCountInString(sf.Item) <= 64, "item", "事项编码过长")
	errs.Check(utf8.RuneCountInString(sf.ReceivedBy) <= 64, "clerk", "收件人有误")
	return errs.Err("查询条件有误")
}

// SearchChoice is one option of a search field: the value the filter
// takes and the words a person reads (never the value itself).
type SearchChoice struct {
	Value string
	Label string
	Group string // the department of an item, the hall of a clerk
}

// CaseSearchChoices are what the search page offers to choose from: the
// items and departments by name, and the clerks who receive cases by
// their real names.
type CaseSearchChoices struct {
	Departments []SearchChoice
	Items       []SearchChoice
	Clerks      []SearchChoice
}

// SearchChoices returns the choices of the case search for the signed-in
// user: department roles get their own department and its items only; a
// clerk of a hall gets the staff of that hall, an agent no staff, anyone
// else the staff of every hall (grouped by hall).
func (s *Casework) SearchChoices(ctx context.Context) (*CaseSearchChoices, error) {
	a, err := requireIn(ctx, org.WorkCases, "查询办件")
	if err != nil {
		return nil, err
	}
	var dept, hall string
	if a.User != nil {
		if a.User.Role.NeedsDepartment() {
			dept = a.User.DepartmentCode
		}
		hall = a.User.HallCode
	}
	out := &CaseSearchChoices{}
	depts, err := s.store.Departments(ctx)
	if err != nil {
		return nil, err
	}
	deptNames := map[string]string{}
	for _, d := range depts {
		deptNames[d.Code] = d.Name
		if dept == "" || d.Code == dept {
			out.Departments = append(out.Departments, SearchChoice{Value: d.Code, Label: d.Name})
		}
	}
	items, err := s.store.Items(ctx, store.ItemFilter{Department: dept})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		out.Items = append(out.Items, SearchChoice{Value: it.Code, Label: it.Name, Group: deptNames[it.DepartmentCode]})
	}
	slices.SortStableFunc(out.Items, func(x, y SearchChoice) int { return cmp.Compare(x.Group, y.Group) })
	if a.Is(org.RoleAgent) {
		return out, nil // an agent is no hall's staff: no staff list
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	halls := s.hallNames(ctx)
	for _, u := range users {
		if !u.Role.Sees(org.WorkIntake) || u.HallCode == "" || hall != "" && u.HallCode != hall {
			continue
		}
		c := SearchChoice{Value: u.Username, Label: u.Name}
		if halls != nil {
			c.Group = halls(u.HallCode)
		}
		out.Clerks = append(out.Clerks, c)
	}
	slices.SortStableFunc(out.Clerks, func(x, y SearchChoice) int {
		return cmp.Or(cmp.Compare(x.Group, y.Group), cmp.Compare(x.Label, y.Label))
	})
	return out, nil
}
