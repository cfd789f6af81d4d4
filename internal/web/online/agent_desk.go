package online

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
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

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
	Cases       []page.CaseRow
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
		if casework.OnlineApplicable(&it) {
			online = append(online, it)
		}
	}
	return byCode, online, nil
}

// mandateStatus names where a mandate stands at now.
func mandateStatus(a *applicant.Authorisation, now time.Time) (string, bool) {
	switch {
	case !a.RevokedAt.IsZero() && !now.Before(a.RevokedAt) && a.TransferredTo != "":
		return "已改派给" + a.TransferredName, false
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
		h.DeskError(w, r, "代办", err)
		return
	}
	byCode, online, err := h.deskOnlineItems(r)
	if err != nil {
		h.DeskError(w, r, "代办", err)
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
		h.DeskError(w, r, "代办", err)
		return
	}
	d.Cases = h.Rows(ctx, cases)
	h.Render(w, r, http.StatusOK, "desk_agent", page.View{Title: "代办", Data: d})
}

// agentCase is the timeline of a case the agent follows.
func (h *Handlers) agentCase(w http.ResponseWriter, r *http.Request) {
	t, err := h.svc.CaseTimeline(r.Context(), r.PathValue("number"))
	if err != nil {
		h.DeskError(w, r, "代办 · 办件进度", err)
		return
	}
	h.Render(w, r, http.StatusOK, "desk_agent_case", page.View{Title: "代办 · 办件 " + t.View.Case.Number, Data: t})
}

// agentApplyData is the form of an online application an agent makes for
// an applicant.
type agentApplyData struct {
	PickupHalls []service.PickupChoice // the halls that issue results
	Mandate     *applicant.Authorisation
	Item        *catalog.Item
	Covered     bool // the mandate covers the item now: the form is shown
	Errors      []page.FieldMessage
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
	h.showAgentApply(w, r, http.StatusOK, page.View{}, account, q.Get("item"), nil)
}

// showAgentApply renders the online application form of item for the
// account; failure's messages go by their fields, a refusal of the mandate
// at the top.
func (h *Handlers) showAgentApply(w http.ResponseWriter, r *http.Request, status int, v page.View, account int64, item string, failure error) {
	m, err := h.agentMandateFor(r, account)
	if err != nil {
		h.DeskError(w, r, "代为网上申报", err)
		return
	}
	it, err := h.svc.OnlineItem(r.Context(), item)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			err = apperr.New(apperr.NotFound, "未知的事项：%s", item)
		}
		h.DeskError(w, r, "代为网上申报", err)
		return
	}
	d := agentApplyData{Mandate: m, Item: it}
	if d.PickupHalls, err = h.svc.PickupHalls(r.Context()); err != nil {
		h.DeskError(w, r, "代为网上申报", err)
		return
	}
	if v.Form == nil {
		v.Form = url.Values{"delivery.method": {string(casework.Pickup)}}
	}
	if failure != nil {
		status = h.FormError(r, &v, failure)
		v.Form = r.PostForm
		for _, f := range apperr.FieldsOf(failure) {
			d.Errors = append(d.Errors, page.FieldMessage{Href: "#" + page.FieldID(f.Field), Message: f.Message})
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
	h.Render(w, r, status, "desk_agent_apply", v)
}

// agentApply uploads every file chosen and submits the application in the
// applicant's name. The form is read part by part (readUploads), each file
// streamed to the service as it arrives; the account and item fields come
// before the files. A refused file refuses the whole application: nothing
// of the case is kept, and the form says which file and why.
func (h *Handlers) agentApply(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var (
		it      *catalog.Item
		itemErr error
	)
	count := map[string]int{}
	f, uploads, readErr := h.readUploads(r, func(field string, f url.Values) error {
		if it == nil && itemErr == nil {
			it, itemErr = h.svc.Item(ctx, f.Get("item"), 0)
		}
		if itemErr != nil {
			return itemErr
		}
		code, ok := strings.CutPrefix(field, "file.")
		if !ok {
			return apperr.Field("file", "未知的上传项")
		}
		if err := checkMaterial(it, code, count[code]); err != nil {
			return err
		}
		count[code]++
		return nil
	})
	r.PostForm = f // the form shown again on a refusal
	account, _ := strconv.ParseInt(f.Get("account"), 10, 64)
	item := f.Get("item")
	if it == nil {
		var err error
		if it, err = h.svc.Item(ctx, item, 0); err != nil {
			h.showAgentApply(w, r, 0, page.View{}, account, item, err)
			return
		}
	}
	files := map[string][]casework.FileRef{}
	var bad apperr.Collector
	for _, u := range uploads {
		code := strings.TrimPrefix(u.Field, "file.")
		if u.Err != nil {
			if !apperr.Is(u.Err, apperr.Invalid) {
				h.showAgentApply(w, r, 0, page.View{}, account, item, u.Err)
				return
			}
			msg := apperr.MessageOf(u.Err)
			if m, ok := it.Material(code); ok {
				msg = m.Name + "：" + msg
			}
			bad.Add(u.Field, msg)
			continue
		}
		files[code] = append(files[code], u.Ref)
	}
	if readErr != nil {
		bad.Add("file", apperr.MessageOf(readErr))
	}
	if err := bad.Err("有文件未能上传，申请未提交；请重新选择这些文件"); err != nil {
		h.showAgentApply(w, r, 0, page.View{}, account, item, err)
		return
	}
	var delivery *casework.Delivery
	base := page.IntakeFromForm("", f)
	if base.Delivery != nil {
		delivery = base.Delivery
	}
	cv, err := h.svc.SubmitOnline(ctx, service.OnlineDraft{ItemCode: it.Code, Files: files, Delivery: delivery, PickupHall: base.PickupHall, AccountID: account})
	if err != nil {
		h.showAgentApply(w, r, 0, page.View{}, account, item, err)
		return
	}
	c := cv.Case
	h.Redirect(w, r, "/agent/cases/"+c.Number, fmt.Sprintf("已代 %s 网上申报「%s」，办件编号 %s；部门将在 %s 前完成预审。",
		c.Applicant.Name, c.ItemName, c.Number, page.FmtTime(c.Deadlines.PreReviewBy, "2006-01-02 15:04")))
}
