package supervise

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The satisfaction tables (好差评监督统计): the rating figures by
// department, window, clerk and hall, a tab of the supervision pages.

// rateRow is one group's rates, ready to show.
type rateRow struct {
	rating.Rate
	Name          string
	Satisfaction  string // "—" when there are no ratings
	Rectification string // "—" when there are no real-name bad ratings
	Short         bool   // the rectification rate is below 100%
}

// rateTable is one grouping's table.
type rateTable struct {
	Group rating.GroupBy
	Title string
	Key   string // the heading of the key column
	Rows  []rateRow
}

// supervisionData is the supervision page.
type supervisionData struct {
	From, To string // the period as typed, both days included
	Tables   []rateTable
}

func percent(rate float64, ok bool) string {
	if !ok {
		return "—"
	}
	return strconv.FormatFloat(rate*100, 'f', 1, 64) + "%"
}

// ratings shows the rates of a period (this month unless asked) per
// department, window, clerk and hall.
func (h *Handlers) ratings(w http.ResponseWriter, r *http.Request) {
	now := h.svc.Now().In(clock.Shanghai)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, clock.Shanghai)
	d := &supervisionData{From: first.Format(time.DateOnly), To: first.AddDate(0, 1, -1).Format(time.DateOnly)}
	q := r.URL.Query()
	if s := strings.TrimSpace(q.Get("from")); s != "" {
		d.From = s
	}
	if s := strings.TrimSpace(q.Get("to")); s != "" {
		d.To = s
	}
	v := page.View{Title: "好差评统计", Data: d}
	from, ferr := time.ParseInLocation(time.DateOnly, d.From, clock.Shanghai)
	to, terr := time.ParseInLocation(time.DateOnly, d.To, clock.Shanghai)
	var errs apperr.Collector
	errs.Check(ferr == nil, "from", "开始日期格式为 2026-01-01")
	errs.Check(terr == nil, "to", "结束日期格式为 2026-01-31")
	errs.Check(ferr != nil || terr != nil || !to.Before(from), "to", "结束日期不能早于开始日期")
	if err := errs.Err("统计期间有误"); err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "ratings", v)
		return
	}
	names, err := h.orgNames(r)
	if err != nil {
		h.Render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	for _, t := range []rateTable{
		{Group: rating.ByDepartment, Title: "按部门", Key: "部门"},
		{Group: rating.ByWindow, Title: "按窗口", Key: "窗口"},
		{Group: rating.ByClerk, Title: "按工作人员", Key: "工作人员"},
		{Group: rating.ByHall, Title: "按大厅", Key: "大厅"},
	} {
		rates, err := h.svc.Rates(r.Context(), from, to.AddDate(0, 0, 1), t.Group)
		if err != nil {
			status := h.FormError(r, &v, err)
			page := "ratings"
			if status == http.StatusForbidden || status == http.StatusUnauthorized {
				page = "error"
			}
			h.Render(w, r, status, page, v)
			return
		}
		for _, x := range rates {
			row := rateRow{Rate: x, Name: names.of(t.Group, x)}
			row.Satisfaction = percent(x.Satisfaction())
			rect, ok := x.Rectification()
			row.Rectification, row.Short = percent(rect, ok), ok && rect < 1
			t.Rows = append(t.Rows, row)
		}
		d.Tables = append(d.Tables, t)
	}
	h.Render(w, r, http.StatusOK, "ratings", v)
}

// orgNames names departments and halls by code, and staff by username,
// for the rate tables: people by their real names.
type orgNames struct{ dept, hall, user map[string]string }

func (h *Handlers) orgNames(r *http.Request) (orgNames, error) {
	n := orgNames{dept: map[string]string{}, hall: map[string]string{}, user: map[string]string{}}
	users, err := h.svc.Users(r.Context())
	if err != nil {
		return n, err
	}
	for _, u := range users {
		n.user[u.Username] = u.Name
	}
	depts, err := h.svc.Departments(r.Context())
	if err != nil {
		return n, err
	}
	for _, d := range depts {
		n.dept[d.Code] = d.Name
	}
	halls, err := h.svc.Halls(r.Context())
	if err != nil {
		return n, err
	}
	for _, x := range halls {
		n.hall[x.Code] = x.Name
	}
	return n, nil
}

func (n orgNames) of(g rating.GroupBy, x rating.Rate) string {
	switch g {
	case rating.ByDepartment:
		if x.Key == "" {
			return "行政审批局（综合窗口）"
		}
		return cmp.Or(n.dept[x.Key], x.Key)
	case rating.ByWindow:
		return cmp.Or(n.hall[x.Hall], x.Hall) + " " + cmp.Or(x.Key, "（网上评价，无窗口）")
	case rating.ByHall:
		return cmp.Or(n.hall[x.Key], x.Key, "（未指明大厅）")
	case rating.ByClerk:
		return cmp.Or(n.user[x.Key], "（未指明）")
	}
	return cmp.Or(x.Key, "（未指明）")
}
