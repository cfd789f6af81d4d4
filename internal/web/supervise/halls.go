package supervise

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/supervision"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The per-hall figures (各大厅, issue 15 item 6): one row per hall of the
// district in the order of the hall tree, each number linking to what it
// counts; the same use case as GET /api/v1/supervision/halls, and its
// spreadsheet from the same page.

// hallRow is one hall's line on the page.
type hallRow struct {
	Hall, Name string
	Depth      int
	Intake     link
	OnTimeRate link
	OnTime     link
	Late       link
	Overdue    link
	Trips      link
	Mean       string
	P90        string
	Pickups    link
	Ratings    link
	Rate       string
}

// hallsData is the page.
type hallsData struct {
	P        period
	Action   string // the period picker's target
	Rows     []hallRow
	Export   string // the query of the spreadsheet links
	HallName string // a hall manager's hall
}

func (h *Handlers) halls(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	p := readPeriod(q, h.svc.Now())
	d := &hallsData{P: p, Action: "/supervision/halls"}
	v := page.View{Title: "各大厅统计", Data: d}
	per := service.Period{From: p.From, To: p.To}
	rows, err := h.svc.Supervision().Halls(ctx, per)
	if err != nil {
		h.fail(w, r, "halls", v, err)
		return
	}
	if f := q.Get("format"); f != "" {
		format, err := export.ParseFormat(f)
		if err != nil {
			h.fail(w, r, "halls", v, err)
			return
		}
		per.Group = supervision.ByHall
		w.Header().Set("Content-Type", format.MediaType())
		w.Header().Set("Content-Disposition", "attachment; filename=\"halls-"+p.From+"-"+p.To+"."+string(format)+"\"; filename*=UTF-8''"+
			url.PathEscape(service.HallFiguresFileName(per, format)))
		w.Header().Set("Cache-Control", "no-store")
		if err := service.WriteHallFigures(w, format, rows); err != nil {
			h.log.Error("hall figures export failed", "err", err)
		}
		return
	}
	exp := url.Values{"period": {"custom"}, "from": {p.From}, "to": {p.To}}
	d.Export = exp.Encode()
	u := service.UserFrom(ctx)
	ledger := u != nil && u.Role.Sees(org.WorkNotices) // the ledger readers
	for _, x := range rows {
		if u != nil && u.Role.Sees(org.WorkHallFigures) {
			d.HallName = x.Name
		}
		d.Rows = append(d.Rows, hallRowOf(x, ledger))
	}
	h.Render(w, r, http.StatusOK, "halls", v)
}

// hallRowOf turns a hall's figures into the page's links: the steps to
// the drill-down page, intakes, trips and pickups to the hall's case list,
// ratings to the rating ledger (for those who read ledgers).
func hallRowOf(x service.HallFigures, ledger bool) hallRow {
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	row := hallRow{Hall: x.Hall, Name: x.Name, Depth: x.Depth, Mean: "—", P90: "—", Rate: pct(x.Satisfaction),
		Intake:     link{Text: n(x.Intake), Href: hallCasesPage(x.IntakeCases, "intake")},
		OnTimeRate: link{Text: pct(x.OnTimeRate), Href: drillPage(x.StepCases)},
		OnTime:     link{Text: n(x.OnTime), Href: drillPage(x.StepCases, "status", "on_time")},
		Late:       link{Text: n(x.Late), Href: drillPage(x.StepCases, "status", "late")},
		Overdue:    link{Text: n(x.Overdue), Href: drillPage(x.StepCases, "status", "overdue")},
		Trips:      link{Text: n(x.Transit.Trips), Href: hallCasesPage(x.Transit.Cases, "transit")},
		Pickups:    link{Text: n(x.Pickups), Href: hallCasesPage(x.PickupCases, "pickup")},
		Ratings:    link{Text: n(x.Ratings)},
	}
	if x.Late > 0 {
		row.Late.Mark = "red"
	}
	if x.Overdue > 0 {
		row.Overdue.Mark = "red"
	}
	if x.Counted() == 0 {
		row.OnTimeRate.Href = ""
	}
	if x.Transit.Mean != nil {
		row.Mean = supervision.HoursText(int64(*x.Transit.Mean + 0.5))
	}
	if x.Transit.P90 != nil {
		row.P90 = strconv.FormatInt(*x.Transit.P90, 10) + " 小时"
	}
	if ledger && x.RatingCases != "" {
		_, q, _ := strings.Cut(x.RatingCases, "?")
		row.Ratings.Href = "/supervision/ledgers/ratings?" + q
	}
	return row
}

// hallCasesPage turns an API drill-down address into the hall case list.
func hallCasesPage(api, kind string) string {
	_, q, _ := strings.Cut(api, "?")
	v, _ := url.ParseQuery(q)
	v.Set("kind", kind)
	return "/supervision/halls/cases?" + v.Encode()
}

// hallCaseRow is one listed case.
type hallCaseRow struct {
	Number, Department, At, Hours string
}

// hallCasesData is the list behind a hall's intake, trips or pickups.
type hallCasesData struct {
	Title    string
	From, To string
	Total    int
	Minutes  bool // trips: their transit hours
	Rows     []hallCaseRow
	Page     int
	Prev     string
	Next     string
}

func (h *Handlers) hallCases(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	d := &hallCasesData{From: q.Get("from"), To: q.Get("to")}
	v := page.View{Title: "各大厅明细", Data: d}
	pageNo, _ := strconv.Atoi(q.Get("page"))
	pageNo = max(pageNo, 1)
	key, kind := q.Get("key"), q.Get("kind")
	per := service.Period{From: d.From, To: d.To, Group: supervision.ByHall, Department: q.Get("department"), Hall: q.Get("hall")}
	hallName := key
	if hs, err := h.svc.Halls(ctx); err == nil {
		for _, x := range hs {
			if x.Code == key {
				hallName = x.Name
			}
		}
	}
	names := map[string]string{}
	if depts, err := h.svc.Departments(ctx); err == nil {
		for _, x := range depts {
			names[x.Code] = x.Name
		}
	}
	offset := (pageNo - 1) * drillPageSize
	switch kind {
	case "intake":
		d.Title = hallName + " 收件的办件"
		list, err := h.svc.Supervision().Intakes(ctx, per, key, drillPageSize, offset)
		if err != nil {
			h.fail(w, r, "hall_cases", v, err)
			return
		}
		d.Total = list.Total
		for _, n := range list.Numbers {
			d.Rows = append(d.Rows, hallCaseRow{Number: n})
		}
	default:
		mk := supervision.MoveKind(kind)
		d.Title, d.Minutes = hallName+" 收件材料送达区政务服务中心的交接", true
		if mk == supervision.MovePickup {
			d.Title, d.Minutes = "在 "+hallName+" 领取结果的办件", false
		}
		list, err := h.svc.Supervision().HallMoves(ctx, per, key, mk, drillPageSize, offset)
		if err != nil {
			h.fail(w, r, "hall_cases", v, err)
			return
		}
		d.Total = list.Total
		for _, m := range list.Moves {
			d.Rows = append(d.Rows, hallCaseRow{Number: m.Number, Department: names[m.Department], At: doneText(m.At),
				Hours: supervision.HoursText(m.Minutes)})
		}
	}
	d.Page = pageNo
	link := func(n int) string {
		c := url.Values{}
		for k, vs := range q {
			c[k] = vs
		}
		c.Set("page", strconv.Itoa(n))
		return "/supervision/halls/cases?" + c.Encode()
	}
	if pageNo > 1 {
		d.Prev = link(pageNo - 1)
	}
	if pageNo*drillPageSize < d.Total {
		d.Next = link(pageNo + 1)
	}
	h.Render(w, r, http.StatusOK, "hall_cases", v)
}
