package casework

import (
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
)

// The words people read about a case's state come from here, the one
// place that knows the state with what qualifies it: a submitted case
// whose pre-review has passed no longer waits for pre-review, it waits
// for its paper at the window.

// prePassedLabel is a submitted case whose pre-review has passed.
const prePassedLabel = "预审通过，待收件"

// StateLabel is the case's state in a few words, for lists, badges and
// the case page: the state's label (State.Label), except that a passed
// pre-review reads as waiting for its paper, not for pre-review.
func (c *Case) StateLabel() string {
	if c.prePassed() {
		return prePassedLabel
	}
	return c.State.Label()
}

// prePassed reports whether the case is submitted online and its
// pre-review has passed: it waits for its paper at the intake desk.
func (c *Case) prePassed() bool {
	return c.State == Submitted && c.PreReview != nil && c.PreReview.Passed
}

// StateWords says where the case stands as the applicant reads it (the
// progress page, the applicant's own case).
func (c *Case) StateWords() string {
	switch c.State {
	case Submitted:
		if c.prePassed() {
			return "已通过网上预审，请携带纸质材料到综合受理窗口收件"
		}
		return "已网上提交，等待预审"
	case Received:
		if c.Kind == catalog.Instant {
			return "已收件，即办件当场办理"
		}
		return "已收件，等待部门受理"
	case Accepted:
		if c.Paused() {
			return "已受理，审查暂停计时（" + c.Pauses[len(c.Pauses)-1].Type.Label() + "）"
		}
		return "已受理，正在审查"
	case Decided:
		return "已作出决定，正在移交办理结果"
	case ResultReady:
		switch {
		case c.Delivery.Method == Pickup:
			return "办理结果已到综合出件窗口，等待领取"
		case c.Result == ResultMailed:
			return "办理结果已寄出"
		}
		return "办理结果待寄出"
	case Delivered:
		if c.Delivery.Method == Mail {
			return "办理结果已妥投，已办结"
		}
		return "办理结果已领取，已办结"
	case Archived:
		return "已办结"
	case Returned:
		return "已退回，请补正材料"
	case Withdrawn:
		return "申请已撤回"
	case Terminated:
		if c.Lapsed() {
			return "容缺材料逾期未补齐，已终止办理"
		}
		return "已终止办理"
	case RejectedOnline:
		return "网上预审未通过"
	}
	return c.State.Label()
}

// Lapsed reports whether a terminated case ended because its deferred
// materials did not come in time.
func (c *Case) Lapsed() bool {
	return c.State == Terminated && c.DeferredOutstanding() && !c.Deadlines.SupplyBy.IsZero() &&
		c.ClosedAt.After(c.Deadlines.SupplyBy)
}

// StateLabel is the state the event left the case in, in words: a passed
// pre-review leaves it submitted but no longer waiting for pre-review.
func (e Event) StateLabel() string {
	if e.Type == ActPassPreReview && e.To == Submitted {
		return prePassedLabel
	}
	return e.To.Label()
}

// DeadlineLabel is a deadline's name as people read it.
func DeadlineLabel(name string) string {
	switch name {
	case "prereview_by":
		return "预审期限"
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
	case "finish_by":
		return "即办件当日办结期限"
	}
	return name
}

// DeadlineRow is one deadline of a case as people read it.
type DeadlineRow struct {
	Name    string    // accept_by, …
	Label   string    // 受理期限
	At      time.Time // when it ends
	Running bool      // its step has not happened yet (OpenDeadlines)
	// While it runs: its warning (and the warning's words), and how it
	// stands in words (剩余 2 个工作日, 今天 17:00 截止, 已超期 1 个工作日).
	Warning      calendar.Warning
	WarningLabel string
	Words        string
}

// DeadlineRows returns every deadline the case has been set, in process
// order, each running one with how it stands at now.
func (c *Case) DeadlineRows(cal *calendar.Calendar, now time.Time) []DeadlineRow {
	running := map[string]bool{}
	for _, d := range c.OpenDeadlines() {
		running[d.Name] = true
	}
	dl := c.Deadlines
	var out []DeadlineRow
	for _, x := range []Due{{"prereview_by", dl.PreReviewBy}, {"accept_by", dl.AcceptBy}, {"handover_by", dl.HandoverBy},
		{"supply_by", dl.SupplyBy}, {"finish_by", dl.FinishBy}, {"decide_by", dl.DecideBy}, {"correct_by", dl.CorrectBy}, {"archive_by", dl.ArchiveBy}} {
		if x.At.IsZero() {
			continue
		}
		row := DeadlineRow{Name: x.Name, Label: DeadlineLabel(x.Name), At: x.At, Running: running[x.Name]}
		if row.Running {
			row = row.standing(cal, now)
		}
		out = append(out, row)
	}
	return out
}

// RunningRow returns how one running deadline stands at now.
func RunningRow(cal *calendar.Calendar, now time.Time, d Due) DeadlineRow {
	return DeadlineRow{Name: d.Name, Label: DeadlineLabel(d.Name), At: d.At, Running: true}.standing(cal, now)
}

func (r DeadlineRow) standing(cal *calendar.Calendar, now time.Time) DeadlineRow {
	r.Warning = cal.Warn(now, r.At)
	r.WarningLabel, r.Words = r.Warning.Label(), cal.DueWords(now, r.At)
	return r
}

// DueWords says in a few words how the case stands against its time, for
// a work list: the earliest running deadline's words, else 即办 for an
// instant case still open, 已办结 for a closed one, — otherwise.
func (c *Case) DueWords(cal *calendar.Calendar, now time.Time) string {
	return c.DueWordsAmong(cal, now, c.OpenDeadlines())
}

// DueWordsAmong is DueWords counting only the running deadlines open (the
// ones a reader waits on: an applicant does not wait on the paper
// handover).
func (c *Case) DueWordsAmong(cal *calendar.Calendar, now time.Time, open []Due) string {
	var next time.Time
	for _, d := range open {
		if next.IsZero() || d.At.Before(next) {
			next = d.At
		}
	}
	switch {
	case !next.IsZero():
		return cal.DueWords(now, next)
	case c.Kind == catalog.Instant && !c.State.Closed():
		return "即办"
	case c.State.Closed():
		return "已办结"
	}
	return "—"
}
