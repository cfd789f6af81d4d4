package service

import (
	"context"
	"crypto/rand"
	"math/big"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
)

// This file holds the administration use cases (DESIGN.md section 4): the
// bureau admin keeps the catalog, the calendar, halls, windows,
// departments and accounts; a department admin keeps its own department's
// handbook entries and reviewers.

// AdminSection is one part of the administration pages.
type AdminSection string

// The administration sections.
const (
	SectionCatalog  AdminSection = "catalog"  // 事项目录
	SectionCalendar AdminSection = "calendar" // 工作日历
	SectionOrg      AdminSection = "org"      // 部门、大厅和窗口
	SectionUsers    AdminSection = "users"    // 账号和角色
)

// AdminAccess says which administration sections the signed-in user may
// use. A department admin's catalog and accounts are limited to
// Department.
type AdminAccess struct {
	Catalog, Calendar, Org, Users bool
	Department                    string // "" for every department
}

// AdminAccess returns what the signed-in user may administer; users who
// may administer nothing are refused.
func (s *Admin) AdminAccess(ctx context.Context) (AdminAccess, error) {
	a, err := requireIn(ctx, org.WorkAdmin, "使用系统管理")
	if err != nil {
		return AdminAccess{}, err
	}
	if a.Is(org.RoleDeptAdmin) {
		return AdminAccess{Catalog: true, Users: true, Department: a.User.DepartmentCode}, nil
	}
	return AdminAccess{Catalog: true, Calendar: true, Org: true, Users: true}, nil
}

// MayAdminister returns nil when the signed-in user may use section, and
// otherwise an Unauthorized or Forbidden error saying why.
func (s *Admin) MayAdminister(ctx context.Context, section AdminSection) error {
	switch section {
	case SectionCatalog:
		_, err := require(ctx, "修改办事指南", org.RoleAdmin, org.RoleDeptAdmin)
		return err
	case SectionUsers:
		_, err := require(ctx, "管理账号", org.RoleAdmin, org.RoleDeptAdmin)
		return err
	case SectionCalendar:
		_, err := require(ctx, "修改工作日历", org.RoleAdmin)
		return err
	case SectionOrg:
		_, err := require(ctx, "管理部门、大厅和窗口", org.RoleAdmin)
		return err
	}
	return apperr.New(apperr.NotFound, "没有这个管理栏目")
}

// ---- the catalog ----

// EditableItems lists the current version of the items the signed-in user
// may edit: every item for a bureau admin, its own department's for a
// department admin.
func (s *Admin) EditableItems(ctx context.Context, f ItemFilter) ([]catalog.Item, error) {
	a, err := require(ctx, "修改办事指南", org.RoleAdmin, org.RoleDeptAdmin)
	if err != nil {
		return nil, err
	}
	if a.Is(org.RoleDeptAdmin) {
		if f.Department != "" && f.Department != a.User.DepartmentCode {
			return nil, apperr.New(apperr.Forbidden, "部门管理员只能管理本部门的事项")
		}
		f.Department = a.User.DepartmentCode
	}
	return s.Items(ctx, f)
}

// ItemForEdit returns the current version of an item for its editor, if
// the signed-in user may edit it.
func (s *Admin) ItemForEdit(ctx context.Context, code string) (*catalog.Item, error) {
	if _, err := require(ctx, "修改办事指南", org.RoleAdmin, org.RoleDeptAdmin); err != nil {
		return nil, err
	}
	it, err := s.store.Item(ctx, code)
	if err != nil {
		return nil, err
	}
	if _, err := s.mayEditItem(ctx, it); err != nil {
		return nil, err
	}
	return it, nil
}

// ItemHistory lists every version of an item, newest first, to those who
// may edit it.
func (s *Admin) ItemHistory(ctx context.Context, code string) ([]catalog.Item, error) {
	if _, err := s.ItemForEdit(ctx, code); err != nil {
		return nil, err
	}
	return s.store.ItemVersions(ctx, code)
}

// ItemRevision returns one version of an item, with its materials, to
// those who may edit the item.
func (s *Admin) ItemRevision(ctx context.Context, code string, version int) (*catalog.Item, error) {
	if _, err := s.ItemForEdit(ctx, code); err != nil {
		return nil, err
	}
	return s.store.ItemVersion(ctx, code, version)
}

// ---- the calendar ----

// CalendarSheet is one year of the calendar as the bureau edits it: the
// district calendar, or a hall's with its own days on top.
type CalendarSheet struct {
	Year int
	Hall string                              // "" for the district calendar
	Days []calendar.DayInfo                  // every day of the year as it stands there
	Own  map[calendar.Date]calendar.Override // the entries kept at this level, which a reset removes
}

// CalendarSheet returns the year for editing (bureau admins only). Own
// holds the district's overrides, or with hallCode the hall's own days.
func (s *Admin) CalendarSheet(ctx context.Context, year int, hallCode string) (*CalendarSheet, error) {
	if _, err := require(ctx, "修改工作日历", org.RoleAdmin); err != nil {
		return nil, err
	}
	days, err := s.CalendarYear(ctx, year, hallCode)
	if err != nil {
		return nil, err
	}
	var own []calendar.Override
	if hallCode == "" {
		own, err = s.store.CalendarDays(ctx)
	} else {
		own, err = s.store.HallDays(ctx, hallCode)
	}
	if err != nil {
		return nil, err
	}
	sheet := &CalendarSheet{Year: year, Hall: hallCode, Days: days, Own: map[calendar.Date]calendar.Override{}}
	for _, o := range own {
		if o.Date.Year == year {
			sheet.Own[o.Date] = o
		}
	}
	return sheet, nil
}

// ---- departments, halls and windows ----

// CreateDepartment adds a department (bureau admins only).
func (s *Admin) CreateDepartment(ctx context.Context, d *org.Department) error {
	a, err := require(ctx, "添加部门", org.RoleAdmin)
	if err != nil {
		return err
	}
	d.Name = strings.TrimSpace(d.Name) // the code is taken as written: Validate refuses blanks in it
	d.CreditCode = identity.NormalizeCreditCode(d.CreditCode)
	if err := d.Validate(); err != nil {
		return err
	}
	if err := s.store.CreateDepartment(ctx, d); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			// Which unique column was hit, told after the fact: a check
			// before inserting would race.
			if _, e := s.store.Department(ctx, d.Code); e == nil {
				return apperr.Field("code", "部门编码已存在："+d.Code)
			}
			return apperr.Field("credit_code", "该统一社会信用代码已属于另一个部门")
		}
		return err
	}
	s.log.Info("department added", "code", d.Code, "name", d.Name, "by", a.Name(), "request_id", RequestFrom(ctx).ID)
	return nil
}

// CreateHall adds a hall (bureau admins only). A street center hangs
// under the district hall, a community station under a street center.
func (s *Admin) CreateHall(ctx context.Context, h *org.Hall) error {
	a, err := require(ctx, "添加大厅", org.RoleAdmin)
	if err != nil {
		return err
	}
	h.Name = strings.TrimSpace(h.Name) // codes are taken as written: Validate refuses blanks in them
	h.Address = strings.TrimSpace(h.Address)
	if err := h.Validate(); err != nil {
		return err
	}
	if err := s.checkParentHall(ctx, h); err != nil {
		return err
	}
	if err := s.store.CreateHall(ctx, h); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return apperr.Field("code", "大厅编码已存在："+h.Code)
		}
		return err
	}
	s.log.Info("hall added", "code", h.Code, "level", h.Level, "parent", h.ParentCode, "by", a.Name(), "request_id", RequestFrom(ctx).ID)
	return nil
}

// checkParentHall checks the hall sits one level under its parent.
func (s *Admin) checkParentHall(ctx context.Context, h *org.Hall) error {
	if h.Level == org.District {
		if h.ParentCode != "" {
			return apperr.Field("parent_code", "区级政务服务中心没有上级大厅")
		}
		return nil
	}
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return err
	}
	want := org.District
	if h.Level == org.Community {
		want = org.Street
	}
	for _, p := range halls {
		if p.Code != h.ParentCode {
			continue
		}
		if p.Level != want {
			if h.Level == org.Street {
				return apperr.Field("parent_code", "街道为民服务中心的上级须为区级政务服务中心")
			}
			return apperr.Field("parent_code", "社区便民服务站的上级须为街道为民服务中心")
		}
		return nil
	}
	return apperr.Field("parent_code", "未知的大厅："+h.ParentCode)
}

// CreateWindow adds a window to a hall (bureau admins only).
func (s *Admin) CreateWindow(ctx context.Context, w *org.Window) error {
	a, err := require(ctx, "添加窗口", org.RoleAdmin)
	if err != nil {
		return err
	}
	w.Name = strings.TrimSpace(w.Name) // codes and the number are taken as written: Validate refuses blanks in them
	if err := w.Validate(); err != nil {
		return err
	}
	if err := s.store.CreateWindow(ctx, w); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return apperr.Field("number", "该大厅已有 "+w.Number+" 号窗口")
		}
		return err
	}
	s.log.Info("window added", "hall", w.HallCode, "number", w.Number, "kind", w.Kind, "department", w.DepartmentCode, "by", a.Name(), "request_id", RequestFrom(ctx).ID)
	return nil
}

// ---- accounts ----

// AccountChange is what an administrator may change of an account.
type AccountChange struct {
	Name string
	Role org.Role
	// ExtraRoles are the roles held beside Role (one clerk, two desks),
	// checked by org's rules of which roles go together.
	ExtraRoles     []org.Role
	DepartmentCode string
	HallCode       string
}

// mayManage refuses accounts the actor may not manage: a bureau admin (and
// the system) manages every account, a department admin only its own
// department's reviewers.
func mayManage(a *Actor, u *org.User) error {
	if a.System || a.Is(org.RoleAdmin) {
		return nil
	}
	if a.Is(org.RoleDeptAdmin) && u.Role == org.RoleReviewer && !u.Switches() && u.DepartmentCode == a.User.DepartmentCode {
		return nil // a reviewer who also works a hall's desk is the bureau's to manage
	}
	if a.Is(org.RoleDeptAdmin) {
		return apperr.New(apperr.Forbidden, "部门管理员只能管理本部门的审批人员账号")
	}
	return apperr.New(apperr.Forbidden, "您的角色（%s）无权管理账号", a.User.Role.Label())
}

// isSelf reports whether u is the actor's own account.
func isSelf(a *Actor, u *org.User) bool { return a.User != nil && a.User.ID == u.ID }

// ManagedUsers lists the accounts the signed-in user manages, by username:
// every account for a bureau admin, its department's reviewers for a
// department admin.
func (s *Admin) ManagedUsers(ctx context.Context) ([]org.User, error) {
	a, err := require(ctx, "管理账号", org.RoleAdmin, org.RoleDeptAdmin)
	if err != nil {
		return nil, err
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	out := users[:0]
	for _, u := range users {
		if mayManage(a, &u) == nil {
			out = append(out, u)
		}
	}
	return out, nil
}

// ManagedUser returns one account the signed-in user manages.
func (s *Admin) ManagedUser(ctx context.Context, username string) (*org.User, error) {
	_, u, err := s.managed(ctx, "管理账号", username)
	return u, err
}

func (s *Admin) managed(ctx context.Context, what, username string) (*Actor, *org.User, error) {
	a, err := require(ctx, what, org.RoleAdmin, org.RoleDeptAdmin)
	if err != nil {
		return nil, nil, err
	}
	if username, err = org.ParseUsername("username", username); err != nil {
		return nil, nil, err
	}
	u, err := s.store.UserByUsername(ctx, username)
	if err != nil {
		return nil, nil, err
	}
	if err := mayManage(a, u); err != nil {
		return nil, nil, err
	}
	return a, u, nil
}

// UpdateUser changes an account's name, roles, department and hall. A
// department admin may change only its own department's reviewers, and
// they stay its reviewers. Nobody changes their own role, and the last
// active bureau admin keeps the role.
func (s *Admin) UpdateUser(ctx context.Context, username string, ch AccountChange) (*org.User, error) {
	a, before, err := s.managed(ctx, "修改账号", username)
	if err != nil {
		return nil, err
	}
	after := *before
	after.Name = strings.TrimSpace(ch.Name)
	after.SetRoles(ch.Role, ch.ExtraRoles)
	after.DepartmentCode = ch.DepartmentCode // codes are taken as written: Validate refuses blanks in them
	after.HallCode = ch.HallCode
	if isSelf(a, before) && org.RolesText(after.HeldRoles()) != org.RolesText(before.HeldRoles()) {
		return nil, apperr.Field("role", "不能修改自己的角色，请由其他局管理员修改")
	}
	if err := after.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkStreetReviewer(ctx, &after); err != nil { // initial_review.go
		return nil, err
	}
	if a.Is(org.RoleDeptAdmin) && (after.Role != org.RoleReviewer || after.Switches() || after.DepartmentCode != a.User.DepartmentCode) {
		return nil, apperr.New(apperr.Forbidden, "部门管理员只能管理本部门的审批人员账号")
	}
	if err := s.store.UpdateUser(ctx, before, &after); err != nil {
		return nil, err
	}
	s.log.Info("account changed", "username", after.Username,
		"name", after.Name, "role", after.Role, "roles", org.RolesText(after.HeldRoles()), "department", after.DepartmentCode, "hall", after.HallCode,
		"was_role", before.Role, "was_roles", org.RolesText(before.HeldRoles()), "was_department", before.DepartmentCode, "was_hall", before.HallCode,
		"by", a.Name(), "request_id", RequestFrom(ctx).ID)
	return &after, nil
}

// SetActive deactivates an account (it can no longer sign in, and its API
// tokens are revoked) or reactivates it. Nobody deactivates their own
// account, and the last active bureau admin stays active.
func (s *Admin) SetActive(ctx context.Context, username string, active bool) error {
	what := "停用账号"
	if active {
		what = "启用账号"
	}
	a, u, err := s.managed(ctx, what, username)
	if err != nil {
		return err
	}
	if !active && isSelf(a, u) {
		return apperr.New(apperr.Forbidden, "不能停用自己的账号")
	}
	if err := s.store.SetUserActive(ctx, u, active); err != nil {
		return err
	}
	msg := "account deactivated"
	if active {
		msg = "account reactivated"
	}
	s.log.Info(msg, "username", u.Username, "role", u.Role, "by", a.Name(), "request_id", RequestFrom(ctx).ID)
	return nil
}

// ResetPassword gives an account a new random password, returned to be
// shown once, revokes its API tokens and lifts a sign-in lockout. One's
// own password is changed on the password page, with the old one.
func (s *Admin) ResetPassword(ctx context.Context, username string) (string, error) {
	a, u, err := s.managed(ctx, "重置密码", username)
	if err != nil {
		return "", err
	}
	if isSelf(a, u) {
		return "", apperr.New(apperr.Forbidden, "不能重置自己的密码，请在“修改密码”页面修改")
	}
	password := TemporaryPassword()
	hash, err := org.HashPassword(password)
	if err != nil {
		return "", apperr.Wrap(err, "hash password")
	}
	if err := s.store.SetPassword(ctx, u.ID, hash); err != nil {
		return "", err
	}
	// A reset lifts every lock on the username, from every client.
	if err := s.store.ClearFailuresOf(ctx, userSubject(u.Username)); err != nil {
		return "", err
	}
	s.log.Info("password reset", "username", u.Username, "by", a.Name(), "request_id", RequestFrom(ctx).ID)
	return password, nil
}

// TemporaryPassword returns a random password that passes
// org.ValidatePassword and is easy to read out and type: eight letters
// without look-alikes, then four digits (about 48 bits).
func TemporaryPassword() string {
	const letters, digits = "abcdefghjkmnpqrstuvwxyz", "23456789"
	pick := func(set string) byte {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			panic("crypto/rand: " + err.Error()) // crypto/rand does not fail on supported systems
		}
		return set[n.Int64()]
	}
	b := make([]byte, 0, 12)
	for range 8 {
		b = append(b, pick(letters))
	}
	for range 4 {
		b = append(b, pick(digits))
	}
	return string(b)
}
