package supervision

import (
	"fmt"
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
)

// Holder is who held a case for a stretch of time.
type Holder string

// The holders, in precedence: when several apply, the first one holds.
const (
	NoHolder   Holder = ""
	LegalPause Holder = "pause"      // 法定暂停: the clock stopped (art. 45)
	Applicant  Holder = "applicant"  // returned for correction, deferred materials, waiting for pickup, in the post
	Transit    Holder = "transit"    // 交接途中: paper, a result or a receipt between a street or community hall and the district hall
	Issuance   Holder = "issuance"   // 综合出件窗口: checking the result, returning the receipt
	Department Holder = "department" // before acceptance, in review, preparing the result
	IntakeDesk Holder = "intake"     // 综合受理窗口: instant cases at the window
)

// Holders lists the holders in precedence order.
var Holders = []Holder{LegalPause, Applicant, Transit, Issuance, Department, IntakeDesk}

// Valid reports whether h is a holder.
func (h Holder) Valid() bool { return slices.Contains(Holders, h) }

// Label returns the holder's Chinese name.
func (h Holder) Label() string {
	switch h {
	case LegalPause:
		return "法定暂停"
	case Applicant:
		return "申请人"
	case Transit:
		return "大厅间交接途中"
	case Issuance:
		return "综合出件窗口"
	case Department:
		return "审批部门"
	case IntakeDesk:
		return "综合受理窗口"
	}
	return "无"
}

// Hours are the working hours holding time counts: from Start to End on
// the calendar's working days (a setting; default 09:00–17:00).
type Hours struct {
	Start int `json:"start_hour"`
	End   int `json:"end_hour"`
}

// DefaultHours returns 09:00–17:00.
func DefaultHours() Hours { return Hours{Start: 9, End: 17} }

// Validate checks the hours.
func (h Hours) Validate() error {
	var c apperr.Collector
	c.Check(h.Start >= 0 && h.Start <= 23, "start_hour", "上班时间须在 0 到 23 点之间")
	c.Check(h.End >= 1 && h.End <= 24, "end_hour", "下班时间须在 1 到 24 点之间")
	c.Check(h.Start < h.End, "end_hour", "下班时间须晚于上班时间")
	return c.Err("工作时间设置有误")
}

// HoldDay is the working minutes one holder held the case on one day.
type HoldDay struct {
	Day     string `json:"d"` // 2026-01-05, Asia/Shanghai
	Holder  Holder `json:"h"`
	Minutes int64  `json:"m"`
}

// holder is who holds the case now, by the precedence of Holders.
func (r *Record) holder(f Facts) Holder {
	s := r.State
	switch {
	case s.Closed() || s == "":
		return NoHolder
	case r.Paused && s == casework.Accepted:
		return LegalPause
	case s == casework.Returned || s == casework.RejectedOnline || s == casework.ResultReady,
		r.openIndex(Supply) >= 0,
		s == casework.Submitted && r.PreReviewPass,
		r.Result == "mailed":
		return Applicant
	case r.InTransit && (s == casework.Received || s == casework.Accepted || s == casework.Decided),
		r.ResultTravels && s == casework.Decided && r.Result == "submitted",
		r.ReceiptTravels && s == casework.Delivered:
		return Transit
	case s == casework.Delivered, s == casework.Decided && r.Result == "submitted":
		return Issuance
	case f.Instant && (s == casework.Received || s == casework.Decided):
		return IntakeDesk
	case s == casework.Submitted, s == casework.Received, s == casework.Accepted, s == casework.Decided:
		return Department
	}
	return IntakeDesk
}

// charge adds the working minutes from from to to, day by day, to h.
func (r *Record) charge(h Holder, from, to time.Time, env Env) {
	for _, d := range WorkingMinutes(env.Cal, env.Hours, from, to) {
		d.Holder = h
		r.addHold(d)
		if h == Transit {
			r.addTripMinutes(d.Minutes)
		}
	}
}

func (r *Record) addHold(d HoldDay) {
	for i := range r.Hold {
		if r.Hold[i].Day == d.Day && r.Hold[i].Holder == d.Holder {
			r.Hold[i].Minutes += d.Minutes
			return
		}
	}
	r.Hold = append(r.Hold, d)
}

// WorkingMinutes splits from–to into the working minutes of each working
// day it touches (days with none are left out).
func WorkingMinutes(cal *calendar.Calendar, h Hours, from, to time.Time) []HoldDay {
	if cal == nil || !to.After(from) {
		return nil
	}
	from, to = from.In(clock.Shanghai), to.In(clock.Shanghai)
	var out []HoldDay
	for d := calendar.DateOf(from); !d.After(calendar.DateOf(to)); d = d.AddDays(1) {
		if !cal.IsWorkingDay(d) {
			continue
		}
		start, end := d.At(h.Start, 0), d.At(0, 0).Add(time.Duration(h.End)*time.Hour)
		if from.After(start) {
			start = from
		}
		if to.Before(end) {
			end = to
		}
		if m := int64(end.Sub(start) / time.Minute); m > 0 {
			out = append(out, HoldDay{Day: d.String(), Minutes: m})
		}
	}
	return out
}

// Bar is a case's holding time by holder, the running stretch included:
// what the case page draws as one bar.
type Bar struct {
	Holder  Holder `json:"holder"`
	Label   string `json:"label"`
	Minutes int64  `json:"minutes"`
}

// BarAt returns the case's holding time by holder up to now, in the order
// of Holders, with the stretch since the last event charged to its holder.
func (r *Record) BarAt(now time.Time, env Env) []Bar {
	sums := map[Holder]int64{}
	for _, d := range r.Hold {
		sums[d.Holder] += d.Minutes
	}
	if r.Holder != NoHolder && !r.Since.IsZero() {
		for _, d := range WorkingMinutes(env.Cal, env.Hours, r.Since, now) {
			sums[r.Holder] += d.Minutes
		}
	}
	var out []Bar
	for _, h := range Holders {
		if sums[h] > 0 {
			out = append(out, Bar{Holder: h, Label: h.Label(), Minutes: sums[h]})
		}
	}
	return out
}

// HoursText renders minutes as working hours for people: "12.5 小时".
func HoursText(minutes int64) string {
	return fmt.Sprintf("%.1f 小时", float64(minutes)/60)
}
