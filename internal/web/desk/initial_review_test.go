package desk_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
)

// renewal applies for SCJG-XK-002, which the demo delegates to the
// street's initial review (委托初审).
func renewal() casework.Intake {
	in := foodLicence()
	in.ItemCode, in.Materials = "SCJG-XK-002", nil
	for _, code := range []string{"M01", "M02", "M03", "M04"} {
		in.Materials = append(in.Materials, casework.MaterialInput{Code: code, Status: casework.Provided})
	}
	return in
}

// TestInitialReviewPages: the street reviewer finds the case taken in at
// 滨河街道 on their tasks and on 委托初审 with its deadline after the
// National Day holiday; the department's case page offers no acceptance
// and says why; the street reviewer passes it from the list; the
// department then accepts, and the record names both people by name.
// The case page offers the initial return with its correction form.
func TestInitialReviewPages(t *testing.T) {
	eachHall(t, deskStart, func(t *testing.T, h *hall) {
		v, err := h.svc.Intake(h.as["shouli2"], renewal())
		if err != nil {
			t.Fatal(err)
		}
		number := v.Case.Number
		street, dept := h.signIn(t, "chushen"), h.signIn(t, "shenpi")
		open(t, street, "/").want(t, http.StatusOK, `href="/initial-review"`, "委托初审", number, "本街道收件、待委托初审的办件")
		p := open(t, street, "/initial-review")
		p.want(t, http.StatusOK, "江川区滨河街道为民服务中心", "待初审", number, "2026-10-08 17:00", `action="/cases/`+number+`/pass-initial-review"`)
		p.wantNot(t, "chushen", "JC-BHJD")
		c := open(t, street, "/cases/"+number)
		c.want(t, http.StatusOK, `id="form-pass-initial-review"`, `id="form-return-initial-review"`, "初审意见", "待江川区滨河街道为民服务中心初审", "初审期限")
		d := open(t, dept, "/cases/"+number)
		d.want(t, http.StatusOK, "江川区滨河街道为民服务中心初审通过后，部门方可受理")
		d.wantNot(t, `id="form-accept"`)
		dept.post("/cases/"+number+"/accept", url.Values{"version": {"1"}}).want(t, http.StatusConflict)

		p = street.follow(t, "/cases/"+number+"/pass-initial-review", url.Values{"version": {"1"}, "back": {"/initial-review"}})
		p.want(t, http.StatusOK, "已初审通过", "已初审通过，待部门受理", "初审：陈静（江川区滨河街道为民服务中心）")
		a := dept.follow(t, "/cases/"+number+"/accept", url.Values{"version": {"2"}})
		a.want(t, http.StatusOK, "已受理", "初审：陈静（江川区滨河街道为民服务中心）；受理：王建国")
		a.wantNot(t, "chushen")
	})
}

// TestInitialReviewInTheItemEditor: the bureau admin chooses 委托初审 for
// an item; a department admin reads it, fixed.
func TestInitialReviewInTheItemEditor(t *testing.T) {
	eachHall(t, deskStart, func(t *testing.T, h *hall) {
		h.signIn(t, "admin").get("/admin/items/SCJG-XK-002/edit").
			want(t, http.StatusOK, `name="initial_review_days"`, `<option value="1" selected>委托街道初审，1 个工作日内</option>`)
		p := h.signIn(t, "bumen").get("/admin/items/SCJG-XK-002/edit")
		p.want(t, http.StatusOK, "委托初审：委托街道初审，1 个工作日内（由行政审批局设定）")
		p.wantNot(t, `name="initial_review_days"`)
		h.signIn(t, "shouli").get("/items/SCJG-XK-002").want(t, http.StatusOK, "委托初审", "由街道初审人员在 1 个工作日内初审材料")
		h.signIn(t, "admin").get("/admin/items/SCJG-XK-002/versions/1").want(t, http.StatusOK, "委托初审", "委托街道初审，1 个工作日内")
	})
}
