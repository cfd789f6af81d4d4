package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
)

func keptFrom(seqs ...int) *[]loggedEvent {
	out := make([]loggedEvent, len(seqs))
	for i, n := range seqs {
		out[i] = loggedEvent{caseID: 7, event: casework.Event{Seq: n}, row: logRow{seq: sql.NullInt64{Int64: int64(n), Valid: true}}}
	}
	return &out
}

func seqsOf(events []casework.Event) []int {
	out := make([]int, len(events))
	for i, e := range events {
		out[i] = e.Seq
	}
	return out
}

// TestKeptEventsTake: a fold gets a case's kept events only when every
// event between its folded record and its last logged one is kept, and
// forgets them either way.
func TestKeptEventsTake(t *testing.T) {
	var m keptEvents
	m.keep(keptFrom(1, 2, 3))
	if got, row, ok := m.take(7, 0, 3); !ok || len(got) != 3 || got[2].Seq != 3 || row.seq.Int64 != 3 {
		t.Errorf("take(0, 3) of 1..3 = %v %v %v, want 1 2 3 with the row after 3", seqsOf(got), row, ok)
	}
	m.keep(keptFrom(4, 5))
	if got, _, ok := m.take(7, 3, 4); ok {
		t.Errorf("take(3, 4) of 4..5 = %v, want none: the row kept is the one after 5", seqsOf(got))
	}
	if got, _, ok := m.take(7, 4, 5); !ok || len(got) != 1 || got[0].Seq != 5 {
		t.Errorf("take(4, 5) = %v %v, want 5", seqsOf(got), ok)
	}
	if m.n != 0 || len(m.byCase) != 0 {
		t.Errorf("%d events kept after all were taken", m.n)
	}

	m.keep(keptFrom(7, 8)) // 6 committed first, or was folded from the database
	if got, _, ok := m.take(7, 5, 8); ok {
		t.Errorf("take(5, 8) with event 6 missing = %v, want none", seqsOf(got))
	}
	if m.n != 0 {
		t.Errorf("%d events kept after a failed take, want them forgotten", m.n)
	}

	m.keep(keptFrom(8, 9, 10))
	if got, _, ok := m.take(7, 9, 10); !ok || len(got) != 1 || got[0].Seq != 10 {
		t.Errorf("take(9, 10) after a fold from the database = %v %v, want 10", seqsOf(got), ok)
	}

	m.keep(keptFrom(12))
	m.keep(keptFrom(11)) // its hooks ran after the next change's
	if got, _, ok := m.take(7, 10, 12); ok {
		t.Errorf("take(10, 12) with 11 told late = %v, want none", seqsOf(got))
	}

	m.keep(keptFrom(1, 2))
	if _, _, ok := m.take(7, 0, 3); ok {
		t.Error("take(0, 3) with event 3 not yet told, want none")
	}

	many := make([]int, foldEventsKept)
	for i := range many {
		many[i] = i + 1
	}
	m.keep(keptFrom(many...))
	m.keep(keptFrom(foldEventsKept + 1))
	if m.n != 1 {
		t.Errorf("%d events kept past the bound, want the memory dropped and 1", m.n)
	}
}

// TestKeptEventsOnlyCommitted: a write's logged events are kept when it
// commits, never when it rolls back, with or without group commit.
func TestKeptEventsOnlyCommitted(t *testing.T) {
	for _, grouped := range []bool{false, true} {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "kept.db"), clock.At(time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		s.GroupCommit(grouped)
		ev := &casework.Event{Seq: 1}
		err = s.update(t.Context(), func(tx *sql.Tx) error {
			s.logged(tx, 1, ev, logRow{})
			return errors.New("rolled back")
		})
		if err == nil || s.kept.n != 0 {
			t.Errorf("grouped %v: a rolled-back write: %v, %d events kept, want none", grouped, err, s.kept.n)
		}
		err = s.update(t.Context(), func(tx *sql.Tx) error {
			s.logged(tx, 2, ev, logRow{})
			return nil
		})
		if got, _, ok := s.kept.take(2, 0, 1); err != nil || !ok || len(got) != 1 {
			t.Errorf("grouped %v: a committed write: %v, kept %v %v, want its event", grouped, err, got, ok)
		}
		s.Close()
	}
}
