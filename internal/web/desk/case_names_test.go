package desk_test

import (
	"net/http"
	"testing"
)

// TestCasePageNamesPeopleAndHall: the case page says who received the case
// and where by the clerk's real name and the hall's name, never by the
// username or the hall's code.
func TestCasePageNamesPeopleAndHall(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		v, err := h.svc.Intake(h.as["shouli"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}
		p := h.signIn(t, "shenpi").get("/cases/" + v.Case.Number)
		p.want(t, http.StatusOK, "张晓梅 · 江川区政务服务中心 · 窗口")
		p.wantNot(t, "· shouli", "· JC-ZWZX")
	})
}
