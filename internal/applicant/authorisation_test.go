package applicant_test

import (
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/calendar"
)

func TestAuthorisationCheck(t *testing.T) {
	today := calendar.Date{Year: 2026, Month: 3, Day: 2}
	valid := func() applicant.Authorisation {
		return applicant.Authorisation{AccountID: 7, Applicant: "王建国", Agent: "daiban", AgentName: "李代办",
			Items: []string{"SCJG-XK-001", "WSJK-XK-001"}, Until: today.AddDays(90)}
	}
	tests := []struct {
		name   string
		change func(a *applicant.Authorisation)
		fields []string // nil: valid
	}{
		{"valid", func(*applicant.Authorisation) {}, nil},
		{"every item (no list)", func(a *applicant.Authorisation) { a.Items = nil }, nil},
		{"until today", func(a *applicant.Authorisation) { a.Until = today }, nil},
		{"until the longest allowed", func(a *applicant.Authorisation) { a.Until = today.AddDays(applicant.MaxAuthorisationDays) }, nil},
		{"until yesterday", func(a *applicant.Authorisation) { a.Until = today.AddDays(-1) }, []string{"until"}},
		{"until last year", func(a *applicant.Authorisation) { a.Until = calendar.Date{Year: 2025, Month: 12, Day: 31} }, []string{"until"}},
		{"one day beyond the longest", func(a *applicant.Authorisation) { a.Until = today.AddDays(applicant.MaxAuthorisationDays + 1) }, []string{"until"}},
		{"two years ahead", func(a *applicant.Authorisation) { a.Until = calendar.Date{Year: 2028, Month: 3, Day: 2} }, []string{"until"}},
		{"no end", func(a *applicant.Authorisation) { a.Until = calendar.Date{} }, []string{"until"}},
		{"no agent", func(a *applicant.Authorisation) { a.Agent = "  " }, []string{"agent"}},
		{"an item twice", func(a *applicant.Authorisation) {
			a.Items = []string{"SCJG-XK-001", "WSJK-XK-001", "SCJG-XK-001"}
		}, []string{"items"}},
		{"every problem at once", func(a *applicant.Authorisation) {
			a.Agent, a.Until, a.Items = "", today.AddDays(-1), []string{"X", "X"}
		}, []string{"agent", "until", "items"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid()
			tt.change(&a)
			err := a.Check(today)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("Check = %v, want ok", err)
				}
				return
			}
			for _, f := range tt.fields {
				wantField(t, err, f)
			}
			if n := len(apperr.FieldsOf(err)); n != len(tt.fields) {
				t.Errorf("Check names %d problems (%v), want %d", n, apperr.FieldsOf(err), len(tt.fields))
			}
		})
	}
	// The duplicate is named.
	a := valid()
	a.Items = []string{"CGJ-XK-002", "CGJ-XK-002"}
	if err := a.Check(today); !strings.Contains(apperr.MessageOf(err), "CGJ-XK-002") {
		t.Errorf("duplicate items: %v does not name the item", err)
	}
}

func TestAuthorisationCovers(t *testing.T) {
	until := calendar.Date{Year: 2026, Month: 6, Day: 30}
	scoped := func() applicant.Authorisation {
		return applicant.Authorisation{AccountID: 7, Agent: "daiban", Items: []string{"SCJG-XK-001", "WSJK-XK-001"}, Until: until}
	}
	revoked := func(at time.Time) func() applicant.Authorisation {
		return func() applicant.Authorisation { a := scoped(); a.RevokedAt = at; return a }
	}
	everything := func() applicant.Authorisation { a := scoped(); a.Items = nil; return a }
	tests := []struct {
		name   string
		auth   func() applicant.Authorisation
		item   string
		now    time.Time
		ok     bool
		active bool
		says   string // part of the refusal
	}{
		{"in scope", scoped, "SCJG-XK-001", at(2026, 3, 2, 10, 0, 0), true, true, ""},
		{"the other item in scope", scoped, "WSJK-XK-001", at(2026, 3, 2, 10, 0, 0), true, true, ""},
		{"out of scope", scoped, "CGJ-XK-002", at(2026, 3, 2, 10, 0, 0), false, true, "CGJ-XK-002"},
		{"every item", everything, "CGJ-XK-002", at(2026, 3, 2, 10, 0, 0), true, true, ""},
		{"the last day, 23:59", scoped, "SCJG-XK-001", at(2026, 6, 30, 23, 59, 59), true, true, ""},
		{"the next day, 00:00", scoped, "SCJG-XK-001", at(2026, 7, 1, 0, 0, 0), false, false, "2026-06-30"},
		{"the next day seen in UTC (16:00 UTC is 00:00 in Shanghai)", scoped, "SCJG-XK-001",
			time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC), false, false, "到期"},
		{"the last day seen in UTC (15:59 UTC is 23:59 in Shanghai)", scoped, "SCJG-XK-001",
			time.Date(2026, 6, 30, 15, 59, 0, 0, time.UTC), true, true, ""},
		{"every item, expired", everything, "CGJ-XK-002", at(2026, 7, 2, 9, 0, 0), false, false, "到期"},
		{"revoked", revoked(at(2026, 3, 1, 9, 0, 0)), "SCJG-XK-001", at(2026, 3, 2, 10, 0, 0), false, false, "daiban"},
		{"revoked this very moment", revoked(at(2026, 3, 2, 10, 0, 0)), "SCJG-XK-001", at(2026, 3, 2, 10, 0, 0), false, false, "撤销"},
		{"revoked, out of scope too", revoked(at(2026, 3, 1, 9, 0, 0)), "CGJ-XK-002", at(2026, 3, 2, 10, 0, 0), false, false, "撤销"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.auth()
			err := a.Covers(tt.item, tt.now)
			if tt.ok {
				if err != nil {
					t.Fatalf("Covers(%s, %s) = %v, want ok", tt.item, tt.now, err)
				}
			} else {
				wantCode(t, err, apperr.Forbidden)
				if !strings.Contains(apperr.MessageOf(err), tt.says) {
					t.Errorf("Covers says %q, want it to name %q", apperr.MessageOf(err), tt.says)
				}
			}
			if got := a.Active(tt.now); got != tt.active {
				t.Errorf("Active(%s) = %v, want %v", tt.now, got, tt.active)
			}
		})
	}
}

// TestCovering picks the mandate that covers the account's item now, and
// otherwise says why none does.
func TestCovering(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	until := calendar.Date{Year: 2026, Month: 12, Day: 31}
	ms := []applicant.Authorisation{
		{ID: 1, AccountID: 7, Agent: "daiban", Items: []string{"SCJG-XK-001"}, Until: until},
		{ID: 2, AccountID: 8, Agent: "daiban", Until: until},
		{ID: 3, AccountID: 7, Agent: "daiban", Items: []string{"CGJ-XK-003"}, Until: until, RevokedAt: now.Add(-time.Hour)},
		{ID: 4, AccountID: 10, Agent: "daiban", Until: calendar.Date{Year: 2026, Month: 11, Day: 1}},
		{ID: 5, AccountID: 10, Agent: "daiban", Until: until, RevokedAt: now.Add(-time.Hour)},
		{ID: 6, AccountID: 11, Agent: "daiban", Until: calendar.Date{Year: 2026, Month: 11, Day: 1}},
		{ID: 7, AccountID: 11, Agent: "daiban", Items: []string{"CGJ-XK-003"}, Until: until},
	}
	for _, tt := range []struct {
		name    string
		account int64
		item    string
		want    int64  // the mandate's ID, 0 for a refusal
		why     string // part of the refusal
	}{
		{"in scope", 7, "SCJG-XK-001", 1, ""},
		{"every item", 8, "WSJK-XK-001", 2, ""},
		{"out of scope", 7, "WSJK-XK-001", 0, "不在代办授权范围内"},
		{"revoked", 7, "CGJ-XK-003", 0, "撤销"},
		{"another applicant", 9, "SCJG-XK-001", 0, "没有该申请人的代办授权"},
		{"revoked is told before expired", 10, "SCJG-XK-001", 0, "撤销"},
		{"expired is told before out of scope", 11, "SCJG-XK-001", 0, "到期"},
		{"no account (a window case)", 0, "SCJG-XK-001", 0, "没有该申请人的代办授权"},
	} {
		m, err := applicant.Covering(ms, tt.account, tt.item, now)
		switch {
		case tt.want != 0 && (err != nil || m == nil || m.ID != tt.want):
			t.Errorf("%s: %+v, %v; want mandate %d", tt.name, m, err, tt.want)
		case tt.want == 0 && (m != nil || apperr.CodeOf(err) != apperr.Forbidden || !strings.Contains(apperr.MessageOf(err), tt.why)):
			t.Errorf("%s: %+v, %v; want forbidden saying %q", tt.name, m, err, tt.why)
		}
	}
}
