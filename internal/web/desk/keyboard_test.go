package desk_test

import (
	"net/http"
	"testing"
)

// TestKeyboardFirst: the intake form opens with the focus on its first
// field (the first material's mark) and every action on the case page has
// an access key.
func TestKeyboardFirst(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		clerk := h.signIn(t, "shouli")
		clerk.get("/intake/SCJG-XK-001").want(t, http.StatusOK, `value="missing" checked autofocus>`, `id="all-provided" accesskey="a"`)
		v, err := h.svc.Intake(h.as["shouli"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}
		h.signIn(t, "shenpi").get("/cases/"+v.Case.Number).want(t, http.StatusOK,
			`accesskey="j" title="快捷键 Alt+j">受理</button>`, `accesskey="t" title="快捷键 Alt+t">退回补正</button>`)
	})
}
