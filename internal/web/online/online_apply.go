package online

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// ---- 网上申报: items, drafts, uploads, submission ----

// myItem is an item that may be applied for online.
type myItem struct {
	catalog.Item
	Department string
	Fits       bool  // the account's kind (person or organisation) may apply
	Draft      int64 // the applicant's draft of the item, if any
}

// LevelText names the item's online level.
func (it myItem) LevelText() string { return onlineLevelText(it.OnlineLevel) }

func onlineLevelText(l catalog.OnlineLevel) string {
	switch l {
	case catalog.OnlineFull:
		return "全程网办"
	case catalog.OnlinePre:
		return "网上预审"
	}
	return "不能网办"
}

// fits reports whether the account's holder may apply for the item; an
// incomplete profile fits everything until it says who it is.
func fits(acc *applicant.Account, it *catalog.Item) bool {
	if acc == nil || acc.Kind == "" {
		return true
	}
	for _, k := range it.ApplicantKinds {
		if (k == catalog.NaturalPerson) == (acc.Kind == casework.Person) {
			return true
		}
	}
	return false
}

// departmentNames maps department codes to names.
func (h *Handlers) departmentNames(r *http.Request) (map[string]string, error) {
	deps, err := h.svc.Departments(r.Context())
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(deps))
	for _, d := range deps {
		out[d.Code] = d.Name
	}
	return out, nil
}

type myApplyListData struct {
	Query    string
	Items    []myItem
	Complete bool
}

func (h *Handlers) myApplyList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	acc := service.AccountFrom(ctx)
	d := myApplyListData{Query: strings.TrimSpace(r.URL.Query().Get("q")), Complete: acc.Complete()}
	names, err := h.departmentNames(r)
	if err != nil {
		h.myFail(w, r, "网上申报", err)
		return
	}
	items, err := h.svc.OnlineItems(ctx, d.Query)
	if err != nil {
		h.myFail(w, r, "网上申报", err)
		return
	}
	drafts, err := h.svc.Drafts(ctx)
	if err != nil {
		h.myFail(w, r, "网上申报", err)
		return
	}
	for i := range items {
		it := &items[i]
		row := myItem{Item: *it, Department: names[it.DepartmentCode], Fits: fits(acc, it)}
		for _, dr := range drafts {
			if dr.ItemCode == it.Code {
				row.Draft = dr.ID
				break
			}
		}
		d.Items = append(d.Items, row)
	}
	h.Render(w, r, http.StatusOK, "my_apply", page.View{Title: "网上申报", Data: d})
}

// myFile is an uploaded file as listed, with its download link.
type myFile struct {
	casework.FileRef
	Href string
}

// SizeText is the file's size as people read it.
func (f myFile) SizeText() string { return sizeWords(f.Size) }

// TypeText is the file's type in a word.
func (f myFile) TypeText() string {
	switch f.Type {
	case "application/pdf":
		return "PDF"
	case "image/jpeg":
		return "JPG"
	case "image/png":
		return "PNG"
	}
	return f.Type
}

func sizeWords(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.FormatInt(n, 10) + " 字节"
}

func myFiles(refs []casework.FileRef, base string) []myFile {
	out := make([]myFile, len(refs))
	for i, f := range refs {
		out[i] = myFile{FileRef: f, Href: base + url.PathEscape(f.SHA256)}
	}
	return out
}

// myMaterial is one handbook material on the application form.
type myMaterial struct {
	catalog.Material
	Files []myFile
	Error string // why an upload of it was refused
}

// myApplyData is the online application form of one item, new or from a
// draft.
type myApplyData struct {
	PickupHalls []service.PickupChoice // the halls that issue results
	Item        *catalog.Item
	Department  string
	Full        bool
	Draft       *service.OnlineDraft // nil until the first upload or save
	ID          string               // the draft's id, or "new"
	Version     int
	Materials   []myMaterial
	Fits        bool
	Complete    bool
	Errors      []page.FieldMessage // every message, for the summary at the top
	Existing    int64               // the applicant's draft of this item, offered on a new form
	MaxFiles    int
	Policy      casework.Policy // in force: the pre-review limit the form states
}

// LevelText names the item's online level.
func (d myApplyData) LevelText() string { return onlineLevelText(d.Item.OnlineLevel) }

// onlineItem returns the current version of an item that may be applied
// for online.
func (h *Handlers) onlineItem(r *http.Request, code string) (*catalog.Item, error) {
	return h.svc.OnlineItem(r.Context(), code)
}

func (h *Handlers) myApplyForm(w http.ResponseWriter, r *http.Request) {
	it, err := h.onlineItem(r, r.PathValue("code"))
	if err != nil {
		h.myFail(w, r, "网上申报", err)
		return
	}
	h.showApply(w, r, http.StatusOK, page.View{}, it, &service.OnlineDraft{ItemCode: it.Code})
}

func (h *Handlers) myDraftForm(w http.ResponseWriter, r *http.Request) {
	d, it, err := h.myDraft(r, "")
	if err != nil {
		h.myFail(w, r, "草稿", err)
		return
	}
	h.showApply(w, r, http.StatusOK, page.View{}, it, d)
}

// myDraft returns the draft {id} of the signed-in applicant with its item,
// or, for "new", an empty draft of item code.
func (h *Handlers) myDraft(r *http.Request, code string) (*service.OnlineDraft, *catalog.Item, error) {
	d := &service.OnlineDraft{ItemCode: code}
	if idText := r.PathValue("id"); idText != "new" {
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil || id <= 0 {
			return nil, nil, apperr.New(apperr.NotFound, "未找到该草稿")
		}
		if d, err = h.svc.Draft(r.Context(), id); err != nil {
			return nil, nil, err
		}
	}
	if d.ItemCode == "" {
		return nil, nil, apperr.Field("item_code", "请选择要申报的事项")
	}
	it, err := h.onlineItem(r, d.ItemCode)
	if err != nil {
		return nil, nil, err
	}
	return d, it, nil
}

// showApply renders the application form of it from draft d, with
// failure's messages (v.Field) by their materials and fields.
func (h *Handlers) showApply(w http.ResponseWriter, r *http.Request, status int, v page.View, it *catalog.Item, d *service.OnlineDraft) {
	ctx := r.Context()
	acc := service.AccountFrom(ctx)
	names, err := h.departmentNames(r)
	if err != nil {
		h.myFail(w, r, "网上申报", err)
		return
	}
	data := myApplyData{Item: it, Department: names[it.DepartmentCode], Full: it.OnlineLevel == catalog.OnlineFull, ID: "new",
		Fits: fits(acc, it), Complete: acc.Complete(), MaxFiles: casework.MaxFilesPerMaterial, Policy: h.PolicyInForce(ctx)}
	if d.ID != 0 {
		data.Draft, data.ID, data.Version = d, strconv.FormatInt(d.ID, 10), d.Version
	} else if drafts, err := h.svc.Drafts(ctx); err == nil {
		for _, x := range drafts {
			if x.ItemCode == it.Code {
				data.Existing = x.ID
				break
			}
		}
	}
	base := "/my/files/drafts/" + data.ID + "/"
	for _, m := range it.Materials {
		mm := myMaterial{Material: m, Error: v.Field["file."+m.Code]}
		mm.Files = myFiles(d.Files[m.Code], base)
		data.Materials = append(data.Materials, mm)
	}
	for field, msg := range v.Field {
		href := "#" + strings.ReplaceAll(field, ".", "-")
		if code, ok := strings.CutPrefix(field, "file."); ok {
			href = "#m-" + code
		} else if field == "files" || field == "item_code" || strings.HasPrefix(field, "applicant.") {
			href = "#materials"
		}
		data.Errors = append(data.Errors, page.FieldMessage{Href: href, Message: msg})
	}
	slices.SortFunc(data.Errors, func(a, b page.FieldMessage) int { return cmp.Compare(a.Href, b.Href) })
	if v.Form == nil {
		v.Form = deliveryForm(d.Delivery)
		v.Form.Set("pickup_hall", d.PickupHall)
	}
	if data.PickupHalls, err = h.svc.PickupHalls(ctx); err != nil {
		h.myFail(w, r, "网上申报", err)
		return
	}
	v.Title, v.Data = "网上申报 · "+it.Name, data
	h.Render(w, r, status, "my_apply_form", v)
}

// deliveryForm fills the delivery fields from a saved choice.
func deliveryForm(d *casework.Delivery) url.Values {
	f := url.Values{"delivery.method": {string(casework.Pickup)}}
	if d != nil && d.Method != "" {
		f.Set("delivery.method", string(d.Method))
		f.Set("delivery.address", d.Address)
		f.Set("delivery.recipient", d.Recipient)
		f.Set("delivery.phone", d.Phone)
	}
	return f
}

// deliveryFromForm reads the delivery fields.
func deliveryFromForm(f url.Values) *casework.Delivery {
	switch m := casework.DeliveryMethod(f.Get("delivery.method")); m {
	case "", casework.Pickup:
		return &casework.Delivery{Method: casework.Pickup}
	case casework.Mail:
		return &casework.Delivery{Method: m, Address: strings.TrimSpace(f.Get("delivery.address")),
			Recipient: strings.TrimSpace(f.Get("delivery.recipient")), Phone: strings.TrimSpace(f.Get("delivery.phone"))}
	default:
		return &casework.Delivery{Method: m}
	}
}

// applyFailed shows the form again with err's messages, the delivery as
// typed.
func (h *Handlers) applyFailed(w http.ResponseWriter, r *http.Request, it *catalog.Item, d *service.OnlineDraft, form url.Values, err error) {
	v := page.View{}
	status := h.FormError(r, &v, err)
	v.Form = form
	h.showApply(w, r, status, v, it, d)
}

// mySaveDraft saves the delivery choice of a draft (a new one is made).
func (h *Handlers) mySaveDraft(w http.ResponseWriter, r *http.Request) {
	d, it, err := h.myDraft(r, r.PostFormValue("item"))
	if err != nil {
		h.myFail(w, r, "草稿", err)
		return
	}
	d.Delivery = deliveryFromForm(r.PostForm)
	d.PickupHall = strings.TrimSpace(r.PostFormValue("pickup_hall"))
	if err := h.svc.SaveDraft(r.Context(), d); err != nil {
		h.applyFailed(w, r, it, d, r.PostForm, err)
		return
	}
	h.Redirect(w, r, "/my/drafts/"+strconv.FormatInt(d.ID, 10), "草稿已保存。")
}

// mySubmit submits the application: the draft's files with the delivery
// as the form gives it. The draft is saved first (so the delivery typed
// is kept if the submission is refused) at the version the page showed:
// files changed elsewhere since must be looked at before submitting.
func (h *Handlers) mySubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, it, err := h.myDraft(r, r.PostFormValue("item"))
	if err != nil {
		h.myFail(w, r, "网上申报", err)
		return
	}
	d.Delivery = deliveryFromForm(r.PostForm)
	d.PickupHall = strings.TrimSpace(r.PostFormValue("pickup_hall"))
	if d.ID != 0 {
		if seen, _ := strconv.Atoi(r.PostFormValue("version")); seen != 0 && seen != d.Version {
			h.applyFailed(w, r, it, d, r.PostForm, apperr.New(apperr.Conflict, "草稿已在别处修改，请核对材料后再提交"))
			return
		}
		if err := h.svc.SaveDraft(ctx, d); err != nil {
			h.applyFailed(w, r, it, d, r.PostForm, err)
			return
		}
	}
	cv, err := h.svc.SubmitOnline(ctx, *d)
	if err != nil {
		h.applyFailed(w, r, it, d, r.PostForm, err)
		return
	}
	c := cv.Case
	flash := fmt.Sprintf("已提交网上申报：%s，办件编号 %s。部门将在 %s 前完成预审，结果会通知您。", c.ItemName, c.Number, page.FmtTime(c.Deadlines.PreReviewBy, "1月2日 15:04"))
	h.Redirect(w, r, "/my/cases/"+c.Number, flash)
}

func (h *Handlers) myDeleteDraft(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := h.svc.DeleteDraft(r.Context(), id); err != nil {
		h.myFail(w, r, "草稿", err)
		return
	}
	h.Redirect(w, r, "/my/drafts", "草稿已删除。")
}

// myDraftRow is one draft of the list.
type myDraftRow struct {
	D        service.OnlineDraft
	ItemName string
	Files    int
	Mail     bool
}

func (h *Handlers) myDrafts(w http.ResponseWriter, r *http.Request) {
	drafts, err := h.svc.Drafts(r.Context())
	if err != nil {
		h.myFail(w, r, "草稿", err)
		return
	}
	var rows []myDraftRow
	for _, d := range drafts {
		row := myDraftRow{D: d, ItemName: d.ItemCode, Mail: d.Delivery != nil && d.Delivery.Method == casework.Mail}
		if it, err := h.svc.Item(r.Context(), d.ItemCode, 0); err == nil {
			row.ItemName = it.Name
		}
		for _, fs := range d.Files {
			row.Files += len(fs)
		}
		rows = append(rows, row)
	}
	h.Render(w, r, http.StatusOK, "my_drafts", page.View{Title: "草稿", Data: rows})
}

// ---- Uploads ----

// upload is one file of a multipart form: stored (Ref) or refused (Err).
type upload struct {
	Field string // the file input's name
	Ref   casework.FileRef
	Err   error
}

// maxFieldBytes bounds a multipart form's text field.
const maxFieldBytes = 64 << 10

// readUploads reads a multipart form part by part: text fields into the
// values returned, each file handed to the service as it arrives, once
// accept (given the file input's name and the fields read so far) allows
// it. A refused file is read to its end and dropped; nothing of it is
// stored. The file's name is the one the browser sent: mime/multipart's
// FileName strips any path from it, and the service must see the path to
// refuse it. The error is for a form that could not be read at all.
func (h *Handlers) readUploads(r *http.Request, accept func(field string, values url.Values) error) (url.Values, []upload, error) {
	values := url.Values{}
	mr, err := r.MultipartReader()
	if err != nil {
		return values, nil, apperr.Field("file", "请通过页面上的上传表单选择文件")
	}
	var files []upload
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return values, files, nil
		}
		if err != nil {
			return values, files, uploadReadError(err)
		}
		field := p.FormName()
		_, params, perr := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		name, isFile := params["filename"]
		if perr != nil && p.FileName() != "" {
			name, isFile = p.FileName(), true
		}
		switch {
		case field == "":
		case !isFile:
			b, err := io.ReadAll(io.LimitReader(p, maxFieldBytes))
			if err != nil {
				return values, files, uploadReadError(err)
			}
			values.Add(field, string(b))
		case name == "": // a file input left empty
		default:
			u := upload{Field: field}
			if u.Err = accept(field, values); u.Err == nil {
				u.Ref, u.Err = h.svc.UploadFile(r.Context(), name, p)
			}
			if _, err := io.Copy(io.Discard, p); err != nil {
				files = append(files, u)
				return values, files, uploadReadError(err)
			}
			files = append(files, u)
		}
		p.Close()
	}
}

// uploadReadError is why a multipart form could not be read.
func uploadReadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return apperr.Field("file", "本次上传的文件合计超过上限，请分几次上传")
	}
	return apperr.Field("file", "文件没有传完，请重新上传")
}

// checkDraftFiles says whether a draft holding have files may take one
// more: told before the file is read, as the service refuses the draft.
func (h *Handlers) checkDraftFiles(have int) error {
	if max := h.svc.Config().MaxDraftFiles; max > 0 && have >= max {
		return apperr.Field("file", fmt.Sprintf("一份草稿最多保存 %d 个文件，请先删除不需要的文件再上传", max))
	}
	return nil
}

// checkMaterial says whether files may be uploaded for material code of
// it, given how many it has already.
func checkMaterial(it *catalog.Item, code string, have int) error {
	m, ok := it.Material(code)
	switch {
	case !ok:
		return apperr.Field("file", "办事指南未列明该材料，不能上传："+code)
	case !m.Electronic:
		return apperr.Field("file", "「"+m.Name+"」只收纸质材料，预审通过后携带纸质材料到大厅")
	case have >= casework.MaxFilesPerMaterial:
		return apperr.Field("file", fmt.Sprintf("「%s」最多上传 %d 个文件", m.Name, casework.MaxFilesPerMaterial))
	}
	return nil
}

// myUpload adds uploaded files to a draft, making the draft on the first
// upload: one material's files ("file" with the field "material", the
// per-material form) or several materials' at once ("file.<code>", the
// page's 上传全部所选文件, sent with a progress bar by upload.js). Refused
// files are shown by their material, and nothing of them is kept.
func (h *Handlers) myUpload(w http.ResponseWriter, r *http.Request) {
	var (
		d   *service.OnlineDraft
		it  *catalog.Item
		err error
	)
	if r.PathValue("id") != "new" {
		if d, it, err = h.myDraft(r, ""); err != nil {
			h.myFail(w, r, "网上申报", err)
			return
		}
	}
	accepted := map[string]int{} // files accepted so far, by material
	total := 0
	materialOf := func(field string, f url.Values) (string, bool) {
		if field == "file" {
			return f.Get("material"), true
		}
		code, ok := strings.CutPrefix(field, "file.")
		return code, ok
	}
	values, files, readErr := h.readUploads(r, func(field string, f url.Values) error {
		if it == nil {
			if d, it, err = h.myDraft(r, f.Get("item")); err != nil {
				return err
			}
		}
		if d.ID == 0 && total == 0 {
			// Told before the file is read, not after it is kept.
			if err := h.svc.CheckDraftRoom(r.Context()); err != nil {
				return err
			}
		}
		material, ok := materialOf(field, f)
		if !ok {
			return apperr.Field("file", "未知的上传项")
		}
		if err := checkMaterial(it, material, len(d.Files[material])+accepted[material]); err != nil {
			return err
		}
		have := total
		for _, fs := range d.Files {
			have += len(fs)
		}
		if err := h.checkDraftFiles(have); err != nil {
			return err
		}
		accepted[material]++
		total++
		return nil
	})
	if it == nil { // nothing was uploaded: find the item from the fields
		if d, it, err = h.myDraft(r, values.Get("item")); err != nil {
			h.myFail(w, r, "网上申报", err)
			return
		}
	}
	first := values.Get("material") // where the page goes back to
	refused := map[string][]string{}
	added := map[string][]casework.FileRef{}
	var names []string
	for _, u := range files {
		material, _ := materialOf(u.Field, values)
		if first == "" {
			first = material
		}
		if u.Err != nil {
			refused[material] = append(refused[material], h.message(r, u.Err))
			continue
		}
		added[material] = append(added[material], u.Ref)
		names = append(names, "「"+u.Ref.Name+"」")
	}
	if readErr != nil {
		refused[first] = append(refused[first], h.message(r, readErr))
	}
	if len(files) == 0 && readErr == nil {
		refused[first] = append(refused[first], "请选择要上传的文件")
	}
	if len(added) > 0 {
		if d.Files == nil {
			d.Files = map[string][]casework.FileRef{}
		}
		for m, refs := range added {
			d.Files[m] = append(d.Files[m], refs...)
		}
		if err := h.svc.SaveDraft(r.Context(), d); err != nil {
			refused[first] = append(refused[first], h.message(r, err))
			added, names = nil, nil
		}
	}
	if len(refused) > 0 {
		v := page.View{Field: map[string]string{}}
		for m, msgs := range refused {
			v.Field["file."+m] = strings.Join(msgs, "；")
		}
		if len(names) > 0 {
			v.Flash = fmt.Sprintf("已上传 %d 个文件；其余未上传，见材料下的说明。", len(names))
		}
		if d.ID != 0 && r.PathValue("id") == "new" {
			// The draft now exists: its own address from here on.
			v.FlashLink, v.FlashLinkLabel = "/my/drafts/"+strconv.FormatInt(d.ID, 10), "打开草稿"
		}
		h.showApply(w, r, http.StatusUnprocessableEntity, v, it, d)
		return
	}
	h.Redirect(w, r, "/my/drafts/"+strconv.FormatInt(d.ID, 10)+"#m-"+url.PathEscape(first), "已上传"+strings.Join(names, "")+"。")
}

// myRemoveFile takes one file off a draft's material.
func (h *Handlers) myRemoveFile(w http.ResponseWriter, r *http.Request) {
	d, _, err := h.myDraft(r, "")
	if err != nil {
		h.myFail(w, r, "草稿", err)
		return
	}
	code, sha := r.PostFormValue("material"), r.PostFormValue("sha")
	i := slices.IndexFunc(d.Files[code], func(f casework.FileRef) bool { return f.SHA256 == sha })
	if i < 0 {
		h.myFail(w, r, "草稿", apperr.New(apperr.NotFound, "草稿没有这个文件"))
		return
	}
	name := d.Files[code][i].Name
	d.Files[code] = slices.Delete(d.Files[code], i, i+1)
	if len(d.Files[code]) == 0 {
		delete(d.Files, code)
	}
	if err := h.svc.SaveDraft(r.Context(), d); err != nil {
		h.myFail(w, r, "草稿", err)
		return
	}
	h.Redirect(w, r, "/my/drafts/"+strconv.FormatInt(d.ID, 10)+"#m-"+url.PathEscape(code), "已删除「"+name+"」。")
}

// ---- Downloads ----

func (h *Handlers) myDraftFile(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.myFail(w, r, "文件", apperr.New(apperr.NotFound, "未找到该草稿"))
		return
	}
	rc, f, err := h.svc.DraftFile(r.Context(), id, r.PathValue("sha"))
	h.sendFile(w, r, rc, f, err)
}

func (h *Handlers) myCaseFile(w http.ResponseWriter, r *http.Request) {
	rc, f, err := h.svc.CaseFile(r.Context(), r.PathValue("number"), r.PathValue("sha"))
	h.sendFile(w, r, rc, f, err)
}

// sendFile sends an uploaded file as an attachment of its own type, under
// the name it was uploaded with.
func (h *Handlers) sendFile(w http.ResponseWriter, r *http.Request, rc io.ReadCloser, f casework.FileRef, err error) {
	if err != nil {
		h.myFail(w, r, "文件", err)
		return
	}
	writeFile(w, r, h, rc, f)
}
