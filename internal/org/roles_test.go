package org

import (
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
)

// TestRoleCombinations: the desk roles and a department's reviewer go
// together; the overseeing, administering and agent roles are held alone;
// the department and hall follow the roles held.
func TestRoleCombinations(t *testing.T) {
	clerk := func(hall, dept string, roles ...Role) User {
		return User{Username: "xiaomei", Name: "张晓梅", Role: roles[0], Roles: roles, HallCode: hall, DepartmentCode: dept}
	}
	tests := []struct {
		name  string
		user  User
		field string
	}{
		{"intake and issuance at a street centre", clerk("JC-XQ", "", RoleIntake, RoleIssuance), ""},
		{"issuance first, then intake", clerk("JC-XQ", "", RoleIssuance, RoleIntake), ""},
		{"hall clerk who reviews for a department", clerk("JC-XQ", "SCJG", RoleIntake, RoleReviewer), ""},
		{"all three desks", clerk("JC-XQ", "SCJG", RoleIntake, RoleIssuance, RoleReviewer), ""},
		{"reviewer who also issues", clerk("JC-XQ", "SCJG", RoleReviewer, RoleIssuance), ""},
		{"two desks without a hall", clerk("", "", RoleIntake, RoleIssuance), "hall"},
		{"reviewer role without a department", clerk("JC-XQ", "", RoleIntake, RoleReviewer), "department"},
		{"department without a reviewer role", clerk("JC-XQ", "SCJG", RoleIntake, RoleIssuance), "department"},
		{"a role twice", clerk("JC-XQ", "", RoleIntake, RoleIntake), "roles"},
		{"unknown extra role", clerk("JC-XQ", "", RoleIntake, "boss"), "roles"},
		{"supervisor at a desk", clerk("JC-XQ", "", RoleIntake, RoleSupervisor), "roles"},
		{"bureau admin at a desk", clerk("JC-XQ", "", RoleAdmin, RoleIssuance), "roles"},
		{"department admin who reviews", clerk("", "SCJG", RoleDeptAdmin, RoleReviewer), "roles"},
		{"hall manager at a desk", clerk("JC-XQ", "", RoleHallManager, RoleIntake), "roles"},
		{"agent who takes in", clerk("JC-XQ", "", RoleAgent, RoleIntake), "roles"},
		{"applicant is no staff role", clerk("JC-XQ", "", RoleIntake, RoleApplicant), "roles"},
		{"one role in Roles", clerk("", "", RoleSupervisor), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.user.Validate()
			if got := fieldOf(err); got != tc.field {
				t.Fatalf("error field %q, want %q (%v)", got, tc.field, err)
			}
		})
	}
}

// TestActingAs: a held role is taken up on a copy (the account as loaded
// is unchanged); a role not held is forbidden, an unknown one invalid.
func TestActingAs(t *testing.T) {
	u := &User{Username: "xiaomei", Name: "张晓梅", Role: RoleIntake, Roles: []Role{RoleIntake, RoleIssuance}, HallCode: "JC-XQ"}
	if !u.Switches() || !u.Holds(RoleIssuance) || u.Holds(RoleReviewer) {
		t.Fatalf("holds: switches %v issuance %v reviewer %v", u.Switches(), u.Holds(RoleIssuance), u.Holds(RoleReviewer))
	}
	as, err := u.ActingAs(RoleIssuance)
	if err != nil {
		t.Fatal(err)
	}
	if as.Role != RoleIssuance || as.PrimaryRole() != RoleIntake || u.Role != RoleIntake {
		t.Fatalf("acting %s primary %s; the loaded account now %s", as.Role, as.PrimaryRole(), u.Role)
	}
	if !as.Role.Sees(WorkIssuance) || as.Role.Sees(WorkIntake) {
		t.Fatal("the issuance desk's workspaces follow the acting role")
	}
	_, err = u.ActingAs(RoleReviewer)
	if !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("acting in a role not held: %v, want forbidden", err)
	}
	_, err = u.ActingAs("boss")
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("acting in an unknown role: %v, want invalid", err)
	}
	single := &User{Username: "shenpi", Role: RoleReviewer, DepartmentCode: "SCJG"}
	if single.Switches() || !single.Holds(RoleReviewer) {
		t.Fatal("an account of one role holds it and does not switch")
	}
	if _, err := single.ActingAs(RoleIntake); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("single role acting as intake: %v", err)
	}
}

// TestWithRoles: primary first, extras once each in the order of Roles.
func TestWithRoles(t *testing.T) {
	got := RolesText(WithRoles(RoleIssuance, []Role{RoleReviewer, RoleIssuance, RoleIntake, RoleReviewer}))
	if got != "issuance,intake,reviewer" {
		t.Fatalf("WithRoles = %s", got)
	}
	if got := RolesText(ParseRoles(" intake, issuance ")); got != "intake,issuance" {
		t.Fatalf("ParseRoles = %s", got)
	}
}
