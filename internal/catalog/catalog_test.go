package catalog

import (
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
)

func validItem() Item {
	return Item{
		Code: "SCJG-XK-001", Name: "食品经营许可（新办）", Type: Licence, DepartmentCode: "SCJG",
		Kind: Promised, StatutoryDays: 20, PromisedDays: 5, DeferralDays: 3,
		LegalBasis: "《中华人民共和国食品安全法》第三十五条", Conditions: "有固定经营场所", Fees: "不收费",
		OnlineLevel: OnlinePre, ApplicantKinds: []ApplicantKind{NaturalPerson, Enterprise},
		Materials: []Material{
			{Code: "M01", Name: "食品经营许可申请书", Required: true, Originals: 1, Paper: true, Electronic: true},
			{Code: "M02", Name: "食品安全管理制度", Required: true, Copies: 1, Paper: true, Deferrable: true},
		},
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Item)
		field string // "" means valid
	}{
		{"valid promised item", func(*Item) {}, ""},
		{"promised equal to statutory", func(it *Item) { it.PromisedDays = 20 }, ""},
		{"promised above statutory", func(it *Item) { it.PromisedDays = 21 }, "promised_days"},
		{"promised item with zero days", func(it *Item) { it.PromisedDays = 0; it.DeferralDays = 0; it.Materials[1].Deferrable = false }, "promised_days"},
		{"no department", func(it *Item) { it.DepartmentCode = " " }, "department"},
		{"unknown type", func(it *Item) { it.Type = "审批" }, "type"},
		{"unknown kind", func(it *Item) { it.Kind = "fast" }, "kind"},
		{"bad code", func(it *Item) { it.Code = "食品" }, "code"},
		{"no name", func(it *Item) { it.Name = "" }, "name"},
		{"no fees statement", func(it *Item) { it.Fees = "" }, "fees"},
		{"no applicant kinds", func(it *Item) { it.ApplicantKinds = nil }, "applicant_kinds"},
		{"unknown applicant kind", func(it *Item) { it.ApplicantKinds = []ApplicantKind{"alien"} }, "applicant_kinds"},
		{"bad online level", func(it *Item) { it.OnlineLevel = "some" }, "online_level"},
		{"no materials", func(it *Item) { it.Materials = nil; it.DeferralDays = 0 }, "materials"},
		{"duplicate material code", func(it *Item) { it.Materials[1].Code = "M01" }, "materials[1].code"},
		{"material with no copies", func(it *Item) { it.Materials[0].Originals = 0 }, "materials[0].copies"},
		{"material neither paper nor electronic", func(it *Item) { it.Materials[0].Paper, it.Materials[0].Electronic = false, false }, "materials[0].paper"},
		{"optional material deferrable", func(it *Item) { it.Materials[1].Required = false }, "materials[1].deferrable"},
		{"deferral longer than promised", func(it *Item) { it.DeferralDays = 6 }, "deferral_days"},
		{"deferral equal to promised", func(it *Item) { it.DeferralDays = 5 }, ""},
		{"deferrable without due days", func(it *Item) { it.DeferralDays = 0 }, "deferral_days"},
		{"due days without deferrable material", func(it *Item) { it.Materials[1].Deferrable = false }, "deferral_days"},
		{"statutory beyond a year", func(it *Item) { it.StatutoryDays = MaxDays + 1 }, "statutory_days"},
		{"promised item delegated", func(it *Item) { it.Delegated = true }, "delegated"},
		{"three review levels", func(it *Item) { it.ReviewLevels = 3 }, ""},
		{"four review levels", func(it *Item) { it.ReviewLevels = 4 }, "review_levels"},
		{"negative review levels", func(it *Item) { it.ReviewLevels = -1 }, "review_levels"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			it := validItem()
			tc.edit(&it)
			err := it.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("want invalid, got %v", err)
			}
			for _, f := range apperr.FieldsOf(err) {
				if f.Field == tc.field {
					return
				}
			}
			t.Fatalf("want an error on %s, got %v", tc.field, apperr.FieldsOf(err))
		})
	}
}

func TestInstantItems(t *testing.T) {
	it := validItem()
	it.Kind, it.PromisedDays, it.DeferralDays, it.Delegated = Instant, 0, 0, true
	it.Materials[1].Deferrable = false
	if err := it.Validate(); err != nil {
		t.Fatalf("delegated instant item: %v", err)
	}
	it.ReviewLevels = 2
	if err := it.Validate(); err == nil {
		t.Fatal("instant item with two review levels accepted")
	}
	it.ReviewLevels = 1
	it.PromisedDays = 1
	if err := it.Validate(); err == nil {
		t.Fatal("instant item with promised days accepted")
	}
	it.PromisedDays = 0
	it.Materials[1].Deferrable, it.DeferralDays = true, 1
	if err := it.Validate(); err == nil {
		t.Fatal("instant item with a deferrable material accepted")
	}
}

func TestMaterialLookup(t *testing.T) {
	it := validItem()
	if m, ok := it.Material("M02"); !ok || !m.Deferrable {
		t.Fatalf("Material(M02) = %+v, %v", m, ok)
	}
	if _, ok := it.Material("M99"); ok {
		t.Fatal("Material(M99) found")
	}
	if !it.HasDeferrable() {
		t.Fatal("HasDeferrable false")
	}
}

func TestLevels(t *testing.T) {
	it := validItem()
	if it.Levels() != 1 {
		t.Fatalf("an unset review level reads as %d, want 1", it.Levels())
	}
	it.ReviewLevels = 3
	if it.Levels() != 3 {
		t.Fatalf("Levels = %d, want 3", it.Levels())
	}
}
