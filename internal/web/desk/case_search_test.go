package desk_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
)

// visibleText is what a person reads of a page: its text without tags and
// attribute values.
func visibleText(body string) string {
	return regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(body, " ")
}

// TestCaseSearchPage finds cases on /cases by phone, days received, item,
// department and clerk; the item, department and clerk are chosen by name
// (no username or code is shown), the search is kept in the form and in
// the pager, and bad input is refused next to its field.
func TestCaseSearchPage(t *testing.T) {
	eachHall(t, deskStart, func(t *testing.T, h *hall) {
		in := foodLicence()
		in.Applicant.Phone = "13912345678"
		a, err := h.svc.Intake(h.as["shouli"], in)
		if err != nil {
			t.Fatal(err)
		}
		h.clk.Set(time.Date(2026, 10, 8, 10, 0, 0, 0, clock.Shanghai))
		in.Applicant.Phone = "13800001111"
		b, err := h.svc.Intake(h.as["shouli2"], in)
		if err != nil {
			t.Fatal(err)
		}
		link := func(n string) string { return `href="/cases/` + n + `"` }
		sup := h.signIn(t, "jiandu")

		p := sup.get("/cases")
		p.want(t, http.StatusOK, "申请人联系电话", "收件日期", "收件人", `<option value="shouli2">吴婷</option>`,
			`<optgroup label="江川区市场监督管理局">`, `>食品经营许可（新办）</option>`, `>江川区市场监督管理局</option>`)
		if text := visibleText(p.body); strings.Contains(text, "shouli") || strings.Contains(text, "SCJG") {
			t.Errorf("the search page shows a username or a code:\n%s", text)
		}

		p = sup.get("/cases?" + url.Values{"phone": {"139 1234 5678"}}.Encode())
		p.want(t, http.StatusOK, link(a.Case.Number), "共 1 件", `value="139 1234 5678"`)
		p.wantNot(t, link(b.Case.Number))

		p = sup.get("/cases?" + url.Values{"clerk": {"shouli2"}, "department": {"SCJG"}, "item": {"SCJG-XK-001"}}.Encode())
		p.want(t, http.StatusOK, link(b.Case.Number), `<option value="shouli2" selected>吴婷</option>`)
		p.wantNot(t, link(a.Case.Number))

		p = sup.get("/cases?" + url.Values{"from": {"2026-09-30"}, "to": {"2026-09-30"}}.Encode())
		p.want(t, http.StatusOK, link(a.Case.Number), `value="2026-09-30"`)
		p.wantNot(t, link(b.Case.Number))

		p = sup.get("/cases?" + url.Values{"from": {"2026-10-09"}, "to": {"2026-10-08"}, "phone": {"1391"}}.Encode())
		p.want(t, http.StatusUnprocessableEntity, "收件日期的结束日不能早于开始日", "请填写完整的手机号或固定电话")

		// A hall's clerk is offered the staff of their own hall.
		p = h.signIn(t, "shouli").get("/cases")
		p.want(t, http.StatusOK, `<option value="shouli">张晓梅</option>`)
		p.wantNot(t, "吴婷")
	})
}
