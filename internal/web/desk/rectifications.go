package desk

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// Rectifications (差评整改): the follow-up of bad ratings, by the
// department concerned.

// rectRow is one rectification as listed, its deadline in words.
type rectRow struct {
	*service.RectificationView
}

// rectListData is the rectification list with its filter.
type rectListData struct {
	State     string
	States    []stateChoice
	Rows      []rectRow
	ToConfirm int // reports the user may confirm (of those listed)
}

// stateChoice is one option of the state filter.
type stateChoice struct {
	Value, Label string
	Selected     bool
}

// rectifications lists the rectifications the user may see: red, then
// yellow, then the rest, each by deadline.
func (h *Handlers) rectifications(w http.ResponseWriter, r *http.Request) {
	d := &rectListData{State: r.URL.Query().Get("state")}
	for _, st := range append(slices.Clone(rating.States), rating.Overdue) {
		d.States = append(d.States, stateChoice{Value: string(st), Label: st.Label(), Selected: string(st) == d.State})
	}
	v := page.View{Title: "差评整改", Data: d}
	list, err := h.svc.Rectifications(r.Context(), service.RectificationFilter{State: rating.State(d.State)})
	if err != nil {
		status := h.FormError(r, &v, err)
		if status == http.StatusForbidden {
			h.render(w, r, status, "error", v)
			return
		}
		h.render(w, r, status, "rectifications", v)
		return
	}
	for _, x := range list {
		d.Rows = append(d.Rows, rectRow{RectificationView: x})
		if slices.Contains(x.Allowed, rating.ActConfirm) {
			d.ToConfirm++
		}
	}
	slices.SortStableFunc(d.Rows, func(a, b rectRow) int { return calendar.RedFirst(a.Warning, b.Warning) })
	h.render(w, r, http.StatusOK, "rectifications", v)
}

// rectActionForm is one action's form on the rectification page.
type rectActionForm struct {
	Action   rating.Action
	Label    string
	FollowUp bool // asks how the applicant was followed up
	Failed   bool // the form just refused: its messages and typed text show
}

// rectData is one rectification's page.
type rectData struct {
	V       *service.RectificationView
	Words   string
	Forms   []rectActionForm
	Failed  string // the action whose form was refused
	Version int
}

// rectPage renders rectification id; failed names a refused action.
func (h *Handlers) rectPage(w http.ResponseWriter, r *http.Request, status int, v page.View, failed rating.Action) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d := &rectData{Failed: string(failed)}
	v.Data = d
	x, err := h.svc.Rectification(r.Context(), id)
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	d.V, d.Version, d.Words = x, x.Rectification.Version, x.Words
	for _, a := range x.Allowed {
		f := rectActionForm{Action: a, Label: a.Label(), FollowUp: a == rating.ActRectify || a == rating.ActExplain, Failed: a == failed}
		d.Forms = append(d.Forms, f)
	}
	if v.Title == "" {
		v.Title = fmt.Sprintf("差评整改 %d", x.Rectification.ID)
	}
	h.render(w, r, status, "rectification", v)
}

func (h *Handlers) rectification(w http.ResponseWriter, r *http.Request) {
	h.rectPage(w, r, http.StatusOK, page.View{}, "")
}

// actOnRectification takes one action; a refused form comes back with its
// messages next to its fields and what was typed.
func (h *Handlers) actOnRectification(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	action := rating.Action(r.PathValue("action"))
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	in := rating.StepInput{Note: r.PostForm.Get("note"), FollowUp: rating.FollowUpMethod(r.PostForm.Get("follow_up")),
		FollowUpResult: r.PostForm.Get("follow_up_result")}
	x, err := h.svc.ActOnRectification(r.Context(), id, action, in, version)
	if err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		h.rectPage(w, r, status, v, action)
		return
	}
	h.Redirect(w, r, fmt.Sprintf("/rectifications/%d", id), "已办理："+action.Label()+"，整改单现为“"+x.Status.Label()+"”")
}
