package supervision

import (
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
)

// Dims are the groupings a case's figures are counted under.
type Dims struct {
	Department string `json:"department"`
	Item       string `json:"item"`
	Hall       string `json:"hall"`
}

// Metric names one counted quantity of the rollups.
type Metric string

// The metrics. Step metrics are "<kind>.on_time" and "<kind>.late" (see
// StepMetric); return reasons are "return_reason:<material code>".
const (
	MetricIntake        Metric = "intake"         // cases taken in (by intake day)
	MetricReturn        Metric = "return"         // returns for correction (by return day)
	MetricDecision      Metric = "decision"       // decisions of promised cases (by decision day)
	MetricDenied        Metric = "denied"         // of which denied
	MetricDaysUsed      Metric = "days_used"      // working days used, summed
	MetricDaysPromised  Metric = "days_promised"  // promised days, summed
	MetricEarly         Metric = "early"          // decided before the last working day
	MetricFirstDay      Metric = "first_day"      // decided by the close of the first working day after acceptance
	MetricResultRefusal Metric = "result_refusal" // results refused by the issuance desk (R9), by the correction's deadline day
	returnReasonPrefix         = "return_reason:"
	holdPrefix                 = "hold."
)

// StepMetric is the metric of steps of kind k ending on time or late.
func StepMetric(k Kind, late bool) Metric {
	if m, ok := stepMetrics[k]; ok {
		return m[b2i(late)]
	}
	if late {
		return Metric(string(k) + ".late")
	}
	return Metric(string(k) + ".on_time")
}

// HoldMetric is the metric of working minutes held by h.
func HoldMetric(h Holder) Metric {
	if m, ok := holdMetrics[h]; ok {
		return m
	}
	return Metric(holdPrefix + string(h))
}

// The metrics of the known steps (on time, late) and holders, made once:
// every case change names a few dozen of them (Entries).
var (
	stepMetrics = map[Kind][2]Metric{}
	holdMetrics = map[Holder]Metric{}
)

func init() {
	for _, k := range Kinds {
		stepMetrics[k] = [2]Metric{Metric(string(k) + ".on_time"), Metric(string(k) + ".late")}
	}
	for _, h := range Holders {
		holdMetrics[h] = Metric(holdPrefix + string(h))
	}
}

// ReturnReasonMetric is the metric of returns naming material code ("" for
// a return with a reason only).
func ReturnReasonMetric(code string) Metric {
	if code == "" {
		code = "-"
	}
	return Metric(returnReasonPrefix + code)
}

// ReturnReason returns the material code of a return-reason metric.
func (m Metric) ReturnReason() (string, bool) {
	s := string(m)
	if len(s) > len(returnReasonPrefix) && s[:len(returnReasonPrefix)] == returnReasonPrefix {
		return s[len(returnReasonPrefix):], true
	}
	return "", false
}

// Entry is one count of the rollups: metric on day, for a user ("" when no
// person answers for it), under the case's dims.
type Entry struct {
	Day    string
	Metric Metric
	User   string
	N      int64
}

// EntryKey identifies an entry's cell.
type EntryKey struct {
	Day    string
	Metric Metric
	User   string
}

// Day returns t's date in Asia/Shanghai as text (calendar.Date's
// String, written without fmt: the rollups name a day for every count).
func Day(t time.Time) string {
	y, m, d := t.In(clock.Shanghai).Date()
	if y < 1 || y > 9999 {
		return calendar.DateOf(t).String()
	}
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + int(m)/10), byte('0' + int(m)%10), '-', byte('0' + d/10), byte('0' + d%10)}
	return string(b[:])
}

// Entries returns what the record counts in the rollups: closed steps by
// their deadline's day, intake, returns, the decision, refusals and holding
// minutes. Open steps are not counted here: whether they are overdue
// depends on when one looks, so they are counted from the steps themselves.
func (r *Record) Entries() map[EntryKey]int64 {
	// Sized for every count below, so that the map never grows.
	n := 1 + 2*len(r.Steps) + len(r.Hold) + 6 + 3*len(r.Trips) + 1
	for _, ret := range r.Returns {
		n += 2 + len(ret.Materials)
	}
	out := make(map[EntryKey]int64, n)
	add := func(day string, m Metric, user string, n int64) {
		if n != 0 {
			out[EntryKey{day, m, user}] += n
		}
	}
	if !r.Intake.IsZero() {
		add(Day(r.Intake), MetricIntake, r.IntakeBy, 1)
	}
	for _, s := range r.Steps {
		if s.Closed() {
			add(Day(s.Due), StepMetric(s.Kind, s.Late), s.By, 1)
		}
	}
	for _, ret := range r.Returns {
		day := Day(ret.At)
		add(day, MetricReturn, ret.By, 1)
		if len(ret.Materials) == 0 {
			add(day, ReturnReasonMetric(""), ret.By, 1)
		}
		for _, code := range ret.Materials {
			add(day, ReturnReasonMetric(code), ret.By, 1)
		}
	}
	if d := r.Decision; d != nil {
		day := Day(d.At)
		add(day, MetricDecision, d.By, 1)
		add(day, MetricDaysUsed, d.By, int64(d.Used))
		add(day, MetricDaysPromised, d.By, int64(d.Promised))
		add(day, MetricEarly, d.By, b2i(d.Early))
		add(day, MetricFirstDay, d.By, b2i(d.FirstDay))
		add(day, MetricDenied, d.By, b2i(d.Denied))
	}
	// A refused result opens a correction step (R9): counted, like the
	// step, on its deadline's day, so the drill-down lists exactly them.
	for _, s := range r.Steps {
		if s.Kind == Correct {
			add(Day(s.Due), MetricResultRefusal, s.By, 1)
		}
	}
	for _, h := range r.Hold {
		add(h.Day, HoldMetric(h.Holder), "", h.Minutes)
	}
	r.moveEntries(add)
	return out
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// Diff returns new minus old, cell by cell, leaving out cells that did not
// change: what a change of a case adds to the rollups.
func Diff(old, new map[EntryKey]int64) []Entry {
	out := make([]Entry, 0, 8)
	for k, n := range new {
		if d := n - old[k]; d != 0 {
			out = append(out, Entry{k.Day, k.Metric, k.User, d})
		}
	}
	for k, n := range old {
		if _, ok := new[k]; !ok && n != 0 {
			out = append(out, Entry{k.Day, k.Metric, k.User, -n})
		}
	}
	slices.SortFunc(out, func(a, b Entry) int { // a fixed order: fewer lock conflicts
		if c := strings.Compare(a.Day, b.Day); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.Metric), string(b.Metric)); c != 0 {
			return c
		}
		return strings.Compare(a.User, b.User)
	})
	return out
}
