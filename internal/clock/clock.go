// Package clock provides the time source every part of OneWindow is given,
// so that deadline rules can be run and tested at any date.
package clock

import (
	"sync"
	"time"
)

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// Shanghai is the zone every date and deadline is shown and counted in.
var Shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Without tzdata the fixed offset is exact: China has no daylight saving.
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// System is the machine's clock.
type System struct{}

// Now returns the machine's time in Asia/Shanghai.
func (System) Now() time.Time { return time.Now().In(Shanghai) }

// Offset is a clock started at a chosen moment that runs on from there
// (serve --now: the training mode).
type Offset struct {
	delta time.Duration
}

// StartingAt returns a clock that reads start now and runs on in real time.
func StartingAt(start time.Time) *Offset {
	return &Offset{delta: time.Until(start)}
}

// Now returns the shifted time.
func (o *Offset) Now() time.Time { return time.Now().Add(o.delta).In(Shanghai) }

// Training reports whether c is the training mode's clock (serve --now):
// what is done on it is practice, and every page and printed document
// must say so.
func Training(c Clock) bool {
	t, ok := c.(interface{ Training() bool })
	return ok && t.Training()
}

// Training reports true: an offset clock is the training mode's.
func (o *Offset) Training() bool { return true }

// Manual is a clock for tests that moves only when told.
type Manual struct {
	mu       sync.Mutex
	t        time.Time
	training bool
}

// SetTraining makes the manual clock pass for the training mode's (tests
// of what the training mode shows).
func (m *Manual) SetTraining(on bool) {
	m.mu.Lock()
	m.training = on
	m.mu.Unlock()
}

// Training reports what SetTraining set.
func (m *Manual) Training() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.training
}

// At returns a manual clock reading t.
func At(t time.Time) *Manual { return &Manual{t: t} }

// Now returns the set time.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.t.In(Shanghai)
}

// Set moves the clock to t.
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	m.t = t
	m.mu.Unlock()
}

// Advance moves the clock on by d.
func (m *Manual) Advance(d time.Duration) {
	m.mu.Lock()
	m.t = m.t.Add(d)
	m.mu.Unlock()
}
