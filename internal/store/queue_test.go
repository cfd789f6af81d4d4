package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// queueHall loads the demo district and two categories of its hall.
func queueHall(t *testing.T, st *store.Store) (a, b *queue.Category) {
	t.Helper()
	must(t, st.Load(t.Context(), demoSeed(), "test"))
	a = &queue.Category{HallCode: demo.DistrictHall, Code: "A", Name: "企业开办", Prefix: "A", Hours: queue.DefaultHours(), DailyCap: 200}
	b = &queue.Category{HallCode: demo.DistrictHall, Code: "B", Name: "不动产登记", Prefix: "B", Hours: queue.DefaultHours(), DailyCap: 200}
	must(t, st.CreateCategory(t.Context(), a))
	must(t, st.CreateCategory(t.Context(), b))
	return a, b
}

func take(t *testing.T, st *store.Store, c *queue.Category, id string, p queue.Priority, at time.Time) (*queue.Ticket, int, error) {
	t.Helper()
	tk, err := queue.NewTicket(c, id, p, at)
	if err != nil {
		t.Fatal(err)
	}
	ahead, err := st.CreateTicket(t.Context(), c, tk, "kiosk")
	return tk, ahead, err
}

func TestQueueCategories(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		a, _ := queueHall(t, st)
		dup := *a
		dup.Code = "Z"
		wantCode(t, st.CreateCategory(t.Context(), &dup), apperr.Conflict) // same prefix
		cs, err := st.Categories(t.Context(), demo.DistrictHall)
		must(t, err)
		if len(cs) != 2 || cs[0].Code != "A" || cs[0].Hours[1].End != "16:30" || cs[0].Items == nil {
			t.Fatalf("categories %+v", cs)
		}
		_, err = st.Category(t.Context(), demo.DistrictHall, "Q")
		wantCode(t, err, apperr.NotFound)
		set, err := st.QueueSettings(t.Context(), demo.DistrictHall)
		if err != nil || set != queue.DefaultSettings() {
			t.Fatalf("default settings %+v %v", set, err)
		}
		must(t, st.SetQueueSettings(t.Context(), demo.DistrictHall, queue.Settings{FairnessLimit: 2, MaxRecalls: 1}, "admin"))
		if set, _ := st.QueueSettings(t.Context(), demo.DistrictHall); set.FairnessLimit != 2 {
			t.Errorf("settings %+v", set)
		}
	})
}

func TestTicketNumbering(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		a, b := queueHall(t, st)
		// 50 kiosks at once: 50 distinct, consecutive numbers.
		const n = 50
		var wg sync.WaitGroup
		numbers := make([]string, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				tk, err := queue.NewTicket(a, "", queue.Normal, start)
				if err == nil {
					_, err = st.CreateTicket(context.Background(), a, tk, "kiosk")
				}
				numbers[i], errs[i] = tk.Number, err
			})
		}
		wg.Wait()
		for _, err := range errs {
			must(t, err)
		}
		slices.Sort(numbers)
		for i, got := range numbers {
			if want := fmt.Sprintf("A%03d", i+1); got != want {
				t.Fatalf("numbers[%d] = %s, want %s (all: %v)", i, got, want, numbers)
			}
		}
		// Another category has its own numbers.
		tb, ahead, err := take(t, st, b, "", queue.Normal, start)
		must(t, err)
		if tb.Number != "B001" || ahead != 0 {
			t.Errorf("first B ticket %s, %d ahead", tb.Number, ahead)
		}
		// 23:59 then 00:00 Shanghai: numbering restarts.
		late := time.Date(2026, 3, 9, 23, 59, 0, 0, clock.Shanghai)
		tl, _, err := take(t, st, b, "", queue.Normal, late)
		must(t, err)
		tm, ahead, err := take(t, st, b, "", queue.Normal, late.Add(time.Minute))
		must(t, err)
		if tl.Number != "B002" || tm.Number != "B001" || tm.Day.String() != "2026-03-10" || ahead != 0 {
			t.Errorf("around midnight: %s then %s on %s, %d ahead", tl.Number, tm.Number, tm.Day, ahead)
		}
	})
}

func TestTicketCapAndOneOpenPerID(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		a, _ := queueHall(t, st)
		small := &queue.Category{HallCode: demo.DistrictHall, Code: "S", Name: "小类", Prefix: "S", Hours: queue.DefaultHours(), DailyCap: 2}
		must(t, st.CreateCategory(t.Context(), small))
		for range 2 {
			_, _, err := take(t, st, small, "", queue.Normal, start)
			must(t, err)
		}
		_, _, err := take(t, st, small, "", queue.Normal, start)
		wantCode(t, err, apperr.Conflict)
		// The refused ticket used no number: the next day starts at S001
		// and the counter of today stayed at 2 (a raised cap would give S003).
		tk, _, err := take(t, st, small, "", queue.Normal, start.Add(24*time.Hour))
		must(t, err)
		if tk.Number != "S001" {
			t.Errorf("next day %s", tk.Number)
		}

		const id = "11010519491231002X"
		first, _, err := take(t, st, a, id, queue.Elderly, start)
		must(t, err)
		_, _, err = take(t, st, a, id, queue.Normal, start)
		wantCode(t, err, apperr.Conflict)
		_, _, err = take(t, st, small, id, queue.Normal, start.Add(24*time.Hour)) // another day
		must(t, err)
		// Once the first is closed, the ID may take another.
		_, err = st.UpdateTicket(t.Context(), first.ID, func(tk *queue.Ticket, set queue.Settings) (*queue.TicketEvent, error) {
			return queue.Apply(tk, queue.ActCancel, queue.Input{}, "x", set, start)
		})
		must(t, err)
		_, _, err = take(t, st, a, id, queue.Normal, start)
		must(t, err)
		got, _, err := st.Ticket(t.Context(), first.ID)
		must(t, err)
		if got.IDNumber != id || got.State != queue.Cancelled {
			t.Errorf("ticket %+v", got)
		}
		evs, err := st.TicketEvents(t.Context(), first.ID)
		must(t, err)
		if len(evs) != 2 || evs[0].Type != queue.ActIssue || evs[1].Type != queue.ActCancel {
			t.Errorf("events %+v", evs)
		}
	})
}

// open resumes a window with clerk signed in.
func open(t *testing.T, st *store.Store, number, clerk string) {
	t.Helper()
	_, _, err := st.AtWindow(t.Context(), demo.DistrictHall, number, start, func(w *queue.Window, _ *queue.Ticket, _ queue.Settings) (*queue.TicketEvent, error) {
		return nil, w.Resume(clerk)
	})
	must(t, err)
}

func TestConcurrentCallsNeverShareATicket(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		a, b := queueHall(t, st)
		const tickets = 60
		for i := range tickets {
			c, p := a, queue.Normal
			if i%2 == 1 {
				c = b
			}
			if i%5 == 0 {
				p = queue.Elderly
			}
			_, _, err := take(t, st, c, "", p, start.Add(time.Duration(i)*time.Second))
			must(t, err)
		}
		open(t, st, "A01", "c1")
		open(t, st, "A02", "c2")
		// 8 goroutines, 4 at each window, call until the queue is empty.
		var mu sync.Mutex
		calledBy := map[int64]string{}
		var wg sync.WaitGroup
		failures := make(chan error, 8)
		for g := range 8 {
			window := []string{"A01", "A02"}[g%2]
			wg.Go(func() {
				for {
					_, tk, err := st.CallNext(context.Background(), demo.DistrictHall, window, "clerk", start.Add(time.Hour),
						func(*queue.Window, *queue.Ticket) error { return nil })
					switch {
					case apperr.Is(err, apperr.NotFound):
						return
					case apperr.Is(err, apperr.Conflict):
						continue // the same window's other goroutine: try again
					case err != nil:
						failures <- err
						return
					}
					mu.Lock()
					if prev, dup := calledBy[tk.ID]; dup {
						failures <- fmt.Errorf("ticket %s called at %s and at %s", tk.Number, prev, window)
					}
					calledBy[tk.ID] = window
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		close(failures)
		for err := range failures {
			t.Error(err)
		}
		if len(calledBy) != tickets {
			t.Fatalf("%d tickets called, want %d", len(calledBy), tickets)
		}
		for id := range calledBy {
			evs, err := st.TicketEvents(t.Context(), id)
			must(t, err)
			if len(evs) != 2 || evs[1].Type != queue.ActCall || evs[1].Window != calledBy[id] {
				t.Fatalf("ticket %d events %+v", id, evs)
			}
		}
	})
}

func TestCallNextFollowsPolicyAndCategories(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		a, b := queueHall(t, st)
		must(t, st.SetQueueSettings(t.Context(), demo.DistrictHall, queue.Settings{FairnessLimit: 2, MaxRecalls: 2}, "admin"))
		at := func(m int) time.Time { return start.Add(time.Duration(m) * time.Minute) }
		n1, _, _ := take(t, st, a, "", queue.Normal, at(0))
		p1, _, _ := take(t, st, a, "", queue.Elderly, at(1))
		p2, _, _ := take(t, st, a, "", queue.Disability, at(2))
		p3, ahead, _ := take(t, st, a, "", queue.ServiceMember, at(3))
		if ahead != 2 {
			t.Errorf("priority ticket has %d ahead, want 2", ahead)
		}
		bt, _, _ := take(t, st, b, "", queue.Normal, at(0))
		if _, ahead, _ := st.Ticket(t.Context(), n1.ID); ahead != 3 {
			t.Errorf("normal ticket has %d ahead, want 3 (every priority)", ahead)
		}
		_, err := st.SetWindowCategories(t.Context(), demo.DistrictHall, "A01", []string{"A"})
		must(t, err)
		_, err = st.SetWindowCategories(t.Context(), demo.DistrictHall, "A01", []string{"NOPE"})
		wantField(t, err, "categories[0]")
		open(t, st, "A01", "c1")
		var order []string
		for {
			_, tk, err := st.CallNext(t.Context(), demo.DistrictHall, "A01", "c1", at(10), func(*queue.Window, *queue.Ticket) error { return nil })
			if apperr.Is(err, apperr.NotFound) {
				break
			}
			must(t, err)
			order = append(order, tk.Number)
		}
		want := []string{p1.Number, p2.Number, n1.Number, p3.Number} // K=2, then the older normal
		if !slices.Equal(order, want) {
			t.Errorf("order %v, want %v (B ticket %s must not be called at A01)", order, want, bt.Number)
		}
		if counts, err := st.WaitingCounts(t.Context(), demo.DistrictHall, bt.Day); err != nil || len(counts) != 2 || counts[0].Waiting != 0 || counts[1].Waiting != 1 {
			t.Errorf("waiting counts %+v %v", counts, err)
		}
	})
}
