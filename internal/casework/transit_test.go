package casework_test

import (
	"slices"
	"strings"
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

// TestResultAndReceiptTravel: a result for a case collected at a street
// centre travels there from the district hall and may be checked only
// once it arrived; the receipt signed at the street travels back, the
// archiving clock (R12) runs from its arrival, and the department, not the
// street's issuance desk, archives it. The applicant's deadlines never
// move.
func TestResultAndReceiptTravel(t *testing.T) {
	rev := reviewer("SCJG")
	h := takeIn(t, promisedIntake(), at(2026, 12, 1, 9, 0))
	h.c.PickupHall = demo.BinheHall
	h.do(casework.ActAccept, casework.Input{}, rev).
		do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk).
		do(casework.ActHandover, casework.Input{}, rev).
		do(casework.ActDecide, validInput(casework.ActDecide), rev)
	decideBy := h.c.Deadlines.DecideBy
	hub := func(now time.Time) casework.Env {
		e := env(now)
		e.TransitHub = map[string]string{demo.BinheHall: demo.DistrictHall, demo.XinqiaoHall: demo.DistrictHall}
		return e
	}
	c := h.c
	submitted := at(2026, 12, 4, 14, 0)
	ev, _, err := casework.Apply(c, casework.ActSubmitResult, casework.Input{}, rev, hub(submitted))
	if err != nil {
		t.Fatal(err)
	}
	if !c.ResultInTransit() || c.ResultTransit.From != demo.DistrictHall || c.ResultTransit.To != demo.BinheHall || !bytesContain(ev.Details, `"result_travels":true`) {
		t.Fatalf("the result should travel: %+v %s", c.ResultTransit, ev.Details)
	}
	street := issuanceClerk
	street.HallCode = demo.BinheHall
	_, _, err = casework.Apply(c, casework.ActAcceptResult, casework.Input{}, street, env(submitted.Add(time.Hour)))
	wantCode(t, err, apperr.Conflict)
	if slices.Contains(casework.Allowed(c, street, env(submitted.Add(time.Hour))), casework.ActAcceptResult) {
		t.Fatal("accept-result offered before the result arrived")
	}
	_, _, err = casework.Apply(c, casework.ActAcceptResult, casework.Input{}, issuanceClerk, env(submitted.Add(time.Hour)))
	wantCode(t, err, apperr.Forbidden) // the district hall's desk: the case collects at the street

	arrived := at(2026, 12, 7, 10, 10)
	if ch, err := casework.ArriveResult(c, "JJ20261207001", 1, street, env(arrived)); err != nil || ch.Event.Type != casework.ActResultArrive {
		t.Fatalf("result arrives: %v", err)
	}
	h.c = c
	h.doAt(arrived.Add(10*time.Minute), casework.ActAcceptResult, casework.Input{}, street)
	delivered := at(2026, 12, 7, 11, 0)
	if _, _, err := casework.Apply(c, casework.ActDeliver, validInput(casework.ActDeliver), street, hub(delivered)); err != nil {
		t.Fatal(err)
	}
	if !c.ReceiptInTransit() || !c.Deadlines.ArchiveBy.IsZero() || c.ReceiptTransit.From != demo.BinheHall || c.ReceiptTransit.To != demo.DistrictHall {
		t.Fatalf("the receipt should travel back, no archiving clock yet: %+v %+v", c.ReceiptTransit, c.Deadlines)
	}
	_, _, err = casework.Apply(c, casework.ActArchive, casework.Input{}, rev, env(delivered.Add(time.Hour)))
	wantCode(t, err, apperr.Conflict)
	_, _, err = casework.Apply(c, casework.ActArchive, casework.Input{}, street, env(delivered.Add(time.Hour)))
	wantCode(t, err, apperr.Conflict)

	// Sent back once, then home on Wednesday's run: archive by Thursday.
	if _, err := casework.SendBackReceipt(c, "JJ20261208001", 1, "「送达回执」损毁", issuanceClerk, env(at(2026, 12, 8, 10, 10))); err != nil {
		t.Fatal(err)
	}
	if c.ReceiptTransit.Trip != 2 || c.ReceiptTransit.SentBack != 1 || !c.ReceiptInTransit() {
		t.Fatalf("receipt sent back: %+v", c.ReceiptTransit)
	}
	back := at(2026, 12, 9, 10, 10)
	if _, err := casework.ArriveReceipt(c, "JJ20261209001", 2, issuanceClerk, env(back)); err != nil {
		t.Fatal(err)
	}
	if c.ReceiptInTransit() || !c.Deadlines.ArchiveBy.Equal(at(2026, 12, 10, 17, 0)) || !c.Deadlines.DecideBy.Equal(decideBy) {
		t.Fatalf("after the receipt's arrival: %+v", c.Deadlines)
	}
	_, _, err = casework.Apply(c, casework.ActArchive, casework.Input{}, street, env(back.Add(time.Hour)))
	wantCode(t, err, apperr.Conflict) // not the street's to archive
	ev, _, err = casework.Apply(c, casework.ActArchive, casework.Input{}, rev, env(back.Add(time.Hour)))
	if err != nil || c.State != casework.Archived || !bytesContain(ev.Details, `"on_time":true`) {
		t.Fatalf("the department archives: %v", err)
	}
	words := c.JourneyWords(func(code string) string { return code })
	if len(words) != 2 || !strings.Contains(words[1], "JJ20261209001") || !strings.Contains(words[1], "退回 1 次") {
		t.Fatalf("journey words: %q", words)
	}
}

// TestNothingTravelsFromTheDistrictHall: a case collected at the district
// hall keeps its result and receipt where they are: R12 from delivery.
func TestNothingTravelsFromTheDistrictHall(t *testing.T) {
	rev := reviewer("SCJG")
	h := takeIn(t, promisedIntake(), at(2026, 12, 1, 9, 0))
	h.do(casework.ActAccept, casework.Input{}, rev).
		do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk).
		do(casework.ActHandover, casework.Input{}, rev).
		do(casework.ActDecide, validInput(casework.ActDecide), rev).
		via(casework.ActSubmitResult, casework.Input{}, rev).
		do(casework.ActAcceptResult, casework.Input{}, issuanceClerk).
		via(casework.ActDeliver, validInput(casework.ActDeliver), issuanceClerk)
	if h.c.ResultTransit != nil || h.c.ReceiptTransit != nil || h.c.Deadlines.ArchiveBy.IsZero() {
		t.Fatalf("nothing travels: %+v %+v %+v", h.c.ResultTransit, h.c.ReceiptTransit, h.c.Deadlines)
	}
}

func bytesContain(b []byte, s string) bool { return strings.Contains(string(b), s) }

// TestInstantReceiptStays: an instant case done at a street window keeps
// its receipt there, whatever the network: nothing travelled to it.
func TestInstantReceiptStays(t *testing.T) {
	street := intakeClerk
	street.HallCode = streetHall
	e := env(at(2026, 12, 1, 9, 0))
	e.TransitHub = map[string]string{streetHall: demo.DistrictHall}
	c, _, _, err := casework.NewCase(instantIntake(instantItem), item(t, instantItem), street, e)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []casework.Action{casework.ActDecide, casework.ActDeliver} {
		e.Now = e.Now.Add(5 * time.Minute)
		if _, _, err := casework.Apply(c, step, validInput(step), street, e); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	if c.ReceiptTransit != nil || c.Deadlines.ArchiveBy.IsZero() {
		t.Fatalf("an instant case's receipt stays: %+v %+v", c.ReceiptTransit, c.Deadlines)
	}
}
