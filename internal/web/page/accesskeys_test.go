package page

import (
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
)

// Every action a person takes on a case page has its own access key, and
// none is taken by the intake form's and the one flow's keys (s, g, a, f).
func TestEveryActionHasItsOwnAccessKey(t *testing.T) {
	seen := map[string]casework.Action{"s": "(submit)", "g": "(one-time notice)", "a": "(all provided)", "f": "(finish instant)"}
	for _, a := range casework.Actions() {
		switch a {
		case casework.ActIntake, casework.ActSubmit, casework.ActLapse, casework.ActOpen:
			continue // the intake form's, the applicant's and the system's: no case page form
		}
		k := accessKey(a)
		if k == "" {
			t.Errorf("%s has no access key", a)
			continue
		}
		if other, ok := seen[k]; ok {
			t.Errorf("%s and %s share the access key %q", a, other, k)
		}
		seen[k] = a
	}
}
