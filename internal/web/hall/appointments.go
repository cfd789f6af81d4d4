package hall

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The appointment pages (预约, issue 5): the public booking page of a hall
// (category, then date, then slot with its free seats), its confirmation
// showing the booking code once, cancelling by that code, and the hall's
// check-in kiosk that turns a booking into an appointment-priority ticket
// and prints it as the ticket kiosk does.

// appointmentData is the booking page: the choices made so far and what
// may be chosen next.
type appointmentData struct {
	Hall       org.Hall
	Categories []queue.Category
	Category   string          // chosen category code
	Days       []calendar.Date // bookable days, once a category is chosen
	Date       string          // chosen date
	Slots      []service.Slot  // the date's slots
	Booking    *service.BookingView
	Code       string // the booking code, on the confirmation only
}

func (h *Handlers) appointmentData(r *http.Request, category, date string) (*appointmentData, error) {
	ctx := r.Context()
	hall, err := h.HallNamed(r, r.PathValue("hall"))
	if err != nil {
		return nil, err
	}
	d := &appointmentData{Hall: hall, Category: category, Date: date}
	if d.Categories, err = h.svc.Categories(ctx, hall.Code); err != nil {
		return nil, err
	}
	if category == "" {
		return d, nil
	}
	if d.Days, err = h.svc.AppointmentDays(ctx, hall.Code); err != nil {
		return nil, err
	}
	if date == "" {
		return d, nil
	}
	day, err := calendar.ParseDate(date)
	if err != nil {
		return nil, err
	}
	d.Slots, err = h.svc.AppointmentSlots(ctx, hall.Code, category, day)
	return d, err
}

// appointmentPage is the public booking page; ?category= and ?date= carry
// the choices made.
func (h *Handlers) appointmentPage(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "预约办事"}
	q := r.URL.Query()
	d, err := h.appointmentData(r, q.Get("category"), q.Get("date"))
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	v.Title, v.Data = d.Hall.Name+" 预约办事", d
	h.Render(w, r, http.StatusOK, "appointment", v)
}

// appointmentBook books the chosen slot and shows the confirmation with
// the booking code; it is not redirected, so the code is shown once and
// kept nowhere.
func (h *Handlers) appointmentBook(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "预约办事"}
	if err := r.ParseForm(); err != nil {
		h.Render(w, r, h.FormError(r, &v, apperr.New(apperr.Invalid, "表单有误，请重试")), "error", v)
		return
	}
	f := r.PostForm
	d, err := h.appointmentData(r, f.Get("category"), f.Get("date"))
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	v.Title, v.Data = d.Hall.Name+" 预约办事", d
	day, _ := calendar.ParseDate(f.Get("date"))
	bv, code, err := h.svc.Book(r.Context(), service.BookingRequest{Hall: d.Hall.Code, Category: f.Get("category"), Date: day,
		Slot: f.Get("slot"), Name: f.Get("name"), IDNumber: f.Get("id_number"), Phone: f.Get("phone")})
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "appointment", v)
		return
	}
	d.Booking, d.Code = bv, code
	v.Title = "预约成功"
	h.Render(w, r, http.StatusCreated, "appointment_done", v)
}

// appointmentCancel cancels the booking whose code is given.
func (h *Handlers) appointmentCancel(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "取消预约"}
	if err := r.ParseForm(); err != nil {
		h.Render(w, r, h.FormError(r, &v, apperr.New(apperr.Invalid, "表单有误，请重试")), "error", v)
		return
	}
	d, err := h.appointmentData(r, "", "")
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	v.Data = d
	bv, err := h.svc.CancelByCode(r.Context(), r.PostForm.Get("code"))
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "appointment", v)
		return
	}
	d.Booking = bv
	h.Render(w, r, http.StatusOK, "appointment_done", v)
}

// checkInData is the check-in kiosk; Ticket is set when a booking was
// turned into a ticket that has no follow token (shown by number).
type checkInData struct {
	Hall   org.Hall
	Ticket *service.CheckInView
}

// checkInPage is the hall's check-in kiosk.
func (h *Handlers) checkInPage(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "预约签到"}
	hall, err := h.HallNamed(r, r.PathValue("hall"))
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	v.Title, v.Data = hall.Name+" 预约签到", &checkInData{Hall: hall}
	h.Render(w, r, http.StatusOK, "appointment_checkin", v)
}

// checkIn turns a booking into a ticket and goes to the kiosk's printable
// ticket; the ID typed is never shown again.
func (h *Handlers) checkIn(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "预约签到"}
	if err := r.ParseForm(); err != nil {
		h.Render(w, r, h.FormError(r, &v, apperr.New(apperr.Invalid, "表单有误，请重试")), "error", v)
		return
	}
	hall, err := h.HallNamed(r, r.PathValue("hall"))
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	d := &checkInData{Hall: hall}
	v.Title, v.Data = hall.Name+" 预约签到", d
	cv, err := h.svc.CheckIn(r.Context(), hall.Code, r.PostForm.Get("code"), r.PostForm.Get("id_number"))
	if err != nil {
		status := h.FormError(r, &v, err)
		v.Form = url.Values{"code": {r.PostForm.Get("code")}}
		h.Render(w, r, status, "appointment_checkin", v)
		return
	}
	if cv.Token == "" {
		d.Ticket = cv
		h.Render(w, r, http.StatusCreated, "appointment_checkin", v)
		return
	}
	to := fmt.Sprintf("/kiosk/%s/ticket/%d?t=%s", url.PathEscape(hall.Code), cv.Ticket.Ticket.ID, url.QueryEscape(cv.Token))
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// hallBookingsData is a hall's bookings of a day, for its clerks.
type hallBookingsData struct {
	Hall     string
	HallName string
	Date     string
	Bookings []*service.BookingView
}

// hallBookings lists a day's bookings for the hall's clerks, with each
// person's no-shows, and lets them cancel one for a caller.
func (h *Handlers) hallBookings(w http.ResponseWriter, r *http.Request) {
	hall := r.PathValue("hall")
	d := hallBookingsData{Hall: hall, HallName: h.HallNames(r.Context())[hall], Date: r.URL.Query().Get("date")}
	day := calendar.DateOf(h.svc.Now())
	if d.Date != "" {
		parsed, err := calendar.ParseDate(d.Date)
		if err != nil {
			v := page.View{Title: "预约名单", Data: d}
			h.Render(w, r, h.FormError(r, &v, err), "appointment_bookings", v)
			return
		}
		day = parsed
	}
	d.Date = day.String()
	v := page.View{Title: "预约名单"}
	status := http.StatusOK
	bookings, err := h.svc.HallBookings(r.Context(), hall, day)
	if err != nil {
		status = h.FormError(r, &v, err)
	}
	d.Bookings = bookings
	v.Data = d
	h.Render(w, r, status, "appointment_bookings", v)
}

func (h *Handlers) cancelHallBooking(w http.ResponseWriter, r *http.Request) {
	hall := r.PathValue("hall")
	back := "/appointments/" + url.PathEscape(hall) + "/bookings?date=" + url.QueryEscape(r.PostFormValue("date"))
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.Redirect(w, r, back, "没有这个预约")
		return
	}
	b, err := h.svc.CancelBooking(r.Context(), id)
	if err != nil {
		v := page.View{Title: "预约名单", Data: hallBookingsData{Hall: hall, Date: r.PostFormValue("date")}}
		h.Render(w, r, h.FormError(r, &v, err), "appointment_bookings", v)
		return
	}
	h.Redirect(w, r, back, "已取消 "+b.Name+" 的预约（"+b.Slot+"）")
}
