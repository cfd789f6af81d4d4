package casework_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
)

// version2 is a deadline policy the bureau might publish: one more working
// day for acceptance and pre-review, two for correction and archiving, the
// morning running to 13:00 and the handover times moved to 16:30 and 09:30.
func version2() casework.Policy {
	return casework.Policy{Version: 2, AcceptDays: 3, PreReviewDays: 3, CorrectDays: 2, ArchiveDays: 2,
		Split: calendar.Clock(13, 0), HandoverSameDay: calendar.Clock(16, 30), HandoverNextDay: calendar.Clock(9, 30)}
}

// envUnder is the environment with the policy p in force.
func envUnder(now time.Time, p casework.Policy) casework.Env {
	e := env(now)
	e.Policy = p
	return e
}

func TestDefaultPolicy(t *testing.T) {
	p := casework.DefaultPolicy()
	want := casework.Policy{Version: 1, AcceptDays: 2, PreReviewDays: 2, CorrectDays: 1, ArchiveDays: 1,
		Split: calendar.Clock(12, 0), HandoverSameDay: calendar.Clock(15, 0), HandoverNextDay: calendar.Clock(10, 0)}
	if p != want {
		t.Errorf("DefaultPolicy() = %+v; want the reform plan's %+v", p, want)
	}
	if err := p.Validate(cal.Settings().Close()); err != nil {
		t.Errorf("the default policy is invalid: %v", err)
	}
	if got := p.HandoverWords(); got != "12:00 前收件的，当日 15:00 前交接；12:00 后收件的，下一个工作日 10:00 前交接。" {
		t.Errorf("HandoverWords() = %q", got)
	}
	// An environment naming no policy takes in under version 1, and a case
	// stored before the policy existed (no copy) runs under version 1.
	c := takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30)).c
	if c.Policy != want || c.DeadlinePolicy() != want {
		t.Errorf("case taken in without a policy keeps %+v", c.Policy)
	}
	var old casework.Case
	if err := json.Unmarshal([]byte(`{"number":"20260302000001","state":"received"}`), &old); err != nil {
		t.Fatal(err)
	}
	if old.DeadlinePolicy() != want {
		t.Errorf("a case older than the policy runs under %+v", old.DeadlinePolicy())
	}
	// The copy travels with the case's JSON, times as "HH:MM".
	b, _ := json.Marshal(takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30)).c)
	if !strings.Contains(string(b), `"deadline_policy":{"version":1,"accept_days":2,"prereview_days":2,"correct_days":1,"archive_days":1,"split":"12:00","handover_same_day":"15:00","handover_next_day":"10:00"}`) {
		t.Errorf("case JSON: %s", b)
	}
}

func TestPolicyValidate(t *testing.T) {
	close := calendar.Clock(17, 0)
	if err := version2().Validate(close); err != nil {
		t.Fatalf("version 2 is invalid: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(p *casework.Policy)
		field string
	}{
		{"no acceptance days", func(p *casework.Policy) { p.AcceptDays = 0 }, "accept_days"},
		{"too many acceptance days", func(p *casework.Policy) { p.AcceptDays = 21 }, "accept_days"},
		{"negative pre-review days", func(p *casework.Policy) { p.PreReviewDays = -1 }, "prereview_days"},
		{"no correction days", func(p *casework.Policy) { p.CorrectDays = 0 }, "correct_days"},
		{"too many archiving days", func(p *casework.Policy) { p.ArchiveDays = 11 }, "archive_days"},
		{"split at midnight", func(p *casework.Policy) { p.Split = calendar.Clock(0, 0) }, "split"},
		{"split after the close", func(p *casework.Policy) { p.Split = calendar.Clock(17, 30) }, "split"},
		{"split not a time", func(p *casework.Policy) { p.Split = calendar.Clock(25, 0) }, "split"},
		{"same-day handover before the split", func(p *casework.Policy) { p.HandoverSameDay = calendar.Clock(12, 59) }, "handover_same_day"},
		{"same-day handover after the close", func(p *casework.Policy) { p.HandoverSameDay = calendar.Clock(17, 1) }, "handover_same_day"},
		{"next-day handover after the close", func(p *casework.Policy) { p.HandoverNextDay = calendar.Clock(18, 0) }, "handover_next_day"},
		{"next-day handover not a time", func(p *casework.Policy) { p.HandoverNextDay = calendar.Clock(9, 60) }, "handover_next_day"},
	}
	for _, tc := range tests {
		p := version2()
		tc.edit(&p)
		err := p.Validate(close)
		fields := apperr.FieldsOf(err)
		if !apperr.Is(err, apperr.Invalid) || len(fields) != 1 || fields[0].Field != tc.field {
			t.Errorf("%s: Validate = %v, %+v; want one fault on %s", tc.name, err, fields, tc.field)
		}
	}
	// A handover at the split and at the close are both allowed.
	p := version2()
	p.HandoverSameDay, p.HandoverNextDay = p.Split, close
	if err := p.Validate(close); err != nil {
		t.Errorf("handover at the split, next day at the close: %v", err)
	}
}

// TestCaseKeepsItsPolicy: a case taken in under version 1 keeps its
// deadlines after version 2 is in force, and a case taken in under version
// 2 follows version 2 in every later step, whatever policy is in force then.
func TestCaseKeepsItsPolicy(t *testing.T) {
	rev := reviewer("SCJG")
	v1, v2 := casework.DefaultPolicy(), version2()
	type want struct{ acceptBy, handoverBy, resubmitAccept, resubmitHandover, correctBy, archiveBy time.Time }
	tests := []struct {
		name         string
		takenIn, now casework.Policy // the policy at intake, the one in force at every later step
		want         want
	}{
		{"taken in under 1, steps under 2", v1, v2, want{
			acceptBy: at(2026, 3, 4, 17, 0), handoverBy: at(2026, 3, 3, 10, 0), // 12:30 is afternoon under 12:00
			resubmitAccept: at(2026, 3, 5, 17, 0), resubmitHandover: at(2026, 3, 3, 15, 0),
			correctBy: at(2026, 3, 6, 17, 0), archiveBy: at(2026, 3, 10, 17, 0)}},
		{"taken in under 2, steps under 1", v2, v1, want{
			acceptBy: at(2026, 3, 5, 17, 0), handoverBy: at(2026, 3, 2, 16, 30), // 12:30 is morning under 13:00
			resubmitAccept: at(2026, 3, 6, 17, 0), resubmitHandover: at(2026, 3, 3, 16, 30),
			correctBy: at(2026, 3, 9, 17, 0), archiveBy: at(2026, 3, 11, 17, 0)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, _, _, err := casework.NewCase(promisedIntake(), item(t, promisedItem), intakeClerk, envUnder(at(2026, 3, 2, 12, 30), tc.takenIn))
			if err != nil {
				t.Fatal(err)
			}
			c.Number = caseNumber
			if c.Policy != tc.takenIn {
				t.Fatalf("the case keeps %+v; want %+v", c.Policy, tc.takenIn)
			}
			if !c.Deadlines.AcceptBy.Equal(tc.want.acceptBy) || !c.Deadlines.HandoverBy.Equal(tc.want.handoverBy) {
				t.Errorf("at intake: accept_by %s handover_by %s; want %s %s", c.Deadlines.AcceptBy, c.Deadlines.HandoverBy, tc.want.acceptBy, tc.want.handoverBy)
			}
			step := func(now time.Time, action casework.Action, in casework.Input, by casework.Actor) {
				t.Helper()
				if _, _, err := casework.Apply(c, action, in, by, envUnder(now, tc.now)); err != nil {
					t.Fatalf("%s at %s: %v", action, now, err)
				}
			}
			step(at(2026, 3, 2, 14, 0), casework.ActReturn, validInput(casework.ActReturn), rev)
			step(at(2026, 3, 3, 9, 0), casework.ActResubmit, validInput(casework.ActResubmit), intakeClerk)
			if !c.Deadlines.AcceptBy.Equal(tc.want.resubmitAccept) || !c.Deadlines.HandoverBy.Equal(tc.want.resubmitHandover) {
				t.Errorf("after resubmission: accept_by %s handover_by %s; want %s %s", c.Deadlines.AcceptBy, c.Deadlines.HandoverBy, tc.want.resubmitAccept, tc.want.resubmitHandover)
			}
			step(at(2026, 3, 3, 10, 0), casework.ActAccept, casework.Input{}, rev)
			step(at(2026, 3, 3, 10, 10), casework.ActSupply, validInput(casework.ActSupply), intakeClerk)
			step(at(2026, 3, 3, 10, 20), casework.ActHandover, casework.Input{}, rev)
			step(at(2026, 3, 4, 10, 0), casework.ActDecide, validInput(casework.ActDecide), rev)
			step(at(2026, 3, 4, 10, 10), casework.ActSubmitResult, casework.Input{}, rev)
			step(at(2026, 3, 5, 10, 0), casework.ActRefuseResult, validInput(casework.ActRefuseResult), issuanceClerk)
			if !c.Deadlines.CorrectBy.Equal(tc.want.correctBy) {
				t.Errorf("correct_by %s; want %s", c.Deadlines.CorrectBy, tc.want.correctBy)
			}
			step(at(2026, 3, 6, 9, 0), casework.ActSubmitResult, casework.Input{}, rev)
			step(at(2026, 3, 6, 9, 10), casework.ActAcceptResult, casework.Input{}, issuanceClerk)
			step(at(2026, 3, 9, 10, 0), casework.ActDeliver, validInput(casework.ActDeliver), issuanceClerk)
			if !c.Deadlines.ArchiveBy.Equal(tc.want.archiveBy) {
				t.Errorf("archive_by %s; want %s", c.Deadlines.ArchiveBy, tc.want.archiveBy)
			}
			if c.Policy != tc.takenIn {
				t.Errorf("the steps changed the case's policy to %+v", c.Policy)
			}
		})
	}
}

// TestPolicyAtHolidayAndSplit: the policy's days and times of day meet the
// National Day holiday (10-01 to 10-07 off, Saturday 10-10 a working day)
// and the morning/afternoon split.
func TestPolicyAtHolidayAndSplit(t *testing.T) {
	v1, v2 := casework.DefaultPolicy(), version2()
	tests := []struct {
		name                 string
		p                    casework.Policy
		intake               time.Time
		acceptBy, handoverBy time.Time
	}{
		{"v1 eve of National Day, 11:59 is morning", v1, at(2026, 9, 30, 11, 59), at(2026, 10, 9, 17, 0), at(2026, 9, 30, 15, 0)},
		{"v1 eve of National Day, 12:30 is afternoon", v1, at(2026, 9, 30, 12, 30), at(2026, 10, 9, 17, 0), at(2026, 10, 8, 10, 0)},
		{"v2 eve of National Day, 12:30 is still morning", v2, at(2026, 9, 30, 12, 30), at(2026, 10, 10, 17, 0), at(2026, 9, 30, 16, 30)},
		{"v2 eve of National Day, 13:00 exactly is afternoon", v2, at(2026, 9, 30, 13, 0), at(2026, 10, 10, 17, 0), at(2026, 10, 8, 9, 30)},
		{"v2 on a holiday", v2, at(2026, 10, 3, 9, 0), at(2026, 10, 10, 17, 0), at(2026, 10, 8, 9, 30)},
		{"v2 Friday afternoon before Spring Festival: the working Saturday", v2, at(2026, 2, 13, 14, 0), at(2026, 2, 25, 17, 0), at(2026, 2, 14, 9, 30)},
	}
	for _, tc := range tests {
		c, ev, _, err := casework.NewCase(promisedIntake(), item(t, promisedItem), intakeClerk, envUnder(tc.intake, tc.p))
		if err != nil {
			t.Fatal(err)
		}
		if !c.Deadlines.AcceptBy.Equal(tc.acceptBy) || !c.Deadlines.HandoverBy.Equal(tc.handoverBy) {
			t.Errorf("%s: accept_by %s handover_by %s; want %s %s", tc.name, c.Deadlines.AcceptBy, c.Deadlines.HandoverBy, tc.acceptBy, tc.handoverBy)
		}
		var details struct {
			PolicyVersion int `json:"policy_version"`
		}
		if err := json.Unmarshal(ev.Details, &details); err != nil || details.PolicyVersion != tc.p.Version {
			t.Errorf("%s: the intake event records policy version %d", tc.name, details.PolicyVersion)
		}
		docs := casework.IntakeDocuments(c)
		var receipt casework.ReceiptData
		docData(t, docs[0], &receipt)
		if want := "部门将在 " + strconv.Itoa(tc.p.AcceptDays) + " 个工作日内决定是否受理"; !strings.Contains(receipt.Notice, want) {
			t.Errorf("%s: receipt notice %q; want %q", tc.name, receipt.Notice, want)
		}
	}

	// Online: the pre-review limit, at submission and after a correction.
	c, _, err := casework.NewOnlineCase(onlineApplication(t, promisedItem), item(t, promisedItem), applicantUser, envUnder(at(2026, 9, 30, 16, 0), v2))
	if err != nil {
		t.Fatal(err)
	}
	if want := at(2026, 10, 10, 17, 0); !c.Deadlines.PreReviewBy.Equal(want) || c.Policy != v2 {
		t.Errorf("online under v2: prereview_by %s; want %s", c.Deadlines.PreReviewBy, want)
	}
	c.Number, c.Version = "20260930000009", 1
	if _, _, err := casework.Apply(c, casework.ActFailPreReview, validInput(casework.ActFailPreReview), reviewer("SCJG"), envUnder(at(2026, 10, 8, 9, 0), v1)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := casework.Apply(c, casework.ActResubmitOnline, validInput(casework.ActResubmitOnline), applicantUser, envUnder(at(2026, 10, 8, 10, 0), v1)); err != nil {
		t.Fatal(err)
	}
	if want := at(2026, 10, 12, 17, 0); !c.Deadlines.PreReviewBy.Equal(want) {
		t.Errorf("resubmitted under its v2: prereview_by %s; want %s (three working days: 10-09, 10-10, 10-12)", c.Deadlines.PreReviewBy, want)
	}
}
