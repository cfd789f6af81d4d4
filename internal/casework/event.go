package casework

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Event records one change of a case: who, when, through which desk, and
// the details. Events of a case are numbered from 1 and hash-chained: each
// hash covers the previous hash and the event's own content, so a changed
// or removed event breaks the chain from there on.
type Event struct {
	Seq      int             `json:"seq"`
	Type     Action          `json:"type"`
	Actor    string          `json:"actor"`
	Role     string          `json:"role"`
	Desk     string          `json:"desk"` // channel and place: "window:JC-ZWZX", "api", "system"
	At       time.Time       `json:"at"`
	From     State           `json:"from,omitempty"`
	To       State           `json:"to"`
	Details  json.RawMessage `json:"details"`
	PrevHash string          `json:"-"`
	Hash     string          `json:"-"`
}

// hashTimeLayout fixes the time's text in the hash: UTC, microseconds,
// which both databases keep exactly.
const hashTimeLayout = "2006-01-02T15:04:05.000000Z"

// ComputeHash returns the event's hash for the case numbered number,
// chained to prev (empty for the first event).
func (e *Event) ComputeHash(number, prev string) string {
	h := sha256.New()
	fmt.Fprintf(h, "onewindow-event-v1\n%s\n%s\n%d\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n",
		prev, number, e.Seq, e.Type, e.Actor, e.Role, e.Desk, e.At.UTC().Format(hashTimeLayout), e.From, e.To)
	h.Write(e.Details)
	return hex.EncodeToString(h.Sum(nil))
}

// Seal numbers the event after prev (nil for the first), truncates its time
// to what the databases keep, and sets its hashes.
func (e *Event) Seal(number string, prev *Event) {
	e.Seq, e.PrevHash = 1, ""
	if prev != nil {
		e.Seq, e.PrevHash = prev.Seq+1, prev.Hash
	}
	e.At = e.At.Truncate(time.Microsecond)
	if len(e.Details) == 0 {
		e.Details = json.RawMessage("{}")
	}
	e.Hash = e.ComputeHash(number, e.PrevHash)
}

// Break is a broken link of a chain.
type Break struct {
	Number string `json:"number"`
	Seq    int    `json:"seq"`
	Reason string `json:"reason"`
}

// VerifyChain checks a case's events, in order, and returns every break.
func VerifyChain(number string, events []Event) []Break {
	var out []Break
	prev := ""
	for i, e := range events {
		if e.Seq != i+1 {
			out = append(out, Break{number, e.Seq, fmt.Sprintf("expected event %d, found %d: an event is missing", i+1, e.Seq)})
		}
		if e.PrevHash != prev {
			out = append(out, Break{number, e.Seq, "prev_hash does not match the previous event's hash"})
		}
		if want := e.ComputeHash(number, e.PrevHash); e.Hash != want {
			out = append(out, Break{number, e.Seq, "hash does not match the event's content: the event was changed"})
		}
		prev = e.Hash
	}
	return out
}
