package casework_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
)

// sealedChain returns the sealed events of a case taken through its whole
// life, as the store would write them.
func sealedChain(t testing.TB, number string) []casework.Event {
	rev := reviewer("SCJG")
	h := takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30).Add(123456789*time.Nanosecond)).
		do(casework.ActAccept, casework.Input{}, rev).
		do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk).
		do(casework.ActHandover, casework.Input{}, rev).
		do(casework.ActDecide, validInput(casework.ActDecide), rev).
		do(casework.ActSubmitResult, casework.Input{}, rev).
		do(casework.ActAcceptResult, casework.Input{}, issuanceClerk)
	var out []casework.Event
	var prev *casework.Event
	for _, ev := range h.events {
		ev.Seal(number, prev)
		out = append(out, *ev)
		prev = ev
	}
	return out
}

func TestSeal(t *testing.T) {
	events := sealedChain(t, caseNumber)
	for i, e := range events {
		if e.Seq != i+1 {
			t.Errorf("event %d has seq %d", i, e.Seq)
		}
		wantPrev := ""
		if i > 0 {
			wantPrev = events[i-1].Hash
		}
		if e.PrevHash != wantPrev || len(e.Hash) != 64 || e.Hash == e.PrevHash {
			t.Errorf("event %d: prev %q hash %q, want prev %q", e.Seq, e.PrevHash, e.Hash, wantPrev)
		}
		if e.At.Nanosecond()%1000 != 0 {
			t.Errorf("event %d keeps nanoseconds %d the databases lose", e.Seq, e.At.Nanosecond())
		}
		if !json.Valid(e.Details) {
			t.Errorf("event %d details %q", e.Seq, e.Details)
		}
	}
	if want := at(2026, 3, 2, 9, 30).Add(123456 * time.Microsecond); !events[0].At.Equal(want) {
		t.Errorf("sealed time %s, want %s", events[0].At, want)
	}
	// An event without details is sealed with an empty object.
	e := casework.Event{Type: casework.ActAccept, Actor: "x", At: at(2026, 3, 2, 10, 0), To: casework.Accepted}
	e.Seal(caseNumber, nil)
	if string(e.Details) != "{}" || e.Seq != 1 || e.PrevHash != "" {
		t.Errorf("sealed first event: seq %d prev %q details %s", e.Seq, e.PrevHash, e.Details)
	}
}

func TestVerifyChain(t *testing.T) {
	if got := casework.VerifyChain(caseNumber, sealedChain(t, caseNumber)); len(got) != 0 {
		t.Fatalf("an intact chain breaks: %v", got)
	}
	if got := casework.VerifyChain(caseNumber, nil); len(got) != 0 {
		t.Errorf("no events: %v", got)
	}
	// Read back from a database: the time comes back in UTC and the
	// details as the same bytes.
	back := sealedChain(t, caseNumber)
	for i := range back {
		back[i].At = back[i].At.UTC()
	}
	if got := casework.VerifyChain(caseNumber, back); len(got) != 0 {
		t.Errorf("the chain read back in UTC breaks: %v", got)
	}

	tests := []struct {
		name   string
		tamper func([]casework.Event) []casework.Event
		seqs   []int // the seqs of the breaks, in order
	}{
		{"details changed", func(es []casework.Event) []casework.Event {
			es[3].Details = json.RawMessage(`{"materials":["M04"],"on_time":true}`)
			return es
		}, []int{4}},
		{"actor changed", func(es []casework.Event) []casework.Event {
			es[4].Actor = "someone-else"
			return es
		}, []int{5}},
		{"time changed by a second", func(es []casework.Event) []casework.Event {
			es[1].At = es[1].At.Add(-time.Second)
			return es
		}, []int{2}},
		{"state changed", func(es []casework.Event) []casework.Event {
			es[4].To = casework.Accepted
			return es
		}, []int{5}},
		{"desk changed", func(es []casework.Event) []casework.Event {
			es[0].Desk = "api"
			return es
		}, []int{1}},
		{"last event changed", func(es []casework.Event) []casework.Event {
			es[len(es)-1].Type = casework.ActRefuseResult
			return es
		}, []int{7}},
		{"changed and re-hashed: the next link breaks", func(es []casework.Event) []casework.Event {
			es[2].Actor = "someone-else"
			es[2].Hash = es[2].ComputeHash(caseNumber, es[2].PrevHash)
			return es
		}, []int{4}},
		{"a middle event removed", func(es []casework.Event) []casework.Event {
			return slices.Delete(es, 2, 3)
		}, []int{4, 4, 5, 6, 7}},
		{"the first event removed", func(es []casework.Event) []casework.Event {
			return es[1:]
		}, []int{2, 2, 3, 4, 5, 6, 7}},
		{"two events swapped", func(es []casework.Event) []casework.Event {
			es[2], es[3] = es[3], es[2]
			return es
		}, []int{4, 4, 3, 3, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			breaks := casework.VerifyChain(caseNumber, tt.tamper(sealedChain(t, caseNumber)))
			var seqs []int
			for _, b := range breaks {
				seqs = append(seqs, b.Seq)
				if b.Number != caseNumber || b.Reason == "" {
					t.Errorf("break %+v", b)
				}
			}
			if !slices.Equal(seqs, tt.seqs) {
				t.Errorf("breaks at %v, want %v: %v", seqs, tt.seqs, breaks)
			}
		})
	}

	// The chain of one case does not verify as another's.
	if got := casework.VerifyChain("JC-20260302-0002", sealedChain(t, caseNumber)); len(got) == 0 || got[0].Seq != 1 {
		t.Errorf("another case's chain verifies: %v", got)
	}
}

func TestComputeHash(t *testing.T) {
	e := sealedChain(t, caseNumber)[1]
	h1 := e.ComputeHash(caseNumber, e.PrevHash)
	h2 := e.ComputeHash(caseNumber, e.PrevHash)
	if h1 != h2 || h1 != e.Hash {
		t.Errorf("the same event hashes to %s, %s and %s", h1, h2, e.Hash)
	}
	if other := e.ComputeHash("JC-20260302-0002", e.PrevHash); other == h1 {
		t.Error("the hash does not depend on the case number")
	}
	if other := e.ComputeHash(caseNumber, ""); other == h1 {
		t.Error("the hash does not depend on the previous hash")
	}
	// The zone a time is read in does not matter; the instant does.
	u := e
	u.At = e.At.UTC()
	if u.ComputeHash(caseNumber, e.PrevHash) != h1 {
		t.Error("the hash depends on the time's zone")
	}
	// A pinned value (worked out with sha256sum over the v1 layout):
	// changing what the hash covers breaks every stored chain, so it must
	// be a deliberate change with a new version prefix.
	pinned := casework.Event{Seq: 1, Type: casework.ActIntake, Actor: "zhangsl", Role: "intake", Desk: "window:JC-ZWZX",
		At: time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC), To: casework.Received, Details: json.RawMessage(`{}`)}
	const want = "b3bf17700c33870f5c7301cd2db41f6e93026dca868e95b3a05bd4b376c52850"
	if got := pinned.ComputeHash(caseNumber, ""); got != want {
		t.Errorf("pinned event hashes to %s, want %s", got, want)
	}
}
