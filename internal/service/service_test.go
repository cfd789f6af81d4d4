package service_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

var start = time.Date(2026, 9, 30, 9, 0, 0, 0, clock.Shanghai)

// passwords holds the demo accounts' generated passwords of the last hall.
var passwords = map[string]string{}

// hall returns a service on a fresh store with the demo district loaded,
// and a context for each demo account.
func hall(t *testing.T, st *store.Store, clk clock.Clock) (*service.Service, map[string]context.Context) {
	t.Helper()
	svc := service.New(st, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), service.DefaultConfig())
	ctx := service.AsSystem(context.Background())
	creds, err := svc.LoadDemo(ctx, demo.Load())
	if err != nil || len(creds) == 0 {
		t.Fatalf("load demo: %v (%d accounts)", err, len(creds))
	}
	as := map[string]context.Context{"system": ctx, "anonymous": context.Background()}
	for _, c := range creds {
		if c.Role == "applicant" {
			continue // an online hall account: see the applicant tests
		}
		passwords[c.Username] = c.Password
		u, err := svc.Login(context.Background(), c.Username, c.Password)
		if err != nil {
			t.Fatalf("login %s: %v", c.Username, err)
		}
		as[c.Username] = service.WithUser(context.Background(), u)
	}
	return svc, as
}

func TestLoadDemoOnlyIntoEmptyDatabase(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		creds, err := svc.LoadDemo(as["system"], demo.Load())
		if err != nil || creds != nil {
			t.Fatalf("second LoadDemo: %v, %d accounts; want nothing done", err, len(creds))
		}
		if _, err := svc.LoadDemo(as["shouli"], demo.Load()); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("LoadDemo by an intake clerk: %v", err)
		}
	})
}

func TestAddUserPermissions(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		tests := []struct {
			as   string
			user org.User
			want apperr.Code
		}{
			{"admin", org.User{Username: "newclerk", Role: org.RoleIntake}, ""},
			{"bumen", org.User{Username: "scjg2", Role: org.RoleReviewer, DepartmentCode: "SCJG"}, ""},
			{"bumen", org.User{Username: "ghzy9", Role: org.RoleReviewer, DepartmentCode: "GHZY"}, apperr.Forbidden},
			{"bumen", org.User{Username: "boss9", Role: org.RoleAdmin}, apperr.Forbidden},
			{"shouli", org.User{Username: "x99", Role: org.RoleIntake}, apperr.Forbidden},
			{"jiandu", org.User{Username: "x98", Role: org.RoleIntake}, apperr.Forbidden},
			{"anonymous", org.User{Username: "x97", Role: org.RoleIntake}, apperr.Unauthorized},
			{"admin", org.User{Username: "shouli", Role: org.RoleIntake}, apperr.Invalid},
		}
		for _, tc := range tests {
			u := tc.user
			err := svc.AddUser(as[tc.as], &u, "Secret123")
			if apperr.CodeOf(err) != tc.want {
				t.Errorf("%s adds %s: %v, want %q", tc.as, tc.user.Username, err, tc.want)
			}
		}
		users, err := svc.Users(as["admin"])
		if err != nil || len(users) != len(demo.Load().Accounts)+2 {
			t.Fatalf("users after: %d, %v", len(users), err)
		}
		if _, err := svc.Login(context.Background(), "newclerk", "Secret123"); err != nil {
			t.Fatalf("new account cannot sign in: %v", err)
		}
	})
}

func TestLoginLockoutAndPassword(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		for i := 1; i <= 5; i++ {
			_, err := svc.Login(context.Background(), "chujian", "wrong-password1")
			want := apperr.Unauthorized
			if i == 5 {
				want = apperr.Locked
			}
			if apperr.CodeOf(err) != want {
				t.Fatalf("attempt %d: %v, want %s", i, err, want)
			}
		}
		// The locked account stays locked even with the right password until
		// the lock ends; another account is not affected.
		if _, err := svc.Login(context.Background(), "chujian", passwords["chujian"]); !apperr.Is(err, apperr.Locked) {
			t.Fatalf("right password while locked: %v", err)
		}
		if _, err := svc.Login(context.Background(), "shouli", passwords["shouli"]); err != nil {
			t.Fatalf("another account while chujian is locked: %v", err)
		}
		clk.Advance(16 * time.Minute)
		if _, err := svc.Login(context.Background(), "chujian", passwords["chujian"]); err != nil {
			t.Fatalf("right password after the lock: %v", err)
		}
		if err := svc.ChangePassword(as["chujian"], "wrong", "NewSecret1"); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("change with wrong old password: %v", err)
		}
		u := service.UserFrom(as["chujian"])
		token, _, err := svc.IssueToken(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(context.Background(), token); err != nil {
			t.Fatalf("fresh token: %v", err)
		}
		clk.Advance(13 * time.Hour)
		if _, err := svc.Authenticate(context.Background(), token); !apperr.Is(err, apperr.Unauthorized) {
			t.Fatalf("token after 13h (TTL 12h): %v", err)
		}
	})
}

func TestSaveItemPermissionsAndVersions(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		it, err := svc.Item(as["bumen"], "SCJG-XK-001", 0)
		if err != nil {
			t.Fatal(err)
		}
		edit := *it
		edit.PromisedDays = 4
		if err := svc.SaveItem(as["bumen"], &edit, it.Version); err != nil || edit.Version != it.Version+1 {
			t.Fatalf("dept admin edits own item: %v (version %d)", err, edit.Version)
		}
		other, _ := svc.Item(as["bumen"], "GHZY-XK-001", 0)
		if err := svc.SaveItem(as["bumen"], other, other.Version); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("dept admin edits another department's item: %v", err)
		}
		// Moving another department's item into one's own is also refused.
		other.DepartmentCode = "SCJG"
		if err := svc.SaveItem(as["bumen"], other, other.Version); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("dept admin takes over another department's item: %v", err)
		}
		if err := svc.SaveItem(as["shenpi"], &edit, edit.Version); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("reviewer edits the handbook: %v", err)
		}
		old, err := svc.Item(as["anonymous"], "SCJG-XK-001", it.Version)
		if err != nil || old.PromisedDays != it.PromisedDays {
			t.Fatalf("old version: %v, promised %d", err, old.PromisedDays)
		}
	})
}

func TestImportCatalogAllOrNothing(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		file, err := svc.ExportCatalog(as["admin"])
		if err != nil {
			t.Fatal(err)
		}
		renamed := file.Items[0].Code
		file.Items[0].Name = "新名称"
		file.Items = append(file.Items, catalog.Item{Code: "NEW-001"}) // invalid: no name, no department …
		if _, err := svc.ImportCatalog(as["admin"], file); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("import with an invalid item: %v", err)
		}
		if it, _ := svc.Item(as["admin"], renamed, 0); it.Name == "新名称" || it.Version != 1 {
			t.Fatalf("refused import changed %s: %q v%d", renamed, it.Name, it.Version)
		}
		file.Items = file.Items[:len(file.Items)-1]
		res, err := svc.ImportCatalog(as["admin"], file)
		if err != nil || len(res.Updated) != 1 || res.Updated[0] != renamed || len(res.Added) != 0 {
			t.Fatalf("import: %v %+v", err, res)
		}
		if _, err := svc.ImportCatalog(as["bumen"], file); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("import by a dept admin: %v", err)
		}
		dup := &service.CatalogFile{Items: []catalog.Item{file.Items[1], file.Items[1]}}
		if _, err := svc.ImportCatalog(as["admin"], dup); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("import with a duplicate code: %v", err)
		}
	})
}

func TestHallCalendar(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		// Thursday 2026-12-03 closed at one street center only.
		closure := service.DayChange{Override: calendar.Override{Date: calendar.Date{Year: 2026, Month: 12, Day: 3}, Name: "停电检修"}}
		if err := svc.ChangeDays(as["admin"], demo.BinheHall, []service.DayChange{closure}); err != nil {
			t.Fatal(err)
		}
		if err := svc.ChangeDays(as["bumen"], "", []service.DayChange{closure}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("dept admin edits the calendar: %v", err)
		}
		from := time.Date(2026, 12, 2, 10, 0, 0, 0, clock.Shanghai) // Wednesday
		district, _ := svc.Calendar(as["admin"], "")
		street, err := svc.Calendar(as["admin"], demo.BinheHall)
		if err != nil {
			t.Fatal(err)
		}
		if got := district.AddWorkingDays(from, 1); !got.Equal(time.Date(2026, 12, 3, 17, 0, 0, 0, clock.Shanghai)) {
			t.Errorf("district: 1 working day after Wed = %v", got)
		}
		if got := street.AddWorkingDays(from, 1); !got.Equal(time.Date(2026, 12, 4, 17, 0, 0, 0, clock.Shanghai)) {
			t.Errorf("closed street center: 1 working day after Wed = %v", got)
		}
		if _, err := svc.Calendar(as["admin"], "NOPE"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("unknown hall: %v", err)
		}
		// A bad change among good ones: none applied.
		bad := []service.DayChange{
			{Override: calendar.Override{Date: calendar.Date{Year: 2026, Month: 12, Day: 7}, Name: "检修"}},
			{Override: calendar.Override{Date: calendar.Date{Year: 2026, Month: 12, Day: 8}}},
		}
		if err := svc.ChangeDays(as["admin"], "", bad); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("change without a name: %v", err)
		}
		cal, _ := svc.Calendar(as["admin"], "")
		if !cal.IsWorkingDay(calendar.Date{Year: 2026, Month: 12, Day: 7}) {
			t.Error("refused change closed 2026-12-07")
		}
	})
}
