package desk

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The clerk's window console (issue 5). The other queue pages: the ticket
// kiosk and a ticket's public page in hall (kiosk.go), the bureau admin's
// categories and window assignment in admin (queue.go).

// sessionWindowKey remembers the window a clerk works at, so the console
// opens on it and an intake links its case to the ticket in service there.
const sessionWindowKey = "queue_window"

// ---- window console ----

// windowData is the clerk's window console.
type windowData struct {
	Hall       string
	Windows    []org.Window // the hall's windows the clerk may pick
	Number     string       // the window chosen, "" before one is
	W          *service.WindowView
	Categories []queue.Category     // the hall's, for transfers
	Waiting    []page.KioskCategory // the window's categories with their waiting counts
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
	v := page.View{Title: "窗口叫号"}
	if !u.Role.Sees(org.WorkWindow) {
		h.render(w, r, h.FormError(r, &v, apperr.New(apperr.Forbidden, "窗口叫号只供综合受理、综合出件人员使用")), "error", v)
		return
	}
	d := &windowData{Hall: u.HallCode, CaseDesk: "/intake"}
	if u.Role == org.RoleIssuance {
		d.CaseDesk = "/issuance"
	}
	v.Data = d
	ws, err := h.svc.Windows(ctx, u.HallCode)
	if err != nil {
		h.render(w, r, h.FormError(r, &v, err), "error", v)
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
		status = h.FormError(r, &v, err)
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
		kc := page.KioskCategory{Category: c}
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
	if err != nil && wantsJSON(r) {
		h.barReply(w, r, hall, number, "", err)
		return
	}
	if err != nil {
		d := &windowData{Hall: hall, Number: number, CaseDesk: "/intake"}
		if u.Role == org.RoleIssuance {
			d.CaseDesk = "/issuance"
		}
		v := page.View{Title: "窗口叫号 · " + number, Data: d}
		status := h.FormError(r, &v, err)
		d.Windows, _ = h.svc.Windows(ctx, hall)
		if ferr := h.fillWindow(r, d); ferr != nil {
			h.render(w, r, h.FormError(r, &v, ferr), "error", v)
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
			h.sessions.Put(ctx, page.FlashLinkKey, "/pad/"+url.PathEscape(hall)+"/"+url.PathEscape(number))
			h.sessions.Put(ctx, page.FlashLinkLabelKey, "打开评价器")
		}
	}
	if wantsJSON(r) {
		h.barReply(w, r, hall, number, flash, nil)
		return
	}
	h.Redirect(w, r, page.LocalPath(r.PostFormValue("back"), "/window?w="+url.QueryEscape(number)), flash)
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
