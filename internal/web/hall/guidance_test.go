package hall_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
)

func TestGuidancePage(t *testing.T) {
	eachHall(t, time.Date(2026, 9, 30, 9, 0, 0, 0, clock.Shanghai), func(t *testing.T, h *hall) {
		b := h.signIn(t, "shouli")
		b.get("/guidance?q=SCJG").want(t, http.StatusOK, "导办登记", "SCJG-XK-001", "今天还没有导办记录")

		// Refused: each message next to its field, what was typed kept.
		p := b.post("/guidance", url.Values{"items": {"SCJG-XK-001 NOPE-9"}, "note": {strings.Repeat("长", service.GuidanceNoteMax+1)}, "ticket": {"A042"}})
		p.want(t, http.StatusUnprocessableEntity, "NOPE-9", `value="SCJG-XK-001 NOPE-9"`, `value="A042"`)
		p.wantNear(t, `name="items"`, "NOPE-9")
		p.wantNear(t, `name="note"`, "说明至多")
		if !strings.Contains(p.body, "请选择处理结果") {
			t.Errorf("no outcome message\n%s", p.body)
		}
		p = b.post("/guidance", url.Values{"items": {"SCJG-XK-001"}, "ticket": {"A042"}, "outcome": {"answered"}})
		p.wantNear(t, `name="ticket"`, "A042")
		if !strings.Contains(p.body, `value="answered" checked`) {
			t.Errorf("outcome not kept")
		}

		page := b.follow(t, "/guidance", url.Values{"items": {"scjg-xk-001，SCJG-XK-002"}, "note": {"问变更登记"}, "outcome": {"sent_to_window"}})
		page.want(t, http.StatusOK, "已登记导办咨询", "SCJG-XK-002", "问变更登记", "引导至窗口", "张晓梅")
		page.wantNot(t, "<td>shouli</td>")

		h.signIn(t, "shenpi").get("/guidance").want(t, http.StatusForbidden)
	})
}

func TestQueueFiguresPage(t *testing.T) {
	eachHall(t, time.Date(2026, 9, 30, 9, 0, 0, 0, clock.Shanghai), func(t *testing.T, h *hall) {
		hallCode := demo.DistrictHall
		if err := h.svc.CreateCategory(h.as["admin"], &queue.Category{HallCode: hallCode, Code: "A", Name: "企业开办", Prefix: "A", Hours: queue.DefaultHours(), DailyCap: 100}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.TakeTicket(t.Context(), service.TicketRequest{Hall: hallCode, Category: "A"}); err != nil {
			t.Fatal(err)
		}
		h.clk.Advance(12 * time.Minute)
		if _, err := h.svc.Resume(h.as["shouli"], hallCode, "A01"); err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.CallNext(h.as["shouli"], hallCode, "A01"); err != nil {
			t.Fatal(err)
		}
		b := h.signIn(t, "jiandu")
		p := b.get("/queue/figures?hall=" + hallCode)
		p.want(t, http.StatusOK, "按窗口", "按取号类别", "按时段", `id="window-A01"`, `id="category-A"`, `id="hour-09"`, "12.0")
		p = b.get("/queue/figures?hall=" + hallCode + "&from=2026-09-30&to=2026-09-01")
		p.want(t, http.StatusUnprocessableEntity, "截止日期不能早于起始日期")
		p.wantNear(t, `name="to"`, "截止日期不能早于起始日期")
		b.get("/queue/figures?hall="+hallCode+"&from=bad").wantNear(t, `name="from"`, "起始日期格式")
		h.signIn(t, "shouli2").get("/queue/figures?hall="+hallCode).want(t, http.StatusForbidden)
	})
}
