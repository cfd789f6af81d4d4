package desk

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/web/page"
)

// finishInstant finishes an instant case from its case page in one post
// (service FinishInstant: decided, handed over, receipt archived) and
// offers the delivery receipt for printing; a refusal shows the case
// again with the messages by their fields.
func (h *Handlers) finishInstant(w http.ResponseWriter, r *http.Request) {
	number := r.PathValue("number")
	if err := r.ParseForm(); err != nil {
		h.showCase(w, r, http.StatusBadRequest, page.View{Error: "表单有误，请重试"}, "finish-instant")
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	f := casework.InstantFinish{Outcome: casework.Outcome(r.PostFormValue("outcome")),
		ResultDocument: r.PostFormValue("result_document"), Reason: r.PostFormValue("reason")}
	v, err := h.svc.FinishInstant(r.Context(), number, f, version)
	if err != nil {
		var fv page.View
		status := h.FormError(r, &fv, err)
		h.showCase(w, r, status, fv, "finish-instant")
		return
	}
	cv, err := h.svc.Case(r.Context(), number)
	if err == nil {
		for i, d := range cv.Documents {
			if d.Kind == casework.DeliveryReceipt {
				h.sessions.Put(r.Context(), page.FlashLinkKey, fmt.Sprintf("/cases/%s/print/%d", number, i))
				h.sessions.Put(r.Context(), page.FlashLinkLabelKey, "打印送达回执")
			}
		}
	}
	h.Redirect(w, r, "/cases/"+number, "办件 "+number+"："+v.Case.Done(casework.ActDecide, casework.ActDeliver, casework.ActArchive)+"。请打印送达回执交申请人签字。")
}
