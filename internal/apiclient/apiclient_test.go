package apiclient

import (
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
)

func TestParseScopes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" for an error
	}{
		{"cases:read", "cases:read"},
		{" events:read , cases:read,cases:read ", "cases:read,events:read"},
		{"cases:act,cases:read,events:read", "cases:read,cases:act,events:read"},
		{"", ""},
		{",", ""},
		{"cases:write", ""},
		{"CASES:READ", ""},
	} {
		got, err := ParseScopes("scopes", tc.in)
		if tc.want == "" {
			if !apperr.Is(err, apperr.Invalid) {
				t.Errorf("%q: %v, want invalid", tc.in, got)
			}
			continue
		}
		if err != nil || JoinScopes(got) != tc.want {
			t.Errorf("%q: %v %v, want %s", tc.in, got, err, tc.want)
		}
	}
}

func TestKeys(t *testing.T) {
	now := time.Date(2026, 9, 30, 9, 0, 0, 0, time.UTC)
	a, ka := NewKey(1, now)
	b, _ := NewKey(1, now)
	if a == b || !IsKey(a) || !strings.HasPrefix(a, ka.Prefix) || len(ka.Prefix) != 12 || len(a) != 4+52 {
		t.Fatalf("keys %q %q prefix %q", a, b, ka.Prefix)
	}
	if strings.Contains(ka.Hash, a) || ka.Hash != HashKey(a) || !Matches(a, ka.Hash) || Matches(b, ka.Hash) {
		t.Error("the hash does not stand for the key alone")
	}
	if IsKey("0123abcd") {
		t.Error("a user's token taken for a client key")
	}
	if !ka.Valid(now) {
		t.Error("a new key is not valid")
	}
	ka.ExpiresAt = now.Add(time.Hour)
	if !ka.Valid(now.Add(59*time.Minute)) || ka.Valid(now.Add(time.Hour)) {
		t.Error("the overlap's end is not kept")
	}
	ka.ExpiresAt, ka.RevokedAt = time.Time{}, now
	if ka.Valid(now) {
		t.Error("a revoked key is valid")
	}
	k := Key{LastUsedAt: now}
	if k.Stale(now.Add(59*time.Second)) || !k.Stale(now.Add(time.Minute)) || !(&Key{}).Stale(now) {
		t.Error("last use is written more than once a minute, or never")
	}
}

func TestClientValidate(t *testing.T) {
	ok := Client{Name: "不动产登记系统", DepartmentCode: "GHZY", Scopes: []Scope{ScopeCasesRead}, RatePerMinute: DefaultRate}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for field, c := range map[string]Client{
		"name":       {Name: " ", DepartmentCode: "GHZY", Scopes: ok.Scopes, RatePerMinute: 1},
		"department": {Name: "x", Scopes: ok.Scopes, RatePerMinute: 1},
		"scopes":     {Name: "x", DepartmentCode: "GHZY", RatePerMinute: 1},
		"rate":       {Name: "x", DepartmentCode: "GHZY", Scopes: ok.Scopes, RatePerMinute: MaxRate + 1},
	} {
		err := c.Validate()
		found := false
		for _, f := range apperr.FieldsOf(err) {
			found = found || f.Field == field
		}
		if !found {
			t.Errorf("%s: %v", field, err)
		}
	}
}

func TestCheckOnBehalfOf(t *testing.T) {
	c := &Client{DepartmentCode: "SCJG"}
	for _, tc := range []struct {
		u    org.User
		says string // "" when allowed
	}{
		{org.User{Username: "shenpi", Role: org.RoleReviewer, DepartmentCode: "SCJG", Active: true}, ""},
		{org.User{Username: "shenpi", Role: org.RoleReviewer, DepartmentCode: "SCJG"}, "已停用"},
		{org.User{Username: "shenpi2", Role: org.RoleReviewer, DepartmentCode: "GHZY", Active: true}, "不属于本部门"},
		{org.User{Username: "bumen", Role: org.RoleDeptAdmin, DepartmentCode: "SCJG", Active: true}, "审查人员"},
		{org.User{Username: "shouli", Role: org.RoleIntake, Active: true}, "审查人员"},
	} {
		err := CheckOnBehalfOf(c, &tc.u)
		if tc.says == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.u.Username, err)
			}
			continue
		}
		if !apperr.Is(err, apperr.Forbidden) || !strings.Contains(apperr.MessageOf(err), tc.says) {
			t.Errorf("%s: %v, want forbidden saying %q", tc.u.Username, err, tc.says)
		}
	}
}
