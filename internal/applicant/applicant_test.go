package applicant_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/identity"
)

// Valid identity numbers (GB 11643 and GB 32100, checked by hand).
const (
	personID    = "11010519491231002X"
	companyCode = "91320120MA1XK5T2QF"
	phone       = "13912345678"
)

// at returns the wall time in Asia/Shanghai.
func at(year int, month time.Month, day, hour, min, sec int) time.Time {
	return time.Date(year, month, day, hour, min, sec, 0, clock.Shanghai)
}

// wantCode fails unless err carries code.
func wantCode(t testing.TB, err error, code apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// wantField fails unless err is Invalid and names field.
func wantField(t testing.TB, err error, field string) {
	t.Helper()
	wantCode(t, err, apperr.Invalid)
	for _, f := range apperr.FieldsOf(err) {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v names fields %v, want %q", err, apperr.FieldsOf(err), field)
}

func TestNormalizeAndValidatePhone(t *testing.T) {
	tests := []struct {
		in, normal string
		valid      bool
	}{
		{"13912345678", "13912345678", true},
		{" 13912345678 ", "13912345678", true},
		{"139 1234 5678", "13912345678", true},
		{"139-1234-5678", "13912345678", true},
		{"+86 139 1234 5678", "13912345678", true},
		{"+86-13912345678", "13912345678", true},
		{"8613912345678", "13912345678", true},
		{"19912345678", "19912345678", true},
		{"12912345678", "12912345678", false},   // no mobile network starts 12
		{"1391234567", "1391234567", false},     // 10 digits
		{"139123456789", "139123456789", false}, // 12 digits
		{"1391234567a", "1391234567a", false},
		{"025-86001234", "02586001234", false}, // a landline is no sign-in name
		{"", "", false},
	}
	for _, tt := range tests {
		got := applicant.NormalizePhone(tt.in)
		if got != tt.normal {
			t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.normal)
		}
		err := applicant.ValidatePhone(got)
		if tt.valid && err != nil {
			t.Errorf("ValidatePhone(%q) = %v, want ok", got, err)
		}
		if !tt.valid {
			if err == nil {
				t.Errorf("ValidatePhone(%q) = nil, want refused", got)
				continue
			}
			wantField(t, err, "phone")
		}
	}
}

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		name, password string
		valid          bool
	}{
		{"letters and digits", "abcd1234", true},
		{"upper-case letters count", "ABCD1234", true},
		{"with symbols and spaces", "p@ss word 9", true},
		{"64 characters", strings.Repeat("a", 63) + "1", true},
		{"8 runes with Chinese", "密码密码密码a1", true},
		{"64 runes, more bytes", strings.Repeat("密", 62) + "a1", true},
		{"6 runes, 14 bytes", "密码密码a1", false},
		{"65 runes", strings.Repeat("密", 63) + "a1", false},
		{"7 characters", "abcd123", false},
		{"65 characters", strings.Repeat("a", 64) + "1", false},
		{"no digit", "abcdefgh", false},
		{"no letter", "12345678", false},
		{"symbols and digits only", "@@@@1234", false},
		{"full-width letters are not ASCII letters", "ＡＢＣＤ1234", false},
		{"Chinese and digits only", "密码密码1234", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := applicant.ValidatePassword(tt.password)
			if tt.valid {
				if err != nil {
					t.Fatalf("ValidatePassword(%q) = %v, want ok", tt.password, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("ValidatePassword(%q) = nil, want refused", tt.password)
			}
			wantField(t, err, "password")
		})
	}
}

func TestProfileCheck(t *testing.T) {
	person := func() applicant.Profile {
		return applicant.Profile{Kind: casework.Person, Name: "王建国", IDType: identity.ResidentID, IDNumber: personID}
	}
	entity := func() applicant.Profile {
		return applicant.Profile{Kind: casework.Entity, Name: "江川区味香餐饮有限公司", IDType: identity.CreditCode, IDNumber: companyCode, Address: "江川区滨河路18号"}
	}
	tests := []struct {
		name    string
		profile applicant.Profile
		phone   string
		field   string // "" when valid
		want    applicant.Profile
	}{
		{"a person with a resident ID", person(), phone, "", person()},
		{"a lower-case check character is upper-cased", func() applicant.Profile {
			p := person()
			p.IDNumber = " 11010519491231002x "
			p.Name = " 王建国 "
			return p
		}(), phone, "", person()},
		{"an entity with a credit code", entity(), phone, "", entity()},
		{"a lower-case credit code", func() applicant.Profile {
			p := entity()
			p.IDNumber = strings.ToLower(companyCode)
			return p
		}(), phone, "", entity()},
		{"an e-mail address is trimmed", func() applicant.Profile {
			p := person()
			p.Email = " wang@example.cn "
			return p
		}(), phone, "", func() applicant.Profile {
			p := person()
			p.Email = "wang@example.cn"
			return p
		}()},
		{"a wrong check digit", func() applicant.Profile {
			p := person()
			p.IDNumber = "110105194912310021"
			return p
		}(), phone, "applicant.id_number", applicant.Profile{}},
		{"a wrong credit code check character", func() applicant.Profile {
			p := entity()
			p.IDNumber = "91320120MA1XK5T2QE"
			return p
		}(), phone, "applicant.id_number", applicant.Profile{}},
		{"a person may not use a credit code", func() applicant.Profile {
			p := person()
			p.IDType, p.IDNumber = identity.CreditCode, companyCode
			return p
		}(), phone, "applicant.id_type", applicant.Profile{}},
		{"an entity must use a credit code", func() applicant.Profile {
			p := entity()
			p.IDType, p.IDNumber = identity.ResidentID, personID
			return p
		}(), phone, "applicant.id_type", applicant.Profile{}},
		{"an unknown kind", func() applicant.Profile {
			p := person()
			p.Kind = "robot"
			return p
		}(), phone, "applicant.kind", applicant.Profile{}},
		{"no name", func() applicant.Profile {
			p := person()
			p.Name = "  "
			return p
		}(), phone, "applicant.name", applicant.Profile{}},
		{"a bad phone", person(), "12345", "applicant.phone", applicant.Profile{}},
		{"an e-mail without @", func() applicant.Profile {
			p := person()
			p.Email = "wang.example.cn"
			return p
		}(), phone, "email", applicant.Profile{}},
		{"an e-mail with markup", func() applicant.Profile {
			p := person()
			p.Email = "<wang@example.cn>"
			return p
		}(), phone, "email", applicant.Profile{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.profile.Check(tt.phone)
			if tt.field != "" {
				wantField(t, err, tt.field)
				if got != (applicant.Profile{}) {
					t.Errorf("a refused profile came back as %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if got != tt.want {
				t.Errorf("Check = %+v\nwant    %+v", got, tt.want)
			}
		})
	}
}

func TestAccountProfile(t *testing.T) {
	a := &applicant.Account{ID: 7, Phone: phone}
	if a.Complete() {
		t.Error("an account without a profile is complete")
	}
	p, err := applicant.Profile{Kind: casework.Person, Name: "王建国", IDType: identity.ResidentID, IDNumber: personID, Address: "江川区柳荫路8号"}.Check(a.Phone)
	if err != nil {
		t.Fatal(err)
	}
	a.Apply(p)
	if !a.Complete() {
		t.Error("an account with a profile is not complete")
	}
	want := casework.Party{Kind: casework.Person, Name: "王建国", IDType: identity.ResidentID, IDNumber: personID, Phone: phone, Address: "江川区柳荫路8号"}
	if got := a.Party(); got != want {
		t.Errorf("Party = %+v, want %+v", got, want)
	}
	if got := a.Username(); got != "申请人139****5678" || strings.Contains(got, phone) {
		t.Errorf("Username = %q, want the masked phone", got)
	}
}

func TestAccountOwns(t *testing.T) {
	holder := func() *applicant.Account {
		return &applicant.Account{ID: 7, Phone: phone, Kind: casework.Person, Name: "王建国", IDType: identity.ResidentID, IDNumber: personID}
	}
	windowCase := func() *casework.Case {
		return &casework.Case{Number: "20260302000001", Channel: casework.AtWindow,
			Applicant: casework.Party{Kind: casework.Person, Name: "王建国", IDType: identity.ResidentID, IDNumber: personID, Phone: phone}}
	}
	tests := []struct {
		name    string
		account func() *applicant.Account
		c       func() *casework.Case
		want    bool
	}{
		{"online case of the account", holder, func() *casework.Case {
			c := windowCase()
			c.Channel, c.AccountID = casework.Online, 7
			return c
		}, true},
		{"online case of another account, same holder", holder, func() *casework.Case {
			c := windowCase()
			c.Channel, c.AccountID = casework.Online, 8
			return c
		}, false},
		{"online case of the account, in another name", holder, func() *casework.Case {
			c := windowCase()
			c.Channel, c.AccountID = casework.Online, 7
			c.Applicant.IDNumber, c.Applicant.Phone = companyCode, "13800000000"
			return c
		}, true},
		{"window case with the holder's ID and phone", holder, windowCase, true},
		{"window case with the holder's ID and another phone", holder, func() *casework.Case {
			c := windowCase()
			c.Applicant.Phone = "13800000000"
			return c
		}, false},
		{"window case with another ID and the holder's phone", holder, func() *casework.Case {
			c := windowCase()
			c.Applicant.IDNumber = "320120198506121232"
			return c
		}, false},
		{"window case, account without a profile", func() *applicant.Account {
			return &applicant.Account{ID: 7, Phone: phone}
		}, func() *casework.Case {
			c := windowCase()
			c.Applicant.IDNumber = ""
			return c
		}, false},
		{"window case, account with a name but no ID", func() *applicant.Account {
			a := holder()
			a.IDNumber = ""
			return a
		}, func() *casework.Case {
			c := windowCase()
			c.Applicant.IDNumber = ""
			return c
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.account().Owns(tt.c()); got != tt.want {
				t.Errorf("Owns = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"13912345678":  "139****5678",
		"02586001234":  "025****1234",
		"12345678":     "123****5678",
		"1234567":      "*******",
		"":             "",
		"+86139123456": "+86****3456",
	} {
		if got := applicant.MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewCode(t *testing.T) {
	now := at(2026, 3, 2, 10, 0, 0)
	plain, c := applicant.NewCode(phone, applicant.Register, now)
	if !regexp.MustCompile(`^\d{6}$`).MatchString(plain) {
		t.Errorf("code %q is not six digits", plain)
	}
	if c.Phone != phone || c.Purpose != applicant.Register || c.Attempts != 0 || !c.CreatedAt.Equal(now) || !c.ExpiresAt.Equal(now.Add(10*time.Minute)) {
		t.Errorf("code record = %+v", c)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(c.Hash) || strings.Contains(c.Hash, plain) {
		t.Errorf("hash %q is not a SHA-256 hex digest hiding the code", c.Hash)
	}
	// Fresh codes are random: twenty in a row are not all the same.
	seen := map[string]bool{}
	for range 20 {
		p, _ := applicant.NewCode(phone, applicant.Register, now)
		seen[p] = true
	}
	if len(seen) < 2 {
		t.Errorf("20 codes were all %v", seen)
	}
}

func TestVerifyCode(t *testing.T) {
	now := at(2026, 3, 2, 10, 0, 0)
	plain, stored := applicant.NewCode(phone, applicant.Register, now)
	w := []byte(plain)
	w[0] = '0' + (w[0]-'0'+1)%10 // differs in the first digit
	wrong := string(w)
	tests := []struct {
		name  string
		code  func() applicant.Code
		typed string
		at    time.Time
		want  apperr.Code // "" ok
		field string
	}{
		{"the right code", func() applicant.Code { return stored }, plain, now.Add(time.Minute), "", ""},
		{"typed with spaces", func() applicant.Code { return stored }, " " + plain + " ", now.Add(time.Minute), "", ""},
		{"at the very end of its ten minutes", func() applicant.Code { return stored }, plain, now.Add(10 * time.Minute), "", ""},
		{"after four wrong tries", func() applicant.Code { c := stored; c.Attempts = 4; return c }, plain, now.Add(time.Minute), "", ""},
		{"a wrong code", func() applicant.Code { return stored }, wrong, now.Add(time.Minute), apperr.Invalid, "code"},
		{"empty", func() applicant.Code { return stored }, "", now.Add(time.Minute), apperr.Invalid, "code"},
		{"expired", func() applicant.Code { return stored }, plain, now.Add(10*time.Minute + time.Second), apperr.Invalid, "code"},
		{"five wrong tries lock it", func() applicant.Code { c := stored; c.Attempts = 5; return c }, plain, now.Add(time.Minute), apperr.Locked, ""},
		{"locked before expired", func() applicant.Code { c := stored; c.Attempts = 6; return c }, plain, now.Add(time.Hour), apperr.Locked, ""},
		{"bound to the phone", func() applicant.Code { c := stored; c.Phone = "13800000000"; return c }, plain, now.Add(time.Minute), apperr.Invalid, "code"},
		{"bound to the purpose", func() applicant.Code { c := stored; c.Purpose = applicant.ResetPassword; return c }, plain, now.Add(time.Minute), apperr.Invalid, "code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.code().Verify(tt.typed, tt.at)
			switch {
			case tt.want == "":
				if err != nil {
					t.Fatalf("Verify = %v, want ok", err)
				}
			case tt.field != "":
				wantField(t, err, tt.field)
			default:
				wantCode(t, err, tt.want)
			}
		})
	}
	// The same digits hash differently for another phone or purpose.
	for range 5 {
		p, a := applicant.NewCode(phone, applicant.Register, now)
		for _, other := range []struct {
			phone   string
			purpose applicant.Purpose
		}{{"13800000000", applicant.Register}, {phone, applicant.ResetPassword}} {
			_, b := applicant.NewCode(other.phone, other.purpose, now)
			b.Hash = a.Hash
			if err := b.Verify(p, now); err == nil {
				t.Errorf("the code for %s/%s verifies for %s/%s", phone, applicant.Register, other.phone, other.purpose)
			}
		}
	}
}
