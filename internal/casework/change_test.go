package casework_test

import (
	"slices"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
)

// TestOpened: what a new case's first event makes is the domain's to say.
// A promised case taken in gets its receipt notice (and with deferred
// materials its pledge) and the "已收件" message to the applicant's phone;
// an instant one its documents and no message; an online application its
// "submitted" message and no document until its paper is taken in.
func TestOpened(t *testing.T) {
	now := at(2026, 3, 2, 10, 0)
	promised := takeIn(t, promisedIntake(), now)
	ch := casework.Opened(promised.c, promised.events[0])
	if ch.Event != promised.events[0] {
		t.Error("Opened does not carry the first event")
	}
	kinds := func(docs []casework.Document) []casework.DocKind {
		var out []casework.DocKind
		for _, d := range docs {
			out = append(out, d.Kind)
		}
		return out
	}
	if got, want := kinds(ch.Documents), kinds(casework.IntakeDocuments(promised.c)); len(got) == 0 || !slices.Equal(got, want) {
		t.Errorf("promised intake: documents %v, want %v", got, want)
	}
	if !slices.Contains(kinds(ch.Documents), casework.ReceiptNotice) {
		t.Errorf("promised intake without a receipt notice: %v", kinds(ch.Documents))
	}
	if m := ch.Notice; m == nil || m.Subject != "已收件" || m.To != promised.c.Applicant.Phone || !m.At.Equal(now) {
		t.Errorf("promised intake: message %+v", m)
	}

	instant := takeIn(t, instantIntake(instantItem), now)
	ch = casework.Opened(instant.c, instant.events[0])
	if ch.Notice != nil || len(ch.Documents) == 0 {
		t.Errorf("instant intake: message %+v, %d documents; want none and the receipt", ch.Notice, len(ch.Documents))
	}

	online := submitOnline(t, promisedItem, now)
	online.c.AccountID = 7
	ch = casework.Opened(online.c, online.events[0])
	if len(ch.Documents) != 0 {
		t.Errorf("online submission made documents %v", kinds(ch.Documents))
	}
	if m := ch.Notice; m == nil || m.Subject != "网上申报已提交" || m.AccountID != 7 {
		t.Errorf("online submission: message %+v", m)
	}

	// No phone, no message: there is no one to send it to.
	promised.c.Applicant.Phone = ""
	if m := casework.Opened(promised.c, promised.events[0]).Notice; m != nil {
		t.Errorf("intake without a phone: message %+v", m)
	}
}

// TestStep: a step's change carries the event Apply records, the
// documents it issues and the message NoticeFor says the event sends.
func TestStep(t *testing.T) {
	h := takeIn(t, promisedIntake(), at(2026, 3, 2, 10, 0))
	ch, err := casework.Step(h.c, casework.ActAccept, casework.Input{}, reviewer("SCJG"), env(at(2026, 3, 2, 11, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if ch.Event == nil || ch.Event.Type != casework.ActAccept || h.c.State != casework.Accepted {
		t.Fatalf("accept: event %+v, state %s", ch.Event, h.c.State)
	}
	if m := ch.Notice; m == nil || m.Subject != "已受理" || m.To != h.c.Applicant.Phone {
		t.Errorf("accept: message %+v", m)
	}
	ch, err = casework.Step(h.c, casework.ActHandover, casework.Input{}, reviewer("SCJG"), env(at(2026, 3, 2, 11, 10)))
	if err != nil {
		t.Fatal(err)
	}
	if ch.Notice != nil || !slices.ContainsFunc(ch.Documents, func(d casework.Document) bool { return d.Kind == casework.HandoverSheet }) {
		t.Errorf("handover: message %+v, documents %+v; want no message and the handover sheet", ch.Notice, ch.Documents)
	}
	// A refused step changes nothing and carries nothing.
	ch, err = casework.Step(h.c, casework.ActArchive, casework.Input{}, reviewer("SCJG"), env(at(2026, 3, 2, 11, 20)))
	if err == nil || ch.Event != nil || ch.Notice != nil || ch.Documents != nil {
		t.Errorf("refused archive: %v, change %+v", err, ch)
	}
}
