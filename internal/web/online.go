package web

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
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
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
)

// The applicant's online hall (网上办事大厅) under /my: an account signed
// in with phone and password applies for items online with electronic
// materials, keeps drafts, follows its cases, corrects a failed
// pre-review, rates the service, authorises agents and applies for joint
// applications (一件事). Every flow is a plain form; nothing changes on GET.
//
// Uploads are read part by part (see readUploads) so that the service sees
// each file's name as the browser sent it and refuses a name with a path.
// A draft holds an item application's files; a joint application's form,
// delivery and uploaded files are kept in the page session until it is
// submitted (the service keeps drafts per item only).

func (h *Handlers) registerOnline(mux *http.ServeMux) {
	mux.HandleFunc("GET /my/login", h.myLoginForm)
	mux.HandleFunc("POST /my/login", h.myLogin)
	mux.HandleFunc("GET /my/register", h.myRegisterForm)
	mux.HandleFunc("POST /my/register", h.myRegister)
	mux.HandleFunc("GET /my/reset", h.myResetForm)
	mux.HandleFunc("POST /my/reset", h.myReset)
	mux.HandleFunc("POST /my/code", h.mySendCode)
	mux.HandleFunc("POST /my/logout", h.myLogout)

	mux.HandleFunc("GET /my", h.applicant(h.myHome))
	mux.HandleFunc("GET /my/{$}", h.applicant(h.myHome))
	mux.HandleFunc("GET /my/profile", h.applicant(h.myProfileForm))
	mux.HandleFunc("POST /my/profile", h.applicant(h.myProfile))

	mux.HandleFunc("GET /my/apply", h.applicant(h.myApplyList))
	mux.HandleFunc("GET /my/apply/{code}", h.applicant(h.myApplyForm))
	mux.HandleFunc("GET /my/drafts", h.applicant(h.myDrafts))
	mux.HandleFunc("GET /my/drafts/{id}", h.applicant(h.myDraftForm))
	mux.HandleFunc("POST /my/drafts/{id}", h.applicant(h.mySaveDraft))
	mux.HandleFunc("POST /my/drafts/{id}/files", h.applicant(h.myUpload))
	mux.HandleFunc("POST /my/drafts/{id}/files/delete", h.applicant(h.myRemoveFile))
	mux.HandleFunc("POST /my/drafts/{id}/submit", h.applicant(h.mySubmit))
	mux.HandleFunc("POST /my/drafts/{id}/delete", h.applicant(h.myDeleteDraft))

	mux.HandleFunc("GET /my/cases/{number}", h.applicant(h.myCase))
	mux.HandleFunc("POST /my/cases/{number}/resubmit", h.applicant(h.myResubmit))
	mux.HandleFunc("POST /my/cases/{number}/withdraw", h.applicant(h.myWithdraw))
	mux.HandleFunc("POST /my/cases/{number}/rate", h.applicant(h.myRate))

	mux.HandleFunc("GET /my/agents", h.applicant(h.myAgents))
	mux.HandleFunc("POST /my/agents", h.applicant(h.myAuthorise))
	mux.HandleFunc("POST /my/agents/{id}/revoke", h.applicant(h.myRevoke))

	mux.HandleFunc("GET /my/bundles", h.applicant(h.myBundles))
	// /my/bundles/{code}/apply and /my/bundles/view/{number} overlap for
	// ServeMux ("/my/bundles/view/apply"); one pattern serves both. A
	// template code is upper case, so "view" is never one.
	mux.HandleFunc("GET /my/bundles/{code}/{page}", h.applicant(h.myBundlePage))
	mux.HandleFunc("POST /my/bundles/{code}/apply", h.applicant(h.myBundleApply))

	mux.HandleFunc("GET /my/files/drafts/{id}/{sha}", h.applicant(h.myDraftFile))
	mux.HandleFunc("GET /my/files/cases/{number}/{sha}", h.applicant(h.myCaseFile))
}

// applicant sends visitors without an applicant session (a staff session
// included) to the online hall's sign-in page, and back afterwards.
func (h *Handlers) applicant(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if service.AccountFrom(r.Context()) == nil {
			to := "/my/login"
			if r.Method == http.MethodGet && r.URL.Path != "/my" && r.URL.Path != "/my/" {
				to += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}

// myNext is where to go after signing in: a page of the online hall.
func myNext(p string) string {
	p = localPath(p, "/my")
	if p != "/my" && !strings.HasPrefix(p, "/my/") {
		return "/my"
	}
	return p
}

// message returns what a page may say of err, logging internal errors.
func (h *Handlers) message(r *http.Request, err error) string {
	p := problem.From(err)
	if p.Code == apperr.Internal {
		h.log.Error("online hall", "err", err, "request_id", h.requestID(r))
	}
	return p.Detail
}

// myFail renders the online hall's error page for err.
func (h *Handlers) myFail(w http.ResponseWriter, r *http.Request, title string, err error) {
	v := view{Title: title}
	h.render(w, r, h.formError(r, &v, err), "my_error", v)
}

// ---- Sign-in, registration, password reset ----

type myLoginData struct {
	Phone string
	Next  string
	Staff string // the staff member signed in on this browser: signing in here signs them out
}

func (h *Handlers) myLoginForm(w http.ResponseWriter, r *http.Request) {
	if service.AccountFrom(r.Context()) != nil {
		http.Redirect(w, r, "/my", http.StatusSeeOther)
		return
	}
	d := myLoginData{Next: myNext(r.URL.Query().Get("next"))}
	if u := service.UserFrom(r.Context()); u != nil {
		d.Staff = u.Name
	}
	h.render(w, r, http.StatusOK, "my_login", view{Title: "网上办事大厅登录", Data: d})
}

func (h *Handlers) myLogin(w http.ResponseWriter, r *http.Request) {
	d := myLoginData{Phone: strings.TrimSpace(r.PostFormValue("phone")), Next: myNext(r.PostFormValue("next"))}
	a, err := h.svc.SignInApplicant(r.Context(), d.Phone, r.PostFormValue("password"))
	if err == nil {
		err = h.signInAccount(r, a)
	}
	if err != nil {
		if u := service.UserFrom(r.Context()); u != nil {
			d.Staff = u.Name
		}
		v := view{Title: "网上办事大厅登录", Data: d}
		h.render(w, r, h.formError(r, &v, err), "my_login", v)
		return
	}
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// signInAccount makes the page session the applicant's: a new token, no
// staff account (the two never share a session), the account's id and its
// password's fingerprint.
func (h *Handlers) signInAccount(r *http.Request, a *applicant.Account) error {
	ctx := r.Context()
	if err := h.sessions.RenewToken(ctx); err != nil {
		return apperr.Wrap(err, "renew session")
	}
	h.sessions.Remove(ctx, sessionUserKey)
	h.sessions.Remove(ctx, sessionPasswordKey)
	h.sessions.Put(ctx, sessionAccountKey, a.ID)
	h.sessions.Put(ctx, sessionAccountPasswordKey, hashFingerprint(a.PasswordHash))
	return nil
}

func (h *Handlers) myLogout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	h.sessions.Remove(ctx, sessionAccountKey)
	h.sessions.Remove(ctx, sessionAccountPasswordKey)
	if err := h.sessions.RenewToken(ctx); err != nil {
		h.log.Error("renew session", "err", err, "request_id", h.requestID(r))
	}
	h.redirect(w, r, "/my/login", "您已退出网上办事大厅。")
}

// myCodeData is the registration or password-reset form.
type myCodeData struct {
	Purpose applicant.Purpose
	Sent    bool // a code was just sent: the code field gets the focus
}

func codePage(p applicant.Purpose) (page, title string) {
	if p == applicant.ResetPassword {
		return "my_reset", "找回密码"
	}
	return "my_register", "注册网上办事大厅账户"
}

func (h *Handlers) myRegisterForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "my_register", view{Title: "注册网上办事大厅账户", Data: myCodeData{Purpose: applicant.Register}})
}

func (h *Handlers) myResetForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "my_reset", view{Title: "找回密码", Data: myCodeData{Purpose: applicant.ResetPassword}})
}

// mySendCode sends a verification code and shows the form again, the phone
// kept. Only the phone is echoed back; passwords never are.
func (h *Handlers) mySendCode(w http.ResponseWriter, r *http.Request) {
	purpose := applicant.ResetPassword
	if r.PostFormValue("purpose") != string(applicant.ResetPassword) {
		purpose = applicant.Register
	}
	page, title := codePage(purpose)
	phone := strings.TrimSpace(r.PostFormValue("phone"))
	v := view{Title: title, Data: myCodeData{Purpose: purpose}}
	if err := h.svc.SendCode(r.Context(), phone, purpose); err != nil {
		status := h.formError(r, &v, err)
		v.Form = url.Values{"phone": {phone}}
		h.render(w, r, status, page, v)
		return
	}
	v.Flash = "验证码已发送至 " + applicant.MaskPhone(applicant.NormalizePhone(phone)) + "，10 分钟内有效。"
	v.Form = url.Values{"phone": {phone}}
	v.Data = myCodeData{Purpose: purpose, Sent: true}
	h.render(w, r, http.StatusOK, page, v)
}

// codeFormError renders the registration or reset form with err.
func (h *Handlers) codeFormError(w http.ResponseWriter, r *http.Request, purpose applicant.Purpose, err error) {
	page, title := codePage(purpose)
	v := view{Title: title, Data: myCodeData{Purpose: purpose}}
	status := h.formError(r, &v, err)
	v.Form = url.Values{"phone": {r.PostFormValue("phone")}, "code": {r.PostFormValue("code")}}
	h.render(w, r, status, page, v)
}

func (h *Handlers) myRegister(w http.ResponseWriter, r *http.Request) {
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("password2") {
		h.codeFormError(w, r, applicant.Register, apperr.Field("password2", "两次输入的密码不一致"))
		return
	}
	a, err := h.svc.Register(r.Context(), service.Registration{Phone: r.PostFormValue("phone"), Code: r.PostFormValue("code"), Password: pw})
	if err == nil {
		err = h.signInAccount(r, a)
	}
	if err != nil {
		h.codeFormError(w, r, applicant.Register, err)
		return
	}
	h.redirect(w, r, "/my/profile", "注册成功。请先完善个人（单位）信息，之后即可网上申报。")
}

func (h *Handlers) myReset(w http.ResponseWriter, r *http.Request) {
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("password2") {
		h.codeFormError(w, r, applicant.ResetPassword, apperr.Field("password2", "两次输入的密码不一致"))
		return
	}
	if err := h.svc.ResetApplicantPassword(r.Context(), r.PostFormValue("phone"), r.PostFormValue("code"), pw); err != nil {
		h.codeFormError(w, r, applicant.ResetPassword, err)
		return
	}
	h.redirect(w, r, "/my/login", "密码已重置，请用新密码登录。")
}

// ---- 我的办件 ----

// myDue is a running time limit with its standing in words.
type myDue struct {
	Label   string
	At      time.Time
	Words   string
	Warning calendar.Warning
}

// myCaseRow is one case of the list.
type myCaseRow struct {
	V   *service.CaseView
	Due *myDue // the nearest running time limit
}

// myBundleRow is one joint application of the list.
type myBundleRow struct {
	B   bundle.Bundle
	Due *myDue
}

// myNotice is a notification sent about a case.
type myNotice struct {
	Number string
	At     time.Time
	Text   string
}

type myHomeData struct {
	Complete bool
	Cases    []myCaseRow
	Bundles  []myBundleRow
	Notices  []myNotice
	Drafts   int
}

func (h *Handlers) myHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	acc := service.AccountFrom(ctx)
	d := myHomeData{Complete: acc.Complete()}
	cal, err := h.svc.Calendar(ctx, "")
	if err != nil {
		h.myFail(w, r, "我的办件", err)
		return
	}
	now := h.svc.Now()
	cases, err := h.svc.MyCases(ctx)
	if err != nil {
		h.myFail(w, r, "我的办件", err)
		return
	}
	for _, cv := range cases {
		d.Cases = append(d.Cases, myCaseRow{V: cv, Due: nearestDue(cal, now, cv.Open)})
	}
	bundles, err := h.svc.MyBundles(ctx)
	if err != nil {
		h.myFail(w, r, "我的办件", err)
		return
	}
	for _, b := range bundles {
		row := myBundleRow{B: b}
		if b.State == bundle.Open {
			row.Due = &myDue{Label: "一件事办结期限", At: b.DueBy, Words: DueWords(cal, now, b.DueBy), Warning: cal.Warn(now, b.DueBy)}
		}
		d.Bundles = append(d.Bundles, row)
	}
	notices, err := h.svc.MyNotifications(ctx, 8)
	if err != nil {
		h.myFail(w, r, "我的办件", err)
		return
	}
	for _, n := range notices {
		d.Notices = append(d.Notices, myNotice{Number: n.CaseNumber, At: n.CreatedAt, Text: n.Body})
	}
	if drafts, err := h.svc.Drafts(ctx); err == nil {
		d.Drafts = len(drafts)
	}
	h.render(w, r, http.StatusOK, "my_home", view{Title: "我的办件", Data: d})
}

// nearestDue returns the earliest running time limit, or nil.
func nearestDue(cal *calendar.Calendar, now time.Time, open []casework.Due) *myDue {
	if len(open) == 0 {
		return nil
	}
	first := slices.MinFunc(open, func(a, b casework.Due) int { return a.At.Compare(b.At) })
	return &myDue{Label: deadlineName(first.Name), At: first.At, Words: DueWords(cal, now, first.At), Warning: cal.Warn(now, first.At)}
}

// ---- 账户信息 ----

// idChoice is one identity document type of the profile form.
type idChoice struct {
	Value identity.IDType
	Label string
	Kind  casework.PartyKind
}

var profileIDTypes = []idChoice{
	{identity.ResidentID, "居民身份证", casework.Person},
	{identity.Passport, "护照", casework.Person},
	{identity.HKMacaoPermit, "港澳居民来往内地通行证", casework.Person},
	{identity.TaiwanPermit, "台湾居民来往大陆通行证", casework.Person},
	{identity.ForeignPermanent, "外国人永久居留身份证", casework.Person},
	{identity.CreditCode, "统一社会信用代码", casework.Entity},
}

type myProfileData struct {
	Complete bool   // the ID is bound and can no longer change
	KindText string // 个人 / 单位
	IDType   string // its label
	MaskedID string
	Phone    string // masked
	Version  int
	IDTypes  []idChoice
}

func (h *Handlers) myProfileForm(w http.ResponseWriter, r *http.Request) {
	h.showProfile(w, r, http.StatusOK, view{})
}

func (h *Handlers) showProfile(w http.ResponseWriter, r *http.Request, status int, v view) {
	a := service.AccountFrom(r.Context())
	d := myProfileData{Complete: a.Complete(), KindText: kindText(a.Kind), IDType: a.IDType.Label(),
		MaskedID: identity.Mask(a.IDNumber), Phone: applicant.MaskPhone(a.Phone), Version: a.Version, IDTypes: profileIDTypes}
	if v.Form == nil {
		kind, idType := a.Kind, a.IDType
		if kind == "" {
			kind, idType = casework.Person, identity.ResidentID
		}
		v.Form = url.Values{"kind": {string(kind)}, "name": {a.Name}, "id_type": {string(idType)}, "address": {a.Address}, "email": {a.Email}}
	}
	v.Title, v.Data = "账户信息", d
	h.render(w, r, status, "my_profile", v)
}

func kindText(k casework.PartyKind) string {
	switch k {
	case casework.Person:
		return "个人"
	case casework.Entity:
		return "单位（法人或其他组织）"
	}
	return ""
}

// myProfile saves the profile. Once the ID is bound, kind, document type
// and number come from the account, not the form: the form no longer
// holds the number, which is shown masked.
func (h *Handlers) myProfile(w http.ResponseWriter, r *http.Request) {
	a := service.AccountFrom(r.Context())
	r.ParseForm()
	f := r.PostForm
	p := applicant.Profile{Kind: casework.PartyKind(f.Get("kind")), Name: f.Get("name"), IDType: identity.IDType(f.Get("id_type")),
		IDNumber: strings.ToUpper(strings.TrimSpace(f.Get("id_number"))), Address: f.Get("address"), Email: f.Get("email")}
	if a.Complete() {
		p.Kind, p.IDType, p.IDNumber = a.Kind, a.IDType, a.IDNumber
	}
	version, _ := strconv.Atoi(f.Get("version"))
	first := !a.Complete()
	if _, err := h.svc.UpdateProfile(r.Context(), p, version); err != nil {
		v := view{}
		status := h.formError(r, &v, err)
		for k, m := range v.Field { // the service checks the profile as a case's applicant
			if short, ok := strings.CutPrefix(k, "applicant."); ok {
				v.Field[short] = m
			}
		}
		h.showProfile(w, r, status, v)
		return
	}
	if first {
		h.redirect(w, r, "/my", "账户信息已保存，现在可以网上申报了。证件号码已绑定，不能再修改。")
		return
	}
	h.redirect(w, r, "/my/profile", "账户信息已保存。")
}

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

func onlineApplicable(it *catalog.Item) bool {
	return it.Kind == catalog.Promised && (it.OnlineLevel == catalog.OnlinePre || it.OnlineLevel == catalog.OnlineFull)
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
	items, err := h.svc.Items(ctx, service.ItemFilter{Kind: catalog.Promised, Query: d.Query})
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
		if !onlineApplicable(it) {
			continue
		}
		row := myItem{Item: *it, Department: names[it.DepartmentCode], Fits: fits(acc, it)}
		for _, dr := range drafts {
			if dr.ItemCode == it.Code {
				row.Draft = dr.ID
				break
			}
		}
		d.Items = append(d.Items, row)
	}
	h.render(w, r, http.StatusOK, "my_apply", view{Title: "网上申报", Data: d})
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
	Item       *catalog.Item
	Department string
	Full       bool
	Draft      *service.OnlineDraft // nil until the first upload or save
	ID         string               // the draft's id, or "new"
	Version    int
	Materials  []myMaterial
	Fits       bool
	Complete   bool
	Errors     []fieldMessage // every message, for the summary at the top
	Existing   int64          // the applicant's draft of this item, offered on a new form
	MaxFiles   int
}

// LevelText names the item's online level.
func (d myApplyData) LevelText() string { return onlineLevelText(d.Item.OnlineLevel) }

// onlineItem returns the current version of an item that may be applied
// for online.
func (h *Handlers) onlineItem(r *http.Request, code string) (*catalog.Item, error) {
	it, err := h.svc.Item(r.Context(), code, 0)
	if err != nil {
		return nil, err
	}
	if !onlineApplicable(it) {
		return nil, apperr.New(apperr.Conflict, "「%s」暂不支持网上申报，请到大厅综合受理窗口办理", it.Name)
	}
	return it, nil
}

func (h *Handlers) myApplyForm(w http.ResponseWriter, r *http.Request) {
	it, err := h.onlineItem(r, r.PathValue("code"))
	if err != nil {
		h.myFail(w, r, "网上申报", err)
		return
	}
	h.showApply(w, r, http.StatusOK, view{}, it, &service.OnlineDraft{ItemCode: it.Code})
}

func (h *Handlers) myDraftForm(w http.ResponseWriter, r *http.Request) {
	d, it, err := h.myDraft(r, "")
	if err != nil {
		h.myFail(w, r, "草稿", err)
		return
	}
	h.showApply(w, r, http.StatusOK, view{}, it, d)
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
func (h *Handlers) showApply(w http.ResponseWriter, r *http.Request, status int, v view, it *catalog.Item, d *service.OnlineDraft) {
	ctx := r.Context()
	acc := service.AccountFrom(ctx)
	names, err := h.departmentNames(r)
	if err != nil {
		h.myFail(w, r, "网上申报", err)
		return
	}
	data := myApplyData{Item: it, Department: names[it.DepartmentCode], Full: it.OnlineLevel == catalog.OnlineFull, ID: "new",
		Fits: fits(acc, it), Complete: acc.Complete(), MaxFiles: casework.MaxFilesPerMaterial}
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
		data.Errors = append(data.Errors, fieldMessage{Href: href, Message: msg})
	}
	slices.SortFunc(data.Errors, func(a, b fieldMessage) int { return cmp.Compare(a.Href, b.Href) })
	if v.Form == nil {
		v.Form = deliveryForm(d.Delivery)
	}
	v.Title, v.Data = "网上申报 · "+it.Name, data
	h.render(w, r, status, "my_apply_form", v)
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
	v := view{}
	status := h.formError(r, &v, err)
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
	if err := h.svc.SaveDraft(r.Context(), d); err != nil {
		h.applyFailed(w, r, it, d, r.PostForm, err)
		return
	}
	h.redirect(w, r, "/my/drafts/"+strconv.FormatInt(d.ID, 10), "草稿已保存。")
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
	flash := fmt.Sprintf("已提交网上申报：%s，办件编号 %s。部门将在 %s 前完成预审，结果会通知您。", c.ItemName, c.Number, fmtTime(c.Deadlines.PreReviewBy, "1月2日 15:04"))
	h.redirect(w, r, "/my/cases/"+c.Number, flash)
}

func (h *Handlers) myDeleteDraft(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := h.svc.DeleteDraft(r.Context(), id); err != nil {
		h.myFail(w, r, "草稿", err)
		return
	}
	h.redirect(w, r, "/my/drafts", "草稿已删除。")
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
	h.render(w, r, http.StatusOK, "my_drafts", view{Title: "草稿", Data: rows})
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

// myUpload adds the files uploaded for one material to a draft, making the
// draft on the first upload. Refused files are shown by their material,
// and nothing of them is kept.
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
	material := ""
	accepted := 0
	values, files, readErr := h.readUploads(r, func(field string, f url.Values) error {
		if it == nil {
			if d, it, err = h.myDraft(r, f.Get("item")); err != nil {
				return err
			}
		}
		material = f.Get("material")
		if field != "file" {
			return apperr.Field("file", "未知的上传项")
		}
		if err := checkMaterial(it, material, len(d.Files[material])+accepted); err != nil {
			return err
		}
		accepted++
		return nil
	})
	if it == nil { // nothing was uploaded: find the item from the fields
		if d, it, err = h.myDraft(r, values.Get("item")); err != nil {
			h.myFail(w, r, "网上申报", err)
			return
		}
	}
	if material == "" {
		material = values.Get("material")
	}
	var refused []string
	var added []casework.FileRef
	for _, u := range files {
		if u.Err != nil {
			refused = append(refused, h.message(r, u.Err))
			continue
		}
		added = append(added, u.Ref)
	}
	if readErr != nil {
		refused = append(refused, h.message(r, readErr))
	}
	if len(files) == 0 && readErr == nil {
		refused = append(refused, "请选择要上传的文件")
	}
	if len(added) > 0 {
		if d.Files == nil {
			d.Files = map[string][]casework.FileRef{}
		}
		d.Files[material] = append(d.Files[material], added...)
		if err := h.svc.SaveDraft(r.Context(), d); err != nil {
			refused = append(refused, h.message(r, err))
			added = nil
		}
	}
	if len(refused) > 0 {
		v := view{Field: map[string]string{"file." + material: strings.Join(refused, "；")}}
		if len(added) > 0 {
			v.Flash = fmt.Sprintf("已上传 %d 个文件；其余未上传，见材料下的说明。", len(added))
		}
		if d.ID != 0 && r.PathValue("id") == "new" {
			// The draft now exists: its own address from here on.
			v.FlashLink, v.FlashLinkLabel = "/my/drafts/"+strconv.FormatInt(d.ID, 10), "打开草稿"
		}
		h.showApply(w, r, http.StatusUnprocessableEntity, v, it, d)
		return
	}
	names := make([]string, len(added))
	for i, f := range added {
		names[i] = "「" + f.Name + "」"
	}
	h.redirect(w, r, "/my/drafts/"+strconv.FormatInt(d.ID, 10)+"#m-"+url.PathEscape(material), "已上传"+strings.Join(names, "")+"。")
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
	h.redirect(w, r, "/my/drafts/"+strconv.FormatInt(d.ID, 10)+"#m-"+url.PathEscape(code), "已删除「"+name+"」。")
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

// writeFile writes an uploaded file as a download: its own type, never
// sniffed or run, under the name it was uploaded with.
func writeFile(w http.ResponseWriter, r *http.Request, h *Handlers, rc io.ReadCloser, f casework.FileRef) {
	defer rc.Close()
	hd := w.Header()
	hd.Set("Content-Type", f.Type)
	hd.Set("Content-Disposition", attachment(f.Name))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cache-Control", "private, no-store")
	if f.Size > 0 {
		hd.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	}
	if _, err := io.Copy(w, rc); err != nil {
		h.log.Warn("send file", "err", err, "request_id", h.requestID(r))
	}
}

// attachment is a Content-Disposition for name: an ASCII fallback and the
// UTF-8 name (RFC 5987, RFC 6266).
func attachment(name string) string {
	var fallback, encoded strings.Builder
	for _, c := range name {
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' {
			fallback.WriteRune(c)
		} else {
			fallback.WriteByte('_')
		}
	}
	for _, b := range []byte(name) {
		if isAttrChar(b) {
			encoded.WriteByte(b)
		} else {
			fmt.Fprintf(&encoded, "%%%02X", b)
		}
	}
	return `attachment; filename="` + fallback.String() + `"; filename*=UTF-8''` + encoded.String()
}

// isAttrChar reports whether b may stand unencoded in an RFC 5987 value.
func isAttrChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}

// ---- One case: timeline, correction, withdrawal, rating ----

// myEntry is one line of the timeline.
type myEntry struct {
	service.TimelineEntry
	Words   string // a deadline's standing
	Overdue bool
}

// myCaseMaterial is one material of the case with its files and what the
// pre-review said of it.
type myCaseMaterial struct {
	casework.CaseMaterial
	Files  []myFile
	Reason string // the failed pre-review's reason for it
	Error  string // why a corrected file was refused
}

type myCaseData struct {
	T          *service.Timeline
	C          *casework.Case
	Warning    calendar.Warning
	Department string
	Progress   *service.Progress // state in words and what to do next
	Entries    []myEntry
	Materials  []myCaseMaterial
	Resubmit   bool
	Withdraw   bool
	Rate       bool
	Levels     []levelChoice
	Tags       []tagChoice
	Realname   string // the account holder's name, for a real-name rating
}

// Mail reports whether the result is to be mailed.
func (d myCaseData) Mail() bool { return d.C.Delivery.Method == casework.Mail }

func (h *Handlers) myCase(w http.ResponseWriter, r *http.Request) {
	h.showMyCase(w, r, http.StatusOK, view{})
}

// showMyCase renders the case page, with a refused action's messages in v.
func (h *Handlers) showMyCase(w http.ResponseWriter, r *http.Request, status int, v view) {
	ctx := r.Context()
	number := r.PathValue("number")
	t, err := h.svc.CaseTimeline(ctx, number)
	if err != nil {
		h.myFail(w, r, "办件 "+number, err)
		return
	}
	cal, err := h.svc.Calendar(ctx, "")
	if err != nil {
		h.myFail(w, r, "办件 "+number, err)
		return
	}
	names, err := h.departmentNames(r)
	if err != nil {
		h.myFail(w, r, "办件 "+number, err)
		return
	}
	now := h.svc.Now()
	c := t.View.Case
	d := myCaseData{T: t, C: c, Warning: t.View.Warning, Department: names[c.DepartmentCode],
		Resubmit: slices.Contains(t.View.Allowed, casework.ActResubmitOnline),
		Withdraw: slices.Contains(t.View.Allowed, casework.ActWithdraw),
		Rate:     t.Rateable && !t.Rated, Realname: service.AccountFrom(ctx).Name}
	if p, err := h.svc.Progress(ctx, c.Number, t.CheckCode); err == nil {
		d.Progress = p
	}
	for _, e := range t.Entries {
		me := myEntry{TimelineEntry: e}
		if e.Due {
			me.Words, me.Overdue = DueWords(cal, now, e.At), now.After(e.At)
		}
		d.Entries = append(d.Entries, me)
	}
	base := "/my/files/cases/" + url.PathEscape(c.Number) + "/"
	for _, m := range c.Materials {
		cm := myCaseMaterial{CaseMaterial: m, Files: myFiles(m.Files, base), Error: v.Field["file."+m.Code]}
		if c.PreReview != nil && !c.PreReview.Passed {
			cm.Reason = c.PreReview.Reasons[m.Code]
		}
		d.Materials = append(d.Materials, cm)
	}
	if d.Rate {
		form := v.Form
		if r.Method == http.MethodGet || !strings.HasSuffix(r.URL.Path, "/rate") {
			form = nil
		}
		d.Levels, d.Tags = ratingChoices(form)
	}
	v.Title, v.Data = "办件 "+c.Number, d
	h.render(w, r, status, "my_case", v)
}

// caseFailed shows the case page again with err's messages.
func (h *Handlers) caseFailed(w http.ResponseWriter, r *http.Request, form url.Values, err error) {
	v := view{}
	status := h.formError(r, &v, err)
	v.Form = form
	h.showMyCase(w, r, status, v)
}

// myResubmit sends the corrected files after a failed pre-review: one
// multipart form with a file input per material ("file.<code>"). The files
// given replace the material's files; any refused file stops the whole
// resubmission.
func (h *Handlers) myResubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	number := r.PathValue("number")
	cv, err := h.svc.Case(ctx, number)
	if err != nil {
		h.myFail(w, r, "办件 "+number, err)
		return
	}
	count := map[string]int{}
	values, files, readErr := h.readUploads(r, func(field string, _ url.Values) error {
		code, ok := strings.CutPrefix(field, "file.")
		i := slices.IndexFunc(cv.Case.Materials, func(m casework.CaseMaterial) bool { return m.Code == code })
		switch {
		case !ok || i < 0:
			return apperr.Field("file", "办事指南未列明该材料，不能上传："+code)
		case cv.Case.Materials[i].PaperOnly:
			return apperr.Field("file", "「"+cv.Case.Materials[i].Name+"」只收纸质材料，预审通过后携带纸质材料到大厅")
		case count[code] >= casework.MaxFilesPerMaterial:
			return apperr.Field("file", fmt.Sprintf("每项材料最多上传 %d 个文件", casework.MaxFilesPerMaterial))
		}
		count[code]++
		return nil
	})
	fields := map[string]string{}
	corrected := map[string][]casework.FileRef{}
	for _, u := range files {
		key := u.Field
		if u.Err != nil {
			if prev := fields[key]; prev != "" {
				fields[key] = prev + "；" + h.message(r, u.Err)
			} else {
				fields[key] = h.message(r, u.Err)
			}
			continue
		}
		code := strings.TrimPrefix(u.Field, "file.")
		corrected[code] = append(corrected[code], u.Ref)
	}
	if readErr != nil {
		fields["files"] = h.message(r, readErr)
	}
	if len(fields) > 0 {
		v := view{Field: fields, Form: values, Error: "补正材料未提交，请按提示重新选择文件。"}
		h.showMyCase(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	version, _ := strconv.Atoi(values.Get("version"))
	if _, err := h.svc.ResubmitOnline(ctx, number, corrected, version); err != nil {
		h.caseFailed(w, r, values, err)
		return
	}
	h.redirect(w, r, "/my/cases/"+number, "补正材料已重新提交，部门将在 2 个工作日内重新预审。")
}

func (h *Handlers) myWithdraw(w http.ResponseWriter, r *http.Request) {
	number := r.PathValue("number")
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := h.svc.Act(r.Context(), number, casework.ActWithdraw, casework.Input{Reason: r.PostFormValue("reason")}, version); err != nil {
		h.caseFailed(w, r, r.PostForm, err)
		return
	}
	h.redirect(w, r, "/my/cases/"+number, "申请已撤回。")
}

// myRate rates the service of a case that has ended, with the case's own
// check code (the owner's); a real-name rating carries the account's name
// and phone.
func (h *Handlers) myRate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	number := r.PathValue("number")
	r.ParseForm()
	t, err := h.svc.CaseTimeline(ctx, number)
	if err != nil {
		h.myFail(w, r, "办件 "+number, err)
		return
	}
	in := ratingInput(r.PostForm, rating.PC)
	if in.RealName {
		acc := service.AccountFrom(ctx)
		in.Name, in.Phone = acc.Name, acc.Phone
	}
	receipt, err := h.svc.RateCase(ctx, number, t.CheckCode, in)
	if err != nil {
		h.caseFailed(w, r, r.PostForm, err)
		return
	}
	flash := "感谢您的评价：" + receipt.Rating.Level.Label() + "。"
	if !receipt.RectifyBy.IsZero() {
		flash += "相关部门将在 " + fmtTime(receipt.RectifyBy, "1月2日") + " 前核实整改。"
	}
	h.redirect(w, r, "/my/cases/"+number, flash)
}

// ---- 代办授权 ----

// myMandate is one authorisation as listed.
type myMandate struct {
	A      applicant.Authorisation
	Items  []string // item names; none: every item
	Active bool
	State  string // 有效 / 已撤销 / 已到期
}

// myAgent is an agent the applicant may authorise.
type myAgent struct {
	service.AgentChoice
	Hall string
}

type myAgentsData struct {
	Mandates []myMandate
	Agents   []myAgent
	Items    []catalog.Item
	Complete bool
	Today    string
	Max      string
}

func (h *Handlers) myAgents(w http.ResponseWriter, r *http.Request) {
	h.showAgents(w, r, http.StatusOK, view{})
}

func (h *Handlers) showAgents(w http.ResponseWriter, r *http.Request, status int, v view) {
	ctx := r.Context()
	now := h.svc.Now()
	today := calendar.DateOf(now)
	d := myAgentsData{Complete: service.AccountFrom(ctx).Complete(), Today: today.String(), Max: today.AddDays(applicant.MaxAuthorisationDays).String()}
	mandates, err := h.svc.Authorisations(ctx)
	if err == nil {
		d.Items, err = h.svc.Items(ctx, service.ItemFilter{})
	}
	var agents []service.AgentChoice
	if err == nil {
		agents, err = h.svc.Agents(ctx)
	}
	if err != nil {
		h.myFail(w, r, "代办授权", err)
		return
	}
	itemNames := map[string]string{}
	for _, it := range d.Items {
		itemNames[it.Code] = it.Name
	}
	halls := map[string]string{}
	if hs, err := h.svc.Halls(ctx); err == nil {
		for _, x := range hs {
			halls[x.Code] = x.Name
		}
	}
	for _, a := range agents {
		d.Agents = append(d.Agents, myAgent{AgentChoice: a, Hall: halls[a.HallCode]})
	}
	for _, m := range mandates {
		mm := myMandate{A: m, Active: m.Active(now), State: "有效"}
		switch {
		case !m.RevokedAt.IsZero():
			mm.State = "已撤销"
		case !mm.Active:
			mm.State = "已到期"
		}
		for _, code := range m.Items {
			mm.Items = append(mm.Items, cmp.Or(itemNames[code], code))
		}
		d.Mandates = append(d.Mandates, mm)
	}
	if v.Form == nil {
		v.Form = url.Values{"scope": {"all"}, "until": {today.AddDays(90).String()}}
	}
	v.Title, v.Data = "代办授权", d
	h.render(w, r, status, "my_agents", v)
}

func (h *Handlers) myAuthorise(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	in := service.AuthorisationInput{Agent: f.Get("agent"), Until: strings.TrimSpace(f.Get("until"))}
	if f.Get("scope") == "items" {
		in.Items = f["items"]
		if len(in.Items) == 0 {
			v := view{Form: f, Field: map[string]string{"items": "请选择授权的事项，或选择“全部事项”"}}
			h.showAgents(w, r, http.StatusUnprocessableEntity, v)
			return
		}
	}
	a, err := h.svc.Authorise(r.Context(), in)
	if err != nil {
		v := view{}
		status := h.formError(r, &v, err)
		h.showAgents(w, r, status, v)
		return
	}
	h.redirect(w, r, "/my/agents", fmt.Sprintf("已授权代办员 %s 代为办理，至 %s 止。", a.AgentName, a.Until))
}

func (h *Handlers) myRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.myFail(w, r, "代办授权", apperr.New(apperr.NotFound, "未找到该授权"))
		return
	}
	if err := h.svc.RevokeAuthorisation(r.Context(), id); err != nil {
		h.myFail(w, r, "代办授权", err)
		return
	}
	h.redirect(w, r, "/my/agents", "授权已撤销，代办员不能再以您的名义申报和领取。")
}

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
	h.render(w, r, http.StatusOK, "my_bundles", view{Title: "一件事", Data: d})
}

// myBundlePage serves GET /my/bundles/{code}/apply and
// /my/bundles/view/{number}.
func (h *Handlers) myBundlePage(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.PathValue("code") == "view":
		h.myBundleView(w, r, r.PathValue("page"))
	case r.PathValue("page") == "apply":
		h.showBundleForm(w, r, http.StatusOK, view{}, nil)
	default:
		h.myFail(w, r, "一件事", apperr.New(apperr.NotFound, "页面不存在"))
	}
}

// bundleDraft is a joint application being filled in, kept in the page
// session until it is submitted: the shared form, the delivery and the
// files uploaded so far (each checked and stored by the service when
// uploaded; the service checks again on submission that they exist).
type bundleDraft struct {
	Form     map[string]string                        `json:"form,omitempty"`
	Delivery casework.Delivery                        `json:"delivery"`
	Files    map[string]map[string][]casework.FileRef `json:"files,omitempty"` // item → material → files
}

// bundleKey is the session key of the signed-in account's draft of a
// template: another account signing in on the same browser never sees it.
func bundleKey(r *http.Request, code string) string {
	return fmt.Sprintf("my_bundle:%d:%s", service.AccountFrom(r.Context()).ID, code)
}

func (h *Handlers) loadBundleDraft(r *http.Request, code string) *bundleDraft {
	d := &bundleDraft{}
	if s := h.sessions.GetString(r.Context(), bundleKey(r, code)); s != "" {
		if err := json.Unmarshal([]byte(s), d); err != nil {
			h.log.Warn("bundle draft in session", "err", err, "request_id", h.requestID(r))
			d = &bundleDraft{}
		}
	}
	if d.Files == nil {
		d.Files = map[string]map[string][]casework.FileRef{}
	}
	if d.Delivery.Method == "" {
		d.Delivery.Method = casework.Pickup
	}
	return d
}

func (h *Handlers) saveBundleDraft(r *http.Request, code string, d *bundleDraft) {
	b, _ := json.Marshal(d)
	h.sessions.Put(r.Context(), bundleKey(r, code), string(b))
}

// myBundleFormData is the one form (一表式) of a template.
type myBundleFormData struct {
	myTemplate
	Complete bool
	MaxFiles int
}

// showBundleForm renders the form of template {code} from the session's
// draft, or from form as posted.
func (h *Handlers) showBundleForm(w http.ResponseWriter, r *http.Request, status int, v view, form url.Values) {
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
	d := h.loadBundleDraft(r, code)
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
	h.render(w, r, status, "my_bundle_form", v)
}

// myBundleApply takes the one form: the files chosen are uploaded and
// kept with the typed fields in the session; "do" says what else to do:
// submit, or clear the form. A "remove" button takes one kept file off.
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
	d := h.loadBundleDraft(r, code)
	count := map[string]int{}
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
		count[rest]++
		return nil
	})
	if values.Get("do") == "clear" {
		h.sessions.Remove(ctx, bundleKey(r, code))
		h.redirect(w, r, "/my/bundles/"+url.PathEscape(code)+"/apply", "已清空填写内容和已上传的文件。")
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
	h.saveBundleDraft(r, code, d)

	if len(fields) > 0 {
		v := view{Field: fields, Error: "有文件未上传，请按材料下的提示重新选择。"}
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
		h.redirect(w, r, "/my/bundles/"+url.PathEscape(code)+"/apply", flash)
		return
	}
	in := service.BundleOnline{Template: code, Form: d.Form, Files: d.Files, Delivery: &d.Delivery}
	bv, err := h.svc.SubmitBundle(ctx, in)
	if err != nil {
		v := view{}
		status := h.formError(r, &v, err)
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
	h.sessions.Remove(ctx, bundleKey(r, code))
	b := bv.Bundle
	h.redirect(w, r, "/my/bundles/view/"+url.PathEscape(b.Number),
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
	cal, err := h.svc.Calendar(ctx, "")
	if err != nil {
		h.myFail(w, r, "一件事", err)
		return
	}
	names, err := h.departmentNames(r)
	if err != nil {
		h.myFail(w, r, "一件事", err)
		return
	}
	now := h.svc.Now()
	b := bv.Bundle
	d := myBundleViewData{V: bv, Fields: bv.Template.Fields}
	if b.State == bundle.Open {
		d.Due = &myDue{Label: "一件事办结期限", At: b.DueBy, Words: DueWords(cal, now, b.DueBy), Warning: bv.Warning}
	}
	itemName := map[string]string{}
	for _, m := range b.Members {
		itemName[m.ItemCode] = m.ItemName
	}
	for _, m := range b.Members {
		row := myBundleMemberRow{M: m, Depart: cmp.Or(names[m.Department], m.Department)}
		for _, cv := range bv.Cases {
			if cv.Case.Number == m.CaseNumber {
				row.V, row.Due, row.Waits = cv, nearestDue(cal, now, cv.Open), cv.Case.Waiting()
			}
		}
		for _, p := range m.After {
			row.After = append(row.After, cmp.Or(itemName[p], p))
		}
		d.Members = append(d.Members, row)
	}
	h.render(w, r, http.StatusOK, "my_bundle", view{Title: "一件事 " + b.Number, Data: d})
}
