package store

import (
	"database/sql"
	"sync"

	"github.com/onewindow/onewindow/internal/casework"
)

// The events a fold would read again. A change appends its event and its
// log row (rollup_log.go) and the fold, soon after, needs that very event
// to bring the case's supervision record up to it: reading it back from
// case_events cost a statement and a decode per case of every fold. So a
// write's logged events are kept in memory from its commit (fireHooks)
// until a fold takes them; a fold reads from the database only the cases
// whose events since their folded record are not all here: cases changed
// by another node (PostgreSQL), by a batch (supervision_bulk.go) or
// before this process started, and whatever was dropped.
//
// Only committed events are kept: a write's events wait with its other
// hooks (wake.go) and are kept only if its transaction or savepoint
// committed. Keeping is bounded: past foldEventsKept events the memory is
// dropped whole and folds read from the database until it refills.

// foldEventsKept is the most events kept for folds.
const foldEventsKept = 8192

// loggedEvent is an event of a case, as logged by a write, with the
// case's log row after it (its number, groupings and facts).
type loggedEvent struct {
	caseID int64
	event  casework.Event
	row    logRow
}

// keptCase is what is kept of a case: its events in order and its log row
// after the last.
type keptCase struct {
	events []casework.Event
	row    logRow
}

// keptEvents holds the committed events not yet folded, per case, in
// order.
type keptEvents struct {
	mu      sync.Mutex
	byCase  map[int64]*keptCase
	n       int
	pending sync.Map // *sql.Tx → *[]loggedEvent, until the transaction ends
}

// logged notes that tx logged event ev of case caseID, whose log row is
// now row.
func (s *Store) logged(tx *sql.Tx, caseID int64, ev *casework.Event, row logRow) {
	v, _ := s.kept.pending.LoadOrStore(tx, new([]loggedEvent))
	p := v.(*[]loggedEvent) // a transaction is used by one goroutine at a time
	*p = append(*p, loggedEvent{caseID: caseID, event: *ev, row: row})
}

// takeLogged forgets what tx logged so far, and returns it (takeHooks).
func (s *Store) takeLogged(tx *sql.Tx) *[]loggedEvent {
	if v, ok := s.kept.pending.LoadAndDelete(tx); ok {
		return v.(*[]loggedEvent)
	}
	return nil
}

// keep keeps committed events for the folds (fireHooks).
func (m *keptEvents) keep(events *[]loggedEvent) {
	if events == nil || len(*events) == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.byCase == nil || m.n+len(*events) > foldEventsKept {
		m.byCase, m.n = map[int64]*keptCase{}, 0
	}
	for _, e := range *events {
		k := m.byCase[e.caseID]
		if k == nil {
			k = &keptCase{}
			m.byCase[e.caseID] = k
		}
		if len(k.events) > 0 && k.events[len(k.events)-1].Seq >= e.event.Seq {
			continue // told after a later change's hooks: take finds the gap
		}
		k.events = append(k.events, e.event)
		k.row = e.row
		m.n++
	}
}

// take returns the events of case id numbered after and up to upTo, if
// every one of them is kept, with the case's log row after the last, and
// forgets the case's events up to upTo either way.
func (m *keptEvents) take(id int64, after, upTo int) ([]casework.Event, *logRow, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := m.byCase[id]
	if k == nil {
		return nil, nil, false
	}
	kept := k.events
	i := 0
	for i < len(kept) && kept[i].Seq <= after {
		i++
	}
	j := i
	for j < len(kept) && kept[j].Seq <= upTo {
		j++
	}
	out := kept[i:j]
	whole := len(out) > 0 && out[0].Seq == after+1 && out[len(out)-1].Seq == upTo &&
		len(out) == upTo-after // numbered without gaps, so none missing
	row := k.row
	whole = whole && len(out) > 0 && out[len(out)-1].Seq == kept[len(kept)-1].Seq // the row is the last's
	if j == len(kept) {
		delete(m.byCase, id)
	} else {
		k.events = kept[j:]
	}
	m.n -= j
	if !whole {
		return nil, nil, false
	}
	return out, &row, true
}
