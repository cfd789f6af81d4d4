package rating_test

import (
	"regexp"
	"testing"

	"github.com/onewindow/onewindow/internal/rating"
)

func TestNewKeyAndKeyForm(t *testing.T) {
	format := regexp.MustCompile(`^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$`)
	seen := map[string]bool{}
	for range 1000 {
		k := rating.NewKey()
		if !format.MatchString(k) || seen[k] {
			t.Fatalf("NewKey() = %q: want a fresh XXXX-XXXX without 0, O, 1, I", k)
		}
		seen[k] = true
		if f := rating.KeyForm(k); len(f) != rating.KeyLength {
			t.Errorf("KeyForm(%q) = %q", k, f)
		}
	}
	for typed, want := range map[string]string{
		"abcd-2345": "ABCD2345", " ABCD 2345 ": "ABCD2345", "ABCD2345": "ABCD2345",
		"ra_AbC-d_e": "ra_AbC-d_e", // an old long key stays exactly as issued
	} {
		if got := rating.KeyForm(typed); got != want {
			t.Errorf("KeyForm(%q) = %q, want %q", typed, got, want)
		}
	}
}
