package throttle

import (
	"context"
	"sync"
	"time"
)

// Gate lets at most a set number of callers do expensive work at once (an
// argon2id password check takes 19 MiB and tens of milliseconds of a core):
// the rest wait their turn for a while, then give up. So a flood of
// sign-ins queues behind the gate instead of taking every core from the
// pages and the API.
type Gate struct {
	slots chan struct{}
}

// NewGate returns a gate letting n callers through at once (at least 1).
func NewGate(n int) *Gate {
	return &Gate{slots: make(chan struct{}, max(n, 1))}
}

// Enter waits up to wait for a place. It returns the function that gives
// the place back, or ok false when none came free in time or ctx ended.
func (g *Gate) Enter(ctx context.Context, wait time.Duration) (leave func(), ok bool) {
	select {
	case g.slots <- struct{}{}:
		return g.leave, true
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return g.leave, true
	case <-t.C:
		return nil, false
	case <-ctx.Done():
		return nil, false
	}
}

func (g *Gate) leave() { <-g.slots }

// Size returns how many callers may be inside at once.
func (g *Gate) Size() int { return cap(g.slots) }

// Slots counts what each key holds at once (open board streams per hall,
// per client) within a cap per key. It is safe for concurrent use.
type Slots struct {
	cap  int
	mu   sync.Mutex
	held map[string]int
}

// NewSlots returns slots allowing each key to hold up to n at once.
func NewSlots(n int) *Slots {
	return &Slots{cap: n, held: map[string]int{}}
}

// Acquire takes one of key's slots. It returns the function that gives it
// back (once, however often it is called), or ok false when key holds its
// cap already.
func (s *Slots) Acquire(key string) (release func(), ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held[key] >= s.cap {
		return nil, false
	}
	s.held[key]++
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.held[key]--; s.held[key] <= 0 {
				delete(s.held, key)
			}
		})
	}, true
}

// Held returns how many slots key holds.
func (s *Slots) Held(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held[key]
}

// Cap returns the most one key may hold.
func (s *Slots) Cap() int { return s.cap }

// Counts returns how many slots each key holds now.
func (s *Slots) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.held))
	for k, n := range s.held {
		if n > 0 {
			out[k] = n
		}
	}
	return out
}
