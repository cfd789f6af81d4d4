package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/bundle"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
)

// The staff side of online applications (外网申报), joint applications
// (一件事) and agents (代办员):
//
//   - /dept/prereview: the department's online applications to pre-review
//     (R13), and those passed and waiting for the applicant's paper; the
//     pass and fail forms are on the case page, beside the uploaded files
//     (/cases/{number}/files/{sha256});
//   - /intake/online: the intake desk takes the paper of a passed online
//     application (核验纸质材料收件) and prints its receipt notice;
//   - /intake/bundles: a joint application taken in on one form (一表式);
//   - /bundles: the joint applications of a department, each with its
//     members, their order and their deadlines;
//   - /agent: an agent's mandates and cases, and online applications made
//     for the applicants who authorised them.
//
// Every rule (who may act, what a mandate covers, when a member opens) is
// the service's; these pages show its answers.
func (h *Handlers) registerOnlineDesk(mux *http.ServeMux) {
	mux.HandleFunc("GET /dept/prereview", h.signedIn(h.prereviewDesk))
	mux.HandleFunc("GET /cases/{number}/files/{sha}", h.signedIn(h.caseFileDownload))
	mux.HandleFunc("GET /intake/online", h.signedIn(h.onlineIntakePage))
	mux.HandleFunc("POST /intake/online", h.signedIn(h.completeOnlineIntake))
	mux.HandleFunc("GET /intake/bundles", h.signedIn(h.bundleTemplatesPage))
	mux.HandleFunc("GET /intake/bundles/{code}", h.signedIn(h.windowBundleForm))
	// The form posts to /intake/bundles, its template in a field: a path
	// /intake/bundles/{code} would clash with /intake/{code}/notice.
	mux.HandleFunc("POST /intake/bundles", h.signedIn(h.takeInBundle))
	mux.HandleFunc("GET /bundles", h.signedIn(h.bundlesDesk))
	mux.HandleFunc("GET /bundles/{number}", h.signedIn(h.bundleDesk))
	mux.HandleFunc("GET /agent", h.signedIn(h.agentDesk))
	mux.HandleFunc("GET /agent/cases/{number}", h.signedIn(h.agentCase))
	mux.HandleFunc("GET /agent/apply", h.signedIn(h.agentApplyForm))
	mux.HandleFunc("POST /agent/apply", h.signedIn(h.agentApply))
}

// deskError renders err on the error page under title.
func (h *Handlers) deskError(w http.ResponseWriter, r *http.Request, title string, err error) {
	v := view{Title: title}
	h.render(w, r, h.formError(r, &v, err), "error", v)
}

// deskAllCases reads every page of a work list (at most 1,000 cases).
func (h *Handlers) deskAllCases(r *http.Request, f service.CaseFilter) ([]*service.CaseView, error) {
	var out []*service.CaseView
	for page := 1; page <= 20; page++ {
		f.Page = page
		res, err := h.svc.Cases(r.Context(), f)
		if err != nil {
			return nil, err
		}
		out = append(out, res.Cases...)
		if len(res.Cases) == 0 || len(out) >= res.Total {
			break
		}
	}
	return out, nil
}

// passedOnline reports whether an online application passed pre-review and
// waits for its paper at the hall.
func passedOnline(c *casework.Case) bool {
	return c.State == casework.Submitted && c.PreReview != nil && c.PreReview.Passed
}

// ---- 网上预审 ----

// prereviewData is the pre-review desk: the applications to review, the
// most urgent first, and those passed and waiting for their paper.
type prereviewData struct {
	ToReview    []deskRow
	Passed      []deskRow
	Departments []org.Department // a department to pick, for those outside the departments
	Dept        string
	DeptNames   map[string]string
}

// prereviewDesk lists a department's online applications: those awaiting
// pre-review (red and yellow first, by prereview_by) and those passed and
// waiting for the applicant to bring the paper.
func (h *Handlers) prereviewDesk(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := service.UserFrom(ctx)
	d := prereviewData{DeptNames: h.deptNames(ctx)}
	if !u.Role.NeedsDepartment() {
		d.Dept = r.URL.Query().Get("dept")
		ds, err := h.svc.Departments(ctx)
		if err != nil {
			h.deskError(w, r, "网上预审", err)
			return
		}
		d.Departments = ds
	}
	views, err := h.deskAllCases(r, service.CaseFilter{States: []casework.State{casework.Submitted}, Department: d.Dept})
	if err != nil {
		h.deskError(w, r, "网上预审", err)
		return
	}
	cal, err := h.svc.Calendar(ctx, "")
	if err != nil {
		h.deskError(w, r, "网上预审", err)
		return
	}
	var toReview, passed []*service.CaseView
	for _, v := range views {
		if passedOnline(v.Case) {
			passed = append(passed, v)
		} else {
			toReview = append(toReview, v)
		}
	}
	slices.SortStableFunc(passed, func(a, b *service.CaseView) int { return a.Case.PreReview.At.Compare(b.Case.PreReview.At) })
	d.ToReview, d.Passed = h.deskRows(cal, toReview, "prereview_by"), h.deskRows(cal, passed, "")
	title := "网上预审"
	if u.Role.NeedsDepartment() {
		title += " · " + d.DeptNames[u.DepartmentCode]
	} else if d.Dept != "" {
		title += " · " + d.DeptNames[d.Dept]
	}
	h.render(w, r, http.StatusOK, "desk_prereview", view{Title: title, Data: d})
}

// caseFileDownload sends one uploaded file of a case to whoever may read
// the case, as a download under the name it was uploaded with.
func (h *Handlers) caseFileDownload(w http.ResponseWriter, r *http.Request) {
	rc, f, err := h.svc.CaseFile(r.Context(), r.PathValue("number"), r.PathValue("sha"))
	if err != nil {
		h.deskError(w, r, "电子材料", err)
		return
	}
	writeFile(w, r, h, rc, f)
}

// ---- 网上申报收件 ----

// onlineIntakeData is the intake desk's box for online applications.
type onlineIntakeData struct {
	Number  string
	V       *service.CaseView
	Ready   bool   // passed and waiting for its paper: it may be taken in here
	Why     string // why it cannot be taken in here
	Waiting []deskRow
}

func (h *Handlers) onlineIntakePage(w http.ResponseWriter, r *http.Request) {
	h.showOnlineIntake(w, r, http.StatusOK, view{}, strings.TrimSpace(r.URL.Query().Get("number")))
}

// showOnlineIntake renders the box, with the case numbered if any, and the
// passed applications still waiting for their paper.
func (h *Handlers) showOnlineIntake(w http.ResponseWriter, r *http.Request, status int, v view, number string) {
	ctx := r.Context()
	d := onlineIntakeData{Number: number}
	if number != "" {
		cv, err := h.svc.Case(ctx, number)
		switch {
		case apperr.Is(err, apperr.NotFound):
			if v.Error == "" {
				v.Error = "没有办件编号为 " + number + " 的办件，请核对后重新输入"
			}
			status = http.StatusNotFound
		case err != nil:
			status = h.formError(r, &v, err)
		default:
			d.V = cv
			d.Ready = slices.Contains(cv.Allowed, casework.ActCompleteIntake)
			d.Why = onlineIntakeWhy(cv)
		}
	}
	if views, err := h.deskAllCases(r, service.CaseFilter{States: []casework.State{casework.Submitted}}); err == nil {
		var passed []*service.CaseView
		for _, x := range views {
			if passedOnline(x.Case) {
				passed = append(passed, x)
			}
		}
		if cal, err := h.svc.Calendar(ctx, ""); err == nil {
			d.Waiting = h.deskRows(cal, passed, "")
		}
	}
	v.Title, v.Data = "网上申报收件", d
	h.render(w, r, status, "desk_online_intake", v)
}

// onlineIntakeWhy says why a case cannot be taken in at the box, or "".
func onlineIntakeWhy(cv *service.CaseView) string {
	c := cv.Case
	switch {
	case slices.Contains(cv.Allowed, casework.ActCompleteIntake):
		return ""
	case c.Channel != casework.Online:
		return "该办件不是网上申报的，已于 " + fmtTime(c.ReceivedAt, "2006-01-02 15:04") + " 在窗口收件。"
	case c.State == casework.Submitted && c.OnlineFull:
		return "该事项全程网办，由部门网上受理，无须到窗口提交纸质材料。"
	case c.State == casework.Submitted && !passedOnline(c):
		return "该网上申请尚在预审中（预审期限 " + fmtTime(c.Deadlines.PreReviewBy, "2006-01-02 15:04") + "），预审通过后方可收件。"
	case c.State == casework.RejectedOnline:
		return "该网上申请预审未通过，须申请人在网上修改后重新提交。"
	case c.State == casework.Submitted:
		return "只有综合受理窗口可以核验纸质材料收件。"
	}
	return "该办件已不在待收件状态（现为「" + c.State.Label() + "」）。"
}

// completeOnlineIntake takes the paper of a passed online application: the
// case is received from now on, and its receipt notice is offered for
// printing.
func (h *Handlers) completeOnlineIntake(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.showOnlineIntake(w, r, http.StatusBadRequest, view{Error: "表单有误，请重试"}, "")
		return
	}
	ctx := r.Context()
	number := strings.TrimSpace(r.PostFormValue("number"))
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	cv, err := h.svc.Act(ctx, number, casework.ActCompleteIntake, casework.Input{}, version)
	if err != nil {
		var v view
		status := h.formError(r, &v, err)
		v.Form = nil
		h.showOnlineIntake(w, r, status, v, number)
		return
	}
	flash := fmt.Sprintf("已收件：%s，办件编号 %s。纸质材料已核验，请打印收件通知书交申请人（见「文书」）。", cv.Case.ItemName, number)
	flash += h.linkCaseToVisit(r, number)
	if full, err := h.svc.Case(ctx, number); err == nil {
		for i := len(full.Documents) - 1; i >= 0; i-- {
			if full.Documents[i].Kind == casework.ReceiptNotice {
				h.sessions.Put(ctx, flashLinkKey, "/cases/"+number+"/print/"+strconv.Itoa(i))
				h.sessions.Put(ctx, flashLinkLabelKey, "打印收件通知书")
				break
			}
		}
	}
	h.redirect(w, r, "/cases/"+number, flash)
}

// ---- 一件事：窗口一表式收件 ----

// bundleTemplateRow is one joint application on offer, its members by name.
type bundleTemplateRow struct {
	T       bundle.Template
	Lead    string
	Members []bundleMemberName
}

// bundleMemberName is a template's member with the names of the items it
// waits for.
type bundleMemberName struct {
	Code, Name, Department string
	After                  []string
}

// bundleMemberNames names a template's members and their prerequisites.
func (h *Handlers) bundleMemberNames(r *http.Request, t *bundle.Template, depts map[string]string) []bundleMemberName {
	names := map[string]string{}
	deptOf := map[string]string{}
	for _, m := range t.Members {
		names[m.ItemCode] = m.ItemCode
		if it, err := h.svc.Item(r.Context(), m.ItemCode, 0); err == nil {
			names[m.ItemCode], deptOf[m.ItemCode] = it.Name, depts[it.DepartmentCode]
		}
	}
	out := make([]bundleMemberName, 0, len(t.Members))
	for _, m := range t.Members {
		row := bundleMemberName{Code: m.ItemCode, Name: names[m.ItemCode], Department: deptOf[m.ItemCode]}
		for _, p := range m.After {
			row.After = append(row.After, names[p])
		}
		out = append(out, row)
	}
	return out
}

func (h *Handlers) bundleTemplatesPage(w http.ResponseWriter, r *http.Request) {
	ts, err := h.svc.BundleTemplates(r.Context())
	if err != nil {
		h.deskError(w, r, "一件事收件", err)
		return
	}
	depts := h.deptNames(r.Context())
	rows := make([]bundleTemplateRow, 0, len(ts))
	for i := range ts {
		rows = append(rows, bundleTemplateRow{T: ts[i], Lead: depts[ts[i].LeadDepartment], Members: h.bundleMemberNames(r, &ts[i], depts)})
	}
	h.render(w, r, http.StatusOK, "desk_bundle_templates", view{Title: "一件事收件", Data: rows})
}

// bundleFormMember is one member item on the one-form intake.
type bundleFormMember struct {
	D      *service.DeskItem
	After  []string // the names of the items it waits for
	DueMin string   // deferral due date bounds, when the item allows deferral
	DueMax string
}

// bundleFormData is the one-form intake (一表式收件) of a template.
type bundleFormData struct {
	T           *bundle.Template
	Lead        string
	Members     []bundleFormMember
	Person      bool // every member accepts natural persons
	Entity      bool // every member accepts organisations
	PersonTypes []identity.IDType
	Errors      []fieldMessage
}

func (h *Handlers) windowBundleForm(w http.ResponseWriter, r *http.Request) {
	h.showWindowBundleForm(w, r, http.StatusOK, view{}, r.PathValue("code"), nil)
}

// showWindowBundleForm renders the one form of template code: empty with its
// defaults when v.Form is nil, else as typed with failure's messages by
// their fields. A member's applicant, agent and delivery messages (the same
// for every member) are shown once, by the shared fields.
func (h *Handlers) showWindowBundleForm(w http.ResponseWriter, r *http.Request, status int, v view, code string, failure error) {
	ctx := r.Context()
	t, err := h.svc.BundleTemplate(ctx, code)
	if err != nil {
		h.deskError(w, r, "一件事收件", err)
		return
	}
	depts := h.deptNames(ctx)
	data := bundleFormData{T: t, Lead: depts[t.LeadDepartment], Person: true, Entity: true, PersonTypes: personIDTypes}
	names := h.bundleMemberNames(r, t, depts)
	for i, m := range t.Members {
		d, err := h.svc.IntakeItem(ctx, m.ItemCode)
		if err != nil {
			h.deskError(w, r, "一件事收件", err)
			return
		}
		fm := bundleFormMember{D: d, After: names[i].After}
		if !d.DeferralDue.IsZero() {
			fm.DueMin = calendar.DateOf(h.svc.Now()).AddDays(1).String()
			fm.DueMax = calendar.DateOf(d.DeferralDue).String()
		}
		person, entity := false, false
		for _, k := range d.Item.ApplicantKinds {
			person = person || k == catalog.NaturalPerson
			entity = entity || k != catalog.NaturalPerson
		}
		data.Person, data.Entity = data.Person && person, data.Entity && entity
		data.Members = append(data.Members, fm)
	}
	if v.Form == nil {
		kind, idType := casework.Entity, identity.CreditCode
		if data.Person && !data.Entity {
			kind, idType = casework.Person, identity.ResidentID
		}
		v.Form = url.Values{"applicant.kind": {string(kind)}, "applicant.id_type": {string(idType)},
			"agent.id_type": {string(identity.ResidentID)}, "delivery.method": {string(casework.Pickup)}}
		for _, m := range data.Members {
			if m.DueMax != "" {
				v.Form.Set("deferral_due."+m.D.Item.Code, m.DueMax)
			}
		}
	}
	if failure != nil {
		status = h.formError(r, &v, failure)
		v.Form = r.PostForm
		v.Field = map[string]string{}
		itemNames := map[string]string{}
		for _, m := range data.Members {
			itemNames[m.D.Item.Code] = m.D.Item.Name
		}
		for _, f := range apperr.FieldsOf(failure) {
			field, msg := f.Field, f.Message
			if code, rest, ok := strings.Cut(field, "."); ok && itemNames[code] != "" && bundleSharedField(rest) {
				field, msg = rest, strings.TrimPrefix(msg, itemNames[code]+"：")
				if v.Field[field] != "" {
					continue // every member says the same of the shared fields
				}
			}
			if prev := v.Field[field]; prev != "" {
				v.Field[field] = prev + "；" + msg
			} else {
				v.Field[field] = msg
			}
			data.Errors = append(data.Errors, fieldMessage{Href: "#" + fieldID(field), Message: msg})
		}
	}
	v.Title, v.Data = "一件事收件 · "+t.Name, data
	h.render(w, r, status, "desk_bundle_form", v)
}

// bundleSharedField reports whether a member's field is one of the form's
// shared ones: the applicant, the agent, the delivery.
func bundleSharedField(field string) bool {
	for _, p := range []string{"applicant.", "agent.", "delivery.", "channel"} {
		if strings.HasPrefix(field, p) {
			return true
		}
	}
	return false
}

// bundleIntakeFromForm reads the one form: the applicant, agent and
// delivery as the single intake form names them, the shared fields
// ("form.<key>"), and each member's materials ("material.<item>.<code>")
// and deferral due date ("deferral_due.<item>").
func bundleIntakeFromForm(t *bundle.Template, f url.Values) service.BundleIntake {
	base := intakeFromForm("", f)
	in := service.BundleIntake{Template: t.Code, Applicant: base.Applicant, Agent: base.Agent, Delivery: base.Delivery, Form: map[string]string{}}
	for k := range f {
		if key, ok := strings.CutPrefix(k, "form."); ok {
			in.Form[key] = f.Get(k)
		}
	}
	for _, m := range t.Members {
		marks := url.Values{}
		for k, vs := range f {
			if code, ok := strings.CutPrefix(k, "material."+m.ItemCode+"."); ok {
				marks["material."+code] = vs
			}
		}
		member := service.BundleMember{ItemCode: m.ItemCode}
		var deferred bool
		member.Materials, deferred = materialsFromForm(marks)
		if deferred {
			member.DeferralDue = strings.TrimSpace(f.Get("deferral_due." + m.ItemCode))
		}
		in.Members = append(in.Members, member)
	}
	return in
}

// takeInBundle takes the joint application in and goes to its page, where
// each member's receipt notice is printed.
func (h *Handlers) takeInBundle(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.deskError(w, r, "一件事收件", apperr.New(apperr.Invalid, "表单有误，请重试"))
		return
	}
	ctx := r.Context()
	code := r.PostFormValue("template")
	t, err := h.svc.BundleTemplate(ctx, code)
	if err != nil {
		h.deskError(w, r, "一件事收件", err)
		return
	}
	bv, err := h.svc.IntakeBundle(ctx, bundleIntakeFromForm(t, r.PostForm))
	if err != nil {
		h.showWindowBundleForm(w, r, 0, view{Form: r.PostForm}, code, err)
		return
	}
	b := bv.Bundle
	flash := fmt.Sprintf("已收件：%s，一件事编号 %s，共 %d 件办件。请逐件打印收件通知书交申请人", b.Name, b.Number, len(bv.Cases))
	for _, cv := range bv.Cases {
		if cv.Case.DeferredOutstanding() {
			flash += "，有容缺材料的办件请申请人签署容缺受理承诺书"
			break
		}
	}
	flash += "。"
	link := ""
	for _, cv := range bv.Cases {
		if msg := h.linkCaseToVisit(r, cv.Case.Number); msg != "" {
			link = msg
		}
	}
	h.redirect(w, r, "/bundles/"+b.Number, flash+link)
}

// ---- 一件事：部门与窗口的一件事列表 ----

// bundleRow is one joint application in a list.
type bundleRow struct {
	B         bundle.Bundle
	Applicant casework.Party // masked
	Lead      string
	OwnLead   bool // the viewer's department leads it
	Warning   calendar.Warning
	DueWords  string
}

type bundlesData struct {
	State string
	Rows  []bundleRow
}

// bundlesDesk lists the joint applications the viewer may see: a
// department's (as lead or member), or all for the desks and supervisors;
// open ones by default, the earliest due first.
func (h *Handlers) bundlesDesk(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	state := r.URL.Query().Get("state")
	filter := bundle.Open
	switch state {
	case "", "open":
		state = "open"
	case "done":
		filter = bundle.Done
	case "all":
		filter = ""
	default:
		h.deskError(w, r, "一件事", apperr.Field("state", "状态须为 open、done 或 all"))
		return
	}
	bs, err := h.svc.Bundles(ctx, filter)
	if err != nil {
		h.deskError(w, r, "一件事", err)
		return
	}
	cal, err := h.svc.Calendar(ctx, "")
	if err != nil {
		h.deskError(w, r, "一件事", err)
		return
	}
	u := service.UserFrom(ctx)
	depts := h.deptNames(ctx)
	now := h.svc.Now()
	d := bundlesData{State: state}
	for _, b := range bs {
		row := bundleRow{B: b, Applicant: b.Applicant.Masked(), Lead: depts[b.LeadDepartment], Warning: b.Warning(cal, now),
			OwnLead: u.Role.NeedsDepartment() && u.DepartmentCode == b.LeadDepartment}
		if b.State == bundle.Open {
			row.DueWords = DueWords(cal, now, b.DueBy)
		}
		d.Rows = append(d.Rows, row)
	}
	// Red first, then yellow, each by due date (the service's order).
	rank := func(w calendar.Warning) int {
		switch w {
		case calendar.WarningRed:
			return 0
		case calendar.WarningYellow:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(d.Rows, func(a, b bundleRow) int { return rank(a.Warning) - rank(b.Warning) })
	h.render(w, r, http.StatusOK, "desk_bundles", view{Title: "一件事", Data: d})
}

// bundleMemberRow is one member of a bundle as the viewer sees it.
type bundleMemberRow struct {
	M        bundle.MemberCase
	V        *service.CaseView
	Dept     string
	After    []string // the names of the items it waits for
	Waiting  []string // the names of those not yet decided
	Due      *dueLine // its most urgent running deadline
	Link     bool     // the viewer may open the case
	Details  bool     // the viewer sees its details (the lead sees every member's)
	Receipt  bool     // taken in at the window: its receipt notice prints
	Decision string
}

// bundleFormLine is one field of a bundle's shared form.
type bundleFormLine struct {
	Label, Value string
}

type bundleDeskData struct {
	B         *service.BundleView
	Applicant casework.Party // masked
	Lead      string
	OwnLead   bool
	DueWords  string
	Form      []bundleFormLine
	Members   []bundleMemberRow
}

// bundleDesk shows a joint application: its own state and deadline, its
// lead department, the shared form and each member with its order, state
// and running deadline.
func (h *Handlers) bundleDesk(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	bv, err := h.svc.Bundle(ctx, r.PathValue("number"))
	if err != nil {
		h.deskError(w, r, "一件事", err)
		return
	}
	cal, err := h.svc.Calendar(ctx, "")
	if err != nil {
		h.deskError(w, r, "一件事", err)
		return
	}
	u := service.UserFrom(ctx)
	now := h.svc.Now()
	depts := h.deptNames(ctx)
	b := bv.Bundle
	d := bundleDeskData{B: bv, Applicant: b.Applicant.Masked(), Lead: depts[b.LeadDepartment],
		OwnLead: u.Role.NeedsDepartment() && u.DepartmentCode == b.LeadDepartment}
	if b.State == bundle.Open {
		d.DueWords = DueWords(cal, now, b.DueBy)
	}
	for _, f := range bv.Template.Fields {
		if val := b.Form[f.Key]; val != "" {
			d.Form = append(d.Form, bundleFormLine{Label: f.Label, Value: val})
		}
	}
	names := map[string]string{}
	for _, m := range b.Members {
		names[m.ItemCode] = m.ItemName
	}
	for i, m := range b.Members {
		row := bundleMemberRow{M: m, Dept: depts[m.Department], Receipt: b.Channel != casework.Online}
		if i < len(bv.Cases) {
			row.V = bv.Cases[i]
		}
		for _, p := range m.After {
			row.After = append(row.After, names[p])
		}
		own := !u.Role.NeedsDepartment() || u.DepartmentCode == m.Department
		row.Link, row.Details = own, own || d.OwnLead
		if row.V != nil {
			c := row.V.Case
			for _, p := range c.WaitingFor {
				row.Waiting = append(row.Waiting, names[p])
			}
			for _, o := range row.V.Open {
				if row.Due == nil || o.At.Before(row.Due.At) {
					row.Due = &dueLine{Name: o.Name, At: o.At, Words: DueWords(cal, now, o.At), Warning: cal.Warn(now, o.At)}
				}
			}
			switch c.Outcome {
			case casework.Approve:
				row.Decision = "准予"
			case casework.Deny:
				row.Decision = "不予"
			}
		}
		d.Members = append(d.Members, row)
	}
	h.render(w, r, http.StatusOK, "desk_bundle", view{Title: "一件事 " + b.Number + " · " + b.Name, Data: d})
}

// ---- 代办员 ----

// agentMandate is one mandate given to the agent, with its standing.
type agentMandate struct {
	A      applicant.Authorisation
	Status string // 有效 / 已到期 / 已撤销
	Active bool
	Scope  []catalog.Item // the items in scope; none: every item
}

type agentDeskData struct {
	Mandates    []agentMandate
	Cases       []caseRow
	OnlineItems []catalog.Item // items that may be applied for online
}

// deskOnlineItems returns the catalog's current items by code, and those that
// may be applied for online (promised items with online service).
func (h *Handlers) deskOnlineItems(r *http.Request) (map[string]catalog.Item, []catalog.Item, error) {
	items, err := h.svc.Items(r.Context(), service.ItemFilter{})
	if err != nil {
		return nil, nil, err
	}
	byCode := map[string]catalog.Item{}
	var online []catalog.Item
	for _, it := range items {
		byCode[it.Code] = it
		if it.Kind == catalog.Promised && (it.OnlineLevel == catalog.OnlinePre || it.OnlineLevel == catalog.OnlineFull) {
			online = append(online, it)
		}
	}
	return byCode, online, nil
}

// mandateStatus names where a mandate stands at now.
func mandateStatus(a *applicant.Authorisation, now time.Time) (string, bool) {
	switch {
	case !a.RevokedAt.IsZero() && !now.Before(a.RevokedAt):
		return "已撤销", false
	case !a.Active(now):
		return "已到期", false
	}
	return "有效", true
}

// agentDesk is the agent's page: the mandates given to them, the cases
// they may follow, and online applications for their applicants.
func (h *Handlers) agentDesk(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ms, err := h.svc.Authorisations(ctx)
	if err != nil {
		h.deskError(w, r, "代办", err)
		return
	}
	byCode, online, err := h.deskOnlineItems(r)
	if err != nil {
		h.deskError(w, r, "代办", err)
		return
	}
	now := h.svc.Now()
	d := agentDeskData{OnlineItems: online}
	for _, m := range ms {
		am := agentMandate{A: m}
		am.Status, am.Active = mandateStatus(&m, now)
		for _, code := range m.Items {
			it, ok := byCode[code]
			if !ok {
				it = catalog.Item{Code: code, Name: code}
			}
			am.Scope = append(am.Scope, it)
		}
		d.Mandates = append(d.Mandates, am)
	}
	slices.SortStableFunc(d.Mandates, func(a, b agentMandate) int {
		if a.Active != b.Active {
			if a.Active {
				return -1
			}
			return 1
		}
		return b.A.CreatedAt.Compare(a.A.CreatedAt)
	})
	cases, err := h.svc.MyCases(ctx)
	if err != nil {
		h.deskError(w, r, "代办", err)
		return
	}
	cal, err := h.svc.Calendar(ctx, "")
	if err != nil {
		h.deskError(w, r, "代办", err)
		return
	}
	d.Cases = h.rows(cal, now, cases)
	h.render(w, r, http.StatusOK, "desk_agent", view{Title: "代办", Data: d})
}

// agentCase is the timeline of a case the agent follows.
func (h *Handlers) agentCase(w http.ResponseWriter, r *http.Request) {
	t, err := h.svc.CaseTimeline(r.Context(), r.PathValue("number"))
	if err != nil {
		h.deskError(w, r, "代办 · 办件进度", err)
		return
	}
	h.render(w, r, http.StatusOK, "desk_agent_case", view{Title: "代办 · 办件 " + t.View.Case.Number, Data: t})
}

// agentApplyData is the form of an online application an agent makes for
// an applicant.
type agentApplyData struct {
	Mandate *applicant.Authorisation
	Item    *catalog.Item
	Covered bool // the mandate covers the item now: the form is shown
	Errors  []fieldMessage
}

// agentMandateFor returns the agent's current mandate from the account, or
// why there is none to apply under.
func (h *Handlers) agentMandateFor(r *http.Request, account int64) (*applicant.Authorisation, error) {
	ms, err := h.svc.Authorisations(r.Context())
	if err != nil {
		return nil, err
	}
	now := h.svc.Now()
	var found *applicant.Authorisation
	for i := range ms {
		if ms[i].AccountID != account {
			continue
		}
		if ms[i].Active(now) {
			return &ms[i], nil
		}
		found = &ms[i]
	}
	if found != nil {
		status, _ := mandateStatus(found, now)
		return nil, apperr.New(apperr.Forbidden, "%s 对您的代办授权%s，不能代为申报", found.Applicant, status)
	}
	return nil, apperr.New(apperr.Forbidden, "您没有该申请人的代办授权")
}

func (h *Handlers) agentApplyForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	account, _ := strconv.ParseInt(q.Get("account"), 10, 64)
	h.showAgentApply(w, r, http.StatusOK, view{}, account, q.Get("item"), nil)
}

// showAgentApply renders the online application form of item for the
// account; failure's messages go by their fields, a refusal of the mandate
// at the top.
func (h *Handlers) showAgentApply(w http.ResponseWriter, r *http.Request, status int, v view, account int64, item string, failure error) {
	m, err := h.agentMandateFor(r, account)
	if err != nil {
		h.deskError(w, r, "代为网上申报", err)
		return
	}
	it, err := h.svc.Item(r.Context(), item, 0)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			err = apperr.New(apperr.NotFound, "未知的事项：%s", item)
		}
		h.deskError(w, r, "代为网上申报", err)
		return
	}
	d := agentApplyData{Mandate: m, Item: it}
	if v.Form == nil {
		v.Form = url.Values{"delivery.method": {string(casework.Pickup)}}
	}
	if failure != nil {
		status = h.formError(r, &v, failure)
		v.Form = r.PostForm
		for _, f := range apperr.FieldsOf(failure) {
			d.Errors = append(d.Errors, fieldMessage{Href: "#" + fieldID(f.Field), Message: f.Message})
		}
	}
	// Told before the files are chosen, not after them: the service
	// refuses the same on submission.
	if err := m.Covers(it.Code, h.svc.Now()); err != nil {
		if v.Error == "" {
			v.Error = apperr.MessageOf(err)
			status = http.StatusForbidden
		}
	} else {
		d.Covered = true
	}
	v.Title, v.Data = "代为网上申报 · "+it.Name, d
	h.render(w, r, status, "desk_agent_apply", v)
}

// agentApply uploads every file chosen and submits the application in the
// applicant's name. A refused file refuses the whole application: nothing
// of the case is kept, and the form says which file and why.
func (h *Handlers) agentApply(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		h.deskError(w, r, "代为网上申报", apperr.New(apperr.Invalid, "上传的内容过大或不完整，请重新选择文件后提交"))
		return
	}
	defer r.MultipartForm.RemoveAll()
	f := r.PostForm
	account, _ := strconv.ParseInt(f.Get("account"), 10, 64)
	item := f.Get("item")
	it, err := h.svc.Item(ctx, item, 0)
	if err != nil {
		h.showAgentApply(w, r, 0, view{}, account, item, err)
		return
	}
	files := map[string][]casework.FileRef{}
	var bad apperr.Collector
	for _, spec := range it.Materials {
		for _, fh := range r.MultipartForm.File["file."+spec.Code] {
			file, err := fh.Open()
			if err != nil {
				bad.Add("file."+spec.Code, "文件「"+fh.Filename+"」读取失败，请重新选择")
				continue
			}
			ref, err := h.svc.UploadFile(ctx, fh.Filename, file)
			file.Close()
			if err != nil {
				if !apperr.Is(err, apperr.Invalid) {
					h.showAgentApply(w, r, 0, view{}, account, item, err)
					return
				}
				bad.Add("file."+spec.Code, spec.Name+"："+apperr.MessageOf(err))
				continue
			}
			files[spec.Code] = append(files[spec.Code], ref)
		}
	}
	if err := bad.Err("有文件未能上传，申请未提交；请重新选择这些文件"); err != nil {
		h.showAgentApply(w, r, 0, view{}, account, item, err)
		return
	}
	var delivery *casework.Delivery
	if base := intakeFromForm("", f); base.Delivery != nil {
		delivery = base.Delivery
	}
	cv, err := h.svc.SubmitOnline(ctx, service.OnlineDraft{ItemCode: it.Code, Files: files, Delivery: delivery, AccountID: account})
	if err != nil {
		h.showAgentApply(w, r, 0, view{}, account, item, err)
		return
	}
	c := cv.Case
	h.redirect(w, r, "/agent/cases/"+c.Number, fmt.Sprintf("已代 %s 网上申报「%s」，办件编号 %s；部门将在 %s 前完成预审。",
		c.Applicant.Name, c.ItemName, c.Number, fmtTime(c.Deadlines.PreReviewBy, "2006-01-02 15:04")))
}
