package identity

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Numbers whose check characters were computed independently of this package
// (by a separate script from the published algorithms).
var (
	validIDs = []string{
		"11010519491231002X", // the GB 11643 sample
		"440304199602290012", // born on 29 February 1996
		"310101200101011237",
		"510108198001010044",
		"650102199912319912",
	}
	validCreditCodes = []string{
		"91350100M000100Y43",
		"91110000600037341L",
		"12100000400000770U",
		"52440300MJL1234565",
	}
)

// withIDCheck appends the check character to 17 digits. The weights are
// derived as 2^(18-i) mod 11, not copied from the package.
func withIDCheck(first17 string) string {
	sum, w := 0, 1
	for i := 16; i >= 0; i-- {
		w = w * 2 % 11
		sum += int(first17[i]-'0') * w
	}
	return first17 + string("10X98765432"[sum%11])
}

// withCreditCheck appends the check character to 17 credit-code characters,
// deriving the weights as 3^(i-1) mod 31.
func withCreditCheck(first17 string) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(chars, first17[i]) * w
		w = w * 3 % 31
	}
	return first17 + string(chars[(31-sum%31)%31])
}

// wantInvalid fails unless err is an Invalid error on field with a message
// containing want.
func wantInvalid(t *testing.T, err error, field, want string) {
	t.Helper()
	fields := apperr.FieldsOf(err)
	if !apperr.Is(err, apperr.Invalid) || len(fields) != 1 || fields[0].Field != field ||
		!strings.Contains(apperr.MessageOf(err), want) {
		t.Errorf("got %v (fields %v), want invalid %s containing %q", err, fields, field, want)
	}
}

func TestValidateResidentID(t *testing.T) {
	for _, id := range validIDs {
		if err := ValidateResidentID(id); err != nil {
			t.Errorf("ValidateResidentID(%q) = %v, want nil", id, err)
		}
	}
	valid := []string{
		"11010519491231002x",             // lowercase x
		withIDCheck("44030419960229001"), // leap day in a leap year
		withIDCheck("44030420000229001"), // 2000 is a leap year
		withIDCheck("91000019000101001"), // issued abroad, earliest year
		withIDCheck("83000021001231001"), // latest year
	}
	for _, id := range valid {
		if err := ValidateResidentID(id); err != nil {
			t.Errorf("ValidateResidentID(%q) = %v, want nil", id, err)
		}
	}

	tests := []struct{ id, want string }{
		{"", "应为 18 位"},
		{"11010519491231002", "应为 18 位"},
		{"11010519491231002X1", "应为 18 位"},
		{" 11010519491231002X", "应为 18 位"},
		{"1101051949123100A2", "须为数字"},
		{"11010519491231002Y", "须为数字"},
		{"11010519491231002Ｘ", "须为数字"}, // full-width X: 18 runes, not ASCII
		{"１1010519491231002X", "须为数字"},
		{withIDCheck("00010519491231002"), "地区码"},
		{withIDCheck("16010519491231002"), "地区码"},
		{withIDCheck("72010519491231002"), "地区码"},
		{withIDCheck("99010519491231002"), "地区码"},
		{withIDCheck("44030419000229001"), "出生日期"}, // 1900 is not a leap year
		{withIDCheck("44030420010229001"), "出生日期"},
		{withIDCheck("44030419960230001"), "出生日期"},
		{withIDCheck("44030419961301001"), "出生日期"},
		{withIDCheck("44030419960000001"), "出生日期"},
		{withIDCheck("44030418991231001"), "出生日期"},
		{withIDCheck("44030421010101001"), "出生日期"},
		{"110105194912310021", "校验位"},
		{"440304199602290013", "校验位"},
	}
	for _, tt := range tests {
		wantInvalid(t, ValidateResidentID(tt.id), "id_number", tt.want)
	}
}

func TestValidateCreditCode(t *testing.T) {
	for _, c := range validCreditCodes {
		if err := ValidateCreditCode(c); err != nil {
			t.Errorf("ValidateCreditCode(%q) = %v, want nil", c, err)
		}
	}
	for _, a := range "123456789ANY" {
		c := withCreditCheck(string(a) + "1350100MA2XYW001")
		if err := ValidateCreditCode(c); err != nil {
			t.Errorf("ValidateCreditCode(%q) = %v, want nil", c, err)
		}
	}

	tests := []struct{ code, want string }{
		{"", "应为 18 位"},
		{"91350100M000100Y4", "应为 18 位"},
		{"91350100M000100Y430", "应为 18 位"},
		{"91350100m000100Y43", "只能包含"},
		{"91350100M000100I43", "只能包含"}, // I, O, S, V, Z are not used
		{"91350100M000100O43", "只能包含"},
		{"91350100M000100Y4-", "只能包含"},
		{"91350100M000100Y4中", "只能包含"},
		{withCreditCheck("B1350100M000100Y4"), "登记管理部门"},
		{withCreditCheck("01350100M000100Y4"), "登记管理部门"},
		{"91350100M000100Y44", "校验位"},
		{"91110000600037341K", "校验位"},
	}
	for _, tt := range tests {
		wantInvalid(t, ValidateCreditCode(tt.code), "credit_code", tt.want)
	}
}

func TestNormalize(t *testing.T) {
	if got := NormalizeResidentID(" 11010519491231002x\t"); got != "11010519491231002X" {
		t.Errorf("NormalizeResidentID = %q", got)
	}
	if got := NormalizeCreditCode("  91350100m000100y43 "); got != "91350100M000100Y43" {
		t.Errorf("NormalizeCreditCode = %q", got)
	}
}

func TestBirthDateAndGender(t *testing.T) {
	tests := []struct {
		id     string
		birth  time.Time
		gender string
	}{
		{"11010519491231002X", time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC), "女"},
		{"440304199602290012", time.Date(1996, 2, 29, 0, 0, 0, 0, time.UTC), "男"},
		{"310101200101011237", time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC), "男"},
		{"510108198001010044", time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), "女"},
	}
	for _, tt := range tests {
		got, err := BirthDate(tt.id)
		if err != nil || !got.Equal(tt.birth) {
			t.Errorf("BirthDate(%q) = %v, %v; want %v", tt.id, got, err, tt.birth)
		}
		if g := Gender(tt.id); g != tt.gender {
			t.Errorf("Gender(%q) = %q, want %q", tt.id, g, tt.gender)
		}
	}
	if _, err := BirthDate(withIDCheck("44030420010229001")); err == nil {
		t.Error("BirthDate accepted 2001-02-29")
	}
	for _, id := range []string{"", "1101051949123100", "1101051949123100X2"} {
		if g := Gender(id); g != "" {
			t.Errorf("Gender(%q) = %q, want empty", id, g)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"11010519491231002X", "110105********002X"},
		{"91350100M000100Y43", "913501********0Y43"},
		{"E12345678", "E*******8"},
		{"H123456789", "H********9"},
		{"H1234567890", "H12345*7890"},
		{"abc", "a*c"},
		{"ab", "**"},
		{"a", "*"},
		{"", ""},
		{"张三丰", "张*丰"},
		{"欧阳娜娜", "欧**娜"},
		{"中华人民共和国居民身份证号", "中华人民共和***身份证号"},
		{"a\xffb", "a*b"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIDType(t *testing.T) {
	for _, ty := range []IDType{ResidentID, CreditCode, Passport, HKMacaoPermit, TaiwanPermit, ForeignPermanent} {
		if !ty.Valid() || ty.Label() == "" {
			t.Errorf("%q: Valid %v, Label %q", ty, ty.Valid(), ty.Label())
		}
	}
	if ResidentID.Label() != "居民身份证" || CreditCode.Label() != "统一社会信用代码" {
		t.Error("unexpected labels")
	}
	if IDType("driver_licence").Valid() || IDType("").Label() != "" {
		t.Error("unknown type reported as valid")
	}
}

func TestValidate(t *testing.T) {
	valid := []struct {
		t      IDType
		number string
	}{
		{ResidentID, "11010519491231002X"},
		{ResidentID, "11010519491231002x"},
		{CreditCode, "91350100M000100Y43"},
		{Passport, "E12345678"},
		{Passport, "G1234"},
		{Passport, "ABCDEFGHIJ0123456789"},
		{HKMacaoPermit, "H12345678"},
		{HKMacaoPermit, "M1234567890"},
		{TaiwanPermit, "12345678"},
		{TaiwanPermit, "1234567890"},
		{TaiwanPermit, "12345678AB"},
		{ForeignPermanent, "USA123456789012"},
		{ForeignPermanent, "911156199001011234"},
	}
	for _, tt := range valid {
		if err := Validate(tt.t, tt.number); err != nil {
			t.Errorf("Validate(%q, %q) = %v, want nil", tt.t, tt.number, err)
		}
	}

	invalid := []struct {
		t             IDType
		number, field string
		want          string
	}{
		{"", "E12345678", "id_type", "未知的证件类型"},
		{"driver_licence", "E12345678", "id_type", "未知的证件类型"},
		{Passport, "", "id_number", "请填写证件号码"},
		{ResidentID, "11010519491231002Y", "id_number", "须为数字"},
		{ResidentID, "110105194912310021", "id_number", "校验位"},
		{CreditCode, "91350100M000100Y44", "id_number", "校验位"}, // field is id_number here
		{Passport, "E123", "id_number", "护照号码格式不正确"},
		{Passport, "e12345678", "id_number", "护照"},
		{Passport, "ABCDEFGHIJ01234567890", "id_number", "护照"},
		{Passport, "E1234-5678", "id_number", "护照"},
		{HKMacaoPermit, "C12345678", "id_number", "港澳居民来往内地通行证号码格式不正确"},
		{HKMacaoPermit, "H1234567", "id_number", "港澳"},
		{HKMacaoPermit, "H12345678901", "id_number", "港澳"},
		{HKMacaoPermit, "H1234567A", "id_number", "港澳"},
		{TaiwanPermit, "1234567", "id_number", "台湾"},
		{TaiwanPermit, "1234567A", "id_number", "台湾"},
		{TaiwanPermit, "123456789", "id_number", "台湾"},
		{TaiwanPermit, "12345678901", "id_number", "台湾"},
		{ForeignPermanent, "USA12345678901", "id_number", "外国人永久居留身份证"},
		{ForeignPermanent, "USA1234567890123", "id_number", "外国人"},
		{ForeignPermanent, "USA12345678901-", "id_number", "外国人"},
	}
	for _, tt := range invalid {
		wantInvalid(t, Validate(tt.t, tt.number), tt.field, tt.want)
	}
}

func FuzzValidateResidentID(f *testing.F) {
	for _, id := range validIDs {
		f.Add(id)
	}
	for _, s := range []string{"", "11010519491231002x", "44030419000229001X", "110105194912310021", "11010519491231002Ｘ", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateResidentID(s)
		if err != nil {
			if fs := apperr.FieldsOf(err); !apperr.Is(err, apperr.Invalid) || len(fs) != 1 || fs[0].Field != "id_number" {
				t.Fatalf("ValidateResidentID(%q) = %v, want an invalid id_number error", s, err)
			}
		} else {
			checkValidID(t, s)
		}
		// Whatever the input, 17 digits with a computed check character are
		// valid exactly when region and date are.
		if len(s) >= 17 && strings.Trim(s[:17], "0123456789") == "" {
			id := withIDCheck(s[:17])
			_, dateOK := birthDate(id)
			region := int(id[0]-'0')*10 + int(id[1]-'0')
			if got := ValidateResidentID(id) == nil; got != (dateOK && validProvince(region)) {
				t.Fatalf("ValidateResidentID(%q) valid = %v, region %d, date ok %v", id, got, region, dateOK)
			}
			if dateOK && validProvince(region) {
				checkValidID(t, id)
			}
		}
	})
}

// checkValidID asserts the properties every valid resident ID has.
func checkValidID(t *testing.T, s string) {
	t.Helper()
	if len(s) != 18 {
		t.Fatalf("valid ID %q has length %d", s, len(s))
	}
	if m := Mask(s); m != s[:6]+"********"+s[14:] {
		t.Fatalf("Mask(%q) = %q", s, m)
	}
	if _, err := BirthDate(s); err != nil {
		t.Fatalf("BirthDate(%q) = %v", s, err)
	}
	if g := Gender(s); g != "男" && g != "女" {
		t.Fatalf("Gender(%q) = %q", s, g)
	}
	if err := Validate(ResidentID, NormalizeResidentID(s)); err != nil {
		t.Fatalf("Validate(ResidentID, %q) = %v", s, err)
	}
	for _, c := range "0123456789X" {
		if byte(c) == upper(s[17]) {
			continue
		}
		if ValidateResidentID(s[:17]+string(c)) == nil {
			t.Fatalf("%q with check character %c is valid too", s, c)
		}
	}
}

func FuzzValidateCreditCode(f *testing.F) {
	for _, c := range validCreditCodes {
		f.Add(c)
	}
	for _, s := range []string{"", "91350100m000100y43", "B1350100M000100Y43", "91350100M000100I43", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateCreditCode(s)
		if err != nil {
			if fs := apperr.FieldsOf(err); !apperr.Is(err, apperr.Invalid) || len(fs) != 1 || fs[0].Field != "credit_code" {
				t.Fatalf("ValidateCreditCode(%q) = %v, want an invalid credit_code error", s, err)
			}
		} else {
			if len(s) != 18 || Validate(CreditCode, s) != nil {
				t.Fatalf("valid code %q: length %d, Validate %v", s, len(s), Validate(CreditCode, s))
			}
			for _, c := range creditChars {
				if byte(c) != s[17] && ValidateCreditCode(s[:17]+string(c)) == nil {
					t.Fatalf("%q with check character %c is valid too", s, c)
				}
			}
		}
		// 17 characters from the set with a computed check character are
		// valid exactly when the authority code is known.
		if len(s) >= 17 && strings.Trim(s[:17], creditChars) == "" {
			c := withCreditCheck(s[:17])
			if got := ValidateCreditCode(c) == nil; got != strings.ContainsRune("123456789ANY", rune(c[0])) {
				t.Fatalf("ValidateCreditCode(%q) valid = %v", c, got)
			}
		}
	})
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{"", "a", "ab", "abc", "11010519491231002X", "张三丰", "中华人民共和国居民身份证号", "a\xffb", "0123456789", "01234567890"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in, out := []rune(s), []rune(Mask(s))
		if len(in) != len(out) || !utf8.ValidString(string(out)) {
			t.Fatalf("Mask(%q) = %q changes the length or is not UTF-8", s, string(out))
		}
		head, tail := 6, 4
		switch {
		case len(in) <= 2:
			head, tail = 0, 0
		case len(in) <= 10:
			head, tail = 1, 1
		}
		for i := range out {
			shown := i < head || i >= len(in)-tail
			if shown && out[i] != in[i] || !shown && out[i] != '*' {
				t.Fatalf("Mask(%q) = %q: rune %d wrong", s, string(out), i)
			}
		}
	})
}

func FuzzValidate(f *testing.F) {
	for _, ty := range []string{"resident_id", "credit_code", "passport", "hk_macao_permit", "taiwan_permit", "foreign_permanent", "", "other"} {
		f.Add(ty, "11010519491231002X")
		f.Add(ty, "91350100M000100Y43")
		f.Add(ty, "H12345678")
	}
	f.Fuzz(func(t *testing.T, ty, number string) {
		err := Validate(IDType(ty), number)
		if err == nil {
			if !IDType(ty).Valid() || number == "" || runeLen(number) > 20 {
				t.Fatalf("Validate(%q, %q) accepted", ty, number)
			}
			return
		}
		field := "id_number"
		if !IDType(ty).Valid() {
			field = "id_type"
		}
		if fs := apperr.FieldsOf(err); !apperr.Is(err, apperr.Invalid) || len(fs) != 1 || fs[0].Field != field {
			t.Fatalf("Validate(%q, %q) = %v, want an invalid %s error", ty, number, err, field)
		}
		// The dispatch agrees with the direct validators.
		switch IDType(ty) {
		case ResidentID:
			if ValidateResidentID(number) == nil {
				t.Fatalf("Validate rejects resident ID %q that ValidateResidentID accepts", number)
			}
		case CreditCode:
			if ValidateCreditCode(number) == nil {
				t.Fatalf("Validate rejects credit code %q that ValidateCreditCode accepts", number)
			}
		}
	})
}
