package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
)

// The hall's queue pages (issue 5): the ticket kiosk and a ticket's
// public page, the clerk's window console, and the bureau admin's
// categories and window assignment.
//
// The kiosk and the ticket page are public: a kiosk is an unattended
// device, and a ticket is followed on the applicant's own phone through
// the random follow token in its QR code (ticket ids count up, so the id
// alone opens nothing).

// registerQueuePages mounts these pages.
func (h *Handlers) registerQueuePages(mux *http.ServeMux) {
	mux.HandleFunc("GET /kiosk/{hall}", h.kiosk)
	mux.HandleFunc("POST /kiosk/{hall}", h.kioskTake)
	mux.HandleFunc("GET /kiosk/{hall}/ticket/{id}", h.kioskTicket)
	mux.HandleFunc("GET /queue/ticket/{id}", h.followTicket)
	mux.HandleFunc("GET /window", h.signedIn(h.windowConsole))
	mux.HandleFunc("POST /window/{number}/{action}", h.signedIn(h.windowAct))
	mux.HandleFunc("GET /admin/queue", h.signedIn(h.queueAdmin))
	mux.HandleFunc("POST /admin/queue/categories", h.signedIn(h.queueAdminCreate))
	mux.HandleFunc("POST /admin/queue/windows/{number}", h.signedIn(h.queueAdminWindow))
	mux.HandleFunc("POST /admin/queue/settings", h.signedIn(h.queueAdminSettings))
}

// sessionWindowKey remembers the window a clerk works at, so the console
// opens on it and an intake links its case to the ticket in service there.
const sessionWindowKey = "queue_window"

// ---- kiosk ----

// kioskData is the kiosk page: the hall, its categories with their
// waiting counts, and the priority classes an applicant may claim there
// (appointments come through check-in, not the kiosk).
type kioskData struct {
	Hall       org.Hall
	Categories []kioskCategory
	Priorities []queue.Priority
}

type kioskCategory struct {
	queue.Category
	Waiting int
}

// hallNamed returns the hall with code, or not found.
func (h *Handlers) hallNamed(r *http.Request, code string) (org.Hall, error) {
	halls, err := h.svc.Halls(r.Context())
	if err != nil {
		return org.Hall{}, err
	}
	for _, x := range halls {
		if x.Code == code {
			return x, nil
		}
	}
	return org.Hall{}, apperr.New(apperr.NotFound, "没有大厅 %s", code)
}

func (h *Handlers) kioskData(r *http.Request) (*kioskData, error) {
	ctx := r.Context()
	hall, err := h.hallNamed(r, r.PathValue("hall"))
	if err != nil {
		return nil, err
	}
	cats, err := h.svc.Categories(ctx, hall.Code)
	if err != nil {
		return nil, err
	}
	counts, err := h.svc.Waiting(ctx, hall.Code)
	if err != nil {
		return nil, err
	}
	d := &kioskData{Hall: hall, Priorities: []queue.Priority{queue.Elderly, queue.Disability, queue.ServiceMember}}
	for _, c := range cats {
		kc := kioskCategory{Category: c}
		for _, n := range counts {
			if n.Category == c.Code {
				kc.Waiting = n.Waiting
			}
		}
		d.Categories = append(d.Categories, kc)
	}
	return d, nil
}

// kiosk shows the hall's ticket kiosk.
func (h *Handlers) kiosk(w http.ResponseWriter, r *http.Request) {
	v := view{Title: "自助取号"}
	d, err := h.kioskData(r)
	if err != nil {
		h.render(w, r, h.formError(r, &v, err), "error", v)
		return
	}
	v.Title, v.Data = d.Hall.Name+" 自助取号", d
	h.render(w, r, http.StatusOK, "kiosk", v)
}

// kioskTake takes a ticket and goes to its printable ticket. A refusal
// (outside issuing hours, the day's cap reached, an open ticket for the
// same ID, a wrong ID) shows the kiosk again with the reason; the ID typed
// is kept only when it is the ID that was wrong, so that it can be
// corrected, and is otherwise never shown again.
func (h *Handlers) kioskTake(w http.ResponseWriter, r *http.Request) {
	v := view{Title: "自助取号"}
	if err := r.ParseForm(); err != nil {
		h.render(w, r, h.formError(r, &v, apperr.New(apperr.Invalid, "表单有误，请重试")), "error", v)
		return
	}
	d, err := h.kioskData(r)
	if err != nil {
		h.render(w, r, h.formError(r, &v, err), "error", v)
		return
	}
	v.Title, v.Data = d.Hall.Name+" 自助取号", d
	f := r.PostForm
	priority := queue.Priority(f.Get("priority"))
	if priority == "" || priority == queue.Appointment {
		priority = queue.Normal // appointments are checked in by a clerk
	}
	tv, token, err := h.svc.TakeTicketToFollow(r.Context(), service.TicketRequest{
		Hall: d.Hall.Code, Category: f.Get("category"), IDNumber: f.Get("id_number"), Priority: priority,
	})
	if err != nil {
		status := h.formError(r, &v, err)
		if _, idWrong := v.Field["id_number"]; !idWrong {
			v.Form = url.Values{"priority": {f.Get("priority")}}
		}
		h.render(w, r, status, "kiosk", v)
		return
	}
	if token == "" {
		// The ticket stands without its follow token: print it without a QR code.
		v.Title, v.Data = "排队号 "+tv.Ticket.Number, &ticketPage{Hall: d.Hall, T: tv, Back: "/kiosk/" + url.PathEscape(d.Hall.Code)}
		h.render(w, r, http.StatusCreated, "print/ticket", v)
		return
	}
	to := fmt.Sprintf("/kiosk/%s/ticket/%d?t=%s", url.PathEscape(d.Hall.Code), tv.Ticket.ID, url.QueryEscape(token))
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// ticketPage is the printed ticket and the phone's ticket page.
type ticketPage struct {
	Hall      org.Hall
	T         *service.TicketView
	FollowURL string // the QR code's address; "" when the ticket has no token
	QR        template.URL
	Back      string // the kiosk
}

// ticketFor reads the ticket the request names with its follow token.
func (h *Handlers) ticketFor(r *http.Request) (*ticketPage, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, apperr.New(apperr.NotFound, "排队号不存在或链接已失效，请扫描号票上的二维码")
	}
	token := r.URL.Query().Get("t")
	tv, err := h.svc.FollowTicket(r.Context(), id, token)
	if err != nil {
		return nil, err
	}
	hall, err := h.hallNamed(r, tv.Ticket.HallCode)
	if err != nil {
		return nil, err
	}
	p := &ticketPage{Hall: hall, T: tv, Back: "/kiosk/" + url.PathEscape(hall.Code)}
	p.FollowURL = fmt.Sprintf("%s/queue/ticket/%d?t=%s", siteBase(r), id, url.QueryEscape(token))
	if p.QR, err = qrPNG(p.FollowURL); err != nil {
		return nil, apperr.Wrap(err, "QR code")
	}
	return p, nil
}

// kioskTicket is the printable ticket, right after it is taken.
func (h *Handlers) kioskTicket(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	v := view{Title: "排队号"}
	p, err := h.ticketFor(r)
	if err != nil {
		h.render(w, r, h.formError(r, &v, err), "error", v)
		return
	}
	v.Title, v.Data = "排队号 "+p.T.Ticket.Number, p
	h.render(w, r, http.StatusOK, "print/ticket", v)
}

// followTicket is a ticket's public page, opened from its QR code: its
// state, how many wait ahead, and the window it is called to. It reloads
// itself while the ticket is open.
func (h *Handlers) followTicket(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	v := view{Title: "排队进度"}
	p, err := h.ticketFor(r)
	if err != nil {
		h.render(w, r, h.formError(r, &v, err), "kiosk_follow", v)
		return
	}
	v.Title, v.Data = "排队进度 "+p.T.Ticket.Number, p
	h.render(w, r, http.StatusOK, "kiosk_follow", v)
}

// ---- window console ----

// windowData is the clerk's window console.
type windowData struct {
	Hall       string
	Windows    []org.Window // the hall's windows the clerk may pick
	Number     string       // the window chosen, "" before one is
	W          *service.WindowView
	Categories []queue.Category // the hall's, for transfers
	Waiting    []kioskCategory  // the window's categories with their waiting counts
	Settings   queue.Settings
	Reasons    []reasonOption
	CaseDesk   string // /intake or /issuance: where the clerk takes cases during service
}

type reasonOption struct {
	Value queue.NoShowReason
	Label string
}

// RecallsLeft is how often the current ticket may still be recalled.
func (d *windowData) RecallsLeft() int {
	if d.W == nil || d.W.Ticket == nil {
		return 0
	}
	return max(0, d.Settings.MaxRecalls-d.W.Ticket.Ticket.Recalls)
}

// Can reports whether the current ticket allows action.
func (d *windowData) Can(action string) bool {
	return d.W != nil && d.W.Ticket != nil && slices.Contains(d.W.Ticket.Allowed, queue.Action(action))
}

// windowConsole shows the window the clerk works at (?w=A01, else the one
// last used in this session), or the hall's windows to pick one.
func (h *Handlers) windowConsole(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := service.UserFrom(ctx)
	v := view{Title: "窗口叫号"}
	if !u.Role.Sees(org.WorkWindow) {
		h.render(w, r, h.formError(r, &v, apperr.New(apperr.Forbidden, "窗口叫号只供综合受理、综合出件人员使用")), "error", v)
		return
	}
	d := &windowData{Hall: u.HallCode, CaseDesk: "/intake"}
	if u.Role == org.RoleIssuance {
		d.CaseDesk = "/issuance"
	}
	v.Data = d
	ws, err := h.svc.Windows(ctx, u.HallCode)
	if err != nil {
		h.render(w, r, h.formError(r, &v, err), "error", v)
		return
	}
	d.Windows = ws
	d.Number = r.URL.Query().Get("w")
	if d.Number == "" {
		d.Number = h.sessions.GetString(ctx, sessionWindowKey)
	}
	if d.Number == "" || !slices.ContainsFunc(ws, func(x org.Window) bool { return x.Number == d.Number }) {
		d.Number = ""
		h.render(w, r, http.StatusOK, "window", v)
		return
	}
	h.sessions.Put(ctx, sessionWindowKey, d.Number)
	v.Title = "窗口叫号 · " + d.Number
	status := http.StatusOK
	if err := h.fillWindow(r, d); err != nil {
		status = h.formError(r, &v, err)
	}
	h.render(w, r, status, "window", v)
}

func (h *Handlers) fillWindow(r *http.Request, d *windowData) error {
	ctx := r.Context()
	var err error
	if d.W, err = h.svc.QueueWindow(ctx, d.Hall, d.Number); err != nil {
		return err
	}
	if d.Settings, err = h.svc.QueueSettings(ctx, d.Hall); err != nil {
		return err
	}
	if d.Categories, err = h.svc.Categories(ctx, d.Hall); err != nil {
		return err
	}
	counts, err := h.svc.Waiting(ctx, d.Hall)
	if err != nil {
		return err
	}
	for _, c := range d.Categories {
		if !d.W.Window.Serves(c.Code) {
			continue
		}
		kc := kioskCategory{Category: c}
		for _, n := range counts {
			if n.Category == c.Code {
				kc.Waiting = n.Waiting
			}
		}
		d.Waiting = append(d.Waiting, kc)
	}
	for _, k := range []queue.NoShowReason{queue.ReasonAbsent, queue.ReasonLeft, queue.ReasonDuplicate, queue.ReasonWrong} {
		d.Reasons = append(d.Reasons, reasonOption{k, queue.NoShowReasons[k]})
	}
	return nil
}

// windowAct performs one of the console's buttons and comes back to the
// console with what happened; a refusal shows the console with the reason.
func (h *Handlers) windowAct(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := service.UserFrom(ctx)
	hall, number, action := u.HallCode, r.PathValue("number"), r.PathValue("action")
	if err := r.ParseForm(); err != nil {
		action = ""
	}
	var (
		wv    *service.WindowView
		err   error
		flash string
	)
	switch action {
	case "requeue", "cancel":
		// A ticket of the day by its number: a late arrival requeued once,
		// or a ticket withdrawn.
		var tv *service.TicketView
		if action == "requeue" {
			if tv, err = h.svc.RequeueNumbered(ctx, r.PostFormValue("ticket")); err == nil {
				flash = tv.Ticket.Number + " 号已重新排队（排在同类号的最后）。"
			}
		} else if tv, err = h.svc.CancelNumbered(ctx, r.PostFormValue("ticket")); err == nil {
			flash = tv.Ticket.Number + " 号已取消。"
		}
		if err == nil {
			wv, err = h.svc.QueueWindow(ctx, hall, number)
		}
	case "resume":
		wv, err = h.svc.Resume(ctx, hall, number)
		flash = number + " 窗口已开窗，可以叫号。"
	case "pause":
		wv, err = h.svc.Pause(ctx, hall, number)
		flash = number + " 窗口已暂停叫号。"
	case "call":
		wv, err = h.svc.CallNext(ctx, hall, number)
	case "recall":
		wv, err = h.svc.Recall(ctx, hall, number)
	case "no-show":
		wv, err = h.svc.NoShow(ctx, hall, number, queue.NoShowReason(r.PostForm.Get("reason")))
	case "start":
		wv, err = h.svc.Start(ctx, hall, number)
	case "finish":
		var fv *service.FinishedVisit
		if fv, err = h.svc.FinishVisit(ctx, hall, number); err == nil {
			wv = &fv.WindowView
		}
	case "transfer":
		to := r.PostForm.Get("to")
		kind, code, _ := strings.Cut(to, ":")
		var toWindow, toCategory string
		switch kind {
		case "window":
			toWindow = code
		case "category":
			toCategory = code
		}
		wv, err = h.svc.Transfer(ctx, hall, number, toWindow, toCategory)
	default:
		err = apperr.New(apperr.NotFound, "未知的窗口操作")
	}
	if err != nil {
		d := &windowData{Hall: hall, Number: number, CaseDesk: "/intake"}
		if u.Role == org.RoleIssuance {
			d.CaseDesk = "/issuance"
		}
		v := view{Title: "窗口叫号 · " + number, Data: d}
		status := h.formError(r, &v, err)
		d.Windows, _ = h.svc.Windows(ctx, hall)
		if ferr := h.fillWindow(r, d); ferr != nil {
			h.render(w, r, h.formError(r, &v, ferr), "error", v)
			return
		}
		h.render(w, r, status, "window", v)
		return
	}
	h.sessions.Put(ctx, sessionWindowKey, number)
	if t := wv.Ticket; t != nil {
		n := t.Ticket.Number
		switch action {
		case "call":
			flash = fmt.Sprintf("已叫号 %s（%s），请等候申请人到窗口。", n, t.CategoryName)
		case "recall":
			flash = fmt.Sprintf("已重呼 %s（第 %d 次）。", n, t.Ticket.Recalls)
		case "no-show":
			flash = fmt.Sprintf("%s 已标记过号：%s。", n, queue.NoShowReasons[queue.NoShowReason(t.Ticket.NoShowReason)])
		case "start":
			flash = fmt.Sprintf("开始办理 %s。收件请在「综合受理」中办理，办件会自动关联本号。", n)
		case "transfer":
			flash = fmt.Sprintf("%s 已转办，重新排队等候。", n)
		case "finish":
			// FinishVisit handed the visit's rating token to the window's
			// pad; the console never sees it.
			flash = fmt.Sprintf("%s 已办结。评价器已就绪，请申请人在窗口评价器上为本次服务评价。", n)
			h.sessions.Put(ctx, flashLinkKey, "/pad/"+url.PathEscape(hall)+"/"+url.PathEscape(number))
			h.sessions.Put(ctx, flashLinkLabelKey, "打开评价器")
		}
	}
	h.redirect(w, r, "/window?w="+url.QueryEscape(number), flash)
}

// atDesk returns the request's context with the window the clerk works
// at (the one last used in this session): an intake links its cases to
// the visit in service there (service.WorkingAt).
func (h *Handlers) atDesk(r *http.Request) context.Context {
	ctx := r.Context()
	return service.WorkingAt(ctx, h.sessions.GetString(ctx, sessionWindowKey))
}

// visitLinked is the intake message's sentence on the ticket the intake
// linked its case to; "" when it linked none.
func visitLinked(ticket string) string {
	if ticket == "" {
		return ""
	}
	return "已关联排队号 " + ticket + "。"
}

// ---- queue admin ----

// queueAdminData is the bureau admin's page of a hall's queue.
type queueAdminData struct {
	Halls      []org.Hall
	Hall       string
	Categories []queue.Category
	Windows    []queueAdminWindow
	Hours      string // the default issuing hours, for the form
	Settings   queue.Settings
}

type queueAdminWindow struct {
	org.Window
	Queue *queue.Window
}

// Serves reports whether the window calls category code; a window with no
// categories calls every one.
func (w queueAdminWindow) Serves(code string) bool {
	return w.Queue != nil && slices.Contains(w.Queue.Categories, code)
}

func (h *Handlers) queueAdminPage(r *http.Request, hall string) (*queueAdminData, error) {
	ctx := r.Context()
	d := &queueAdminData{Hall: hall, Hours: hoursText(queue.DefaultHours())}
	var err error
	if d.Halls, err = h.svc.Halls(ctx); err != nil {
		return nil, err
	}
	if d.Hall == "" && len(d.Halls) > 0 {
		d.Hall = d.Halls[0].Code
	}
	qs, err := h.svc.WindowQueues(ctx, d.Hall)
	if err != nil {
		return nil, err
	}
	if d.Settings, err = h.svc.QueueSettings(ctx, d.Hall); err != nil {
		return nil, err
	}
	if d.Categories, err = h.svc.Categories(ctx, d.Hall); err != nil {
		return nil, err
	}
	ws, err := h.svc.Windows(ctx, d.Hall)
	if err != nil {
		return nil, err
	}
	for _, x := range ws {
		aw := queueAdminWindow{Window: x}
		for _, q := range qs {
			if q.Number == x.Number {
				aw.Queue = q
			}
		}
		d.Windows = append(d.Windows, aw)
	}
	return d, nil
}

func hoursText(spans []queue.Span) string {
	var parts []string
	for _, s := range spans {
		parts = append(parts, s.Start+"-"+s.End)
	}
	return strings.Join(parts, " ")
}

// parseHours reads "09:00-11:30 13:30-16:30" (spaces, commas or 、
// between spans; - or – within one); the category checks the times.
func parseHours(s string) []queue.Span {
	var out []queue.Span
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == ',' || r == '，' || r == '、' || r == '\n' || r == '\r' || r == '\t'
	}) {
		f = strings.ReplaceAll(f, "–", "-")
		start, end, _ := strings.Cut(f, "-")
		out = append(out, queue.Span{Start: start, End: end})
	}
	return out
}

// queueAdmin shows a hall's categories and which windows call them.
func (h *Handlers) queueAdmin(w http.ResponseWriter, r *http.Request) {
	v := view{Title: "取号类别和窗口"}
	d, err := h.queueAdminPage(r, r.URL.Query().Get("hall"))
	if err != nil {
		h.render(w, r, h.formError(r, &v, err), "error", v)
		return
	}
	v.Data = d
	h.render(w, r, http.StatusOK, "queue_admin", v)
}

// queueAdminCreate adds a category to a hall.
func (h *Handlers) queueAdminCreate(w http.ResponseWriter, r *http.Request) {
	v := view{Title: "取号类别和窗口"}
	if err := r.ParseForm(); err != nil {
		h.render(w, r, h.formError(r, &v, apperr.New(apperr.Invalid, "表单有误，请重试")), "error", v)
		return
	}
	f := r.PostForm
	hall := f.Get("hall")
	dailyCap, _ := strconv.Atoi(strings.TrimSpace(f.Get("daily_cap")))
	c := &queue.Category{
		HallCode: hall, Code: strings.TrimSpace(f.Get("code")), Name: strings.TrimSpace(f.Get("name")),
		Prefix: strings.ToUpper(strings.TrimSpace(f.Get("prefix"))), Items: strings.Fields(strings.ReplaceAll(f.Get("items"), ",", " ")),
		Hours: parseHours(f.Get("hours")), DailyCap: dailyCap,
	}
	if err := h.svc.CreateCategory(r.Context(), c); err != nil {
		d, perr := h.queueAdminPage(r, hall)
		if perr != nil {
			h.render(w, r, h.formError(r, &v, perr), "error", v)
			return
		}
		v.Data = d
		h.render(w, r, h.formError(r, &v, err), "queue_admin", v)
		return
	}
	h.redirect(w, r, "/admin/queue?hall="+url.QueryEscape(hall), fmt.Sprintf("已添加取号类别 %s %s（号码前缀 %s）。", c.Code, c.Name, c.Prefix))
}

// queueAdminWindow sets the categories a window calls.
func (h *Handlers) queueAdminWindow(w http.ResponseWriter, r *http.Request) {
	v := view{Title: "取号类别和窗口"}
	if err := r.ParseForm(); err != nil {
		h.render(w, r, h.formError(r, &v, apperr.New(apperr.Invalid, "表单有误，请重试")), "error", v)
		return
	}
	hall, number := r.PostForm.Get("hall"), r.PathValue("number")
	if _, err := h.svc.SetWindowCategories(r.Context(), hall, number, r.PostForm["categories"]); err != nil {
		d, perr := h.queueAdminPage(r, hall)
		if perr != nil {
			h.render(w, r, h.formError(r, &v, perr), "error", v)
			return
		}
		v.Data = d
		h.render(w, r, h.formError(r, &v, err), "queue_admin", v)
		return
	}
	h.redirect(w, r, "/admin/queue?hall="+url.QueryEscape(hall), number+" 窗口的叫号类别已保存。")
}

// queueAdminSettings sets a hall's calling policy: the fairness limit K
// and the number of recalls.
func (h *Handlers) queueAdminSettings(w http.ResponseWriter, r *http.Request) {
	v := view{Title: "取号类别和窗口"}
	if err := r.ParseForm(); err != nil {
		h.render(w, r, h.formError(r, &v, apperr.New(apperr.Invalid, "表单有误，请重试")), "error", v)
		return
	}
	hall := r.PostFormValue("hall")
	k, errK := strconv.Atoi(strings.TrimSpace(r.PostFormValue("fairness_limit")))
	n, errN := strconv.Atoi(strings.TrimSpace(r.PostFormValue("max_recalls")))
	err := h.svc.SetQueueSettings(r.Context(), hall, queue.Settings{FairnessLimit: k, MaxRecalls: n})
	switch {
	case errK != nil:
		err = apperr.Field("fairness_limit", "请填写整数")
	case errN != nil:
		err = apperr.Field("max_recalls", "请填写整数")
	}
	if err != nil {
		d, perr := h.queueAdminPage(r, hall)
		if perr != nil {
			h.render(w, r, h.formError(r, &v, perr), "error", v)
			return
		}
		v.Data = d
		h.render(w, r, h.formError(r, &v, err), "queue_admin", v)
		return
	}
	h.redirect(w, r, "/admin/queue?hall="+url.QueryEscape(hall), fmt.Sprintf("已保存叫号规则：连续叫优先号不超过 %d 个，重呼不超过 %d 次。", k, n))
}
