package store

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
)

// TestNumberedJSONIsTheCasesJSON: the JSON prepared before the number is
// taken, with the number put in afterwards, is byte for byte the JSON of
// the numbered case (what sealCase would seal), even when another field
// holds the placeholder's digits; a number of another length is refused
// (the transaction then marshals the case itself).
func TestNumberedJSONIsTheCasesJSON(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	c := &casework.Case{
		ItemCode: "SCJG-XK-001", ItemVersion: 1, ItemName: "食品经营许可（新办）", DepartmentCode: "SCJG",
		State: casework.Received, Channel: casework.AtWindow, CheckCode: "654321",
		Applicant: casework.Party{Kind: casework.Entity, Name: "某某餐饮有限公司 00000000000000", IDType: identity.CreditCode,
			IDNumber: "91320120MA1XK5T2QF", Phone: "13800000000"},
		Delivery: casework.Delivery{Method: casework.Pickup}, ReceivedAt: at, ReceivedBy: "shouli",
	}
	unnumbered := unnumberedJSON(c)
	if unnumbered == nil {
		t.Fatal("the case's JSON does not start with its number")
	}
	if c.Number != "" || c.Version != 0 {
		t.Fatalf("unnumberedJSON left the case as %q version %d", c.Number, c.Version)
	}
	for _, n := range []int64{1, 42, 999999} {
		c.Number, c.Version = caseNumber(at, n), 1
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := numberedJSON(unnumbered, c.Number)
		if !ok || !bytes.Equal(got, want) {
			t.Fatalf("numbered %s:\n%s\nwant\n%s", c.Number, got, want)
		}
	}
	if _, ok := numberedJSON(unnumbered, caseNumber(at, 1000000)); ok {
		t.Error("a 15-digit number took a 14-digit placeholder's place")
	}
	if bytes.Contains(unnumbered[len(jsonNumberHead):len(jsonNumberHead)+14], []byte("2026")) {
		t.Error("numberedJSON changed the prepared JSON in place")
	}
}
