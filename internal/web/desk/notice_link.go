package desk

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/web/page"
)

// noticeLink opens the document a text message links to (/n/{code}: the
// correction notice) for the applicant as a PDF, and with ?view=page in
// the same printed form the desk prints, without signing in: the unguessable code is the key, it
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
	// The link opens the notice's PDF; the PDF links back to the printed
	// form (?view=page), which a phone without a PDF reader can open too.
	if r.URL.Query().Get("view") != "page" && p.Doc.Kind == casework.CorrectionNotice {
		printURL := page.SiteBase(r) + "/n/" + url.PathEscape(r.PathValue("code")) + "?view=page"
		b, err := correctionNoticePDF(p, printURL)
		if err != nil {
			h.render(w, r, h.FormError(r, &v, err), "error", v)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `inline; filename="correction-notice-`+p.Number+`.pdf"`)
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(b)
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
