package network

import (
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
)

// Travels reports whether paper taken in at a hall of level l for a
// department travels to the district hall on a transit run: the
// departments sit behind the district hall, so paper taken in anywhere
// else must be carried there.
func Travels(l org.HallLevel) bool { return l == org.Street || l == org.Community }

// RunFor returns the transit run that carries paper taken in at at, under
// the hall's cut-off and run times on the calendar. Runs leave at s.Run
// on every working day. Paper taken in on a working day before its
// cut-off leaves on the first run at or after that cut-off: with the
// defaults (15:00, 10:00) the next working day's 10:00 run. Paper taken
// in at or after the cut-off, or on a day off, counts as taken in on the
// next working day, before its cut-off.
func (s Scope) RunFor(cal *calendar.Calendar, at time.Time) time.Time {
	at = at.In(clock.Shanghai)
	d := calendar.DateOf(at)
	if !cal.IsWorkingDay(d) || !at.Before(s.Cutoff.On(d)) {
		d = cal.NextWorkingDay(d)
	}
	if !s.Run.Before(s.Cutoff) {
		return s.Run.On(d) // the run leaves after the cut-off the same day
	}
	return s.Run.On(cal.NextWorkingDay(d))
}

// TransitWords states the hall's transit rule for people.
func (s Scope) TransitWords() string {
	when := "下一个工作日 "
	if !s.Run.Before(s.Cutoff) {
		when = "当日 "
	}
	return "工作日 " + s.Cutoff.String() + " 前收件的纸质材料搭乘" + when + s.Run.String() + " 的交接班次送区政务服务中心；" +
		s.Cutoff.String() + " 后或非工作日收件的，顺延一个工作日。"
}

// ResultWords states the district hall's transit rule for results: they
// travel on its runs, under its cut-off, to the pickup halls.
func (s Scope) ResultWords() string {
	when := "下一个工作日 "
	if !s.Run.Before(s.Cutoff) {
		when = "当日 "
	}
	return "工作日 " + s.Cutoff.String() + " 前部门提交的办理结果搭乘" + when + s.Run.String() + " 的交接班次送街道、社区领取大厅；" +
		s.Cutoff.String() + " 后或非工作日提交的，顺延一个工作日。"
}

// ReceiptWords states a street or community hall's transit rule for the
// signed delivery receipts it sends back to the district hall.
func (s Scope) ReceiptWords() string {
	when := "下一个工作日 "
	if !s.Run.Before(s.Cutoff) {
		when = "当日 "
	}
	return "工作日 " + s.Cutoff.String() + " 前签收的送达回执搭乘" + when + s.Run.String() + " 的交接班次送回区政务服务中心归档。"
}
