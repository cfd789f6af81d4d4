package supervise

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/supervision"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The supervisor's home (督查考核): the period picker, the indicators by
// department with their cards, the trend of 按时办结率 by month and the
// score by department; every number links to the cases it counts. A
// department admin gets the same, narrowed by the service to their own
// department.

// link is a number on the page and the list of cases behind it.
type link struct {
	Text  string
	Href  string
	Mark  string // "red" or "yellow": drawn as a warning
	Class string // the indicator's cell: satisfaction, coordination …
}

// deptRow is one department's line of the indicator table.
type deptRow struct {
	Key, Label string
	Rank       int
	Score      string
	OnTimeRate link // 按时办结率
	OnTime     link // decisions on time
	Late       link // decided late (or missed)
	Overdue    link // open past the deadline
	Indicators []link
	Yellow     int // yellow cards in the period's months
	Red        int // red cards
	CardsHref  string
}

// homeData is the home page.
type homeData struct {
	P          period
	Indicators []string // the table's indicator headings, in order
	Rows       []deptRow
	CardMonths string
	Trend      *chart
	Bars       *chart
	SeesAll    bool // supervisors and admins: the satisfaction tab
	// Hall and HallName are a hall manager's hall: the figures are its
	// cases', without cards, with a link to its big screen.
	Hall, HallName string
}

// drillPage turns the service's drill-down query (an API address) into the
// page listing the same cases.
func drillPage(api string, extra ...string) string {
	_, q, _ := strings.Cut(api, "?")
	v, _ := url.ParseQuery(q)
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	switch {
	case strings.Contains(api, "/ratings/"):
		return "/supervision/ratings?" + url.Values{"from": {v.Get("from")}, "to": {v.Get("to")}}.Encode()
	case strings.Contains(api, "/notices"):
		return "/supervision/notices?" + v.Encode()
	}
	return "/supervision/cases?" + v.Encode()
}

// coordinationPage lists the steps 部门协同配合 counts: those a department
// owes the hall's desks (supervision.CoordinationSteps).
func coordinationPage(decidePage string) string {
	path, q, _ := strings.Cut(decidePage, "?")
	v, _ := url.ParseQuery(q)
	v.Del("step")
	for _, k := range supervision.CoordinationSteps {
		v.Add("step", string(k))
	}
	return path + "?" + v.Encode()
}

func pct(r *float64) string {
	if r == nil {
		return "—"
	}
	return strconv.FormatFloat(*r*100, 'f', 1, 64) + "%"
}

func (h *Handlers) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := readPeriod(r.URL.Query(), h.svc.Now())
	u := service.UserFrom(ctx)
	d := &homeData{P: p, SeesAll: u != nil && u.Role.Sees("supervision")}
	if u != nil && u.Role.Sees(org.WorkHallFigures) {
		// A hall manager: the figures of the cases taken in at their hall
		// (the service narrows them), and the hall's big screen.
		d.Hall, d.HallName = u.HallCode, u.HallCode
		if hs, err := h.svc.Halls(ctx); err == nil {
			for _, x := range hs {
				if x.Code == u.HallCode {
					d.HallName = x.Name
				}
			}
		}
	}
	for _, i := range supervision.Indicators[1:] {
		d.Indicators = append(d.Indicators, i.Label())
	}
	v := page.View{Title: "督查考核", Data: d}
	sv := h.svc.Supervision()
	per := service.Period{From: p.From, To: p.To, Group: "department"}
	assess, err := sv.Assessment(ctx, per)
	if err != nil {
		h.fail(w, r, "home", v, err)
		return
	}
	punct, err := sv.Punctuality(ctx, per)
	if err != nil {
		h.fail(w, r, "home", v, err)
		return
	}
	decide := map[string]service.StepFigure{}
	for _, row := range punct {
		for _, f := range row.Steps {
			if f.Step == supervision.Decide {
				decide[row.Key] = f
			}
		}
	}
	yellow, red := map[string]int{}, map[string]int{}
	months := p.months()
	if d.Hall != "" {
		months = nil // cards are the departments', over every hall
	}
	for _, m := range months {
		cards, err := sv.Cards(ctx, m, "")
		if err != nil {
			h.fail(w, r, "home", v, err)
			return
		}
		for _, c := range cards {
			switch c.Card {
			case supervision.RedCard:
				red[c.Department]++
			case supervision.YellowCard:
				yellow[c.Department]++
			}
		}
	}
	if len(months) > 0 {
		d.CardMonths = months[0]
		if len(months) > 1 {
			d.CardMonths += " 至 " + months[len(months)-1]
		}
	}
	for _, a := range assess {
		f := decide[a.Key]
		row := deptRow{Key: a.Key, Label: a.Label, Rank: a.Rank, Score: strconv.FormatFloat(a.Score, 'f', 1, 64),
			Yellow: yellow[a.Key], Red: red[a.Key],
			CardsHref: "/supervision/notices?" + url.Values{"department": {a.Key}, "from": {p.From}, "to": {p.To}}.Encode()}
		row.OnTimeRate = link{Text: pct(f.Rate), Href: drillPage(f.Cases)}
		row.OnTime = link{Text: strconv.FormatInt(f.OnTime, 10), Href: drillPage(f.Cases, "status", "on_time")}
		row.Late = link{Text: strconv.FormatInt(f.Late, 10), Href: drillPage(f.Cases, "status", "late")}
		row.Overdue = link{Text: strconv.FormatInt(f.Overdue, 10), Href: drillPage(f.Cases, "status", "overdue")}
		if f.Late > 0 {
			row.Late.Mark = "red"
		}
		if f.Overdue > 0 {
			row.Overdue.Mark = "red"
		}
		if f.Cases == "" { // no step of the department at all in the period
			row.OnTimeRate.Href, row.OnTime.Href, row.Late.Href, row.Overdue.Href = "", "", "", ""
		}
		for _, ind := range a.Indicators {
			if ind.Indicator == supervision.OnTimeIndicator {
				continue
			}
			l := link{Text: "—"} // nothing to measure: no cases behind it
			if ind.Measured {
				l = link{Text: strconv.FormatFloat(ind.Value*100, 'f', 1, 64) + "%", Href: drillPage(ind.Cases)}
			}
			l.Class = string(ind.Indicator)
			switch ind.Indicator {
			case supervision.SatisfactionIndicator:
				if !d.SeesAll || !ind.Measured {
					l.Href = "" // the rating tables are the bureau's
				}
			case supervision.RectificationIndicator:
				if ind.Measured {
					l.Href = "/rectifications"
				}
			case supervision.CoordinationIndicator:
				if ind.Measured && row.OnTimeRate.Href != "" {
					l.Href = coordinationPage(row.OnTimeRate.Href)
				}
			}
			row.Indicators = append(row.Indicators, l)
		}
		d.Rows = append(d.Rows, row)
	}
	d.Bars = scoreBars(d.Rows)
	trend, err := h.trend(r, p)
	if err != nil {
		h.fail(w, r, "home", v, err)
		return
	}
	d.Trend = trend
	h.Render(w, r, http.StatusOK, "home", v)
}

// trend reads 按时办结率 by month for the twelve months ending with the
// period's last month.
func (h *Handlers) trend(r *http.Request, p period) (*chart, error) {
	last := p.Last
	if last.IsZero() {
		return nil, nil
	}
	first := last.AddDate(0, -11, 0)
	per := service.Period{From: first.Format(time.DateOnly), To: last.AddDate(0, 1, -1).Format(time.DateOnly), Group: "month"}
	rows, err := h.svc.Supervision().Punctuality(r.Context(), per)
	if err != nil {
		return nil, err
	}
	byMonth := map[string]service.PunctualityRow{}
	for _, row := range rows {
		byMonth[row.Key] = row
	}
	var pts []point
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		key := m.In(clock.Shanghai).Format("2006-01")
		pt := point{Label: m.Format("1月"), Title: m.Format("2006年1月")}
		if row, ok := byMonth[key]; ok && row.OnTimeCompletion != nil {
			val := *row.OnTimeCompletion
			pt.Value, pt.Has = val, true
			pt.Text = pct(row.OnTimeCompletion)
			for _, f := range row.Steps {
				if f.Step == supervision.Decide {
					pt.Href = drillPage(f.Cases)
				}
			}
		}
		pts = append(pts, pt)
	}
	return lineChart("按时办结率（近 12 个月）", pts), nil
}
