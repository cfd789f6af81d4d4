package service_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/outbox"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// countingSender counts what it is asked to send, by body; it can fail
// every send, wait before answering, or run a hook before each send.
type countingSender struct {
	mu     sync.Mutex
	sent   map[string]int
	total  int
	fail   error
	delay  time.Duration
	before func(n int) // called with the send's number (1 for the first)
}

func newCountingSender() *countingSender { return &countingSender{sent: map[string]int{}} }

func (c *countingSender) Send(ctx context.Context, m notify.Message) error {
	c.mu.Lock()
	c.total++
	c.sent[m.Body]++
	n, hook, fail := c.total, c.before, c.fail
	c.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	if c.delay > 0 {
		time.Sleep(c.delay)
	}
	return fail
}

func (c *countingSender) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// noticeHall is the demo district with a counting sender, its notices
// settings as given.
type noticeHall struct {
	st     *store.Store
	clk    *clock.Manual
	svc    *service.Service
	sender *countingSender
	intake context.Context
}

func newNoticeHall(t *testing.T, st *store.Store, clk *clock.Manual, settings outbox.Settings) *noticeHall {
	t.Helper()
	cfg := service.DefaultConfig()
	cfg.Notifications = settings
	svc := service.New(st, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	creds, err := svc.LoadDemo(service.AsSystem(context.Background()), demo.Load())
	if err != nil {
		t.Fatal(err)
	}
	h := &noticeHall{st: st, clk: clk, svc: svc, sender: newCountingSender()}
	svc.Use(nil, h.sender)
	for _, c := range creds {
		if c.Username == "shouli" {
			u, err := svc.Login(context.Background(), c.Username, c.Password)
			if err != nil {
				t.Fatal(err)
			}
			h.intake = service.WithUser(context.Background(), u)
		}
	}
	return h
}

// takeIn takes a case in at the window for an applicant with a phone: its
// receipt notice goes to the outbox.
func (h *noticeHall) takeIn(t *testing.T) string {
	t.Helper()
	it, err := h.svc.Item(context.Background(), "SCJG-XK-002", 0)
	if err != nil {
		t.Fatal(err)
	}
	in := benchIntake
	in.Materials = nil
	for _, m := range it.Materials {
		if m.Required {
			in.Materials = append(in.Materials, casework.MaterialInput{Code: m.Code, Status: casework.Provided})
		}
	}
	v, err := h.svc.Intake(h.intake, in)
	if err != nil {
		t.Fatalf("intake: %v", err)
	}
	return v.Case.Number
}

// notice returns the one notification of a case.
func (h *noticeHall) notice(t *testing.T, number string) applicant.Notification {
	t.Helper()
	ns, err := h.st.CaseNotifications(context.Background(), number)
	if err != nil || len(ns) != 1 {
		t.Fatalf("notifications of %s: %v %+v", number, err, ns)
	}
	return ns[0]
}

// TestNotificationsReadOnlyDatabaseSendsNothing: while the database cannot
// be written no notice goes out, however often the dispatcher looks (the
// old dispatcher sent the same notice every round, since it could not
// record the send); once writable, each goes out once.
func TestNotificationsReadOnlyDatabaseSendsNothing(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		h := newNoticeHall(t, st, clk, outbox.DefaultSettings())
		var numbers []string
		for range 3 {
			numbers = append(numbers, h.takeIn(t))
		}
		writable := storetest.ReadOnly(t, st)
		for round := range 5 {
			n, err := h.svc.DispatchNotifications(context.Background())
			if err == nil || n != 0 {
				t.Errorf("round %d on a read-only database: %d sent, err %v; want nothing sent and an error", round, n, err)
			}
			clk.Advance(time.Hour) // long past any lease or back-off
		}
		if got := h.sender.count(); got != 0 {
			t.Fatalf("%d sends while the database was read-only, want 0", got)
		}
		writable()
		if n, err := h.svc.DispatchNotifications(context.Background()); err != nil || n != 3 {
			t.Fatalf("once writable: %d sent, %v; want 3", n, err)
		}
		if n, err := h.svc.DispatchNotifications(context.Background()); err != nil || n != 0 {
			t.Fatalf("again: %d sent, %v; want 0", n, err)
		}
		for body, n := range h.sender.sent {
			if n != 1 {
				t.Errorf("sent %d times: %s", n, body)
			}
		}
		for _, number := range numbers {
			if n := h.notice(t, number); n.SentAt.IsZero() || n.Attempts != 1 {
				t.Errorf("notice of %s: sent at %v after %d attempts", number, n.SentAt, n.Attempts)
			}
		}
	})
}

// TestNotificationsUnrecordedSendIsRetriedOnceAfterTheLease: the database
// turns read-only between a send and its record. The attempt was counted
// before the send, so nothing goes out while it stays so, nor while the
// claim's lease runs once it is writable again; then the notice goes out
// once more (at least once, never without its attempt counted).
func TestNotificationsUnrecordedSendIsRetriedOnceAfterTheLease(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		settings := outbox.DefaultSettings()
		h := newNoticeHall(t, st, clk, settings)
		number := h.takeIn(t)
		var writable func()
		h.sender.before = func(n int) {
			if n == 1 {
				writable = storetest.ReadOnly(t, st)
			}
		}
		if n, err := h.svc.DispatchNotifications(context.Background()); err == nil || n != 1 {
			t.Fatalf("first round: %d sent, %v; want 1 sent and the report refused", n, err)
		}
		for range 3 {
			h.svc.DispatchNotifications(context.Background())
			clk.Advance(time.Minute)
		}
		writable()
		clk.Set(start.Add(settings.Lease / 2))
		if n, err := h.svc.DispatchNotifications(context.Background()); err != nil || n != 0 || h.sender.count() != 1 {
			t.Fatalf("within the lease: %d sent, %v, %d sends in all; want nothing more", n, err, h.sender.count())
		}
		if n := h.notice(t, number); n.Attempts != 1 || !n.SentAt.IsZero() {
			t.Fatalf("after the lost record: %+v", n)
		}
		clk.Set(start.Add(settings.Lease + time.Second))
		if n, err := h.svc.DispatchNotifications(context.Background()); err != nil || n != 1 {
			t.Fatalf("after the lease: %d sent, %v; want 1", n, err)
		}
		if n := h.notice(t, number); n.Attempts != 2 || n.SentAt.IsZero() {
			t.Errorf("after the retry: %d attempts, sent at %v", n.Attempts, n.SentAt)
		}
		if h.sender.count() != 2 {
			t.Errorf("%d sends in all, want 2", h.sender.count())
		}
	})
}

// TestNotificationsBackOffThenFail: a failing send is tried again only
// after a growing, jittered delay, and after the last attempt the notice
// is closed as failed with its error; a message the sender refuses as
// undeliverable fails at once.
func TestNotificationsBackOffThenFail(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		settings := outbox.DefaultSettings()
		settings.Retry = outbox.Retry{Attempts: 4, Base: 10 * time.Second, Max: 30 * time.Second}
		h := newNoticeHall(t, st, clk, settings)
		number := h.takeIn(t)
		h.sender.fail = apperr.New(apperr.Internal, "邮件服务器无响应")
		nominal := []time.Duration{10 * time.Second, 20 * time.Second, 30 * time.Second}
		for attempt := 1; attempt <= 4; attempt++ {
			if _, err := h.svc.DispatchNotifications(context.Background()); err != nil {
				t.Fatal(err)
			}
			if h.sender.count() != attempt {
				t.Fatalf("attempt %d: %d sends", attempt, h.sender.count())
			}
			n := h.notice(t, number)
			if n.Attempts != attempt || !strings.Contains(n.LastError, "邮件服务器无响应") || !n.SentAt.IsZero() {
				t.Fatalf("after attempt %d: %+v", attempt, n)
			}
			if attempt == 4 {
				if n.FailedAt.IsZero() {
					t.Fatalf("not failed after the last attempt: %+v", n)
				}
				break
			}
			wait := n.NextAttemptAt.Sub(clk.Now())
			if d := nominal[attempt-1]; wait < d/2 || wait > d {
				t.Errorf("after attempt %d the wait is %s, want between %s and %s", attempt, wait, d/2, d)
			}
			// Not before its time.
			clk.Advance(wait - time.Second)
			if n, _ := h.svc.DispatchNotifications(context.Background()); n != 0 || h.sender.count() != attempt {
				t.Fatalf("tried again %s early", time.Second)
			}
			clk.Advance(time.Second)
		}
		clk.Advance(24 * time.Hour)
		h.svc.DispatchNotifications(context.Background())
		if h.sender.count() != 4 {
			t.Errorf("%d sends after failing for good, want 4", h.sender.count())
		}
		backlog, err := st.NotificationBacklog(context.Background(), clk.Now())
		if err != nil || backlog.Pending != 0 || backlog.Failed != 1 {
			t.Errorf("backlog %+v, %v; want 1 failed, none pending", backlog, err)
		}

		// Undeliverable as given: one attempt.
		other := h.takeIn(t)
		h.sender.fail = apperr.New(apperr.Invalid, "收件人地址无效")
		h.svc.DispatchNotifications(context.Background())
		clk.Advance(24 * time.Hour)
		h.svc.DispatchNotifications(context.Background())
		if n := h.notice(t, other); n.Attempts != 1 || n.FailedAt.IsZero() || !strings.Contains(n.LastError, "收件人地址无效") {
			t.Errorf("undeliverable notice: %+v", n)
		}
	})
}

// TestNotificationsTwoDispatchersNeverSendTwice: two nodes' dispatchers
// on one database, in small batches at once, send every notice exactly
// once (PostgreSQL: disjoint claims by FOR UPDATE SKIP LOCKED; SQLite: the
// single writer serialises them).
func TestNotificationsTwoDispatchersNeverSendTwice(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		settings := outbox.DefaultSettings()
		settings.Batch, settings.Concurrency = 20, 4
		a := newNoticeHall(t, st, clk, settings)
		cfg := service.DefaultConfig()
		cfg.Notifications = settings
		b := service.New(st, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
		b.Use(nil, a.sender) // one sender: it sees every node's sends
		a.sender.delay = 200 * time.Microsecond
		const total = 600
		insertNotices(t, st, clk.Now(), total)

		var wg sync.WaitGroup
		for _, svc := range []*service.Service{a.svc, b, a.svc, b} {
			wg.Go(func() {
				for {
					n, err := svc.DispatchNotifications(context.Background())
					if err != nil {
						t.Errorf("dispatch: %v", err)
						return
					}
					if n == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		if a.sender.count() != total || len(a.sender.sent) != total {
			t.Errorf("%d sends of %d notices, want %d of %d", a.sender.count(), len(a.sender.sent), total, total)
		}
		for body, n := range a.sender.sent {
			if n != 1 {
				t.Errorf("sent %d times: %s", n, body)
			}
		}
		backlog, err := st.NotificationBacklog(context.Background(), clk.Now())
		if err != nil || backlog.Pending != 0 {
			t.Errorf("backlog %+v, %v", backlog, err)
		}
	})
}

// TestNotificationsSentWhenQueued: a running dispatcher is woken by the
// commit that queues a notice, long before its tick, and stops when told.
func TestNotificationsSentWhenQueued(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		settings := outbox.DefaultSettings()
		settings.Interval = time.Hour
		h := newNoticeHall(t, st, clk, settings)
		ctx, cancel := context.WithCancel(service.AsSystem(context.Background()))
		stopped := make(chan struct{})
		go func() {
			defer close(stopped)
			h.svc.RunJobs(ctx, time.Hour)
		}()
		defer func() {
			cancel()
			select {
			case <-stopped:
			case <-time.After(5 * time.Second):
				t.Error("the jobs did not stop within 5 s")
			}
		}()
		time.Sleep(100 * time.Millisecond) // the first round finds nothing
		number := h.takeIn(t)
		deadline := time.Now().Add(3 * time.Second)
		for h.sender.count() == 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if h.sender.count() != 1 {
			t.Fatalf("%d sends 3 s after the notice was queued (the tick is an hour away)", h.sender.count())
		}
		for time.Now().Before(deadline) && h.notice(t, number).SentAt.IsZero() {
			time.Sleep(10 * time.Millisecond)
		}
		if h.notice(t, number).SentAt.IsZero() {
			t.Error("the send was not recorded")
		}
	})
}

// insertNotices writes n notifications straight into the outbox, each with
// its own body.
func insertNotices(tb testing.TB, st *store.Store, at time.Time, n int) {
	tb.Helper()
	stamp := at.UTC().Format("2006-01-02T15:04:05.000000Z")
	for from := 0; from < n; from += 500 {
		var b strings.Builder
		var args []any
		b.WriteString(`INSERT INTO notifications (recipient, subject, body, created_at, next_attempt_at) VALUES `)
		for i := from; i < min(n, from+500); i++ {
			if i > from {
				b.WriteByte(',')
			}
			k := len(args)
			fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d)", k+1, k+2, k+3, k+4, k+5)
			args = append(args, fmt.Sprintf("139%08d", i%1000), "已收件", fmt.Sprintf("通知 %d", i), stamp, stamp)
		}
		if _, err := st.DB().Exec(b.String(), args...); err != nil {
			tb.Fatal(err)
		}
	}
}
