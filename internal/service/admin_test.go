package service_test

import (
	"context"
	"sync"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// wantErr checks err's code and, for invalid input, that it names field.
func wantErr(t *testing.T, what string, err error, code apperr.Code, field string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Errorf("%s: %v (code %q), want %q", what, err, apperr.CodeOf(err), code)
		return
	}
	if field == "" {
		return
	}
	for _, f := range apperr.FieldsOf(err) {
		if f.Field == field {
			return
		}
	}
	t.Errorf("%s: %v names %v, want field %q", what, err, apperr.FieldsOf(err), field)
}

// secondAdmin adds another bureau admin and returns its context.
func secondAdmin(t *testing.T, svc *service.Service, as map[string]context.Context) context.Context {
	t.Helper()
	u := org.User{Username: "admin2", Name: "第二管理员", Role: org.RoleAdmin}
	if err := svc.AddUser(as["admin"], &u, "Second123"); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Login(context.Background(), "admin2", "Second123")
	if err != nil {
		t.Fatal(err)
	}
	return service.WithUser(context.Background(), got)
}

func TestAdminAccess(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		acc, err := svc.AdminAccess(as["admin"])
		if err != nil || !acc.Catalog || !acc.Calendar || !acc.Org || !acc.Users || acc.Department != "" {
			t.Errorf("bureau admin: %+v, %v", acc, err)
		}
		acc, err = svc.AdminAccess(as["bumen"])
		if err != nil || !acc.Catalog || acc.Calendar || acc.Org || !acc.Users || acc.Department != "SCJG" {
			t.Errorf("department admin: %+v, %v", acc, err)
		}
		for _, who := range []string{"shouli", "chujian", "shenpi", "jiandu", "daiban"} {
			_, err := svc.AdminAccess(as[who])
			wantErr(t, who+" opens the administration", err, apperr.Forbidden, "")
		}
		_, err = svc.AdminAccess(as["anonymous"])
		wantErr(t, "anonymous opens the administration", err, apperr.Unauthorized, "")

		for _, tc := range []struct {
			who     string
			section service.AdminSection
			want    apperr.Code
		}{
			{"admin", service.SectionCatalog, ""}, {"admin", service.SectionCalendar, ""}, {"admin", service.SectionOrg, ""}, {"admin", service.SectionUsers, ""},
			{"bumen", service.SectionCatalog, ""}, {"bumen", service.SectionUsers, ""},
			{"bumen", service.SectionCalendar, apperr.Forbidden}, {"bumen", service.SectionOrg, apperr.Forbidden},
			{"jiandu", service.SectionCatalog, apperr.Forbidden}, {"shenpi", service.SectionUsers, apperr.Forbidden},
			{"anonymous", service.SectionCalendar, apperr.Unauthorized}, {"admin", "settings", apperr.NotFound},
		} {
			wantErr(t, tc.who+" in "+string(tc.section), svc.MayAdminister(as[tc.who], tc.section), tc.want, "")
		}
	})
}

func TestAdminCatalogLimits(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		all, err := svc.EditableItems(as["admin"], service.ItemFilter{})
		if err != nil || len(all) == 0 {
			t.Fatalf("admin's items: %d, %v", len(all), err)
		}
		own, err := svc.EditableItems(as["bumen"], service.ItemFilter{})
		if err != nil || len(own) == 0 || len(own) >= len(all) {
			t.Fatalf("department admin's items: %d of %d, %v", len(own), len(all), err)
		}
		for _, it := range own {
			if it.DepartmentCode != "SCJG" {
				t.Errorf("department admin of SCJG is offered %s of %s", it.Code, it.DepartmentCode)
			}
		}
		_, err = svc.EditableItems(as["bumen"], service.ItemFilter{Department: "GHZY"})
		wantErr(t, "department admin lists another department", err, apperr.Forbidden, "")
		_, err = svc.EditableItems(as["jiandu"], service.ItemFilter{})
		wantErr(t, "supervisor lists items to edit", err, apperr.Forbidden, "")

		_, err = svc.ItemForEdit(as["bumen"], "GHZY-XK-001")
		wantErr(t, "department admin opens another department's item", err, apperr.Forbidden, "")
		_, err = svc.ItemHistory(as["bumen"], "GHZY-XK-001")
		wantErr(t, "department admin reads another department's history", err, apperr.Forbidden, "")
		_, err = svc.ItemForEdit(as["admin"], "NO-SUCH")
		wantErr(t, "unknown item", err, apperr.NotFound, "")

		it, err := svc.ItemForEdit(as["bumen"], "SCJG-XK-001")
		if err != nil {
			t.Fatal(err)
		}
		edit := *it
		edit.Name = "改过的名称"
		if err := svc.SaveItem(as["bumen"], &edit, it.Version); err != nil {
			t.Fatal(err)
		}
		versions, err := svc.ItemHistory(as["bumen"], "SCJG-XK-001")
		if err != nil || len(versions) != 2 || versions[0].Version != 2 || versions[0].CreatedBy != "bumen" {
			t.Fatalf("history: %+v, %v", versions, err)
		}
		old, err := svc.ItemRevision(as["admin"], "SCJG-XK-001", 1)
		if err != nil || old.Name != it.Name || len(old.Materials) != len(it.Materials) {
			t.Fatalf("version 1: %+v, %v", old, err)
		}
		_, err = svc.ItemRevision(as["admin"], "SCJG-XK-001", 9)
		wantErr(t, "a version that does not exist", err, apperr.NotFound, "")
	})
}

func TestCalendarSheet(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		sheet, err := svc.CalendarSheet(as["admin"], 2026, "")
		if err != nil || len(sheet.Days) != 365 {
			t.Fatalf("2026: %v", err)
		}
		feb14 := calendar.Date{Year: 2026, Month: 2, Day: 14}
		if d := sheet.Days[31+13]; d.Date != feb14 || !d.Working || !d.Weekend {
			t.Errorf("2026-02-14: %+v, want a working Saturday", d)
		}
		if o, ok := sheet.Own[feb14]; !ok || !o.Working {
			t.Errorf("2026-02-14 is not the district's own entry: %+v", sheet.Own)
		}
		_, err = svc.CalendarSheet(as["bumen"], 2026, "")
		wantErr(t, "department admin opens the calendar", err, apperr.Forbidden, "")
		_, err = svc.CalendarSheet(as["admin"], 1900, "")
		wantErr(t, "year 1900", err, apperr.Invalid, "year")
		_, err = svc.CalendarSheet(as["admin"], 2026, "NOPE")
		wantErr(t, "unknown hall", err, apperr.Invalid, "hall")

		mar10 := calendar.Date{Year: 2026, Month: 3, Day: 10}
		if err := svc.ChangeDays(as["admin"], "JC-BHJD", []service.DayChange{{Override: calendar.Override{Date: mar10, Name: "设备检修"}}}); err != nil {
			t.Fatal(err)
		}
		sheet, err = svc.CalendarSheet(as["admin"], 2026, "JC-BHJD")
		if err != nil {
			t.Fatal(err)
		}
		if len(sheet.Own) != 1 || sheet.Own[mar10].Name != "设备检修" {
			t.Errorf("hall's own days: %+v", sheet.Own)
		}
		if d := sheet.Days[31+28+9]; d.Date != mar10 || d.Working || d.Name != "设备检修" {
			t.Errorf("2026-03-10 at the hall: %+v", d)
		}
		if district, _ := svc.CalendarSheet(as["admin"], 2026, ""); district.Days[31+28+9].Working != true {
			t.Errorf("a hall's closure closed the district")
		}
	})
}

func TestCreateDepartmentHallWindow(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		dept := func(code, name, credit string) *org.Department {
			return &org.Department{Code: code, Name: name, CreditCode: credit}
		}
		// 11320120MB1C40001Q is a valid credit code not used by the demo.
		wantErr(t, "department by a department admin", svc.CreateDepartment(as["bumen"], dept("JYJ", "江川区教育局", "11320120MB1C40001Q")), apperr.Forbidden, "")
		wantErr(t, "department by an anonymous", svc.CreateDepartment(as["anonymous"], dept("JYJ", "江川区教育局", "11320120MB1C40001Q")), apperr.Unauthorized, "")
		wantErr(t, "bad credit code", svc.CreateDepartment(as["admin"], dept("JYJ", "江川区教育局", "11320120MB1C40001X")), apperr.Invalid, "credit_code")
		wantErr(t, "no name", svc.CreateDepartment(as["admin"], dept("JYJ", " ", "11320120MB1C40001Q")), apperr.Invalid, "name")
		wantErr(t, "department code taken", svc.CreateDepartment(as["admin"], dept("SCJG", "重复", "11320120MB1C40001Q")), apperr.Invalid, "code")
		wantErr(t, "credit code taken", svc.CreateDepartment(as["admin"], dept("JYJ", "江川区教育局", "11320120MB1C407187")), apperr.Invalid, "credit_code")
		// A code is taken as written: blanks around it are refused, not
		// trimmed (issue 10, defect 1).
		wantErr(t, "code with blanks", svc.CreateDepartment(as["admin"], dept(" JYJ ", "江川区教育局", "11320120MB1C40001Q")), apperr.Invalid, "code")
		wantErr(t, "new department", svc.CreateDepartment(as["admin"], dept("JYJ", "江川区教育局", "11320120mb1c40001q")), "", "")
		if d, err := st.Department(context.Background(), "JYJ"); err != nil || d.CreditCode != "11320120MB1C40001Q" {
			t.Errorf("stored department: %+v, %v", d, err)
		}

		hallOf := func(code string, level org.HallLevel, parent string) *org.Hall {
			return &org.Hall{Code: code, Name: "测试大厅 " + code, Level: level, ParentCode: parent}
		}
		wantErr(t, "hall by a department admin", svc.CreateHall(as["bumen"], hallOf("JC-HXJD", org.Street, "JC-ZWZX")), apperr.Forbidden, "")
		wantErr(t, "hall by an intake clerk", svc.CreateHall(as["shouli"], hallOf("JC-HXJD", org.Street, "JC-ZWZX")), apperr.Forbidden, "")
		wantErr(t, "street without parent", svc.CreateHall(as["admin"], hallOf("JC-HXJD", org.Street, "")), apperr.Invalid, "parent_code")
		wantErr(t, "unknown parent", svc.CreateHall(as["admin"], hallOf("JC-HXJD", org.Street, "NOPE")), apperr.Invalid, "parent_code")
		wantErr(t, "street under a street", svc.CreateHall(as["admin"], hallOf("JC-HXJD", org.Street, "JC-BHJD")), apperr.Invalid, "parent_code")
		wantErr(t, "community under the district", svc.CreateHall(as["admin"], hallOf("JC-HXSQ", org.Community, "JC-ZWZX")), apperr.Invalid, "parent_code")
		wantErr(t, "district with a parent", svc.CreateHall(as["admin"], hallOf("JC-ZWZX2", org.District, "JC-ZWZX")), apperr.Invalid, "parent_code")
		wantErr(t, "unknown level", svc.CreateHall(as["admin"], hallOf("JC-HXJD", "province", "")), apperr.Invalid, "level")
		wantErr(t, "hall code taken", svc.CreateHall(as["admin"], hallOf("JC-BHJD", org.Street, "JC-ZWZX")), apperr.Invalid, "code")
		wantErr(t, "new street", svc.CreateHall(as["admin"], hallOf("JC-HXJD", org.Street, "JC-ZWZX")), "", "")
		wantErr(t, "new community", svc.CreateHall(as["admin"], hallOf("JC-HXSQ", org.Community, "JC-HXJD")), "", "")

		win := func(hall, number string, kind org.WindowKind, dept string) *org.Window {
			return &org.Window{HallCode: hall, Number: number, Name: "测试窗口", Kind: kind, DepartmentCode: dept}
		}
		wantErr(t, "window by a department admin", svc.CreateWindow(as["bumen"], win("JC-HXJD", "A01", org.IntakeWindow, "")), apperr.Forbidden, "")
		wantErr(t, "unknown department", svc.CreateWindow(as["admin"], win("JC-ZWZX", "C09", org.SpecialisedWindow, "NOPE")), apperr.Invalid, "department_code")
		wantErr(t, "specialised without department", svc.CreateWindow(as["admin"], win("JC-ZWZX", "C09", org.SpecialisedWindow, "")), apperr.Invalid, "department_code")
		wantErr(t, "intake with department", svc.CreateWindow(as["admin"], win("JC-ZWZX", "A09", org.IntakeWindow, "SCJG")), apperr.Invalid, "department_code")
		wantErr(t, "unknown hall", svc.CreateWindow(as["admin"], win("NOPE", "A09", org.IntakeWindow, "")), apperr.Invalid, "hall_code")
		wantErr(t, "unknown kind", svc.CreateWindow(as["admin"], win("JC-ZWZX", "A09", "vip", "")), apperr.Invalid, "kind")
		wantErr(t, "number taken", svc.CreateWindow(as["admin"], win("JC-ZWZX", "A01", org.IntakeWindow, "")), apperr.Invalid, "number")
		wantErr(t, "new window", svc.CreateWindow(as["admin"], win("JC-HXJD", "A01", org.IntakeWindow, "")), "", "")
		wantErr(t, "new specialised window", svc.CreateWindow(as["admin"], win("JC-ZWZX", "C09", org.SpecialisedWindow, "JYJ")), "", "")
		windows, err := svc.Windows(as["admin"], "JC-HXJD")
		if err != nil || len(windows) != 1 {
			t.Errorf("new hall's windows: %+v, %v", windows, err)
		}
	})
}

func TestUpdateUser(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		change := func(name string, role org.Role, dept, hall string) service.AccountChange {
			return service.AccountChange{Name: name, Role: role, DepartmentCode: dept, HallCode: hall}
		}
		for _, tc := range []struct {
			who, target string
			ch          service.AccountChange
			code        apperr.Code
			field       string
		}{
			{"anonymous", "shouli", change("张晓梅", org.RoleIntake, "", "JC-BHJD"), apperr.Unauthorized, ""},
			{"jiandu", "shouli", change("张晓梅", org.RoleIntake, "", "JC-BHJD"), apperr.Forbidden, ""},
			{"shouli", "shouli2", change("吴婷", org.RoleIntake, "", "JC-ZWZX"), apperr.Forbidden, ""},
			{"admin", "nobody", change("无", org.RoleIntake, "", ""), apperr.NotFound, ""},
			{"admin", "shouli", change("", org.RoleIntake, "", "JC-BHJD"), apperr.Invalid, "name"},
			{"admin", "shouli", change("张晓梅", "boss", "", ""), apperr.Invalid, "role"},
			{"admin", "shenpi", change("王建国", org.RoleIntake, "SCJG", ""), apperr.Invalid, "department"},
			{"admin", "shouli", change("张晓梅", org.RoleReviewer, "NOPE", ""), apperr.Invalid, "department"},
			{"admin", "shouli", change("张晓梅", org.RoleIntake, "", "NOPE"), apperr.Invalid, "hall"},
			{"admin", "admin", change("刘志强", org.RoleSupervisor, "", ""), apperr.Invalid, "role"},
			{"bumen", "shenpi2", change("周海燕", org.RoleReviewer, "GHZY", ""), apperr.Forbidden, ""},
			{"bumen", "chujian", change("李文静", org.RoleIssuance, "", ""), apperr.Forbidden, ""},
			{"bumen", "bumen", change("陈丽华", org.RoleDeptAdmin, "SCJG", ""), apperr.Forbidden, ""},
			{"bumen", "shenpi", change("王建国", org.RoleDeptAdmin, "SCJG", ""), apperr.Forbidden, ""},
			{"bumen", "shenpi", change("王建国", org.RoleReviewer, "GHZY", ""), apperr.Forbidden, ""},
			// The last active bureau admin keeps the role, even for the system.
			{"system", "admin", change("刘志强", org.RoleSupervisor, "", ""), apperr.Conflict, "role"},
			{"admin", "shouli", change(" 张晓梅（滨河） ", org.RoleIntake, "", "JC-BHJD"), "", ""},
			{"admin", "admin", change("刘志强（局）", org.RoleAdmin, "", ""), "", ""},
			{"bumen", "shenpi", change("王建国", org.RoleReviewer, "SCJG", "JC-ZWZX"), "", ""},
			{"admin", "jiandu", change("赵敏", org.RoleReviewer, "WSJK", ""), "", ""},
		} {
			_, err := svc.UpdateUser(as[tc.who], tc.target, tc.ch)
			wantErr(t, tc.who+" changes "+tc.target+" to "+string(tc.ch.Role), err, tc.code, tc.field)
		}
		u, err := st.UserByUsername(context.Background(), "shouli")
		if err != nil || u.Name != "张晓梅（滨河）" || u.HallCode != "JC-BHJD" || u.Role != org.RoleIntake {
			t.Errorf("shouli after the change: %+v, %v", u, err)
		}
		u, _ = st.UserByUsername(context.Background(), "jiandu")
		if u.Role != org.RoleReviewer || u.DepartmentCode != "WSJK" {
			t.Errorf("jiandu after the change: %+v", u)
		}
		u, _ = st.UserByUsername(context.Background(), "admin")
		if u.Role != org.RoleAdmin || u.Name != "刘志强（局）" {
			t.Errorf("admin after the changes: %+v", u)
		}

		// With a second admin, one admin may demote the other, but not the
		// last one left.
		admin2 := secondAdmin(t, svc, as)
		if _, err := svc.UpdateUser(admin2, "admin", change("刘志强", org.RoleSupervisor, "", "")); err != nil {
			t.Fatalf("admin2 demotes admin: %v", err)
		}
		_, err = svc.UpdateUser(as["system"], "admin2", change("第二管理员", org.RoleIntake, "", ""))
		wantErr(t, "demoting the last admin", err, apperr.Conflict, "role")
	})
}

func TestSetActive(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		ctx := context.Background()
		token, _, err := svc.IssueToken(ctx, service.UserFrom(as["shouli"]))
		if err != nil {
			t.Fatal(err)
		}
		wantErr(t, "intake clerk deactivates", svc.SetActive(as["shouli"], "chujian", false), apperr.Forbidden, "")
		wantErr(t, "anonymous deactivates", svc.SetActive(as["anonymous"], "chujian", false), apperr.Unauthorized, "")
		wantErr(t, "admin deactivates self", svc.SetActive(as["admin"], "admin", false), apperr.Forbidden, "")
		wantErr(t, "system deactivates the last admin", svc.SetActive(as["system"], "admin", false), apperr.Conflict, "")
		wantErr(t, "unknown account", svc.SetActive(as["admin"], "nobody", false), apperr.NotFound, "")
		wantErr(t, "admin deactivates shouli", svc.SetActive(as["admin"], "shouli", false), "", "")

		_, err = svc.Login(ctx, "shouli", passwords["shouli"])
		wantErr(t, "deactivated account signs in", err, apperr.Unauthorized, "")
		_, err = svc.Authenticate(ctx, token)
		wantErr(t, "deactivated account's token", err, apperr.Unauthorized, "")
		wantErr(t, "admin reactivates shouli", svc.SetActive(as["admin"], "shouli", true), "", "")
		if _, err := svc.Login(ctx, "shouli", passwords["shouli"]); err != nil {
			t.Errorf("reactivated account signs in: %v", err)
		}
		// The token stays revoked: reactivation is not a sign-in.
		_, err = svc.Authenticate(ctx, token)
		wantErr(t, "token after reactivation", err, apperr.Unauthorized, "")

		wantErr(t, "department admin deactivates own reviewer", svc.SetActive(as["bumen"], "shenpi", false), "", "")
		wantErr(t, "department admin reactivates own reviewer", svc.SetActive(as["bumen"], "shenpi", true), "", "")
		wantErr(t, "department admin deactivates another department's reviewer", svc.SetActive(as["bumen"], "shenpi2", false), apperr.Forbidden, "")
		wantErr(t, "department admin deactivates a clerk", svc.SetActive(as["bumen"], "chujian", false), apperr.Forbidden, "")
		wantErr(t, "department admin deactivates the admin", svc.SetActive(as["bumen"], "admin", false), apperr.Forbidden, "")
		wantErr(t, "department admin deactivates self", svc.SetActive(as["bumen"], "bumen", false), apperr.Forbidden, "")

		admin2 := secondAdmin(t, svc, as)
		wantErr(t, "admin2 deactivates admin", svc.SetActive(admin2, "admin", false), "", "")
		wantErr(t, "system deactivates admin2, the last", svc.SetActive(as["system"], "admin2", false), apperr.Conflict, "")
		wantErr(t, "admin2 reactivates admin", svc.SetActive(admin2, "admin", true), "", "")
	})
}

// Two admins deactivating each other at once must not leave the district
// without one: the changes run one after the other and the second fails.
func TestSetActiveRace(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		admin2 := secondAdmin(t, svc, as)
		for round := range 5 {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			wg.Add(2)
			go func() { defer wg.Done(); errs[0] = svc.SetActive(as["admin"], "admin2", false) }()
			go func() { defer wg.Done(); errs[1] = svc.SetActive(admin2, "admin", false) }()
			wg.Wait()
			failed := 0
			for _, err := range errs {
				if err != nil {
					failed++
					wantErr(t, "the second deactivation", err, apperr.Conflict, "")
				}
			}
			if failed != 1 {
				t.Fatalf("round %d: %d of 2 deactivations failed, want 1: %v", round, failed, errs)
			}
			users, _ := st.Users(context.Background())
			active := 0
			for _, u := range users {
				if u.Role == org.RoleAdmin && u.Active {
					active++
				}
			}
			if active != 1 {
				t.Fatalf("round %d: %d active admins", round, active)
			}
			for _, name := range []string{"admin", "admin2"} {
				if err := svc.SetActive(as["system"], name, true); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

func TestResetPassword(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		ctx := context.Background()
		// Lock chujian out first: a reset lifts the lock.
		for range 5 {
			svc.Login(ctx, "chujian", "wrong-password1")
		}
		token, _, err := svc.IssueToken(ctx, service.UserFrom(as["chujian"]))
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.ResetPassword(as["shouli"], "chujian")
		wantErr(t, "intake clerk resets", err, apperr.Forbidden, "")
		_, err = svc.ResetPassword(as["admin"], "admin")
		wantErr(t, "admin resets own", err, apperr.Forbidden, "")
		_, err = svc.ResetPassword(as["bumen"], "shenpi2")
		wantErr(t, "department admin resets another department's reviewer", err, apperr.Forbidden, "")
		_, err = svc.ResetPassword(as["bumen"], "chujian")
		wantErr(t, "department admin resets a clerk", err, apperr.Forbidden, "")

		pw, err := svc.ResetPassword(as["admin"], "chujian")
		if err != nil {
			t.Fatal(err)
		}
		if err := org.ValidatePassword(pw); err != nil || pw == passwords["chujian"] {
			t.Errorf("new password %q: %v", pw, err)
		}
		if _, err := svc.Login(ctx, "chujian", pw); err != nil {
			t.Errorf("sign in with the new password: %v", err)
		}
		_, err = svc.Login(ctx, "chujian", passwords["chujian"])
		wantErr(t, "sign in with the old password", err, apperr.Unauthorized, "")
		_, err = svc.Authenticate(ctx, token)
		wantErr(t, "token from before the reset", err, apperr.Unauthorized, "")

		pw, err = svc.ResetPassword(as["bumen"], "shenpi")
		if err != nil {
			t.Fatalf("department admin resets own reviewer: %v", err)
		}
		if _, err := svc.Login(ctx, "shenpi", pw); err != nil {
			t.Errorf("reviewer signs in with the reset password: %v", err)
		}
	})
}

func TestManagedUsers(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		all, err := svc.ManagedUsers(as["admin"])
		if err != nil || len(all) != 15 { // the demo's fifteen staff accounts, the hall manager's, the street reviewer's and the agents' network's included
			t.Errorf("admin manages %d accounts, %v", len(all), err)
		}
		own, err := svc.ManagedUsers(as["bumen"])
		if err != nil || len(own) != 1 || own[0].Username != "shenpi" {
			t.Errorf("department admin manages %+v, %v", own, err)
		}
		_, err = svc.ManagedUsers(as["jiandu"])
		wantErr(t, "supervisor manages accounts", err, apperr.Forbidden, "")
		_, err = svc.ManagedUser(as["bumen"], "shenpi2")
		wantErr(t, "department admin opens another department's reviewer", err, apperr.Forbidden, "")
		if u, err := svc.ManagedUser(as["bumen"], "SHENPI"); err != nil || u.Username != "shenpi" {
			t.Errorf("department admin opens own reviewer: %+v, %v", u, err)
		}
		_, err = svc.ManagedUser(as["bumen"], " shenpi")
		wantErr(t, "a username with blanks", err, apperr.Invalid, "username")
	})
}

func TestTemporaryPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		pw := service.TemporaryPassword()
		if err := org.ValidatePassword(pw); err != nil || len(pw) != 12 || seen[pw] {
			t.Fatalf("password %q: %v (seen before: %v)", pw, err, seen[pw])
		}
		seen[pw] = true
	}
}
