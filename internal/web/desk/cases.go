package desk

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// deptNames maps department codes to names (page.Kit.DepartmentNames).
func (h *Handlers) deptNames(ctx context.Context) map[string]string { return h.DepartmentNames(ctx) }

// casePageData is the case page: summary, deadlines, materials, documents,
// timeline and the forms of the actions the user may take now.
type casePageData struct {
	V          *service.CaseView
	Deadlines  []casework.DeadlineRow
	PauseTypes []casework.PauseType
	IDTypes    []identity.IDType
	Failed     string // the action whose form was refused, to reopen it
	DeptName   string
	Back       string // where a desk sent the user from, to return there
	Files      bool   // some material has electronic files (an online application)
	Holding    *holdingBar
	MayNotice  bool // a supervisor (or the bureau's admin) may open a supervision notice
	// MayScan shows the intake desk's form for scans of the materials
	// (the service decides; the form is offered while the case is open).
	MayScan bool
}

func (h *Handlers) casePage(w http.ResponseWriter, r *http.Request) {
	h.showCase(w, r, http.StatusOK, page.View{}, "")
}

func (h *Handlers) showCase(w http.ResponseWriter, r *http.Request, status int, v page.View, failed string) {
	ctx := r.Context()
	cv, err := h.svc.Case(ctx, r.PathValue("number"))
	if err != nil {
		v.Title = "办件"
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	d := casePageData{V: cv, Deadlines: cv.Deadlines, PauseTypes: casework.PauseTypes, Failed: failed,
		IDTypes: []identity.IDType{identity.ResidentID, identity.Passport, identity.HKMacaoPermit, identity.TaiwanPermit, identity.ForeignPermanent}}
	d.DeptName = h.deptNames(ctx)[cv.Case.DepartmentCode]
	d.Holding = h.holding(ctx, cv.Case.Number, d.DeptName)
	if u := service.UserFrom(ctx); u != nil {
		d.MayNotice = u.Role.Sees(org.WorkNotices) && !u.Role.NeedsDepartment() // the form is the service's to refuse
		d.MayScan = u.Role == org.RoleIntake && casework.ScansOpen(cv.Case)
	}
	for _, m := range cv.Case.Materials {
		d.Files = d.Files || len(m.Files) > 0
	}
	back := r.URL.Query().Get("back")
	if r.Method == http.MethodPost {
		back = r.PostFormValue("back")
	}
	d.Back = page.LocalPath(back, "")
	v.Title, v.Data = "办件 "+cv.Case.Number, d
	h.render(w, r, status, "case", v)
}

// caseAction takes one action from a case page form and returns to where
// the form came from; a refusal shows the case again with the message next
// to the form and what was typed kept.
func (h *Handlers) caseAction(w http.ResponseWriter, r *http.Request) {
	number, action := r.PathValue("number"), casework.Action(r.PathValue("action"))
	if err := r.ParseForm(); err != nil {
		h.showCase(w, r, http.StatusBadRequest, page.View{Error: "表单有误，请重试"}, string(action))
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if casework.NeedsConfirm(action) && r.PostFormValue("confirm") != "1" {
		h.confirmDecision(w, r, number, action, version) // decisions.go
		return
	}
	v, err := h.svc.Act(r.Context(), number, action, inputFromForm(r), version)
	if err != nil {
		var fv page.View
		status := h.FormError(r, &fv, err)
		h.showCase(w, r, status, fv, string(action))
		return
	}
	if casework.NeedsConfirm(action) {
		h.decisionTaken(w, r, number, action, v) // decisions.go
		return
	}
	h.Redirect(w, r, page.LocalPath(r.PostFormValue("back"), "/cases/"+number), "办件 "+number+"："+v.Case.Done(action)+"。")
}

// inputFromForm reads every action's fields from a posted form.
func inputFromForm(r *http.Request) casework.Input {
	f := r.PostForm
	days, _ := strconv.Atoi(f.Get("days"))
	var collect []string
	for _, line := range strings.Split(f.Get("collect_items"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			collect = append(collect, line)
		}
	}
	in := casework.Input{
		Reason: f.Get("reason"), Corrections: f["corrections"], Materials: f["materials"],
		PauseType: casework.PauseType(f.Get("pause_type")), Days: days, Outcome: casework.Outcome(f.Get("outcome")),
		ResultDocument: f.Get("result_document"), Signer: f.Get("signer"),
		SignerIDType: identity.IDType(f.Get("signer_id_type")), SignerIDNumber: f.Get("signer_id_number"),
		Carrier: f.Get("carrier"), Tracking: f.Get("tracking_number"), AgentUser: f.Get("agent_user"),
		Confirm: f.Get("confirm") == "1",
	}
	in.Procedure, in.Conclusion = casework.ProcedureKind(f.Get("procedure")), f.Get("conclusion")
	if f.Has("collect_items") {
		in.CollectItems = append([]string{}, collect...)
	}
	for key := range f {
		if code, ok := strings.CutPrefix(key, "correction."); ok && strings.TrimSpace(f.Get(key)) != "" {
			if in.CorrectionReasons == nil {
				in.CorrectionReasons = map[string]string{}
			}
			in.CorrectionReasons[code] = f.Get(key)
		}
	}
	return in
}

type searchData struct {
	Query, State, Warning string
	// The search fields as typed or chosen.
	Phone, From, To, Item, Department, Clerk string
	States                                   []casework.State
	Choices                                  *service.CaseSearchChoices
	Rows                                     []page.CaseRow
	Total, Page, Pages                       int
	PrevHref, NextHref                       string // the pager's links, keeping the search
}

// searchCases finds cases by number, applicant (name, or full ID number,
// shown masked), the applicant's phone, the days received, item,
// department, state, the receiving clerk and warning: the items,
// departments and clerks are chosen by name.
func (h *Handlers) searchCases(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := searchData{Query: strings.TrimSpace(q.Get("q")), State: q.Get("state"), Warning: q.Get("warning"), States: casework.States,
		Phone: strings.TrimSpace(q.Get("phone")), From: q.Get("from"), To: q.Get("to"), Item: q.Get("item"),
		Department: q.Get("department"), Clerk: q.Get("clerk")}
	pageNo, _ := strconv.Atoi(q.Get("page"))
	f := service.CaseFilter{Query: d.Query, Warning: calendar.Warning(d.Warning), Page: pageNo,
		Phone: d.Phone, Item: d.Item, Department: d.Department, Clerk: d.Clerk}
	if d.State != "" {
		f.States = []casework.State{casework.State(d.State)}
	}
	v := page.View{Title: "办件查询"}
	ctx := r.Context()
	choices, err := h.svc.SearchChoices(ctx)
	d.Choices = choices
	if err == nil {
		err = searchDates(d.From, d.To, &f)
	}
	var res *service.CasePage
	if err == nil {
		res, err = h.svc.Cases(ctx, f)
	}
	status := http.StatusOK
	if err == nil {
		d.Rows = h.Rows(ctx, res.Cases)
		d.Total, d.Page = res.Total, res.Page
		d.Pages = (res.Total + res.Size - 1) / res.Size
		keep := url.Values{}
		for _, k := range []string{"q", "state", "warning", "phone", "from", "to", "item", "department", "clerk"} {
			if val := q.Get(k); val != "" {
				keep.Set(k, val)
			}
		}
		href := func(p int) string { keep.Set("page", strconv.Itoa(p)); return "/cases?" + keep.Encode() }
		if d.Page > 1 {
			d.PrevHref = href(d.Page - 1)
		}
		if d.Page < d.Pages {
			d.NextHref = href(d.Page + 1)
		}
	} else {
		status = h.FormError(r, &v, err)
	}
	v.Data = d
	h.render(w, r, status, "cases", v)
}

// searchDates reads the search's dates as typed ("" is open).
func searchDates(from, to string, f *service.CaseFilter) error {
	var errs apperr.Collector
	for _, x := range []struct {
		field, text string
		into        *calendar.Date
	}{{"from", from, &f.From}, {"to", to, &f.To}} {
		if x.text == "" {
			continue
		}
		d, err := calendar.ParseDate(x.text)
		errs.Check(err == nil, x.field, "日期格式须为 YYYY-MM-DD")
		*x.into = d
	}
	return errs.Err("查询条件有误")
}
