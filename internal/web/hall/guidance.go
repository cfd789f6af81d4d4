package hall

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The guidance desk's log (导办) (issue 5 item 5); the queue's figures
// (item 6) are in admin (figures.go).

// guidancePage is the day's log of a hall with the form to add to it.
type guidancePage struct {
	Hall       string
	HallName   string
	Halls      []org.Hall // for admins, who choose the hall
	Day        calendar.Date
	Log        []service.GuidanceRecord
	Outcomes   []service.GuidanceOutcome
	Query      string             // the item search
	Found      []service.DeskItem // its results
	NoteMax    int
	ChooseHall bool
}

func (h *Handlers) guidanceData(r *http.Request, hall string) (*guidancePage, error) {
	ctx := r.Context()
	u := service.UserFrom(ctx)
	if hall == "" && u != nil {
		hall = u.HallCode
	}
	d := &guidancePage{Hall: hall, Day: calendar.DateOf(h.svc.Now()), Outcomes: service.GuidanceOutcomes, NoteMax: service.GuidanceNoteMax}
	if u != nil && u.HallCode == "" {
		d.ChooseHall = true
		halls, err := h.svc.Halls(ctx)
		if err != nil {
			return nil, err
		}
		d.Halls = halls
		if d.Hall == "" && len(halls) > 0 {
			d.Hall = halls[0].Code
		}
	}
	d.HallName = h.HallNames(ctx)[d.Hall]
	var err error
	if d.Log, err = h.svc.GuidanceLog(ctx, d.Hall, d.Day); err != nil {
		return nil, err
	}
	if q := strings.TrimSpace(r.URL.Query().Get("q")); q != "" {
		d.Query = q
		found, err := h.svc.SearchItems(ctx, q)
		if err != nil && !apperr.Is(err, apperr.Forbidden) { // the search is the intake desk's; admins type codes
			return nil, err
		}
		if len(found) > 20 {
			found = found[:20]
		}
		d.Found = found
	}
	return d, nil
}

// guidance shows the day's consultations and the form.
func (h *Handlers) guidance(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "导办登记"}
	d, err := h.guidanceData(r, r.URL.Query().Get("hall"))
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	v.Data = d
	h.Render(w, r, http.StatusOK, "guidance", v)
}

// guidanceRecord records a consultation; a refusal shows the form again
// with each message next to its field and what was typed kept.
func (h *Handlers) guidanceRecord(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "导办登记"}
	if err := r.ParseForm(); err != nil {
		h.Render(w, r, h.FormError(r, &v, apperr.New(apperr.Invalid, "表单有误，请重试")), "error", v)
		return
	}
	f := r.PostForm
	_, err := h.svc.RecordGuidance(r.Context(), service.GuidanceEntry{
		Hall: f.Get("hall"),
		Items: strings.FieldsFunc(f.Get("items"), func(c rune) bool {
			return c == ',' || c == '，' || c == '、' || c == ' ' || c == '\n' || c == '\r' || c == '\t'
		}),
		Note:         f.Get("note"),
		TicketNumber: f.Get("ticket"),
		Outcome:      service.GuidanceOutcome(f.Get("outcome")),
	})
	if err == nil {
		to := "/guidance"
		if hall := f.Get("hall"); hall != "" {
			to += "?hall=" + url.QueryEscape(hall)
		}
		h.Redirect(w, r, page.LocalPath(to, "/guidance"), "已登记导办咨询")
		return
	}
	status := h.FormError(r, &v, err)
	d, derr := h.guidanceData(r, f.Get("hall"))
	if derr != nil {
		h.Render(w, r, h.FormError(r, &v, derr), "error", v)
		return
	}
	v.Data = d
	h.Render(w, r, status, "guidance", v)
}
