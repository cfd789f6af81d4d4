package hall

import (
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// progressData is the public progress page: the form, and the case's
// progress once the number and check code match.
type progressData struct {
	Number    string // as typed, kept in the form
	P         *service.Progress
	Deadlines []progressDue
}

// progressDue is one running time limit with its standing in words.
type progressDue struct {
	service.ProgressDeadline
}

// progress answers GET /progress: the form alone; the form with the number
// filled in (from the QR code of a document other than the receipt); or,
// with number and code, the case's public progress. A wrong code and an
// unknown number get the same page, so numbers cannot be probed.
func (h *Handlers) progress(w http.ResponseWriter, r *http.Request) {
	// The check code travels in the URL (the receipt's QR code holds it):
	// keep it out of Referer headers and search engines.
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	q := r.URL.Query()
	d := progressData{Number: strings.TrimSpace(q.Get("number"))}
	v := page.View{Title: "办件进度查询", Data: &d}
	if !q.Has("code") {
		h.Render(w, r, http.StatusOK, "progress", v)
		return
	}
	p, err := h.svc.Progress(r.Context(), q.Get("number"), q.Get("code"))
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "progress", v)
		return
	}
	d.P = p
	for _, x := range p.Deadlines {
		d.Deadlines = append(d.Deadlines, progressDue{ProgressDeadline: x})
	}
	v.Title = "办件进度 " + p.Number
	h.Render(w, r, http.StatusOK, "progress", v)
}
