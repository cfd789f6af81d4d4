package demo

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/identity"
)

// Made-up people and firms pass the checks intake makes, and carry the
// fictional region code.
func TestMadeUpIdentities(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		id := ResidentID(r)
		if err := identity.Validate(identity.ResidentID, id); err != nil || !strings.HasPrefix(id, "320120") {
			t.Fatalf("resident ID %s: %v", id, err)
		}
		code := CreditCode(r)
		if err := identity.Validate(identity.CreditCode, code); err != nil || !strings.HasPrefix(code, "91320120") {
			t.Fatalf("credit code %s: %v", code, err)
		}
		if n := len([]rune(PersonName(r))); n < 2 || n > 3 {
			t.Fatalf("name of %d characters", n)
		}
		if m := Mobile(r); len(m) != 11 || m[0] != '1' || m[1] < '3' {
			t.Fatalf("mobile %s", m)
		}
	}
}
