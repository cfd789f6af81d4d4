package org

import (
	"slices"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
)

// One clerk, two desks: in a small hall or a street centre one person may
// work the intake desk and the issuance desk, and sometimes review for one
// department as well. The account then holds several roles; the person
// acts in one of them at a time (User.Role, switched on the page or named
// by an API request), and every action records the role it was taken in.
//
// Which roles go together is decided here once:
//
//   - the hall's desk roles (intake, issuance) and a department's reviewer
//     may be held in any combination: the work of the windows and of the
//     review behind them;
//   - the roles that oversee that work or administer it (department admin,
//     bureau admin, supervisor, hall manager) are held alone: whoever
//     approves extensions, runs accounts or reads the appraisal figures
//     does not also do the work they approve or judge;
//   - an agent (代办员) acts for applicants and is held alone: the person
//     bringing a case in is never the one taking it in.
//
// An account belongs to at most one department and one hall whatever its
// roles: the department of its reviewer role, the hall of its desks.

// combinable lists the roles an account may hold together.
var combinable = []Role{RoleIntake, RoleIssuance, RoleReviewer}

// Combinable reports whether r may be held together with other roles.
func (r Role) Combinable() bool { return slices.Contains(combinable, r) }

// CombinableRoles returns the roles an account may hold together, in the
// order of Roles.
func CombinableRoles() []Role { return slices.Clone(combinable) }

// HeldRoles returns every role the account holds, its primary role first.
func (u *User) HeldRoles() []Role {
	if len(u.Roles) == 0 {
		return []Role{u.Role}
	}
	return slices.Clone(u.Roles)
}

// PrimaryRole is the account's first role: the one stored as its role, in
// which every sign-in starts.
func (u *User) PrimaryRole() Role { return u.HeldRoles()[0] }

// ExtraRoles returns the roles the account holds beside its primary role.
func (u *User) ExtraRoles() []Role { return u.HeldRoles()[1:] }

// Holds reports whether the account holds role r.
func (u *User) Holds(r Role) bool { return slices.Contains(u.HeldRoles(), r) }

// Switches reports whether the account holds more than one role, and so
// may switch desks.
func (u *User) Switches() bool { return len(u.HeldRoles()) > 1 }

// ActingAs returns a copy of the account acting in role r: every
// permission check then reads r. A role the account does not hold is
// refused (Forbidden), an unknown one is invalid.
func (u *User) ActingAs(r Role) (*User, error) {
	if !r.Valid() {
		return nil, apperr.Field("role", "未知的岗位："+string(r))
	}
	if !u.Holds(r) {
		return nil, apperr.New(apperr.Forbidden, "您的账号没有「%s」岗位，不能以该岗位办理；如需兼岗请联系管理员", r.Label())
	}
	c := *u
	c.Roles = u.HeldRoles()
	c.Role = r
	return &c, nil
}

// WithRoles returns the account's roles as primary first, then extra (each
// once, in the order of Roles): what the store keeps and Validate checks.
func WithRoles(primary Role, extra []Role) []Role {
	out := []Role{primary}
	for _, r := range Roles {
		if r != primary && slices.Contains(extra, r) {
			out = append(out, r)
		}
	}
	for _, r := range extra {
		if !r.Valid() && !slices.Contains(out, r) {
			out = append(out, r) // kept, so Validate names it
		}
	}
	return out
}

// ParseRoles reads a list of roles separated by commas or spaces
// ("intake,issuance"), as the command line and the store write them.
func ParseRoles(s string) []Role {
	var out []Role
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		out = append(out, Role(strings.TrimSpace(f)))
	}
	return out
}

// RolesText joins roles with commas.
func RolesText(roles []Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

// RoleLabels names roles in Chinese, joined with "、".
func RoleLabels(roles []Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = r.Label()
	}
	return strings.Join(s, "、")
}

// checkRoles adds to c what is wrong with holding roles together.
func checkRoles(c *apperr.Collector, roles []Role) {
	for i, r := range roles {
		if i > 0 && !r.Valid() {
			c.Add("roles", "未知的岗位："+string(r))
			return
		}
		if slices.Contains(roles[:i], r) {
			c.Add("roles", "岗位「"+r.Label()+"」重复")
			return
		}
	}
	if len(roles) < 2 {
		return
	}
	for _, r := range roles {
		if !r.Combinable() {
			c.Add("roles", "「"+r.Label()+"」须单独设置，不能与其他岗位兼任；可兼任的只有综合受理、综合出件和部门审批")
			return
		}
	}
}

// needsAny reports whether any of roles satisfies need.
func needsAny(roles []Role, need func(Role) bool) bool { return slices.ContainsFunc(roles, need) }

// SetRoles gives the account primary as its role and extra beside it (nil
// Roles for an account of one role), as the administration writes them.
func (u *User) SetRoles(primary Role, extra []Role) {
	u.Role, u.Roles = primary, WithRoles(primary, extra)
	if len(u.Roles) == 1 {
		u.Roles = nil
	}
}

// DeskLabel names the desk a role works at, as the role switcher offers it
// (切换到：发证窗口); roles without a desk of their own are named by Label.
func (r Role) DeskLabel() string {
	switch r {
	case RoleIntake:
		return "受理窗口"
	case RoleIssuance:
		return "发证窗口"
	case RoleReviewer:
		return "部门审批"
	}
	return r.Label()
}

// EventRoleLabel names the role recorded on a case event in Chinese ("" for
// the system and for events recorded before roles were kept).
func EventRoleLabel(role string) string {
	r := Role(role)
	if r.Valid() || r == RoleApplicant {
		return r.Label()
	}
	return ""
}

// RolesLabel names every role the account holds in Chinese, the primary
// role first (综合受理、综合出件).
func (u *User) RolesLabel() string { return RoleLabels(u.HeldRoles()) }
