package desk_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/demo"
)

// TestTransitPages: a street clerk's case waits on the transit page, is
// batched, printed with its barcode and signed out at the street; the
// district hall signs it in with a damaged material, which goes back.
// The wrong hall is offered neither form and refused if it posts.
func TestTransitPages(t *testing.T) {
	eachHall(t, deskStart, func(t *testing.T, h *hall) {
		v, err := h.svc.Intake(h.as["shouli2"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}
		number := v.Case.Number
		street, district := h.signIn(t, "shouli2"), h.signIn(t, "shouli")
		street.get("/").want(t, http.StatusOK, `href="/transit"`)
		// 领取大厅: the halls that issue, the street centre by default; the
		// community station, which issues nothing, is not offered.
		form := street.get("/intake/SCJG-XK-001")
		form.want(t, http.StatusOK, `name="pickup_hall"`, `<option value="`+demo.BinheHall+`" selected>`, "江川区政务服务中心")
		form.wantNot(t, demo.LiuyinHall)
		street.get("/cases/"+number).want(t, http.StatusOK, "领取大厅", "大厅间交接", "纸质材料：从江川区滨河街道为民服务中心送往江川区政务服务中心")
		p := street.get("/transit")
		p.want(t, http.StatusOK, "纸质申请材料 · 送往江川区政务服务中心", number, "送往江川区政务服务中心", "2026-10-08 10:00")

		p = street.post("/transit/batches", url.Values{"to": {demo.DistrictHall}, "confirm": {"1"}})
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/transit/batches/JJ") {
			t.Fatalf("prepare: %d %s %s", p.status, p.location, p.body)
		}
		path := p.location
		batch := strings.TrimPrefix(path, "/transit/batches/")
		street.get(path).want(t, http.StatusOK, "已组批，待签出", number, `action="`+path+`/sign-out"`, "吴婷")
		street.get(path+"/print").want(t, http.StatusOK, "纸质材料交接单", batch, "data:image/png;base64", "江川区滨河街道为民服务中心")
		district.get(path).wantNot(t, `action="`+path+`/sign-out"`)
		district.post(path+"/sign-out", url.Values{"courier": {"王师傅"}, "confirm": {"1"}}).want(t, http.StatusForbidden)
		street.follow(t, path+"/sign-out", url.Values{"courier": {"王师傅"}, "confirm": {"1"}}).want(t, http.StatusOK, "已签出", "在途", "王师傅")

		street.post(path+"/sign-in", url.Values{"confirm": {"1"}}).want(t, http.StatusForbidden)
		p = district.get(path)
		p.want(t, http.StatusOK, `action="`+path+`/sign-in"`, `name="problem_`+number+`_M01"`)
		p = district.follow(t, path+"/sign-in", url.Values{"confirm": {"1"}, "problem_" + number + "_M01": {"damaged"}, "note_" + number + "_M01": {"水渍"}})
		p.want(t, http.StatusOK, "已签收", "签收时登记的问题", "损毁", "水渍", "已退回")
		street.get("/transit").want(t, http.StatusOK, number, "重新交接")
	})
}
