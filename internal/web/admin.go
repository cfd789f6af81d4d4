package web

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
)

// The administration pages (issue 4, item 9): the catalog editor with its
// versions, the calendar as a year grid, departments, halls and windows,
// and accounts with their roles. Every page asks the service first whether
// the user may use it; the service checks every change again.
func (h *Handlers) registerAdmin(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin", h.signedIn(h.adminIndex))

	mux.HandleFunc("GET /admin/items", h.signedIn(h.adminItems))
	mux.HandleFunc("GET /admin/items/new", h.signedIn(h.newItemForm))
	mux.HandleFunc("POST /admin/items", h.signedIn(h.createItem))
	mux.HandleFunc("GET /admin/items/{code}/edit", h.signedIn(h.editItemForm))
	mux.HandleFunc("POST /admin/items/{code}", h.signedIn(h.updateItem))
	mux.HandleFunc("GET /admin/items/{code}/versions", h.signedIn(h.itemVersions))
	mux.HandleFunc("GET /admin/items/{code}/versions/{version}", h.signedIn(h.itemVersion))

	mux.HandleFunc("GET /admin/calendar", h.signedIn(h.adminCalendar))
	mux.HandleFunc("POST /admin/calendar/day", h.signedIn(h.changeDay))

	mux.HandleFunc("GET /admin/halls", h.signedIn(h.adminHalls))
	mux.HandleFunc("POST /admin/halls", h.signedIn(h.addHall))
	mux.HandleFunc("POST /admin/windows", h.signedIn(h.addWindow))
	mux.HandleFunc("GET /admin/departments", h.signedIn(h.adminDepartments))
	mux.HandleFunc("POST /admin/departments", h.signedIn(h.addDepartment))

	mux.HandleFunc("GET /admin/users", h.signedIn(h.adminUsers))
	mux.HandleFunc("POST /admin/users", h.signedIn(h.addUser))
	mux.HandleFunc("GET /admin/users/{username}", h.signedIn(h.adminUser))
	mux.HandleFunc("POST /admin/users/{username}", h.signedIn(h.updateUser))
	mux.HandleFunc("POST /admin/users/{username}/active", h.signedIn(h.setUserActive))
	mux.HandleFunc("POST /admin/users/{username}/password", h.signedIn(h.resetPassword))
}

// option is one choice of a select, a radio group or a set of checkboxes.
type option struct {
	Value, Label string
}

// subform is one of several forms on a page: what was typed and the
// messages next to its fields, kept apart so that a refusal shows only on
// the form it concerns.
type subform struct {
	Values url.Values
	Errors map[string]string
}

// adminPage is what every administration page shows above its content.
type adminPage struct {
	Tabs      []navItem // the sections the user may use
	ActiveTab string    // the tab the page belongs to
}

// adminTabs returns the administration menu of the signed-in user.
func (h *Handlers) adminTabs(r *http.Request) adminPage {
	acc, err := h.svc.AdminAccess(r.Context())
	if err != nil {
		return adminPage{}
	}
	var tabs []navItem
	if acc.Catalog {
		label := "事项目录"
		if acc.Department != "" {
			label = "本部门事项"
		}
		tabs = append(tabs, navItem{"/admin/items", label})
	}
	if acc.Calendar {
		tabs = append(tabs, navItem{"/admin/calendar", "工作日历"})
	}
	if acc.Org {
		tabs = append(tabs, navItem{"/admin/halls", "大厅和窗口"}, navItem{"/admin/departments", "部门"})
	}
	if acc.Users {
		label := "账号和角色"
		if acc.Department != "" {
			label = "本部门审批人员"
		}
		tabs = append(tabs, navItem{"/admin/users", label})
	}
	p := adminPage{Tabs: tabs, ActiveTab: "/admin"}
	for _, t := range tabs {
		if r.URL.Path == t.Href || strings.HasPrefix(r.URL.Path, t.Href+"/") {
			p.ActiveTab = t.Href
		}
	}
	if strings.HasPrefix(r.URL.Path, "/admin/windows") {
		p.ActiveTab = "/admin/halls"
	}
	return p
}

// refuse shows the error page for a page the user may not open, or that
// does not exist.
func (h *Handlers) refuse(w http.ResponseWriter, r *http.Request, err error) {
	v := view{Title: "系统管理"}
	h.render(w, r, h.formError(r, &v, err), "error", v)
}

// parseForm parses a posted form; a malformed one is refused with 400.
func (h *Handlers) parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		v := view{Title: "系统管理", Error: "表单有误，请返回重试"}
		h.render(w, r, http.StatusBadRequest, "error", v)
		return false
	}
	return true
}

// splitErrors moves v's field messages into a subform, for pages with
// several forms.
func splitErrors(v *view, r *http.Request) subform {
	f := subform{Values: r.PostForm, Errors: v.Field}
	v.Field, v.Form = nil, nil
	return f
}

// ---- the index ----

type adminIndexData struct {
	adminPage
	Access service.AdminAccess
}

func (h *Handlers) adminIndex(w http.ResponseWriter, r *http.Request) {
	acc, err := h.svc.AdminAccess(r.Context())
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "admin", view{Title: "系统管理", Data: adminIndexData{h.adminTabs(r), acc}})
}

// ---- the catalog ----

// Chinese names of the catalog's codes.
var (
	kindOptions   = []option{{string(catalog.Promised), "承诺件"}, {string(catalog.Instant), "即办件"}}
	onlineOptions = []option{{string(catalog.OnlineNone), "不能网办"}, {string(catalog.OnlinePre), "网上预审"}, {string(catalog.OnlineFull), "全程网办"}}
	applicantKind = map[catalog.ApplicantKind]string{
		catalog.NaturalPerson: "自然人", catalog.Enterprise: "企业法人", catalog.Institution: "事业单位法人",
		catalog.SocialOrg: "社会组织法人", catalog.AdminOrgan: "行政机关", catalog.OtherOrg: "其他组织",
	}
)

// label returns the label of value among opts, or value itself.
func label(opts []option, value string) string {
	for _, o := range opts {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}

type adminItemsData struct {
	adminPage
	Query, Department, Kind, Type string
	OwnDepartment                 string // a department admin's department; "" for a bureau admin
	Departments                   []org.Department
	Types                         []catalog.Type
	Kinds                         []option
	Items                         []catalog.Item
}

// adminItems lists the items the user may edit, with filters.
func (h *Handlers) adminItems(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	acc, err := h.svc.AdminAccess(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	d := adminItemsData{adminPage: h.adminTabs(r), Query: strings.TrimSpace(q.Get("q")), Department: q.Get("department"),
		Kind: q.Get("kind"), Type: q.Get("type"), OwnDepartment: acc.Department, Types: catalog.Types, Kinds: kindOptions}
	if acc.Department != "" {
		d.Department = acc.Department
	}
	v := view{Title: "事项目录"}
	status := http.StatusOK
	if d.Departments, err = h.svc.Departments(ctx); err == nil {
		d.Items, err = h.svc.EditableItems(ctx, service.ItemFilter{Query: d.Query, Department: d.Department, Kind: catalog.Kind(d.Kind)})
	}
	if err != nil {
		status = h.formError(r, &v, err)
	}
	if d.Type != "" {
		d.Items = slices.DeleteFunc(d.Items, func(it catalog.Item) bool { return string(it.Type) != d.Type })
	}
	v.Data = d
	h.render(w, r, status, "admin_items", v)
}

// itemForm is the item editor's form as typed: numbers stay text, so
// that "abc" typed into a number field comes back as typed, with its
// message.
type itemForm struct {
	New                                       bool
	Code, Name, Type, Department, Kind        string
	StatutoryDays, PromisedDays, DeferralDays string
	Delegated                                 bool
	LegalBasis, Conditions, Fees, OnlineLevel string
	SpecialProcedures                         string
	CollectAtIssuance                         string // one per line
	ApplicantKinds                            map[string]bool
	Materials                                 []materialRow
	BaseVersion                               int
	From                                      int           // the older version whose content the form was filled with
	Current                                   *catalog.Item // the current version, when a stale edit was refused
}

// materialRow is one row of the materials table; Index is the number in
// its fields' names ("materials[3].code").
type materialRow struct {
	Index                                   int
	Key                                     string            // the number as the field names carry it
	No                                      string            // the row number shown
	Errors                                  map[string]string // messages by field ("code", "copies" …)
	Code, Name, Originals, Copies, Notes    string
	Required, Paper, Electronic, Deferrable bool
}

// blankRows is how many empty material rows the editor offers, so that
// materials can be added without JavaScript.
const blankRows = 3

// maxRows caps the material rows a form may post.
const maxRows = 200

func formOfItem(it *catalog.Item) itemForm {
	f := itemForm{
		Code: it.Code, Name: it.Name, Type: string(it.Type), Department: it.DepartmentCode, Kind: string(it.Kind),
		StatutoryDays: strconv.Itoa(it.StatutoryDays), PromisedDays: strconv.Itoa(it.PromisedDays), DeferralDays: strconv.Itoa(it.DeferralDays),
		Delegated: it.Delegated, LegalBasis: it.LegalBasis, Conditions: it.Conditions, Fees: it.Fees,
		OnlineLevel: string(it.OnlineLevel), SpecialProcedures: it.SpecialProcedures,
		CollectAtIssuance: strings.Join(it.CollectAtIssuance, "\n"), ApplicantKinds: map[string]bool{},
		BaseVersion: it.Version,
	}
	for _, k := range it.ApplicantKinds {
		f.ApplicantKinds[string(k)] = true
	}
	for i, m := range it.Materials {
		f.Materials = append(f.Materials, materialRow{Index: i, Code: m.Code, Name: m.Name,
			Originals: strconv.Itoa(m.Originals), Copies: strconv.Itoa(m.Copies), Notes: m.Notes,
			Required: m.Required, Paper: m.Paper, Electronic: m.Electronic, Deferrable: m.Deferrable})
	}
	return f
}

// formOfPost reads the editor's form as posted. Material rows are taken in
// the order of their numbers; rows left blank or marked for removal are
// dropped and the rest renumbered from 0, as the item will number them,
// so that messages about "materials[2]" land on the row shown third.
func formOfPost(p url.Values, code string) itemForm {
	f := itemForm{
		New: code == "", Code: code, Name: p.Get("name"), Type: p.Get("type"), Department: p.Get("department"), Kind: p.Get("kind"),
		StatutoryDays: p.Get("statutory_days"), PromisedDays: p.Get("promised_days"), DeferralDays: p.Get("deferral_days"),
		Delegated: p.Get("delegated") != "", LegalBasis: p.Get("legal_basis"), Conditions: p.Get("conditions"), Fees: p.Get("fees"),
		OnlineLevel: p.Get("online_level"), SpecialProcedures: p.Get("special_procedures"),
		CollectAtIssuance: p.Get("collect_at_issuance"), ApplicantKinds: map[string]bool{},
	}
	if f.New {
		f.Code = strings.TrimSpace(p.Get("code"))
	}
	f.BaseVersion, _ = strconv.Atoi(p.Get("base_version"))
	f.From, _ = strconv.Atoi(p.Get("from"))
	for _, k := range p["applicant_kinds"] {
		f.ApplicantKinds[k] = true
	}
	rows := map[int]url.Values{}
	for key, vals := range p {
		rest, ok := strings.CutPrefix(key, "materials[")
		if !ok {
			continue
		}
		num, field, ok := strings.Cut(rest, "].")
		i, err := strconv.Atoi(num)
		if !ok || err != nil || i < 0 || len(vals) == 0 {
			continue
		}
		if rows[i] == nil {
			if len(rows) >= maxRows {
				continue
			}
			rows[i] = url.Values{}
		}
		rows[i].Set(field, vals[0])
	}
	nums := make([]int, 0, len(rows))
	for i := range rows {
		nums = append(nums, i)
	}
	sort.Ints(nums)
	for _, i := range nums {
		m := rows[i]
		row := materialRow{Index: len(f.Materials), Code: strings.TrimSpace(m.Get("code")), Name: strings.TrimSpace(m.Get("name")),
			Originals: strings.TrimSpace(m.Get("originals")), Copies: strings.TrimSpace(m.Get("copies")), Notes: strings.TrimSpace(m.Get("notes")),
			Required: m.Get("required") != "", Paper: m.Get("paper") != "", Electronic: m.Get("electronic") != "", Deferrable: m.Get("deferrable") != ""}
		if m.Get("remove") != "" || row.Code == "" && row.Name == "" && row.Notes == "" {
			continue
		}
		f.Materials = append(f.Materials, row)
	}
	return f
}

// item turns the form into an item; numbers that are not numbers are
// refused next to their fields.
func (f *itemForm) item() (*catalog.Item, error) {
	var c apperr.Collector
	num := func(field, s string) int {
		s = strings.TrimSpace(s)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			c.Add(field, "请填写不小于 0 的整数")
		}
		return n
	}
	it := &catalog.Item{
		Code: f.Code, Name: f.Name, Type: catalog.Type(f.Type), DepartmentCode: f.Department, Kind: catalog.Kind(f.Kind),
		StatutoryDays: num("statutory_days", f.StatutoryDays), PromisedDays: num("promised_days", f.PromisedDays),
		DeferralDays: num("deferral_days", f.DeferralDays), Delegated: f.Delegated,
		LegalBasis: strings.TrimSpace(f.LegalBasis), Conditions: strings.TrimSpace(f.Conditions), Fees: strings.TrimSpace(f.Fees),
		OnlineLevel: catalog.OnlineLevel(f.OnlineLevel), SpecialProcedures: strings.TrimSpace(f.SpecialProcedures),
	}
	for _, line := range strings.Split(f.CollectAtIssuance, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			it.CollectAtIssuance = append(it.CollectAtIssuance, line)
		}
	}
	for _, k := range catalog.ApplicantKinds {
		if f.ApplicantKinds[string(k)] {
			it.ApplicantKinds = append(it.ApplicantKinds, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(f.ApplicantKinds)) {
		if !catalog.ApplicantKind(k).Valid() {
			it.ApplicantKinds = append(it.ApplicantKinds, catalog.ApplicantKind(k)) // for Validate to name
		}
	}
	for _, row := range f.Materials {
		p := fmt.Sprintf("materials[%d]", row.Index)
		it.Materials = append(it.Materials, catalog.Material{
			Code: row.Code, Name: row.Name, Required: row.Required,
			Originals: num(p+".originals", row.Originals), Copies: num(p+".copies", row.Copies),
			Paper: row.Paper, Electronic: row.Electronic, Deferrable: row.Deferrable, Notes: row.Notes,
		})
	}
	return it, c.Err("请检查标出的数字")
}

type itemEditorData struct {
	adminPage
	Form           itemForm
	Action         string // where the form posts
	Blank          []materialRow
	TemplateRow    materialRow
	NextIndex      int
	Types          []catalog.Type
	Departments    []org.Department
	Kinds          []option
	OnlineLevels   []option
	ApplicantKinds []option
}

// showItemForm renders the editor with f; v carries any messages.
func (h *Handlers) showItemForm(w http.ResponseWriter, r *http.Request, status int, v view, f itemForm) {
	ctx := r.Context()
	acc, err := h.svc.AdminAccess(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	depts, err := h.svc.Departments(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	if acc.Department != "" {
		depts = slices.DeleteFunc(depts, func(d org.Department) bool { return d.Code != acc.Department })
		if f.New && f.Department == "" {
			f.Department = acc.Department
		}
	}
	d := itemEditorData{adminPage: h.adminTabs(r), Form: f, Types: catalog.Types, Departments: depts,
		Kinds: kindOptions, OnlineLevels: onlineOptions}
	for _, k := range catalog.ApplicantKinds {
		d.ApplicantKinds = append(d.ApplicantKinds, option{string(k), applicantKind[k]})
	}
	for i := range d.Form.Materials {
		row := &d.Form.Materials[i]
		row.Key, row.No = strconv.Itoa(row.Index), strconv.Itoa(row.Index+1)
		prefix := "materials[" + row.Key + "]."
		for k, msg := range v.Field {
			if name, ok := strings.CutPrefix(k, prefix); ok {
				if row.Errors == nil {
					row.Errors = map[string]string{}
				}
				row.Errors[name] = msg
			}
		}
	}
	blank := func(i int) materialRow {
		return materialRow{Index: i, Key: strconv.Itoa(i), No: strconv.Itoa(i + 1), Required: true, Paper: true, Originals: "1", Copies: "0"}
	}
	for i := range blankRows {
		d.Blank = append(d.Blank, blank(len(f.Materials)+i))
	}
	d.NextIndex = len(f.Materials) + blankRows
	// admin.js copies this row for "添加一行", putting the row's number
	// in place of the placeholders.
	d.TemplateRow = blank(0)
	d.TemplateRow.Key, d.TemplateRow.No = "__key__", "__no__"
	if f.New {
		d.Action = "/admin/items"
		v.Title = "新增事项"
	} else {
		d.Action = "/admin/items/" + url.PathEscape(f.Code)
		v.Title = "编辑事项 " + f.Code
	}
	v.Data = d
	h.render(w, r, status, "admin_item_form", v)
}

func (h *Handlers) newItemForm(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.MayAdminister(r.Context(), service.SectionCatalog); err != nil {
		h.refuse(w, r, err)
		return
	}
	f := itemForm{New: true, Kind: string(catalog.Promised), OnlineLevel: string(catalog.OnlinePre), Fees: "不收费",
		Type: string(catalog.Licence), ApplicantKinds: map[string]bool{}}
	h.showItemForm(w, r, http.StatusOK, view{}, f)
}

// editItemForm opens the editor on the current version, or with ?from=N
// on an older version's content, to be saved as a new version.
func (h *Handlers) editItemForm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	code := r.PathValue("code")
	cur, err := h.svc.ItemForEdit(ctx, code)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	f := formOfItem(cur)
	if from, _ := strconv.Atoi(r.URL.Query().Get("from")); from > 0 && from != cur.Version {
		old, err := h.svc.ItemRevision(ctx, code, from)
		if err != nil {
			h.refuse(w, r, err)
			return
		}
		f = formOfItem(old)
		f.BaseVersion, f.From = cur.Version, from
	}
	h.showItemForm(w, r, http.StatusOK, view{}, f)
}

func (h *Handlers) createItem(w http.ResponseWriter, r *http.Request) { h.submitItem(w, r, "") }

func (h *Handlers) updateItem(w http.ResponseWriter, r *http.Request) {
	h.submitItem(w, r, r.PathValue("code"))
}

// submitItem saves the editor's form as a new version of the item (code
// "" for a new item). A refusal shows the form again as typed, with every
// message next to its field; a stale edit also shows the version that got
// there first and offers to save over it.
func (h *Handlers) submitItem(w http.ResponseWriter, r *http.Request, code string) {
	if !h.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	f := formOfPost(r.PostForm, code)
	base := f.BaseVersion
	if over, err := strconv.Atoi(r.PostFormValue("overwrite_version")); err == nil && over > 0 {
		base = over // the user has seen the newer version and keeps their edit
	}
	it, err := f.item()
	if err == nil {
		err = h.svc.SaveItem(ctx, it, base)
	}
	if err != nil {
		var v view
		status := h.formError(r, &v, err)
		v.Form = nil
		if n := len(v.Field); n > 1 {
			v.Error = fmt.Sprintf("%s：共 %d 处需要修改，已在各栏下方标出", v.Error, n)
		}
		if apperr.Is(err, apperr.Conflict) && !f.New {
			if cur, e := h.svc.ItemForEdit(ctx, code); e == nil && cur.Version != f.BaseVersion {
				f.Current = cur
			}
		}
		h.showItemForm(w, r, status, v, f)
		return
	}
	h.redirect(w, r, "/admin/items/"+url.PathEscape(it.Code)+"/versions",
		fmt.Sprintf("事项 %s 已保存为第 %d 版", it.Code, it.Version))
}

type itemVersionsData struct {
	adminPage
	Code     string
	Versions []catalog.Item
}

func (h *Handlers) itemVersions(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	versions, err := h.svc.ItemHistory(r.Context(), code)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	v := view{Title: "历史版本 " + code, Data: itemVersionsData{h.adminTabs(r), code, versions}}
	h.render(w, r, http.StatusOK, "admin_item_versions", v)
}

type itemVersionData struct {
	adminPage
	Item           *catalog.Item
	Current        int      // the current version's number
	Changes        []string // what this version changed from the one before
	KindLabel      string
	OnlineLabel    string
	ApplicantKinds []string
}

// itemVersion shows one version in full, with what it changed.
func (h *Handlers) itemVersion(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	code := r.PathValue("code")
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || n < 1 {
		h.refuse(w, r, apperr.New(apperr.NotFound, "没有这个版本"))
		return
	}
	cur, err := h.svc.ItemForEdit(ctx, code)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	it, err := h.svc.ItemRevision(ctx, code, n)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	d := itemVersionData{adminPage: h.adminTabs(r), Item: it, Current: cur.Version,
		KindLabel: label(kindOptions, string(it.Kind)), OnlineLabel: label(onlineOptions, string(it.OnlineLevel))}
	for _, k := range it.ApplicantKinds {
		d.ApplicantKinds = append(d.ApplicantKinds, applicantKind[k])
	}
	if n > 1 {
		if prev, err := h.svc.ItemRevision(ctx, code, n-1); err == nil {
			d.Changes = itemChanges(prev, it)
		}
	}
	h.render(w, r, http.StatusOK, "admin_item_version", view{Title: fmt.Sprintf("%s 第 %d 版", code, n), Data: d})
}

// itemChanges says in words what b changed from a.
func itemChanges(a, b *catalog.Item) []string {
	var out []string
	field := func(name, x, y string) {
		if x != y {
			out = append(out, fmt.Sprintf("%s：%s → %s", name, orDash(x), orDash(y)))
		}
	}
	text := func(name, x, y string) {
		if x != y {
			out = append(out, name+"已修改")
		}
	}
	yes := func(b bool) string {
		if b {
			return "是"
		}
		return "否"
	}
	field("事项名称", a.Name, b.Name)
	field("事项类型", string(a.Type), string(b.Type))
	field("实施部门", a.DepartmentCode, b.DepartmentCode)
	field("办件类型", label(kindOptions, string(a.Kind)), label(kindOptions, string(b.Kind)))
	field("法定时限（工作日）", strconv.Itoa(a.StatutoryDays), strconv.Itoa(b.StatutoryDays))
	field("承诺时限（工作日）", strconv.Itoa(a.PromisedDays), strconv.Itoa(b.PromisedDays))
	field("容缺补齐期限（工作日）", strconv.Itoa(a.DeferralDays), strconv.Itoa(b.DeferralDays))
	field("窗口授权办理", yes(a.Delegated), yes(b.Delegated))
	field("收费", a.Fees, b.Fees)
	field("网办深度", label(onlineOptions, string(a.OnlineLevel)), label(onlineOptions, string(b.OnlineLevel)))
	text("设定依据", a.LegalBasis, b.LegalBasis)
	text("受理条件", a.Conditions, b.Conditions)
	text("特别程序", a.SpecialProcedures, b.SpecialProcedures)
	field("出件时收回", strings.Join(a.CollectAtIssuance, "、"), strings.Join(b.CollectAtIssuance, "、"))
	kinds := func(ks []catalog.ApplicantKind) string {
		var s []string
		for _, k := range ks {
			s = append(s, applicantKind[k])
		}
		return strings.Join(s, "、")
	}
	field("申请人类型", kinds(a.ApplicantKinds), kinds(b.ApplicantKinds))
	var aCodes, bCodes []string
	for _, m := range a.Materials {
		aCodes = append(aCodes, m.Code)
		if n, ok := b.Material(m.Code); !ok {
			out = append(out, "删除材料 "+m.Code+" "+m.Name)
		} else if n != m {
			out = append(out, "修改材料 "+m.Code+" "+n.Name)
		}
	}
	for _, m := range b.Materials {
		bCodes = append(bCodes, m.Code)
		if _, ok := a.Material(m.Code); !ok {
			out = append(out, "新增材料 "+m.Code+" "+m.Name)
		}
	}
	common := func(codes []string, other *catalog.Item) []string {
		return slices.DeleteFunc(slices.Clone(codes), func(c string) bool { _, ok := other.Material(c); return !ok })
	}
	if !slices.Equal(common(aCodes, b), common(bCodes, a)) {
		out = append(out, "调整了材料顺序")
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "（无）"
	}
	return s
}

// ---- the calendar ----

// calDay is one cell of the year grid. Its state is always in words and a
// symbol too, never in colour alone.
type calDay struct {
	ISO   string // 2026-10-01
	Day   int
	Class string // work, weekend, holiday, swap
	Mark  string // 班 or 休, or "" for an ordinary working day
	Short string // the name as the cell shows it
	Label string // the whole state in words, for the title and screen readers
	Own   bool   // the entry is kept at this level (district, or the hall)
	Sel   bool   // the day whose form is open
}

type calMonth struct {
	Name    string
	Weeks   [][]*calDay // seven cells a week from Monday; nil outside the month
	Working int
}

// dayForm is the form that changes the selected day.
type dayForm struct {
	Date         calendar.Date
	ISO, Label   string
	Own          *calendar.Override // the entry at this level, which a reset removes
	Set, Name    string             // the choice and name as typed, or as they stand
	Errors       map[string]string
	OwnLevelName string
}

type calendarData struct {
	adminPage
	Year, Prev, Next int
	Hall             string
	HallName         string
	Halls            []org.Hall
	Months           []calMonth
	Working          int
	Form             *dayForm
	Names            []string // suggested names
}

var weekdays = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

func (h *Handlers) adminCalendar(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	h.showCalendar(w, r, http.StatusOK, view{}, q.Get("year"), q.Get("hall"), q.Get("date"), nil)
}

// showCalendar renders the year grid of the district or of a hall, with
// the form of date open when date is a date of the year.
func (h *Handlers) showCalendar(w http.ResponseWriter, r *http.Request, status int, v view, yearText, hall, date string, typed *dayForm) {
	ctx := r.Context()
	if err := h.svc.MayAdminister(ctx, service.SectionCalendar); err != nil {
		h.refuse(w, r, err)
		return
	}
	year := calendar.DateOf(h.svc.Now()).Year
	selected, dateErr := calendar.ParseDate(date)
	if dateErr == nil && yearText == "" {
		year = selected.Year
	}
	if yearText != "" {
		n, err := strconv.Atoi(yearText)
		if err != nil {
			h.refuse(w, r, apperr.Field("year", "年份须为四位数字"))
			return
		}
		year = n
	}
	sheet, err := h.svc.CalendarSheet(ctx, year, hall)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	halls, err := h.svc.Halls(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	d := calendarData{adminPage: h.adminTabs(r), Year: year, Prev: year - 1, Next: year + 1, Hall: hall, Halls: halls,
		Names: []string{"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节", "春节调休上班", "国庆节调休上班", "大厅设备检修", "大厅临时闭厅"}}
	for _, x := range halls {
		if x.Code == hall {
			d.HallName = x.Name
		}
	}
	for m := time.January; m <= time.December; m++ {
		d.Months = append(d.Months, calMonth{Name: fmt.Sprintf("%d月", int(m))})
	}
	for _, di := range sheet.Days {
		month := &d.Months[di.Date.Month-1]
		if di.Date.Day == 1 || len(month.Weeks) == 0 {
			month.Weeks = append(month.Weeks, make([]*calDay, 7))
		}
		col := (int(di.Date.Weekday()) + 6) % 7 // Monday first
		if col == 0 && di.Date.Day != 1 {
			month.Weeks = append(month.Weeks, make([]*calDay, 7))
		}
		_, own := sheet.Own[di.Date]
		cell := describeDay(di, own && hall != "")
		cell.Own = own
		cell.Sel = dateErr == nil && di.Date == selected
		month.Weeks[len(month.Weeks)-1][col] = cell
		if di.Working {
			month.Working++
			d.Working++
		}
		if cell.Sel {
			f := &dayForm{Date: di.Date, ISO: cell.ISO, Label: cell.Label, OwnLevelName: "全区日历"}
			if hall != "" {
				f.OwnLevelName = "本大厅"
			}
			if o, ok := sheet.Own[di.Date]; ok {
				f.Own = &o
				f.Name = o.Name
				f.Set = "off"
				if o.Working {
					f.Set = "working"
				}
			} else if di.Working {
				f.Set = "off"
			} else {
				f.Set = "working"
			}
			if typed != nil {
				f.Set, f.Name, f.Errors = typed.Set, typed.Name, typed.Errors
			}
			d.Form = f
		}
	}
	if v.Title == "" {
		v.Title = fmt.Sprintf("%d 年工作日历", year)
	}
	v.Data = d
	h.render(w, r, status, "admin_calendar", v)
}

// describeDay puts a day's state into a cell: the symbol, a short name and
// the whole state in words.
func describeDay(di calendar.DayInfo, hallOwn bool) *calDay {
	c := &calDay{ISO: di.Date.String(), Day: di.Date.Day}
	when := fmt.Sprintf("%d年%d月%d日 %s", di.Date.Year, int(di.Date.Month), di.Date.Day, weekdays[di.Date.Weekday()])
	switch {
	case di.Working && (di.Weekend || di.Name != ""):
		c.Class, c.Mark = "swap", "班"
		c.Short = "调休"
		if !di.Weekend {
			c.Short = shorten(di.Name)
		}
		c.Label = when + " 上班（" + orText(di.Name, "调休上班") + "）"
	case di.Working:
		c.Class, c.Label = "work", when+" 工作日"
	case di.Name != "":
		c.Class, c.Mark, c.Short = "holiday", "休", shorten(di.Name)
		c.Label = when + " 休息（" + di.Name + "）"
	default:
		c.Class, c.Mark, c.Label = "weekend", "休", when+" 休息日（周末）"
	}
	if hallOwn {
		c.Label += "，本大厅自定"
	}
	return c
}

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// shorten keeps a name short enough for a grid cell; the full name is in
// the cell's label.
func shorten(s string) string {
	r := []rune(s)
	if len(r) > 4 {
		return string(r[:4])
	}
	return s
}

// changeDay sets one day of the district's or a hall's calendar to a
// working day or a day off with its name, or resets it.
func (h *Handlers) changeDay(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	hall, set, name := p.Get("hall"), p.Get("set"), strings.TrimSpace(p.Get("name"))
	ch := service.DayChange{}
	var err error
	ch.Date, err = calendar.ParseDate(p.Get("date"))
	switch {
	case err != nil:
		err = apperr.Field("date", "请选择日期")
	case set == "working" || set == "off":
		ch.Working, ch.Name = set == "working", name
	case set == "reset":
		ch.Reset = true
	default:
		err = apperr.Field("set", "请选择设为上班、休息或恢复默认")
	}
	if err == nil {
		err = h.svc.ChangeDays(r.Context(), hall, []service.DayChange{ch})
	}
	if err != nil {
		var v view
		status := h.formError(r, &v, err)
		// The service names the fields by date ("days[2026-10-08].name");
		// the form has one date.
		typed := &dayForm{Set: set, Name: p.Get("name"), Errors: map[string]string{}}
		for k, msg := range v.Field {
			if i := strings.LastIndex(k, "."); strings.HasPrefix(k, "days[") && i > 0 {
				k = k[i+1:]
			}
			typed.Errors[k] = msg
		}
		v.Field, v.Form = nil, nil
		h.showCalendar(w, r, status, v, p.Get("year"), hall, p.Get("date"), typed)
		return
	}
	where := "全区日历"
	if hall != "" {
		where = "大厅 " + hall + " 的日历"
	}
	what := "已恢复默认"
	switch {
	case set == "working":
		what = "已设为上班（" + name + "）"
	case set == "off":
		what = "已设为休息（" + name + "）"
	}
	q := url.Values{"year": {strconv.Itoa(ch.Date.Year)}, "date": {ch.Date.String()}}
	if hall != "" {
		q.Set("hall", hall)
	}
	h.redirect(w, r, "/admin/calendar?"+q.Encode()+"#day-"+ch.Date.String(),
		fmt.Sprintf("%s：%d年%d月%d日%s", where, ch.Date.Year, int(ch.Date.Month), ch.Date.Day, what))
}

// ---- departments, halls and windows ----

var (
	levelOptions      = []option{{string(org.District), "区政务服务中心"}, {string(org.Street), "街道为民服务中心"}, {string(org.Community), "村(社区)便民服务站"}}
	windowKindOptions = []option{{string(org.IntakeWindow), "综合受理窗口"}, {string(org.IssuanceWindow), "综合出件窗口"}, {string(org.SpecialisedWindow), "专业窗口"}}
)

type hallRow struct {
	Hall       org.Hall
	LevelLabel string
	ParentName string
	Windows    []windowRow
}

type windowRow struct {
	Window         org.Window
	KindLabel      string
	DepartmentName string
}

type hallsData struct {
	adminPage
	Halls        []hallRow
	AllHalls     []org.Hall
	Departments  []org.Department
	Levels       []option
	WindowKinds  []option
	Hall, Window subform
}

func (h *Handlers) adminHalls(w http.ResponseWriter, r *http.Request) {
	h.showHalls(w, r, http.StatusOK, view{}, subform{}, subform{})
}

func (h *Handlers) showHalls(w http.ResponseWriter, r *http.Request, status int, v view, hallF, windowF subform) {
	ctx := r.Context()
	if err := h.svc.MayAdminister(ctx, service.SectionOrg); err != nil {
		h.refuse(w, r, err)
		return
	}
	halls, err := h.svc.Halls(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	windows, err := h.svc.Windows(ctx, "")
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	depts, err := h.svc.Departments(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	deptName := map[string]string{}
	for _, d := range depts {
		deptName[d.Code] = d.Name
	}
	hallName := map[string]string{}
	for _, x := range halls {
		hallName[x.Code] = x.Name
	}
	d := hallsData{adminPage: h.adminTabs(r), AllHalls: halls, Departments: depts, Levels: levelOptions, WindowKinds: windowKindOptions,
		Hall: hallF, Window: windowF}
	for _, x := range halls {
		row := hallRow{Hall: x, LevelLabel: label(levelOptions, string(x.Level)), ParentName: hallName[x.ParentCode]}
		for _, win := range windows {
			if win.HallCode == x.Code {
				row.Windows = append(row.Windows, windowRow{win, label(windowKindOptions, string(win.Kind)), deptName[win.DepartmentCode]})
			}
		}
		d.Halls = append(d.Halls, row)
	}
	if v.Title == "" {
		v.Title = "大厅和窗口"
	}
	v.Data = d
	h.render(w, r, status, "admin_halls", v)
}

func (h *Handlers) addHall(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	hall := org.Hall{Code: p.Get("code"), Name: p.Get("name"), Level: org.HallLevel(p.Get("level")),
		ParentCode: p.Get("parent_code"), Address: p.Get("address")}
	if err := h.svc.CreateHall(r.Context(), &hall); err != nil {
		var v view
		status := h.formError(r, &v, err)
		h.showHalls(w, r, status, v, splitErrors(&v, r), subform{})
		return
	}
	h.redirect(w, r, "/admin/halls#hall-"+hall.Code, "已添加大厅："+hall.Name)
}

func (h *Handlers) addWindow(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	win := org.Window{HallCode: p.Get("hall_code"), Number: p.Get("number"), Name: p.Get("name"),
		Kind: org.WindowKind(p.Get("kind")), DepartmentCode: p.Get("department_code")}
	if err := h.svc.CreateWindow(r.Context(), &win); err != nil {
		var v view
		status := h.formError(r, &v, err)
		h.showHalls(w, r, status, v, subform{}, splitErrors(&v, r))
		return
	}
	h.redirect(w, r, "/admin/halls#hall-"+win.HallCode, "已添加窗口："+win.HallCode+" "+win.Number+" "+win.Name)
}

type departmentsData struct {
	adminPage
	Departments []org.Department
}

func (h *Handlers) adminDepartments(w http.ResponseWriter, r *http.Request) {
	h.showDepartments(w, r, http.StatusOK, view{})
}

func (h *Handlers) showDepartments(w http.ResponseWriter, r *http.Request, status int, v view) {
	ctx := r.Context()
	if err := h.svc.MayAdminister(ctx, service.SectionOrg); err != nil {
		h.refuse(w, r, err)
		return
	}
	depts, err := h.svc.Departments(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	v.Title = "部门"
	v.Data = departmentsData{h.adminTabs(r), depts}
	h.render(w, r, status, "admin_departments", v)
}

func (h *Handlers) addDepartment(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	d := org.Department{Code: p.Get("code"), Name: p.Get("name"), CreditCode: p.Get("credit_code")}
	if err := h.svc.CreateDepartment(r.Context(), &d); err != nil {
		var v view
		status := h.formError(r, &v, err)
		h.showDepartments(w, r, status, v)
		return
	}
	h.redirect(w, r, "/admin/departments", "已添加部门："+d.Name)
}

// ---- accounts and roles ----

type usersData struct {
	adminPage
	Query, Role, State string
	OwnDepartment      string // a department admin's department
	Users              []org.User
	Total              int
	Roles              []option // the roles the user may give
	AllRoles           []option
	Departments        []org.Department
	DeptName           map[string]string
	Halls              []org.Hall
	HallName           map[string]string
	Add                subform
	Created            *createdAccount
}

// createdAccount is an account just added, with its generated password,
// shown this once.
type createdAccount struct {
	Username, Name, Password string
}

func roleOptions(roles []org.Role) []option {
	out := make([]option, 0, len(roles))
	for _, r := range roles {
		out = append(out, option{string(r), r.Label()})
	}
	return out
}

// orgChoices returns what the account forms choose from: the roles the
// user may give, the departments and the halls.
func (h *Handlers) orgChoices(r *http.Request) (acc service.AdminAccess, roles []option, depts []org.Department, halls []org.Hall, err error) {
	ctx := r.Context()
	if acc, err = h.svc.AdminAccess(ctx); err != nil {
		return
	}
	if depts, err = h.svc.Departments(ctx); err != nil {
		return
	}
	if halls, err = h.svc.Halls(ctx); err != nil {
		return
	}
	roles = roleOptions(org.Roles)
	if acc.Department != "" {
		roles = roleOptions([]org.Role{org.RoleReviewer})
		depts = slices.DeleteFunc(depts, func(d org.Department) bool { return d.Code != acc.Department })
	}
	return
}

func (h *Handlers) adminUsers(w http.ResponseWriter, r *http.Request) {
	h.showUsers(w, r, http.StatusOK, view{}, subform{}, nil)
}

func (h *Handlers) showUsers(w http.ResponseWriter, r *http.Request, status int, v view, add subform, created *createdAccount) {
	ctx := r.Context()
	users, err := h.svc.ManagedUsers(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	acc, roles, depts, halls, err := h.orgChoices(r)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	q := r.URL.Query()
	d := usersData{adminPage: h.adminTabs(r), Query: strings.TrimSpace(q.Get("q")), Role: q.Get("role"), State: q.Get("state"),
		OwnDepartment: acc.Department, Total: len(users), Roles: roles, AllRoles: roleOptions(org.Roles),
		Departments: depts, DeptName: map[string]string{}, Halls: halls, HallName: map[string]string{}, Add: add, Created: created}
	all, _ := h.svc.Departments(ctx)
	for _, x := range all {
		d.DeptName[x.Code] = x.Name
	}
	for _, x := range halls {
		d.HallName[x.Code] = x.Name
	}
	if d.Add.Values == nil && acc.Department != "" {
		d.Add.Values = url.Values{"role": {string(org.RoleReviewer)}, "department": {acc.Department}}
	}
	for _, u := range users {
		switch {
		case d.Role != "" && string(u.Role) != d.Role,
			d.State == "active" && !u.Active, d.State == "inactive" && u.Active,
			d.Query != "" && !strings.Contains(u.Username, strings.ToLower(d.Query)) && !strings.Contains(u.Name, d.Query):
			continue
		}
		d.Users = append(d.Users, u)
	}
	v.Title = "账号和角色"
	v.Data = d
	h.render(w, r, status, "admin_users", v)
}

// addUser adds an account; a password left blank is generated and shown
// once.
func (h *Handlers) addUser(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	u := org.User{Username: p.Get("username"), Name: strings.TrimSpace(p.Get("name")), Role: org.Role(p.Get("role")),
		DepartmentCode: strings.TrimSpace(p.Get("department")), HallCode: strings.TrimSpace(p.Get("hall"))}
	password, generated := p.Get("password"), false
	if password == "" {
		password, generated = service.TemporaryPassword(), true
	}
	if err := h.svc.AddUser(r.Context(), &u, password); err != nil {
		var v view
		status := h.formError(r, &v, err)
		add := splitErrors(&v, r)
		add.Values = cloneValues(add.Values)
		add.Values.Del("password") // a password is never sent back
		h.showUsers(w, r, status, v, add, nil)
		return
	}
	created := &createdAccount{Username: u.Username, Name: u.Name}
	if generated {
		created.Password = password
	}
	h.showUsers(w, r, http.StatusOK, view{Flash: "已添加账号：" + u.Username + "（" + u.Name + "）"}, subform{}, created)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = slices.Clone(x)
	}
	return out
}

type userData struct {
	adminPage
	Account     *org.User
	Self        bool
	Edit        subform
	Roles       []option
	Departments []org.Department
	Halls       []org.Hall
	DeptName    string
	HallName    string
	NewPassword string // a reset password, shown this once
}

func (h *Handlers) adminUser(w http.ResponseWriter, r *http.Request) {
	h.showUser(w, r, http.StatusOK, view{}, subform{}, "")
}

func (h *Handlers) showUser(w http.ResponseWriter, r *http.Request, status int, v view, edit subform, newPassword string) {
	u, err := h.svc.ManagedUser(r.Context(), r.PathValue("username"))
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	_, roles, depts, halls, err := h.orgChoices(r)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	if edit.Values == nil {
		edit.Values = url.Values{"name": {u.Name}, "role": {string(u.Role)}, "department": {u.DepartmentCode}, "hall": {u.HallCode}}
	}
	d := userData{adminPage: h.adminTabs(r), Account: u, Edit: edit, Roles: roles, Departments: depts, Halls: halls, NewPassword: newPassword}
	if me := service.UserFrom(r.Context()); me != nil && me.ID == u.ID {
		d.Self = true
	}
	if !slices.ContainsFunc(roles, func(o option) bool { return o.Value == string(u.Role) }) {
		d.Roles = append(d.Roles, option{string(u.Role), u.Role.Label()})
	}
	all, _ := h.svc.Departments(r.Context())
	for _, x := range all {
		if x.Code == u.DepartmentCode {
			d.DeptName = x.Name
		}
	}
	for _, x := range halls {
		if x.Code == u.HallCode {
			d.HallName = x.Name
		}
	}
	v.Title = "账号 " + u.Username
	v.Data = d
	h.render(w, r, status, "admin_user", v)
}

func (h *Handlers) updateUser(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	username := r.PathValue("username")
	u, err := h.svc.UpdateUser(r.Context(), username, service.AccountChange{Name: p.Get("name"), Role: org.Role(p.Get("role")),
		DepartmentCode: p.Get("department"), HallCode: p.Get("hall")})
	if err != nil {
		var v view
		status := h.formError(r, &v, err)
		h.showUser(w, r, status, v, splitErrors(&v, r), "")
		return
	}
	h.redirect(w, r, "/admin/users/"+url.PathEscape(u.Username), "已保存账号 "+u.Username+" 的修改")
}

func (h *Handlers) setUserActive(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	username := r.PathValue("username")
	active := r.PostFormValue("active") == "true"
	if err := h.svc.SetActive(r.Context(), username, active); err != nil {
		var v view
		status := h.formError(r, &v, err)
		if status == http.StatusNotFound {
			h.refuse(w, r, err)
			return
		}
		h.showUser(w, r, status, v, subform{}, "")
		return
	}
	msg := "已停用账号 " + username + "：该账号不能再登录，其接口令牌已作废"
	if active {
		msg = "已启用账号 " + username
	}
	h.redirect(w, r, "/admin/users/"+url.PathEscape(username), msg)
}

// resetPassword gives the account a new password and shows it once, on
// this answer only.
func (h *Handlers) resetPassword(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	password, err := h.svc.ResetPassword(r.Context(), r.PathValue("username"))
	if err != nil {
		var v view
		status := h.formError(r, &v, err)
		if status == http.StatusNotFound {
			h.refuse(w, r, err)
			return
		}
		h.showUser(w, r, status, v, subform{}, "")
		return
	}
	h.showUser(w, r, http.StatusOK, view{Flash: "密码已重置；该账号原有的接口令牌已作废"}, subform{}, password)
}
