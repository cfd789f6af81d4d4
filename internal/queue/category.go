// Package queue holds the hall's queue (取号、叫号): service categories with
// their issuing hours and daily caps, tickets and their states, the
// transition table of the window's actions, the priority policy with its
// fairness limit, and ticket numbering.
//
// It is pure: no SQL, no HTTP, no clock. The caller passes the time and the
// working-day calendar.
package queue

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
)

// Span is one stretch of issuing hours in a day, [Start, End) in
// Asia/Shanghai wall time, written "09:00".
type Span struct {
	Start string `json:"start" example:"09:00" doc:"开始时间（含），HH:MM"`
	End   string `json:"end" example:"11:30" doc:"结束时间（不含），HH:MM"`
}

// minutes reads "HH:MM" as minutes after midnight; ok is false for
// anything else.
func minutes(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// String writes the span as "09:00–11:30".
func (s Span) String() string { return s.Start + "–" + s.End }

// DefaultHours are the hall's usual issuing hours: 09:00–11:30 and
// 13:30–16:30, so that the last ticket of each half-day can still be served
// before the hall closes.
func DefaultHours() []Span {
	return []Span{{Start: "09:00", End: "11:30"}, {Start: "13:30", End: "16:30"}}
}

// Category is a hall's service category (取号类别): the kiosk's button, the
// prefix of its ticket numbers, the items it covers, its issuing hours and
// its daily cap.
type Category struct {
	ID       int64    `json:"-"`
	HallCode string   `json:"hall_code" doc:"大厅编码"`
	Code     string   `json:"code" example:"A" doc:"类别编码，大厅内唯一"`
	Name     string   `json:"name" example:"企业开办" doc:"类别名称，显示在取号机上"`
	Prefix   string   `json:"prefix" example:"A" doc:"号码前缀，大厅内唯一，1 至 2 个大写字母"`
	Items    []string `json:"items" doc:"本类别涵盖的事项编码"`
	Hours    []Span   `json:"hours" doc:"工作日的取号时段"`
	DailyCap int      `json:"daily_cap" doc:"每日放号上限（1 至 999）"`
}

// MaxDailyCap is the largest daily cap: numbers have three digits.
const MaxDailyCap = 999

// Validate checks the category's fields and normalises its hours' order.
func (c *Category) Validate() error {
	var v apperr.Collector
	v.Check(c.HallCode != "", "hall_code", "须指明大厅")
	v.Check(validCode(c.Code), "code", "类别编码须为 1 至 16 位字母、数字、下划线或连字符")
	name := strings.TrimSpace(c.Name)
	v.Check(name != "" && utf8.RuneCountInString(name) <= 50, "name", "类别名称不能为空且不超过 50 个字")
	v.Check(validPrefix(c.Prefix), "prefix", "号码前缀须为 1 至 2 个大写字母")
	v.Check(c.DailyCap >= 1 && c.DailyCap <= MaxDailyCap, "daily_cap", fmt.Sprintf("每日放号上限须在 1 至 %d 之间", MaxDailyCap))
	v.Check(len(c.Hours) > 0, "hours", "须设置至少一个取号时段")
	prevEnd := -1
	for i, s := range c.Hours {
		start, ok1 := minutes(s.Start)
		end, ok2 := minutes(s.End)
		field := fmt.Sprintf("hours[%d]", i)
		switch {
		case !ok1 || !ok2:
			v.Add(field, "取号时段须写作 HH:MM，如 09:00")
		case start >= end:
			v.Add(field, "取号时段的结束须晚于开始："+s.String())
		case start < prevEnd:
			v.Add(field, "取号时段须按时间先后排列且不重叠："+s.String())
		default:
			prevEnd = end
		}
	}
	seen := map[string]bool{}
	for i, it := range c.Items {
		if it == "" || seen[it] {
			v.Add(fmt.Sprintf("items[%d]", i), "事项编码不能为空或重复")
		}
		seen[it] = true
	}
	return v.Err("取号类别信息有误")
}

// Calendar is what issuing needs of the working-day calendar.
type Calendar interface {
	IsWorkingDay(d calendar.Date) bool
	DayName(d calendar.Date) string
}

// CheckIssuing reports whether a ticket of the category may be taken at
// now: on a working day of cal (调休 Saturdays included, holidays and the
// hall's closures excluded) and inside one of its issuing spans.
func (c *Category) CheckIssuing(cal Calendar, now time.Time) error {
	day := calendar.DateOf(now)
	if !cal.IsWorkingDay(day) {
		name := cal.DayName(day)
		if name != "" {
			name = "（" + name + "）"
		}
		return apperr.New(apperr.Conflict, "%s%s不是工作日，今天不能取号，请在工作日的取号时段（%s）再来", day, name, c.hoursText())
	}
	wall := calendar.DateOf(now).At(0, 0)
	m := int(now.Sub(wall) / time.Minute)
	for _, s := range c.Hours {
		start, _ := minutes(s.Start)
		end, _ := minutes(s.End)
		if m >= start && m < end {
			return nil
		}
	}
	return apperr.New(apperr.Conflict, "现在不在“%s”的取号时段内（%s），请在取号时段内取号", c.Name, c.hoursText())
}

func (c *Category) hoursText() string {
	var parts []string
	for _, s := range c.Hours {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, "、")
}

func validCode(s string) bool {
	if len(s) < 1 || len(s) > 16 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func validPrefix(s string) bool {
	if len(s) < 1 || len(s) > 2 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// Number formats the n-th ticket of a category's day: its prefix and three
// digits, "A001".
func Number(prefix string, n int64) string { return fmt.Sprintf("%s%03d", prefix, n) }

// CounterName names the counter that numbers a category's tickets of one
// Asia/Shanghai day in a hall; a new day has a new counter, so numbering
// restarts at 001.
func CounterName(hall, category string, now time.Time) string {
	d := calendar.DateOf(now)
	return fmt.Sprintf("ticket:%s:%s:%04d%02d%02d", hall, category, d.Year, int(d.Month), d.Day)
}

// CheckCap refuses the n-th ticket of a day when it passes the category's
// daily cap.
func (c *Category) CheckCap(n int64) error {
	if n > int64(c.DailyCap) {
		return apperr.New(apperr.Conflict, "“%s”今日号源已取完（每日 %d 个），请明天再来或预约", c.Name, c.DailyCap)
	}
	return nil
}
