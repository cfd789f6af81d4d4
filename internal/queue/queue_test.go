package queue_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/queue"
)

var base = time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Shanghai) // a Monday

// tk is a waiting ticket named name, queued m minutes after base.
func tk(name string, p queue.Priority, m int) *queue.Ticket {
	at := base.Add(time.Duration(m) * time.Minute)
	return &queue.Ticket{Number: name, Priority: p, State: queue.Waiting, IssuedAt: at, QueuedAt: at, Day: calendar.DateOf(at)}
}

// drain calls every ticket by the policy, as one window would, and returns
// the numbers in calling order.
func drain(ts []*queue.Ticket, limit int) []string {
	waiting := slices.Clone(ts)
	var out []string
	streak := 0
	for len(waiting) > 0 {
		var pri, nor *queue.Ticket
		for _, t := range waiting {
			head := &nor
			if t.Priority.IsPriority() {
				head = &pri
			}
			if *head == nil || queue.Ahead(t, *head) {
				*head = t
			}
		}
		var next *queue.Ticket
		next, streak = queue.Pick(pri, nor, streak, limit)
		out = append(out, next.Number)
		waiting = slices.DeleteFunc(waiting, func(t *queue.Ticket) bool { return t == next })
	}
	return out
}

func TestPolicyOrder(t *testing.T) {
	N, E, D, A, S := queue.Normal, queue.Elderly, queue.Disability, queue.Appointment, queue.ServiceMember
	tests := []struct {
		name  string
		ts    []*queue.Ticket
		limit int
		want  string
	}{
		{"normals by time", []*queue.Ticket{tk("A002", N, 2), tk("A001", N, 1), tk("A003", N, 3)}, 3, "A001 A002 A003"},
		{"priority first", []*queue.Ticket{tk("A001", N, 1), tk("Y001", E, 5)}, 3, "Y001 A001"},
		{"priority classes rank equally by time", []*queue.Ticket{tk("Y002", S, 4), tk("Y001", D, 3), tk("Y003", A, 2)}, 3, "Y003 Y001 Y002"},
		{"fairness after K=3: older normal goes",
			[]*queue.Ticket{tk("A001", N, 0), tk("Y001", E, 1), tk("Y002", E, 2), tk("Y003", E, 3), tk("Y004", E, 4), tk("Y005", E, 5)}, 3,
			"Y001 Y002 Y003 A001 Y004 Y005"},
		{"fairness K=1 alternates while normals are older",
			[]*queue.Ticket{tk("A001", N, 0), tk("A002", N, 0), tk("Y001", E, 1), tk("Y002", E, 2)}, 1,
			"Y001 A001 Y002 A002"},
		{"a younger normal does not jump a priority after K",
			[]*queue.Ticket{tk("Y001", E, 0), tk("Y002", E, 1), tk("Y003", E, 2), tk("Y004", E, 3), tk("A001", N, 4)}, 3,
			"Y001 Y002 Y003 Y004 A001"},
		{"streak resets after the normal call",
			[]*queue.Ticket{tk("A001", N, 0), tk("A002", N, 0), tk("Y001", E, 1), tk("Y002", E, 2), tk("Y003", E, 3), tk("Y004", E, 4),
				tk("Y005", E, 5), tk("Y006", E, 6), tk("Y007", E, 7)}, 3,
			"Y001 Y002 Y003 A001 Y004 Y005 Y006 A002 Y007"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(drain(tc.ts, tc.limit), " "); got != tc.want {
				t.Errorf("order %s, want %s", got, tc.want)
			}
		})
	}
}

func TestPickStreak(t *testing.T) {
	p, n := tk("Y001", queue.Elderly, 5), tk("A001", queue.Normal, 1)
	tests := []struct {
		pri, nor  *queue.Ticket
		streak    int
		want      *queue.Ticket
		newStreak int
	}{
		{nil, nil, 2, nil, 2},
		{nil, n, 2, n, 0},
		{p, nil, 7, p, 8},
		{p, n, 2, p, 3},
		{p, n, 3, n, 0},
		{p, tk("A009", queue.Normal, 5), 3, p, 4}, // equal times: the priority ticket
	}
	for i, tc := range tests {
		got, s := queue.Pick(tc.pri, tc.nor, tc.streak, 3)
		if got != tc.want || s != tc.newStreak {
			t.Errorf("%d: got %v streak %d, want %v streak %d", i, got, s, tc.want, tc.newStreak)
		}
	}
}

func apply(t *testing.T, tkt *queue.Ticket, a queue.Action, in queue.Input, at time.Time) *queue.TicketEvent {
	t.Helper()
	ev, err := queue.Apply(tkt, a, in, "clerk", queue.DefaultSettings(), at)
	if err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	return ev
}

func TestTransferKeepsIssueTime(t *testing.T) {
	old := tk("A001", queue.Normal, 0)
	apply(t, old, queue.ActCall, queue.Input{Window: "A01"}, base.Add(10*time.Minute))
	apply(t, old, queue.ActStart, queue.Input{Window: "A01"}, base.Add(11*time.Minute))
	ev := apply(t, old, queue.ActTransfer, queue.Input{Window: "A01", ToCategory: "B"}, base.Add(20*time.Minute))
	if old.State != queue.Waiting || old.Category != "B" || !old.QueuedAt.Equal(base) || old.Window != "" {
		t.Fatalf("after transfer: %+v", old)
	}
	if !strings.Contains(string(ev.Details), `"to_category":"B"`) {
		t.Errorf("details %s", ev.Details)
	}
	// At the new category it goes before a normal ticket taken after it
	// but before the transfer.
	later := tk("B001", queue.Normal, 5)
	if got := drain([]*queue.Ticket{later, old}, 3); strings.Join(got, " ") != "A001 B001" {
		t.Errorf("order %v", got)
	}
	// To a named window: only that window may call it.
	apply(t, old, queue.ActCall, queue.Input{Window: "B01"}, base.Add(30*time.Minute))
	apply(t, old, queue.ActTransfer, queue.Input{Window: "B01", ToWindow: "C01"}, base.Add(31*time.Minute))
	if old.TargetWindow != "C01" || old.Category != "B" {
		t.Errorf("after transfer to window: %+v", old)
	}
	if _, err := queue.Apply(old, queue.ActTransfer, queue.Input{}, "x", queue.DefaultSettings(), base); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("transfer of a waiting ticket: %v", err)
	}
}

func TestRequeueOnceAtBackOfClass(t *testing.T) {
	late := tk("A001", queue.Normal, 0)
	apply(t, late, queue.ActCall, queue.Input{Window: "A01"}, base.Add(time.Minute))
	apply(t, late, queue.ActRecall, queue.Input{Window: "A01"}, base.Add(2*time.Minute))
	apply(t, late, queue.ActRecall, queue.Input{Window: "A01"}, base.Add(3*time.Minute))
	if _, err := queue.Apply(late, queue.ActRecall, queue.Input{Window: "A01"}, "x", queue.DefaultSettings(), base); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("third recall: %v", err)
	}
	if _, err := queue.Apply(late, queue.ActNoShow, queue.Input{Window: "A01", Reason: "bored"}, "x", queue.DefaultSettings(), base); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("no-show with an unknown reason: %v", err)
	}
	apply(t, late, queue.ActNoShow, queue.Input{Window: "A01", Reason: queue.ReasonAbsent}, base.Add(4*time.Minute))
	apply(t, late, queue.ActRequeue, queue.Input{}, base.Add(30*time.Minute))
	if late.State != queue.Waiting || !late.QueuedAt.Equal(base.Add(30*time.Minute)) || !late.IssuedAt.Equal(base) {
		t.Fatalf("after requeue: %+v", late)
	}
	// Back of its class: behind a normal ticket taken at 09:10, still ahead
	// of none of the priority ones.
	order := drain([]*queue.Ticket{late, tk("A002", queue.Normal, 10), tk("Y001", queue.Elderly, 40)}, 3)
	if strings.Join(order, " ") != "Y001 A002 A001" {
		t.Errorf("order %v", order)
	}
	apply(t, late, queue.ActCall, queue.Input{Window: "A01"}, base.Add(31*time.Minute))
	apply(t, late, queue.ActNoShow, queue.Input{Window: "A01", Reason: queue.ReasonLeft}, base.Add(32*time.Minute))
	_, err := queue.Apply(late, queue.ActRequeue, queue.Input{}, "x", queue.DefaultSettings(), base.Add(40*time.Minute))
	if !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), "重新排队过一次") {
		t.Errorf("second requeue: %v", err)
	}
	// A requeue the next day is refused: the number has lapsed.
	other := tk("A003", queue.Normal, 0)
	other.State = queue.NoShow
	if _, err := queue.Apply(other, queue.ActRequeue, queue.Input{}, "x", queue.DefaultSettings(), base.Add(24*time.Hour)); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("requeue next day: %v", err)
	}
}

func TestTransitionTable(t *testing.T) {
	tests := []struct {
		from queue.State
		act  queue.Action
		ok   bool
	}{
		{queue.Waiting, queue.ActCall, true},
		{queue.Called, queue.ActCall, false},
		{queue.Waiting, queue.ActStart, false},
		{queue.Called, queue.ActStart, true},
		{queue.Serving, queue.ActFinish, true},
		{queue.Called, queue.ActFinish, false},
		{queue.Done, queue.ActTransfer, false},
		{queue.Done, queue.ActLinkCase, true},
		{queue.Waiting, queue.ActLinkCase, false},
		{queue.Cancelled, queue.ActRequeue, false},
		{queue.Waiting, queue.ActCancel, true},
		{queue.Done, queue.ActCancel, false},
	}
	for _, tc := range tests {
		tkt := tk("A001", queue.Normal, 0)
		tkt.State, tkt.Window = tc.from, "A01"
		_, err := queue.Apply(tkt, tc.act, queue.Input{Window: "A01", CaseNumber: "x"}, "x", queue.DefaultSettings(), base)
		if (err == nil) != tc.ok {
			t.Errorf("%s from %s: %v", tc.act, tc.from, err)
		}
		if err != nil {
			if !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), tc.from.Label()) {
				t.Errorf("%s from %s: want a conflict naming the state, got %v", tc.act, tc.from, err)
			}
			if tkt.State != tc.from || tkt.Version != 0 {
				t.Errorf("a refused action changed the ticket: %+v", tkt)
			}
		}
	}
}

func TestNumbering(t *testing.T) {
	if got := queue.Number("A", 1); got != "A001" {
		t.Errorf("Number = %s", got)
	}
	if got := queue.Number("BK", 999); got != "BK999" {
		t.Errorf("Number = %s", got)
	}
	before := time.Date(2026, 3, 2, 23, 59, 59, 0, clock.Shanghai)
	after := before.Add(time.Second)
	if a, b := queue.CounterName("H", "A", before), queue.CounterName("H", "A", after); a == b || a != "ticket:H:A:20260302" || b != "ticket:H:A:20260303" {
		t.Errorf("counters %s, %s", a, b)
	}
	// The day is Shanghai's: 16:00 UTC is midnight in Shanghai.
	if got := queue.CounterName("H", "A", time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC)); got != "ticket:H:A:20260303" {
		t.Errorf("counter at 16:00 UTC = %s", got)
	}
	if queue.CounterName("H", "A", before) == queue.CounterName("H", "B", before) {
		t.Error("categories share a counter")
	}
	c := &queue.Category{Name: "企业开办", DailyCap: 2}
	if c.CheckCap(2) != nil || !apperr.Is(c.CheckCap(3), apperr.Conflict) {
		t.Error("cap of 2 not enforced at the third ticket")
	}
}

func category() *queue.Category {
	return &queue.Category{HallCode: "JC-ZWZX", Code: "A", Name: "企业开办", Prefix: "A", Items: []string{"SCJG-001"},
		Hours: queue.DefaultHours(), DailyCap: 200}
}

func TestIssuingHours(t *testing.T) {
	cal := calendar.New(calendar.Published(2026, 2026), calendar.DefaultSettings())
	c := category()
	tests := []struct {
		at   time.Time
		ok   bool
		want string
	}{
		{time.Date(2026, 2, 14, 9, 0, 0, 0, clock.Shanghai), true, ""},               // 春节调休 working Saturday
		{time.Date(2026, 2, 14, 8, 59, 0, 0, clock.Shanghai), false, "取号时段"},         // before opening
		{time.Date(2026, 2, 14, 11, 30, 0, 0, clock.Shanghai), false, "09:00–11:30"}, // end is exclusive
		{time.Date(2026, 2, 14, 13, 30, 0, 0, clock.Shanghai), true, ""},             // afternoon
		{time.Date(2026, 2, 14, 16, 29, 59, 0, clock.Shanghai), true, ""},            // last second
		{time.Date(2026, 2, 17, 10, 0, 0, 0, clock.Shanghai), false, "不是工作日"},        // 春节 holiday, a Tuesday
		{time.Date(2026, 2, 21, 10, 0, 0, 0, clock.Shanghai), false, "不是工作日"},        // an ordinary Saturday
		{time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC), true, ""},                     // 09:30 in Shanghai
		{time.Date(2026, 3, 2, 3, 45, 0, 0, time.UTC), false, "13:30–16:30"},         // 11:45 in Shanghai
	}
	for _, tc := range tests {
		err := c.CheckIssuing(cal, tc.at)
		if (err == nil) != tc.ok || (err != nil && !strings.Contains(apperr.MessageOf(err), tc.want)) {
			t.Errorf("%s: %v", tc.at, err)
		}
	}
	if err := c.CheckIssuing(cal, time.Date(2026, 2, 17, 10, 0, 0, 0, clock.Shanghai)); !strings.Contains(apperr.MessageOf(err), "春节") {
		t.Errorf("holiday message does not name it: %v", err)
	}
}

func TestCategoryValidate(t *testing.T) {
	if err := category().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []func(c *queue.Category){
		func(c *queue.Category) { c.Prefix = "a" },
		func(c *queue.Category) { c.Prefix = "ABC" },
		func(c *queue.Category) { c.DailyCap = 0 },
		func(c *queue.Category) { c.DailyCap = 1000 },
		func(c *queue.Category) { c.Hours = nil },
		func(c *queue.Category) { c.Hours = []queue.Span{{Start: "9:00", End: "11:00"}} },
		func(c *queue.Category) { c.Hours = []queue.Span{{Start: "11:00", End: "10:00"}} },
		func(c *queue.Category) {
			c.Hours = []queue.Span{{Start: "13:00", End: "14:00"}, {Start: "09:00", End: "10:00"}}
		},
		func(c *queue.Category) { c.Name = " " },
		func(c *queue.Category) { c.Items = []string{"X", "X"} },
	}
	for i, f := range bad {
		c := category()
		f(c)
		if err := c.Validate(); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%d: %+v accepted", i, c)
		}
	}
}

func TestNewTicket(t *testing.T) {
	c := category()
	tkt, err := queue.NewTicket(c, " 11010519491231002x ", "", base)
	if err != nil {
		t.Fatal(err)
	}
	tkt.Mask()
	if tkt.Priority != queue.Normal || tkt.IDNumber != "11010519491231002X" || tkt.IDMasked != "110105********002X" || tkt.State != queue.Waiting {
		t.Errorf("ticket %+v", tkt)
	}
	if _, err := queue.NewTicket(c, "110105194912310021", "", base); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("bad check digit accepted: %v", err)
	}
	if _, err := queue.NewTicket(c, "", "vip", base); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("unknown priority accepted: %v", err)
	}
}

func TestWindowClerk(t *testing.T) {
	w := &queue.Window{Number: "A01"}
	if err := w.CheckClerk("shouli"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("a paused window let a clerk act: %v", err)
	}
	if err := w.Resume("shouli"); err != nil || !w.Open || w.Clerk != "shouli" {
		t.Fatalf("resume: %v %+v", err, w)
	}
	if err := w.CheckClerk("other"); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("another clerk acted: %v", err)
	}
	if err := w.Resume("other"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("took over an open window: %v", err)
	}
	if err := w.Pause("shouli"); err != nil || w.Open {
		t.Fatalf("pause: %v", err)
	}
	if err := w.Resume("other"); err != nil || w.Clerk != "other" {
		t.Errorf("take over a paused window: %v", err)
	}
	w.Categories = []string{"A"}
	if !w.Serves("A") || w.Serves("B") || !(&queue.Window{}).Serves("B") {
		t.Error("Serves")
	}
}
