package online

import (
	"net/http"

	"github.com/onewindow/onewindow/internal/web/page"
)

// noticeLink opens the document a text message links to (/n/{code}: the
// correction notice), without signing in: the unguessable code is the
// key, it expires, and look-ups are rate-limited by the service.
func (h *Handlers) noticeLink(w http.ResponseWriter, r *http.Request) {
	// The code is in the address: do not pass it on to another site.
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	nd, err := h.svc.OpenNoticeLink(r.Context(), r.PathValue("code"))
	if err != nil {
		h.myFail(w, r, "通知书", err)
		return
	}
	p, err := h.DocumentPage(r, nd.Case, nd.Document)
	if err != nil {
		h.myFail(w, r, "通知书", err)
		return
	}
	h.Render(w, r, http.StatusOK, "print/"+string(nd.Document.Kind), page.View{Title: nd.Document.Title + " " + nd.Case.Case.Number, Data: p})
}
