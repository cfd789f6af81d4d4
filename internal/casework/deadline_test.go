package casework_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
)

// The expected times below are worked out by hand from the State Council's
// 2026 and 2027 arrangements: 2026-02-14 (Sat) and 2026-02-28 (Sat) are
// working days and 02-15 to 02-23 are off (春节); 09-25 to 09-27 and 10-01 to
// 10-07 are off, 09-20 (Sun) and 10-10 (Sat) are working days (中秋、国庆);
// 2027-01-01 to 01-03 are off (元旦). A deadline of N working days ends at
// 17:00 of the Nth working day after the event's day.

// TestIntakeDeadlines: R5 accept_by (2 working days), R6 handover_by
// (morning intake by 15:00 the same day, afternoon by 10:00 the next working
// day) and the default supply_by (the item's 3 deferral days).
func TestIntakeDeadlines(t *testing.T) {
	tests := []struct {
		name                       string
		intake                     time.Time
		acceptBy, handover, supply time.Time
	}{
		{"Friday morning before Spring Festival", at(2026, 2, 13, 10, 0),
			at(2026, 2, 24, 17, 0), at(2026, 2, 13, 15, 0), at(2026, 2, 25, 17, 0)},
		{"Friday afternoon before Spring Festival: the working Saturday", at(2026, 2, 13, 14, 0),
			at(2026, 2, 24, 17, 0), at(2026, 2, 14, 10, 0), at(2026, 2, 25, 17, 0)},
		{"12:00 exactly is afternoon", at(2026, 2, 13, 12, 0),
			at(2026, 2, 24, 17, 0), at(2026, 2, 14, 10, 0), at(2026, 2, 25, 17, 0)},
		{"11:59 is morning", at(2026, 2, 13, 11, 59),
			at(2026, 2, 24, 17, 0), at(2026, 2, 13, 15, 0), at(2026, 2, 25, 17, 0)},
		{"on the working Saturday", at(2026, 2, 14, 9, 0),
			at(2026, 2, 25, 17, 0), at(2026, 2, 14, 15, 0), at(2026, 2, 26, 17, 0)},
		{"on a festival day (a mail-in registered)", at(2026, 2, 16, 10, 0),
			at(2026, 2, 25, 17, 0), at(2026, 2, 24, 10, 0), at(2026, 2, 26, 17, 0)},
		{"eve of National Day, morning", at(2026, 9, 30, 11, 0),
			at(2026, 10, 9, 17, 0), at(2026, 9, 30, 15, 0), at(2026, 10, 10, 17, 0)},
		{"eve of National Day, afternoon", at(2026, 9, 30, 14, 0),
			at(2026, 10, 9, 17, 0), at(2026, 10, 8, 10, 0), at(2026, 10, 10, 17, 0)},
		{"Friday after closing", at(2026, 3, 6, 18, 0),
			at(2026, 3, 10, 17, 0), at(2026, 3, 9, 10, 0), at(2026, 3, 11, 17, 0)},
		{"New Year's Eve", at(2026, 12, 31, 9, 0),
			at(2027, 1, 5, 17, 0), at(2026, 12, 31, 15, 0), at(2027, 1, 6, 17, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := takeIn(t, promisedIntake(), tt.intake).c
			d := c.Deadlines
			if !d.AcceptBy.Equal(tt.acceptBy) || !d.HandoverBy.Equal(tt.handover) || !d.SupplyBy.Equal(tt.supply) {
				t.Errorf("accept_by %s handover_by %s supply_by %s\nwant      %s             %s             %s",
					d.AcceptBy, d.HandoverBy, d.SupplyBy, tt.acceptBy, tt.handover, tt.supply)
			}
			if !d.DecideBy.IsZero() || !d.CorrectBy.IsZero() || !d.ArchiveBy.IsZero() {
				t.Errorf("deadlines of later steps are set at intake: %+v", d)
			}
		})
	}

	// No paper handed in: no handover deadline.
	it := item(t, promisedItem)
	for i := range it.Materials {
		it.Materials[i].Paper = false
	}
	c, _, _, err := casework.NewCase(promisedIntake(), it, intakeClerk, env(at(2026, 3, 2, 10, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Deadlines.HandoverBy.IsZero() || c.PaperPending() {
		t.Errorf("electronic materials only: handover_by %s", c.Deadlines.HandoverBy)
	}
	// Nothing deferred: no supply_by.
	in := promisedIntake()
	in.Materials[3].Status, in.Materials[4].Status = casework.Provided, casework.Provided
	if c := takeIn(t, in, at(2026, 3, 2, 10, 0)).c; !c.Deadlines.SupplyBy.IsZero() || c.DeferredOutstanding() {
		t.Errorf("nothing deferred: supply_by %s", c.Deadlines.SupplyBy)
	}
}

// TestDecideBy: the promised limit runs from acceptance.
func TestDecideBy(t *testing.T) {
	for _, tt := range []struct {
		accept, want time.Time
	}{
		{at(2026, 3, 2, 10, 0), at(2026, 3, 9, 17, 0)},     // Monday: a plain week
		{at(2026, 2, 13, 10, 0), at(2026, 2, 27, 17, 0)},   // 02-14 Sat, then 02-24 … 02-27
		{at(2026, 12, 30, 10, 0), at(2027, 1, 7, 17, 0)},   // 12-31, then 01-04 … 01-07
		{at(2026, 9, 28, 10, 0), at(2026, 10, 10, 17, 0)},  // 09-29, 09-30, 10-08, 10-09, 10-10 Sat
		{at(2026, 10, 10, 16, 0), at(2026, 10, 16, 17, 0)}, // accepted on the working Saturday
	} {
		h := ready(t, tt.accept)
		if got := h.c.Deadlines.DecideBy; !got.Equal(tt.want) {
			t.Errorf("accepted %s: decide_by %s, want %s", tt.accept, got, tt.want)
		}
		var details map[string]any
		if err := json.Unmarshal(h.events[1].Details, &details); err != nil || details["decide_by"] != tt.want.Format(time.RFC3339) {
			t.Errorf("accept details %s do not carry decide_by %s", h.events[1].Details, tt.want.Format(time.RFC3339))
		}
	}
}

// TestPause: a pause stops the review clock; on resume decide_by moves on
// by the working days the pause spanned, its first day not counted.
func TestPause(t *testing.T) {
	rev := reviewer("SCJG")
	tests := []struct {
		name                  string
		accept, pause, resume time.Time
		days                  int
		want                  time.Time
	}{
		{"Monday to Wednesday", at(2026, 3, 2, 10, 0), at(2026, 3, 2, 15, 0), at(2026, 3, 4, 10, 0), 2, at(2026, 3, 11, 17, 0)},
		{"the same day", at(2026, 3, 2, 10, 0), at(2026, 3, 2, 14, 0), at(2026, 3, 2, 16, 0), 0, at(2026, 3, 9, 17, 0)},
		{"over a weekend", at(2026, 3, 2, 10, 0), at(2026, 3, 6, 10, 0), at(2026, 3, 9, 10, 0), 1, at(2026, 3, 10, 17, 0)},
		{"over National Day", at(2026, 9, 28, 10, 0), at(2026, 9, 29, 10, 0), at(2026, 10, 9, 10, 0), 3, at(2026, 10, 14, 17, 0)},
		{"past decide_by", at(2026, 3, 2, 10, 0), at(2026, 3, 9, 16, 0), at(2026, 3, 12, 9, 0), 3, at(2026, 3, 12, 17, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := ready(t, tt.accept)
			h.doAt(tt.pause, casework.ActPause, casework.Input{PauseType: casework.ExpertReview, Reason: " 专家论证 "}, rev)
			c := h.c
			if !c.Paused() || len(c.Pauses) != 1 || c.Pauses[0].Type != casework.ExpertReview || c.Pauses[0].Reason != "专家论证" ||
				!c.Pauses[0].From.Equal(tt.pause) || c.Pauses[0].ByUser != rev.Username {
				t.Fatalf("pauses = %+v", c.Pauses)
			}
			for _, action := range []casework.Action{casework.ActPause, casework.ActDecide} {
				_, _, err := casework.Apply(c, action, validInput(action), rev, env(tt.pause))
				wantCode(t, err, apperr.Conflict)
			}
			h.doAt(tt.resume, casework.ActResume, casework.Input{}, rev)
			p := c.Pauses[0]
			if c.Paused() || p.Days != tt.days || !p.Until.Equal(tt.resume) || p.EndedBy != rev.Username {
				t.Errorf("pause after resume = %+v, want %d days", p, tt.days)
			}
			if !c.Deadlines.DecideBy.Equal(tt.want) {
				t.Errorf("decide_by = %s, want %s", c.Deadlines.DecideBy, tt.want)
			}
			_, _, err := casework.Apply(c, casework.ActResume, casework.Input{}, rev, env(tt.resume))
			wantCode(t, err, apperr.Conflict)
		})
	}

	t.Run("two pauses add up", func(t *testing.T) {
		h := ready(t, at(2026, 3, 2, 10, 0))
		h.doAt(at(2026, 3, 3, 9, 0), casework.ActPause, validInput(casework.ActPause), rev).
			doAt(at(2026, 3, 4, 9, 0), casework.ActResume, casework.Input{}, rev).
			doAt(at(2026, 3, 5, 9, 0), casework.ActPause, casework.Input{PauseType: casework.Testing, Reason: "样品检验"}, rev).
			doAt(at(2026, 3, 9, 9, 0), casework.ActResume, casework.Input{}, rev)
		if want := at(2026, 3, 12, 17, 0); !h.c.Deadlines.DecideBy.Equal(want) || len(h.c.Pauses) != 2 {
			t.Errorf("decide_by = %s after pauses %+v, want %s (1 + 2 days)", h.c.Deadlines.DecideBy, h.c.Pauses, want)
		}
	})

	t.Run("a pause needs its legal ground and a reason", func(t *testing.T) {
		h := ready(t, at(2026, 3, 2, 10, 0))
		for _, tt := range []struct {
			in    casework.Input
			field string
		}{
			{casework.Input{Reason: "现场踏勘"}, "pause_type"},
			{casework.Input{PauseType: "holiday", Reason: "放假"}, "pause_type"},
			{casework.Input{PauseType: casework.SiteSurvey}, "reason"},
		} {
			c := cloneCase(h.c)
			_, _, err := casework.Apply(c, casework.ActPause, tt.in, rev, env(h.now))
			wantField(t, err, tt.field)
			if !reflect.DeepEqual(c, h.c) {
				t.Error("a refused pause changed the case")
			}
		}
		for _, p := range casework.PauseTypes {
			if p.Label() == "" {
				t.Errorf("pause type %s has no label", p)
			}
		}
	})
}

// TestExtension: one extension of up to 10 working days, with the head's
// (the department admin's) approval (行政许可法 art. 42).
func TestExtension(t *testing.T) {
	rev, adm := reviewer("SCJG"), deptAdmin("SCJG")
	start := func() *history { return ready(t, at(2026, 3, 2, 10, 0)) } // decide_by 2026-03-09 17:00

	t.Run("approved", func(t *testing.T) {
		h := start().do(casework.ActExtend, casework.Input{Days: 10, Reason: "需组织专家论证"}, rev)
		if e := h.c.Extension; e == nil || e.State != casework.ExtensionRequested || e.Days != 10 || e.RequestedBy != rev.Username {
			t.Fatalf("extension = %+v", e)
		}
		if want := at(2026, 3, 9, 17, 0); !h.c.Deadlines.DecideBy.Equal(want) {
			t.Errorf("a request alone moved decide_by to %s", h.c.Deadlines.DecideBy)
		}
		_, _, err := casework.Apply(h.c, casework.ActDecide, validInput(casework.ActDecide), rev, env(h.now))
		wantCode(t, err, apperr.Conflict) // the request waits for the head
		h.do(casework.ActApproveExtension, casework.Input{}, adm)
		if want := at(2026, 3, 23, 17, 0); !h.c.Deadlines.DecideBy.Equal(want) || h.c.Extension.State != casework.ExtensionApproved {
			t.Errorf("decide_by = %s (%s), want %s", h.c.Deadlines.DecideBy, h.c.Extension.State, want)
		}
		_, _, err = casework.Apply(h.c, casework.ActExtend, validInput(casework.ActExtend), rev, env(h.now))
		wantCode(t, err, apperr.Conflict)
		_, _, err = casework.Apply(h.c, casework.ActApproveExtension, casework.Input{}, adm, env(h.now))
		wantCode(t, err, apperr.Conflict)
		h.do(casework.ActDecide, validInput(casework.ActDecide), rev)
	})

	t.Run("rejected", func(t *testing.T) {
		h := start().do(casework.ActExtend, validInput(casework.ActExtend), rev)
		_, _, err := casework.Apply(h.c, casework.ActRejectExtension, casework.Input{}, adm, env(h.now))
		wantField(t, err, "reason")
		h.do(casework.ActRejectExtension, casework.Input{Reason: "理由不充分"}, adm)
		if want := at(2026, 3, 9, 17, 0); !h.c.Deadlines.DecideBy.Equal(want) || h.c.Extension.State != casework.ExtensionRejected || h.c.Extension.DecidedBy != adm.Username {
			t.Errorf("decide_by = %s, extension %+v", h.c.Deadlines.DecideBy, h.c.Extension)
		}
		_, _, err = casework.Apply(h.c, casework.ActExtend, validInput(casework.ActExtend), rev, env(h.now))
		wantCode(t, err, apperr.Conflict)
	})

	t.Run("days and reason", func(t *testing.T) {
		h := start()
		for _, in := range []casework.Input{
			{Days: 11, Reason: "需要更多时间"},
			{Days: 0, Reason: "需要更多时间"},
			{Days: -1, Reason: "需要更多时间"},
		} {
			_, _, err := casework.Apply(h.c, casework.ActExtend, in, rev, env(h.now))
			wantField(t, err, "days")
		}
		_, _, err := casework.Apply(h.c, casework.ActExtend, casework.Input{Days: 10}, rev, env(h.now))
		wantField(t, err, "reason")
		if h.c.Extension != nil {
			t.Errorf("refused requests left an extension %+v", h.c.Extension)
		}
	})
}

// decidedAt returns a case decided at decide with its result submitted.
func decidedAt(t testing.TB, decide time.Time) *history {
	h := ready(t, decide.Add(-time.Hour))
	h.doAt(decide, casework.ActDecide, validInput(casework.ActDecide), reviewer("SCJG"))
	return h.do(casework.ActSubmitResult, casework.Input{}, reviewer("SCJG"))
}

// TestCorrectBy: a refused result is corrected within 1 working day (R9).
func TestCorrectBy(t *testing.T) {
	for _, tt := range []struct {
		refuse, want time.Time
	}{
		{at(2026, 3, 6, 15, 0), at(2026, 3, 9, 17, 0)},   // Friday → Monday
		{at(2026, 9, 30, 10, 0), at(2026, 10, 8, 17, 0)}, // National Day eve → after the holiday
		{at(2026, 2, 13, 16, 0), at(2026, 2, 14, 17, 0)}, // → the working Saturday
	} {
		h := decidedAt(t, tt.refuse.Add(-30*time.Minute))
		_, _, err := casework.Apply(h.c, casework.ActRefuseResult, casework.Input{}, issuanceClerk, env(tt.refuse))
		wantField(t, err, "reason")
		h.doAt(tt.refuse, casework.ActRefuseResult, validInput(casework.ActRefuseResult), issuanceClerk)
		if !h.c.Deadlines.CorrectBy.Equal(tt.want) || h.c.Result != casework.ResultRefused {
			t.Errorf("refused %s: correct_by %s, want %s", tt.refuse, h.c.Deadlines.CorrectBy, tt.want)
		}
		if got := h.c.OpenDeadlines(); len(got) != 1 || got[0].Name != "correct_by" {
			t.Errorf("running deadlines %v, want correct_by", got)
		}
		_, _, err = casework.Apply(h.c, casework.ActAcceptResult, casework.Input{}, issuanceClerk, env(tt.refuse))
		wantCode(t, err, apperr.Conflict) // nothing to take until it comes back
		// Brought back after correct_by: recorded as late, deadline closed.
		h.doAt(tt.want.Add(time.Hour), casework.ActSubmitResult, casework.Input{}, reviewer("SCJG"))
		var details map[string]any
		if err := json.Unmarshal(h.events[len(h.events)-1].Details, &details); err != nil || details["on_time"] != false {
			t.Errorf("late correction details %s", h.events[len(h.events)-1].Details)
		}
		if !h.c.Deadlines.CorrectBy.IsZero() || h.c.Result != casework.ResultSubmitted {
			t.Errorf("after resubmission: correct_by %s result %s", h.c.Deadlines.CorrectBy, h.c.Result)
		}
	}
}

// TestArchiveBy: the delivery receipt goes to the department within 1
// working day of delivery (R12).
func TestArchiveBy(t *testing.T) {
	for _, tt := range []struct {
		deliver, want time.Time
	}{
		{at(2026, 3, 6, 15, 0), at(2026, 3, 9, 17, 0)},
		{at(2026, 2, 13, 15, 0), at(2026, 2, 14, 17, 0)},
		{at(2026, 9, 30, 16, 30), at(2026, 10, 8, 17, 0)},
	} {
		h := decidedAt(t, tt.deliver.Add(-2*time.Hour)).do(casework.ActAcceptResult, casework.Input{}, issuanceClerk)
		h.doAt(tt.deliver, casework.ActDeliver, validInput(casework.ActDeliver), issuanceClerk)
		if !h.c.Deadlines.ArchiveBy.Equal(tt.want) || !h.c.DeliveredAt.Equal(tt.deliver) {
			t.Errorf("delivered %s: archive_by %s, want %s", tt.deliver, h.c.Deadlines.ArchiveBy, tt.want)
		}
		if got := h.c.OpenDeadlines(); len(got) != 1 || got[0].Name != "archive_by" {
			t.Errorf("running deadlines %v, want archive_by", got)
		}
		h.doAt(tt.want.Add(time.Minute), casework.ActArchive, casework.Input{}, issuanceClerk)
		if !strings.Contains(string(h.events[len(h.events)-1].Details), `"on_time":false`) {
			t.Errorf("late archiving details %s", h.events[len(h.events)-1].Details)
		}
	}
}

// TestDeferralDue: the applicant may ask for an earlier due date, never a
// later one than the item's deferral limit, and only a working day after
// today.
func TestDeferralDue(t *testing.T) {
	for _, tt := range []struct {
		intake time.Time
		asked  string
		want   time.Time // zero: refused
	}{
		{at(2026, 3, 2, 10, 0), "", at(2026, 3, 5, 17, 0)},
		{at(2026, 3, 2, 10, 0), "2026-03-05", at(2026, 3, 5, 17, 0)},
		{at(2026, 3, 2, 10, 0), "2026-03-03", at(2026, 3, 3, 17, 0)},
		{at(2026, 3, 2, 10, 0), "2026-03-06", time.Time{}}, // a fourth working day
		{at(2026, 3, 2, 10, 0), "2026-03-07", time.Time{}}, // Saturday
		{at(2026, 3, 2, 10, 0), "2026-03-02", time.Time{}}, // today
		{at(2026, 3, 2, 10, 0), "2026-03-01", time.Time{}}, // yesterday
		{at(2026, 3, 2, 10, 0), "2026/03/05", time.Time{}},
		{at(2026, 3, 2, 10, 0), "2026-02-30", time.Time{}},
		{at(2026, 2, 13, 10, 0), "", at(2026, 2, 25, 17, 0)},
		{at(2026, 2, 13, 10, 0), "2026-02-14", at(2026, 2, 14, 17, 0)}, // the working Saturday
		{at(2026, 2, 13, 10, 0), "2026-02-16", time.Time{}},            // Spring Festival
		{at(2026, 2, 13, 10, 0), "2026-02-25", at(2026, 2, 25, 17, 0)},
		{at(2026, 2, 13, 10, 0), "2026-02-26", time.Time{}},
	} {
		in := promisedIntake()
		in.DeferralDue = tt.asked
		c, _, _, err := casework.NewCase(in, item(t, promisedItem), intakeClerk, env(tt.intake))
		if tt.want.IsZero() {
			wantField(t, err, "deferral_due")
			if c != nil {
				t.Errorf("intake %s asking %q: a case despite the error", tt.intake, tt.asked)
			}
			continue
		}
		if err != nil {
			t.Errorf("intake %s asking %q: %v", tt.intake, tt.asked, err)
			continue
		}
		if !c.Deadlines.SupplyBy.Equal(tt.want) {
			t.Errorf("intake %s asking %q: supply_by %s, want %s", tt.intake, tt.asked, c.Deadlines.SupplyBy, tt.want)
		}
	}

	// Past the limit, the message names the last allowed date.
	in := promisedIntake()
	in.DeferralDue = "2026-03-06"
	_, _, _, err := casework.NewCase(in, item(t, promisedItem), intakeClerk, env(at(2026, 3, 2, 10, 0)))
	if msg := apperr.MessageOf(err); !strings.Contains(msg, "2026-03-05") {
		t.Errorf("message %q does not name 2026-03-05", msg)
	}
	// Nothing deferred, nothing due.
	in = promisedIntake()
	in.Materials[3].Status, in.Materials[4].Status = casework.Provided, casework.Provided
	in.DeferralDue = "2026-03-04"
	_, _, _, err = casework.NewCase(in, item(t, promisedItem), intakeClerk, env(at(2026, 3, 2, 10, 0)))
	wantField(t, err, "deferral_due")
}

// TestWarning: yellow with a running deadline 1 working day or less from
// its end, red once it has passed, none otherwise; a paused decide_by does
// not count.
func TestWarning(t *testing.T) {
	rev := reviewer("SCJG")
	in := promisedIntake()
	in.Materials[3].Status, in.Materials[4].Status = casework.Provided, casework.Provided
	// Taken in Monday 2026-03-02 10:00 and handed over: only accept_by
	// (Wednesday 17:00) runs.
	h := takeIn(t, in, at(2026, 3, 2, 10, 0)).do(casework.ActHandover, casework.Input{}, rev)
	if got := h.c.OpenDeadlines(); len(got) != 1 || got[0].Name != "accept_by" || !got[0].At.Equal(at(2026, 3, 4, 17, 0)) {
		t.Fatalf("running deadlines %v", got)
	}
	for _, tt := range []struct {
		now  time.Time
		want calendar.Warning
	}{
		{at(2026, 3, 2, 11, 0), calendar.WarningNone},
		{at(2026, 3, 2, 23, 59), calendar.WarningNone},
		{at(2026, 3, 3, 0, 0), calendar.WarningYellow},
		{at(2026, 3, 4, 16, 59), calendar.WarningYellow},
		{at(2026, 3, 4, 17, 0), calendar.WarningYellow},
		{at(2026, 3, 4, 17, 1), calendar.WarningRed},
		{at(2026, 3, 9, 9, 0), calendar.WarningRed},
	} {
		if got := h.c.Warning(cal, tt.now); got != tt.want {
			t.Errorf("at %s: %s, want %s", tt.now, got, tt.want)
		}
	}

	// Over a weekend: decide_by Monday 17:00 is yellow on Friday.
	r := ready(t, at(2026, 3, 2, 10, 0)) // decide_by 2026-03-09 17:00
	for _, tt := range []struct {
		now  time.Time
		want calendar.Warning
	}{
		{at(2026, 3, 5, 10, 0), calendar.WarningNone},
		{at(2026, 3, 6, 10, 0), calendar.WarningYellow},
		{at(2026, 3, 7, 10, 0), calendar.WarningYellow},
		{at(2026, 3, 9, 17, 1), calendar.WarningRed},
	} {
		if got := r.c.Warning(cal, tt.now); got != tt.want {
			t.Errorf("decide_by %s at %s: %s, want %s", r.c.Deadlines.DecideBy, tt.now, got, tt.want)
		}
	}
	// Paused, decide_by stops: no warning even past it.
	r.doAt(at(2026, 3, 6, 9, 0), casework.ActPause, validInput(casework.ActPause), rev)
	if got := r.c.Warning(cal, at(2026, 3, 12, 9, 0)); got != calendar.WarningNone || len(r.c.OpenDeadlines()) != 0 || !r.c.NextDue().IsZero() {
		t.Errorf("paused: warning %s, running %v", got, r.c.OpenDeadlines())
	}
	r.doAt(at(2026, 3, 12, 9, 0), casework.ActResume, casework.Input{}, rev) // 4 days: decide_by 2026-03-13 17:00
	if got := r.c.Warning(cal, at(2026, 3, 12, 9, 5)); got != calendar.WarningYellow || !r.c.Deadlines.DecideBy.Equal(at(2026, 3, 13, 17, 0)) {
		t.Errorf("resumed: warning %s, decide_by %s", got, r.c.Deadlines.DecideBy)
	}

	// One red deadline makes the case red whatever the others.
	late := takeIn(t, promisedIntake(), at(2026, 3, 2, 10, 0)) // handover_by 15:00 the same day
	if got := late.c.Warning(cal, at(2026, 3, 2, 15, 1)); got != calendar.WarningRed {
		t.Errorf("papers not handed over by 15:00: %s, want red", got)
	}
}

// TestOpenDeadlines: a deadline runs until its step happens.
func TestOpenDeadlines(t *testing.T) {
	rev := reviewer("SCJG")
	names := func(c *casework.Case) []string {
		var out []string
		for _, d := range c.OpenDeadlines() {
			out = append(out, d.Name)
		}
		return out
	}
	h := takeIn(t, promisedIntake(), at(2026, 3, 2, 10, 0))
	steps := []struct {
		action casework.Action
		in     casework.Input
		by     casework.Actor
		want   []string
	}{
		{"", casework.Input{}, intakeClerk, []string{"accept_by", "handover_by", "supply_by"}},
		{casework.ActAccept, casework.Input{}, rev, []string{"handover_by", "supply_by", "decide_by"}},
		{casework.ActHandover, casework.Input{}, rev, []string{"supply_by", "decide_by"}},
		// The supplied papers need a handover of their own (R6).
		{casework.ActSupply, validInput(casework.ActSupply), intakeClerk, []string{"handover_by", "decide_by"}},
		{casework.ActHandover, casework.Input{}, rev, []string{"decide_by"}},
		{casework.ActPause, validInput(casework.ActPause), rev, nil},
		{casework.ActResume, casework.Input{}, rev, []string{"decide_by"}},
		{casework.ActDecide, validInput(casework.ActDecide), rev, nil},
		{casework.ActSubmitResult, casework.Input{}, rev, nil},
		{casework.ActRefuseResult, validInput(casework.ActRefuseResult), issuanceClerk, []string{"correct_by"}},
		{casework.ActSubmitResult, casework.Input{}, rev, nil},
		{casework.ActAcceptResult, casework.Input{}, issuanceClerk, nil},
		{casework.ActDeliver, validInput(casework.ActDeliver), issuanceClerk, []string{"archive_by"}},
		{casework.ActArchive, casework.Input{}, issuanceClerk, nil},
	}
	for _, s := range steps {
		if s.action != "" {
			h.do(s.action, s.in, s.by)
		}
		if got := names(h.c); !slices.Equal(got, s.want) {
			t.Errorf("after %q: running %v, want %v", s.action, got, s.want)
		}
	}

	// NextDue is the earliest running one.
	c := takeIn(t, promisedIntake(), at(2026, 3, 2, 10, 0)).c
	if want := at(2026, 3, 2, 15, 0); !c.NextDue().Equal(want) {
		t.Errorf("NextDue = %s, want handover_by %s", c.NextDue(), want)
	}
	// An instant case has one: handed over by the close of its day (R7).
	if i := takeIn(t, instantIntake(instantItem), at(2026, 3, 2, 10, 0)); !slices.Equal(i.c.OpenDeadlines(), []casework.Due{{Name: "finish_by", At: at(2026, 3, 2, 17, 0)}}) {
		t.Errorf("instant case: %v", i.c.OpenDeadlines())
	}
}

// TestInstantCaseTurnsRedAfterItsDay (R7): an instant case not handed over
// by the close of the working day it was taken in turns red; taken in after
// hours or on a day off, it has until the next working day's close. At the
// Spring Festival of 2026 (14 February a 调休 working Saturday, then the
// holiday to the 23rd) and at the year's end.
func TestInstantCaseTurnsRedAfterItsDay(t *testing.T) {
	for _, tc := range []struct {
		intake, finishBy time.Time
	}{
		{at(2026, 2, 14, 16, 0), at(2026, 2, 14, 17, 0)},  // a 调休 Saturday is a working day
		{at(2026, 2, 14, 17, 30), at(2026, 2, 24, 17, 0)}, // after its close: the first day after the holiday
		{at(2026, 12, 31, 18, 0), at(2027, 1, 4, 17, 0)},  // the year's last evening: past New Year's Day and the weekend
		{at(2026, 3, 2, 11, 59), at(2026, 3, 2, 17, 0)},   // the 12:00 split does not matter to it
	} {
		h := takeIn(t, instantIntake(instantItem), tc.intake)
		if got := h.c.Deadlines.FinishBy; !got.Equal(tc.finishBy) {
			t.Errorf("taken in %s: finish by %s, want %s", tc.intake, got, tc.finishBy)
			continue
		}
		if w := h.c.Warning(cal, tc.finishBy); w == calendar.WarningRed {
			t.Errorf("taken in %s: red at its own deadline", tc.intake)
		}
		if w := h.c.Warning(cal, tc.finishBy.Add(time.Minute)); w != calendar.WarningRed {
			t.Errorf("taken in %s: %s a minute after the deadline, want red", tc.intake, w)
		}
		// Handed over, it runs no more.
		h.now = tc.intake.Add(10 * time.Minute)
		h.do(casework.ActDecide, validInput(casework.ActDecide), intakeClerk)
		if len(h.c.OpenDeadlines()) != 1 {
			t.Errorf("decided: %v, want finish_by still running until handover", h.c.OpenDeadlines())
		}
		h.do(casework.ActDeliver, validInput(casework.ActDeliver), intakeClerk)
		if len(h.c.OpenDeadlines()) != 1 || h.c.OpenDeadlines()[0].Name != "archive_by" {
			t.Errorf("delivered: %v, want only archive_by", h.c.OpenDeadlines())
		}
	}
}
