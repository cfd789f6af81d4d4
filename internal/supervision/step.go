// Package supervision holds the rules of supervision and assessment (督查考核,
// R17): the timed steps of a case and whether each was met, who held the
// case for each working hour, the efficiency figures, supervision notices
// (督办单), yellow and red cards and the assessment's weighted score. Every
// figure is derived from a case's event record by Fold, so that the rollups
// kept beside the cases can always be rebuilt from the events. It knows
// nothing of SQL or HTTP.
package supervision

import (
	"time"
)

// Kind is a timed step of a case: one deadline of DESIGN.md section 2.
type Kind string

// The timed steps.
const (
	PreReview Kind = "prereview" // R13: online pre-review within 2 working days
	Accept    Kind = "accept"    // R5: accepted or returned within 2 working days of intake
	Handover  Kind = "handover"  // R6: paper signed for by the cut-off; each sheet a step
	Supply    Kind = "supply"    // R3: deferred materials supplied by the pledged date
	Decide    Kind = "decide"    // R8: decided by decide_by after pauses and extensions
	Correct   Kind = "correct"   // R9: a refused result corrected within 1 working day
	Archive   Kind = "archive"   // R12: archived within 1 working day of delivery
)

// Kinds lists the steps in process order.
var Kinds = []Kind{PreReview, Accept, Handover, Supply, Decide, Correct, Archive}

// Valid reports whether k is a known step.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Label returns the step's Chinese name.
func (k Kind) Label() string {
	switch k {
	case PreReview:
		return "网上预审"
	case Accept:
		return "受理"
	case Handover:
		return "材料交接"
	case Supply:
		return "容缺补齐"
	case Decide:
		return "审批决定"
	case Correct:
		return "结果更正"
	case Archive:
		return "归档"
	}
	return string(k)
}

// Answer says how a step ended.
type Answer string

// Answers.
const (
	Done      Answer = ""          // the step was taken
	Returned  Answer = "return"    // R5 answered by returning the case
	Cancelled Answer = "cancelled" // the case left the state the step runs in (withdrawn, terminated, returned) after the deadline had passed: missed
)

// Step is one timed step of one case: its deadline in force and, once
// taken, when and by whom and whether in time. Ord numbers the steps of a
// kind within the case from 1 (a second handover sheet, a resubmission's
// acceptance).
type Step struct {
	Kind   Kind      `json:"k"`
	Ord    int       `json:"o"`
	Due    time.Time `json:"d"`
	Done   time.Time `json:"t,omitzero"`
	Late   bool      `json:"l,omitempty"`
	By     string    `json:"b,omitempty"` // username of who took the step
	Answer Answer    `json:"a,omitempty"`
	Paused bool      `json:"p,omitempty"` // decide: the clock is stopped, the step is not overdue
}

// Status is where a step stands for punctuality.
type Status string

// Statuses.
const (
	OnTime  Status = "on_time" // taken by its deadline
	Late    Status = "late"    // taken after it, or missed
	Overdue Status = "overdue" // still open and past its deadline
	Running Status = "running" // still open, deadline not reached (or clock paused)
	// Red selects late and overdue steps alike: the cases that turned red.
	Red Status = "red"
)

// Label returns the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case OnTime:
		return "按时"
	case Late:
		return "超时"
	case Overdue:
		return "超期未办"
	case Running:
		return "办理中"
	}
	return string(s)
}

// Closed reports whether the step has ended.
func (s Step) Closed() bool { return !s.Done.IsZero() }

// StatusAt returns the step's status seen at now.
func (s Step) StatusAt(now time.Time) Status {
	switch {
	case s.Closed() && s.Late:
		return Late
	case s.Closed():
		return OnTime
	case !s.Paused && now.After(s.Due):
		return Overdue
	}
	return Running
}

// Punctuality counts steps: on time, late, open and overdue.
type Punctuality struct {
	OnTime  int64 `json:"on_time"`
	Late    int64 `json:"late"`
	Overdue int64 `json:"overdue"`
}

// Counted is every step the rate counts.
func (p Punctuality) Counted() int64 { return p.OnTime + p.Late + p.Overdue }

// Rate returns on time ÷ (on time + late + open and overdue), and false
// when there is nothing to count.
func (p Punctuality) Rate() (float64, bool) {
	n := p.Counted()
	if n == 0 {
		return 0, false
	}
	return float64(p.OnTime) / float64(n), true
}

// Add adds q to p.
func (p *Punctuality) Add(q Punctuality) {
	p.OnTime += q.OnTime
	p.Late += q.Late
	p.Overdue += q.Overdue
}
