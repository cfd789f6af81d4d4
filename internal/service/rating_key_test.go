package service_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// shortKey is the addition key as a rater is given it: eight characters
// without the ones read alike (0/O, 1/I), in two groups.
var shortKey = regexp.MustCompile(`^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$`)

// TestRatingAdditionKey: the key is short enough to write down, works as
// typed (lower case, spaces, no dash), a key issued long before still
// works, and wrong keys lock the client out of the rating as wrong check
// codes do.
func TestRatingAdditionKey(t *testing.T) {
	clk := clock.At(rateAt)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(rateAt)
		svc, as := hall(t, st, clk)
		rate := func(ticket string) *service.RatingReceipt {
			t.Helper()
			token, err := svc.RatingToken(as["shouli"], ticket, "A01", "shouli", "JC-ZWZX")
			if err != nil {
				t.Fatal(err)
			}
			rc, err := svc.RateVisit(nobody, token, rating.Input{Level: rating.Satisfied, Channel: rating.Pad})
			if err != nil {
				t.Fatal(err)
			}
			return rc
		}
		seen := map[string]bool{}
		for i := range 20 {
			rc := rate("T-" + string(rune('a'+i)))
			if !shortKey.MatchString(rc.Key) || seen[rc.Key] {
				t.Fatalf("key %q: want 8 fresh characters of the unambiguous alphabet, as XXXX-XXXX", rc.Key)
			}
			seen[rc.Key] = true
		}
		rc := rate("T-typed")
		typed := strings.ToLower(strings.ReplaceAll(rc.Key, "-", " "))
		if _, err := svc.AddToRating(nobody, rc.Rating.ID, typed, "", rating.AdditionInput{Text: "补充"}); err != nil {
			t.Errorf("the key typed as %q: %v", typed, err)
		}

		// A rating whose key was issued long, before keys were short.
		const legacy = "ra_Qm9vdHN0cmFwIGxlZ2FjeSBrZXkgb2YgMzIgYnl0ZXM"
		sum := sha256.Sum256([]byte(legacy))
		old := &rating.Rating{Level: rating.Satisfied, Channel: rating.Pad, TicketID: "T-legacy", HallCode: "JC-ZWZX",
			Window: "A01", Clerk: "shouli", CreatedAt: rateAt, KeyHash: hex.EncodeToString(sum[:])}
		if err := st.CreateRating(context.Background(), old, "", nil, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddToRating(nobody, old.ID, strings.ToUpper(legacy), "", rating.AdditionInput{Text: "补充"}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("an old key changed in case: %v", err)
		}
		if _, err := svc.AddToRating(nobody, old.ID, legacy, "", rating.AdditionInput{Text: "补充"}); err != nil {
			t.Errorf("an old long key: %v", err)
		}

		// Guessing: ten wrong keys of one rating from one client, then
		// even the right key waits.
		target := rate("T-guessed")
		for i := range 10 {
			_, err := svc.AddToRating(nobody, target.Rating.ID, "AAAA-AAA"+string("23456789AB"[i]), "", rating.AdditionInput{Text: "x"})
			if !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("wrong key %d: %v", i+1, err)
			}
		}
		_, err := svc.AddToRating(nobody, target.Rating.ID, target.Key, "", rating.AdditionInput{Text: "补充"})
		if !apperr.Is(err, apperr.Locked) || !strings.Contains(apperr.MessageOf(err), "追加评价凭证错误次数过多") {
			t.Errorf("the right key after ten wrong ones: %v", err)
		}
	})
}
