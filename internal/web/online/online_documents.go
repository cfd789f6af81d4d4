package online

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/web/page"
)

// ---- The documents issued to the applicant, and printing the decisions ----

// myDocuments lists the case's documents the applicant is to read (not the
// sheets the hall and the departments hand each other), each with its
// address where it prints online: the written decisions, from the kit's
// print templates. Indices are the case's own, as the staff's prints.
func (h *Handlers) myDocuments(number string, docs []casework.Document) []myDocument {
	var out []myDocument
	for i, d := range docs {
		if !d.Kind.ForApplicant() {
			continue
		}
		md := myDocument{Document: d}
		if _, ok := h.pages["print/"+string(d.Kind)]; ok {
			md.Href = "/my/cases/" + url.PathEscape(number) + "/documents/" + strconv.Itoa(i)
		}
		out = append(out, md)
	}
	return out
}

// myDocument prints one written decision of the applicant's own case: the
// case is read through the service, so only its applicant (or their agent)
// may open it.
func (h *Handlers) myDocument(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	number := r.PathValue("number")
	cv, err := h.svc.Case(ctx, number)
	if err != nil {
		h.myFail(w, r, "办件 "+number, err)
		return
	}
	i, err := strconv.Atoi(r.PathValue("index"))
	if err != nil || i < 0 || i >= len(cv.Documents) || !cv.Documents[i].Kind.ForApplicant() {
		h.myFail(w, r, "办件 "+number, apperr.New(apperr.NotFound, "办件 %s 没有第 %s 份文书", number, r.PathValue("index")))
		return
	}
	doc := cv.Documents[i]
	if _, ok := h.pages["print/"+string(doc.Kind)]; !ok {
		h.myFail(w, r, "办件 "+number, apperr.New(apperr.NotFound, "《%s》请到大厅窗口领取纸质文书", doc.Title))
		return
	}
	p, err := h.DocumentPage(r, cv, doc)
	if err != nil {
		h.myFail(w, r, "办件 "+number, err)
		return
	}
	h.Render(w, r, http.StatusOK, "print/"+string(doc.Kind), page.View{Title: doc.Title + " " + number, Data: p})
}
