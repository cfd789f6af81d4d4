package supervise

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
)

// period is the period picker's state: a month (last month by default), a
// quarter, a year, or days from–to as typed. The service checks the dates.
type period struct {
	Kind    string // month, quarter, year, custom
	Month   string // 2026-10
	Quarter string // 2026-4 (year-quarter)
	Year    string // 2026
	From    string // 2026-10-01
	To      string // 2026-10-31, included
	Label   string // 2026年10月
	Last    time.Time
}

// readPeriod reads the picker from the query; bad values fall back to the
// default of their kind, and custom dates are left for the service to check.
func readPeriod(q url.Values, now time.Time) period {
	now = now.In(clock.Shanghai)
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, clock.Shanghai)
	last := thisMonth.AddDate(0, -1, 0)
	p := period{Kind: q.Get("period"), Month: last.Format("2006-01"), Year: strconv.Itoa(last.Year()),
		Quarter: strconv.Itoa(last.Year()) + "-" + strconv.Itoa((int(last.Month())+2)/3)}
	span := func(first time.Time, months int) {
		p.From, p.To = first.Format(time.DateOnly), first.AddDate(0, months, -1).Format(time.DateOnly)
		p.Last = first.AddDate(0, months-1, 0)
	}
	switch p.Kind {
	case "quarter":
		if s := q.Get("quarter"); s != "" {
			p.Quarter = s
		}
		y, qn, _ := strings.Cut(p.Quarter, "-")
		year, err1 := strconv.Atoi(y)
		n, err2 := strconv.Atoi(qn)
		if err1 != nil || err2 != nil || n < 1 || n > 4 || year < 2000 || year > 2100 {
			year, n = last.Year(), (int(last.Month())+2)/3
			p.Quarter = strconv.Itoa(year) + "-" + strconv.Itoa(n)
		}
		span(time.Date(year, time.Month(3*n-2), 1, 0, 0, 0, 0, clock.Shanghai), 3)
		p.Label = strconv.Itoa(year) + "年第" + "一二三四"[3*(n-1):3*n] + "季度"
	case "year":
		if s := q.Get("year"); s != "" {
			p.Year = s
		}
		year, err := strconv.Atoi(p.Year)
		if err != nil || year < 2000 || year > 2100 {
			year = last.Year()
			p.Year = strconv.Itoa(year)
		}
		span(time.Date(year, 1, 1, 0, 0, 0, 0, clock.Shanghai), 12)
		p.Label = p.Year + "年"
	case "custom":
		p.From, p.To = strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
		p.Label = p.From + " 至 " + p.To
		if t, err := time.ParseInLocation(time.DateOnly, p.To, clock.Shanghai); err == nil {
			p.Last = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, clock.Shanghai)
		} else {
			p.Last = last
		}
	default:
		p.Kind = "month"
		if s := q.Get("month"); s != "" {
			p.Month = s
		}
		first, err := time.ParseInLocation("2006-01", p.Month, clock.Shanghai)
		if err != nil {
			first, p.Month = last, last.Format("2006-01")
		}
		span(first, 1)
		p.Label = first.Format("2006年1月")
	}
	return p
}

// months lists the months of the period, for the cards: at most twelve,
// the last ones.
func (p period) months() []string {
	from, err1 := time.ParseInLocation(time.DateOnly, p.From, clock.Shanghai)
	to, err2 := time.ParseInLocation(time.DateOnly, p.To, clock.Shanghai)
	if err1 != nil || err2 != nil || to.Before(from) {
		return nil
	}
	var out []string
	for m := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, clock.Shanghai); !m.Before(time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, clock.Shanghai)) && len(out) < 12; m = m.AddDate(0, -1, 0) {
		out = append([]string{m.Format("2006-01")}, out...)
	}
	return out
}
