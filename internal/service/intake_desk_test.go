package service_test

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// restaurant is an applicant for the demo's food licences (organisations only).
var restaurant = casework.Party{Kind: casework.Entity, Name: "江川区好味餐饮有限公司", IDType: identity.CreditCode,
	IDNumber: "91350100M000100Y43", Phone: "13800138000", Address: "江川区滨河路1号"}

func marks(status casework.MaterialStatus, codes ...string) []casework.MaterialInput {
	var out []casework.MaterialInput
	for _, c := range codes {
		out = append(out, casework.MaterialInput{Code: c, Status: status})
	}
	return out
}

func wantFieldErr(t *testing.T, err error, field, message string) {
	t.Helper()
	for _, f := range apperr.FieldsOf(err) {
		if f.Field == field && strings.Contains(f.Message, message) {
			return
		}
	}
	t.Errorf("error %v names %v, want %s: …%s…", err, apperr.FieldsOf(err), field, message)
}

func TestSearchItems(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		find := func(q string) []string {
			t.Helper()
			found, err := svc.SearchItems(as["shouli"], q)
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			var codes []string
			for _, d := range found {
				codes = append(codes, d.Item.Code)
				if d.Department == "" || d.Initials == "" {
					t.Errorf("search %q: %s without department name or initials: %+v", q, d.Item.Code, d)
				}
			}
			return codes
		}
		first := func(q, want string, n int) {
			t.Helper()
			got := find(q)
			if len(got) != n || got[0] != want {
				t.Errorf("search %q = %v, want %d items, %s first", q, got, n, want)
			}
		}
		first("spjy", "SCJG-XK-001", 2)        // 食品经营许可（新办）and（延续）
		first("SPJYXK", "SCJG-XK-001", 2)      // typed in capitals
		first("jyxk", "RSJ-XK-001", 5)         // the initials of part of a name: 经营许可 (劳务派遣 ×2, 食品 ×2, 娱乐场所)
		first("scjg-xk-003", "SCJG-XK-003", 1) // the code
		first("食品经营", "SCJG-XK-001", 2)        // the name
		first("shipin", "SCJG-XK-001", 2)      // pinyin spelled out
		first("scjg", "SCJG-DJ-001", 4)        // a code prefix outranks initials
		if got := find("xyz不存在"); len(got) != 0 {
			t.Errorf("nonsense found %v", got)
		}
		all := find("")
		if len(all) < 20 || all[0] > all[1] {
			t.Errorf("empty query: %v, want every item by code", all)
		}

		// A catalog edit is seen at once; a reading of a 多音字 other
		// than its first counts (行 read háng).
		it, err := svc.Item(as["admin"], "GHZY-GG-001", 0)
		if err != nil {
			t.Fatal(err)
		}
		edit := *it
		edit.Name = "银行网点不动产登记资料查询"
		if err := svc.SaveItem(as["admin"], &edit, it.Version); err != nil {
			t.Fatal(err)
		}
		first("yhwd", "GHZY-GG-001", 1)
		first("yxwd", "GHZY-GG-001", 1)

		for who, want := range map[string]apperr.Code{"shenpi": apperr.Forbidden, "jiandu": apperr.Forbidden, "anonymous": apperr.Unauthorized} {
			if _, err := svc.SearchItems(as[who], "spjy"); apperr.CodeOf(err) != want {
				t.Errorf("%s searches: %v, want %s", who, err, want)
			}
		}
	})
}

func TestIntakeItemDefaultsDeferral(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		d, err := svc.IntakeItem(as["shouli"], "SCJG-XK-001")
		if err != nil {
			t.Fatal(err)
		}
		if d.Department != "江川区市场监督管理局" || d.Initials != "spjyxkxb" || d.DeferralDue.IsZero() {
			t.Errorf("desk item: %q %q %v", d.Department, d.Initials, d.DeferralDue)
		}
		// The form's default is what intake sets when no date is given.
		in := casework.Intake{ItemCode: "SCJG-XK-001", Channel: casework.AtWindow, Applicant: restaurant,
			Materials: append(marks(casework.Provided, "M01", "M02", "M03", "M05"), marks(casework.Deferred, "M04")...)}
		v, err := svc.Intake(as["shouli"], in)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Case.Deadlines.SupplyBy.Equal(d.DeferralDue) {
			t.Errorf("supply by %v, form default %v", v.Case.Deadlines.SupplyBy, d.DeferralDue)
		}
		if d, err := svc.IntakeItem(as["shouli"], "SCJG-XK-002"); err != nil || !d.DeferralDue.IsZero() {
			t.Errorf("an item without deferral: %v, due %v", err, d.DeferralDue)
		}
		if _, err := svc.IntakeItem(as["shouli"], "NOPE-001"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown item: %v", err)
		}
		if _, err := svc.IntakeItem(as["chujian"], "SCJG-XK-001"); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("issuance clerk opens the intake form: %v", err)
		}
	})
}

func TestRecordIncomplete(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		good := service.IncompleteIntake{
			ItemCode: "SCJG-XK-001", Applicant: restaurant,
			// M04 deferred and M05 not brought: both are missing while the
			// case is not taken in; M06 is optional; M02, the business
			// licence, is not brought but the hall obtains it from the
			// electronic licence library: it is not one to bring.
			Materials: append(marks(casework.Provided, "M01", "M03"), marks(casework.Deferred, "M04")...),
			Note:      "  请法定代表人到场  ",
		}
		count := func() int {
			t.Helper()
			list, err := st.IntakeAttempts(t.Context(), store.IntakeAttemptFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}

		for who, want := range map[string]apperr.Code{
			"shenpi": apperr.Forbidden, "chujian": apperr.Forbidden, "jiandu": apperr.Forbidden, "admin": apperr.Forbidden,
			"system": apperr.Forbidden, "anonymous": apperr.Unauthorized,
		} {
			if _, err := svc.RecordIncomplete(as[who], good); apperr.CodeOf(err) != want {
				t.Errorf("%s records a notice: %v, want %s", who, err, want)
			}
		}

		bad := func(change func(in *service.IncompleteIntake), field, message string) {
			t.Helper()
			in := good
			in.Materials = append([]casework.MaterialInput(nil), good.Materials...)
			change(&in)
			_, err := svc.RecordIncomplete(as["shouli"], in)
			if !apperr.Is(err, apperr.Invalid) {
				t.Errorf("want invalid (%s), got %v", field, err)
				return
			}
			wantFieldErr(t, err, field, message)
		}
		bad(func(in *service.IncompleteIntake) { in.Applicant.Name = "  " }, "applicant.name", "请填写申请人")
		bad(func(in *service.IncompleteIntake) { in.Applicant.IDNumber = "91350100M000100Y44" }, "applicant.id_number", "校验位")
		bad(func(in *service.IncompleteIntake) {
			in.Applicant.IDType, in.Applicant.IDNumber = identity.ResidentID, "11010519491231002X"
		}, "applicant.id_type", "统一社会信用代码")
		bad(func(in *service.IncompleteIntake) { in.Applicant.Kind = "robot" }, "applicant.kind", "申请人类型")
		bad(func(in *service.IncompleteIntake) {
			in.Materials = append(in.Materials, marks(casework.Provided, "M99")...)
		}, "materials", "M99")
		bad(func(in *service.IncompleteIntake) {
			in.Materials = marks(casework.Provided, "M01", "M02", "M03", "M04", "M05")
		}, "materials", "已齐全")
		bad(func(in *service.IncompleteIntake) { // the shared licence not brought: nothing to bring
			in.Materials = marks(casework.Provided, "M01", "M03", "M04", "M05")
		}, "materials", "已齐全")
		bad(func(in *service.IncompleteIntake) { in.Note = strings.Repeat("长", 501) }, "note", "500")
		bad(func(in *service.IncompleteIntake) { in.ItemCode = "NOPE-001" }, "item_code", "未知的事项")
		if n := count(); n != 0 {
			t.Fatalf("%d notices recorded by refused requests", n)
		}

		a, err := svc.RecordIncomplete(as["shouli"], good)
		if err != nil {
			t.Fatal(err)
		}
		var missing []string
		for _, m := range a.Missing {
			missing = append(missing, m.Code)
		}
		if strings.Join(missing, ",") != "M04,M05" || a.Note != "请法定代表人到场" || a.Clerk != "shouli" || a.ClerkName != "张晓梅" ||
			a.HallCode != "JC-ZWZX" || a.ItemVersion != 1 || !a.CreatedAt.Equal(start) {
			t.Errorf("recorded %+v, missing %v", a, missing)
		}
		if a.Applicant.IDNumber != identity.Mask(restaurant.IDNumber) || a.Applicant.Phone != "" {
			t.Errorf("applicant as returned: %+v, want the ID masked and no phone kept", a.Applicant)
		}
		if full, _ := st.IntakeAttempt(t.Context(), a.ID); full.Applicant.IDNumber != restaurant.IDNumber {
			t.Errorf("stored ID %q, want it in full", full.Applicant.IDNumber)
		}
		// Without an ID shown, the notice is still given.
		anon := good
		anon.Applicant = casework.Party{Kind: casework.Person, Name: "王先生", IDType: identity.ResidentID}
		if _, err := svc.RecordIncomplete(as["shouli"], anon); err != nil {
			t.Errorf("a notice without an ID number: %v", err)
		}

		// Reading: a clerk sees their own hall's notices, a supervisor all.
		n, err := svc.OneTimeNotice(as["shouli"], a.ID)
		if err != nil || n.Hall.Name != "江川区政务服务中心" || n.Item.Conditions == "" || n.Department == "" ||
			n.Attempt.Applicant.IDNumber != identity.Mask(restaurant.IDNumber) {
			t.Errorf("notice: %v %+v", err, n)
		}
		if _, err := svc.OneTimeNotice(as["shouli2"], a.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("another hall's clerk reads the notice: %v", err)
		}
		if _, err := svc.OneTimeNotice(as["jiandu"], a.ID); err != nil {
			t.Errorf("supervisor reads the notice: %v", err)
		}
		if _, err := svc.OneTimeNotice(as["shenpi"], a.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("reviewer reads the notice: %v", err)
		}
		today := calendar.DateOf(start)
		for who, want := range map[string]int{"shouli": 2, "shouli2": 0, "jiandu": 2} {
			list, err := svc.IntakeAttempts(as[who], today)
			if err != nil || len(list) != want {
				t.Errorf("%s lists today's notices: %d, %v; want %d", who, len(list), err, want)
			}
			for _, x := range list {
				if x.Applicant.IDNumber != "" && !strings.Contains(x.Applicant.IDNumber, "*") {
					t.Errorf("listed ID %q not masked", x.Applicant.IDNumber)
				}
			}
		}
		if list, _ := svc.IntakeAttempts(as["shouli"], today.AddDays(1)); len(list) != 0 {
			t.Errorf("tomorrow's notices: %d", len(list))
		}
		if _, err := svc.IntakeAttempts(as["chujian"], today); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("issuance clerk lists notices: %v", err)
		}
	})
}

func TestRecallApplicantService(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		in := casework.Intake{ItemCode: "SCJG-XK-002", Channel: casework.AtWindow, Applicant: restaurant,
			Materials: marks(casework.Provided, "M01", "M02", "M03", "M04")}
		if _, err := svc.Intake(as["shouli"], in); err != nil {
			t.Fatal(err)
		}
		rec, err := svc.RecallApplicant(as["shouli2"], " 91350100m000100y43 ")
		if err != nil || rec.Applicant != restaurant || rec.Source != "case" {
			t.Errorf("recall: %v %+v", err, rec)
		}
		if _, err := svc.RecallApplicant(as["shouli"], "11010519491231002X"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("recall of a stranger: %v", err)
		}
		if _, err := svc.RecallApplicant(as["shouli"], ""); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("recall of nothing: %v", err)
		}
		for _, who := range []string{"shenpi", "chujian", "jiandu", "system"} {
			if _, err := svc.RecallApplicant(as[who], restaurant.IDNumber); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("%s recalls an applicant: %v", who, err)
			}
		}
	})
}
