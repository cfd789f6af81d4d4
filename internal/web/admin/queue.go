package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The bureau admin's queue pages (issue 5): categories, window
// assignment and the calling rules of a hall.

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
	v := page.View{Title: "取号类别和窗口"}
	d, err := h.queueAdminPage(r, r.URL.Query().Get("hall"))
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	v.Data = d
	h.Render(w, r, http.StatusOK, "queue_admin", v)
}

// queueAdminCreate adds a category to a hall.
func (h *Handlers) queueAdminCreate(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "取号类别和窗口"}
	if err := r.ParseForm(); err != nil {
		h.Render(w, r, h.FormError(r, &v, apperr.New(apperr.Invalid, "表单有误，请重试")), "error", v)
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
			h.Render(w, r, h.FormError(r, &v, perr), "error", v)
			return
		}
		v.Data = d
		h.Render(w, r, h.FormError(r, &v, err), "queue_admin", v)
		return
	}
	h.Redirect(w, r, "/admin/queue?hall="+url.QueryEscape(hall), fmt.Sprintf("已添加取号类别 %s %s（号码前缀 %s）。", c.Code, c.Name, c.Prefix))
}

// queueAdminWindow sets the categories a window calls.
func (h *Handlers) queueAdminWindow(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "取号类别和窗口"}
	if err := r.ParseForm(); err != nil {
		h.Render(w, r, h.FormError(r, &v, apperr.New(apperr.Invalid, "表单有误，请重试")), "error", v)
		return
	}
	hall, number := r.PostForm.Get("hall"), r.PathValue("number")
	if _, err := h.svc.SetWindowCategories(r.Context(), hall, number, r.PostForm["categories"]); err != nil {
		d, perr := h.queueAdminPage(r, hall)
		if perr != nil {
			h.Render(w, r, h.FormError(r, &v, perr), "error", v)
			return
		}
		v.Data = d
		h.Render(w, r, h.FormError(r, &v, err), "queue_admin", v)
		return
	}
	h.Redirect(w, r, "/admin/queue?hall="+url.QueryEscape(hall), number+" 窗口的叫号类别已保存。")
}

// queueAdminSettings sets a hall's calling policy: the fairness limit K
// and the number of recalls.
func (h *Handlers) queueAdminSettings(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "取号类别和窗口"}
	if err := r.ParseForm(); err != nil {
		h.Render(w, r, h.FormError(r, &v, apperr.New(apperr.Invalid, "表单有误，请重试")), "error", v)
		return
	}
	hall := r.PostFormValue("hall")
	k, errK := strconv.Atoi(strings.TrimSpace(r.PostFormValue("fairness_limit")))
	n, errN := strconv.Atoi(strings.TrimSpace(r.PostFormValue("max_recalls")))
	ahead, errA := strconv.Atoi(strings.TrimSpace(r.PostFormValue("text_ahead")))
	var err error
	switch {
	case errK != nil:
		err = apperr.Field("fairness_limit", "请填写整数")
	case errN != nil:
		err = apperr.Field("max_recalls", "请填写整数")
	case errA != nil:
		err = apperr.Field("text_ahead", "请填写整数（0 为不发短信提醒）")
	default:
		err = h.svc.SetQueueSettings(r.Context(), hall, queue.Settings{FairnessLimit: k, MaxRecalls: n, TextAhead: ahead})
	}
	if err != nil {
		d, perr := h.queueAdminPage(r, hall)
		if perr != nil {
			h.Render(w, r, h.FormError(r, &v, perr), "error", v)
			return
		}
		v.Data = d
		h.Render(w, r, h.FormError(r, &v, err), "queue_admin", v)
		return
	}
	h.Redirect(w, r, "/admin/queue?hall="+url.QueryEscape(hall), fmt.Sprintf("已保存叫号规则：连续叫优先号不超过 %d 个，重呼不超过 %d 次，%s。", k, n, textAheadWords(ahead)))
}

// textAheadWords says the queue-text setting in words.
func textAheadWords(ahead int) string {
	if ahead == 0 {
		return "不发短信提醒"
	}
	return fmt.Sprintf("前面只剩 %d 位时短信提醒", ahead)
}
