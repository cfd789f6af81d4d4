package org_test

import (
	"slices"
	"testing"

	"github.com/onewindow/onewindow/internal/org"
)

// The one table of who works where: every staff role has the case search
// and the handbook, and every role with a desk its tasks first; a hall
// manager starts at their hall's figures; the window is the hall clerks'
// only; a clerk of no hall has no bookings list; an applicant has no staff
// page.
func TestWorkspaces(t *testing.T) {
	for _, r := range org.Roles {
		for _, w := range []org.Workspace{org.WorkCases, org.WorkHandbook} {
			if !r.Sees(w) {
				t.Errorf("%s does not see %s", r, w)
			}
		}
		first := org.WorkTasks
		if r == org.RoleHallManager {
			first = org.WorkHallFigures
		}
		if r == org.RoleAgentManager {
			first = org.WorkAgentTeam
		}
		if ws := r.Workspaces(); ws[0] != first {
			t.Errorf("%s's menu starts with %s", r, ws[0])
		}
	}
	if got := org.RolesSeeing(org.WorkHallFigures); !slices.Equal(got, []org.Role{org.RoleHallManager}) {
		t.Errorf("hall figures: %v", got)
	}
	if got := org.RolesSeeing(org.WorkTasks); slices.Contains(got, org.RoleHallManager) {
		t.Errorf("tasks: %v", got)
	}
	if got := org.RolesSeeing(org.WorkWindow); !slices.Equal(got, []org.Role{org.RoleIntake, org.RoleIssuance}) {
		t.Errorf("window: %v", got)
	}
	if got := org.RolesSeeing(org.WorkAdmin); !slices.Equal(got, []org.Role{org.RoleDeptAdmin, org.RoleAdmin}) {
		t.Errorf("admin: %v", got)
	}
	if got := org.RolesSeeing(org.WorkIntake); !slices.Equal(got, []org.Role{org.RoleIntake}) {
		t.Errorf("intake: %v", got)
	}
	if len(org.RoleApplicant.Workspaces()) != 0 {
		t.Errorf("an applicant sees %v", org.RoleApplicant.Workspaces())
	}
	clerk := &org.User{Role: org.RoleIssuance, HallCode: "JC-ZWZX"}
	if !slices.Contains(clerk.Workspaces(), org.WorkBookings) {
		t.Error("a clerk of a hall has no bookings")
	}
	// The queue figures are the hall clerks' (their own hall's) and the
	// bureau's: the same roles the use case lets read them.
	if got := org.RolesSeeing(org.WorkQueueFigures); !slices.Equal(got, []org.Role{org.RoleIntake, org.RoleIssuance, org.RoleAdmin, org.RoleSupervisor}) {
		t.Errorf("queue figures: %v", got)
	}
	if !slices.Contains(clerk.Workspaces(), org.WorkQueueFigures) {
		t.Error("a clerk of a hall has no queue figures")
	}
	clerk.HallCode = ""
	if slices.Contains(clerk.Workspaces(), org.WorkBookings) {
		t.Error("a clerk of no hall has the bookings of no hall")
	}
	if slices.Contains(clerk.Workspaces(), org.WorkQueueFigures) {
		t.Error("a clerk of no hall has the queue figures of no hall")
	}
	// Workspaces is a copy: changing it changes no role's menu.
	ws := org.RoleAdmin.Workspaces()
	ws[0] = org.WorkAgent
	if org.RoleAdmin.Workspaces()[0] != org.WorkTasks {
		t.Error("the table changed through a returned list")
	}
}
