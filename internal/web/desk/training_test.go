package desk_test

import (
	"net/http"
	"testing"
)

// TestTrainingModeShowsOnPagesAndPrints: under the training clock (serve
// --now) every page carries the 培训 banner and every printed document the
// watermark, so nothing done in training passes as real; on the real
// clock neither appears.
func TestTrainingModeShowsOnPagesAndPrints(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		v, err := h.svc.Intake(h.as["shouli"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}
		clerk := h.signIn(t, "shouli")
		pages := []string{"/", "/cases/" + v.Case.Number}
		print := "/cases/" + v.Case.Number + "/print/0"
		for _, p := range pages {
			clerk.get(p).wantNot(t, "培训模式")
		}
		clerk.get(print).wantNot(t, "training-watermark")

		h.clk.SetTraining(true)
		defer h.clk.SetTraining(false)
		for _, p := range pages {
			clerk.get(p).want(t, http.StatusOK, `class="training-banner"`, "培训模式", "不产生法律效力")
		}
		clerk.get(print).want(t, http.StatusOK, `class="training-watermark"`, "培训 · 样张 · 无效", `class="sheet training"`)
		h.browser(t).get("/login").want(t, http.StatusOK, "培训模式")
	})
}
