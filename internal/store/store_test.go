package store_test

import (
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// start is a Monday morning, to the microsecond: the store keeps times to
// the microsecond, so every time a test compares has no finer part.
var start = time.Date(2026, 3, 9, 9, 30, 0, 123456000, clock.Shanghai)

func wantCode(t *testing.T, err error, want apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != want {
		t.Fatalf("error = %v (code %q), want code %q", err, got, want)
	}
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	wantCode(t, err, apperr.Invalid)
	for _, f := range apperr.FieldsOf(err) {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v names fields %v, want %q", err, apperr.FieldsOf(err), field)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// demoSeed is the demo district as a seed, every account with a dummy
// password hash.
func demoSeed() *store.Seed {
	d := demo.Load()
	s := &store.Seed{Departments: d.Departments, Halls: d.Halls, Windows: d.Windows, Items: d.Items}
	for _, a := range d.Accounts {
		u := a.User()
		u.PasswordHash = "dummy-hash"
		s.Users = append(s.Users, u)
	}
	return s
}

// legacySeed is the demo's seed as a schema before migration 00033 holds
// it: no material obtained through data sharing, and (before 00034) no
// account of several roles.
func legacySeed() *store.Seed {
	s := demoSeed()
	for i := range s.Users {
		s.Users[i].Roles = nil
	}
	for i := range s.Items {
		s.Items[i].InitialReviewDays = 0 // migration 46
		s.Items[i].Materials = slices.Clone(s.Items[i].Materials)
		for j := range s.Items[i].Materials {
			s.Items[i].Materials[j].Shared = ""
		}
	}
	return s
}

// createDepartments adds the demo district's departments.
func createDepartments(t *testing.T, st *store.Store) {
	t.Helper()
	for _, d := range demo.Load().Departments {
		must(t, st.CreateDepartment(t.Context(), &d))
	}
}

func testItem(code, name string, materials ...catalog.Material) *catalog.Item {
	return &catalog.Item{
		Code: code, Name: name, Type: catalog.Licence, DepartmentCode: "SCJG",
		Kind: catalog.Promised, StatutoryDays: 20, PromisedDays: 5,
		LegalBasis: "《测试条例》第一条", Conditions: "具备条件", Fees: "不收费", OnlineLevel: catalog.OnlinePre,
		ApplicantKinds: []catalog.ApplicantKind{catalog.Enterprise, catalog.NaturalPerson},
		Materials:      materials,
	}
}

func material(code, name string) catalog.Material {
	return catalog.Material{Code: code, Name: name, Required: true, Originals: 1, Copies: 2, Paper: true, Notes: name + "说明"}
}

// sameItem fails unless got is want as stored: every field equal, times to
// the instant, and an empty list equal to a missing one.
func sameItem(t *testing.T, got, want *catalog.Item) {
	t.Helper()
	if !want.CreatedAt.IsZero() && !got.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("%s v%d created at %v, want %v", want.Code, want.Version, got.CreatedAt, want.CreatedAt)
	}
	norm := func(it catalog.Item) catalog.Item {
		it.CreatedAt = time.Time{}
		if len(it.CollectAtIssuance) == 0 {
			it.CollectAtIssuance = nil
		}
		if len(it.ApplicantKinds) == 0 {
			it.ApplicantKinds = nil
		}
		if len(it.Materials) == 0 {
			it.Materials = nil
		}
		return it
	}
	if g, w := norm(*got), norm(*want); !reflect.DeepEqual(g, w) {
		t.Errorf("item differs:\n got %+v\nwant %+v", g, w)
	}
}

// date parses a date written in the test itself.
func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func codes(items []catalog.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Code)
	}
	return out
}

func override(days []calendar.Override, date string) (calendar.Override, bool) {
	for _, o := range days {
		if o.Date.String() == date {
			return o, true
		}
	}
	return calendar.Override{}, false
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		n, err := st.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second Migrate = %d, %v; want 0, nil", n, err)
		}
		must(t, st.CheckSchema(ctx))
		current, newest, err := st.SchemaVersion(ctx)
		if err != nil || current != newest || newest < 2 {
			t.Fatalf("SchemaVersion = %d, %d, %v; want current == newest >= 2", current, newest, err)
		}
		if empty, err := st.IsEmpty(ctx); err != nil || !empty {
			t.Fatalf("IsEmpty = %v, %v; want true", empty, err)
		}

		days, err := st.CalendarDays(ctx)
		must(t, err)
		for _, c := range []struct {
			date    string
			working bool
			name    string
		}{
			{"2026-02-14", true, "春节"}, // Saturday made a working day
			{"2026-10-01", false, "国庆"},
		} {
			o, ok := override(days, c.date)
			if !ok || o.Working != c.working || !strings.Contains(o.Name, c.name) {
				t.Errorf("calendar %s = %+v (found %v), want working=%v named …%s…", c.date, o, ok, c.working, c.name)
			}
		}
		if _, ok := override(days, "2026-03-09"); ok {
			t.Error("an ordinary Monday is in the calendar table")
		}
	})
}

func TestCheckSchemaRefusesUnmigrated(t *testing.T) {
	t.Parallel()
	st, err := store.Open(t.Context(), t.TempDir()+"/fresh.db", clock.System{})
	must(t, err)
	defer st.Close()
	if err := st.CheckSchema(t.Context()); err == nil {
		t.Fatal("CheckSchema passed on an unmigrated database")
	}
}

func TestOrg(t *testing.T) {
	t.Parallel()
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		clk.Set(start)

		t.Run("departments", func(t *testing.T) {
			scjg := org.Department{Code: "SCJG", Name: "江川区市场监督管理局", CreditCode: "11320120MB1C407187"}
			mzj := org.Department{Code: "MZJ", Name: "江川区民政局", CreditCode: "11320120MB1C4054X0"}
			for _, d := range []*org.Department{&scjg, &mzj} {
				must(t, st.CreateDepartment(ctx, d))
				if d.ID == 0 {
					t.Fatalf("department %s got no id", d.Code)
				}
			}
			got, err := st.Departments(ctx)
			must(t, err)
			if want := []org.Department{mzj, scjg}; !reflect.DeepEqual(got, want) {
				t.Fatalf("Departments = %+v, want %+v", got, want)
			}
			d, err := st.Department(ctx, "SCJG")
			must(t, err)
			if *d != scjg {
				t.Fatalf("Department(SCJG) = %+v, want %+v", d, scjg)
			}

			dup := org.Department{Code: "SCJG", Name: "重复", CreditCode: "11320120MB1C412788"}
			wantCode(t, st.CreateDepartment(ctx, &dup), apperr.Conflict)
			_, err = st.Department(ctx, "NOPE")
			wantCode(t, err, apperr.NotFound)
			if got, _ := st.Departments(ctx); len(got) != 2 {
				t.Fatalf("after a duplicate, %d departments, want 2", len(got))
			}
		})

		t.Run("halls", func(t *testing.T) {
			halls := []org.Hall{
				{Code: demo.DistrictHall, Name: "江川区政务服务中心", Level: org.District, Address: "江川大道188号"},
				{Code: demo.BinheHall, Name: "滨河街道为民服务中心", Level: org.Street, ParentCode: demo.DistrictHall},
				{Code: demo.LiuyinHall, Name: "柳荫社区便民服务站", Level: org.Community, ParentCode: demo.BinheHall},
			}
			// By code alone JC-ZWZX would come last: the listing orders by level first.
			for i := range halls {
				must(t, st.CreateHall(ctx, &halls[i]))
			}
			got, err := st.Halls(ctx)
			must(t, err)
			if !reflect.DeepEqual(got, halls) {
				t.Fatalf("Halls = %+v, want %+v", got, halls)
			}
			orphan := org.Hall{Code: "ORPHAN", Name: "无上级", Level: org.Street, ParentCode: "NOPE"}
			wantField(t, st.CreateHall(ctx, &orphan), "parent_code")
		})

		t.Run("windows", func(t *testing.T) {
			ws := []org.Window{
				{HallCode: demo.DistrictHall, Number: "A01", Name: "综合受理窗口", Kind: org.IntakeWindow},
				{HallCode: demo.DistrictHall, Number: "C01", Name: "市场监管专窗", Kind: org.SpecialisedWindow, DepartmentCode: "SCJG"},
				{HallCode: demo.BinheHall, Number: "A01", Name: "综合受理窗口", Kind: org.IntakeWindow},
			}
			for i := range ws {
				must(t, st.CreateWindow(ctx, &ws[i]))
			}
			got, err := st.Windows(ctx, demo.DistrictHall)
			must(t, err)
			if !reflect.DeepEqual(got, ws[:2]) {
				t.Fatalf("Windows(district) = %+v, want %+v", got, ws[:2])
			}
			all, err := st.Windows(ctx, "")
			must(t, err)
			if len(all) != 3 {
				t.Fatalf("Windows(\"\") lists %d, want 3", len(all))
			}

			for _, bad := range []struct {
				w     org.Window
				field string
				code  apperr.Code
			}{
				{org.Window{HallCode: "NOPE", Number: "A09", Name: "无此大厅", Kind: org.IntakeWindow}, "hall_code", apperr.Invalid},
				{org.Window{HallCode: demo.BinheHall, Number: "C09", Name: "无此部门", Kind: org.SpecialisedWindow, DepartmentCode: "NOPE"}, "department_code", apperr.Invalid},
				{org.Window{HallCode: demo.DistrictHall, Number: "A01", Name: "重复窗口号", Kind: org.IntakeWindow}, "", apperr.Conflict},
			} {
				err := st.CreateWindow(ctx, &bad.w)
				if bad.field != "" {
					wantField(t, err, bad.field)
				} else {
					wantCode(t, err, bad.code)
				}
			}
			if all, _ := st.Windows(ctx, ""); len(all) != 3 {
				t.Fatalf("after bad windows, %d windows, want 3", len(all))
			}
		})

		t.Run("users", func(t *testing.T) {
			users := []org.User{
				{Username: "shenpi", Name: "王建国", Role: org.RoleReviewer, DepartmentCode: "SCJG", PasswordHash: "h1", Active: true},
				{Username: "admin", Name: "刘志强", Role: org.RoleAdmin, PasswordHash: "h2", Active: true},
				{Username: "shouli", Name: "张晓梅", Role: org.RoleIntake, HallCode: demo.DistrictHall, PasswordHash: "h3"},
			}
			for i := range users {
				must(t, st.CreateUser(ctx, &users[i]))
				if users[i].ID == 0 || !users[i].CreatedAt.Equal(start) {
					t.Fatalf("CreateUser set id %d, created %v", users[i].ID, users[i].CreatedAt)
				}
			}
			got, err := st.Users(ctx)
			must(t, err)
			want := []org.User{users[1], users[0], users[2]} // by username
			if len(got) != len(want) {
				t.Fatalf("Users = %+v, want %+v", got, want)
			}
			for i := range want {
				if !got[i].CreatedAt.Equal(want[i].CreatedAt) {
					t.Errorf("user %s created %v, want %v", want[i].Username, got[i].CreatedAt, want[i].CreatedAt)
				}
				got[i].CreatedAt, want[i].CreatedAt = time.Time{}, time.Time{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Users = %+v, want %+v", got, want)
			}

			u, err := st.UserByUsername(ctx, "shouli")
			must(t, err)
			if u.ID != users[2].ID || u.HallCode != demo.DistrictHall || u.Active {
				t.Fatalf("UserByUsername(shouli) = %+v", u)
			}
			u, err = st.UserByID(ctx, users[0].ID)
			must(t, err)
			if u.Username != "shenpi" || u.DepartmentCode != "SCJG" || u.PasswordHash != "h1" {
				t.Fatalf("UserByID = %+v", u)
			}
			_, err = st.UserByUsername(ctx, "nobody")
			wantCode(t, err, apperr.NotFound)
			_, err = st.UserByID(ctx, 987654)
			wantCode(t, err, apperr.NotFound)

			dup := org.User{Username: "admin", Name: "另一个", Role: org.RoleSupervisor, PasswordHash: "h4", Active: true}
			wantField(t, st.CreateUser(ctx, &dup), "username")
			lost := org.User{Username: "lost", Name: "无部门", Role: org.RoleReviewer, DepartmentCode: "NOPE", PasswordHash: "h5"}
			wantField(t, st.CreateUser(ctx, &lost), "department")
			if got, _ := st.Users(ctx); len(got) != 3 {
				t.Fatalf("after bad users, %d users, want 3", len(got))
			}
			if empty, err := st.IsEmpty(ctx); err != nil || empty {
				t.Fatalf("IsEmpty = %v, %v; want false", empty, err)
			}
		})
	})
}

func TestLoad(t *testing.T) {
	t.Parallel()
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		clk.Set(start)
		seed := demoSeed()
		must(t, st.Load(ctx, seed, "system"))
		want := demoSeed()

		if got, err := st.Departments(ctx); err != nil || len(got) != len(want.Departments) {
			t.Fatalf("Departments: %d, %v; want %d", len(got), err, len(want.Departments))
		}
		if got, err := st.Halls(ctx); err != nil || len(got) != len(want.Halls) {
			t.Fatalf("Halls: %d, %v; want %d", len(got), err, len(want.Halls))
		}
		if got, err := st.Windows(ctx, ""); err != nil || len(got) != len(want.Windows) {
			t.Fatalf("Windows: %d, %v; want %d", len(got), err, len(want.Windows))
		}
		users, err := st.Users(ctx)
		if err != nil || len(users) != len(want.Users) {
			t.Fatalf("Users: %d, %v; want %d", len(users), err, len(want.Users))
		}
		items, err := st.Items(ctx, store.ItemFilter{})
		must(t, err)
		slices.SortFunc(want.Items, func(a, b catalog.Item) int { return strings.Compare(a.Code, b.Code) })
		if len(items) != len(want.Items) {
			t.Fatalf("Items lists %d, want %d", len(items), len(want.Items))
		}
		for i := range want.Items {
			w := want.Items[i]
			w.Version, w.CreatedAt, w.CreatedBy = 1, start, "system"
			sameItem(t, &items[i], &w)
			one, err := st.Item(ctx, w.Code)
			must(t, err)
			sameItem(t, one, &w)
		}
		if empty, _ := st.IsEmpty(ctx); empty {
			t.Fatal("IsEmpty after Load")
		}
	})
}

func TestLoadIsAtomic(t *testing.T) {
	t.Parallel()
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		seed := demoSeed()
		seed.Items[len(seed.Items)-1].DepartmentCode = "NOPE"
		wantField(t, st.Load(ctx, seed, "system"), "department")

		if empty, err := st.IsEmpty(ctx); err != nil || !empty {
			t.Fatalf("IsEmpty = %v, %v after a failed Load; want true", empty, err)
		}
		halls, _ := st.Halls(ctx)
		windows, _ := st.Windows(ctx, "")
		items, _ := st.Items(ctx, store.ItemFilter{})
		if len(halls)+len(windows)+len(items) != 0 {
			t.Fatalf("a failed Load left %d halls, %d windows, %d items", len(halls), len(windows), len(items))
		}
		// The same seed, repaired, still loads: the failure left nothing behind.
		must(t, st.Load(ctx, demoSeed(), "system"))
	})
}

func TestItemVersions(t *testing.T) {
	t.Parallel()
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		clk.Set(start)
		createDepartments(t, st)

		v1 := testItem("T-001", "测试许可", material("M01", "申请书"), material("M02", "营业执照"))
		v1.CollectAtIssuance = []string{"旧证"}
		v1.Materials[1].Shared = "电子证照库" // kept with its version
		must(t, st.SaveItem(ctx, v1, 0, "alice"))
		if v1.Version != 1 || v1.CreatedBy != "alice" || !v1.CreatedAt.Equal(start) {
			t.Fatalf("new item: version %d by %q at %v", v1.Version, v1.CreatedBy, v1.CreatedAt)
		}
		original := *v1
		original.Materials = slices.Clone(v1.Materials)

		clk.Advance(time.Hour)
		v2 := testItem("T-001", "测试许可（修订）", material("M03", "承诺书"), material("M01", "申请书（新版）"))
		v2.Kind, v2.PromisedDays, v2.StatutoryDays = catalog.Instant, 0, 1
		must(t, st.SaveItem(ctx, v2, 1, "bob"))
		if v2.Version != 2 {
			t.Fatalf("edit on version 1 made version %d, want 2", v2.Version)
		}

		cur, err := st.Item(ctx, "T-001")
		must(t, err)
		sameItem(t, cur, v2)
		old, err := st.ItemVersion(ctx, "T-001", 1)
		must(t, err)
		sameItem(t, old, &original)
		_, err = st.ItemVersion(ctx, "T-001", 3)
		wantCode(t, err, apperr.NotFound)
		_, err = st.Item(ctx, "T-404")
		wantCode(t, err, apperr.NotFound)
		_, err = st.ItemVersions(ctx, "T-404")
		wantCode(t, err, apperr.NotFound)

		versions := func() []int {
			t.Helper()
			vs, err := st.ItemVersions(ctx, "T-001")
			must(t, err)
			var out []int
			for _, v := range vs {
				out = append(out, v.Version)
			}
			return out
		}
		if got := versions(); !slices.Equal(got, []int{2, 1}) {
			t.Fatalf("ItemVersions = %v, want [2 1]", got)
		}

		stale := testItem("T-001", "过时的修改", material("M09", "不应保存"))
		wantCode(t, st.SaveItem(ctx, stale, 1, "carol"), apperr.Conflict)
		again := testItem("T-001", "重复新建", material("M09", "不应保存"))
		wantField(t, st.SaveItem(ctx, again, 0, "carol"), "code")
		orphan := testItem("T-002", "无部门", material("M01", "申请书"))
		orphan.DepartmentCode = "NOPE"
		wantField(t, st.SaveItem(ctx, orphan, 0, "carol"), "department")
		if got := versions(); !slices.Equal(got, []int{2, 1}) {
			t.Fatalf("after refused edits ItemVersions = %v, want [2 1]", got)
		}
		cur, err = st.Item(ctx, "T-001")
		must(t, err)
		sameItem(t, cur, v2)

		// SaveItems: a new item and a stale edit together write neither.
		batch := []store.ItemEdit{
			{Item: testItem("T-003", "批量新建", material("M01", "申请书")), BaseVersion: 0},
			{Item: testItem("T-001", "批量过时修改", material("M01", "申请书")), BaseVersion: 1},
		}
		wantCode(t, st.SaveItems(ctx, batch, "dave"), apperr.Conflict)
		_, err = st.Item(ctx, "T-003")
		wantCode(t, err, apperr.NotFound)
		if got := versions(); !slices.Equal(got, []int{2, 1}) {
			t.Fatalf("after a failed SaveItems ItemVersions = %v, want [2 1]", got)
		}
		// And both together, when right, write both.
		batch[1].BaseVersion = 2
		must(t, st.SaveItems(ctx, batch, "dave"))
		if got := versions(); !slices.Equal(got, []int{3, 2, 1}) {
			t.Fatalf("after SaveItems ItemVersions = %v, want [3 2 1]", got)
		}
		if it, err := st.Item(ctx, "T-003"); err != nil || it.Version != 1 || it.CreatedBy != "dave" {
			t.Fatalf("Item(T-003) = %+v, %v", it, err)
		}
	})
}

func TestItemsFilter(t *testing.T) {
	t.Parallel()
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "system"))
		// A second version must list once, as itself.
		edit := demoSeed().Items[0]
		edit.Name = "食品经营许可（新办，修订）"
		must(t, st.SaveItem(ctx, &edit, 1, "admin"))

		for _, c := range []struct {
			name string
			f    store.ItemFilter
			want []string
		}{
			{"department", store.ItemFilter{Department: "MZJ"}, []string{"MZJ-GF-001", "MZJ-XK-001"}},
			{"department and kind", store.ItemFilter{Department: "SCJG", Kind: catalog.Instant}, []string{"SCJG-XK-003"}},
			{"kind", store.ItemFilter{Department: "RSJ", Kind: catalog.Promised}, []string{"RSJ-XK-001", "RSJ-XK-002"}},
			{"chinese name", store.ItemFilter{Query: "食品经营"}, []string{"SCJG-XK-001", "SCJG-XK-002"}},
			{"name of the new version", store.ItemFilter{Query: "修订"}, []string{"SCJG-XK-001"}},
			{"name with punctuation", store.ItemFilter{Query: "许可（延续）"}, []string{"RSJ-XK-002", "SCJG-XK-002"}},
			{"code", store.ItemFilter{Query: "GHZY-QR"}, []string{"GHZY-QR-001"}},
			{"code in lower case", store.ItemFilter{Query: "ghzy-qr"}, []string{"GHZY-QR-001"}},
			{"no wildcards", store.ItemFilter{Query: "GHZY%001"}, nil},
			{"a % is a character, not dropped", store.ItemFilter{Query: "GHZY-QR%"}, nil},
			{"an _ is a character, not dropped", store.ItemFilter{Query: "GHZY-_QR"}, nil},
			{"query and department", store.ItemFilter{Query: "登记", Department: "WSJK"}, []string{"WSJK-GG-001", "WSJK-XK-002"}},
			{"padded query", store.ItemFilter{Query: "  生育登记 "}, []string{"WSJK-GG-001"}},
			{"no match", store.ItemFilter{Query: "不存在的事项"}, nil},
			{"unknown department", store.ItemFilter{Department: "NOPE"}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, err := st.Items(ctx, c.f)
				must(t, err)
				if !slices.Equal(codes(got), c.want) {
					t.Fatalf("Items(%+v) = %v, want %v", c.f, codes(got), c.want)
				}
				for _, it := range got {
					if len(it.Materials) == 0 {
						t.Errorf("%s listed without materials", it.Code)
					}
				}
			})
		}

		// Materials keep their order, in the listing and alone.
		want := demoSeed().Items[1]
		got, err := st.Items(ctx, store.ItemFilter{Query: want.Code})
		must(t, err)
		if len(got) != 1 || !slices.Equal(got[0].Materials, want.Materials) {
			t.Fatalf("listed materials of %s = %+v, want %+v", want.Code, got, want.Materials)
		}
		reordered := want
		reordered.Materials = slices.Clone(want.Materials)
		slices.Reverse(reordered.Materials)
		must(t, st.SaveItem(ctx, &reordered, 1, "admin"))
		one, err := st.Item(ctx, want.Code)
		must(t, err)
		if !slices.Equal(one.Materials, reordered.Materials) {
			t.Fatalf("materials after reordering = %+v, want %+v", one.Materials, reordered.Materials)
		}
	})
}

func TestSaveItemConcurrent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		createDepartments(t, st)
		must(t, st.SaveItem(ctx, testItem("T-RACE", "并发修改", material("M01", "申请书")), 0, "admin"))

		const writers = 8
		for round := 1; round <= 3; round++ {
			var wg sync.WaitGroup
			gate := make(chan struct{})
			errs := make([]error, writers)
			for i := range writers {
				wg.Go(func() {
					it := testItem("T-RACE", "并发修改", material("M01", "申请书"), material("M02", "第"+string(rune('A'+i))+"份"))
					<-gate
					errs[i] = st.SaveItem(ctx, it, round, "writer")
				})
			}
			close(gate)
			wg.Wait()
			won := 0
			for _, err := range errs {
				switch apperr.CodeOf(err) {
				case "":
					won++
				case apperr.Conflict:
				default:
					t.Fatalf("round %d: concurrent SaveItem: %v", round, err)
				}
			}
			if won != 1 {
				t.Fatalf("round %d: %d writers succeeded, want exactly 1", round, won)
			}
			vs, err := st.ItemVersions(ctx, "T-RACE")
			must(t, err)
			if len(vs) != round+1 || vs[0].Version != round+1 {
				t.Fatalf("round %d: versions %v, want %d of them, newest %d", round, codes(vs), round+1, round+1)
			}
			cur, err := st.Item(ctx, "T-RACE")
			must(t, err)
			if cur.Version != round+1 || len(cur.Materials) != 2 {
				t.Fatalf("round %d: current is version %d with %d materials", round, cur.Version, len(cur.Materials))
			}
		}
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		clk.Set(start)
		u := org.User{Username: "shouli", Name: "张晓梅", Role: org.RoleIntake, PasswordHash: "old", Active: true}
		must(t, st.CreateUser(ctx, &u))
		idle := org.User{Username: "idle", Name: "停用", Role: org.RoleIntake, PasswordHash: "x", Active: false}
		must(t, st.CreateUser(ctx, &idle))

		expires := start.Add(8 * time.Hour)
		for _, tok := range []store.Token{
			{Hash: "keep", UserID: u.ID, CreatedAt: start, ExpiresAt: expires},
			{Hash: "logout", UserID: u.ID, CreatedAt: start, ExpiresAt: expires},
			{Hash: "idle", UserID: idle.ID, CreatedAt: start, ExpiresAt: expires},
		} {
			must(t, st.CreateToken(ctx, tok))
		}
		wantCode(t, st.CreateToken(ctx, store.Token{Hash: "keep", UserID: u.ID, CreatedAt: start, ExpiresAt: expires}), apperr.Conflict)

		for _, c := range []struct {
			name string
			hash string
			at   time.Time
			ok   bool
		}{
			{"valid", "keep", start.Add(time.Minute), true},
			{"last microsecond", "keep", expires.Add(-time.Microsecond), true},
			{"at expiry", "keep", expires, false},
			{"after expiry", "keep", expires.Add(time.Hour), false},
			{"unknown", "nope", start, false},
			{"inactive account", "idle", start, false},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, err := st.UserByToken(ctx, c.hash, c.at)
				if !c.ok {
					wantCode(t, err, apperr.Unauthorized)
					return
				}
				must(t, err)
				if got.ID != u.ID || got.Username != "shouli" {
					t.Fatalf("UserByToken = %+v, want shouli", got)
				}
			})
		}

		must(t, st.RevokeToken(ctx, "logout"))
		_, err := st.UserByToken(ctx, "logout", start)
		wantCode(t, err, apperr.Unauthorized)
		if _, err := st.UserByToken(ctx, "keep", start); err != nil {
			t.Fatalf("revoking one token ended another: %v", err)
		}

		must(t, st.SetPassword(ctx, u.ID, "new"))
		_, err = st.UserByToken(ctx, "keep", start)
		wantCode(t, err, apperr.Unauthorized)
		if got, _ := st.UserByID(ctx, u.ID); got.PasswordHash != "new" {
			t.Fatalf("password hash = %q, want new", got.PasswordHash)
		}
		wantCode(t, st.SetPassword(ctx, 987654, "x"), apperr.NotFound)
	})
}

func TestSignIns(t *testing.T) {
	t.Parallel()
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		u := org.User{Username: "shouli", Name: "张晓梅", Role: org.RoleIntake, PasswordHash: "x", Active: true}
		must(t, st.CreateUser(ctx, &u))
		logged := []store.SignIn{
			{At: start, Username: "shouli", UserID: u.ID, Outcome: "ok", Channel: "web", RemoteAddr: "10.0.0.1", RequestID: "r1"},
			{At: start.Add(time.Minute), Username: "ghost", Outcome: "unknown_user", Channel: "api", RemoteAddr: "10.0.0.2", RequestID: "r2"},
			{At: start.Add(2 * time.Minute), Username: "shouli", UserID: u.ID, Outcome: "bad_password", Channel: "cli", RemoteAddr: "", RequestID: "r3"},
		}
		for _, e := range logged {
			must(t, st.LogSignIn(ctx, e))
		}
		got, err := st.SignIns(ctx, 10)
		must(t, err)
		want := slices.Clone(logged)
		slices.Reverse(want)
		if len(got) != len(want) {
			t.Fatalf("SignIns = %+v, want %+v", got, want)
		}
		for i := range want {
			if !got[i].At.Equal(want[i].At) {
				t.Errorf("sign-in %d at %v, want %v", i, got[i].At, want[i].At)
			}
			got[i].At, want[i].At = time.Time{}, time.Time{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("SignIns = %+v, want %+v", got, want)
		}
		if got, _ := st.SignIns(ctx, 2); len(got) != 2 || got[0].RequestID != "r3" {
			t.Fatalf("SignIns(2) = %+v, want the newest two", got)
		}
	})
}

func TestChangeDays(t *testing.T) {
	t.Parallel()
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		for _, h := range []org.Hall{
			{Code: demo.DistrictHall, Name: "江川区政务服务中心", Level: org.District},
			{Code: demo.BinheHall, Name: "滨河街道为民服务中心", Level: org.Street, ParentCode: demo.DistrictHall},
		} {
			must(t, st.CreateHall(ctx, &h))
		}
		district := func() []calendar.Override {
			t.Helper()
			days, err := st.CalendarDays(ctx)
			must(t, err)
			return days
		}
		before := len(district())

		closed := calendar.Override{Date: date("2026-03-10"), Working: false, Name: "区停电"}
		must(t, st.ChangeDays(ctx, "", []store.DayChange{{Override: closed}}, "admin"))
		if o, ok := override(district(), "2026-03-10"); !ok || o != closed {
			t.Fatalf("district override = %+v (found %v), want %+v", o, ok, closed)
		}
		renamed := calendar.Override{Date: date("2026-03-10"), Working: false, Name: "区停电（改期）"}
		must(t, st.ChangeDays(ctx, "", []store.DayChange{{Override: renamed}}, "admin"))
		if o, _ := override(district(), "2026-03-10"); o != renamed {
			t.Fatalf("changed override = %+v, want %+v", o, renamed)
		}
		// Reset: the override and a published holiday both go, in one call.
		must(t, st.ChangeDays(ctx, "", []store.DayChange{
			{Override: calendar.Override{Date: date("2026-03-10")}, Reset: true},
			{Override: calendar.Override{Date: date("2026-10-01")}, Reset: true},
		}, "admin"))
		days := district()
		if _, ok := override(days, "2026-03-10"); ok {
			t.Fatal("reset override still there")
		}
		if _, ok := override(days, "2026-10-01"); ok {
			t.Fatal("reset holiday still there")
		}
		if len(days) != before-1 {
			t.Fatalf("%d district overrides, want %d", len(days), before-1)
		}

		repair := calendar.Override{Date: date("2026-03-11"), Working: false, Name: "大厅设备检修"}
		must(t, st.ChangeDays(ctx, demo.BinheHall, []store.DayChange{{Override: repair}}, "admin"))
		hall, err := st.HallDays(ctx, demo.BinheHall)
		must(t, err)
		if len(hall) != 1 || hall[0] != repair {
			t.Fatalf("HallDays = %+v, want [%+v]", hall, repair)
		}
		if _, ok := override(district(), "2026-03-11"); ok {
			t.Fatal("a hall's closure shows in the district calendar")
		}
		if other, _ := st.HallDays(ctx, demo.DistrictHall); len(other) != 0 {
			t.Fatalf("another hall's days = %+v", other)
		}
		must(t, st.ChangeDays(ctx, demo.BinheHall, []store.DayChange{{Override: repair, Reset: true}}, "admin"))
		if hall, _ := st.HallDays(ctx, demo.BinheHall); len(hall) != 0 {
			t.Fatalf("after reset HallDays = %+v", hall)
		}

		wantField(t, st.ChangeDays(ctx, "NOPE", []store.DayChange{{Override: repair}}, "admin"), "hall")
		if len(district()) != before-1 {
			t.Fatal("a refused change wrote to the district calendar")
		}
	})
}

func TestTimesRoundTrip(t *testing.T) {
	t.Parallel()
	newYork, err := time.LoadLocation("America/New_York")
	must(t, err)
	times := []time.Time{
		start,
		time.Date(2026, 12, 31, 23, 59, 59, 999999000, time.UTC), // already 2027 in Shanghai
		time.Date(2026, 7, 1, 0, 0, 0, 1000, clock.Shanghai),
		time.Date(2026, 3, 8, 2, 30, 0, 654321000, newYork), // around a DST change there
		time.Date(1999, 12, 31, 16, 0, 0, 0, time.UTC),
	}
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		createDepartments(t, st)
		check := func(what string, got, want time.Time) {
			t.Helper()
			if !got.Equal(want) || got.Location().String() != "Asia/Shanghai" ||
				got.Format(time.RFC3339Nano) != want.In(clock.Shanghai).Format(time.RFC3339Nano) {
				t.Errorf("%s = %s (%s), want %s in Asia/Shanghai", what, got.Format(time.RFC3339Nano), got.Location(), want.Format(time.RFC3339Nano))
			}
		}
		for i, at := range times {
			clk.Set(at)
			u := org.User{Username: "user" + string(rune('a'+i)), Name: "用户", Role: org.RoleAdmin, PasswordHash: "x", Active: true}
			must(t, st.CreateUser(ctx, &u))
			got, err := st.UserByID(ctx, u.ID)
			must(t, err)
			check("user created_at", got.CreatedAt, at)

			it := testItem("TIME-"+string(rune('A'+i)), "时间", material("M01", "申请书"))
			must(t, st.SaveItem(ctx, it, 0, "admin"))
			gotItem, err := st.Item(ctx, it.Code)
			must(t, err)
			check("item created_at", gotItem.CreatedAt, at)

			must(t, st.LogSignIn(ctx, store.SignIn{At: at, Username: u.Username, Outcome: "ok", Channel: "web"}))
			ins, err := st.SignIns(ctx, 1)
			must(t, err)
			check("sign-in at", ins[0].At, at)

			lockFor := time.Duration(i+1) * time.Hour
			until, err := st.RecordFailures(ctx, at, store.Failure{Key: u.Username, Window: time.Minute,
				Lock: func(int) time.Duration { return lockFor }})
			must(t, err)
			gotUntil, err := st.LockedUntil(ctx, at, u.Username)
			must(t, err)
			check("locked_until", gotUntil, until[0])
			check("locked_until", gotUntil, at.Add(lockFor))
		}
	})
}
