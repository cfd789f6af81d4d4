package casework

import (
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
)

// Due is one running deadline.
type Due struct {
	Name string    `json:"name"` // accept_by, handover_by, …
	At   time.Time `json:"at"`
}

// OpenDeadlines returns the deadlines that are still running: those whose
// step has not happened yet. A paused decide_by does not run.
func (c *Case) OpenDeadlines() []Due {
	var out []Due
	add := func(name string, at time.Time, running bool) {
		if running && !at.IsZero() {
			out = append(out, Due{name, at})
		}
	}
	closed := c.State.Closed()
	add("prereview_by", c.Deadlines.PreReviewBy, c.preReviewRunning())
	add("initial_review_by", c.Deadlines.InitialReviewBy, c.InitialReviewPending())
	add("accept_by", c.Deadlines.AcceptBy, c.State == Received && c.Kind == catalog.Promised && !c.Waiting())
	// Papers are signed for while the department holds the case.
	handoverState := c.State == Received || c.State == Accepted || c.State == Decided
	add("handover_by", c.Deadlines.HandoverBy, c.PaperPending() && handoverState)
	add("supply_by", c.Deadlines.SupplyBy, c.DeferredOutstanding() && !closed)
	add("decide_by", c.Deadlines.DecideBy, c.State == Accepted && !c.Paused())
	add("correct_by", c.Deadlines.CorrectBy, c.State == Decided && c.Result == ResultRefused)
	add("archive_by", c.Deadlines.ArchiveBy, c.State == Delivered)
	// An instant case runs until it is handed over in the visit.
	add("finish_by", c.Deadlines.FinishBy, c.Kind == catalog.Instant && (c.State == Received || c.State == Decided))
	return out
}

// NextDue returns the earliest running deadline, or the zero time.
func (c *Case) NextDue() time.Time {
	var next time.Time
	for _, d := range c.OpenDeadlines() {
		if next.IsZero() || d.At.Before(next) {
			next = d.At
		}
	}
	return next
}

// Warning returns the case's warning: red when a running deadline has
// passed, yellow when one is within the warning distance, else none.
func (c *Case) Warning(cal *calendar.Calendar, now time.Time) calendar.Warning {
	return WarningAmong(cal, now, c.OpenDeadlines())
}
