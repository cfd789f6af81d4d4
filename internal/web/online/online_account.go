package online

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

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
	h.Render(w, r, http.StatusOK, "my_login", page.View{Title: "网上办事大厅登录", Data: d})
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
		v := page.View{Title: "网上办事大厅登录", Data: d}
		h.Render(w, r, h.FormError(r, &v, err), "my_login", v)
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
	h.sessions.Remove(ctx, page.SessionUserKey)
	h.sessions.Remove(ctx, page.SessionPasswordKey)
	h.sessions.Put(ctx, page.SessionAccountKey, a.ID)
	h.sessions.Put(ctx, page.SessionAccountPasswordKey, page.HashFingerprint(a.PasswordHash))
	return nil
}

func (h *Handlers) myLogout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	h.sessions.Remove(ctx, page.SessionAccountKey)
	h.sessions.Remove(ctx, page.SessionAccountPasswordKey)
	if err := h.sessions.RenewToken(ctx); err != nil {
		h.log.Error("renew session", "err", err, "request_id", h.RequestID(r))
	}
	h.Redirect(w, r, "/my/login", "您已退出网上办事大厅。")
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
	h.Render(w, r, http.StatusOK, "my_register", page.View{Title: "注册网上办事大厅账户", Data: myCodeData{Purpose: applicant.Register}})
}

func (h *Handlers) myResetForm(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "my_reset", page.View{Title: "找回密码", Data: myCodeData{Purpose: applicant.ResetPassword}})
}

// mySendCode sends a verification code and shows the form again, the phone
// kept. Only the phone is echoed back; passwords never are.
func (h *Handlers) mySendCode(w http.ResponseWriter, r *http.Request) {
	purpose := applicant.ResetPassword
	if r.PostFormValue("purpose") != string(applicant.ResetPassword) {
		purpose = applicant.Register
	}
	name, title := codePage(purpose)
	phone := strings.TrimSpace(r.PostFormValue("phone"))
	v := page.View{Title: title, Data: myCodeData{Purpose: purpose}}
	if err := h.svc.SendCode(r.Context(), phone, purpose); err != nil {
		status := h.FormError(r, &v, err)
		v.Form = url.Values{"phone": {phone}}
		h.Render(w, r, status, name, v)
		return
	}
	v.Flash = "验证码已发送至 " + applicant.MaskPhone(applicant.NormalizePhone(phone)) + "，10 分钟内有效。"
	v.Form = url.Values{"phone": {phone}}
	v.Data = myCodeData{Purpose: purpose, Sent: true}
	h.Render(w, r, http.StatusOK, name, v)
}

// codeFormError renders the registration or reset form with err.
func (h *Handlers) codeFormError(w http.ResponseWriter, r *http.Request, purpose applicant.Purpose, err error) {
	name, title := codePage(purpose)
	v := page.View{Title: title, Data: myCodeData{Purpose: purpose}}
	status := h.FormError(r, &v, err)
	v.Form = url.Values{"phone": {r.PostFormValue("phone")}, "code": {r.PostFormValue("code")}}
	h.Render(w, r, status, name, v)
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
	h.Redirect(w, r, "/my/profile", "注册成功。请先完善个人（单位）信息，之后即可网上申报。")
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
	h.Redirect(w, r, "/my/login", "密码已重置，请用新密码登录。")
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
	h.showProfile(w, r, http.StatusOK, page.View{})
}

func (h *Handlers) showProfile(w http.ResponseWriter, r *http.Request, status int, v page.View) {
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
	h.Render(w, r, status, "my_profile", v)
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
		v := page.View{}
		status := h.FormError(r, &v, err)
		for k, m := range v.Field { // the service checks the profile as a case's applicant
			if short, ok := strings.CutPrefix(k, "applicant."); ok {
				v.Field[short] = m
			}
		}
		h.showProfile(w, r, status, v)
		return
	}
	if first {
		h.Redirect(w, r, "/my", "账户信息已保存，现在可以网上申报了。证件号码已绑定，不能再修改。")
		return
	}
	h.Redirect(w, r, "/my/profile", "账户信息已保存。")
}
