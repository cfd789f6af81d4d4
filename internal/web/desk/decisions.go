package desk

import (
	"net/http"
	"strconv"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// Decisions in writing at the case page: a decision (decide,
// refuse-acceptance) is first shown as the document it will print, with
// the form that confirms it; only the confirmed post takes it. The page
// and the API call the same use cases (PreviewDecision, Act).

// confirmDecision shows what the decision posted would print, to be
// confirmed; a refused one (no reason, a stale page) comes back on the
// case page next to its form, and "返回修改" brings the typed fields back
// to that form.
func (h *Handlers) confirmDecision(w http.ResponseWriter, r *http.Request, number string, action casework.Action, version int) {
	if r.PostFormValue("edit") == "1" {
		h.showCase(w, r, http.StatusOK, page.View{Form: r.PostForm}, string(action))
		return
	}
	p, err := h.svc.PreviewDecision(r.Context(), number, action, inputFromForm(r), version)
	if err != nil {
		fv := page.View{Form: r.PostForm}
		status := h.FormError(r, &fv, err)
		fv.Form = r.PostForm
		h.showCase(w, r, status, fv, string(action))
		return
	}
	if len(p.Documents) == 0 {
		h.render(w, r, http.StatusInternalServerError, "error", page.View{Title: "确认决定", Error: "该决定没有可预览的文书"})
		return
	}
	pp, err := h.printPage(r, p.View, p.Documents[0])
	if err != nil {
		v := page.View{Title: "确认决定"}
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	pp.Preview = page.ConfirmationOf(number, action, r.PostForm)
	h.render(w, r, http.StatusOK, "print/"+string(pp.Doc.Kind), page.View{Title: "确认" + pp.Doc.Title + " " + number, Data: pp})
}

// decisionTaken returns to the case page after a confirmed decision, with
// the link that prints the document it issued.
func (h *Handlers) decisionTaken(w http.ResponseWriter, r *http.Request, number string, action casework.Action, v *service.CaseView) {
	ctx := r.Context()
	flash := "办件 " + number + "：已" + action.Label() + "（现为「" + v.StateLabel + "」）"
	if full, err := h.svc.Case(ctx, number); err == nil {
		for i := len(full.Documents) - 1; i >= 0; i-- {
			if d := full.Documents[i]; d.Number != "" {
				flash += "，已出具《" + d.Title + "》" + d.Number
				h.sessions.Put(ctx, page.FlashLinkKey, "/cases/"+number+"/print/"+strconv.Itoa(i))
				h.sessions.Put(ctx, page.FlashLinkLabelKey, "打印"+d.Title)
				break
			}
		}
	}
	h.Redirect(w, r, page.LocalPath(r.PostFormValue("back"), "/cases/"+number), flash)
}
