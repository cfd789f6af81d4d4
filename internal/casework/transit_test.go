package casework_test

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/demo"
)

// TestPaperTravels: paper taken in at a street hall travels to the district
// hall; the handover clock (R6) starts at the batch's arrival, the
// acceptance deadline (R5) still counts from intake at the street, and the
// department can neither sign for nor decide on paper still on its way.
func TestPaperTravels(t *testing.T) {
	street := intakeClerk
	street.HallCode = demo.XinqiaoHall
	intake := at(2026, 12, 4, 14, 0) // a Friday afternoon
	e := env(intake)
	e.PaperTo = demo.DistrictHall
	in := promisedIntake()
	in.Materials[3].Status, in.Materials[4].Status = casework.Provided, casework.Provided
	c, _, _, err := casework.NewCase(in, item(t, promisedItem), street, e)
	if err != nil {
		t.Fatal(err)
	}
	c.Number = caseNumber
	if !c.PaperInTransit() || !c.PaperPending() || !c.Deadlines.HandoverBy.IsZero() || c.Transit.Trip != 1 || c.Transit.From != demo.XinqiaoHall {
		t.Fatalf("paper should travel, no handover clock yet: %+v %+v", c.Transit, c.Deadlines)
	}
	acceptBy := c.Deadlines.AcceptBy
	if !acceptBy.Equal(cal.AddWorkingDays(intake, 2)) {
		t.Fatalf("accept_by %s counts from intake at the street", acceptBy)
	}
	rev := reviewer("SCJG")
	_, _, err = casework.Apply(c, casework.ActHandover, casework.Input{}, rev, env(intake.Add(time.Minute)))
	wantCode(t, err, apperr.Conflict)

	// Arrival on Monday's 10:00 run: handover by 15:00 that day (morning).
	arrival := at(2026, 12, 7, 10, 5)
	ch, err := casework.ArrivePaper(c, "JJ20261207001", 1, systemActor, env(arrival))
	if err != nil || ch.Event.Type != casework.ActPaperArrive {
		t.Fatal(err)
	}
	if c.PaperInTransit() || !c.Deadlines.HandoverBy.Equal(at(2026, 12, 7, 15, 0)) || !c.Deadlines.AcceptBy.Equal(acceptBy) {
		t.Fatalf("after arrival: handover_by %s, accept_by %s", c.Deadlines.HandoverBy, c.Deadlines.AcceptBy)
	}
	if _, _, err := casework.Apply(c, casework.ActHandover, casework.Input{}, rev, env(arrival.Add(time.Minute))); err != nil {
		t.Fatalf("handover after arrival: %v", err)
	}
}

// TestPaperSentBack: paper arriving missing or damaged goes back on a new
// trip; an earlier trip's late arrival starts nothing.
func TestPaperSentBack(t *testing.T) {
	street := intakeClerk
	street.HallCode = demo.XinqiaoHall
	e := env(at(2026, 12, 2, 9, 0))
	e.PaperTo = demo.DistrictHall
	c, _, _, err := casework.NewCase(promisedIntake(), item(t, promisedItem), street, e)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := casework.SendBackPaper(c, "B1", 1, "申请书缺失", systemActor, env(at(2026, 12, 3, 10, 0))); err != nil {
		t.Fatal(err)
	}
	if c.Transit.Trip != 2 || c.Transit.SentBack != 1 || !c.PaperInTransit() {
		t.Fatalf("sent back: %+v", c.Transit)
	}
	if _, err := casework.ArrivePaper(c, "B1", 1, systemActor, env(at(2026, 12, 3, 11, 0))); err != nil || !c.PaperInTransit() {
		t.Fatalf("an old trip's arrival must not end the transit: %v %+v", err, c.Transit)
	}
	if _, err := casework.ArrivePaper(c, "B2", 2, systemActor, env(at(2026, 12, 4, 10, 0))); err != nil || c.PaperInTransit() {
		t.Fatalf("trip 2 arrives: %v %+v", err, c.Transit)
	}
	// A district case has no transit.
	d, _, _, _ := casework.NewCase(promisedIntake(), item(t, promisedItem), intakeClerk, env(at(2026, 12, 2, 9, 0)))
	if d.Transit != nil || d.Deadlines.HandoverBy.IsZero() {
		t.Fatal("district paper does not travel")
	}
	if _, err := casework.ArrivePaper(d, "B", 1, systemActor, env(at(2026, 12, 2, 9, 0))); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatal("arrival of paper that never travelled")
	}
}
