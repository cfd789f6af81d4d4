// Package org holds the district's organisation: departments, halls at
// district, street and community level, the windows of a hall, and staff
// accounts with their roles.
package org

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/text"
)

// Department reviews and decides its own items.
type Department struct {
	ID         int64  `json:"-"`
	Code       string `json:"code"`        // short code, e.g. "SCJG"
	Name       string `json:"name"`        // e.g. "区市场监督管理局"
	CreditCode string `json:"credit_code"` // unified social credit code (GB 32100)
}

// Validate checks the department's fields.
func (d *Department) Validate() error {
	var c apperr.Collector
	if _, err := ParseDepartmentCode("code", d.Code); err != nil {
		c.Add("code", apperr.MessageOf(err))
	}
	c.Check(validName(d.Name), "name", "部门名称不能为空且不超过 100 个字")
	if err := identity.ValidateCreditCode(d.CreditCode); err != nil {
		c.Add("credit_code", apperr.MessageOf(err))
	}
	return c.Err("部门信息有误")
}

// HallLevel is the administrative level a hall serves at.
type HallLevel string

// Hall levels.
const (
	District  HallLevel = "district"  // 区政务服务中心
	Street    HallLevel = "street"    // 街道为民服务中心
	Community HallLevel = "community" // 村(社区)便民服务站
)

// Valid reports whether l is a known level.
func (l HallLevel) Valid() bool { return l == District || l == Street || l == Community }

// Hall is a service hall with its windows.
type Hall struct {
	ID         int64     `json:"-"`
	Code       string    `json:"code"`
	Name       string    `json:"name"`
	Level      HallLevel `json:"level"`
	ParentCode string    `json:"parent_code,omitempty"` // the hall above, for street and community halls
	Address    string    `json:"address,omitempty"`
}

// Validate checks the hall's fields.
func (h *Hall) Validate() error {
	var c apperr.Collector
	if _, err := ParseHallCode("code", h.Code); err != nil {
		c.Add("code", apperr.MessageOf(err))
	}
	c.Check(validName(h.Name), "name", "大厅名称不能为空且不超过 100 个字")
	c.Check(h.Level.Valid(), "level", "大厅层级须为 district、street 或 community")
	c.Check(h.Level == District || h.ParentCode != "", "parent_code", "街道和社区大厅须指明上级大厅")
	checkCodeIfSet(&c, "parent_code", h.ParentCode, ParseHallCode)
	return c.Err("大厅信息有误")
}

// WindowKind says what a window does.
type WindowKind string

// Window kinds.
const (
	IntakeWindow      WindowKind = "intake"      // 综合受理窗口
	IssuanceWindow    WindowKind = "issuance"    // 综合出件窗口
	SpecialisedWindow WindowKind = "specialised" // 专业窗口: intake for one department only
)

// Valid reports whether k is a known kind.
func (k WindowKind) Valid() bool {
	return k == IntakeWindow || k == IssuanceWindow || k == SpecialisedWindow
}

// Window is one counter of a hall.
type Window struct {
	ID             int64      `json:"-"`
	HallCode       string     `json:"hall_code"`
	Number         string     `json:"number"` // as shown above the counter, e.g. "A03"
	Name           string     `json:"name"`
	Kind           WindowKind `json:"kind"`
	DepartmentCode string     `json:"department_code,omitempty"` // specialised windows only
}

// Validate checks the window's fields.
func (w *Window) Validate() error {
	var c apperr.Collector
	c.Check(w.HallCode != "", "hall_code", "须指明窗口所在大厅")
	checkCodeIfSet(&c, "hall_code", w.HallCode, ParseHallCode)
	checkCodeIfSet(&c, "department_code", w.DepartmentCode, ParseDepartmentCode)
	if _, err := ParseWindowNumber("number", w.Number); err != nil {
		c.Add("number", apperr.MessageOf(err))
	}
	c.Check(validName(w.Name), "name", "窗口名称不能为空且不超过 100 个字")
	c.Check(w.Kind.Valid(), "kind", "窗口类型须为 intake、issuance 或 specialised")
	if w.Kind == SpecialisedWindow {
		c.Check(w.DepartmentCode != "", "department_code", "专业窗口须指明所属部门")
	} else {
		c.Check(w.DepartmentCode == "", "department_code", "只有专业窗口属于某个部门")
	}
	return c.Err("窗口信息有误")
}

// Role is what a staff account may do (DESIGN.md section 4).
type Role string

// The roles.
const (
	RoleIntake     Role = "intake"     // 综合受理
	RoleIssuance   Role = "issuance"   // 综合出件
	RoleReviewer   Role = "reviewer"   // 部门审批人员
	RoleDeptAdmin  Role = "dept_admin" // 部门管理员
	RoleAdmin      Role = "admin"      // 行政审批局管理员
	RoleSupervisor Role = "supervisor" // 监督人员
	RoleAgent      Role = "agent"      // 代办员
	// RoleHallManager runs one hall (大厅负责人): they read the supervision
	// figures of the cases taken in at their hall, and change nothing.
	RoleHallManager Role = "hall_manager"
	// RoleStreetReviewer is a street centre's reviewer (街道初审): for the
	// items the bureau delegates so, they do the initial review of the
	// cases taken in at their street centre before the department
	// accepts (casework/initial_review.go). No department; one street hall.
	RoleStreetReviewer Role = "street_reviewer"
	// RoleAgentManager runs the agents (代办员) of one hall's network
	// (代办管理员): a street centre's agents and those of its community
	// stations, or the district hall's. They assign and reassign
	// applicants between those agents and read their work lists; they
	// carry no applicant themselves (roles.go: held alone).
	RoleAgentManager Role = "agent_manager"
	// RoleApplicant is an online applicant account (网上办事大厅): it acts
	// on its own cases only and is never a staff role, so it is not in
	// Roles and no staff account can hold it.
	RoleApplicant Role = "applicant"
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleIntake, RoleIssuance, RoleReviewer, RoleDeptAdmin, RoleAdmin, RoleSupervisor, RoleAgent, RoleHallManager, RoleStreetReviewer, RoleAgentManager}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, known := range Roles {
		if r == known {
			return true
		}
	}
	return false
}

// NeedsDepartment reports whether accounts of the role belong to a department.
func (r Role) NeedsDepartment() bool { return r == RoleReviewer || r == RoleDeptAdmin }

// WorksAtHall reports whether the role works at the windows of one hall
// (the intake and issuance desks): its case actions belong to that hall,
// and an account of the role without a hall takes none. Departments sit
// behind every hall, and the bureau, supervisors and agents are not bound
// to one.
func (r Role) WorksAtHall() bool { return r == RoleIntake || r == RoleIssuance }

// NeedsHall reports whether accounts of the role must belong to a hall:
// a hall manager's figures are their hall's, a street reviewer reviews
// the cases of their street centre, an agent manager's agents are their
// hall's (and its community stations').
func (r Role) NeedsHall() bool {
	return r == RoleHallManager || r == RoleStreetReviewer || r == RoleAgentManager
}

// Label returns the role's Chinese name.
func (r Role) Label() string {
	switch r {
	case RoleIntake:
		return "综合受理"
	case RoleIssuance:
		return "综合出件"
	case RoleReviewer:
		return "部门审批"
	case RoleDeptAdmin:
		return "部门管理员"
	case RoleAdmin:
		return "局管理员"
	case RoleSupervisor:
		return "监督人员"
	case RoleAgent:
		return "代办员"
	case RoleHallManager:
		return "大厅负责人"
	case RoleStreetReviewer:
		return "街道初审"
	case RoleAgentManager:
		return "代办管理员"
	case RoleApplicant:
		return "申请人"
	}
	return string(r)
}

// User is a staff account.
type User struct {
	ID       int64  `json:"-"`
	Username string `json:"username"`
	Name     string `json:"name"`
	// Role is the role the person acts in now: the primary role as the
	// account is loaded, the desk they switched to (ActingAs). Every
	// permission check reads it.
	Role Role `json:"role"`
	// Roles lists every role the account holds, the primary role first
	// (roles.go); nil means Role alone.
	Roles          []Role    `json:"roles,omitempty"`
	DepartmentCode string    `json:"department_code,omitempty"`
	HallCode       string    `json:"hall_code,omitempty"`
	PasswordHash   string    `json:"-"`
	Active         bool      `json:"active"`
	CreatedAt      time.Time `json:"created_at"`
	// PasswordChangedAt is when the password was last set.
	PasswordChangedAt time.Time `json:"-"`
}

// Validate checks the account's fields (not the password): its roles
// together (roles.go), and the one department and one hall they need.
func (u *User) Validate() error {
	var c apperr.Collector
	if p, err := ParseUsername("username", u.Username); err != nil || p != u.Username {
		c.Add("username", "用户名须为 3 至 32 位小写字母、数字、下划线、点或连字符")
	}
	c.Check(validName(u.Name), "name", "姓名不能为空且不超过 100 个字")
	primary := u.PrimaryRole()
	c.Check(primary.Valid(), "role", "角色须为 intake、issuance、reviewer、dept_admin、admin、supervisor、agent、hall_manager、agent_manager 或 street_reviewer")
	roles := u.HeldRoles()
	checkRoles(&c, roles)
	checkCodeIfSet(&c, "department", u.DepartmentCode, ParseDepartmentCode)
	checkCodeIfSet(&c, "hall", u.HallCode, ParseHallCode)
	if primary.NeedsHall() {
		if primary == RoleStreetReviewer {
			c.Check(u.HallCode != "", "hall", "街道初审人员须指明所在的街道为民服务中心")
		} else {
			c.Check(u.HallCode != "", "hall", primary.Label()+"须指明所负责的大厅")
		}
	}
	if len(roles) > 1 && needsAny(roles, Role.WorksAtHall) {
		c.Check(u.HallCode != "", "hall", "兼任多个岗位的窗口人员须指明所在大厅")
	}
	if needsAny(roles, Role.NeedsDepartment) {
		c.Check(u.DepartmentCode != "", "department", "部门审批人员和部门管理员须指明所属部门")
	} else if primary.Valid() {
		c.Check(u.DepartmentCode == "", "department", "该角色不属于任何部门")
	}
	return c.Err("账号信息有误")
}

// ValidatePassword checks a new password against the minimum rules.
func ValidatePassword(p string) error {
	n := utf8.RuneCountInString(p)
	if n < 8 || n > 128 {
		return apperr.Field("password", "密码长度须为 8 至 128 位")
	}
	var letter, digit bool
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			letter = true
		}
	}
	if !letter || !digit {
		return apperr.Field("password", "密码须同时包含字母和数字")
	}
	return nil
}

func validCode(s string) bool {
	if len(s) < 2 || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func validUsername(s string) bool {
	if len(s) < 3 || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// validName reports whether s is a name: one line, not blank, at most 100
// characters, with nothing text.Check refuses.
func validName(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && utf8.RuneCountInString(s) <= 100 && text.Valid(s)
}
