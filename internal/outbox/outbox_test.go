package outbox

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// item is a test item: an id, a key and the attempt its claim counted.
type item struct {
	id, attempt int
	key         string
}

// memQueue is an outbox in memory with the store's semantics: a claim
// counts an attempt and leases the item; a report closes, reschedules or
// gives back. claimErr and reportErr make those steps fail.
type memQueue struct {
	mu        sync.Mutex
	items     map[int]*memItem
	claimErr  error
	reportErr error
	claims    int
}

type memItem struct {
	key      string
	attempts int
	due      time.Time
	done     bool
	failed   bool
	lastErr  error
}

func newMemQueue(n int, at time.Time, key func(i int) string) *memQueue {
	q := &memQueue{items: map[int]*memItem{}}
	for i := range n {
		q.items[i] = &memItem{key: key(i), due: at}
	}
	return q
}

func (q *memQueue) Claim(_ context.Context, now time.Time, lease time.Duration, limit int) ([]item, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.claims++
	if q.claimErr != nil {
		return nil, q.claimErr
	}
	var out []item
	for id := 0; id < len(q.items) && len(out) < limit; id++ {
		it := q.items[id]
		if it.done || it.failed || it.due.After(now) {
			continue
		}
		it.attempts++
		it.due = now.Add(lease)
		out = append(out, item{id: id, attempt: it.attempts, key: it.key})
	}
	return out, nil
}

func (q *memQueue) Report(_ context.Context, now time.Time, outcomes []Outcome[item]) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.reportErr != nil {
		return q.reportErr
	}
	for _, o := range outcomes {
		it := q.items[o.Item.id]
		switch {
		case o.Skipped:
			it.attempts--
			it.due = now
		case o.Err == nil:
			it.done = true
		case o.RetryAt.IsZero():
			it.failed, it.lastErr = true, o.Err
		default:
			it.due, it.lastErr = o.RetryAt, o.Err
		}
	}
	return nil
}

func (q *memQueue) count(pred func(*memItem) bool) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for _, it := range q.items {
		if pred(it) {
			n++
		}
	}
	return n
}

// sender records what it is asked to send, in order, and how many sends
// ran at once at most.
type sender struct {
	mu        sync.Mutex
	sent      []item
	fail      func(item) error
	delay     time.Duration
	running   atomic.Int32
	maxAtOnce int32
}

func (s *sender) send(ctx context.Context, it item) error {
	n := s.running.Add(1)
	defer s.running.Add(-1)
	s.mu.Lock()
	s.maxAtOnce = max(s.maxAtOnce, n)
	s.sent = append(s.sent, it)
	s.mu.Unlock()
	if s.delay > 0 {
		time.Sleep(s.delay)
	}
	if s.fail != nil {
		return s.fail(it)
	}
	return ctx.Err()
}

func (s *sender) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sent)
}

// clock is a manual clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

var t0 = time.Date(2026, 9, 30, 9, 0, 0, 0, time.UTC)

func newDispatcher(t *testing.T, q *memQueue, s *sender, clk *clock, edit func(*Settings)) *Dispatcher[item] {
	t.Helper()
	settings := DefaultSettings()
	settings.Retry = Retry{Attempts: 3, Base: 10 * time.Second, Max: time.Minute}
	if edit != nil {
		edit(&settings)
	}
	d, err := New[item](q, Config[item]{
		Settings:  settings,
		Name:      "test",
		Send:      s.send,
		Attempt:   func(it item) int { return it.attempt },
		Key:       func(it item) string { return it.key },
		Permanent: func(err error) bool { return errors.Is(err, errUndeliverable) },
		Now:       clk.Now,
		Log:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var errUndeliverable = errors.New("undeliverable")

func oneKey(int) string { return "" }

func TestClaimFailureSendsNothing(t *testing.T) {
	clk := &clock{now: t0}
	q := newMemQueue(5, t0, oneKey)
	q.claimErr = errors.New("attempt to write a readonly database")
	s := &sender{}
	d := newDispatcher(t, q, s, clk, nil)
	for range 10 {
		if _, err := d.Drain(context.Background()); err == nil {
			t.Fatal("a failing claim reported no error")
		}
		clk.Advance(time.Hour)
	}
	if s.count() != 0 {
		t.Fatalf("%d sends while claims failed", s.count())
	}
	q.claimErr = nil
	if n, err := d.Drain(context.Background()); n != 5 || err != nil {
		t.Fatalf("after: %d sent, %v", n, err)
	}
}

func TestReportFailureSendsOnceMoreAfterTheLease(t *testing.T) {
	clk := &clock{now: t0}
	q := newMemQueue(3, t0, oneKey)
	q.reportErr = errors.New("disk full")
	s := &sender{}
	d := newDispatcher(t, q, s, clk, nil)
	if _, err := d.Drain(context.Background()); err == nil {
		t.Fatal("a failing report reported no error")
	}
	q.reportErr = nil
	for range 5 {
		d.Drain(context.Background())
		clk.Advance(10 * time.Second)
	}
	if s.count() != 3 {
		t.Fatalf("%d sends within the lease, want 3", s.count())
	}
	clk.Advance(DefaultSettings().Lease)
	if n, _ := d.Drain(context.Background()); n != 3 || s.count() != 6 {
		t.Fatalf("after the lease: %d sent, %d in all", n, s.count())
	}
	if n := q.count(func(it *memItem) bool { return it.done && it.attempts == 2 }); n != 3 {
		t.Errorf("%d items done on their second attempt, want 3", n)
	}
}

func TestBackOffAndFinalFailure(t *testing.T) {
	clk := &clock{now: t0}
	q := newMemQueue(2, t0, func(i int) string { return string(rune('a' + i)) })
	s := &sender{fail: func(it item) error {
		if it.id == 1 {
			return errUndeliverable
		}
		return errors.New("timeout")
	}}
	d := newDispatcher(t, q, s, clk, nil)
	d.Drain(context.Background())
	if q.items[1].failed != true || q.items[1].attempts != 1 {
		t.Errorf("an undeliverable item: %+v, want failed after one attempt", q.items[1])
	}
	for attempt := 1; attempt <= 3; attempt++ {
		it := q.items[0]
		if it.attempts != attempt {
			t.Fatalf("attempt %d: item at %d attempts", attempt, it.attempts)
		}
		if attempt == 3 {
			if !it.failed || it.lastErr == nil {
				t.Fatalf("not failed after the last attempt: %+v", it)
			}
			break
		}
		wait := it.due.Sub(clk.Now())
		nominal := 10 * time.Second << (attempt - 1)
		if wait < nominal/2 || wait > nominal {
			t.Errorf("wait after attempt %d: %s, want %s…%s", attempt, wait, nominal/2, nominal)
		}
		clk.Advance(wait)
		d.Drain(context.Background())
	}
	clk.Advance(24 * time.Hour)
	d.Drain(context.Background())
	if s.count() != 4 {
		t.Errorf("%d sends in all, want 3 + 1", s.count())
	}
}

func TestRetryDelay(t *testing.T) {
	r := Retry{Attempts: 20, Base: 5 * time.Second, Max: time.Minute}
	for attempt := 1; attempt <= 20; attempt++ {
		nominal := min(5*time.Second<<min(attempt-1, 10), time.Minute)
		seen := map[time.Duration]bool{}
		for range 50 {
			d := r.Delay(attempt)
			if d < nominal/2 || d > nominal {
				t.Fatalf("attempt %d: delay %s outside %s…%s", attempt, d, nominal/2, nominal)
			}
			seen[d] = true
		}
		if len(seen) < 10 {
			t.Errorf("attempt %d: only %d different delays in 50: no jitter", attempt, len(seen))
		}
	}
	for _, bad := range []Retry{{0, time.Second, time.Second}, {3, 0, time.Second}, {3, time.Minute, time.Second}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// TestConcurrencyAndOrder: sends run at most Concurrency at once, and the
// items of one key go out one after the other in claim order.
func TestConcurrencyAndOrder(t *testing.T) {
	clk := &clock{now: t0}
	q := newMemQueue(120, t0, func(i int) string { return string(rune('a' + i%12)) })
	s := &sender{delay: 2 * time.Millisecond}
	d := newDispatcher(t, q, s, clk, func(s *Settings) { s.Batch, s.Concurrency = 50, 4 })
	if n, err := d.Drain(context.Background()); n != 120 || err != nil {
		t.Fatalf("%d sent, %v", n, err)
	}
	if s.maxAtOnce > 4 || s.maxAtOnce < 2 {
		t.Errorf("at most %d sends at once, want 2…4", s.maxAtOnce)
	}
	last := map[string]int{}
	for _, it := range s.sent {
		if prev, ok := last[it.key]; ok && prev > it.id {
			t.Fatalf("key %s: item %d sent after %d", it.key, prev, it.id)
		}
		last[it.key] = it.id
	}
}

// TestRunWakesOnNudgeAndStops: a nudge starts a round long before the
// tick; cancelling the context stops Run after the sends under way are
// recorded.
func TestRunWakesOnNudgeAndStops(t *testing.T) {
	clk := &clock{now: t0}
	q := newMemQueue(0, t0, oneKey)
	s := &sender{delay: 100 * time.Millisecond}
	d := newDispatcher(t, q, s, clk, func(s *Settings) { s.Interval = time.Hour })
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { defer close(stopped); d.Run(ctx) }()
	time.Sleep(20 * time.Millisecond)
	q.mu.Lock()
	q.items[0] = &memItem{due: t0}
	q.mu.Unlock()
	d.Nudge()
	deadline := time.Now().Add(2 * time.Second)
	for s.count() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if s.count() != 1 {
		t.Fatal("a nudge did not wake the dispatcher")
	}
	cancel() // while the send is under way
	select {
	case <-stopped:
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not stop")
	}
	if !q.items[0].done {
		t.Error("the send under way at the stop was not recorded")
	}
}

// TestNoSendAfterHalfTheLease: a batch that runs long gives back the items
// it has not started, uncounted, instead of outliving its lease.
func TestNoSendAfterHalfTheLease(t *testing.T) {
	clk := &clock{now: t0}
	q := newMemQueue(10, t0, oneKey)
	s := &sender{delay: 30 * time.Millisecond}
	d := newDispatcher(t, q, s, clk, func(s *Settings) {
		s.Lease, s.SendTimeout, s.Concurrency = 200*time.Millisecond, 50*time.Millisecond, 1
	})
	claimed, sent, err := d.Round(context.Background())
	if err != nil || claimed != 10 || sent < 2 || sent > 5 {
		t.Fatalf("claimed %d, sent %d, %v; want the sends of about 100 ms", claimed, sent, err)
	}
	if n := q.count(func(it *memItem) bool { return !it.done && it.attempts == 0 && !it.due.After(t0) }); n != 10-sent {
		t.Errorf("%d items given back uncounted, want %d", n, 10-sent)
	}
	ids := []int{}
	for _, it := range s.sent {
		ids = append(ids, it.id)
	}
	if !slices.IsSorted(ids) {
		t.Errorf("sent out of order: %v", ids)
	}
}

func TestSettingsValidate(t *testing.T) {
	good := DefaultSettings()
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(*Settings){
		"no batch":            func(s *Settings) { s.Batch = 0 },
		"no concurrency":      func(s *Settings) { s.Concurrency = 0 },
		"send outlives lease": func(s *Settings) { s.SendTimeout = s.Lease },
		"no attempts":         func(s *Settings) { s.Retry.Attempts = 0 },
	} {
		s := DefaultSettings()
		edit(&s)
		if s.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
