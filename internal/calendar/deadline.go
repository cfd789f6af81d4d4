package calendar

import (
	"cmp"
	"fmt"
	"sort"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
)

// Warning is how near a deadline is to its end.
type Warning string

// The warning levels.
const (
	WarningNone   Warning = "none"   // more than YellowDays working days left
	WarningYellow Warning = "yellow" // YellowDays working days or fewer left, due today included
	WarningRed    Warning = "red"    // the deadline has passed
)

// Rank places a warning in a work list that shows the most urgent first:
// red 0, yellow 1, none (and anything else) 2.
func (w Warning) Rank() int {
	switch w {
	case WarningRed:
		return 0
	case WarningYellow:
		return 1
	}
	return 2
}

// RedFirst compares two warnings for the one order of every work list: red
// first, then yellow, then the rest. A stable sort by it keeps each level's
// own order (by deadline, by number) within the level.
func RedFirst(a, b Warning) int { return cmp.Compare(a.Rank(), b.Rank()) }

// Label names a warning in words, so it never rests on colour alone.
func (w Warning) Label() string {
	switch w {
	case WarningRed:
		return "已超期"
	case WarningYellow:
		return "临近期限"
	}
	return "正常"
}

// DueWords says how a deadline due stands at now, in words a clerk reads
// at a glance: 即办 (no deadline), 今天 15:00 截止, 剩余 N 个工作日,
// 已超期（15:00 截止） on its own day, 已超期 N 个工作日.
func (c *Calendar) DueWords(now, due time.Time) string {
	if due.IsZero() {
		return "即办"
	}
	hm := due.In(clock.Shanghai).Format("15:04")
	if now.After(due) {
		n := c.WorkingDaysBetween(due, now)
		if n == 0 {
			return "已超期（" + hm + " 截止）"
		}
		return fmt.Sprintf("已超期 %d 个工作日", n)
	}
	left := c.WorkingDaysBetween(now, due)
	if left == 0 {
		return "今天 " + hm + " 截止"
	}
	return fmt.Sprintf("剩余 %d 个工作日", left)
}

// closeOf returns the closing time of d.
func (c *Calendar) closeOf(d Date) time.Time {
	return d.At(c.settings.CloseHour, c.settings.CloseMinute)
}

// AddWorkingDays returns the end of a deadline of n working days from the
// event at from. The count starts on the next working day after the event's
// date — the event's own day never counts, even when the event falls before
// opening on a working day — and the deadline ends at the close of the nth
// working day.
//
// n <= 0 means "by the close of the event's day": the close of from's date if
// that is a working day and from is not after its close, otherwise the close
// of the next working day.
func (c *Calendar) AddWorkingDays(from time.Time, n int) time.Time {
	from = from.In(clock.Shanghai)
	d := DateOf(from)
	if n <= 0 {
		if c.IsWorkingDay(d) && !from.After(c.closeOf(d)) {
			return c.closeOf(d)
		}
		return c.closeOf(c.NextWorkingDay(d))
	}
	for range n {
		d = c.NextWorkingDay(d)
	}
	return c.closeOf(d)
}

// HandoverCutoff returns when the paper materials of an intake at intake must
// be handed over to the department (R6) under the cut-offs k: for intake on
// a working day before k.Split (12:00 by default), by k.SameDay that day
// (15:00); otherwise — afternoon, after close or on a day off — by k.NextDay
// (10:00) of the first working day after the intake's date.
func (c *Calendar) HandoverCutoff(intake time.Time, k Cutoffs) time.Time {
	intake = intake.In(clock.Shanghai)
	d := DateOf(intake)
	if c.IsWorkingDay(d) && intake.Before(k.Split.On(d)) {
		return k.SameDay.On(d)
	}
	return k.NextDay.On(c.NextWorkingDay(d))
}

// WorkingDaysBetween returns the working days elapsed from from to to: the
// working days after from's date up to and including to's date, and 0 when
// to's date is not after from's. It agrees with AddWorkingDays: for n >= 1
// and to on a working day no later than its close, to <= AddWorkingDays(from,
// n) exactly when WorkingDaysBetween(from, to) <= n. (On a day off after the
// deadline the count stays at n although the deadline has passed.)
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	a, b := DateOf(from).dayNumber(), DateOf(to).dayNumber()
	if b <= a {
		return 0
	}
	// Working days in (a, b]: the weekdays there, corrected by the overrides
	// that change the default there.
	n := weekdaysBefore(b+1) - weekdaysBefore(a+1)
	lo := sort.Search(len(c.changes), func(i int) bool { return c.changes[i].day > a })
	hi := sort.Search(len(c.changes), func(i int) bool { return c.changes[i].day > b })
	return n + c.prefix[hi] - c.prefix[lo]
}

// WorkingDaysLeft returns the working days from now until due, counting
// due's day and not now's: 0 when due is today, 1 when due is the next
// working day. Once due has passed it is negative: minus the working days
// elapsed since due's date up to and including now's (due Friday 17:00, now
// Monday 09:00: -1). Throughout due's own day it is 0, before or after due;
// use Warn to tell whether due has passed.
func (c *Calendar) WorkingDaysLeft(now, due time.Time) int {
	if now.After(due) {
		return -c.WorkingDaysBetween(due, now)
	}
	return c.WorkingDaysBetween(now, due)
}

// Warn returns the warning of a deadline at due seen at now: red once now is
// after due, yellow with YellowDays working days or fewer left (a deadline
// due today is yellow), none otherwise.
func (c *Calendar) Warn(now, due time.Time) Warning {
	if now.After(due) {
		return WarningRed
	}
	if c.WorkingDaysLeft(now, due) <= c.settings.YellowDays {
		return WarningYellow
	}
	return WarningNone
}
