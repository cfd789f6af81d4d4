package web

import (
	"fmt"
	"html/template"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/identity"
)

// funcs are the template functions every page may use.
func (h *Handlers) funcs() template.FuncMap {
	return template.FuncMap{
		"static": func(name string) string { return h.staticURL[name] },
		"date":   func(t time.Time) string { return fmtTime(t, "2006-01-02 15:04") },
		"day":    func(t time.Time) string { return fmtTime(t, "2006-01-02") },
		"cnDate": func(t time.Time) string { return fmtTime(t, "2006年1月2日") },
		"cnTime": func(t time.Time) string { return fmtTime(t, "2006年1月2日 15:04") },
		"hm":     func(t time.Time) string { return fmtTime(t, "15:04") },
		"state":  func(s casework.State) string { return s.Label() },
		"action": func(a casework.Action) string { return a.Label() },
		"doc":    func(k casework.DocKind) string { return k.Label() },
		"mask":   identity.Mask,
		"idType": func(t identity.IDType) string { return t.Label() },
		"pauseType": func(p casework.PauseType) string { return p.Label() },
		"deadlineName": deadlineName,
		"warnLabel":    warnLabel,
		"add":          func(a, b int) int { return a + b },
		"has": func(list []casework.Action, a string) bool {
			for _, x := range list {
				if string(x) == a {
					return true
				}
			}
			return false
		},
		"list": func(v ...any) []any { return v },
	}
}

func fmtTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.In(clock.Shanghai).Format(layout)
}

// deadlineName is a deadline's Chinese name.
func deadlineName(name string) string {
	switch name {
	case "accept_by":
		return "受理期限"
	case "handover_by":
		return "材料交接期限"
	case "supply_by":
		return "容缺补齐期限"
	case "decide_by":
		return "办结期限"
	case "correct_by":
		return "结果更正期限"
	case "archive_by":
		return "回执归档期限"
	}
	return name
}

// warnLabel names a warning in words, so it never rests on colour alone.
func warnLabel(w calendar.Warning) string {
	switch w {
	case calendar.WarningRed:
		return "已超期"
	case calendar.WarningYellow:
		return "临近期限"
	}
	return "正常"
}

// DueWords says how a deadline stands, in words a clerk reads at a glance:
// 即办, 今天截止, 剩余 N 个工作日, 已超期 N 个工作日.
func DueWords(cal *calendar.Calendar, now, due time.Time) string {
	if due.IsZero() {
		return "即办"
	}
	if now.After(due) {
		n := cal.WorkingDaysBetween(due, now)
		if n == 0 {
			return "已超期（" + fmtTime(due, "15:04") + " 截止）"
		}
		return fmt.Sprintf("已超期 %d 个工作日", n)
	}
	left := cal.WorkingDaysBetween(now, due)
	if left == 0 {
		return "今天 " + fmtTime(due, "15:04") + " 截止"
	}
	return fmt.Sprintf("剩余 %d 个工作日", left)
}
