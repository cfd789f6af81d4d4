package demo

import (
	"reflect"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
)

// creditCodeCheck returns the GB 32100 check character of the first 17
// characters of code, or false if one of them is outside the code's charset.
// It is written here, independently of the identity package, so the demo data
// is checked against the standard rather than against the code under test.
func creditCodeCheck(code string) (byte, bool) {
	const charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	if len(code) < 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(charset, code[i])
		if v < 0 {
			return 0, false
		}
		sum += v * weights[i]
	}
	return charset[(31-sum%31)%31], true
}

// orgCodeCheck returns the GB 11714 check character of an 8-character
// organisation code body.
func orgCodeCheck(body string) (byte, bool) {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	if len(body) != 8 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 8; i++ {
		c := body[i]
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		default:
			return 0, false
		}
		sum += v * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X', true
	case 11:
		return '0', true
	default:
		return byte('0' + c), true
	}
}

func TestCreditCodeCheckKnownValue(t *testing.T) {
	// A widely published valid example code.
	if c, ok := creditCodeCheck("91350100M000100Y43"); !ok || c != '3' {
		t.Fatalf("check of the reference code = %q, %v; want '3'", c, ok)
	}
}

func TestDepartments(t *testing.T) {
	d := Load()
	if len(d.Departments) < 6 {
		t.Fatalf("%d departments, want at least 6", len(d.Departments))
	}
	codes := map[string]bool{}
	credit := map[string]bool{}
	for _, dep := range d.Departments {
		if err := dep.Validate(); err != nil {
			t.Errorf("department %s: %v", dep.Code, err)
		}
		if codes[dep.Code] {
			t.Errorf("department code %s repeated", dep.Code)
		}
		codes[dep.Code] = true
		if credit[dep.CreditCode] {
			t.Errorf("credit code %s repeated", dep.CreditCode)
		}
		credit[dep.CreditCode] = true

		cc := dep.CreditCode
		if len(cc) != 18 {
			t.Errorf("%s: credit code %q is not 18 characters", dep.Code, cc)
			continue
		}
		if want, ok := creditCodeCheck(cc); !ok || cc[17] != want {
			t.Errorf("%s: credit code %s fails GB 32100 (check %q, want %q)", dep.Code, cc, cc[17], want)
		}
		if !strings.HasPrefix(cc, "11"+"320120") {
			t.Errorf("%s: credit code %s is not a government organ of region 320120", dep.Code, cc)
		}
		if want, ok := orgCodeCheck(cc[8:16]); !ok || cc[16] != want {
			t.Errorf("%s: organisation code %s fails GB 11714 (want check %q)", dep.Code, cc[8:17], want)
		}
	}
}

func TestHallsAndWindows(t *testing.T) {
	d := Load()
	halls := map[string]org.Hall{}
	for _, h := range d.Halls {
		if err := h.Validate(); err != nil {
			t.Errorf("hall %s: %v", h.Code, err)
		}
		if _, dup := halls[h.Code]; dup {
			t.Errorf("hall code %s repeated", h.Code)
		}
		halls[h.Code] = h
	}
	levels := map[org.HallLevel]int{}
	for _, h := range d.Halls {
		levels[h.Level]++
		if h.ParentCode != "" {
			if _, ok := halls[h.ParentCode]; !ok {
				t.Errorf("hall %s: parent %s unknown", h.Code, h.ParentCode)
			}
		}
	}
	if levels[org.District] != 1 || levels[org.Street] < 2 {
		t.Errorf("hall levels %v: want one district hall and at least two street centers", levels)
	}

	depts := departmentSet(d)
	numbers := map[string]bool{}
	perHall := map[string]map[org.WindowKind]int{}
	for _, w := range d.Windows {
		if err := w.Validate(); err != nil {
			t.Errorf("window %s/%s: %v", w.HallCode, w.Number, err)
		}
		if _, ok := halls[w.HallCode]; !ok {
			t.Errorf("window %s: hall %s unknown", w.Number, w.HallCode)
		}
		if w.DepartmentCode != "" && !depts[w.DepartmentCode] {
			t.Errorf("window %s/%s: department %s unknown", w.HallCode, w.Number, w.DepartmentCode)
		}
		key := w.HallCode + "/" + w.Number
		if numbers[key] {
			t.Errorf("window %s repeated", key)
		}
		numbers[key] = true
		if perHall[w.HallCode] == nil {
			perHall[w.HallCode] = map[org.WindowKind]int{}
		}
		perHall[w.HallCode][w.Kind]++
	}
	for _, h := range d.Halls {
		k := perHall[h.Code]
		switch h.Level {
		case org.District:
			if k[org.IntakeWindow] < 4 || k[org.IssuanceWindow] < 2 || k[org.SpecialisedWindow] < 2 {
				t.Errorf("district hall %s windows %v: want ≥4 intake, ≥2 issuance, ≥2 specialised", h.Code, k)
			}
		case org.Street:
			if k[org.IntakeWindow] < 2 || k[org.IssuanceWindow] < 1 {
				t.Errorf("street center %s windows %v: want ≥2 intake, ≥1 issuance", h.Code, k)
			}
		}
	}
}

func TestItems(t *testing.T) {
	d := Load()
	depts := departmentSet(d)
	codes := map[string]bool{}
	var instant, promised, deferrable, delegated int
	for i := range d.Items {
		it := &d.Items[i]
		if err := it.Validate(); err != nil {
			t.Errorf("item %s: %v", it.Code, err)
		}
		if codes[it.Code] {
			t.Errorf("item code %s repeated", it.Code)
		}
		codes[it.Code] = true
		if !depts[it.DepartmentCode] {
			t.Errorf("item %s: department %s unknown", it.Code, it.DepartmentCode)
		}
		if !strings.HasPrefix(it.Code, it.DepartmentCode+"-") {
			t.Errorf("item %s: code does not start with its department %s", it.Code, it.DepartmentCode)
		}
		if it.Version != 1 {
			t.Errorf("item %s: version %d, want 1", it.Code, it.Version)
		}
		if n := len(it.Materials); n < 4 || n > 8 {
			t.Errorf("item %s: %d materials, want 4 to 8", it.Code, n)
		}
		mats := map[string]bool{}
		for _, m := range it.Materials {
			if mats[m.Code] {
				t.Errorf("item %s: material code %s repeated", it.Code, m.Code)
			}
			mats[m.Code] = true
		}
		if strings.TrimSpace(it.LegalBasis) == "" || strings.TrimSpace(it.Conditions) == "" {
			t.Errorf("item %s: legal basis and conditions must be filled in", it.Code)
		}
		switch it.Kind {
		case catalog.Instant:
			instant++
			if it.Delegated {
				delegated++
			}
		case catalog.Promised:
			promised++
			if it.PromisedDays >= it.StatutoryDays {
				t.Errorf("item %s: promised %d not shorter than statutory %d", it.Code, it.PromisedDays, it.StatutoryDays)
			}
		}
		if it.HasDeferrable() {
			deferrable++
		}
	}
	if len(d.Items) < 15 || instant < 5 || promised < 10 || deferrable < 4 || delegated < 3 {
		t.Errorf("%d items, %d instant (%d delegated), %d promised, %d with deferrable materials; want ≥15, ≥5 (≥3), ≥10, ≥4",
			len(d.Items), instant, delegated, promised, deferrable)
	}
	for code := range depts {
		found := false
		for _, it := range d.Items {
			found = found || it.DepartmentCode == code
		}
		if !found {
			t.Errorf("department %s has no items", code)
		}
	}
}

func TestAccounts(t *testing.T) {
	d := Load()
	depts := departmentSet(d)
	halls := map[string]bool{}
	for _, h := range d.Halls {
		halls[h.Code] = true
	}
	roles := map[org.Role]bool{}
	names := map[string]bool{}
	for _, a := range d.Accounts {
		u := a.User()
		if err := u.Validate(); err != nil {
			t.Errorf("account %s: %v", a.Username, err)
		}
		if names[a.Username] {
			t.Errorf("username %s repeated", a.Username)
		}
		names[a.Username] = true
		if a.DepartmentCode != "" && !depts[a.DepartmentCode] {
			t.Errorf("account %s: department %s unknown", a.Username, a.DepartmentCode)
		}
		if a.HallCode != "" && !halls[a.HallCode] {
			t.Errorf("account %s: hall %s unknown", a.Username, a.HallCode)
		}
		if (a.Role == org.RoleIntake || a.Role == org.RoleIssuance) && a.HallCode == "" {
			t.Errorf("account %s: desk clerks need a hall", a.Username)
		}
		roles[a.Role] = true
	}
	for _, r := range org.Roles {
		if !roles[r] {
			t.Errorf("no demo account for role %s", r)
		}
	}
}

func TestLoadReturnsIndependentCopies(t *testing.T) {
	a, b := Load(), Load()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two loads differ")
	}
	a.Departments[0].Name = "changed"
	a.Halls[0].Name = "changed"
	a.Windows[0].Number = "Z99"
	a.Accounts[0].Username = "changed"
	for i := range a.Items {
		it := &a.Items[i]
		it.Name = "changed"
		it.Materials[0].Name = "changed"
		it.ApplicantKinds[0] = catalog.OtherOrg
		for j := range it.CollectAtIssuance {
			it.CollectAtIssuance[j] = "changed"
		}
	}
	a.Items = append(a.Items[:1], a.Items[2:]...)
	if c := Load(); !reflect.DeepEqual(b, c) {
		t.Fatal("changing one load changed the next")
	}
	// The earlier copy b must not have been touched either.
	if b.Items[0].ApplicantKinds[0] == catalog.OtherOrg || b.Items[1].Name == "changed" {
		t.Fatal("changing one load changed another")
	}
}

func departmentSet(d District) map[string]bool {
	m := map[string]bool{}
	for _, dep := range d.Departments {
		m[dep.Code] = true
	}
	return m
}
