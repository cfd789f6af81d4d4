package store

import (
	"database/sql"
	"sync"
)

// committedEvents holds the hooks told of the case events each commit
// appended (the metrics count transitions by action there: after the
// commit, so a rolled-back step is never counted), and the events of the
// transactions under way.
type committedEvents struct {
	mu      sync.RWMutex
	on      []func(types []string)
	pending sync.Map // *sql.Tx → *[]string, until the transaction ends
}

// OnCommittedEvents registers fn to be called, on this node, after every
// commit that appended case events, with their types in order. fn must
// not block.
func (s *Store) OnCommittedEvents(fn func(types []string)) {
	s.events.mu.Lock()
	defer s.events.mu.Unlock()
	s.events.on = append(s.events.on, fn)
}

// appended notes that tx appended a case event of type t.
func (s *Store) appended(tx *sql.Tx, t string) {
	s.events.mu.RLock()
	none := len(s.events.on) == 0
	s.events.mu.RUnlock()
	if none {
		return
	}
	v, _ := s.events.pending.LoadOrStore(tx, new([]string))
	p := v.(*[]string) // a transaction is used by one goroutine at a time
	*p = append(*p, t)
}

// eventsCommitted tells the hooks the committed events of one write.
func (s *Store) eventsCommitted(types *[]string) {
	if types == nil {
		return
	}
	s.events.mu.RLock()
	defer s.events.mu.RUnlock()
	for _, fn := range s.events.on {
		fn(*types)
	}
}
