// Package throttle holds the in-process limits of one node: token buckets
// per key (golang.org/x/time/rate), forgotten once they are full again, and
// a gate that bounds how much expensive work (password hashing) runs at
// once. Limits that must hold across the nodes of a cluster live in the
// database instead (internal/store, limits.go); these protect the node's
// own CPU, memory and connections.
package throttle

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate is N events per Per, at most N at once: a bucket of N tokens that
// refills one token every Per/N.
type Rate struct {
	N   int
	Per time.Duration
}

// String writes the rate as ParseRate reads it: "10/1m0s".
func (r Rate) String() string { return fmt.Sprintf("%d/%s", r.N, r.Per) }

// Interval is the time one token takes to come back.
func (r Rate) Interval() time.Duration { return r.Per / time.Duration(r.N) }

// Validate refuses a rate that allows nothing or refills in no time.
func (r Rate) Validate() error {
	if r.N < 1 || r.Per <= 0 || r.Interval() <= 0 {
		return fmt.Errorf("rate %d/%s: need at least 1 per a positive period", r.N, r.Per)
	}
	return nil
}

// ParseRate reads "N/PERIOD" with a Go duration as the period: "10/1m",
// "5/1h", "30/90s".
func ParseRate(s string) (Rate, error) {
	n, per, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Rate{}, fmt.Errorf("rate %q: write N/PERIOD, e.g. 10/1m", s)
	}
	count, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil {
		return Rate{}, fmt.Errorf("rate %q: %q is not a number", s, n)
	}
	d, err := time.ParseDuration(strings.TrimSpace(per))
	if err != nil {
		return Rate{}, fmt.Errorf("rate %q: %w", s, err)
	}
	r := Rate{N: count, Per: d}
	return r, r.Validate()
}

// maxKeys bounds the buckets a Keyed keeps; past it, full buckets are
// dropped first, then any (a dropped bucket comes back full, so an
// attacker who sprays keys gains at most one burst per key).
const maxKeys = 100_000

// Keyed is one rate per key: each client address gets its own bucket.
// It is safe for concurrent use.
type Keyed struct {
	rate Rate

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
	max       int
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time // the last time a token was asked for
}

// NewKeyed returns a limiter allowing r per key.
func NewKeyed(r Rate) *Keyed {
	return &Keyed{rate: r, buckets: map[string]*bucket{}, max: maxKeys}
}

// Rate returns the limiter's rate.
func (k *Keyed) Rate() Rate { return k.rate }

// Allow takes one token of key's bucket at now. Without one it reports how
// long until there is one, and takes nothing: refused requests do not
// push the client's next chance further away.
func (k *Keyed) Allow(key string, now time.Time) (ok bool, retry time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if now.Sub(k.lastSweep) >= time.Minute || len(k.buckets) >= k.max {
		k.sweep(now)
	}
	b := k.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(rate.Every(k.rate.Interval()), k.rate.N)}
		k.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if !r.OK() {
		return false, k.rate.Per
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		// The limiter counts tokens in floats: 999.999999ms is a second.
		return false, d.Round(time.Millisecond)
	}
	return true, 0
}

// sweep forgets the buckets that are full again (as good as new), and if
// that is not enough, any bucket down to three quarters of the bound.
func (k *Keyed) sweep(now time.Time) {
	k.lastSweep = now
	for key, b := range k.buckets {
		if now.Sub(b.seen) >= k.rate.Per {
			delete(k.buckets, key)
		}
	}
	for key := range k.buckets {
		if len(k.buckets) < k.max*3/4 {
			break
		}
		delete(k.buckets, key)
	}
}

// Len returns how many buckets are kept (for tests).
func (k *Keyed) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.buckets)
}
