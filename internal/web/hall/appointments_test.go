package hall_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
)

var bookingCode = regexp.MustCompile(`id="booking-code">([A-Z0-9]+)</output>`)

func TestAppointmentPages(t *testing.T) {
	eachHall(t, time.Date(2026, 2, 13, 8, 0, 0, 0, clock.Shanghai), func(t *testing.T, h *hall) {
		h.withQueue(t)
		b := h.browser(t)
		b.get("/appointments/JC-ZWZX").want(t, http.StatusOK, "预约办事", `href="?category=A"`)
		b.get("/appointments/JC-ZWZX?category=A").want(t, http.StatusOK, `data-date="2026-02-14"`)
		b.get("/appointments/JC-ZWZX?category=A&date=2026-02-17").want(t, http.StatusOK, "没有可预约的时段")
		b.get("/appointments/JC-ZWZX?category=A&date=2026-02-14").want(t, http.StatusOK, `data-slot="09:00"`, "剩余 <strong>5</strong>/5")

		form := url.Values{"category": {"A"}, "date": {"2026-02-14"}, "slot": {"09:00"}, "name": {"张三"},
			"id_number": {validID(7)}, "phone": {"13800138000"}}
		done := b.post("/appointments/JC-ZWZX", form)
		done.want(t, http.StatusCreated, "预约成功", "110105********", "138****8000", `id="no-shows">0 次`)
		done.wantNot(t, validID(7))
		m := bookingCode.FindStringSubmatch(done.body)
		if m == nil {
			t.Fatalf("no booking code\n%s", done.body)
		}
		b.get("/appointments/JC-ZWZX?category=A&date=2026-02-14").want(t, http.StatusOK, "剩余 <strong>4</strong>/5")
		b.post("/appointments/JC-ZWZX", form).want(t, http.StatusConflict, "每人每天只能预约一次")
		form.Set("phone", "12")
		form.Set("id_number", validID(8))
		b.post("/appointments/JC-ZWZX", form).wantNear(t, `id="phone"`, "手机号码")

		// Check-in at the hall: too early, then the kiosk's printable ticket.
		kiosk := h.browser(t)
		kiosk.get("/appointments/JC-ZWZX/checkin").want(t, http.StatusOK, "预约签到")
		h.clk.Set(time.Date(2026, 2, 14, 8, 20, 0, 0, clock.Shanghai))
		kiosk.post("/appointments/JC-ZWZX/checkin", url.Values{"code": {m[1]}}).want(t, http.StatusConflict, "签到时间")
		h.clk.Set(time.Date(2026, 2, 14, 9, 5, 0, 0, clock.Shanghai))
		r := kiosk.post("/appointments/JC-ZWZX/checkin", url.Values{"id_number": {validID(7)}})
		if r.status != http.StatusSeeOther || !ticketLocation.MatchString(r.location) {
			t.Fatalf("check-in: %d → %q\n%s", r.status, r.location, r.body)
		}
		kiosk.get(r.location).want(t, http.StatusOK, `id="ticket-number">A001</p>`, "预约")
		kiosk.post("/appointments/JC-ZWZX/checkin", url.Values{"code": {m[1]}}).want(t, http.StatusConflict, "已签到")
	})
}

// TestHallBookingsPage: a clerk of the hall sees the day's bookings, masked,
// and cancels one for a caller, which frees its seat; other roles are refused.
func TestHallBookingsPage(t *testing.T) {
	eachHall(t, time.Date(2026, 2, 13, 8, 0, 0, 0, clock.Shanghai), func(t *testing.T, h *hall) {
		h.withQueue(t)
		public := h.browser(t)
		form := url.Values{"category": {"A"}, "date": {"2026-02-14"}, "slot": {"09:00"}, "name": {"张三"},
			"id_number": {validID(7)}, "phone": {"13800138000"}}
		public.post("/appointments/JC-ZWZX", form).want(t, http.StatusCreated, "预约成功")

		clerk := h.signIn(t, "shouli")
		list := clerk.get("/appointments/JC-ZWZX/bookings?date=2026-02-14")
		list.want(t, http.StatusOK, "张三", "110105********", "取消预约")
		list.wantNot(t, validID(7))
		m := regexp.MustCompile(`/appointments/JC-ZWZX/bookings/(\d+)/cancel`).FindStringSubmatch(list.body)
		if m == nil {
			t.Fatalf("no cancel form:\n%s", list.body)
		}
		clerk.post("/appointments/JC-ZWZX/bookings/"+m[1]+"/cancel", url.Values{"date": {"2026-02-14"}}).want(t, http.StatusSeeOther)
		clerk.get("/appointments/JC-ZWZX/bookings?date=2026-02-14").want(t, http.StatusOK, "已取消")
		public.get("/appointments/JC-ZWZX?category=A&date=2026-02-14").want(t, http.StatusOK, "剩余 <strong>5</strong>/5")

		h.signIn(t, "shenpi").get("/appointments/JC-ZWZX/bookings?date=2026-02-14").want(t, http.StatusForbidden)
	})
}
