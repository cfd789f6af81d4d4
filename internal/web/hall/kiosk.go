package hall

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The ticket kiosk and a ticket's public page (issue 5). Both are public:
// a kiosk is an unattended device, and a ticket is followed on the
// applicant's own phone through the random follow token in its QR code
// (ticket ids count up, so the id alone opens nothing).

// kioskData is the kiosk page: the hall, its categories with their
// waiting counts, and the priority classes an applicant may claim there
// (appointments come through check-in, not the kiosk).
type kioskData struct {
	Hall       org.Hall
	Categories []page.KioskCategory
	Priorities []queue.Priority
	// TextAhead is the hall's queue-text setting: the phone field shows
	// only when it is on (queue.Settings.TextAhead).
	TextAhead int
}

func (h *Handlers) kioskData(r *http.Request) (*kioskData, error) {
	ctx := r.Context()
	hall, err := h.HallNamed(r, r.PathValue("hall"))
	if err != nil {
		return nil, err
	}
	cats, err := h.svc.Categories(ctx, hall.Code)
	if err != nil {
		return nil, err
	}
	counts, err := h.svc.Waiting(ctx, hall.Code)
	if err != nil {
		return nil, err
	}
	set, err := h.svc.QueueSettings(ctx, hall.Code)
	if err != nil {
		return nil, err
	}
	d := &kioskData{Hall: hall, Priorities: []queue.Priority{queue.Elderly, queue.Disability, queue.ServiceMember}, TextAhead: set.TextAhead}
	for _, c := range cats {
		kc := page.KioskCategory{Category: c}
		for _, n := range counts {
			if n.Category == c.Code {
				kc.Waiting = n.Waiting
			}
		}
		d.Categories = append(d.Categories, kc)
	}
	return d, nil
}

// kiosk shows the hall's ticket kiosk.
func (h *Handlers) kiosk(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "自助取号"}
	d, err := h.kioskData(r)
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	v.Title, v.Data = d.Hall.Name+" 自助取号", d
	h.Render(w, r, http.StatusOK, "kiosk", v)
}

// kioskTake takes a ticket and goes to its printable ticket. A refusal
// (outside issuing hours, the day's cap reached, an open ticket for the
// same ID, a wrong ID) shows the kiosk again with the reason; the ID typed
// is kept only when it is the ID that was wrong, so that it can be
// corrected, and is otherwise never shown again.
func (h *Handlers) kioskTake(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "自助取号"}
	if err := r.ParseForm(); err != nil {
		h.Render(w, r, h.FormError(r, &v, apperr.New(apperr.Invalid, "表单有误，请重试")), "error", v)
		return
	}
	d, err := h.kioskData(r)
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	v.Title, v.Data = d.Hall.Name+" 自助取号", d
	f := r.PostForm
	priority := queue.Priority(f.Get("priority"))
	if priority == "" || priority == queue.Appointment {
		priority = queue.Normal // appointments are checked in by a clerk
	}
	tv, token, err := h.svc.TakeTicketToFollow(r.Context(), service.TicketRequest{
		Hall: d.Hall.Code, Category: f.Get("category"), IDNumber: f.Get("id_number"), Phone: f.Get("phone"), Priority: priority,
	})
	if err != nil {
		status := h.FormError(r, &v, err)
		// Keep only what was wrong, so that it can be corrected; the
		// next person at the kiosk sees nothing of the last one.
		kept := url.Values{"priority": {f.Get("priority")}}
		for _, field := range []string{"id_number", "phone"} {
			if _, wrong := v.Field[field]; wrong {
				kept.Set(field, f.Get(field))
			}
		}
		v.Form = kept
		h.Render(w, r, status, "kiosk", v)
		return
	}
	if token == "" {
		// The ticket stands without its follow token: print it without a QR code.
		v.Title, v.Data = "排队号 "+tv.Ticket.Number, &ticketPage{Hall: d.Hall, T: tv, Back: "/kiosk/" + url.PathEscape(d.Hall.Code)}
		h.Render(w, r, http.StatusCreated, "print/ticket", v)
		return
	}
	to := fmt.Sprintf("/kiosk/%s/ticket/%d?t=%s", url.PathEscape(d.Hall.Code), tv.Ticket.ID, url.QueryEscape(token))
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// ticketPage is the printed ticket and the phone's ticket page.
type ticketPage struct {
	Hall      org.Hall
	T         *service.TicketView
	FollowURL string // the QR code's address; "" when the ticket has no token
	QR        template.URL
	Back      string // the kiosk
}

// ticketFor reads the ticket the request names with its follow token.
func (h *Handlers) ticketFor(r *http.Request) (*ticketPage, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, apperr.New(apperr.NotFound, "排队号不存在或链接已失效，请扫描号票上的二维码")
	}
	token := r.URL.Query().Get("t")
	tv, err := h.svc.FollowTicket(r.Context(), id, token)
	if err != nil {
		return nil, err
	}
	hall, err := h.HallNamed(r, tv.Ticket.HallCode)
	if err != nil {
		return nil, err
	}
	p := &ticketPage{Hall: hall, T: tv, Back: "/kiosk/" + url.PathEscape(hall.Code)}
	p.FollowURL = fmt.Sprintf("%s/queue/ticket/%d?t=%s", page.SiteBase(r), id, url.QueryEscape(token))
	if p.QR, err = page.QRPNG(p.FollowURL); err != nil {
		return nil, apperr.Wrap(err, "QR code")
	}
	return p, nil
}

// kioskTicket is the printable ticket, right after it is taken.
func (h *Handlers) kioskTicket(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	v := page.View{Title: "排队号"}
	p, err := h.ticketFor(r)
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	v.Title, v.Data = "排队号 "+p.T.Ticket.Number, p
	h.Render(w, r, http.StatusOK, "print/ticket", v)
}

// followTicket is a ticket's public page, opened from its QR code: its
// state, how many wait ahead, and the window it is called to. It reloads
// itself while the ticket is open.
func (h *Handlers) followTicket(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	v := page.View{Title: "排队进度"}
	p, err := h.ticketFor(r)
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "kiosk_follow", v)
		return
	}
	v.Title, v.Data = "排队进度 "+p.T.Ticket.Number, p
	h.Render(w, r, http.StatusOK, "kiosk_follow", v)
}
