package hall_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
)

// progressPath is the progress page's address for number and code.
func progressPath(number, code string) string {
	return "/progress?" + url.Values{"number": {number}, "code": {code}}.Encode()
}

func TestProgressPage(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		v, err := h.svc.Intake(h.as["shouli"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}
		n, code := v.Case.Number, v.Case.CheckCode
		private := []string{companyName, identity.Mask(companyCode), companyPhone, "shouli", "张晓梅"}
		stranger := h.browser(t)

		p := open(t, stranger, "/progress")
		if p.status != http.StatusOK {
			t.Fatalf("the form: %d", p.status)
		}
		p.has(t, "the form", `name="number"`, `name="code"`, "查询码", "不显示申请人的任何个人信息")

		// From the QR code of a document other than the receipt: the form
		// with the number filled in.
		p = open(t, stranger, "/progress?number="+n)
		if p.status != http.StatusOK {
			t.Fatalf("the form with a number: %d", p.status)
		}
		p.has(t, "the form with a number", `value="`+n+`"`)
		p.hasNot(t, "the form with a number", "食品经营许可", "已收件")

		// From the receipt's QR code: the progress, with no personal data.
		p = open(t, stranger, progressPath(n, code))
		if p.status != http.StatusOK {
			t.Fatalf("progress: %d %s", p.status, p.body)
		}
		p.has(t, "progress", n, "食品经营许可（新办）", "江川区市场监督管理局", "已收件，等待部门受理", "受理期限", "容缺材料补齐期限",
			"剩余", "个工作日", "下一步", "食品安全管理人员任命文件及培训考核证明", "江川区政务服务中心")
		p.hasNot(t, "progress", private...)
		if got := p.header.Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("Referrer-Policy %q: the check code in the URL would leak", got)
		}

		// A wrong code and an unknown number get the same page but for the
		// number typed.
		wrong := "975318"
		if code == wrong {
			wrong = "135792"
		}
		unknown := n[:8] + "999999"
		bad := open(t, stranger, progressPath(n, wrong))
		none := open(t, stranger, progressPath(unknown, code))
		for _, r := range []struct {
			name string
			p    reply
		}{{"wrong code", bad}, {"unknown number", none}} {
			if r.p.status != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", r.name, r.p.status)
			}
			r.p.has(t, r.name, "办件编号或查询码不正确")
			r.p.hasNot(t, r.name, "食品经营许可", "已收件", wrong, code)
			r.p.hasNot(t, r.name, private...)
		}
		if strings.ReplaceAll(bad.body, n, "N") != strings.ReplaceAll(none.body, unknown, "N") {
			t.Errorf("a wrong code and an unknown number answer differently:\n%s\n----\n%s", bad.body, none.body)
		}

		p = open(t, stranger, "/progress?number="+n+"&code=")
		if p.status != http.StatusUnprocessableEntity {
			t.Errorf("no code: status %d, want 422", p.status)
		}
		p.has(t, "no code", "请输入查询码", `value="`+n+`"`)

		// Returned: what to bring back, by the handbook's names, without
		// the reviewer's words.
		h.act(t, "shenpi", n, casework.ActReturn, casework.Input{Reason: returnReason + "，请联系王建国", Corrections: []string{"M03"}})
		p = open(t, stranger, progressPath(n, code))
		p.has(t, "returned", "已退回，请按材料补齐补正通知书补正材料", "逾期未补齐的，终止办理", "与食品经营相适应的主要设备设施、经营布局、操作流程等文件", "重新提交")
		p.hasNot(t, "returned", append(private, returnReason, "王建国", "shenpi")...)

		// Paused: the legal ground, and where the deadline moves.
		h.act(t, "shouli", n, casework.ActResubmit, casework.Input{Materials: []string{"M03"}})
		h.act(t, "shenpi", n, casework.ActAccept, casework.Input{})
		h.act(t, "shenpi", n, casework.ActPause, casework.Input{PauseType: casework.ExpertReview, Reason: "请专家评审"})
		p = open(t, stranger, progressPath(n, code))
		p.has(t, "paused", "已受理，审查暂停计时（专家评审）", "暂停计时", "第四十五条", "如今天恢复，顺延至")
		p.hasNot(t, "paused", "请专家评审")

		// A signed-in clerk sees the same public page.
		p = open(t, h.signIn(t, "shouli"), progressPath(n, code))
		p.has(t, "as a clerk", "已受理，审查暂停计时（专家评审）")
		p.hasNot(t, "as a clerk", companyName)
	})
}
