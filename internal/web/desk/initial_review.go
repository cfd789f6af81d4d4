package desk

import (
	"net/http"

	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// Delegated initial review (委托初审, issue 15 item 4): the street
// reviewer's work list. It calls the use case the API's
// GET /api/v1/initial-reviews calls; 初审通过 posts to the case's action
// route as the case page does, and 初审退回 (which needs its reasons) is
// done on the case page.

// initialReviewData is the street's list.
type initialReviewData struct {
	List    *service.InitialReviewList
	Pending []page.CaseRow
	Passed  []page.CaseRow
	// Hall is the street a bureau admin or supervisor asked for (?hall=).
	Hall string
}

func (h *Handlers) initialReviewPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := page.View{Title: "委托初审"}
	hall := r.URL.Query().Get("hall")
	l, err := h.svc.InitialReviews(ctx, hall)
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	v.Data = initialReviewData{List: l, Pending: h.Rows(ctx, l.Pending), Passed: h.Rows(ctx, l.Passed), Hall: hall}
	h.render(w, r, http.StatusOK, "initial_review", v)
}
