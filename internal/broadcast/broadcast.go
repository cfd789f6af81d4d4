// Package broadcast carries the hall's calls (叫号) to the display boards:
// a publisher/subscriber hub, one set of subscribers per hall.
//
// On one node (SQLite) a publish is fanned out in process. On PostgreSQL
// every node LISTENs on one channel through a dedicated connection, and a
// publish is a NOTIFY sent in the transaction that records the event: a
// call made through any node reaches the boards connected to every node,
// its own included, in commit order.
//
// The last events of each hall are kept (in the board_events table when
// the hub has a database, in memory otherwise), so a board that lost its
// connection catches up from the id of the last event it saw.
package broadcast

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// Channel is the PostgreSQL notification channel of the boards.
const Channel = "onewindow_board"

// Kind says what happened to the ticket shown.
type Kind string

// The kinds of event a board shows.
const (
	Call   Kind = "call"    // 叫号
	Recall Kind = "recall"  // 重呼
	NoShow Kind = "no_show" // 过号
)

// Event is one call as a board shows it: no personal data but a masked
// name, when there is one.
type Event struct {
	// ID increases with every event of a hall, across nodes: a board
	// resumes after the last id it saw (SSE Last-Event-ID).
	ID         int64     `json:"id"`
	Hall       string    `json:"hall"`
	Kind       Kind      `json:"kind"`
	Ticket     string    `json:"ticket"` // the ticket number, "A001"
	Window     string    `json:"window"` // the window number, "A03"
	WindowName string    `json:"window_name,omitempty"`
	Name       string    `json:"name,omitempty"` // masked, "张*"
	At         time.Time `json:"at"`
}

// Config sets a hub up.
type Config struct {
	// DB keeps the recent events in board_events; nil keeps them in memory
	// (one node, lost on restart).
	DB *sql.DB
	// Postgres says DB is PostgreSQL; then DSN, for the LISTEN connection,
	// is required.
	Postgres bool
	DSN      string
	Channel  string // default Channel; tests use their own
	Keep     int    // events kept per hall, default 50
	Buffer   int    // events a subscriber may fall behind before it is dropped, default 64
	Log      *slog.Logger
}

// ErrClosed is returned by a hub that was closed.
var ErrClosed = errors.New("broadcast: hub closed")

// Hub fans a hall's events out to its subscribers.
type Hub struct {
	cfg Config
	log *slog.Logger

	// pubMu orders publishes on one node without PostgreSQL, so that
	// events reach subscribers in id order.
	pubMu sync.Mutex

	mu     sync.Mutex
	subs   map[string]map[*Subscription]struct{}
	closed bool
	memory map[string][]Event // the recent events without a database
	nextID int64              // the last id given without a database
	seen   map[string]int64   // the highest id delivered per hall, to catch up after a lost connection

	listening     chan struct{} // closed once the PostgreSQL listener is up
	listeningOnce sync.Once
}

// New returns a hub; with a database it creates board_events if missing.
// On PostgreSQL call Run to receive events.
func New(ctx context.Context, cfg Config) (*Hub, error) {
	if cfg.Channel == "" {
		cfg.Channel = Channel
	}
	if cfg.Keep <= 0 {
		cfg.Keep = 50
	}
	if cfg.Buffer <= 0 {
		cfg.Buffer = 64
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Postgres && (cfg.DB == nil || cfg.DSN == "") {
		return nil, errors.New("broadcast: PostgreSQL needs both DB and DSN")
	}
	h := &Hub{cfg: cfg, log: cfg.Log, subs: map[string]map[*Subscription]struct{}{},
		memory: map[string][]Event{}, seen: map[string]int64{}, listening: make(chan struct{})}
	if !cfg.Postgres {
		h.listeningOnce.Do(func() { close(h.listening) })
	}
	return h, nil
}

// Listening is closed once the hub receives events published on other
// nodes (at once without PostgreSQL).
func (h *Hub) Listening() <-chan struct{} { return h.listening }

// Run receives other nodes' events until ctx ends (PostgreSQL: LISTEN on
// a dedicated connection, reconnecting and catching up from board_events
// when it is lost). Without PostgreSQL it only waits for ctx.
func (h *Hub) Run(ctx context.Context) error {
	if !h.cfg.Postgres {
		<-ctx.Done()
		return nil
	}
	return h.listen(ctx)
}

// Close drops every subscriber, so that their streams end (a server
// shutting down), and refuses new ones.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, set := range h.subs {
		for s := range set {
			s.drop()
		}
	}
	h.subs = map[string]map[*Subscription]struct{}{}
}

// Publish records ev (its ID is set) and sends it to every subscriber of
// its hall on every node.
func (h *Hub) Publish(ctx context.Context, ev Event) (Event, error) {
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	if h.cfg.DB == nil {
		h.pubMu.Lock()
		defer h.pubMu.Unlock()
		h.mu.Lock()
		h.nextID++
		ev.ID = h.nextID
		list := append(h.memory[ev.Hall], ev)
		if len(list) > h.cfg.Keep {
			list = list[len(list)-h.cfg.Keep:]
		}
		h.memory[ev.Hall] = list
		h.mu.Unlock()
		h.deliver(ev)
		return ev, nil
	}
	if h.cfg.Postgres {
		// Delivered by the listener, this node's included, once committed.
		return h.insert(ctx, ev)
	}
	h.pubMu.Lock()
	defer h.pubMu.Unlock()
	ev, err := h.insert(ctx, ev)
	if err != nil {
		return ev, err
	}
	h.deliver(ev)
	return ev, nil
}

// deliver hands ev to the hall's subscribers without waiting: one that is
// Buffer events behind is dropped (its stream ends, the board reconnects
// and catches up from the table), so a slow board never holds up others.
func (h *Hub) deliver(ev Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ev.ID <= h.seen[ev.Hall] {
		return // caught up already after a reconnection
	}
	h.seen[ev.Hall] = ev.ID
	for s := range h.subs[ev.Hall] {
		select {
		case s.c <- ev:
		default:
			s.drop()
			delete(h.subs[ev.Hall], s)
			h.log.Warn("board subscriber too slow: dropped", "hall", ev.Hall)
		}
	}
}

// Subscription receives a hall's events on C until it is closed or dropped
// (C is then closed).
type Subscription struct {
	C    <-chan Event
	c    chan Event
	hub  *Hub
	hall string
	once sync.Once
}

func (s *Subscription) drop() { s.once.Do(func() { close(s.c) }) }

// Close ends the subscription.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	delete(s.hub.subs[s.hall], s)
	s.hub.mu.Unlock()
	s.drop()
}

// Subscribe starts receiving hall's events and returns those already
// recorded: those after the event id after when it is above 0, else the
// last recent ones. An event may be both in the list and on C; compare
// ids. The caller closes the subscription.
func (h *Hub) Subscribe(ctx context.Context, hall string, after int64, recent int) (*Subscription, []Event, error) {
	c := make(chan Event, h.cfg.Buffer)
	s := &Subscription{C: c, c: c, hub: h, hall: hall}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, nil, ErrClosed
	}
	if h.subs[hall] == nil {
		h.subs[hall] = map[*Subscription]struct{}{}
	}
	h.subs[hall][s] = struct{}{}
	h.mu.Unlock()
	// Subscribed first, read second: nothing falls between the two.
	past, err := h.Since(ctx, hall, after, recent)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, past, nil
}

// Since returns hall's recorded events after the id after, oldest first;
// with after 0 the last n of them.
func (h *Hub) Since(ctx context.Context, hall string, after int64, n int) ([]Event, error) {
	if h.cfg.DB != nil {
		return h.since(ctx, hall, after, n)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []Event
	for _, ev := range h.memory[hall] {
		if after > 0 && ev.ID > after {
			out = append(out, ev)
		}
	}
	if after <= 0 {
		list := h.memory[hall]
		out = append(out, list[max(0, len(list)-n):]...)
	}
	return out, nil
}

// Subscribers counts the subscribers of hall on this node.
func (h *Hub) Subscribers(hall string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[hall])
}
