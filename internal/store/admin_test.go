package store_test

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

func TestUpdateUser(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "system"))
		before, err := st.UserByUsername(ctx, "shenpi")
		must(t, err)

		after := *before
		after.Name, after.DepartmentCode, after.HallCode = "王建国（规划）", "GHZY", "JC-BHJD"
		must(t, st.UpdateUser(ctx, before, &after))
		got, err := st.UserByUsername(ctx, "shenpi")
		must(t, err)
		if got.Name != after.Name || got.DepartmentCode != "GHZY" || got.HallCode != "JC-BHJD" || got.Role != org.RoleReviewer {
			t.Fatalf("after the update: %+v", got)
		}

		// A change decided on the account as it was (in SCJG) is stale now.
		stale := *before
		stale.Name = "改名"
		wantCode(t, st.UpdateUser(ctx, before, &stale), apperr.Conflict)
		wantCode(t, st.SetUserActive(ctx, before, false), apperr.Conflict)
		if got, _ := st.UserByUsername(ctx, "shenpi"); got.Name != after.Name || !got.Active {
			t.Fatalf("a stale change was written: %+v", got)
		}

		bad := *got
		bad.DepartmentCode = "NOPE"
		wantField(t, st.UpdateUser(ctx, got, &bad), "department")
		bad = *got
		bad.HallCode = "NOPE"
		wantField(t, st.UpdateUser(ctx, got, &bad), "hall")

		// The last active bureau admin keeps the role and stays active.
		admin, err := st.UserByUsername(ctx, "admin")
		must(t, err)
		demoted := *admin
		demoted.Role = org.RoleSupervisor
		err = st.UpdateUser(ctx, admin, &demoted)
		wantCode(t, err, apperr.Conflict)
		if f := apperr.FieldsOf(err); len(f) != 1 || f[0].Field != "role" {
			t.Errorf("the last admin's demotion names %v, want the role", f)
		}
		wantCode(t, st.SetUserActive(ctx, admin, false), apperr.Conflict)
		if got, _ := st.UserByUsername(ctx, "admin"); got.Role != org.RoleAdmin || !got.Active {
			t.Fatalf("the last admin was changed: %+v", got)
		}
	})
}

func TestSetUserActiveRevokesTokens(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "system"))
		u, err := st.UserByUsername(ctx, "chujian")
		must(t, err)
		other, err := st.UserByUsername(ctx, "shouli")
		must(t, err)
		for _, tok := range []store.Token{
			{Hash: "h1", UserID: u.ID, CreatedAt: start, ExpiresAt: start.Add(time.Hour)},
			{Hash: "h2", UserID: u.ID, CreatedAt: start, ExpiresAt: start.Add(time.Hour)},
			{Hash: "h3", UserID: other.ID, CreatedAt: start, ExpiresAt: start.Add(time.Hour)},
		} {
			must(t, st.CreateToken(ctx, tok))
		}
		must(t, st.SetUserActive(ctx, u, false))
		got, err := st.UserByUsername(ctx, "chujian")
		must(t, err)
		if got.Active {
			t.Fatal("still active")
		}
		// Reactivation does not bring the tokens back.
		must(t, st.SetUserActive(ctx, got, true))
		for _, h := range []string{"h1", "h2"} {
			_, err := st.UserByToken(ctx, h, start)
			wantCode(t, err, apperr.Unauthorized)
		}
		if _, err := st.UserByToken(ctx, "h3", start); err != nil {
			t.Fatalf("another account's token: %v", err)
		}
	})
}

// TestUserRoles: an account's extra roles are kept with it and loaded with
// it by every lookup; a change of them is a change of the account, which a
// change decided on its old roles may not overwrite.
func TestUserRoles(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "system"))
		// The demo's street clerk works both desks.
		before, err := st.UserByUsername(ctx, "shouli2")
		must(t, err)
		if before.Role != org.RoleIntake || org.RolesText(before.HeldRoles()) != "intake,issuance" {
			t.Fatalf("the street clerk: role %s, roles %v", before.Role, before.Roles)
		}
		one, err := st.UserByUsername(ctx, "shouli")
		must(t, err)
		if one.Roles != nil || one.Switches() {
			t.Fatalf("a one-role account holds %v", one.Roles)
		}

		after := *before
		after.Roles = org.WithRoles(org.RoleIssuance, []org.Role{org.RoleIntake, org.RoleReviewer})
		after.Role, after.DepartmentCode = org.RoleIssuance, "SCJG"
		must(t, st.UpdateUser(ctx, before, &after))
		got, err := st.UserByID(ctx, before.ID)
		must(t, err)
		if got.Role != org.RoleIssuance || org.RolesText(got.HeldRoles()) != "issuance,intake,reviewer" || got.DepartmentCode != "SCJG" {
			t.Fatalf("after the update: role %s roles %v department %s", got.Role, got.Roles, got.DepartmentCode)
		}
		// Decided on the account as it was (intake and issuance): stale.
		stale := *before
		stale.Name = "改名"
		wantCode(t, st.UpdateUser(ctx, before, &stale), apperr.Conflict)
		wantCode(t, st.SetUserActive(ctx, before, false), apperr.Conflict)

		// Back to one role: the extra roles are gone.
		single := *got
		single.Roles, single.Role, single.DepartmentCode = nil, org.RoleIntake, ""
		must(t, st.UpdateUser(ctx, got, &single))
		users, err := st.Users(ctx)
		must(t, err)
		for _, u := range users {
			if u.Username == "shouli2" && (u.Roles != nil || u.Role != org.RoleIntake) {
				t.Fatalf("back to one role: %s %v", u.Role, u.Roles)
			}
		}

		// A new account with two roles.
		u := org.User{Username: "xiaowang", Name: "王小燕", Role: org.RoleIntake, Roles: []org.Role{org.RoleIntake, org.RoleIssuance},
			HallCode: "JC-BHJD", PasswordHash: "dummy-hash", Active: true}
		must(t, st.CreateUser(ctx, &u))
		got, err = st.UserByUsername(ctx, "xiaowang")
		must(t, err)
		if !got.Holds(org.RoleIssuance) || got.Role != org.RoleIntake {
			t.Fatalf("new account: %s %v", got.Role, got.Roles)
		}
	})
}
