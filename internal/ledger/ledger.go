// Package ledger holds the ledgers (台账) a supervisor and a department keep
// of the hall's work: the case ledger, the paper handover ledger, the
// delivery ledger, the rating ledger and the supervision-notice ledger. It says what each ledger lists,
// how it is filtered, and how one entry reads as a row of a spreadsheet. It
// knows nothing of SQL or HTTP: the store finds the entries, the service
// decides who may see which, and the export package writes the files.
package ledger

import (
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
)

// Kind names a ledger.
type Kind string

// The ledgers.
const (
	Cases      Kind = "cases"      // 办件台账
	Handovers  Kind = "handovers"  // 材料交接台账
	Deliveries Kind = "deliveries" // 送达台账
	Ratings    Kind = "ratings"    // 好差评台账
	Notices    Kind = "notices"    // 督办单台账
)

// Kinds lists every ledger.
var Kinds = []Kind{Cases, Handovers, Deliveries, Ratings, Notices}

// Label returns the ledger's Chinese name.
func (k Kind) Label() string {
	switch k {
	case Cases:
		return "办件台账"
	case Handovers:
		return "材料交接台账"
	case Deliveries:
		return "送达台账"
	case Ratings:
		return "好差评台账"
	case Notices:
		return "督办单台账"
	}
	return string(k)
}

// ParseKind reads a ledger's name.
func ParseKind(s string) (Kind, error) {
	if k := Kind(s); slices.Contains(Kinds, k) {
		return k, nil
	}
	return "", apperr.Field("ledger", "未知的台账："+s+"（cases、handovers、deliveries、ratings 或 notices）")
}

// MaxSpan is the longest period one ledger covers: two years.
const MaxSpan = 2*366 + 1

// Filter narrows a ledger. The period is whole days in Asia/Shanghai, both
// ends included; an entry belongs to the day of its own event: a case to
// the day it was taken in, a handover to the day the papers were signed
// for, a delivery to the day of delivery, a rating to the day it was given,
// a supervision notice to the day it was opened.
type Filter struct {
	From, To   calendar.Date
	Department string // department code
	Item       string // item code
	Hall       string // hall code: the intake hall (cases, handovers, notices), the pickup hall (deliveries), the rated hall (ratings)
	// States and LateOnly narrow the case ledger only.
	States   []casework.State
	LateOnly bool // cases that missed a deadline: a step done late, or a deadline passed and still open
	// NoticeStates narrows the supervision-notice ledger only: a notice in
	// any of them is listed.
	NoticeStates []NoticeState
}

// NoticeState is where a supervision notice stands, as the notice ledger
// is filtered: open, answered and overdue are its status now (one of the
// three); escalated says it went unanswered past its reply deadline and
// was put on the supervisor's list, whether answered since or not.
type NoticeState string

// The notice states.
const (
	NoticeOpen      NoticeState = "open"      // 待回复: unanswered, the reply deadline not passed
	NoticeAnswered  NoticeState = "answered"  // 已回复
	NoticeOverdue   NoticeState = "overdue"   // 逾期未回复: unanswered past the reply deadline
	NoticeEscalated NoticeState = "escalated" // 已上报: escalated to the supervisor (answered since or not)
)

// NoticeStates lists the notice states a filter may name.
var NoticeStates = []NoticeState{NoticeOpen, NoticeAnswered, NoticeOverdue, NoticeEscalated}

// Label returns the state's Chinese name.
func (s NoticeState) Label() string {
	switch s {
	case NoticeOpen:
		return "待回复"
	case NoticeAnswered:
		return "已回复"
	case NoticeOverdue:
		return "逾期未回复"
	case NoticeEscalated:
		return "已上报"
	}
	return string(s)
}

// NoticeStateAt is a notice's status at now: answered once replied,
// overdue when unanswered after its reply deadline, open before it.
func NoticeStateAt(repliedAt, replyBy, now time.Time) NoticeState {
	switch {
	case !repliedAt.IsZero():
		return NoticeAnswered
	case now.After(replyBy):
		return NoticeOverdue
	}
	return NoticeOpen
}

// Validate checks the filter for ledger k: a whole period, at most
// MaxSpan days, and known states; states and late-only belong to the case
// ledger.
func (f *Filter) Validate(k Kind) error {
	var errs apperr.Collector
	switch {
	case f.From.IsZero():
		errs.Add("from", "请选择起始日期")
	case f.To.IsZero():
		errs.Add("to", "请选择截止日期")
	case f.To.Before(f.From):
		errs.Add("to", "截止日期不能早于起始日期")
	case f.From.AddDays(MaxSpan).Before(f.To):
		errs.Add("to", "一次最多查询两年")
	}
	for _, st := range f.States {
		if !slices.Contains(casework.States, st) {
			errs.Add("state", "未知的办件状态："+string(st))
		}
	}
	for _, st := range f.NoticeStates {
		if !slices.Contains(NoticeStates, st) {
			errs.Add("state", "未知的督办单状态："+string(st)+"（open、answered、overdue 或 escalated）")
		}
	}
	if k != Cases {
		errs.Check(len(f.States) == 0, "state", "按办件状态筛选只适用于办件台账")
		errs.Check(!f.LateOnly, "late", "只看超期只适用于办件台账")
	}
	if k != Notices {
		errs.Check(len(f.NoticeStates) == 0, "state", "按督办单状态筛选只适用于督办单台账")
	}
	for field, v := range map[string]string{"department": f.Department, "item": f.Item, "hall": f.Hall} {
		errs.Check(len(v) <= 64 && !strings.ContainsFunc(v, func(r rune) bool { return r < ' ' }), field, "编码不正确")
	}
	return errs.Err("台账筛选条件有误")
}

// Span returns the period as instants: from the start of From to the
// start of the day after To, in Asia/Shanghai.
func (f *Filter) Span() (from, until time.Time) {
	return f.From.At(0, 0), f.To.AddDays(1).At(0, 0)
}

// ThisMonth returns the filter's default period: the month of now, up to
// its last day.
func ThisMonth(now time.Time) (from, to calendar.Date) {
	d := calendar.DateOf(now)
	first := time.Date(d.Year, d.Month, 1, 12, 0, 0, 0, clock.Shanghai)
	return calendar.DateOf(first), calendar.DateOf(first.AddDate(0, 1, -1))
}
