package service

import (
	"context"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
)

// AddUser creates a staff account with password. Bureau admins and the
// system may add any account; a department admin only its own
// department's reviewers.
func (s *Admin) AddUser(ctx context.Context, u *org.User, password string) error {
	a, err := require(ctx, "添加账号", org.RoleAdmin, org.RoleDeptAdmin)
	if err != nil {
		return err
	}
	if u.Username, err = org.ParseUsername("username", u.Username); err != nil {
		return err
	}
	if strings.TrimSpace(u.Name) == "" {
		u.Name = u.Username
	}
	u.SetRoles(u.PrimaryRole(), u.ExtraRoles())
	if a.Is(org.RoleDeptAdmin) && (u.Role != org.RoleReviewer || u.Switches() || u.DepartmentCode != a.User.DepartmentCode) {
		return apperr.New(apperr.Forbidden, "部门管理员只能为本部门添加审批人员")
	}
	u.Active = true
	if err := u.Validate(); err != nil {
		return err
	}
	if err := s.checkStreetReviewer(ctx, u); err != nil { // initial_review.go
		return err
	}
	if err := org.ValidatePassword(password); err != nil {
		return err
	}
	if u.PasswordHash, err = org.HashPassword(password); err != nil {
		return apperr.Wrap(err, "hash password")
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return err
	}
	s.log.Info("account added", "username", u.Username, "role", u.Role, "roles", org.RolesText(u.HeldRoles()), "by", a.Name())
	return nil
}

// Users lists every account (admins and supervisors).
func (s *Admin) Users(ctx context.Context) ([]org.User, error) {
	if _, err := require(ctx, "查看账号", org.RoleAdmin, org.RoleSupervisor); err != nil {
		return nil, err
	}
	return s.store.Users(ctx)
}
