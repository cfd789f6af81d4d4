package service_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/network"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/supervision"
)

// TestGeneratedTransit: generated history sends street and community
// paper on the halls' runs in batches signed out at the run and in at the
// district hall; every case a signed-in batch carries records its arrival
// in that batch at that time; the per-hall figures count exactly those
// trips, with the transit's working hours.
func TestGeneratedTransit(t *testing.T) {
	storetest.Each(t, clock.At(historyNow), func(t *testing.T, st *store.Store) {
		svc, as, _ := generated(t, st, 150)
		ctx := context.Background()
		batches, err := st.TransitBatches(ctx, store.BatchFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		arrived := 0
		for _, b := range batches {
			if b.Cargo != network.Paper || len(b.Entries) == 0 || !b.OutAt.Equal(b.Run) || b.Courier == "" || b.PreparedBy == "" {
				t.Errorf("batch %+v", b)
			}
			if b.State != network.Arrived {
				continue
			}
			if !b.InAt.After(b.Run) || b.InBy == "" {
				t.Errorf("batch %s signed in %s by %q, run %s", b.Number, b.InAt, b.InBy, b.Run)
			}
			for _, e := range b.Entries {
				v, err := svc.Case(as["jiandu"], e.Case)
				if err != nil {
					t.Fatal(err)
				}
				if v.Case.HallCode != b.From {
					t.Errorf("%s taken in at %s travels from %s", e.Case, v.Case.HallCode, b.From)
				}
				found := false
				for _, ev := range v.Events {
					var d struct {
						Batch string `json:"batch"`
						Trip  int    `json:"trip"`
					}
					_ = json.Unmarshal(ev.Details, &d)
					if ev.Type == casework.ActPaperArrive && d.Batch == b.Number && d.Trip == e.Trip && ev.At.Equal(b.InAt) {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: no arrival in batch %s at %s", e.Case, b.Number, b.InAt)
				}
				arrived++
			}
		}
		if arrived == 0 {
			t.Fatal("no paper travelled")
		}
		rows, err := svc.Supervision().Halls(as["jiandu"], service.Period{From: historyFrom.Format("2006-01-02"), To: historyNow.Format("2006-01-02")})
		if err != nil {
			t.Fatal(err)
		}
		var trips int64
		for _, r := range rows {
			trips += r.Transit.Trips
			if r.Transit.Trips > 0 && (r.Transit.Mean == nil || *r.Transit.Mean <= 0 || r.Transit.P90 == nil) {
				t.Errorf("%s transit %+v", r.Hall, r.Transit)
			}
			if r.Depth == 0 && r.Transit.Trips != 0 {
				t.Errorf("the district hall's paper travelled: %+v", r.Transit)
			}
			l, err := svc.Supervision().HallMoves(as["jiandu"], service.Period{From: historyFrom.Format("2006-01-02"), To: historyNow.Format("2006-01-02")},
				r.Hall, supervision.MoveTransit, 1000, 0)
			if err != nil || int64(l.Total) != r.Transit.Trips {
				t.Errorf("%s: %d trips, drill-down %v %+v", r.Hall, r.Transit.Trips, err, l)
			}
		}
		if trips != int64(arrived) {
			t.Errorf("the figures count %d trips, the signed-in batches carry %d", trips, arrived)
		}
	})
}
