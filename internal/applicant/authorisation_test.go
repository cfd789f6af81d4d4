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
