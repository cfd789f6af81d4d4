package service_test

import (
	"encoding/json"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/service"
)

// TestFinishInstantInOneFlow (R7): the window finishes an instant case in
// one flow: decided, handed over to the applicant present (nobody types the
// ID again) and archived, three events in one transaction; a refused flow
// writes nothing; an instant case left open past the close of its day is
// red.
func TestFinishInstantInOneFlow(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 10:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		intake := func() string {
			t.Helper()
			v, err := h.svc.Intake(h.as["shouli"], casework.Intake{ItemCode: "RSJ-GG-001", Channel: casework.AtWindow,
				Applicant: casework.Party{Kind: casework.Person, Name: residentName, IDType: identity.ResidentID, IDNumber: residentIDCard, Phone: residentPhone},
				Materials: []casework.MaterialInput{{Code: "M01", Status: casework.Provided}, {Code: "M02", Status: casework.Provided}}})
			if err != nil {
				t.Fatalf("instant intake: %v", err)
			}
			if v.Case.Deadlines.FinishBy.IsZero() || v.Running[0].Name != "finish_by" {
				t.Fatalf("an instant case without its day's deadline: %+v", v.Case.Deadlines)
			}
			return v.Case.Number
		}
		n := intake()
		// Refusals change nothing: a denial without a reason, a promised
		// case, a supervisor, a stale version.
		_, err := h.svc.FinishInstant(h.as["shouli"], n, casework.InstantFinish{Outcome: casework.Deny, ResultDocument: "不予办理告知书"}, 0)
		wantErr(t, "deny without a reason", err, apperr.Invalid, "")
		_, err = h.svc.FinishInstant(h.as["jiandu"], n, casework.InstantFinish{Outcome: casework.Approve, ResultDocument: "社会保障卡"}, 0)
		wantErr(t, "a supervisor", err, apperr.Forbidden, "")
		_, err = h.svc.FinishInstant(h.as["shouli"], n, casework.InstantFinish{Outcome: casework.Approve, ResultDocument: "社会保障卡"}, 7)
		wantErr(t, "a stale page", err, apperr.Conflict, "")
		if v := h.caseAs(t, h.as["shouli"], n); v.Case.State != casework.Received || len(v.Events) != 1 {
			t.Fatalf("a refused flow wrote something: %s, %d events", v.Case.State, len(v.Events))
		}

		v, err := h.svc.FinishInstant(h.as["shouli"], n, casework.InstantFinish{Outcome: casework.Approve, ResultDocument: "社会保障卡 No.320100001"}, 1)
		if err != nil {
			t.Fatalf("finish: %v", err)
		}
		v = h.caseAs(t, h.as["shouli"], n)
		if v.Case.State != casework.Archived || len(v.Events) != 4 {
			t.Fatalf("after the flow: %s with %d events, want archived with intake + 3", v.Case.State, len(v.Events))
		}
		for i, want := range []casework.Action{casework.ActIntake, casework.ActDecide, casework.ActDeliver, casework.ActArchive} {
			if v.Events[i].Type != want || v.Events[i].Actor != "shouli" {
				t.Errorf("event %d: %s by %s, want %s by shouli", i, v.Events[i].Type, v.Events[i].Actor, want)
			}
		}
		last := v.Documents[len(v.Documents)-1]
		if last.Kind != casework.DeliveryReceipt {
			t.Errorf("the last document is %s, want the delivery receipt", last.Kind)
		}
		var r casework.ReceiptOfDelivery
		if err := json.Unmarshal(last.Data, &r); err != nil {
			t.Fatal(err)
		}
		if r.Signer != residentName || r.SignerID != identity.Mask(residentIDCard) {
			t.Errorf("receipt signed by %q %q, want the applicant present", r.Signer, r.SignerID)
		}
		_, err = h.svc.FinishInstant(h.as["shouli"], n, casework.InstantFinish{Outcome: casework.Approve, ResultDocument: "社会保障卡"}, 0)
		wantErr(t, "finished twice", err, apperr.Conflict, "")

		// One left open: green that day, red after its close; the next
		// working day is after the National Day holiday.
		open := intake()
		if v := h.caseAs(t, h.as["shouli"], open); v.Warning == calendar.WarningRed {
			t.Errorf("red on its own day")
		}
		h.at("2026-09-30 17:01")
		if v := h.caseAs(t, h.as["shouli"], open); v.Warning != calendar.WarningRed {
			t.Errorf("open after its day's close: %s, want red", v.Warning)
		}
	})
}
