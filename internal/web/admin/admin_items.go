package admin

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The catalog editor: items with their materials, saved as new versions.

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
	v := page.View{Title: "事项目录"}
	status := http.StatusOK
	if d.Departments, err = h.svc.Departments(ctx); err == nil {
		d.Items, err = h.svc.EditableItems(ctx, service.ItemFilter{Query: d.Query, Department: d.Department, Kind: catalog.Kind(d.Kind)})
	}
	if err != nil {
		status = h.FormError(r, &v, err)
	}
	if d.Type != "" {
		d.Items = slices.DeleteFunc(d.Items, func(it catalog.Item) bool { return string(it.Type) != d.Type })
	}
	v.Data = d
	h.Render(w, r, status, "admin_items", v)
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
	ReviewLevels                              string // 1, 2 or 3
	InitialReviewDays                         string // 委托初审: 0 (none) to 5 working days
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
	Shared                                  string // where the hall obtains it through data sharing
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
	f.ReviewLevels = strconv.Itoa(it.Levels())
	f.InitialReviewDays = strconv.Itoa(it.InitialReviewDays)
	for _, k := range it.ApplicantKinds {
		f.ApplicantKinds[string(k)] = true
	}
	for i, m := range it.Materials {
		f.Materials = append(f.Materials, materialRow{Index: i, Code: m.Code, Name: m.Name,
			Originals: strconv.Itoa(m.Originals), Copies: strconv.Itoa(m.Copies), Notes: m.Notes, Shared: m.Shared,
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
		f.Code = p.Get("code") // as typed: a code with blanks is refused, not trimmed
	}
	f.ReviewLevels = p.Get("review_levels")
	f.InitialReviewDays = p.Get("initial_review_days")
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
		row := materialRow{Index: len(f.Materials), Code: m.Get("code"), Name: strings.TrimSpace(m.Get("name")),
			Originals: strings.TrimSpace(m.Get("originals")), Copies: strings.TrimSpace(m.Get("copies")), Notes: strings.TrimSpace(m.Get("notes")),
			Shared:   strings.TrimSpace(m.Get("shared")),
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
	it.ReviewLevels = num("review_levels", f.ReviewLevels)
	it.InitialReviewDays = num("initial_review_days", f.InitialReviewDays)
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
			Paper: row.Paper, Electronic: row.Electronic, Deferrable: row.Deferrable, Notes: row.Notes, Shared: row.Shared,
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
	ReviewLevels   []option
	// InitialReviews are the choices of 委托初审, the bureau admin's
	// (Bureau); a department admin reads the item's as it stands.
	InitialReviews []option
	Bureau         bool
}

// showItemForm renders the editor with f; v carries any messages.
func (h *Handlers) showItemForm(w http.ResponseWriter, r *http.Request, status int, v page.View, f itemForm) {
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
		Kinds: kindOptions, OnlineLevels: onlineOptions, ReviewLevels: reviewLevelOptions(),
		InitialReviews: initialReviewOptions(), Bureau: acc.Department == ""}
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
	h.Render(w, r, status, "admin_item_form", v)
}

func (h *Handlers) newItemForm(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.MayAdminister(r.Context(), service.SectionCatalog); err != nil {
		h.refuse(w, r, err)
		return
	}
	f := itemForm{New: true, Kind: string(catalog.Promised), OnlineLevel: string(catalog.OnlinePre), Fees: "不收费",
		Type: string(catalog.Licence), ApplicantKinds: map[string]bool{}}
	h.showItemForm(w, r, http.StatusOK, page.View{}, f)
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
	h.showItemForm(w, r, http.StatusOK, page.View{}, f)
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
		var v page.View
		status := h.FormError(r, &v, err)
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
	h.Redirect(w, r, "/admin/items/"+url.PathEscape(it.Code)+"/versions",
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
	v := page.View{Title: "历史版本 " + code, Data: itemVersionsData{h.adminTabs(r), code, versions}}
	h.Render(w, r, http.StatusOK, "admin_item_versions", v)
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
	h.Render(w, r, http.StatusOK, "admin_item_version", page.View{Title: fmt.Sprintf("%s 第 %d 版", code, n), Data: d})
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
	field("审批层级", a.LevelsLabel(), b.LevelsLabel())
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
