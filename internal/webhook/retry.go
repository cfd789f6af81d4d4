package webhook

import "time"

// Attempts returns how many attempts a back-off starting at base, doubling
// up to longest, makes before the waits add up to window: the number of
// tries after which a delivery is given up and its subscription paused.
// The nominal waits are counted; jitter only shortens a wait, to no less
// than half of it.
func Attempts(base, longest, window time.Duration) int {
	n, total, d := 1, time.Duration(0), base
	for total < window {
		total += d
		n++
		d = min(d*2, longest)
	}
	return n
}
