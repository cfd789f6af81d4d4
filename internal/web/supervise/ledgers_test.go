package supervise_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/web/webtest"
)

// The ledgers page: the notice ledger with its state filter, names not
// usernames, and its exports from the same page; the case ledger beside it;
// refusals as pages.
func TestLedgerPages(t *testing.T) {
	webtest.EachHall(t, sh("2026-09-30 09:00"), func(t *testing.T, h *webtest.Hall) {
		n := scenario(t, h)
		sup := h.SignIn(t, "jiandu")
		sup.Follow(t, "/supervision/notices", url.Values{"number": {n["late"]}, "reason": {"审批决定超期半月，请说明原因"}}).
			Want(t, http.StatusOK, "已开具督办单")
		sup.Get("/supervision").Want(t, http.StatusOK, `href="/supervision/ledgers"`)

		page := sup.Get("/supervision/ledgers/notices?from=2026-11-01&to=2026-11-30")
		page.Want(t, http.StatusOK, "督办单台账", `<strong id="ledger-total">1</strong>`, n["late"], "审批决定超期半月",
			scjg, "赵敏", "待回复", "监督人员开具", `href="/cases/`+n["late"]+`"`, `<option value="overdue">逾期未回复</option>`)
		page.WantNot(t, ">jiandu<", ">SCJG<")
		sup.Get("/supervision/ledgers/notices?from=2026-11-01&to=2026-11-30&state=answered").
			Want(t, http.StatusOK, `<strong id="ledger-total">0</strong>`, "没有记录")
		sup.Get("/supervision/ledgers/notices?from=2026-11-01&to=2026-11-30&state=open").
			Want(t, http.StatusOK, `<strong id="ledger-total">1</strong>`)

		// The exports from the page's links.
		m := regexp.MustCompile(`href="([^"]+)" id="ledger-csv"`).FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatal("no CSV link")
		}
		csv := sup.Get(strings.ReplaceAll(m[1], "&amp;", "&"))
		csv.Want(t, http.StatusOK, "督办单编号", n["late"], "赵敏", "待回复")
		if !strings.HasPrefix(csv.Body, export.BOM) {
			t.Error("CSV without its BOM")
		}
		x := sup.Get("/supervision/ledgers/notices?from=2026-11-01&to=2026-11-30&format=xlsx")
		if x.Status != http.StatusOK || !strings.HasPrefix(x.Body, "PK") {
			t.Errorf("workbook: %d %.20q", x.Status, x.Body)
		}

		// The case ledger: the October decisions' cases, names not codes.
		cases := sup.Get("/supervision/ledgers?from=2026-09-01&to=2026-09-30")
		cases.Want(t, http.StatusOK, "办件台账", `<strong id="ledger-total">2</strong>`, n["late"], n["early"], scjg)
		// Refused: a bad period is said next to its field; another
		// department's ledger and the reviewer are refused whole.
		sup.Get("/supervision/ledgers/notices?from=2026-11-30&to=2026-11-01").
			Want(t, http.StatusUnprocessableEntity, `id="to-error"`, "截止日期不能早于起始日期")
		sup.Get("/supervision/ledgers/notices?state=lost").Want(t, http.StatusUnprocessableEntity, "未知的督办单状态")
		sup.Get("/supervision/ledgers/archive").Want(t, http.StatusNotFound)
		h.SignIn(t, "bumen").Get("/supervision/ledgers/notices?department=GHZY").Want(t, http.StatusForbidden)
		h.SignIn(t, "bumen").Get("/supervision/ledgers/notices?from=2026-11-01&to=2026-11-30").Want(t, http.StatusOK, n["late"])
		h.SignIn(t, "shenpi").Get("/supervision/ledgers/notices").Want(t, http.StatusForbidden)
		h.SignIn(t, "shenpi").Get("/supervision/ledgers/notices?format=csv").Want(t, http.StatusForbidden)
	})
}
