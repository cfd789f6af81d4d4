package store_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestElectronicResultReferenced: a case's electronic result is
// referenced (and so never collected) in the transaction of the step that
// carries it, and comes back with its verification code; a result naming
// a file never uploaded changes nothing.
func TestElectronicResultReferenced(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		res, other := upload(t, st, "result", start), upload(t, st, "other", start)
		cs := &casework.Case{
			ItemCode: "SCJG-XK-001", ItemVersion: 1, ItemName: "x", DepartmentCode: "SCJG", State: casework.Received,
			Channel: casework.AtWindow, ReceivedAt: start, CheckCode: "123456",
			Materials: []casework.CaseMaterial{{Code: "M01"}},
		}
		ev := &casework.Event{Type: casework.ActIntake, Actor: "a", Role: "intake", Desk: "window", At: start,
			To: casework.Received, Details: json.RawMessage(`{}`)}
		must(t, st.CreateCase(ctx, cs, ev, casework.Opened))
		later := start.Add(time.Hour)
		step := func(f casework.FileRef) error {
			_, err := st.UpdateCase(ctx, cs.Number, func(x *casework.Case) (casework.Change, error) {
				x.Electronic = &casework.ElectronicResult{File: f, Code: "ABCD2345", SubmittedAt: later, SubmittedBy: "r"}
				return casework.Change{Event: &casework.Event{Type: casework.ActSubmitResult, Actor: "r", Role: "reviewer", Desk: "web", At: later,
					From: x.State, To: x.State, Details: json.RawMessage(`{}`)}}, nil
			})
			return err
		}
		ghost := other
		ghost.Key = "2026/03/09/" + ghost.SHA256[:10] + "0000000000000000000000000000000000000000000000000000ff"
		wantField(t, step(ghost), "files")
		if got, err := st.Case(ctx, cs.Number); err != nil || got.Electronic != nil || got.Version != 1 {
			t.Fatalf("after a refused step: %+v, %v", got, err)
		}
		must(t, step(res))
		got, err := st.Case(ctx, cs.Number)
		must(t, err)
		if got.Electronic == nil || got.Electronic.File.SHA256 != res.SHA256 || got.Electronic.Code != "ABCD2345" {
			t.Fatalf("electronic result read back: %+v", got.Electronic)
		}
		if keys := collectable(t, st, later.Add(48*time.Hour)); len(keys) != 1 || keys[0] != other.Key {
			t.Errorf("collectable: %q, want only the unreferenced file", keys)
		}
		if held := caseHeld(t, st); held != res.Key {
			t.Errorf("case-held files: %q, want the result", held)
		}
	})
}
