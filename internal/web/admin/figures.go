package admin

// Queue figures (排队统计) of a hall, for supervisors and the admin.

import (
	"net/http"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// figuresPage is a hall's queue figures with the period form.
type figuresPage struct {
	Hall  string
	Halls []org.Hall
	F     *service.QueueFigures
}

// queueFigures shows a hall's queue figures for a period (today unless
// from and to are given).
func (h *Handlers) queueFigures(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "排队统计"}
	ctx := r.Context()
	q := r.URL.Query()
	hall := q.Get("hall")
	if u := service.UserFrom(ctx); hall == "" && u != nil {
		hall = u.HallCode
	}
	halls, err := h.svc.Halls(ctx)
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	if hall == "" && len(halls) > 0 {
		hall = halls[0].Code
	}
	v.Form = q
	var from, to calendar.Date
	var bad apperr.Collector
	if s := q.Get("from"); s != "" {
		from, err = calendar.ParseDate(s)
		bad.Check(err == nil, "from", "起始日期格式应为 2026-09-30")
	}
	if s := q.Get("to"); s != "" {
		to, err = calendar.ParseDate(s)
		bad.Check(err == nil, "to", "截止日期格式应为 2026-09-30")
	}
	p := &figuresPage{Hall: hall, Halls: halls}
	v.Data = p
	err = bad.Err("统计期间有误")
	if err == nil {
		p.F, err = h.svc.QueueFigures(ctx, hall, from, to)
	}
	if err != nil {
		status := h.FormError(r, &v, err)
		v.Form = q
		if status == http.StatusForbidden || status == http.StatusUnauthorized {
			h.Render(w, r, status, "error", v)
			return
		}
		h.Render(w, r, status, "queue_figures", v)
		return
	}
	h.Render(w, r, http.StatusOK, "queue_figures", v)
}
