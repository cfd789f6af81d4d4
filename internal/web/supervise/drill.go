package supervise

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/supervision"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The drill-down (明细): the cases behind a figure of the home page, the
// same query as the API's /api/v1/supervision/steps, as a page.

const drillPageSize = 50

// drillRow is one step of a listed case.
type drillRow struct {
	Number, Step, Department, Due, Done, Status string
	Late                                        bool
}

// drillData is the drill-down page.
type drillData struct {
	Title    string
	From, To string
	Total    int
	Rows     []drillRow
	Page     int
	Prev     string
	Next     string
	Back     string
}

func (h *Handlers) drill(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ctx := r.Context()
	d := &drillData{From: q.Get("from"), To: q.Get("to"), Back: "/supervision"}
	v := page.View{Title: "督查明细", Data: d}
	pageNo, _ := strconv.Atoi(q.Get("page"))
	pageNo = max(pageNo, 1)
	group := q.Get("group")
	sq := service.StepQuery{
		Period: service.Period{From: q.Get("from"), To: q.Get("to"), Department: q.Get("department"), Key: q.Get("key"),
			Hall: q.Get("hall")},
		GroupKey: q.Get("key"),
		Status:   supervision.Status(q.Get("status")),
		ByDone:   q.Get("by") == "done",
		Returned: q.Get("returned") == "true",
		Decided:  q.Get("decided") == "true",
		Limit:    drillPageSize,
		Offset:   (pageNo - 1) * drillPageSize,
	}
	for _, k := range q["step"] { // one kind, or several (部门协同配合)
		sq.Kinds = append(sq.Kinds, supervision.Kind(k))
	}
	if len(sq.Kinds) == 1 {
		sq.Step, sq.Kinds = sq.Kinds[0], nil
	}
	switch group { // the groupings the home page links from
	case "month":
		sq.Group = "month"
	case "hall":
		sq.Group = "hall"
	case "item":
		sq.Group = "item"
	case "user":
		sq.Group = "user"
	default:
		sq.Group = "department"
		if sq.Department == "" {
			sq.Department = sq.GroupKey // a department admin asking for another is refused, not shown nothing
		}
	}
	list, err := h.svc.Supervision().Steps(ctx, sq)
	if err != nil {
		h.fail(w, r, "cases", v, err)
		return
	}
	names := map[string]string{}
	if depts, err := h.svc.Departments(ctx); err == nil {
		for _, x := range depts {
			names[x.Code] = x.Name
		}
	}
	d.Title = drillTitle(names, sq, group)
	d.Total, d.Page = list.Total, pageNo
	for _, s := range list.Steps {
		st := supervision.OnTime
		switch {
		case s.Done.IsZero() && s.Late:
			st = supervision.Late // missed
		case s.Done.IsZero():
			st = supervision.Overdue
			if s.Due.After(h.svc.Now()) || s.Paused {
				st = supervision.Running
			}
		case s.Late:
			st = supervision.Late
		}
		dept := names[s.Department]
		if dept == "" {
			dept = "行政审批局（综合窗口）"
		}
		d.Rows = append(d.Rows, drillRow{Number: s.Number, Step: s.Kind.Label(), Department: dept,
			Due: s.Due.In(clock.Shanghai).Format("2006-01-02 15:04"), Done: doneText(s.Done),
			Status: st.Label(), Late: st == supervision.Late || st == supervision.Overdue})
	}
	if pageNo > 1 {
		d.Prev = pageLink(q, pageNo-1)
	}
	if pageNo*drillPageSize < list.Total {
		d.Next = pageLink(q, pageNo+1)
	}
	h.Render(w, r, http.StatusOK, "cases", v)
}

func doneText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(clock.Shanghai).Format("2006-01-02 15:04")
}

func pageLink(q url.Values, n int) string {
	c := url.Values{}
	for k, v := range q {
		c[k] = v
	}
	c.Set("page", strconv.Itoa(n))
	return "/supervision/cases?" + c.Encode()
}

// drillTitle says in words what the list holds.
func drillTitle(names map[string]string, q service.StepQuery, group string) string {
	t := ""
	switch group {
	case "month":
		t = q.GroupKey + " "
	case "", "department":
		if n := names[q.GroupKey]; n != "" {
			t = n + " "
		}
	}
	if q.Step != "" {
		t += q.Step.Label() + "环节"
	} else if len(q.Kinds) > 0 {
		for i, k := range q.Kinds {
			if i > 0 {
				t += "、"
			}
			t += k.Label()
		}
		t += "环节"
	} else {
		t += "各环节"
	}
	switch {
	case q.Decided:
		t += "已作出决定的办件"
	case q.Returned:
		t += "退回的办件"
	case q.Status == supervision.Red:
		t += "超期（超时办理或超期未办）的办件"
	case q.Status != "":
		t += q.Status.Label() + "的办件"
	default:
		t += "计入统计的办件"
	}
	return t
}
