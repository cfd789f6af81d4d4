package desk

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/bundle"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

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
		h.DeskError(w, r, "一件事收件", err)
		return
	}
	depts := h.deptNames(r.Context())
	rows := make([]bundleTemplateRow, 0, len(ts))
	for i := range ts {
		rows = append(rows, bundleTemplateRow{T: ts[i], Lead: depts[ts[i].LeadDepartment], Members: h.bundleMemberNames(r, &ts[i], depts)})
	}
	h.render(w, r, http.StatusOK, "desk_bundle_templates", page.View{Title: "一件事收件", Data: rows})
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
	Errors      []page.FieldMessage
	// Shared are the materials two or more members ask for, checked once
	// (bundle.SharedMaterials); ItemNames names the members' items.
	Shared    []bundle.SharedMaterial
	ItemNames map[string]string
}

// IsShared reports whether material code of item is checked among the
// shared materials rather than in the member's own list.
func (d bundleFormData) IsShared(item, code string) bool {
	for _, s := range d.Shared {
		if s.UsedBy(item, code) {
			return true
		}
	}
	return false
}

func (h *Handlers) windowBundleForm(w http.ResponseWriter, r *http.Request) {
	h.showWindowBundleForm(w, r, http.StatusOK, page.View{}, r.PathValue("code"), nil)
}

// showWindowBundleForm renders the one form of template code: empty with its
// defaults when v.Form is nil, else as typed with failure's messages by
// their fields. A member's applicant, agent and delivery messages (the same
// for every member) are shown once, by the shared fields.
func (h *Handlers) showWindowBundleForm(w http.ResponseWriter, r *http.Request, status int, v page.View, code string, failure error) {
	ctx := r.Context()
	t, err := h.svc.BundleTemplate(ctx, code)
	if err != nil {
		h.DeskError(w, r, "一件事收件", err)
		return
	}
	depts := h.deptNames(ctx)
	data := bundleFormData{T: t, Lead: depts[t.LeadDepartment], Person: true, Entity: true, PersonTypes: personIDTypes}
	names := h.bundleMemberNames(r, t, depts)
	for i, m := range t.Members {
		d, err := h.svc.IntakeItem(ctx, m.ItemCode)
		if err != nil {
			h.DeskError(w, r, "一件事收件", err)
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
	data.Shared, data.ItemNames = sharedOf(data.Members), map[string]string{}
	for _, m := range data.Members {
		data.ItemNames[m.D.Item.Code] = m.D.Item.Name
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
		status = h.FormError(r, &v, failure)
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
			data.Errors = append(data.Errors, page.FieldMessage{Href: "#" + page.FieldID(field), Message: msg})
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
func bundleIntakeFromForm(t *bundle.Template, f url.Values, shared []bundle.SharedMaterial) service.BundleIntake {
	// A shared material's one mark counts for every member that asks for
	// it.
	f = withSharedMarks(f, shared)
	base := page.IntakeFromForm("", f)
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
		member.Materials, deferred = page.MaterialsFromForm(marks)
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
		h.DeskError(w, r, "一件事收件", apperr.New(apperr.Invalid, "表单有误，请重试"))
		return
	}
	ctx := r.Context()
	code := r.PostFormValue("template")
	t, err := h.svc.BundleTemplate(ctx, code)
	if err != nil {
		h.DeskError(w, r, "一件事收件", err)
		return
	}
	var members []bundleFormMember
	for _, m := range t.Members {
		d, err := h.svc.IntakeItem(ctx, m.ItemCode)
		if err != nil {
			h.DeskError(w, r, "一件事收件", err)
			return
		}
		members = append(members, bundleFormMember{D: d})
	}
	bv, err := h.svc.IntakeBundle(h.atDesk(r), bundleIntakeFromForm(t, r.PostForm, sharedOf(members)))
	if err != nil {
		h.showWindowBundleForm(w, r, 0, page.View{Form: r.PostForm}, code, err)
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
	h.Redirect(w, r, "/bundles/"+b.Number, flash+visitLinked(bv.Visit))
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
		h.DeskError(w, r, "一件事", apperr.Field("state", "状态须为 open、done 或 all"))
		return
	}
	bs, err := h.svc.BundleList(ctx, filter) // red first, then yellow, each by due date
	if err != nil {
		h.DeskError(w, r, "一件事", err)
		return
	}
	u := service.UserFrom(ctx)
	depts := h.deptNames(ctx)
	d := bundlesData{State: state}
	for _, x := range bs {
		b := x.Bundle
		d.Rows = append(d.Rows, bundleRow{B: b, Applicant: b.Applicant.Masked(), Lead: depts[b.LeadDepartment], Warning: x.Warning,
			DueWords: x.DueWords, OwnLead: u.Role.NeedsDepartment() && u.DepartmentCode == b.LeadDepartment})
	}
	h.render(w, r, http.StatusOK, "desk_bundles", page.View{Title: "一件事", Data: d})
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
		h.DeskError(w, r, "一件事", err)
		return
	}
	u := service.UserFrom(ctx)
	depts := h.deptNames(ctx)
	b := bv.Bundle
	d := bundleDeskData{B: bv, Applicant: b.Applicant.Masked(), Lead: depts[b.LeadDepartment],
		OwnLead: u.Role.NeedsDepartment() && u.DepartmentCode == b.LeadDepartment}
	d.DueWords = bv.DueWords // "" once done
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
			row.Due = row.V.Next()
			switch c.Outcome {
			case casework.Approve:
				row.Decision = "准予"
			case casework.Deny:
				row.Decision = "不予"
			}
		}
		d.Members = append(d.Members, row)
	}
	h.render(w, r, http.StatusOK, "desk_bundle", page.View{Title: "一件事 " + b.Number + " · " + b.Name, Data: d})
}

// sharedOf returns the materials the members share (bundle.SharedMaterials).
func sharedOf(members []bundleFormMember) []bundle.SharedMaterial {
	items := make([]*catalog.Item, 0, len(members))
	for _, m := range members {
		items = append(items, m.D.Item)
	}
	return bundle.SharedMaterials(items)
}

// withSharedMarks copies each shared material's mark ("shared.<i>") to the
// members' materials it stands for ("material.<item>.<code>"), leaving f
// as it was.
func withSharedMarks(f url.Values, shared []bundle.SharedMaterial) url.Values {
	if len(shared) == 0 {
		return f
	}
	out := url.Values{}
	for k, vs := range f {
		out[k] = vs
	}
	for i, s := range shared {
		mark := f.Get("shared." + strconv.Itoa(i))
		if mark == "" {
			continue
		}
		for _, u := range s.Uses {
			out.Set("material."+u.ItemCode+"."+u.Code, mark)
		}
	}
	return out
}
