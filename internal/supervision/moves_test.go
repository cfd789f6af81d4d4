package supervision_test

import (
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/supervision"
)

// TestTripsAndPickup: a street case's paper travels (sent back once, so
// the trip goes on until the paper finally arrives), a supply travels on a
// second trip, and the result is collected at the street: the trips are
// counted on their arrival day with the transit's minutes, the pickup
// under its hall.
func TestTripsAndPickup(t *testing.T) {
	R, A, D, Y, V := casework.Received, casework.Accepted, casework.Decided, casework.ResultReady, casework.Delivered
	events := []casework.Event{
		ev(casework.ActIntake, "wu", "2026-12-02 14:00", "", R, map[string]any{"paper_travels": true,
			"deadlines": map[string]any{"accept_by": at("2026-12-04 17:00")}}),
		ev(casework.ActPaperSendBack, "qian", "2026-12-03 10:00", R, R, map[string]any{"current": true}),
		ev(casework.ActPaperArrive, "qian", "2026-12-04 10:00", R, R, map[string]any{"current": true, "handover_by": at("2026-12-04 15:00")}),
		ev(casework.ActHandover, "rev", "2026-12-04 11:00", R, R, map[string]any{"on_time": true}),
		ev(casework.ActAccept, "rev", "2026-12-04 12:00", R, A, map[string]any{"on_time": true, "decide_by": at("2026-12-11 17:00")}),
		ev(casework.ActDecide, "rev", "2026-12-07 12:00", A, D, map[string]any{"on_time": true}),
		ev(casework.ActAcceptResult, "li", "2026-12-07 14:00", D, Y, nil),
		ev(casework.ActDeliver, "wu", "2026-12-08 09:30", Y, V, map[string]any{"archive_by": at("2026-12-09 17:00")}),
	}
	r := supervision.FoldAll(events, supervision.Facts{PromisedDays: 5, PickupHall: "JC-BH"}, env)
	// 12-02 14:00–17:00, 12-03 the whole day, 12-04 09:00–10:00: 12 hours.
	if len(r.Trips) != 1 || !r.Trips[0].End.Equal(at("2026-12-04 10:00")) || r.Trips[0].Minutes != 12*60 {
		t.Fatalf("trips %+v, want one of 720 minutes ending 12-04 10:00", r.Trips)
	}
	if r.Pickup == nil || r.Pickup.Hall != "JC-BH" || !r.Pickup.At.Equal(at("2026-12-08 09:30")) {
		t.Fatalf("pickup %+v", r.Pickup)
	}
	e := r.Entries()
	for k, want := range map[supervision.EntryKey]int64{
		{Day: "2026-12-04", Metric: supervision.MetricTransit}:         1,
		{Day: "2026-12-04", Metric: supervision.MetricTransitMinutes}:  720,
		{Day: "2026-12-04", Metric: supervision.TransitBucket(720)}:    1,
		{Day: "2026-12-08", Metric: supervision.PickupMetric("JC-BH")}: 1,
	} {
		if e[k] != want {
			t.Errorf("%+v: %d, want %d", k, e[k], want)
		}
	}
	if h, ok := supervision.TransitBucket(721).TransitHours(); !ok || h != 13 {
		t.Errorf("721 minutes in bucket %d, want 13", h)
	}
	moves := r.Moves("JC-BH")
	if len(moves) != 2 || moves[0].Kind != supervision.MoveTransit || moves[1].Kind != supervision.MovePickup {
		t.Errorf("moves %+v", moves)
	}
	// A mailed result is no pickup; an open trip is not counted.
	open := supervision.FoldAll(events[:2], supervision.Facts{PickupHall: "JC-BH"}, env)
	if len(open.Trips) != 1 || open.Trips[0].Arrived() || len(open.Moves("JC-BH")) != 0 {
		t.Errorf("open trip %+v", open.Trips)
	}
	for k := range open.Entries() {
		if k.Metric == supervision.MetricTransit {
			t.Errorf("an open trip counted: %+v", k)
		}
	}
}

func TestPercentile(t *testing.T) {
	b := map[int64]int64{2: 5, 4: 4, 9: 1}
	if h, ok := supervision.Percentile(b, 0.9); !ok || h != 4 {
		t.Errorf("p90 %d, want 4", h)
	}
	if h, _ := supervision.Percentile(b, 1); h != 9 {
		t.Errorf("p100 %d, want 9", h)
	}
	if _, ok := supervision.Percentile(nil, 0.9); ok {
		t.Error("a percentile of nothing")
	}
}
