package store

import (
	"database/sql"
	"sync"
)

// Outbox names an outbox table a transaction can leave work in, so that
// its dispatcher can be woken as soon as the transaction commits instead
// of at its next tick.
type Outbox string

// The outboxes a commit can wake.
const (
	NotificationOutbox Outbox = "notifications"
	WebhookOutbox      Outbox = "webhooks"
	// EventFeed is woken by every commit that appended a case event: the
	// feed's long polls on this node answer at once.
	EventFeed Outbox = "events"
)

// wakers are the functions to call after a commit that left work in an
// outbox, and the transactions that have left work so far.
type wakers struct {
	mu      sync.RWMutex
	on      map[Outbox][]func()
	pending sync.Map // *sql.Tx → map[Outbox]bool, until the transaction ends
}

// OnEnqueued registers wake to be called, on this node, after every commit
// that left work in o. wake must not block (a nudge on a buffered
// channel); other nodes find the work at their next tick.
func (s *Store) OnEnqueued(o Outbox, wake func()) {
	s.wakers.mu.Lock()
	defer s.wakers.mu.Unlock()
	if s.wakers.on == nil {
		s.wakers.on = map[Outbox][]func(){}
	}
	s.wakers.on[o] = append(s.wakers.on[o], wake)
}

// enqueued notes that tx left work in o.
func (s *Store) enqueued(tx *sql.Tx, o Outbox) {
	v, _ := s.wakers.pending.LoadOrStore(tx, map[Outbox]bool{})
	v.(map[Outbox]bool)[o] = true // a transaction is used by one goroutine at a time
}

// ended forgets tx and, if it committed, wakes the dispatchers of the
// outboxes it left work in and tells the hooks its events.
func (s *Store) ended(tx *sql.Tx, committed bool) {
	h := s.takeHooks(tx)
	if committed {
		s.fireHooks(h)
	}
}

// commitHooks is what a write tells after its commit: the outboxes it
// left work in and the case events it appended.
type commitHooks struct {
	wakes  map[Outbox]bool
	events *[]string
	logged *[]loggedEvent // kept for the folds: fold_events.go
}

// takeHooks forgets what tx's write so far would tell, and returns it.
// Under group commit each write of a group takes its own at its end
// (group_commit.go).
func (s *Store) takeHooks(tx *sql.Tx) commitHooks {
	h := commitHooks{logged: s.takeLogged(tx)}
	if v, ok := s.events.pending.LoadAndDelete(tx); ok {
		h.events = v.(*[]string)
	}
	if v, ok := s.wakers.pending.LoadAndDelete(tx); ok {
		h.wakes = v.(map[Outbox]bool)
	}
	return h
}

// fireHooks tells h, after the commit that covers its write.
func (s *Store) fireHooks(h commitHooks) {
	s.eventsCommitted(h.events)
	s.kept.keep(h.logged)
	if h.wakes == nil {
		return
	}
	s.wakers.mu.RLock()
	defer s.wakers.mu.RUnlock()
	for o := range h.wakes {
		for _, wake := range s.wakers.on[o] {
			wake()
		}
	}
}
