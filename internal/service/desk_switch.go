package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
)

// One clerk, two desks: an account holding several roles (org/roles.go)
// acts in one of them at a time. A page session keeps the role the person
// switched to (SwitchDesk); an API request names its role in the X-Role
// header. Both come here, so the page and the API refuse a role the
// account does not hold in the same words, and every permission check,
// and every case event's role, reads the acting role (org.User.Role).

// ActingAs returns u acting in role: its primary role when role is empty,
// otherwise the named role if u holds it (403 if not, 400 for an unknown
// role). The account as loaded is not changed. The sign-in middleware and
// the page session call it on every request.
func (s *Access) ActingAs(u *org.User, role string) (*org.User, error) {
	if role == "" {
		role = string(u.PrimaryRole())
	}
	return u.ActingAs(org.Role(role))
}

// SwitchDesk switches the signed-in person to the desk of role, one they
// hold, and returns them acting in it: the page's role switcher (切换到：
// 综合出件). The page session keeps the role for the requests that follow.
func (s *Access) SwitchDesk(ctx context.Context, role string) (*org.User, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if a.User == nil {
		return nil, apperr.New(apperr.Forbidden, "只有工作人员账号可以切换岗位")
	}
	u, err := s.ActingAs(a.User, role)
	if err != nil {
		return nil, err
	}
	r := RequestFrom(ctx)
	s.log.Info("desk switched", "username", u.Username, "from", a.User.Role, "to", u.Role, "channel", r.Channel, "request_id", r.ID)
	return u, nil
}
