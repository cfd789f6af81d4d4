package broadcast_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/broadcast"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// hubs returns a hub kept in memory and one on a SQLite table.
func hubs(t *testing.T, cfg broadcast.Config) map[string]*broadcast.Hub {
	t.Helper()
	out := map[string]*broadcast.Hub{}
	mem, err := broadcast.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	out["memory"] = mem
	cfg.DB = storetest.Open(t, store.SQLite, nil).DB()
	lite, err := broadcast.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	out["sqlite"] = lite
	return out
}

func call(hall, ticket string) broadcast.Event {
	return broadcast.Event{Hall: hall, Kind: broadcast.Call, Ticket: ticket, Window: "A01", At: time.Now()}
}

func receive(t *testing.T, sub *broadcast.Subscription, want string) broadcast.Event {
	t.Helper()
	select {
	case ev, ok := <-sub.C:
		if !ok {
			t.Fatalf("subscription closed, want %s", want)
		}
		if ev.Ticket != want {
			t.Fatalf("got %s, want %s", ev.Ticket, want)
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatalf("no event, want %s", want)
	}
	return broadcast.Event{}
}

func TestFanOutPerHall(t *testing.T) {
	ctx := context.Background()
	for name, h := range hubs(t, broadcast.Config{}) {
		t.Run(name, func(t *testing.T) {
			var subs []*broadcast.Subscription
			for range 3 {
				s, past, err := h.Subscribe(ctx, "H1", 0, 10)
				if err != nil || len(past) != 0 {
					t.Fatalf("subscribe: %v, %d past", err, len(past))
				}
				defer s.Close()
				subs = append(subs, s)
			}
			other, _, _ := h.Subscribe(ctx, "H2", 0, 10)
			defer other.Close()
			a, err := h.Publish(ctx, call("H1", "A001"))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := h.Publish(ctx, call("H1", "A002"))
			if a.ID <= 0 || b.ID <= a.ID {
				t.Fatalf("ids %d then %d", a.ID, b.ID)
			}
			for _, s := range subs {
				receive(t, s, "A001")
				receive(t, s, "A002")
			}
			select {
			case ev := <-other.C:
				t.Fatalf("another hall's board got %+v", ev)
			default:
			}
		})
	}
}

func TestSlowSubscriberIsDroppedNotWaitedFor(t *testing.T) {
	ctx := context.Background()
	for name, h := range hubs(t, broadcast.Config{Buffer: 4}) {
		t.Run(name, func(t *testing.T) {
			slow, _, _ := h.Subscribe(ctx, "H1", 0, 0)
			defer slow.Close()
			fast, _, _ := h.Subscribe(ctx, "H1", 0, 0)
			defer fast.Close()
			// The publisher never waits: the fast board reads each call
			// as it comes, the slow one reads nothing.
			for i := range 10 {
				if _, err := h.Publish(ctx, call("H1", fmt.Sprintf("A%03d", i))); err != nil {
					t.Fatal(err)
				}
				receive(t, fast, fmt.Sprintf("A%03d", i))
			}
			// The slow one got its buffer's worth, then its channel closed.
			n := 0
			for range slow.C {
				n++
			}
			if n != 4 {
				t.Fatalf("slow subscriber got %d events before being dropped, want 4", n)
			}
			if got := h.Subscribers("H1"); got != 1 {
				t.Fatalf("%d subscribers left, want 1", got)
			}
		})
	}
}

func TestCatchUpFromEventID(t *testing.T) {
	ctx := context.Background()
	for name, h := range hubs(t, broadcast.Config{Keep: 5}) {
		t.Run(name, func(t *testing.T) {
			var ids []int64
			for i := range 8 {
				ev, err := h.Publish(ctx, call("H1", fmt.Sprintf("A%03d", i)))
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, ev.ID)
			}
			h.Publish(ctx, call("H2", "B001"))
			s, past, err := h.Subscribe(ctx, "H1", ids[5], 0)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if len(past) != 2 || past[0].Ticket != "A006" || past[1].Ticket != "A007" {
				t.Fatalf("after %d: %+v", ids[5], past)
			}
			// A first connection gets the last n; only Keep are kept.
			last, _ := h.Since(ctx, "H1", 0, 3)
			if len(last) != 3 || last[2].Ticket != "A007" {
				t.Fatalf("last 3: %+v", last)
			}
			all, _ := h.Since(ctx, "H1", 0, 100)
			if len(all) != 5 || all[0].Ticket != "A003" {
				t.Fatalf("kept %d: %+v", len(all), all)
			}
			h.Publish(ctx, call("H1", "A008"))
			receive(t, s, "A008")
		})
	}
}

func TestCloseEndsSubscriptions(t *testing.T) {
	ctx := context.Background()
	h, _ := broadcast.New(ctx, broadcast.Config{})
	s, _, _ := h.Subscribe(ctx, "H1", 0, 0)
	h.Close()
	if _, ok := <-s.C; ok {
		t.Fatal("subscription still open after Close")
	}
	s.Close() // twice is harmless
	if _, _, err := h.Subscribe(ctx, "H1", 0, 0); err != broadcast.ErrClosed {
		t.Fatalf("subscribe on a closed hub: %v", err)
	}
}

// Two nodes on one PostgreSQL: a call published through one reaches a
// board connected to the other, and catch-up reads the shared table.
func TestPostgresAcrossNodes(t *testing.T) {
	dsn := os.Getenv(storetest.PostgresEnv)
	if dsn == "" {
		t.Skipf("%s is not set", storetest.PostgresEnv)
	}
	st := storetest.Open(t, store.Postgres, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Notifications are per database, not per schema: a channel of the
	// test's own keeps parallel tests apart.
	cfg := broadcast.Config{DB: st.DB(), Postgres: true, DSN: dsn, Channel: fmt.Sprintf("board_test_%d", time.Now().UnixNano())}
	var nodes []*broadcast.Hub
	for range 2 {
		h, err := broadcast.New(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { defer close(done); h.Run(ctx) }()
		t.Cleanup(func() { cancel(); <-done })
		select {
		case <-h.Listening():
		case <-time.After(10 * time.Second):
			t.Fatal("listener did not start")
		}
		nodes = append(nodes, h)
	}
	on2, _, err := nodes[1].Subscribe(ctx, "JC-ZWZX", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer on2.Close()
	on1, _, _ := nodes[0].Subscribe(ctx, "JC-ZWZX", 0, 10)
	defer on1.Close()
	first, err := nodes[0].Publish(ctx, call("JC-ZWZX", "A001"))
	if err != nil {
		t.Fatal(err)
	}
	got := receive(t, on2, "A001")
	if got.ID != first.ID || got.Window != "A01" {
		t.Fatalf("node 2 got %+v, published %+v", got, first)
	}
	receive(t, on1, "A001") // the publishing node hears it too, once
	nodes[1].Publish(ctx, call("JC-ZWZX", "A002"))
	receive(t, on1, "A002")
	receive(t, on2, "A002")
	past, err := nodes[1].Since(ctx, "JC-ZWZX", first.ID, 10)
	if err != nil || len(past) != 1 || past[0].Ticket != "A002" {
		t.Fatalf("catch-up after %d: %+v %v", first.ID, past, err)
	}
}
