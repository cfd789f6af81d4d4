package desk

import (
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/network"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// Paper that travels (issue 15 item 2): the hall clerks' batches. Each
// handler is one use case of service.Network, as the API's.

// transitData is the transit page: the paper waiting at the clerk's hall
// and the batches leaving or reaching it.
type transitData struct {
	Waiting *service.WaitingPaper
	Batches []service.BatchView
}

func (h *Handlers) transitPage(w http.ResponseWriter, r *http.Request) {
	h.showTransit(w, r, http.StatusOK, page.View{})
}

func (h *Handlers) showTransit(w http.ResponseWriter, r *http.Request, status int, v page.View) {
	ctx := r.Context()
	v.Title = "交接批次"
	waiting, err := h.svc.WaitingAtMyHall(ctx, "") // every cargo the clerk's desk moves
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	batches, err := h.svc.Batches(ctx, "", "")
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	v.Data = transitData{Waiting: waiting, Batches: batches}
	h.render(w, r, status, "transit", v)
}

// prepareBatch makes the batch for one destination and shows it.
func (h *Handlers) prepareBatch(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.showTransit(w, r, http.StatusBadRequest, page.View{Error: "表单有误，请重试"})
		return
	}
	b, err := h.svc.PrepareBatch(r.Context(), service.PrepareBatchInput{Cargo: network.Cargo(r.PostFormValue("cargo")), To: r.PostFormValue("to"), Confirm: r.PostFormValue("confirm") != ""})
	if err != nil {
		var v page.View
		h.showTransit(w, r, h.FormError(r, &v, err), v)
		return
	}
	h.Redirect(w, r, "/transit/batches/"+b.Number, "已组批 "+b.Number+"，请打印交接单，随材料交送件人签出")
}

// batchData is one batch's page.
type batchData struct {
	B *service.BatchView
}

func (h *Handlers) batchPage(w http.ResponseWriter, r *http.Request) {
	h.showBatch(w, r, http.StatusOK, page.View{})
}

func (h *Handlers) showBatch(w http.ResponseWriter, r *http.Request, status int, v page.View) {
	b, err := h.svc.Batch(r.Context(), r.PathValue("number"))
	if err != nil {
		v.Title = "交接批次"
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	v.Title = "交接批次 " + b.Number
	v.Data = batchData{B: b}
	h.render(w, r, status, "transit_batch", v)
}

func (h *Handlers) signOutBatch(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.showBatch(w, r, http.StatusBadRequest, page.View{Error: "表单有误，请重试"})
		return
	}
	number := r.PathValue("number")
	b, err := h.svc.SignOutBatch(r.Context(), number, service.SignOutInput{Courier: r.PostFormValue("courier"), Confirm: r.PostFormValue("confirm") != ""})
	if err != nil {
		var v page.View
		h.showBatch(w, r, h.FormError(r, &v, err), v)
		return
	}
	h.Redirect(w, r, "/transit/batches/"+number, "批次 "+number+" 已签出，"+b.Cargo.Label()+"在途")
}

// signInBatch signs the batch in with the problems marked on its rows:
// a select problem_<case>_<material> and a note note_<case>_<material>.
func (h *Handlers) signInBatch(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.showBatch(w, r, http.StatusBadRequest, page.View{Error: "表单有误，请重试"})
		return
	}
	number := r.PathValue("number")
	var problems []network.Problem
	for key, vals := range r.PostForm {
		rest, ok := strings.CutPrefix(key, "problem_")
		if !ok || len(vals) == 0 || vals[0] == "" {
			continue
		}
		c, m, ok := strings.Cut(rest, "_")
		if !ok {
			continue
		}
		problems = append(problems, network.Problem{Case: c, Material: m, Kind: network.ProblemKind(vals[0]), Note: r.PostFormValue("note_" + rest)})
	}
	b, err := h.svc.SignInBatch(r.Context(), number, service.SignInInput{Problems: problems, Confirm: r.PostFormValue("confirm") != ""})
	if err != nil {
		var v page.View
		h.showBatch(w, r, h.FormError(r, &v, err), v)
		return
	}
	msg := "批次 " + number + " 已签收。" + b.Cargo.ArrivalWords()
	if len(b.Problems) > 0 {
		msg += "（本批次登记了缺失或损毁，所涉办件已退回发出大厅）"
	}
	h.Redirect(w, r, "/transit/batches/"+number, msg)
}

// printBatch is the printable batch sheet (交接单) with its barcode.
func (h *Handlers) printBatch(w http.ResponseWriter, r *http.Request) {
	b, err := h.svc.Batch(r.Context(), r.PathValue("number"))
	if err != nil {
		v := page.View{Title: "交接单"}
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	code, err := page.BarcodePNG(b.Number)
	if err != nil {
		v := page.View{Title: "交接单"}
		h.render(w, r, h.FormError(r, &v, apperr.Wrap(err, "barcode")), "error", v)
		return
	}
	h.render(w, r, http.StatusOK, "print/transit_sheet", page.View{Title: "交接单 · " + b.Number, Data: struct {
		B       *service.BatchView
		Barcode any
	}{b, code}})
}
