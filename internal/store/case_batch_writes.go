package store

import (
	"context"
	"database/sql"

	"github.com/onewindow/onewindow/internal/apperr"
)

// The rows a batch keeps for its end: the events, documents, ledger rows
// and latest case rows of the cases it created. Nothing in a batch reads
// them back (the batch's next change of a case starts from the case it
// kept, see liveCase), so they are written once the batch is done, many
// rows per statement: on PostgreSQL every statement is a round trip, and
// a generated case made some thirty of them.
var (
	// PostgreSQL numbers the events' feed positions itself (a sequence);
	// on SQLite the batch gives them, after the largest so far.
	batchEvents = multiRow{
		head: `INSERT INTO case_events (case_id, seq, type, actor, role, desk, at, from_state, to_state, details, prev_hash, hash, deadlines) VALUES `,
		cols: 13, max: 200,
	}
	batchEventsPositioned = multiRow{
		head: `INSERT INTO case_events (case_id, seq, type, actor, role, desk, at, from_state, to_state, details, prev_hash, hash, deadlines, position) VALUES `,
		cols: 14, max: 200,
	}
	batchDocuments = multiRow{
		head: `INSERT INTO case_documents (case_id, kind, title, event_seq, created_at, data, number) VALUES `,
		cols: 7, max: 200,
	}
	batchLedger = multiRow{
		head: `INSERT INTO case_ledger (case_id, channel, applicant_id_masked, accepted_at, decide_by,
	decided_at, delivered_at, outcome, returns, pauses, extended, late_steps) VALUES `,
		cols: 12, max: 200,
	}
)

// batchWrites holds the rows of the batch's new cases until it ends.
type batchWrites struct {
	created map[int64]bool // the cases the batch created
	events  []any          // batchEvents' values, row after row
	docs    []any          // batchDocuments' values
	ledger  map[int64][]any
	updates map[int64][]any // the case's latest updateCaseQuery arguments
	order   []int64         // the created cases, in order
}

// deferred returns the batch's writes if ctx is a batch's and the case
// was created in it, or nil: the row is then written at once.
func deferred(ctx context.Context, caseID int64) *batchWrites {
	b := bulkOf(ctx)
	if b == nil || !b.writes.created[caseID] {
		return nil
	}
	return &b.writes
}

// create marks caseID as created in the batch: its later rows wait for the
// batch's end.
func (w *batchWrites) create(caseID int64) {
	if w.created == nil {
		w.created, w.ledger, w.updates = map[int64]bool{}, map[int64][]any{}, map[int64][]any{}
	}
	w.created[caseID] = true
	w.order = append(w.order, caseID)
}

// ledgerRow keeps the case's latest ledger row, its late steps summed as
// the upsert sums them.
func (w *batchWrites) ledgerRow(caseID int64, args []any) {
	if prev, ok := w.ledger[caseID]; ok {
		args[len(args)-1] = args[len(args)-1].(int) + prev[len(prev)-1].(int)
	}
	w.ledger[caseID] = args
}

// flushBatchWrites writes what the batch kept: the events and documents
// in the order they were made, then each case's ledger row and its latest
// row.
func (s *Store) flushBatchWrites(ctx context.Context, tx *sql.Tx, w *batchWrites) error {
	if err := s.flushBatchEvents(ctx, tx, w.events); err != nil {
		return err
	}
	if err := s.execRows(ctx, tx, batchDocuments, w.docs); err != nil {
		return err
	}
	var ledger []any
	for _, id := range w.order {
		ledger = append(ledger, w.ledger[id]...)
	}
	if err := s.execRows(ctx, tx, batchLedger, ledger); err != nil {
		return err
	}
	for _, id := range w.order {
		args := w.updates[id]
		if args == nil {
			continue // created and never changed
		}
		args[9] = 1 // the version the batch inserted it with
		res, err := s.execTx(ctx, tx, updateCaseQuery, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "办件 %d 已被他人同时修改", id)
		}
	}
	return nil
}

// flushBatchEvents writes the batch's events in the order they were made,
// on SQLite with the feed positions after the largest so far (its one
// writer makes that commit order).
func (s *Store) flushBatchEvents(ctx context.Context, tx *sql.Tx, events []any) error {
	if s.dialect == Postgres || len(events) == 0 {
		return s.execRows(ctx, tx, batchEvents, events)
	}
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) FROM case_events`).Scan(&last); err != nil {
		return mapErr(err, "event positions")
	}
	before := last
	cols := batchEvents.cols
	rows := make([]any, 0, len(events)/cols*(cols+1))
	for i := 0; i < len(events); i += cols {
		last++
		rows = append(append(rows, events[i:i+cols]...), last)
	}
	if err := s.execRows(ctx, tx, batchEventsPositioned, rows); err != nil {
		return err
	}
	if skipRollups(ctx) {
		return nil
	}
	// The batch folds its cases' events itself (flushBulkRollup): the
	// log's folds need not read them, if they had read every one before.
	_, err := tx.ExecContext(ctx, `UPDATE sv_fold SET position = $1 WHERE position = $2`, last, before)
	return err
}
