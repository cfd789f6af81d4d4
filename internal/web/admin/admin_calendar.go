package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The calendar as a year grid, editable per day for the district or a hall.

// calDay is one cell of the year grid. Its state is always in words and a
// symbol too, never in colour alone.
type calDay struct {
	ISO   string // 2026-10-01
	Day   int
	Class string // work, weekend, holiday, swap
	Mark  string // 班 or 休, or "" for an ordinary working day
	Short string // the name as the cell shows it
	Label string // the whole state in words, for the title and screen readers
	Own   bool   // the entry is kept at this level (district, or the hall)
	Sel   bool   // the day whose form is open
}

type calMonth struct {
	Name    string
	Weeks   [][]*calDay // seven cells a week from Monday; nil outside the month
	Working int
}

// dayForm is the form that changes the selected day.
type dayForm struct {
	Date         calendar.Date
	ISO, Label   string
	Own          *calendar.Override // the entry at this level, which a reset removes
	Set, Name    string             // the choice and name as typed, or as they stand
	Errors       map[string]string
	OwnLevelName string
}

type calendarData struct {
	adminPage
	Year, Prev, Next int
	Hall             string
	HallName         string
	Halls            []org.Hall
	Months           []calMonth
	Working          int
	Form             *dayForm
	Names            []string // suggested names
}

var weekdays = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

func (h *Handlers) adminCalendar(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	h.showCalendar(w, r, http.StatusOK, page.View{}, q.Get("year"), q.Get("hall"), q.Get("date"), nil)
}

// showCalendar renders the year grid of the district or of a hall, with
// the form of date open when date is a date of the year.
func (h *Handlers) showCalendar(w http.ResponseWriter, r *http.Request, status int, v page.View, yearText, hall, date string, typed *dayForm) {
	ctx := r.Context()
	if err := h.svc.MayAdminister(ctx, service.SectionCalendar); err != nil {
		h.refuse(w, r, err)
		return
	}
	year := calendar.DateOf(h.svc.Now()).Year
	selected, dateErr := calendar.ParseDate(date)
	if dateErr == nil && yearText == "" {
		year = selected.Year
	}
	if yearText != "" {
		n, err := strconv.Atoi(yearText)
		if err != nil {
			h.refuse(w, r, apperr.Field("year", "年份须为四位数字"))
			return
		}
		year = n
	}
	sheet, err := h.svc.CalendarSheet(ctx, year, hall)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	halls, err := h.svc.Halls(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	d := calendarData{adminPage: h.adminTabs(r), Year: year, Prev: year - 1, Next: year + 1, Hall: hall, Halls: halls,
		Names: []string{"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节", "春节调休上班", "国庆节调休上班", "大厅设备检修", "大厅临时闭厅"}}
	for _, x := range halls {
		if x.Code == hall {
			d.HallName = x.Name
		}
	}
	for m := time.January; m <= time.December; m++ {
		d.Months = append(d.Months, calMonth{Name: fmt.Sprintf("%d月", int(m))})
	}
	for _, di := range sheet.Days {
		month := &d.Months[di.Date.Month-1]
		if di.Date.Day == 1 || len(month.Weeks) == 0 {
			month.Weeks = append(month.Weeks, make([]*calDay, 7))
		}
		col := (int(di.Date.Weekday()) + 6) % 7 // Monday first
		if col == 0 && di.Date.Day != 1 {
			month.Weeks = append(month.Weeks, make([]*calDay, 7))
		}
		_, own := sheet.Own[di.Date]
		cell := describeDay(di, own && hall != "")
		cell.Own = own
		cell.Sel = dateErr == nil && di.Date == selected
		month.Weeks[len(month.Weeks)-1][col] = cell
		if di.Working {
			month.Working++
			d.Working++
		}
		if cell.Sel {
			f := &dayForm{Date: di.Date, ISO: cell.ISO, Label: cell.Label, OwnLevelName: "全区日历"}
			if hall != "" {
				f.OwnLevelName = "本大厅"
			}
			if o, ok := sheet.Own[di.Date]; ok {
				f.Own = &o
				f.Name = o.Name
				f.Set = "off"
				if o.Working {
					f.Set = "working"
				}
			} else if di.Working {
				f.Set = "off"
			} else {
				f.Set = "working"
			}
			if typed != nil {
				f.Set, f.Name, f.Errors = typed.Set, typed.Name, typed.Errors
			}
			d.Form = f
		}
	}
	if v.Title == "" {
		v.Title = fmt.Sprintf("%d 年工作日历", year)
	}
	v.Data = d
	h.Render(w, r, status, "admin_calendar", v)
}

// describeDay puts a day's state into a cell: the symbol, a short name and
// the whole state in words.
func describeDay(di calendar.DayInfo, hallOwn bool) *calDay {
	c := &calDay{ISO: di.Date.String(), Day: di.Date.Day}
	when := fmt.Sprintf("%d年%d月%d日 %s", di.Date.Year, int(di.Date.Month), di.Date.Day, weekdays[di.Date.Weekday()])
	switch {
	case di.Working && (di.Weekend || di.Name != ""):
		c.Class, c.Mark = "swap", "班"
		c.Short = "调休"
		if !di.Weekend {
			c.Short = shorten(di.Name)
		}
		c.Label = when + " 上班（" + orText(di.Name, "调休上班") + "）"
	case di.Working:
		c.Class, c.Label = "work", when+" 工作日"
	case di.Name != "":
		c.Class, c.Mark, c.Short = "holiday", "休", shorten(di.Name)
		c.Label = when + " 休息（" + di.Name + "）"
	default:
		c.Class, c.Mark, c.Label = "weekend", "休", when+" 休息日（周末）"
	}
	if hallOwn {
		c.Label += "，本大厅自定"
	}
	return c
}

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// shorten keeps a name short enough for a grid cell; the full name is in
// the cell's label.
func shorten(s string) string {
	r := []rune(s)
	if len(r) > 4 {
		return string(r[:4])
	}
	return s
}

// changeDay sets one day of the district's or a hall's calendar to a
// working day or a day off with its name, or resets it.
func (h *Handlers) changeDay(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	hall, set, name := p.Get("hall"), p.Get("set"), strings.TrimSpace(p.Get("name"))
	ch := service.DayChange{}
	var err error
	ch.Date, err = calendar.ParseDate(p.Get("date"))
	switch {
	case err != nil:
		err = apperr.Field("date", "请选择日期")
	case set == "working" || set == "off":
		ch.Working, ch.Name = set == "working", name
	case set == "reset":
		ch.Reset = true
	default:
		err = apperr.Field("set", "请选择设为上班、休息或恢复默认")
	}
	if err == nil {
		err = h.svc.ChangeDays(r.Context(), hall, []service.DayChange{ch})
	}
	if err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		// The service names the fields by date ("days[2026-10-08].name");
		// the form has one date.
		typed := &dayForm{Set: set, Name: p.Get("name"), Errors: map[string]string{}}
		for k, msg := range v.Field {
			if i := strings.LastIndex(k, "."); strings.HasPrefix(k, "days[") && i > 0 {
				k = k[i+1:]
			}
			typed.Errors[k] = msg
		}
		v.Field, v.Form = nil, nil
		h.showCalendar(w, r, status, v, p.Get("year"), hall, p.Get("date"), typed)
		return
	}
	where := "全区日历"
	if hall != "" {
		where = "大厅 " + hall + " 的日历"
	}
	what := "已恢复默认"
	switch {
	case set == "working":
		what = "已设为上班（" + name + "）"
	case set == "off":
		what = "已设为休息（" + name + "）"
	}
	q := url.Values{"year": {strconv.Itoa(ch.Date.Year)}, "date": {ch.Date.String()}}
	if hall != "" {
		q.Set("hall", hall)
	}
	h.Redirect(w, r, "/admin/calendar?"+q.Encode()+"#day-"+ch.Date.String(),
		fmt.Sprintf("%s：%d年%d月%d日%s", where, ch.Date.Year, int(ch.Date.Month), ch.Date.Day, what))
}

// ---- the deadline policy ----

// policyData is the deadline policy page: the version in force as the
// form's starting values, and every version published.
type policyData struct {
	adminPage
	Current  casework.PublishedPolicy
	Versions []casework.PublishedPolicy
	Close    string // the working day's closing time, which bounds the handover times
}

func (h *Handlers) adminPolicy(w http.ResponseWriter, r *http.Request) {
	h.showPolicy(w, r, http.StatusOK, page.View{})
}

// showPolicy renders the deadline policy page; v carries a refused form.
func (h *Handlers) showPolicy(w http.ResponseWriter, r *http.Request, status int, v page.View) {
	ctx := r.Context()
	if err := h.svc.MayAdminister(ctx, service.SectionCalendar); err != nil {
		h.refuse(w, r, err)
		return
	}
	versions, err := h.svc.DeadlinePolicies(ctx)
	if err == nil && len(versions) == 0 {
		err = apperr.New(apperr.Internal, "no deadline policy")
	}
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	if v.Form == nil {
		cur := versions[0]
		v.Form = url.Values{
			"base_version":   {strconv.Itoa(cur.Version)},
			"accept_days":    {strconv.Itoa(cur.AcceptDays)},
			"prereview_days": {strconv.Itoa(cur.PreReviewDays)},
			"correct_days":   {strconv.Itoa(cur.CorrectDays)},
			"archive_days":   {strconv.Itoa(cur.ArchiveDays)},
			"split":          {cur.Split.String()}, "handover_same_day": {cur.HandoverSameDay.String()},
			"handover_next_day": {cur.HandoverNextDay.String()},
		}
	}
	v.Title = "期限规则"
	v.Data = policyData{adminPage: h.adminTabs(r), Current: versions[0], Versions: versions,
		Close: h.svc.Config().Calendar.Close().String()}
	h.Render(w, r, status, "admin_policy", v)
}

// publishPolicy publishes the form as the next version of the deadline
// policy, through the same use case as the API's.
func (h *Handlers) publishPolicy(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := r.PostForm
	days := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(p.Get(name)))
		if err != nil {
			return -1 // not a number: refused with the field's range
		}
		return n
	}
	e := service.PolicyEdit{BaseVersion: days("base_version"),
		AcceptDays: days("accept_days"), PreReviewDays: days("prereview_days"),
		CorrectDays: days("correct_days"), ArchiveDays: days("archive_days"),
		Split: p.Get("split"), HandoverSameDay: p.Get("handover_same_day"), HandoverNextDay: p.Get("handover_next_day"),
		Note: p.Get("note")}
	pol, err := h.svc.PublishDeadlinePolicy(r.Context(), e)
	if err != nil {
		var v page.View
		status := h.FormError(r, &v, err)
		h.showPolicy(w, r, status, v)
		return
	}
	h.Redirect(w, r, "/admin/policy", fmt.Sprintf("已发布第 %d 版期限规则，此后收件的办件按新规则计算期限；已收件的办件不变", pol.Version))
}
