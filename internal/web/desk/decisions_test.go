package desk_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
)

// TestDecisionConfirmedOnThePage: the decide form shows the decision as it
// will print, changes nothing until it is confirmed, keeps what was typed
// when sent back, refuses a refusal without its reason next to the field,
// and once confirmed links to the numbered decision to print.
func TestDecisionConfirmedOnThePage(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		v, err := h.svc.Intake(h.as["shouli"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}
		n := v.Case.Number
		h.act(t, "shenpi", n, casework.ActAccept, casework.Input{})
		h.act(t, "shenpi", n, casework.ActHandover, casework.Input{})
		h.act(t, "shouli", n, casework.ActSupply, casework.Input{Materials: []string{"M05"}})
		h.act(t, "shenpi", n, casework.ActHandover, casework.Input{})
		rev := h.signIn(t, "shenpi")
		version := func() string {
			cv, err := h.svc.Case(h.as["shenpi"], n)
			if err != nil {
				t.Fatal(err)
			}
			return strconv.Itoa(cv.Case.Version)
		}
		before := version()
		open(t, rev, "/cases/"+n).want(t, http.StatusOK, "预览决定书", "理由（不予许可必填，将写入决定书）")

		// A refusal without its reason: back on the case page, next to the field.
		p := rev.post("/cases/"+n+"/decide", url.Values{"version": {before}, "outcome": {"deny"}})
		p.want(t, http.StatusUnprocessableEntity, "不予许可须说明理由")

		form := url.Values{"version": {before}, "outcome": {"deny"}, "reason": {"经营场所与食品安全要求不符"}}
		p = rev.post("/cases/"+n+"/decide", form)
		p.want(t, http.StatusOK, "请核对将要出具的《不予行政许可决定书》", "（确认后编号）", "预览 · 尚未生效", "经营场所与食品安全要求不符",
			"六十日内向江川区人民政府申请行政复议", `name="reason" value="经营场所与食品安全要求不符"`, `name="confirm" value="1"`, "确认作出决定")
		if version() != before {
			t.Fatal("the preview changed the case")
		}
		// 返回修改: the case page's form again, with what was typed.
		edit := url.Values{"edit": {"1"}}
		for k, vs := range form {
			edit[k] = vs
		}
		rev.post("/cases/"+n+"/decide", edit).want(t, http.StatusOK, "经营场所与食品安全要求不符", "预览决定书")
		if version() != before {
			t.Fatal("going back changed the case")
		}

		form.Set("confirm", "1")
		p = rev.post("/cases/"+n+"/decide", form)
		if p.status != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", p.status, p.body)
		}
		page := rev.get(p.location)
		page.want(t, http.StatusOK, "已作出决定", "江川不准字〔2026〕第000001号", "打印不予行政许可决定书")
		cv, _ := h.svc.Case(h.as["shenpi"], n)
		last := len(cv.Documents) - 1
		if cv.Case.State != casework.Decided || cv.Documents[last].Kind != casework.DenialDecision {
			t.Fatalf("after confirming: %s, %v", cv.Case.State, cv.Documents[last].Kind)
		}
		open(t, rev, "/cases/"+n+"/print/"+strconv.Itoa(last)).want(t, http.StatusOK, "江川不准字〔2026〕第000001号", "经营场所与食品安全要求不符")

		// Refusing to accept another case: the same confirmation.
		v, err = h.svc.Intake(h.as["shouli"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}
		m := v.Case.Number
		open(t, rev, "/cases/"+m).want(t, http.StatusOK, "预览不予受理决定书", "不予受理的理由（必填）")
		rev.post("/cases/"+m+"/refuse-acceptance", url.Values{"reason": {" "}}).want(t, http.StatusUnprocessableEntity, "不予受理须说明理由")
		rev.post("/cases/"+m+"/refuse-acceptance", url.Values{"reason": {"申请事项依法不需要取得行政许可"}}).
			want(t, http.StatusOK, "《不予受理决定书》", "申请事项依法不需要取得行政许可", "确认不予受理")
		p = rev.post("/cases/"+m+"/refuse-acceptance", url.Values{"reason": {"申请事项依法不需要取得行政许可"}, "confirm": {"1"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("confirm refusal: %d %s", p.status, p.body)
		}
		rev.get(p.location).want(t, http.StatusOK, "不予受理", "江川不受字〔2026〕第000001号")
	})
}

// TestCorrectedResultOnThePage: after the issuance desk refuses a result,
// the reviewer's form holds the result's text to correct.
func TestCorrectedResultOnThePage(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		v, err := h.svc.Intake(h.as["shouli"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}
		n := v.Case.Number
		h.act(t, "shenpi", n, casework.ActAccept, casework.Input{})
		h.act(t, "shenpi", n, casework.ActHandover, casework.Input{})
		h.act(t, "shouli", n, casework.ActSupply, casework.Input{Materials: []string{"M05"}})
		h.act(t, "shenpi", n, casework.ActHandover, casework.Input{})
		h.act(t, "shenpi", n, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY1"})
		rev := h.signIn(t, "shenpi")
		h.act(t, "shenpi", n, casework.ActSubmitResult, casework.Input{})
		open(t, rev, "/cases/"+n).wantNot(t, "更正后的结果文书")
		h.act(t, "chujian", n, casework.ActRefuseResult, casework.Input{Reason: "证号与系统登记不一致"})
		open(t, rev, "/cases/"+n).want(t, http.StatusOK, "更正后的结果文书或证照名称及编号", `value="食品经营许可证 JY1"`)
		p := rev.post("/cases/"+n+"/submit-result", url.Values{"result_document": {"食品经营许可证 JY2"}, "collect_items": {""}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("resubmit: %d %s", p.status, p.body)
		}
		if cv, _ := h.svc.Case(h.as["shenpi"], n); cv.Case.ResultDocument != "食品经营许可证 JY2" {
			t.Errorf("result %q", cv.Case.ResultDocument)
		}
	})
}
