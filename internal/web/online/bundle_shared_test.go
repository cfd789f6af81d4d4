package online_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
)

// TestWindowBundleSharedMaterials: a material two members ask for under
// one name (营业执照或者其他主体资格证明文件: the food licence and the
// signboard) is checked once among the shared materials, and its one mark
// counts for both members.
func TestWindowBundleSharedMaterials(t *testing.T) {
	eachHall(t, onlineDeskStart, func(t *testing.T, h *hall) {
		clerk := h.signIn(t, "shouli")
		p := clerk.get("/intake/bundles/YJS-CY")
		p.want(t, http.StatusOK, "共用材料", `name="shared.0"`, "营业执照或者其他主体资格证明文件", "见「共用材料」")
		p.wantNot(t, `name="material.SCJG-XK-001.M02"`, `name="material.CGJ-XK-002.M02"`)

		f := deskBundleForm()
		f.Del("material.SCJG-XK-001.M02")
		f.Del("material.CGJ-XK-002.M02")
		f.Set("shared.0", "missing")
		p = clerk.post("/intake/bundles", f)
		p.want(t, http.StatusUnprocessableEntity, "未收件")

		f.Set("shared.0", "provided")
		p = clerk.post("/intake/bundles", f)
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/bundles/") {
			t.Fatalf("take in: %d → %q\n%s", p.status, p.location, p.body)
		}
		bv, err := h.svc.Bundle(h.as["shouli"], strings.TrimPrefix(p.location, "/bundles/"))
		if err != nil {
			t.Fatal(err)
		}
		for _, cv := range bv.Cases {
			if cv.Case.ItemCode != "SCJG-XK-001" && cv.Case.ItemCode != "CGJ-XK-002" {
				continue
			}
			for _, m := range cv.Case.Materials {
				if m.Code == "M02" && m.Status != casework.Provided {
					t.Errorf("%s M02 is %s, want provided by the shared mark", cv.Case.ItemCode, m.Status)
				}
			}
		}
	})
}
