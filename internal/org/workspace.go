package org

import "slices"

// Workspace is a part of the staff site a role works in: a page of the
// menu and the use cases behind it. Which role sees which workspace is
// decided here once; the menu is drawn from it and the use cases of a
// workspace check the same roles.
type Workspace string

// The staff workspaces.
const (
	WorkTasks          Workspace = "tasks"          // 我的待办
	WorkWindow         Workspace = "window"         // 窗口叫号
	WorkIntake         Workspace = "intake"         // 综合受理
	WorkOnlineIntake   Workspace = "online_intake"  // 网上申报收件
	WorkBundleIntake   Workspace = "bundle_intake"  // 一件事收件
	WorkGuidance       Workspace = "guidance"       // 导办登记
	WorkDept           Workspace = "dept"           // 部门审批
	WorkPreReview      Workspace = "prereview"      // 网上预审
	WorkHandover       Workspace = "handover"       // 材料交接
	WorkTransit        Workspace = "transit"        // 交接批次: paper between halls (issue 15)
	WorkAgent          Workspace = "agent"          // 代办
	WorkAgentTeam      Workspace = "agent_team"     // 代办分派: an agent manager's agents and applicants
	WorkAgentWork      Workspace = "agent_work"     // 代办工作台: an agent's applicants, open cases, reminders
	WorkIssuance       Workspace = "issuance"       // 综合出件
	WorkBookings       Workspace = "bookings"       // 预约名单 (of the clerk's hall)
	WorkCases          Workspace = "cases"          // 办件查询
	WorkHandbook       Workspace = "handbook"       // 办事指南
	WorkRectifications Workspace = "rectifications" // 差评整改
	WorkBundles        Workspace = "bundles"        // 一件事
	WorkSupervision    Workspace = "supervision"    // 督查考核 (every department) and the rating figures
	WorkDeptFigures    Workspace = "dept_figures"   // 本部门考核: the supervision figures of one's own department
	WorkHallFigures    Workspace = "hall_figures"   // 本大厅考核: the supervision figures of one's own hall, and its big screen
	WorkNotices        Workspace = "notices"        // 督办单
	WorkQueueFigures   Workspace = "queue_figures"  // 排队统计
	WorkAdmin          Workspace = "admin"          // 系统管理
	WorkInitialReview  Workspace = "initial_review" // 委托初审: a street reviewer's work list (issue 15)
)

// workspaces lists each role's workspaces in menu order.
var workspaces = map[Role][]Workspace{
	RoleIntake: {WorkTasks, WorkWindow, WorkIntake, WorkOnlineIntake, WorkBundleIntake, WorkGuidance, WorkBookings,
		WorkTransit, WorkCases, WorkHandbook, WorkQueueFigures},
	RoleIssuance: {WorkTasks, WorkWindow, WorkIssuance, WorkBookings, WorkCases, WorkHandbook, WorkBundles,
		WorkQueueFigures},
	RoleReviewer: {WorkTasks, WorkDept, WorkPreReview, WorkHandover, WorkBundles, WorkCases, WorkHandbook,
		WorkRectifications},
	RoleDeptAdmin: {WorkTasks, WorkDept, WorkPreReview, WorkHandover, WorkBundles, WorkCases, WorkHandbook,
		WorkRectifications, WorkDeptFigures, WorkNotices, WorkAdmin},
	RoleAgent: {WorkTasks, WorkAgentWork, WorkAgent, WorkCases, WorkHandbook},
	RoleSupervisor: {WorkTasks, WorkCases, WorkHandbook, WorkRectifications, WorkBundles, WorkSupervision, WorkNotices,
		WorkQueueFigures},
	RoleAdmin: {WorkTasks, WorkCases, WorkHandbook, WorkRectifications, WorkBundles, WorkSupervision, WorkNotices,
		WorkQueueFigures, WorkAdmin},
	// A hall manager has no desk and so no tasks: their figures come first.
	RoleHallManager: {WorkHallFigures, WorkCases, WorkHandbook},
	// A street reviewer's desk is the initial review of their street's cases.
	RoleStreetReviewer: {WorkTasks, WorkInitialReview, WorkCases, WorkHandbook},
	// An agent manager's work is their agents' applicants.
	RoleAgentManager: {WorkAgentTeam, WorkCases, WorkHandbook},
}

// Workspaces returns the workspaces of role in menu order.
func (r Role) Workspaces() []Workspace { return slices.Clone(workspaces[r]) }

// Sees reports whether role works in w.
func (r Role) Sees(w Workspace) bool { return slices.Contains(workspaces[r], w) }

// RolesSeeing returns the roles that work in w, in the order of Roles.
func RolesSeeing(w Workspace) []Role {
	var out []Role
	for _, r := range Roles {
		if r.Sees(w) {
			out = append(out, r)
		}
	}
	return out
}

// Workspaces returns the user's workspaces in menu order: their role's,
// less the hall's bookings for a clerk who belongs to no hall.
func (u *User) Workspaces() []Workspace {
	out := u.Role.Workspaces()
	if u.HallCode == "" {
		out = slices.DeleteFunc(out, func(w Workspace) bool { return w == WorkBookings })
		if u.Role == RoleIntake || u.Role == RoleIssuance {
			// A hall clerk reads their own hall's queue figures only.
			out = slices.DeleteFunc(out, func(w Workspace) bool { return w == WorkQueueFigures })
		}
	}
	return out
}
