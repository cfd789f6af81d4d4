package supervision_test

import (
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/supervision"
)

// TestTransitHoldsStreetPaper: paper taken in at a street hall is held by
// the transit until its batch arrives; the handover step opens at the
// arrival with the deadline it gives.
func TestTransitHoldsStreetPaper(t *testing.T) {
	R, A := casework.Received, casework.Accepted
	events := []casework.Event{
		ev(casework.ActIntake, "wu", "2026-12-02 14:00", "", R, map[string]any{"paper_travels": true,
			"deadlines": map[string]any{"accept_by": at("2026-12-04 17:00")}}),
		ev(casework.ActPaperArrive, "qian", "2026-12-03 10:00", R, R, map[string]any{"current": true, "handover_by": at("2026-12-03 15:00")}),
		ev(casework.ActHandover, "rev", "2026-12-03 11:00", R, R, map[string]any{"on_time": true}),
		ev(casework.ActAccept, "rev", "2026-12-03 12:00", R, A, map[string]any{"on_time": true, "decide_by": at("2026-12-10 17:00")}),
	}
	r := supervision.FoldAll(events, supervision.Facts{PromisedDays: 5}, env)
	sum := map[supervision.Holder]int64{}
	for _, h := range r.Hold {
		sum[h.Holder] += h.Minutes
	}
	// 12-02 14:00–17:00 and 12-03 09:00–10:00: four hours in transit.
	if sum[supervision.Transit] != 4*60 {
		t.Errorf("transit %d minutes, want 240", sum[supervision.Transit])
	}
	if sum[supervision.Department] != 2*60 {
		t.Errorf("department %d minutes, want 120", sum[supervision.Department])
	}
	handover := 0
	for _, s := range r.Steps {
		if s.Kind == supervision.Handover {
			handover++
			if !s.Due.Equal(at("2026-12-03 15:00")) || s.Late {
				t.Errorf("handover step %+v", s)
			}
		}
	}
	if handover != 1 {
		t.Errorf("%d handover steps, want the one the arrival opened", handover)
	}
}

// TestTransitHoldsResultAndReceipt: a result travelling to a street pickup
// hall and the receipt travelling back are held by the transit; the
// archiving step opens at the receipt's arrival.
func TestTransitHoldsResultAndReceipt(t *testing.T) {
	D, RR, DL, AR := casework.Decided, casework.ResultReady, casework.Delivered, casework.Archived
	events := []casework.Event{
		ev(casework.ActIntake, "wu", "2026-12-01 09:00", "", casework.Received, map[string]any{
			"deadlines": map[string]any{"accept_by": at("2026-12-03 17:00")}}),
		ev(casework.ActAccept, "rev", "2026-12-01 09:00", casework.Received, casework.Accepted, map[string]any{"on_time": true, "decide_by": at("2026-12-10 17:00")}),
		ev(casework.ActDecide, "rev", "2026-12-01 09:00", casework.Accepted, D, map[string]any{"on_time": true, "outcome": "approve"}),
		ev(casework.ActSubmitResult, "rev", "2026-12-02 14:00", D, D, map[string]any{"result_travels": true}),
		ev(casework.ActResultArrive, "wu", "2026-12-03 10:00", D, D, map[string]any{"current": true}),
		ev(casework.ActAcceptResult, "wu", "2026-12-03 11:00", D, RR, map[string]any{}),
		ev(casework.ActDeliver, "wu", "2026-12-03 12:00", RR, DL, map[string]any{"receipt_travels": true}),
		ev(casework.ActReceiptArrive, "li", "2026-12-04 10:00", DL, DL, map[string]any{"current": true, "archive_by": at("2026-12-07 17:00")}),
		ev(casework.ActArchive, "rev", "2026-12-04 11:00", DL, AR, map[string]any{"on_time": true}),
	}
	r := supervision.FoldAll(events, supervision.Facts{PromisedDays: 5}, env)
	sum := map[supervision.Holder]int64{}
	for _, h := range r.Hold {
		sum[h.Holder] += h.Minutes
	}
	// The result: 12-02 14:00–17:00 and 12-03 09:00–10:00; the receipt:
	// 12-03 12:00–17:00 and 12-04 09:00–10:00. Ten hours in transit.
	if sum[supervision.Transit] != 10*60 {
		t.Errorf("transit %d minutes, want 600", sum[supervision.Transit])
	}
	if sum[supervision.Issuance] != 2*60 { // checking the result, archiving the receipt
		t.Errorf("issuance %d minutes, want 120", sum[supervision.Issuance])
	}
	archive := 0
	for _, s := range r.Steps {
		if s.Kind == supervision.Archive {
			archive++
			if !s.Due.Equal(at("2026-12-07 17:00")) || s.Late {
				t.Errorf("archive step %+v", s)
			}
		}
	}
	if archive != 1 {
		t.Errorf("%d archive steps, want the one the receipt's arrival opened", archive)
	}
}
