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
