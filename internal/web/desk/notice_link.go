package desk

import (
	"net/http"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/web/page"
)

// noticeLink prints the document a text message links to (/n/{code}: the
// correction notice) in the same form the desk prints it, for the
// applicant, without signing in: the unguessable code is the key, it
// expires, and look-ups are rate-limited by the service. ID numbers are
// masked in the document's data as on paper.
func (h *Handlers) noticeLink(w http.ResponseWriter, r *http.Request) {
	// The code is in the address: never pass it on, never keep the page.
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	v := page.View{Title: "通知书"}
	nd, err := h.svc.OpenNoticeLink(r.Context(), r.PathValue("code"))
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	p, err := h.printPage(r, nd.Case, nd.Document)
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	name := "print/" + string(p.Doc.Kind)
	if _, ok := h.pages[name]; !ok {
		h.render(w, r, h.FormError(r, &v, apperr.New(apperr.NotFound, "这份文书没有打印样式")), "error", v)
		return
	}
	v.Title, v.Data = p.Doc.Title+" "+p.Number, p
	h.render(w, r, http.StatusOK, name, v)
}
