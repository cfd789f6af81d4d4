package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/rating"
)

// RectificationNames are the names a person reads on a rectification: the
// rated department, the hall and the clerk, and everyone who acted on it,
// never a code or a username ("" when unknown).
type RectificationNames struct {
	Department string
	Hall       string
	Clerk      string
	actors     map[string]string
}

// Actor returns the real name of the username who took a step; the
// system's own steps read 系统.
func (n RectificationNames) Actor(username string) string {
	if username == "system" {
		return "系统"
	}
	return n.actors[username]
}

// nameRectifications fills the names of every view.
func (s *Ratings) nameRectifications(ctx context.Context, views ...*RectificationView) error {
	depts, err := s.store.Departments(ctx)
	if err != nil {
		return err
	}
	deptNames := make(map[string]string, len(depts))
	for _, d := range depts {
		deptNames[d.Code] = d.Name
	}
	users := map[string]bool{}
	for _, v := range views {
		x := v.Rectification
		users[x.Clerk] = true
		for _, e := range x.Events {
			users[e.Actor] = true
		}
	}
	list := make([]string, 0, len(users))
	for u := range users {
		if u != "" {
			list = append(list, u)
		}
	}
	names, err := s.store.UserNames(ctx, list)
	if err != nil {
		return err
	}
	halls := s.hallNames(ctx)
	for _, v := range views {
		x := v.Rectification
		v.Names = RectificationNames{Department: deptNames[x.Department], Clerk: names[x.Clerk], actors: names}
		if halls != nil && x.HallCode != "" {
			v.Names.Hall = halls(x.HallCode)
		}
	}
	return nil
}

// proposedLabel is the outcome a report asks to confirm, in words.
func proposedLabel(x *rating.Rectification) string {
	if x.State != rating.Confirming {
		return ""
	}
	return x.Proposed.Label()
}
