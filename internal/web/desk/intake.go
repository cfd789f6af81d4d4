package desk

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The intake desk (综合受理): find an item, take an application in against
// its handbook, or, when the materials are not enough, give the applicant
// a one-time notice of everything missing (行政许可法 art. 32).
//
// The form's field names are the service's ("applicant.id_number",
// "delivery.address", "deferral_due" …), so that every message the service
// returns lands next to the field it concerns; each material's mark is
// "material.<code>" = provided | deferred | missing.

type intakeSearchData struct {
	Query string
	Items []service.DeskItem
}

// intakeSearch finds an item by name, code or pinyin initials.
func (h *Handlers) intakeSearch(w http.ResponseWriter, r *http.Request) {
	d := intakeSearchData{Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	v := page.View{Title: "综合受理"}
	items, err := h.svc.SearchItems(r.Context(), d.Query)
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	d.Items = items
	v.Data = d
	h.render(w, r, http.StatusOK, "intake", v)
}

// intakeFormData is the intake form of one item.
type intakeFormData struct {
	D            *service.DeskItem
	PickupHalls  []service.PickupChoice // the halls that issue, the default marked
	Instant      bool
	Person       bool // the item accepts natural persons
	Entity       bool // the item accepts organisations
	PersonTypes  []identity.IDType
	Errors       []page.FieldMessage // every field's message, for the summary at the top
	NotBrought   []string            // required materials marked not brought, as the form stands
	Deferred     []string            // materials marked deferred
	DueMin       string              // the earliest deferral due date: tomorrow
	DueMax       string              // and the latest: the item's deferral limit
	PledgeText   string
	Consequence  string
	NoticeFailed bool // the one-time notice, not the intake, was refused
}

// personIDTypes are the documents a natural person may show.
var personIDTypes = []identity.IDType{identity.ResidentID, identity.Passport, identity.HKMacaoPermit, identity.TaiwanPermit, identity.ForeignPermanent}

// The pledge an applicant signs for deferred materials, as the deferral
// pledge prints it (casework.IntakeDocuments).
const (
	pledgeText  = "本人（单位）承诺在补齐期限前提交上列容缺材料，并对所提交材料的真实性负责。"
	consequence = "逾期未补齐的，终止办理，并依法记入信用记录。"
)

// intakeForm shows the empty form of an item.
func (h *Handlers) intakeForm(w http.ResponseWriter, r *http.Request) {
	h.showIntakeForm(w, r, http.StatusOK, page.View{}, nil, false)
}

// showIntakeForm renders the form of item {code}: empty with its defaults
// when v.Form is nil, else as typed, with failure's messages beside their
// fields.
func (h *Handlers) showIntakeForm(w http.ResponseWriter, r *http.Request, status int, v page.View, failure error, notice bool) {
	d, err := h.svc.IntakeItem(r.Context(), r.PathValue("code"))
	if err != nil {
		v = page.View{Title: "综合受理"}
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	it := d.Item
	data := intakeFormData{D: d, Instant: it.Kind == catalog.Instant, PersonTypes: personIDTypes,
		PledgeText: pledgeText, Consequence: consequence, NoticeFailed: notice}
	for _, k := range it.ApplicantKinds {
		data.Person = data.Person || k == catalog.NaturalPerson
		data.Entity = data.Entity || k != catalog.NaturalPerson
	}
	if data.PickupHalls, err = h.svc.PickupHalls(r.Context()); err != nil {
		v = page.View{Title: "综合受理"}
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	if !d.DeferralDue.IsZero() {
		data.DueMin = calendar.DateOf(h.svc.Now()).AddDays(1).String()
		data.DueMax = calendar.DateOf(d.DeferralDue).String()
	}
	if v.Form == nil {
		kind, idType := casework.Person, identity.ResidentID
		if !data.Person {
			kind, idType = casework.Entity, identity.CreditCode
		}
		v.Form = url.Values{
			"applicant.kind": {string(kind)}, "applicant.id_type": {string(idType)}, "agent.id_type": {string(identity.ResidentID)},
			"channel": {string(casework.AtWindow)}, "delivery.method": {string(casework.Pickup)}, "deferral_due": {data.DueMax},
		}
		for _, c := range data.PickupHalls {
			if c.Default {
				v.Form.Set("pickup_hall", c.Code)
			}
		}
	}
	if failure != nil {
		status = h.FormError(r, &v, failure)
		v.Field = map[string]string{}
		for _, f := range apperr.FieldsOf(failure) {
			if prev := v.Field[f.Field]; prev != "" {
				v.Field[f.Field] = prev + "；" + f.Message
			} else {
				v.Field[f.Field] = f.Message
			}
			data.Errors = append(data.Errors, page.FieldMessage{Href: "#" + page.FieldID(f.Field), Message: f.Message})
		}
	}
	for _, m := range it.Materials {
		switch v.Form.Get("material." + m.Code) {
		case string(casework.Provided):
		case string(casework.Deferred):
			data.Deferred = append(data.Deferred, m.Name)
		default:
			if m.Required {
				data.NotBrought = append(data.NotBrought, m.Name)
			}
		}
	}
	v.Title, v.Data = "收件 · "+it.Name, data
	h.render(w, r, status, "intake_form", v)
}

// takeIn records the application and goes to its case page, where the
// receipt notice is printed and an instant item is decided on the spot.
// A refusal shows the form again as typed, every message by its field.
func (h *Handlers) takeIn(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.showIntakeForm(w, r, http.StatusBadRequest, page.View{Error: "表单有误，请重试"}, nil, false)
		return
	}
	cv, err := h.svc.Intake(h.atDesk(r), page.IntakeFromForm(r.PathValue("code"), r.PostForm))
	if err != nil {
		h.showIntakeForm(w, r, 0, page.View{Form: r.PostForm}, err, false)
		return
	}
	c := cv.Case
	flash := fmt.Sprintf("已收件：%s，办件编号 %s。请打印收件通知书交申请人", c.ItemName, c.Number)
	if len(cv.Documents) > 1 {
		flash += "，并请申请人签署容缺受理承诺书"
	}
	flash += "（见「文书」）。"
	if c.Kind == catalog.Instant {
		flash += "本件为即办件，请在「当场办结并发证」中一次办结。"
	}
	flash += visitLinked(cv.Visit)
	h.sessions.Put(r.Context(), page.FlashLinkKey, "/cases/"+c.Number+"/print/0")
	h.sessions.Put(r.Context(), page.FlashLinkLabelKey, "打印收件通知书")
	h.Redirect(w, r, "/cases/"+c.Number, flash)
}

// giveOneTimeNotice records an application that cannot be taken in and
// opens its one-time notice for printing.
func (h *Handlers) giveOneTimeNotice(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.showIntakeForm(w, r, http.StatusBadRequest, page.View{Error: "表单有误，请重试"}, nil, true)
		return
	}
	f := r.PostForm
	marks, _ := page.MaterialsFromForm(f)
	in := service.IncompleteIntake{ItemCode: r.PathValue("code"), Applicant: page.PartyFromForm(f, "applicant"), Materials: marks, Note: f.Get("note")}
	a, err := h.svc.RecordIncomplete(r.Context(), in)
	if err != nil {
		h.showIntakeForm(w, r, 0, page.View{Form: f}, err, true)
		return
	}
	http.Redirect(w, r, "/intake/notices/"+strconv.FormatInt(a.ID, 10)+"/print", http.StatusSeeOther)
}

type intakeNoticesData struct {
	Day     string
	Today   bool
	Notices []service.IntakeAttempt
}

// intakeNotices lists the one-time notices given on a day (today by
// default) at the clerk's hall.
func (h *Handlers) intakeNotices(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "一次性告知记录"}
	today := calendar.DateOf(h.svc.Now())
	day := today
	if s := r.URL.Query().Get("day"); s != "" {
		d, err := calendar.ParseDate(s)
		if err != nil {
			v.Error = "日期格式须为 YYYY-MM-DD"
		} else {
			day = d
		}
	}
	list, err := h.svc.IntakeAttempts(r.Context(), day)
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	v.Data = intakeNoticesData{Day: day.String(), Today: day == today, Notices: list}
	h.render(w, r, http.StatusOK, "intake_notices", v)
}

// oneTimeNoticePage is what the printed one-time notice shows.
type oneTimeNoticePage struct {
	N      *service.OneTimeNotice
	Number string // the notice's number: its date and id
}

// printOneTimeNotice renders a one-time notice on A4.
func (h *Handlers) printOneTimeNotice(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "一次性告知单"}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.render(w, r, h.FormError(r, &v, apperr.New(apperr.NotFound, "未知的一次性告知单")), "error", v)
		return
	}
	n, err := h.svc.OneTimeNotice(r.Context(), id)
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	number := fmt.Sprintf("GZ%s%05d", page.FmtTime(n.Attempt.CreatedAt, "20060102"), n.Attempt.ID)
	v.Title, v.Data = "一次性告知单 "+number, oneTimeNoticePage{N: n, Number: number}
	h.render(w, r, http.StatusOK, "print/one_time_notice", v)
}

// intakeJSON guards the form's small JSON helpers: signed-in intake clerks
// only, answered in JSON rather than with pages.
func (h *Handlers) intakeJSON(next func(r *http.Request) (int, any)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var status int
		var body any
		switch u := service.UserFrom(r.Context()); {
		case u == nil:
			status, body = http.StatusUnauthorized, idCheck{Message: "请先登录"}
		case !u.Role.Sees(org.WorkIntake):
			status, body = http.StatusForbidden, idCheck{Message: "只有综合受理窗口可以使用"}
		default:
			status, body = next(r)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store") // it may carry personal data
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(body)
	}
}

// idCheck is the answer of check-id.
type idCheck struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
	Number  string `json:"number,omitempty"` // the number as it will be recorded (trimmed, upper case)
}

// checkID validates a resident ID, credit code or other document number as
// intake will, for the form to show by the field while the clerk types.
func (h *Handlers) checkID(r *http.Request) (int, any) {
	q := r.URL.Query()
	t := identity.IDType(q.Get("type"))
	number := strings.ToUpper(strings.TrimSpace(q.Get("number")))
	if err := identity.Validate(t, number); err != nil {
		return http.StatusOK, idCheck{Message: apperr.MessageOf(err), Number: number}
	}
	msg := t.Label() + "号码有效"
	return http.StatusOK, idCheck{OK: true, Message: msg, Number: number}
}

// recallAnswer is what the form may fill in for a returning applicant.
type recallAnswer struct {
	Found   bool   `json:"found"`
	Message string `json:"message,omitempty"`
	Kind    string `json:"kind,omitempty"`
	Name    string `json:"name,omitempty"`
	IDType  string `json:"id_type,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
	Source  string `json:"source,omitempty"` // case or notice
	Number  string `json:"number,omitempty"` // the case it came from
	At      string `json:"at,omitempty"`     // when, YYYY-MM-DD HH:MM
}

// recallApplicant returns the details recorded with the latest case of an
// ID number.
func (h *Handlers) recallApplicant(r *http.Request) (int, any) {
	rec, err := h.svc.RecallApplicant(r.Context(), r.URL.Query().Get("id_number"))
	switch {
	case apperr.Is(err, apperr.NotFound):
		return http.StatusOK, recallAnswer{Message: "没有该证件号码的办件记录"}
	case err != nil:
		p := problem.From(err)
		if p.Code == apperr.Internal {
			h.log.Error("recall applicant", "err", err, "request_id", h.RequestID(r))
		}
		return p.Status, recallAnswer{Message: p.Detail}
	}
	a := rec.Applicant
	return http.StatusOK, recallAnswer{Found: true, Kind: string(a.Kind), Name: a.Name, IDType: string(a.IDType), Phone: a.Phone,
		Address: a.Address, Source: rec.Source, Number: rec.Number, At: page.FmtTime(rec.At, "2006-01-02 15:04")}
}
