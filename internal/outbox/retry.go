package outbox

import (
	"math/rand/v2"
	"time"
)

// Retry is a back-off policy: how often an item is tried and how long to
// wait after each failure.
type Retry struct {
	Attempts int           // tries in all; after the last failure the item is failed for good
	Base     time.Duration // the wait after the first failure, doubling after each further one
	Max      time.Duration // the longest wait
}

// Validate checks the policy makes sense.
func (r Retry) Validate() error {
	switch {
	case r.Attempts < 1:
		return errorf("attempts %d: at least 1", r.Attempts)
	case r.Base <= 0:
		return errorf("base delay %s: must be positive", r.Base)
	case r.Max < r.Base:
		return errorf("longest delay %s is shorter than the base delay %s", r.Max, r.Base)
	}
	return nil
}

// Final reports whether attempt was the last one allowed.
func (r Retry) Final(attempt int) bool { return attempt >= r.Attempts }

// Delay returns the wait after the attempt-th failure: Base·2^(attempt-1),
// capped at Max, with "equal jitter": half of it fixed, half random, so
// that items that failed together (a mail server down) do not all come
// back together, and no wait is shorter than half the nominal one.
func (r Retry) Delay(attempt int) time.Duration {
	d := r.Base
	for i := 1; i < attempt && d < r.Max; i++ {
		d *= 2
	}
	d = min(d, r.Max)
	half := d / 2
	return half + rand.N(d-half+1)
}
