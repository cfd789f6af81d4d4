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

// TestWindowBundleOneReceipt: a joint application taken in at the window
// prints one receipt notice with every member's case number and check code
// and each material once, named for the items it serves.
func TestWindowBundleOneReceipt(t *testing.T) {
	eachHall(t, onlineDeskStart, func(t *testing.T, h *hall) {
		clerk := h.signIn(t, "shouli")
		f := deskBundleForm()
		f.Del("material.SCJG-XK-001.M02")
		f.Del("material.CGJ-XK-002.M02")
		f.Set("shared.0", "provided")
		p := clerk.post("/intake/bundles", f)
		if p.status != http.StatusSeeOther {
			t.Fatalf("take in: %d\n%s", p.status, p.body)
		}
		number := strings.TrimPrefix(p.location, "/bundles/")
		clerk.get(p.location).want(t, http.StatusOK, `href="/bundles/`+number+`/print"`, "打印一件事收件通知书")
		bv, err := h.svc.Bundle(h.as["shouli"], number)
		if err != nil {
			t.Fatal(err)
		}
		sheet := clerk.get("/bundles/" + number + "/print")
		want := []string{"一件事收件通知书", number, "开办餐饮店“一件事”", "张晓梅", "江川区政务服务中心", "企业经营范围变更登记办结后受理",
			"食品经营许可（新办）、设置大型户外广告审批"}
		for _, cv := range bv.Cases {
			want = append(want, cv.Case.Number, cv.Case.CheckCode)
		}
		sheet.want(t, http.StatusOK, want...)
		if n := strings.Count(sheet.body, "<td>营业执照或者其他主体资格证明文件</td>"); n != 1 {
			t.Errorf("the shared material is listed %d times, want once", n)
		}
		sheet.wantNot(t, deskCode, "shouli")
		h.signIn(t, "shenpi2").get("/bundles/"+number+"/print").want(t, http.StatusForbidden)
	})
}
