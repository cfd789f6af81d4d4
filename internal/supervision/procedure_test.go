package supervision_test

import (
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/supervision"
)

// TestProcedureStopsTheClockAsAPause: a special procedure whose time is
// not counted (听证) is a legal pause in the figures, from its start to
// its finish; one whose time is counted (现场勘验) is not.
func TestProcedureStopsTheClockAsAPause(t *testing.T) {
	events := lifecycle()
	for i, e := range events {
		switch e.Type {
		case casework.ActPause:
			events[i] = ev(casework.ActStartProcedure, e.Actor, "2026-10-12 09:00", e.From, e.To,
				map[string]any{"procedure": "hearing", "pause_type": "hearing", "days": 2})
		case casework.ActResume:
			events[i] = ev(casework.ActFinishProcedure, e.Actor, "2026-10-14 09:00", e.From, e.To,
				map[string]any{"procedure": "hearing", "paused_days": 2, "decide_by": cal.AddWorkingDays(cal.AddWorkingDays(at("2026-10-09 16:00"), 5), 2)})
		}
	}
	r := supervision.FoldAll(events, supervision.Facts{PromisedDays: 5}, env)
	sum := map[supervision.Holder]int64{}
	for _, h := range r.Hold {
		sum[h.Holder] += h.Minutes
	}
	if sum[supervision.LegalPause] != 2*480 {
		t.Errorf("legal pause %d minutes, want 960", sum[supervision.LegalPause])
	}
	if d := r.Decision; d == nil || d.Used != 6 {
		t.Errorf("decision %+v, want 6 working days used (the hearing's 2 not counted)", d)
	}

	for i, e := range events {
		switch e.Type {
		case casework.ActStartProcedure:
			events[i] = ev(casework.ActStartProcedure, e.Actor, "2026-10-12 09:00", e.From, e.To, map[string]any{"procedure": "site_inspection"})
		case casework.ActFinishProcedure:
			events[i] = ev(casework.ActFinishProcedure, e.Actor, "2026-10-14 09:00", e.From, e.To, map[string]any{"procedure": "site_inspection"})
		}
	}
	r = supervision.FoldAll(events, supervision.Facts{PromisedDays: 5}, env)
	sum = map[supervision.Holder]int64{}
	for _, h := range r.Hold {
		sum[h.Holder] += h.Minutes
	}
	if sum[supervision.LegalPause] != 0 {
		t.Errorf("a site inspection counted %d minutes of legal pause", sum[supervision.LegalPause])
	}
}
