package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/supervision"
)

// bulkRollup holds the events of the cases a batch created, for their
// rollups to be folded once at the end of the batch instead of at every
// change. The result is the same: the fold of a case's events is the same
// whether done event by event or at once, and the counts a batch writes
// are the sums of what each case would have written.
type bulkRollup struct {
	order []int64
	cases map[int64]*bulkCase
	// live holds each case the batch changed as its last change left it,
	// with the end of its event chain: the batch's next change of it
	// starts from there instead of reading and opening the sealed row.
	live map[string]*liveCase
	// writes holds the rows of the cases the batch created until it ends.
	writes batchWrites
}

// liveCase is a case as the batch's last change of it left it.
type liveCase struct {
	c    *casework.Case
	last casework.Event // seq and hash
}

// bulkOf returns the batch of ctx, or nil outside one.
func bulkOf(ctx context.Context) *bulkRollup {
	b, _ := ctx.Value(bulkKey{}).(*bulkRollup)
	return b
}

// bulkCase is a case of the batch: its latest state and its events.
type bulkCase struct {
	c      *casework.Case
	events []casework.Event
}

type bulkKey struct{}

// liveCase returns the batch's case number as its last change left it, or
// nil (outside a batch, or a case the batch has not changed yet).
func (b *bulkRollup) liveCase(number string) *liveCase {
	if b == nil {
		return nil
	}
	return b.live[number]
}

// forget drops what the batch remembers of case number.
func (b *bulkRollup) forget(number string) {
	if b != nil {
		delete(b.live, number)
	}
}

// keep remembers c as the change ending with ev left it. The batch's
// transaction is all or nothing, so a change that fails mid-way leaves
// nothing to keep: the batch fails with it.
func (b *bulkRollup) keep(c *casework.Case, ev *casework.Event) {
	if b == nil {
		return
	}
	b.live[c.Number] = &liveCase{c: c, last: casework.Event{Seq: ev.Seq, Hash: ev.Hash}}
}

// deferRollup keeps ev for the end of the batch if ctx is a batch's and
// the case was created in it (a case from before the batch has counts
// already, and is counted change by change). It reports whether it did.
func deferRollup(ctx context.Context, c *casework.Case, ev *casework.Event) bool {
	bulk := bulkOf(ctx)
	if bulk == nil {
		return false
	}
	bc := bulk.cases[c.ID]
	if bc == nil {
		if ev.Seq != 1 {
			return false
		}
		bc = &bulkCase{}
		bulk.cases[c.ID] = bc
		bulk.order = append(bulk.order, c.ID)
	}
	cc := *c // the facts and groupings the fold reads: its latest ones
	bc.c = &cc
	bc.events = append(bc.events, *ev)
	return true
}

// flushBulkRollup folds each deferred case's events and writes its steps,
// holding time and record, and the rollup counts of all of them summed.
func (s *Store) flushBulkRollup(ctx context.Context, tx *sql.Tx, bulk *bulkRollup) error {
	if len(bulk.order) == 0 {
		return nil
	}
	env, err := s.foldEnvironment(ctx)
	if err != nil {
		return err
	}
	var adds []dimEntry
	for _, id := range bulk.order {
		bc := bulk.cases[id]
		next := svState{dims: caseDims(bc.c), record: &supervision.Record{}}
		facts := caseFacts(bc.c)
		for i := range bc.events {
			next.record.Fold(&bc.events[i], facts, env)
		}
		for _, e := range supervision.Diff(nil, next.record.Entries()) {
			adds = append(adds, dimEntry{next.dims, e})
		}
		old := svState{dims: next.dims, record: &supervision.Record{}}
		if err := s.writeSteps(ctx, tx, id, bc.c.Number, old, next); err != nil {
			return err
		}
		if err := s.writeHold(ctx, tx, id, bc.c.Number, old, next); err != nil {
			return err
		}
		if err := s.writeMoves(ctx, tx, id, bc.c.Number, old, next); err != nil {
			return err
		}
		rec, err := json.Marshal(next.record)
		if err != nil {
			return err
		}
		if _, err := s.execTx(ctx, tx, svSaveCaseQuery, id, bc.c.Number, next.dims.Department, next.dims.Item, next.dims.Hall,
			supervision.Day(next.record.Intake), next.record.IntakeBy, string(rec), bc.events[len(bc.events)-1].Seq); err != nil {
			return err
		}
	}
	return s.addRollup(ctx, tx, adds)
}
