package desk

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The work desks: the department's inbox (/dept), the paper handover
// (/handover, with its printable sheet) and the issuance desk (/issuance).
// One-click actions post to the case's generic action route with a back
// field that returns here; actions that need input link to the form on the
// case page; the issuance desk's mail form and the batch handover stay on
// their desk, so a refusal is shown on the row it concerns.

// oneClick are the actions a desk row offers as a single button: they take
// no input.
var oneClick = []casework.Action{
	casework.ActAccept, casework.ActHandover, casework.ActApproveExtension,
	casework.ActAcceptResult, casework.ActConfirmDelivery, casework.ActArchive,
}

// onCasePage are the actions a desk row links to on the case page, where
// their form asks for what they need (reasons per material, the legal type
// of a pause, the outcome, the items to collect, the signer's ID …).
// Withdrawal and termination stay on the case page alone.
var onCasePage = []casework.Action{
	casework.ActReturn, casework.ActRefuseAcceptance, casework.ActPause, casework.ActResume, casework.ActExtend,
	casework.ActRejectExtension, casework.ActDecide, casework.ActSubmitResult,
	casework.ActRefuseResult, casework.ActDeliver,
	casework.ActPropose, casework.ActCheck, casework.ActSendBack, casework.ActFinishProcedure,
}

// dueLine is one running deadline of a row, in words, as the service's
// page.View carries it.
type dueLine = casework.DeadlineRow

// deskRow is one case on a desk, with what may be done to it from there.
type deskRow struct {
	V       *service.CaseView
	Due     *dueLine          // the tab's deadline if it runs, else the earliest running one
	Others  []dueLine         // the other running deadlines that are near or past
	Inline  []casework.Action // one-click buttons
	Links   []casework.Action // forms on the case page
	Mail    bool              // the inline mail form
	Field   map[string]string // messages next to this row's fields
	Error   string            // why this row's action was refused
	Form    url.Values        // what was typed in this row's form
	Signed  bool              // handover: signed for just now
	Checked bool              // handover: keep the box ticked
}

// deskData is a desk page: its tabs and the rows of the chosen one.
type deskData struct {
	Page      *service.DeskPage
	Query     string // the query of this tab ("tab=accept&dept=SCJG"), for back fields
	Rows      []deskRow
	Cutoffs   string            // the handover rule in words
	DeptNames map[string]string // department code → name
}

// deskRows turns views into rows: the deadline the tab works against in
// words (others only when near or past: they lead their own tabs), and
// the actions the table allows, split into buttons and links.
func (h *Handlers) deskRows(views []*service.CaseView, due string) []deskRow {
	out := make([]deskRow, 0, len(views))
	for _, v := range views {
		row := deskRow{V: v}
		lines := slices.Clone(v.Running)
		slices.SortStableFunc(lines, func(a, b dueLine) int {
			if (a.Name == due) != (b.Name == due) {
				if a.Name == due {
					return -1
				}
				return 1
			}
			return a.At.Compare(b.At)
		})
		for i, l := range lines {
			switch {
			case i == 0:
				row.Due = &lines[0]
			case l.Warning != calendar.WarningNone:
				row.Others = append(row.Others, l)
			}
		}
		for _, a := range v.Allowed {
			switch {
			case a == casework.ActMail:
				row.Mail = true
			case slices.Contains(oneClick, a):
				row.Inline = append(row.Inline, a)
			case slices.Contains(onCasePage, a):
				row.Links = append(row.Links, a)
			}
		}
		out = append(out, row)
	}
	return out
}

// deskQuery is the query string of a desk's tab.
func deskQuery(p *service.DeskPage, pick bool) string {
	q := url.Values{"tab": {p.Tab.Key}}
	if pick && p.Department != nil {
		q.Set("dept", p.Department.Code)
	}
	return q.Encode()
}

func (h *Handlers) deptDesk(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	h.showDesk(w, r, service.DeptDesk, q.Get("dept"), q.Get("tab"), http.StatusOK, page.View{}, nil)
}

func (h *Handlers) issuanceDesk(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	h.showDesk(w, r, service.IssuanceDesk, q.Get("dept"), q.Get("tab"), http.StatusOK, page.View{}, nil)
}

// rowFailure is a refused row action to show on its row.
type rowFailure struct {
	number string
	v      page.View // the field messages, the message and what was typed
}

// showDesk renders a desk's tab ("" for the first) of a department (""
// for the viewer's own); fail, if set, is a refused action to show on its
// row.
func (h *Handlers) showDesk(w http.ResponseWriter, r *http.Request, desk service.Desk, dept, tab string, status int, v page.View, fail *rowFailure) {
	ctx := r.Context()
	title := "部门审批"
	if desk == service.IssuanceDesk {
		title = "综合出件"
	}
	v.Title = title
	p, err := h.svc.DeskCases(ctx, desk, dept, tab)
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	d := deskData{Page: p, Query: deskQuery(p, p.Departments != nil || (desk == service.IssuanceDesk && p.Department != nil)),
		Rows: h.deskRows(p.Cases, p.Tab.Due), Cutoffs: p.Cutoffs, DeptNames: h.deptNames(ctx)}
	if fail != nil {
		for i := range d.Rows {
			if d.Rows[i].V.Case.Number != fail.number {
				continue
			}
			row := &d.Rows[i]
			row.Field, row.Form = fail.v.Field, fail.v.Form
			if len(row.Field) == 0 {
				row.Error = fail.v.Error
			}
		}
	}
	v.Title = title + " · " + p.Tab.Label
	if p.Department != nil && desk == service.DeptDesk {
		v.Title = title + " · " + p.Department.Name + " · " + p.Tab.Label
	}
	v.Data = d
	h.render(w, r, status, string(desk), v)
}

// issuanceMail registers a mailed result from the 待邮寄 tab. A refusal
// shows the tab again with the message next to the field it concerns and
// what was typed kept.
func (h *Handlers) issuanceMail(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.showDesk(w, r, service.IssuanceDesk, "", "mail", http.StatusBadRequest, page.View{Error: "表单有误，请重试"}, nil)
		return
	}
	number := r.PostFormValue("number") // the use case refuses one not written as numbers are
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	in := casework.Input{Carrier: r.PostFormValue("carrier"), Tracking: r.PostFormValue("tracking_number")}
	cv, err := h.svc.Act(r.Context(), number, casework.ActMail, in, version)
	if err != nil {
		var fv page.View
		status := h.FormError(r, &fv, err)
		page := page.View{Error: "办件 " + number + " 未能登记邮寄：" + fv.Error}
		h.showDesk(w, r, service.IssuanceDesk, "", "mail", status, page, &rowFailure{number: number, v: fv})
		return
	}
	h.Redirect(w, r, "/issuance?tab=mail", "办件 "+number+"："+cv.Case.Done(casework.ActMail)+"。妥投后请在「邮寄在途」确认送达。")
}

// handoverData is the paper handover page.
type handoverData struct {
	List     *service.HandoverList
	Rows     []deskRow
	Cutoffs  string
	CanSign  bool     // some row may be signed for by this user
	Signed   []string // numbers signed for just now
	PrintAll string   // the sheet of every pending case
	PrintNow string   // the sheet of the cases signed just now
	Dept     string   // the department picked ("" for one's own)
}

func (h *Handlers) handoverPage(w http.ResponseWriter, r *http.Request) {
	h.showHandover(w, r, http.StatusOK, page.View{}, r.URL.Query().Get("dept"), nil)
}

// showHandover renders a department's pending handovers; outcomes, after a
// batch, puts each case's result on its row (signed, or refused and still
// ticked), the batch's cases first.
func (h *Handlers) showHandover(w http.ResponseWriter, r *http.Request, status int, v page.View, dept string, outcomes []service.HandoverOutcome) {
	ctx := r.Context()
	v.Title = "材料交接"
	list, err := h.svc.Handovers(ctx, dept)
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	d := handoverData{List: list, Cutoffs: list.Cutoffs}
	if list.Departments != nil {
		d.Dept = list.Department.Code
	}
	pending := h.deskRows(list.Cases, "handover_by")
	var rows []deskRow
	for _, o := range outcomes {
		i := slices.IndexFunc(pending, func(row deskRow) bool { return row.V.Case.Number == o.Number })
		var row deskRow
		switch {
		case o.Err == nil:
			row = h.deskRows([]*service.CaseView{o.View}, "handover_by")[0]
			row.Signed = true
			d.Signed = append(d.Signed, o.Number)
		case i >= 0:
			row = pending[i]
			row.Error, row.Checked = apperr.MessageOf(o.Err), true
		default:
			// Not pending any more (signed by someone else, say): shown with
			// its refusal, as it stands now if the viewer may see it.
			if cv, err := h.svc.Case(ctx, o.Number); err == nil {
				row = h.deskRows([]*service.CaseView{cv}, "handover_by")[0]
			} else {
				row.V = &service.CaseView{Case: &casework.Case{Number: o.Number}}
			}
			row.Error = apperr.MessageOf(o.Err)
		}
		if i >= 0 {
			pending = slices.Delete(pending, i, i+1)
		}
		rows = append(rows, row)
	}
	d.Rows = append(rows, pending...)
	var all []string
	for _, row := range d.Rows {
		if slices.Contains(row.V.Allowed, casework.ActHandover) {
			d.CanSign = true
		}
		if !row.Signed && row.V.Case.PaperPending() {
			all = append(all, row.V.Case.Number)
		}
	}
	if len(all) > 0 {
		d.PrintAll = "/handover/print?" + url.Values{"numbers": {strings.Join(all, ",")}}.Encode()
	}
	if len(d.Signed) > 0 {
		d.PrintNow = "/handover/print?" + url.Values{"numbers": {strings.Join(d.Signed, ",")}}.Encode()
	}
	v.Title = "材料交接 · " + list.Department.Name
	v.Data = d
	h.render(w, r, status, "handover", v)
}

// signHandovers signs for the papers of the ticked cases in one step; each
// case's result is shown on its row.
func (h *Handlers) signHandovers(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.showHandover(w, r, http.StatusBadRequest, page.View{Error: "表单有误，请重试"}, "", nil)
		return
	}
	dept := r.PostFormValue("dept")
	var batch []service.HandoverRequest
	for _, n := range r.PostForm["numbers"] {
		version, _ := strconv.Atoi(r.PostFormValue("version_" + n))
		batch = append(batch, service.HandoverRequest{Number: n, Version: version})
	}
	outcomes, err := h.svc.SignHandovers(r.Context(), batch)
	if err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		h.showHandover(w, r, status, v, dept, nil)
		return
	}
	signed, refused, status := 0, 0, http.StatusOK
	for _, o := range outcomes {
		if o.Err == nil {
			signed++
			continue
		}
		if apperr.Is(o.Err, apperr.Internal) {
			h.log.Error("handover failed", "number", o.Number, "err", o.Err, "request_id", service.RequestFrom(r.Context()).ID)
		}
		if refused == 0 {
			status = problem.Status(apperr.CodeOf(o.Err))
		}
		refused++
	}
	v := page.View{}
	if signed > 0 {
		status = http.StatusOK
		v.Flash = fmt.Sprintf("已签收 %d 件办件的纸质材料。", signed)
	}
	if refused > 0 {
		v.Error = fmt.Sprintf("%d 件未能签收，原因见该行。", refused)
	}
	h.showHandover(w, r, status, v, dept, outcomes)
}

// printHandovers prints the paper handover sheet of the cases numbered
// (numbers=a,b or numbers=a&numbers=b).
func (h *Handlers) printHandovers(w http.ResponseWriter, r *http.Request) {
	var numbers []string
	for _, s := range r.URL.Query()["numbers"] {
		for _, n := range strings.Split(s, ",") {
			if n != "" {
				numbers = append(numbers, n)
			}
		}
	}
	sheet, err := h.svc.HandoverSheet(r.Context(), numbers)
	if err != nil {
		v := page.View{Title: "材料交接表"}
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	h.render(w, r, http.StatusOK, "print/handover_batch", page.View{Title: "材料交接表 · " + sheet.Department.Name,
		Data: handoverSheetData{Sheet: sheet, Cutoffs: sheet.Cutoffs}})
}

// handoverSheetData is the printed handover sheet with its rule in words.
type handoverSheetData struct {
	Sheet   *service.HandoverSheet
	Cutoffs string
}
