package supervise_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/webtest"
)

// hallCell returns the link and text of a cell of a hall's row on the
// per-hall page (the link empty when the number has none).
func hallCell(t *testing.T, body, hall, cls string) (string, string) {
	t.Helper()
	i := strings.Index(body, `data-hall="`+hall+`"`)
	if i < 0 {
		t.Fatalf("no row of %s\n%s", hall, body)
	}
	row := body[i:]
	row = row[:strings.Index(row, "</tr>")]
	j := strings.Index(row, `class="num `+cls+`"`)
	if j < 0 {
		t.Fatalf("no %s cell in %s", cls, row)
	}
	c := row[j:]
	c = c[strings.Index(c, ">")+1 : strings.Index(c, "</td>")]
	if m := hrefPattern.FindStringSubmatch(c); m != nil {
		return html.UnescapeString(m[1]), m[2]
	}
	return "", strings.TrimSpace(c)
}

// TestHallFiguresPage: the 各大厅 tab lists every hall by name in the order
// of the hall tree; a street case's transit and intake link to lists of
// exactly the cases they count; the spreadsheet downloads from the page; a
// hall manager sees their own hall's row only.
func TestHallFiguresPage(t *testing.T) {
	webtest.EachHall(t, sh("2026-10-13 10:00"), func(t *testing.T, h *webtest.Hall) {
		in := webtest.FoodLicence()
		for i := range in.Materials {
			in.Materials[i].Status = casework.Provided
		}
		v, err := h.Svc.Intake(h.As["shouli2"], in) // Tuesday 10:00 at 滨河
		if err != nil {
			t.Fatal(err)
		}
		b, err := h.Svc.PrepareBatch(h.As["shouli2"], service.PrepareBatchInput{To: demo.DistrictHall, Confirm: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Svc.SignOutBatch(h.As["shouli2"], b.Number, service.SignOutInput{Courier: "王师傅", Confirm: true}); err != nil {
			t.Fatal(err)
		}
		h.Clk.Set(sh("2026-10-14 10:00")) // the next run: 8 working hours on the way
		if _, err := h.Svc.SignInBatch(h.As["shouli"], b.Number, service.SignInInput{Confirm: true}); err != nil {
			t.Fatal(err)
		}
		h.Clk.Set(sh("2026-11-05 10:00"))

		sup := h.SignIn(t, "jiandu")
		sup.Get("/supervision").Want(t, http.StatusOK, `href="/supervision/halls"`, "各大厅</a>")
		page := sup.Get("/supervision/halls") // last month: October
		page.Want(t, http.StatusOK, "各大厅统计 · 2026年10月", "江川区政务服务中心", "江川区滨河街道为民服务中心", "江川区滨河街道柳荫社区便民服务站",
			"江川区新桥街道为民服务中心", `class="sv-depth-2"`)
		page.WantNot(t, ">"+demo.BinheHall+"<", ">"+demo.DistrictHall+"<")
		district, binhe := strings.Index(page.Body, `data-hall="江川区政务服务中心"`), strings.Index(page.Body, `data-hall="江川区滨河街道为民服务中心"`)
		liuyin, xinqiao := strings.Index(page.Body, `data-hall="江川区滨河街道柳荫社区便民服务站"`), strings.Index(page.Body, `data-hall="江川区新桥街道为民服务中心"`)
		if !(district < binhe && binhe < liuyin && liuyin < xinqiao) {
			t.Errorf("rows not in the order of the hall tree: %d %d %d %d", district, binhe, liuyin, xinqiao)
		}
		href, trips := hallCell(t, page.Body, "江川区滨河街道为民服务中心", "sv-trips")
		if trips != "1" || href == "" {
			t.Fatalf("滨河 trips %q (%q)", trips, href)
		}
		if _, mean := hallCell(t, page.Body, "江川区滨河街道为民服务中心", "sv-mean"); mean != "8.0 小时" {
			t.Errorf("mean transit %q, want 8.0 小时", mean)
		}
		sup.Get(href).Want(t, http.StatusOK, `<strong id="drill-total">1</strong>`, v.Case.Number, "8.0 小时", "2026-10-14 10:00")
		href, intake := hallCell(t, page.Body, "江川区滨河街道为民服务中心", "sv-intake")
		if intake != "1" {
			t.Errorf("滨河 intake %q", intake)
		}
		sup.Get(href).Want(t, http.StatusOK, `<strong id="drill-total">1</strong>`, v.Case.Number)
		if _, n := hallCell(t, page.Body, "江川区政务服务中心", "sv-trips"); n != "0" {
			t.Errorf("district trips %q", n)
		}
		// The spreadsheet from the page's link.
		csv := sup.Get("/supervision/halls?period=custom&from=2026-10-01&to=2026-10-31&format=csv")
		csv.Want(t, http.StatusOK, export.BOM+"大厅,层级,收件数", "江川区滨河街道为民服务中心,街道为民服务中心,1,0,0,2,0.00%,1,8,8,0,0,0,无数据")
		if ct := csv.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("content type %q", ct)
		}

		// A hall manager: their hall only; another hall's list refused.
		mgr := h.SignIn(t, "dating")
		mine := mgr.Get("/supervision/halls")
		mine.Want(t, http.StatusOK, `data-hall="江川区政务服务中心"`, `<strong id="sv-hall">江川区政务服务中心</strong>`)
		mine.WantNot(t, `data-hall="江川区滨河街道为民服务中心"`)
		mgr.Get("/supervision/halls/cases?from=2026-10-01&to=2026-10-31&group=hall&key="+demo.BinheHall+"&kind=transit").Want(t, http.StatusForbidden)
		// A desk clerk: refused.
		h.SignIn(t, "shouli").Get("/supervision/halls").Want(t, http.StatusForbidden)
	})
}
