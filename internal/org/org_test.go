package org

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
)

func fieldOf(err error) string {
	if f := apperr.FieldsOf(err); len(f) > 0 {
		return f[0].Field
	}
	return ""
}

func TestUserValidate(t *testing.T) {
	tests := []struct {
		name  string
		user  User
		field string
	}{
		{"intake clerk", User{Username: "shouli", Name: "张晓梅", Role: RoleIntake}, ""},
		{"reviewer with department", User{Username: "shenpi", Name: "王建国", Role: RoleReviewer, DepartmentCode: "SCJG"}, ""},
		{"reviewer without department", User{Username: "shenpi", Name: "王建国", Role: RoleReviewer}, "department"},
		{"dept admin without department", User{Username: "bumen", Name: "陈丽华", Role: RoleDeptAdmin}, "department"},
		{"admin with department", User{Username: "admin", Name: "刘志强", Role: RoleAdmin, DepartmentCode: "SCJG"}, "department"},
		{"unknown role", User{Username: "boss", Name: "老板", Role: "boss"}, "role"},
		{"hall manager with hall", User{Username: "dating", Name: "黄志刚", Role: RoleHallManager, HallCode: "JC-ZWZX"}, ""},
		{"hall manager without hall", User{Username: "dating", Name: "黄志刚", Role: RoleHallManager}, "hall"},
		{"hall manager with department", User{Username: "dating", Name: "黄志刚", Role: RoleHallManager, HallCode: "JC-ZWZX", DepartmentCode: "SCJG"}, "department"},
		{"upper-case username", User{Username: "Admin", Name: "x", Role: RoleAdmin}, "username"},
		{"short username", User{Username: "ab", Name: "x", Role: RoleAdmin}, "username"},
		{"no name", User{Username: "abc", Name: " ", Role: RoleAdmin}, "name"},
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

func TestWindowAndHallValidate(t *testing.T) {
	if err := (&Window{HallCode: "H1", Number: "C01", Name: "不动产专窗", Kind: SpecialisedWindow}).Validate(); fieldOf(err) != "department_code" {
		t.Errorf("specialised window without department: %v", err)
	}
	if err := (&Window{HallCode: "H1", Number: "A01", Name: "综合受理", Kind: IntakeWindow, DepartmentCode: "SCJG"}).Validate(); fieldOf(err) != "department_code" {
		t.Errorf("intake window with a department: %v", err)
	}
	if err := (&Window{HallCode: "H1", Number: "A01", Name: "综合受理", Kind: IntakeWindow}).Validate(); err != nil {
		t.Errorf("intake window: %v", err)
	}
	if err := (&Hall{Code: "JD1", Name: "滨河街道为民服务中心", Level: Street}).Validate(); fieldOf(err) != "parent_code" {
		t.Errorf("street hall without parent: %v", err)
	}
	if err := (&Hall{Code: "QZX", Name: "区政务服务中心", Level: District}).Validate(); err != nil {
		t.Errorf("district hall: %v", err)
	}
}

func TestDepartmentValidate(t *testing.T) {
	d := Department{Code: "SCJG", Name: "区市场监督管理局", CreditCode: "91350100M000100Y43"}
	if err := d.Validate(); err != nil {
		t.Fatalf("valid department: %v", err)
	}
	d.CreditCode = "91350100M000100Y44"
	if fieldOf(d.Validate()) != "credit_code" {
		t.Fatal("wrong credit code check character accepted")
	}
}

func TestPasswordRules(t *testing.T) {
	for pw, ok := range map[string]bool{
		"Secret123": true, "short1": false, "onlyletters": false, "12345678": false,
		strings.Repeat("a1", 64): true, strings.Repeat("a1", 65): false, "密码很长但是没有数字的": false,
	} {
		if err := ValidatePassword(pw); (err == nil) != ok {
			t.Errorf("ValidatePassword(%q) = %v, want ok=%v", pw, err, ok)
		}
	}
}

func TestHashPassword(t *testing.T) {
	h1, err := HashPassword("Secret123")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword("Secret123")
	if h1 == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash format: %s", h1)
	}
	for pw, want := range map[string]bool{"Secret123": true, "secret123": false, "": false, "Secret1234": false} {
		got, err := CheckPassword(h1, pw)
		if err != nil || got != want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", pw, got, err, want)
		}
	}
	if _, err := CheckPassword("$2a$10$bcrypt", "x"); err == nil {
		t.Error("a non-argon2id hash was accepted")
	}
	if _, err := CheckPassword(h1[:len(h1)-3]+"!!!", "Secret123"); err == nil {
		t.Error("a corrupt hash was accepted")
	}
}
