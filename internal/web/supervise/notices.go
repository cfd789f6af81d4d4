package supervise

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/supervision"
	"github.com/onewindow/onewindow/internal/web/page"
)

// Supervision notices (督办单): the list (待回复, 已回复, 逾期未回复), one
// notice with the department admin's reply form, and the supervisor's
// form to open one by hand on a case.

// noticeRow is a notice ready to show.
type noticeRow struct {
	service.NoticeView
	DepartmentName string
	What           string // the missed deadline, or the reason of one by hand
	Overdue        bool
}

// noticesData is the list page.
type noticesData struct {
	Status     string
	Tabs       []navTab
	Total      int
	Rows       []noticeRow
	From, To   string
	Department string
}

// navTab is one filter of the list.
type navTab struct{ Href, Label, Key string }

func (h *Handlers) deptNames(r *http.Request) map[string]string {
	return h.DepartmentNames(r.Context())
}

func (h *Handlers) row(names map[string]string, n service.NoticeView) noticeRow {
	row := noticeRow{NoticeView: n, DepartmentName: names[n.Department], Overdue: n.Status == supervision.NoticeOverdue}
	if row.DepartmentName == "" {
		row.DepartmentName = "行政审批局（综合窗口）"
	}
	row.What = n.Reason
	if n.StepLabel != "" {
		row.What = n.StepLabel + "超期：" + n.Reason
	}
	return row
}

func (h *Handlers) notices(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := &noticesData{Status: q.Get("status"), From: q.Get("from"), To: q.Get("to"), Department: q.Get("department")}
	for _, t := range []navTab{{"", "全部", ""}, {"", "待回复", "open"}, {"", "逾期未回复", "overdue"}, {"", "已回复", "replied"}} {
		c := url.Values{}
		if t.Key != "" {
			c.Set("status", t.Key)
		}
		for _, k := range []string{"from", "to", "department"} {
			if q.Get(k) != "" {
				c.Set(k, q.Get(k))
			}
		}
		t.Href = "/supervision/notices"
		if len(c) > 0 {
			t.Href += "?" + c.Encode()
		}
		d.Tabs = append(d.Tabs, t)
	}
	v := page.View{Title: "督办单", Data: d}
	pageNo, _ := strconv.Atoi(q.Get("page"))
	list, err := h.svc.Supervision().Notices(r.Context(), service.NoticeQuery{From: d.From, To: d.To, Department: d.Department,
		Status: supervision.NoticeStatus(d.Status), Number: q.Get("number"), Limit: 100, Offset: max(pageNo-1, 0) * 100})
	if err != nil {
		h.fail(w, r, "notices", v, err)
		return
	}
	names := h.deptNames(r)
	d.Total = list.Total
	for _, n := range list.Notices {
		d.Rows = append(d.Rows, h.row(names, n))
	}
	h.Render(w, r, http.StatusOK, "notices", v)
}

// noticeData is one notice's page.
type noticeData struct {
	noticeRow
	MayReply bool
}

func (h *Handlers) noticeID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "督办单不存在")
	}
	return id, nil
}

func (h *Handlers) notice(w http.ResponseWriter, r *http.Request) {
	h.showNotice(w, r, http.StatusOK, nil)
}

// showNotice renders the notice; with err, the reply refused and what was
// typed kept.
func (h *Handlers) showNotice(w http.ResponseWriter, r *http.Request, status int, refused error) {
	v := page.View{Title: "督办单"}
	id, err := h.noticeID(r)
	if err == nil {
		var n *service.NoticeView
		if n, err = h.svc.Supervision().Notice(r.Context(), id); err == nil {
			u := service.UserFrom(r.Context())
			d := &noticeData{noticeRow: h.row(h.deptNames(r), *n)}
			d.MayReply = n.RepliedAt.IsZero() && u != nil && u.Role == "dept_admin"
			v.Data = d
			v.Title = "督办单 第 " + strconv.FormatInt(n.ID, 10) + " 号"
		}
	}
	if err != nil {
		h.fail(w, r, "notice", v, err)
		return
	}
	if refused != nil {
		status = h.FormError(r, &v, refused)
	}
	h.Render(w, r, status, "notice", v)
}

func (h *Handlers) replyNotice(w http.ResponseWriter, r *http.Request) {
	id, err := h.noticeID(r)
	if err == nil {
		err = r.ParseForm()
	}
	if err == nil {
		_, err = h.svc.Supervision().ReplyNotice(r.Context(), id, supervision.Reply{
			Explanation: strings.TrimSpace(r.PostForm.Get("explanation")), Measures: strings.TrimSpace(r.PostForm.Get("measures"))})
	}
	if err != nil {
		if c := apperr.CodeOf(err); c == apperr.Forbidden || c == apperr.NotFound || c == apperr.Unauthorized {
			h.fail(w, r, "notice", page.View{Title: "督办单"}, err)
			return
		}
		h.showNotice(w, r, http.StatusOK, err)
		return
	}
	h.Redirect(w, r, "/supervision/notices/"+strconv.FormatInt(id, 10), "已回复督办单")
}

// newNoticeData is the form opening a notice by hand.
type newNoticeData struct{ Number string }

func (h *Handlers) newNotice(w http.ResponseWriter, r *http.Request) {
	v := page.View{Title: "开具督办单", Data: &newNoticeData{Number: r.URL.Query().Get("case")}}
	h.Render(w, r, http.StatusOK, "notice_new", v)
}

func (h *Handlers) openNotice(w http.ResponseWriter, r *http.Request) {
	err := r.ParseForm()
	number := strings.TrimSpace(r.PostForm.Get("number"))
	var n *service.NoticeView
	if err == nil {
		n, err = h.svc.Supervision().OpenNotice(r.Context(), number, strings.TrimSpace(r.PostForm.Get("reason")))
	}
	if err != nil {
		v := page.View{Title: "开具督办单", Data: &newNoticeData{Number: number}}
		status := h.FormError(r, &v, err)
		page := "notice_new" // an unknown case number is the form's to correct
		if status == http.StatusForbidden || status == http.StatusUnauthorized || status >= 500 {
			page = "error"
		}
		h.Render(w, r, status, page, v)
		return
	}
	h.Redirect(w, r, "/supervision/notices/"+strconv.FormatInt(n.ID, 10), "已开具督办单")
}
