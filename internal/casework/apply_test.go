package casework_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
)

// docData decodes a document's data into v.
func docData(t testing.TB, d casework.Document, v any) {
	t.Helper()
	if err := json.Unmarshal(d.Data, v); err != nil {
		t.Fatalf("%s data: %v", d.Kind, err)
	}
}

func codesOf(lines []casework.MaterialLine) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l.Code)
	}
	return out
}

// TestPromisedPath follows a SCJG-XK-001 case from intake to archiving, with
// a refused result on the way, and checks every step's state, event and
// documents.
func TestPromisedPath(t *testing.T) {
	rev := reviewer("SCJG")
	t0 := at(2026, 3, 2, 9, 30) // Monday
	h := takeIn(t, promisedIntake(), t0)
	c := h.c

	if ev := h.events[0]; ev.Type != casework.ActIntake || ev.From != "" || ev.To != casework.Received || ev.Actor != intakeClerk.Username || ev.Role != "intake" || !ev.At.Equal(t0) {
		t.Errorf("intake event = %+v", ev)
	}
	if c.State != casework.Received || c.Kind != "promised" || c.PromisedDays != 5 || c.DepartmentCode != "SCJG" || c.ReceivedBy != intakeClerk.Username || c.HallCode != intakeClerk.HallCode {
		t.Errorf("new case = %+v", c)
	}
	wantStatus := map[string]casework.MaterialStatus{"M01": casework.Provided, "M02": casework.Provided, "M03": casework.Provided,
		"M04": casework.Deferred, "M05": casework.Deferred, "M06": casework.Missing}
	for _, m := range c.Materials {
		if m.Status != wantStatus[m.Code] {
			t.Errorf("material %s is %s, want %s", m.Code, m.Status, wantStatus[m.Code])
		}
	}

	// The documents of intake come once the case has its number.
	docs := casework.IntakeDocuments(c)
	if len(docs) != 2 || docs[0].Kind != casework.ReceiptNotice || docs[1].Kind != casework.DeferralPledge {
		t.Fatalf("intake documents = %v, want receipt notice and deferral pledge", docs)
	}
	for _, d := range docs {
		if d.EventSeq != 1 || !d.CreatedAt.Equal(t0) || d.Title != d.Kind.Label() {
			t.Errorf("%s: seq %d at %s titled %q", d.Kind, d.EventSeq, d.CreatedAt, d.Title)
		}
	}
	var receipt casework.ReceiptData
	docData(t, docs[0], &receipt)
	if receipt.Number != caseNumber || receipt.ItemCode != promisedItem || receipt.Kind != "承诺件" || receipt.PromisedDays != 5 ||
		receipt.Applicant.IDNumber != identity.Mask(companyCode) || receipt.Applicant.IDNumber == companyCode ||
		!receipt.AcceptBy.Equal(at(2026, 3, 4, 17, 0)) || !receipt.SupplyBy.Equal(at(2026, 3, 5, 17, 0)) {
		t.Errorf("receipt notice = %+v", receipt)
	}
	if got := codesOf(receipt.Materials); !slices.Equal(got, []string{"M01", "M02", "M03", "M04", "M05"}) {
		t.Errorf("receipt notice lists %v; a material not brought is not listed", got)
	}
	var pledge casework.PledgeData
	docData(t, docs[1], &pledge)
	if got := codesOf(pledge.Deferred); !slices.Equal(got, []string{"M04", "M05"}) || !pledge.SupplyBy.Equal(c.Deadlines.SupplyBy) ||
		pledge.Number != caseNumber || pledge.Consequence == "" || pledge.Applicant.IDNumber == companyCode {
		t.Errorf("deferral pledge = %+v", pledge)
	}

	type step struct {
		action casework.Action
		in     casework.Input
		by     casework.Actor
		state  casework.State
		doc    casework.DocKind // "" for none
	}
	steps := []step{
		{casework.ActAccept, casework.Input{}, rev, casework.Accepted, casework.AcceptanceNotice},
		{casework.ActHandover, casework.Input{}, rev, casework.Accepted, casework.HandoverSheet},
		{casework.ActSupply, validInput(casework.ActSupply), intakeClerk, casework.Accepted, ""},
		// The supplied papers are signed for on a sheet of their own (R6).
		{casework.ActHandover, casework.Input{}, rev, casework.Accepted, casework.HandoverSheet},
		{casework.ActDecide, validInput(casework.ActDecide), rev, casework.Decided, casework.ApprovalDecision},
		{casework.ActSubmitResult, casework.Input{CollectItems: []string{" 原许可证正本 ", ""}}, rev, casework.Decided, casework.ResultSheet},
		{casework.ActRefuseResult, casework.Input{Reason: "证书有效期填写错误"}, issuanceClerk, casework.Decided, ""},
		{casework.ActSubmitResult, casework.Input{}, rev, casework.Decided, casework.ResultSheet},
		{casework.ActAcceptResult, casework.Input{}, issuanceClerk, casework.ResultReady, ""},
		{casework.ActDeliver, casework.Input{Signer: "王建国", SignerIDType: identity.ResidentID, SignerIDNumber: " 11010519491231002x "}, issuanceClerk, casework.Delivered, casework.DeliveryReceipt},
		{casework.ActArchive, casework.Input{}, issuanceClerk, casework.Archived, ""},
	}
	for i, s := range steps {
		from := c.State
		h.do(s.action, s.in, s.by)
		ev, docs := h.events[len(h.events)-1], h.docs[len(h.docs)-1]
		if c.State != s.state || ev.From != from || ev.To != s.state || ev.Type != s.action || ev.Actor != s.by.Username || !ev.At.Equal(h.now) {
			t.Errorf("step %d %s: state %s, event %s %s→%s by %s, want %s→%s", i+1, s.action, c.State, ev.Type, ev.From, ev.To, ev.Actor, from, s.state)
		}
		if !json.Valid(ev.Details) {
			t.Errorf("step %d %s: details %q are not JSON", i+1, s.action, ev.Details)
		}
		var kinds []casework.DocKind
		for _, d := range docs {
			kinds = append(kinds, d.Kind)
			if !d.CreatedAt.Equal(h.now) {
				t.Errorf("%s created at %s, want %s", d.Kind, d.CreatedAt, h.now)
			}
		}
		if want := []casework.DocKind{s.doc}; s.doc == "" && len(kinds) != 0 || s.doc != "" && !slices.Equal(kinds, want) {
			t.Errorf("step %d %s: documents %v, want %q", i+1, s.action, kinds, s.doc)
		}
		if c.State.Closed() != (s.action == casework.ActArchive) {
			t.Errorf("step %d %s: Closed() = %v", i+1, s.action, c.State.Closed())
		}
	}

	// The documents' contents.
	var sheet, supplied casework.HandoverData
	docData(t, h.docs[4][0], &supplied)
	if got := codesOf(supplied.Materials); !slices.Contains(got, "M05") {
		t.Errorf("second handover sheet lists %v: the supplied papers must be on it", got)
	}
	docData(t, h.docs[2][0], &sheet)
	if got := codesOf(sheet.Materials); !slices.Equal(got, []string{"M01", "M02", "M03"}) || !sheet.OnTime || sheet.SignedBy != rev.Username ||
		sheet.ReceivedBy != intakeClerk.Username || !sheet.Cutoff.Equal(at(2026, 3, 2, 15, 0)) {
		t.Errorf("handover sheet = %+v: the paper handed in, signed on time", sheet)
	}
	var first, second casework.ResultSheetData
	docData(t, h.docs[6][0], &first)
	docData(t, h.docs[8][0], &second)
	if first.Attempt != 1 || second.Attempt != 2 || first.Document != "食品经营许可证 JY123" || first.Outcome != casework.Approve {
		t.Errorf("result sheets: attempt %d then %d, document %q", first.Attempt, second.Attempt, first.Document)
	}
	if !slices.Equal(first.CollectItems, []string{"原许可证正本"}) || !slices.Equal(second.CollectItems, first.CollectItems) {
		t.Errorf("collect items %v then %v: trimmed, blanks dropped, kept on resubmission", first.CollectItems, second.CollectItems)
	}
	var dr casework.ReceiptOfDelivery
	docData(t, h.docs[10][0], &dr)
	if dr.Method != "pickup" || dr.Signer != "王建国" || dr.SignerID != "110105********002X" || dr.Document != "食品经营许可证 JY123" ||
		dr.Applicant.IDNumber == companyCode || !slices.Equal(dr.CollectItems, first.CollectItems) {
		t.Errorf("delivery receipt = %+v: signer's ID masked and normalised", dr)
	}
	if strings.Contains(string(h.events[10].Details), "11010519491231") {
		t.Errorf("deliver event details %s carry the signer's full ID", h.events[10].Details)
	}

	// What the case keeps.
	if !c.AcceptedAt.Equal(h.events[1].At) || !c.HandoverAt.Equal(h.events[4].At) || !c.DecidedAt.Equal(h.events[5].At) ||
		!c.DeliveredAt.Equal(h.events[10].At) || !c.ClosedAt.Equal(h.events[11].At) {
		t.Errorf("times: accepted %s handover %s decided %s delivered %s closed %s", c.AcceptedAt, c.HandoverAt, c.DecidedAt, c.DeliveredAt, c.ClosedAt)
	}
	if c.Result != casework.ResultAccepted || c.ResultRefusals != 1 || !c.Deadlines.CorrectBy.IsZero() || c.DeferredOutstanding() || c.PaperPending() {
		t.Errorf("result %s, correct_by %s, deferred %v, paper %v", c.Result, c.Deadlines.CorrectBy, c.DeferredOutstanding(), c.PaperPending())
	}
	for _, m := range c.Materials {
		if (m.Code == "M04" || m.Code == "M05") && m.Status != casework.Supplied {
			t.Errorf("%s is %s after supply", m.Code, m.Status)
		}
	}
	if len(c.OpenDeadlines()) != 0 {
		t.Errorf("an archived case has running deadlines %v", c.OpenDeadlines())
	}
}

// TestInstantPath: an instant case goes received → decided → delivered →
// archived at the window in one visit.
func TestInstantPath(t *testing.T) {
	h := takeIn(t, instantIntake(instantItem), at(2026, 3, 2, 9, 30))
	docs := casework.IntakeDocuments(h.c)
	if len(docs) != 1 || docs[0].Kind != casework.ReceiptNotice {
		t.Fatalf("instant intake documents = %v, want the receipt notice only", docs)
	}
	var receipt casework.ReceiptData
	docData(t, docs[0], &receipt)
	if receipt.Kind != "即办件" || !receipt.AcceptBy.IsZero() || receipt.Applicant.IDNumber != "110105********002X" {
		t.Errorf("receipt = %+v", receipt)
	}
	// R7: the one deadline of an instant case is the close of its day.
	if d := h.c.Deadlines; d.FinishBy.IsZero() || d.AcceptBy != (time.Time{}) || d.HandoverBy != (time.Time{}) || d.DecideBy != (time.Time{}) ||
		len(h.c.OpenDeadlines()) != 1 || h.c.OpenDeadlines()[0].Name != "finish_by" {
		t.Errorf("an instant case has deadlines %+v, running %v", h.c.Deadlines, h.c.OpenDeadlines())
	}
	if !slices.Equal(h.c.CollectItems, []string{"原社会保障卡（换卡时）"}) {
		t.Errorf("collect items %v, want the handbook's", h.c.CollectItems)
	}
	for _, s := range []struct {
		action casework.Action
		state  casework.State
	}{{casework.ActDecide, casework.Decided}, {casework.ActDeliver, casework.Delivered}, {casework.ActArchive, casework.Archived}} {
		from := h.c.State
		h.do(s.action, validInput(s.action), intakeClerk)
		if ev := h.events[len(h.events)-1]; h.c.State != s.state || ev.From != from || ev.To != s.state {
			t.Errorf("%s: %s→%s, state %s, want %s", s.action, ev.From, ev.To, h.c.State, s.state)
		}
	}
	if h.docs[2][0].Kind != casework.DeliveryReceipt || h.c.ClosedAt.IsZero() {
		t.Errorf("documents %v, closed at %s", h.docs, h.c.ClosedAt)
	}
}

// TestMailPath: a result to be mailed goes result_ready → mailed (still
// result_ready) → delivered on confirmation; pickup is refused for it and
// mailing is refused for a pickup case.
func TestMailPath(t *testing.T) {
	rev := reviewer("SCJG")
	in := promisedIntake()
	in.Delivery = mailTo()
	h := takeIn(t, in, at(2026, 3, 2, 9, 30)).
		do(casework.ActAccept, casework.Input{}, rev).
		do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk).
		do(casework.ActHandover, casework.Input{}, rev).
		do(casework.ActDecide, validInput(casework.ActDecide), rev).
		do(casework.ActSubmitResult, casework.Input{}, rev).
		do(casework.ActAcceptResult, casework.Input{}, issuanceClerk)
	c := h.c
	refused := func(action casework.Action, in casework.Input, code apperr.Code, field string) {
		t.Helper()
		before := cloneCase(c)
		_, _, err := casework.Apply(c, action, in, issuanceClerk, env(h.now.Add(time.Minute)))
		if field != "" {
			wantField(t, err, field)
		} else {
			wantCode(t, err, code)
		}
		if !reflect.DeepEqual(c, before) {
			t.Errorf("refused %s changed the case", action)
		}
	}
	refused(casework.ActDeliver, validInput(casework.ActDeliver), apperr.Conflict, "")
	refused(casework.ActConfirmDelivery, casework.Input{}, apperr.Conflict, "")
	refused(casework.ActMail, casework.Input{Carrier: "EMS"}, "", "tracking_number")
	refused(casework.ActMail, casework.Input{Carrier: "EMS", Tracking: "EA12 3456789CN"}, "", "tracking_number")
	refused(casework.ActMail, casework.Input{Tracking: "EA123456789CN"}, "", "carrier")

	h.do(casework.ActMail, casework.Input{Carrier: " EMS ", Tracking: " EA123456789CN "}, issuanceClerk)
	if c.State != casework.ResultReady || c.Result != casework.ResultMailed || c.Carrier != "EMS" || c.Tracking != "EA123456789CN" {
		t.Errorf("after mail: %s %s %q %q", c.State, c.Result, c.Carrier, c.Tracking)
	}
	if ev := h.events[len(h.events)-1]; ev.From != casework.ResultReady || ev.To != casework.ResultReady {
		t.Errorf("mail event %s→%s", ev.From, ev.To)
	}
	refused(casework.ActMail, validInput(casework.ActMail), apperr.Conflict, "")

	h.do(casework.ActConfirmDelivery, casework.Input{}, issuanceClerk)
	if c.State != casework.Delivered || c.DeliveredAt.IsZero() {
		t.Errorf("after confirmation: %s delivered at %s", c.State, c.DeliveredAt)
	}
	docs := h.docs[len(h.docs)-1]
	if len(docs) != 1 || docs[0].Kind != casework.DeliveryReceipt {
		t.Fatalf("confirmation documents %v", docs)
	}
	var r casework.ReceiptOfDelivery
	docData(t, docs[0], &r)
	if r.Method != "mail" || r.Carrier != "EMS" || r.Tracking != "EA123456789CN" || r.Signer != "" {
		t.Errorf("mail receipt = %+v", r)
	}

	// A pickup case is never mailed.
	p := takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30)).
		do(casework.ActAccept, casework.Input{}, rev).
		do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk).
		do(casework.ActHandover, casework.Input{}, rev).
		do(casework.ActDecide, validInput(casework.ActDecide), rev).
		do(casework.ActSubmitResult, casework.Input{}, rev).
		do(casework.ActAcceptResult, casework.Input{}, issuanceClerk)
	_, _, err := casework.Apply(p.c, casework.ActMail, validInput(casework.ActMail), issuanceClerk, env(p.now))
	wantCode(t, err, apperr.Conflict)
}

// TestReturnAndResubmit: a returned case keeps its number and history and
// comes back to received with a new acceptance deadline.
func TestReturnAndResubmit(t *testing.T) {
	rev := reviewer("SCJG")
	h := takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30)).
		do(casework.ActHandover, casework.Input{}, rev)
	c := h.c

	before := cloneCase(c)
	for _, in := range []casework.Input{
		{Corrections: []string{"M03"}},                  // no reason
		{Reason: "缺少平面图", Corrections: []string{"M99"}}, // not in the handbook (R15)
	} {
		_, _, err := casework.Apply(c, casework.ActReturn, in, rev, env(h.now))
		wantCode(t, err, apperr.Invalid)
		if !reflect.DeepEqual(c, before) {
			t.Fatalf("a refused return changed the case")
		}
	}

	h.doAt(at(2026, 3, 3, 10, 0), casework.ActReturn, validInput(casework.ActReturn), rev)
	if c.State != casework.Returned || c.Returns != 1 || !c.Deadlines.AcceptBy.IsZero() || c.Number != caseNumber {
		t.Errorf("after return: %s returns %d accept_by %s number %s", c.State, c.Returns, c.Deadlines.AcceptBy, c.Number)
	}
	docs := h.docs[len(h.docs)-1]
	if len(docs) != 1 || docs[0].Kind != casework.CorrectionNotice {
		t.Fatalf("return documents %v, want the correction notice", docs)
	}
	var notice casework.CorrectionData
	docData(t, docs[0], &notice)
	if got := codesOf(notice.ToCorrect); !slices.Equal(got, []string{"M03"}) || notice.Reasons != "经营布局图与现场不符" ||
		notice.Number != caseNumber || notice.ReturnedBy != rev.Username || notice.Applicant.IDNumber == companyCode {
		t.Errorf("correction notice = %+v", notice)
	}
	var details map[string]any
	if err := json.Unmarshal(h.events[len(h.events)-1].Details, &details); err != nil || details["on_time"] != true {
		t.Errorf("return details %s: returned within accept_by", h.events[len(h.events)-1].Details)
	}

	_, _, err := casework.Apply(c, casework.ActResubmit, casework.Input{}, intakeClerk, env(h.now))
	wantField(t, err, "materials")
	_, _, err = casework.Apply(c, casework.ActResubmit, casework.Input{Materials: []string{"M42"}}, intakeClerk, env(h.now))
	wantField(t, err, "materials")

	// Resubmitted on Thursday afternoon: accept_by two working days on,
	// the corrected paper handed over by 10:00 the next working day.
	h.doAt(at(2026, 3, 5, 14, 0), casework.ActResubmit, casework.Input{Materials: []string{"M03", "M06"}}, intakeClerk)
	if c.State != casework.Received || c.Number != caseNumber || c.Returns != 1 {
		t.Errorf("after resubmission: %s %s returns %d", c.State, c.Number, c.Returns)
	}
	if want := at(2026, 3, 9, 17, 0); !c.Deadlines.AcceptBy.Equal(want) {
		t.Errorf("accept_by = %s, want %s", c.Deadlines.AcceptBy, want)
	}
	if want := at(2026, 3, 6, 10, 0); !c.Deadlines.HandoverBy.Equal(want) || !c.PaperPending() {
		t.Errorf("handover_by = %s pending %v, want %s pending", c.Deadlines.HandoverBy, c.PaperPending(), want)
	}
	for _, m := range c.Materials {
		if m.Code == "M06" && m.Status != casework.Provided {
			t.Errorf("M06, brought on resubmission, is %s", m.Status)
		}
	}
	h.do(casework.ActReturn, validInput(casework.ActReturn), rev)
	if c.Returns != 2 {
		t.Errorf("returns = %d after the second return", c.Returns)
	}
	// Every step is an event: nothing of the history is lost.
	want := []casework.Action{casework.ActIntake, casework.ActHandover, casework.ActReturn, casework.ActResubmit, casework.ActReturn}
	var got []casework.Action
	for _, ev := range h.events {
		got = append(got, ev.Type)
	}
	if !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
}

// TestLapse: deferred materials not supplied by supply_by end the case, and
// only the system ends it so, only once supply_by has passed.
func TestLapse(t *testing.T) {
	h := takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30))
	supplyBy := at(2026, 3, 5, 17, 0)
	if !h.c.Deadlines.SupplyBy.Equal(supplyBy) {
		t.Fatalf("supply_by = %s, want %s", h.c.Deadlines.SupplyBy, supplyBy)
	}
	for _, tt := range []struct {
		name string
		now  time.Time
		by   casework.Actor
		code apperr.Code
	}{
		{"the day before", at(2026, 3, 4, 17, 0), systemActor, apperr.Conflict},
		{"at the deadline itself", supplyBy, systemActor, apperr.Conflict},
		{"after it, by a clerk", supplyBy.Add(time.Minute), intakeClerk, apperr.Forbidden},
		{"after it, by the department", supplyBy.Add(time.Minute), reviewer("SCJG"), apperr.Forbidden},
	} {
		c := cloneCase(h.c)
		_, _, err := casework.Apply(c, casework.ActLapse, casework.Input{}, tt.by, env(tt.now))
		if apperr.CodeOf(err) != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
		}
		if !reflect.DeepEqual(c, h.c) {
			t.Errorf("%s: a refused lapse changed the case", tt.name)
		}
	}

	// Supplied in time: nothing lapses.
	s := takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30)).do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk)
	_, _, err := casework.Apply(s.c, casework.ActLapse, casework.Input{}, systemActor, env(overdue))
	wantCode(t, err, apperr.Conflict)

	// Only one of two deferred materials supplied: still outstanding.
	p := takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30)).do(casework.ActSupply, casework.Input{Materials: []string{"M04"}}, intakeClerk)
	if !p.c.DeferredOutstanding() {
		t.Fatal("M05 is still deferred")
	}
	_, _, err = casework.Apply(p.c, casework.ActSupply, casework.Input{Materials: []string{"M04"}}, intakeClerk, env(p.now))
	wantField(t, err, "materials")
	p.doAt(supplyBy.Add(time.Second), casework.ActLapse, casework.Input{}, systemActor)
	ev := p.events[len(p.events)-1]
	if p.c.State != casework.Terminated || !p.c.State.Closed() || !p.c.ClosedAt.Equal(supplyBy.Add(time.Second)) || p.c.CloseReason == "" {
		t.Errorf("after lapse: %s closed at %s reason %q", p.c.State, p.c.ClosedAt, p.c.CloseReason)
	}
	if ev.Actor != "system" || ev.Role != "system" || ev.From != casework.Received || ev.To != casework.Terminated {
		t.Errorf("lapse event = %+v", ev)
	}
	if len(p.c.OpenDeadlines()) != 0 {
		t.Errorf("a terminated case has running deadlines %v", p.c.OpenDeadlines())
	}
}

// TestWithdrawAndTerminate: both close the case with their reason.
func TestWithdrawAndTerminate(t *testing.T) {
	for _, tt := range []struct {
		action casework.Action
		by     casework.Actor
		state  casework.State
	}{
		{casework.ActWithdraw, intakeClerk, casework.Withdrawn},
		{casework.ActTerminate, reviewer("SCJG"), casework.Terminated},
	} {
		for _, accepted := range []bool{false, true} {
			h := takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30))
			if accepted {
				h.do(casework.ActAccept, casework.Input{}, reviewer("SCJG"))
			}
			before := cloneCase(h.c)
			_, _, err := casework.Apply(h.c, tt.action, casework.Input{Reason: "  "}, tt.by, env(h.now))
			wantField(t, err, "reason")
			_, _, err = casework.Apply(h.c, tt.action, casework.Input{Reason: strings.Repeat("长", 1001)}, tt.by, env(h.now))
			wantField(t, err, "reason")
			if !reflect.DeepEqual(h.c, before) {
				t.Fatalf("%s: a refused close changed the case", tt.action)
			}
			h.do(tt.action, validInput(tt.action), tt.by)
			c := h.c
			if c.State != tt.state || !c.State.Closed() || !c.ClosedAt.Equal(h.now) || c.CloseReason != validInput(tt.action).Reason {
				t.Errorf("%s: %s closed at %s (want %s) reason %q", tt.action, c.State, c.ClosedAt, h.now, c.CloseReason)
			}
			if len(c.OpenDeadlines()) != 0 || len(casework.Allowed(c, tt.by, env(h.now))) != 0 {
				t.Errorf("%s: a closed case has deadlines %v or actions", tt.action, c.OpenDeadlines())
			}
		}
	}
}

// TestDecideInput checks the decision's own fields.
func TestDecideInput(t *testing.T) {
	rev := reviewer("SCJG")
	h := takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30)).
		do(casework.ActAccept, casework.Input{}, rev).
		do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk).
		do(casework.ActHandover, casework.Input{}, rev)
	for _, tt := range []struct {
		name  string
		in    casework.Input
		field string
	}{
		{"no outcome", casework.Input{ResultDocument: "许可证"}, "outcome"},
		{"unknown outcome", casework.Input{Confirm: true, Outcome: "maybe", ResultDocument: "许可证"}, "outcome"},
		{"deny without reason", casework.Input{Confirm: true, Outcome: casework.Deny, ResultDocument: "不予许可决定书 001"}, "reason"},
		{"no document", casework.Input{Confirm: true, Outcome: casework.Approve}, "result_document"},
		{"blank document", casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "   "}, "result_document"},
		{"document too long", casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: strings.Repeat("证", 201)}, "result_document"},
	} {
		c := cloneCase(h.c)
		_, _, err := casework.Apply(c, casework.ActDecide, tt.in, rev, env(h.now))
		wantField(t, err, tt.field)
		if !reflect.DeepEqual(c, h.c) {
			t.Errorf("%s: a refused decision changed the case", tt.name)
		}
	}
	h.do(casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Deny, Reason: "经营场所不符合要求", ResultDocument: " 不予许可决定书 001 "}, rev)
	if h.c.Outcome != casework.Deny || h.c.DecisionReason != "经营场所不符合要求" || h.c.ResultDocument != "不予许可决定书 001" {
		t.Errorf("decision %s %q %q", h.c.Outcome, h.c.DecisionReason, h.c.ResultDocument)
	}
}

// TestResultSheetAttempts: each result handover sheet says which attempt it
// is, however often the issuance desk refused the result before (R9).
func TestResultSheetAttempts(t *testing.T) {
	rev := reviewer("SCJG")
	h := ready(t, at(2026, 3, 2, 10, 0)).do(casework.ActDecide, validInput(casework.ActDecide), rev)
	var attempts []int
	for i := range 3 {
		if i > 0 {
			h.do(casework.ActRefuseResult, validInput(casework.ActRefuseResult), issuanceClerk)
		}
		h.do(casework.ActSubmitResult, casework.Input{}, rev)
		var sheet casework.ResultSheetData
		docData(t, h.docs[len(h.docs)-1][0], &sheet)
		attempts = append(attempts, sheet.Attempt)
	}
	if !slices.Equal(attempts, []int{1, 2, 3}) {
		t.Errorf("result sheets numbered %v, want [1 2 3]", attempts)
	}
}

// TestDecideReasonTooLong: an approval's over-long reason is refused for
// its length, not as a denial without reasons.
func TestDecideReasonTooLong(t *testing.T) {
	rev := reviewer("SCJG")
	h := ready(t, at(2026, 3, 2, 10, 0))
	in := validInput(casework.ActDecide)
	in.Reason = strings.Repeat("长", 1001)
	_, _, err := casework.Apply(h.c, casework.ActDecide, in, rev, env(h.now))
	wantField(t, err, "reason")
	if msg := apperr.MessageOf(err); !strings.Contains(msg, "1000") {
		t.Errorf("message %q does not give the limit", msg)
	}
}

// TestReturnReasonsPerMaterial: a return names what is wrong with each
// material, or gives one reason for all; the correction notice lists each
// material with its own reason.
func TestReturnReasonsPerMaterial(t *testing.T) {
	rev := reviewer("SCJG")
	base := func() *history { return takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30)) }

	h := base().do(casework.ActReturn, casework.Input{CorrectionReasons: map[string]string{"M03": "复印件不清晰", "M01": "缺少法定代表人签字"}}, rev)
	var notice casework.CorrectionData
	docData(t, h.docs[len(h.docs)-1][0], &notice)
	if len(notice.ToCorrect) != 2 || notice.ToCorrect[0].Code != "M01" || notice.ToCorrect[0].Reason != "缺少法定代表人签字" ||
		notice.ToCorrect[1].Code != "M03" || notice.ToCorrect[1].Reason != "复印件不清晰" {
		t.Fatalf("materials to correct, in handbook order with their reasons: %+v", notice.ToCorrect)
	}

	for _, tc := range []struct {
		name string
		in   casework.Input
	}{
		{"a material without its reason and no overall reason", casework.Input{Corrections: []string{"M02"}, CorrectionReasons: map[string]string{"M03": "复印件不清晰"}}},
		{"a reason for a material the handbook does not list", casework.Input{CorrectionReasons: map[string]string{"M99": "不清晰"}}},
		{"nothing at all", casework.Input{}},
	} {
		c := base().c
		before := *c
		_, _, err := casework.Apply(c, casework.ActReturn, tc.in, rev, env(at(2026, 3, 2, 10, 0)))
		if !apperr.Is(err, apperr.Invalid) || c.State != before.State || c.Returns != before.Returns {
			t.Errorf("%s: %v, want invalid and the case unchanged", tc.name, err)
		}
	}
}

// TestActionBodiesTheFuzzerRefuses pins what FuzzApplyInput found: a
// material named twice, a tracking number with a line break or wide space,
// an item to collect longer than the handbook allows are refused naming
// their field, changing nothing; a prerequisite in a person's body never
// reaches the record (only the system's bundle steps name one).
func TestActionBodiesTheFuzzerRefuses(t *testing.T) {
	rev := reviewer("SCJG")
	t0 := at(2026, 3, 2, 9, 30)
	refused := func(h *history, action casework.Action, in casework.Input, by casework.Actor, field, want string) {
		t.Helper()
		before := cloneCase(h.c)
		_, _, err := casework.Apply(h.c, action, in, by, env(h.now.Add(time.Minute)))
		wantField(t, err, field)
		if !strings.Contains(apperr.MessageOf(err), want) {
			t.Errorf("%s: message %q does not say %q", action, apperr.MessageOf(err), want)
		}
		if !reflect.DeepEqual(h.c, before) {
			t.Errorf("a refused %s changed the case", action)
		}
	}
	h := takeIn(t, promisedIntake(), t0)
	refused(h, casework.ActReturn, casework.Input{Reason: "缺页", Corrections: []string{"M03", "M03"}}, rev, "corrections", "材料重复：M03")
	refused(h, casework.ActSupply, casework.Input{Materials: []string{"M04", "M04"}}, intakeClerk, "materials", "材料重复：M04")
	h.do(casework.ActReturn, validInput(casework.ActReturn), rev)
	refused(h, casework.ActResubmit, casework.Input{Materials: []string{"M03", "M03"}}, intakeClerk, "materials", "材料重复：M03")

	d := ready(t, t0).do(casework.ActDecide, validInput(casework.ActDecide), rev)
	refused(d, casework.ActSubmitResult, casework.Input{CollectItems: []string{strings.Repeat("证", 101)}}, rev, "collect_items", "100")
	d.do(casework.ActSubmitResult, casework.Input{CollectItems: []string{strings.Repeat("证", 100)}}, rev)

	in := promisedIntake()
	in.Delivery = mailTo()
	m := takeIn(t, in, t0).
		do(casework.ActAccept, casework.Input{}, rev).
		do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk).
		do(casework.ActHandover, casework.Input{}, rev).
		do(casework.ActDecide, validInput(casework.ActDecide), rev).
		do(casework.ActSubmitResult, casework.Input{}, rev).
		do(casework.ActAcceptResult, casework.Input{}, issuanceClerk)
	for _, tracking := range []string{"EA123\n456789CN", "EA123\u3000456789CN", "EA123\r456789CN"} {
		refused(m, casework.ActMail, casework.Input{Carrier: "EMS", Tracking: tracking}, issuanceClerk, "tracking_number", "邮件号")
	}

	for _, tt := range []struct {
		action casework.Action
		by     casework.Actor
	}{{casework.ActWithdraw, intakeClerk}, {casework.ActTerminate, rev}} {
		h := takeIn(t, promisedIntake(), t0)
		h.do(tt.action, casework.Input{Reason: "申请人决定暂不办理", Prerequisite: "SCJG-XK-003"}, tt.by)
		if ev := h.events[len(h.events)-1]; strings.Contains(string(ev.Details), "prerequisite") {
			t.Errorf("%s by a person recorded a prerequisite: %s", tt.action, ev.Details)
		}
	}
	w := waiting(takeIn(t, promisedIntake(), t0))
	w.do(casework.ActTerminate, casework.Input{Reason: "前置事项未获准予", Prerequisite: "SCJG-XK-003"}, systemActor)
	if ev := w.events[len(w.events)-1]; !strings.Contains(string(ev.Details), `"prerequisite":"SCJG-XK-003"`) {
		t.Errorf("the system's termination lost its prerequisite: %s", ev.Details)
	}
}
