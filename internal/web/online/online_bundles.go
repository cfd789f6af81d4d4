package online

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/bundle"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// ---- 一件事 ----

// myBundleMember is one member item of a template.
type myBundleMember struct {
	Item       *catalog.Item
	Code       string
	Department string
	After      []string // names of the prerequisite items
	Materials  []myMaterial
	Errors     []string // what the service said of this member
}

type myTemplate struct {
	T          bundle.Template
	Department string
	Members    []myBundleMember
}

type myBundlesData struct {
	Templates []myTemplate
	Mine      []bundle.Bundle
}

// bundleTemplate returns a template with its members' items.
func (h *Handlers) bundleTemplate(r *http.Request, t bundle.Template, names map[string]string) (myTemplate, error) {
	mt := myTemplate{T: t, Department: names[t.LeadDepartment]}
	itemName := map[string]string{}
	for _, m := range t.Members {
		it, err := h.svc.Item(r.Context(), m.ItemCode, 0)
		if err != nil {
			return mt, err
		}
		itemName[m.ItemCode] = it.Name
		mt.Members = append(mt.Members, myBundleMember{Item: it, Code: it.Code, Department: names[it.DepartmentCode]})
	}
	for i, m := range t.Members {
		for _, p := range m.After {
			mt.Members[i].After = append(mt.Members[i].After, cmp.Or(itemName[p], p))
		}
	}
	return mt, nil
}

func (h *Handlers) myBundles(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	names, err := h.departmentNames(r)
	if err != nil {
		h.myFail(w, r, "一件事", err)
		return
	}
	ts, err := h.svc.BundleTemplates(ctx)
	if err != nil {
		h.myFail(w, r, "一件事", err)
		return
	}
	var d myBundlesData
	for _, t := range ts {
		mt, err := h.bundleTemplate(r, t, names)
		if err != nil {
			h.myFail(w, r, "一件事", err)
			return
		}
		d.Templates = append(d.Templates, mt)
	}
	if d.Mine, err = h.svc.MyBundles(ctx); err != nil {
		h.myFail(w, r, "一件事", err)
		return
	}
	h.Render(w, r, http.StatusOK, "my_bundles", page.View{Title: "一件事", Data: d})
}

// myBundlePage serves GET /my/bundles/{code}/apply and
// /my/bundles/view/{number}.
func (h *Handlers) myBundlePage(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.PathValue("code") == "view":
		h.myBundleView(w, r, r.PathValue("page"))
	case r.PathValue("page") == "apply":
		h.showBundleForm(w, r, http.StatusOK, page.View{}, nil)
	default:
		h.myFail(w, r, "一件事", apperr.New(apperr.NotFound, "页面不存在"))
	}
}

// loadBundleDraft returns the signed-in applicant's draft of template
// code (service.BundleDraft: kept in the database, its files referenced),
// with its maps made.
func (h *Handlers) loadBundleDraft(r *http.Request, code string) (*service.BundleDraft, error) {
	d, err := h.svc.BundleDraft(r.Context(), code)
	if err != nil {
		return nil, err
	}
	if d.Files == nil {
		d.Files = map[string]map[string][]casework.FileRef{}
	}
	return d, nil
}

// draftFileCount counts a joint application draft's files.
func draftFileCount(d *service.BundleDraft) int {
	n := 0
	for _, byMaterial := range d.Files {
		for _, fs := range byMaterial {
			n += len(fs)
		}
	}
	return n
}

// myBundleFormData is the one form (一表式) of a template.
type myBundleFormData struct {
	myTemplate
	Complete bool
	MaxFiles int
}

// showBundleForm renders the form of template {code} from the account's
// draft, or from form as posted.
func (h *Handlers) showBundleForm(w http.ResponseWriter, r *http.Request, status int, v page.View, form url.Values) {
	ctx := r.Context()
	code := r.PathValue("code")
	t, err := h.svc.BundleTemplate(ctx, code)
	if err != nil {
		h.myFail(w, r, "一件事", err)
		return
	}
	names, err := h.departmentNames(r)
	if err != nil {
		h.myFail(w, r, "一件事", err)
		return
	}
	mt, err := h.bundleTemplate(r, *t, names)
	if err != nil {
		h.myFail(w, r, "一件事", err)
		return
	}
	d, err := h.loadBundleDraft(r, code)
	if err != nil {
		h.myFail(w, r, "一件事", err)
		return
	}
	for i := range mt.Members {
		m := &mt.Members[i]
		for _, spec := range m.Item.Materials {
			mm := myMaterial{Material: spec, Error: v.Field["file."+m.Code+"."+spec.Code]}
			for _, f := range d.Files[m.Code][spec.Code] {
				mm.Files = append(mm.Files, myFile{FileRef: f})
			}
			m.Materials = append(m.Materials, mm)
		}
		for field, msg := range v.Field {
			if rest, ok := strings.CutPrefix(field, m.Code+"."); ok && !strings.HasPrefix(rest, "delivery.") {
				m.Errors = append(m.Errors, msg)
			}
		}
		slices.Sort(m.Errors)
	}
	if form == nil {
		form = url.Values{}
		for k, val := range d.Form {
			form.Set("form."+k, val)
		}
		for k, val := range deliveryForm(&d.Delivery) {
			form[k] = val
		}
	}
	v.Form = form
	v.Title = "一件事 · " + t.Name
	v.Data = myBundleFormData{myTemplate: mt, Complete: service.AccountFrom(ctx).Complete(), MaxFiles: casework.MaxFilesPerMaterial}
	h.Render(w, r, status, "my_bundle_form", v)
}

// myBundleApply takes the one form: the files chosen are uploaded and
// kept with the typed fields in the account's draft of the template; "do"
// says what else to do: submit, or clear the form. A "remove" button takes
// one kept file off.
func (h *Handlers) myBundleApply(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	code := r.PathValue("code")
	t, err := h.svc.BundleTemplate(ctx, code)
	if err != nil {
		h.myFail(w, r, "一件事", err)
		return
	}
	items := map[string]*catalog.Item{}
	for _, m := range t.Members {
		it, err := h.svc.Item(ctx, m.ItemCode, 0)
		if err != nil {
			h.myFail(w, r, "一件事", err)
			return
		}
		items[m.ItemCode] = it
	}
	d, err := h.loadBundleDraft(r, code)
	if err != nil {
		h.myFail(w, r, "一件事", err)
		return
	}
	count := map[string]int{}
	accepted := 0
	values, files, readErr := h.readUploads(r, func(field string, _ url.Values) error {
		rest, _ := strings.CutPrefix(field, "file.")
		i := strings.LastIndex(rest, ".")
		if i < 0 || items[rest[:i]] == nil {
			return apperr.Field("file", "该一件事不包含这项材料")
		}
		item, mat := rest[:i], rest[i+1:]
		if err := checkMaterial(items[item], mat, len(d.Files[item][mat])+count[rest]); err != nil {
			return err
		}
		if err := h.checkDraftFiles(draftFileCount(d) + accepted); err != nil {
			return err
		}
		if d.ID == 0 && accepted == 0 {
			// Told before the file is read, not after it is kept.
			if err := h.svc.CheckDraftRoom(ctx); err != nil {
				return err
			}
		}
		count[rest]++
		accepted++
		return nil
	})
	if values.Get("do") == "clear" {
		if err := h.svc.DeleteBundleDraft(ctx, code); err != nil {
			h.myFail(w, r, "一件事", err)
			return
		}
		h.Redirect(w, r, "/my/bundles/"+url.PathEscape(code)+"/apply", "已清空填写内容和已上传的文件。")
		return
	}
	fields := map[string]string{}
	uploaded := 0
	for _, u := range files {
		key := u.Field
		if u.Err != nil {
			fields[key] = strings.TrimPrefix(fields[key]+"；"+h.message(r, u.Err), "；")
			continue
		}
		rest := strings.TrimPrefix(key, "file.")
		i := strings.LastIndex(rest, ".")
		item, mat := rest[:i], rest[i+1:]
		if d.Files[item] == nil {
			d.Files[item] = map[string][]casework.FileRef{}
		}
		d.Files[item][mat] = append(d.Files[item][mat], u.Ref)
		uploaded++
	}
	if readErr != nil {
		fields["file"] = h.message(r, readErr)
	}
	if rm := values.Get("remove"); rm != "" {
		if parts := strings.SplitN(rm, "/", 3); len(parts) == 3 && d.Files[parts[0]] != nil {
			fs := d.Files[parts[0]][parts[1]]
			d.Files[parts[0]][parts[1]] = slices.DeleteFunc(fs, func(f casework.FileRef) bool { return f.SHA256 == parts[2] })
		}
	}
	d.Form = map[string]string{}
	for _, f := range t.Fields {
		if val := strings.TrimSpace(values.Get("form." + f.Key)); val != "" {
			d.Form[f.Key] = val
		}
	}
	d.Delivery = *deliveryFromForm(values)
	if err := h.svc.SaveBundleDraft(ctx, d); err != nil {
		v := page.View{}
		status := h.FormError(r, &v, err)
		if len(v.Field) == 0 {
			v.Field = map[string]string{"file": h.message(r, err)}
		}
		if uploaded > 0 {
			v.Error = "填写内容和本次上传的文件未能保存：" + h.message(r, err)
		}
		h.showBundleForm(w, r, status, v, values)
		return
	}

	if len(fields) > 0 {
		v := page.View{Field: fields, Error: "有文件未上传，请按材料下的提示重新选择。"}
		if uploaded > 0 {
			v.Flash = fmt.Sprintf("已上传 %d 个文件。", uploaded)
		}
		h.showBundleForm(w, r, http.StatusUnprocessableEntity, v, values)
		return
	}
	if values.Get("do") != "submit" {
		flash := "已保存填写内容。"
		switch {
		case uploaded > 0:
			flash = fmt.Sprintf("已上传 %d 个文件。", uploaded)
		case values.Get("remove") != "":
			flash = "已删除文件。"
		}
		h.Redirect(w, r, "/my/bundles/"+url.PathEscape(code)+"/apply", flash)
		return
	}
	in := service.BundleOnline{Template: code, Form: d.Form, Files: d.Files, Delivery: &d.Delivery, DraftID: d.ID}
	bv, err := h.svc.SubmitBundle(ctx, in)
	if err != nil {
		v := page.View{}
		status := h.FormError(r, &v, err)
		for field, msg := range v.Field { // every member's delivery says the same: once, by the field
			for _, m := range t.Members {
				if rest, ok := strings.CutPrefix(field, m.ItemCode+".delivery."); ok {
					v.Field["delivery."+rest] = strings.TrimPrefix(msg, items[m.ItemCode].Name+"：")
				}
			}
		}
		h.showBundleForm(w, r, status, v, values)
		return
	}
	b := bv.Bundle
	h.Redirect(w, r, "/my/bundles/view/"+url.PathEscape(b.Number),
		fmt.Sprintf("已提交「%s」：一件事编号 %s，共 %d 个事项，各部门将分别预审。", b.Name, b.Number, len(b.Members)))
}

// myBundleMemberRow is one member case of a bundle.
type myBundleMemberRow struct {
	M      bundle.MemberCase
	V      *service.CaseView
	After  []string // names of the prerequisite items
	Due    *myDue
	Waits  bool
	Depart string
}

type myBundleViewData struct {
	V       *service.BundleView
	Due     *myDue
	Fields  []bundle.Field
	Members []myBundleMemberRow
}

func (h *Handlers) myBundleView(w http.ResponseWriter, r *http.Request, number string) {
	ctx := r.Context()
	bv, err := h.svc.Bundle(ctx, number)
	if err != nil {
		h.myFail(w, r, "一件事", err)
		return
	}
	names, err := h.departmentNames(r)
	if err != nil {
		h.myFail(w, r, "一件事", err)
		return
	}
	b := bv.Bundle
	d := myBundleViewData{V: bv, Fields: bv.Template.Fields}
	if b.State == bundle.Open {
		d.Due = &myDue{Label: "一件事办结期限", At: b.DueBy, Words: bv.DueWords, Warning: bv.Warning}
	}
	itemName := map[string]string{}
	for _, m := range b.Members {
		itemName[m.ItemCode] = m.ItemName
	}
	for _, m := range b.Members {
		row := myBundleMemberRow{M: m, Depart: cmp.Or(names[m.Department], m.Department)}
		for _, cv := range bv.Cases {
			if cv.Case.Number == m.CaseNumber {
				row.V, row.Due, row.Waits = cv, nearestDue(cv), cv.Case.Waiting()
			}
		}
		for _, p := range m.After {
			row.After = append(row.After, cmp.Or(itemName[p], p))
		}
		d.Members = append(d.Members, row)
	}
	h.Render(w, r, http.StatusOK, "my_bundle", page.View{Title: "一件事 " + b.Number, Data: d})
}
