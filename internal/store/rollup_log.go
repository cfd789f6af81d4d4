package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/supervision"
)

// The rollups' log (migration 00051). A case change used to fold its event
// into the case's supervision record and write, in its own transaction,
// every supervision row that changed: its steps (sv_steps and its four
// indexes), holding days, moves, record and a dozen rollup cells — about a
// fifth of the change's whole cost, for rows nobody reads until a
// supervisor opens a figure. The figures are derived from the event
// record, and the event commits with the change; so now the change only
// appends one small row to sv_log in the same transaction: the case, its
// last event's number, its groupings and the facts folding needs. Nothing
// is lost and nothing is counted twice: what the rollups count of a case
// is its events up to sv_cases.seq.
//
// The log is folded into sv_cases, sv_steps, sv_hold, sv_moves and
// sv_rollup in batches (foldLog): for each case named in the batch, its
// record in sv_cases is read (or the record cache's, record_cache.go), the
// events after its seq are folded in (foldCase), and the rows and cells
// that changed are written (writeCaseRows, rollupAdds): a step opened and
// taken within one batch is written once, taken; the cells of every case
// are summed and added once. A fold runs
//
//   - in the background, once logFoldRows rows were appended on this node
//     since its last fold began (maybeFoldLog);
//   - before every read of the supervision tables (settleLog): a figure,
//     a drill-down, the sweep's open steps, the bulletin, the rebuild's
//     comparison read what every change committed before the read, as
//     before (TestSupervisionReadersSettleTheLog checks every reader);
//   - at the start of every batch of a rebuild, in its transaction.
//
// The case page's record (CaseRecord) folds the events after sv_cases.seq
// as it reads, without writing. Rows without a case carry cells only: the
// ratings', a group's or transaction's (rollup_flush.go).
//
// On SQLite (migration 00052) the event record is the log of the case
// changes: its one writer gives every event a position in commit order
// (the event feed's, migration 00038), so a change writes no row to sv_log
// and a fold reads the positions, cases and numbers of the events after
// sv_fold.position, the last one folded, and moves it. A batch that
// counts its new cases itself (supervision_bulk.go) moves the position
// past their events when nothing was waiting before them. A fold takes a
// case's groupings and facts, like its events, from memory
// (fold_events.go), or else from the case. sv_log still carries the rows
// without a case, and rows written before the migration.
//
// On PostgreSQL the folds of several nodes take turns (an advisory lock
// held to the fold's commit), and a fold deletes the rows it read by id:
// rows of transactions still running when it read are folded next time
// (a case's events committed meanwhile may be folded already: its later
// row then finds nothing after sv_cases.seq).

// logFoldRows is how many changes a node logs before it folds them in
// the background; readers fold whatever is there first anyway.
const logFoldRows = 256

// logFoldBatch is the most log rows, and on SQLite the most events, one
// fold transaction takes.
const logFoldBatch = 4096

// foldLockKey is the PostgreSQL advisory lock the folds take turns on.
const foldLockKey = 0x73765f6c6f67 // "sv_log"

// The log's statements.
const (
	insertLogCaseQuery = `INSERT INTO sv_log (case_id, seq, number, department, item, hall, instant, promised_days, pickup_hall)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	insertLogCellsQuery = `INSERT INTO sv_log (cells) VALUES ($1)`
	readLogQuery        = `SELECT id, case_id, seq, number, department, item, hall, instant, promised_days, pickup_hall, cells
		FROM sv_log ORDER BY id LIMIT $1`
	anyLogQuery       = `SELECT id FROM sv_log LIMIT 1`
	anyLogQuerySQLite = `SELECT id FROM sv_log UNION ALL
		SELECT position FROM case_events WHERE position > (SELECT position FROM sv_fold) LIMIT 1`
	// eventsToFoldQuery is, on SQLite, the events committed after those
	// folded, in commit order.
	eventsToFoldQuery = `SELECT position, case_id, seq FROM case_events
		WHERE position > (SELECT position FROM sv_fold) ORDER BY position LIMIT $1`
	foldedPositionQuery = `UPDATE sv_fold SET position = $1`

	// svFoldedQuery is a case's folded record in sv_cases, and the number
	// of the last event folded into it.
	svFoldedQuery = `SELECT department, item, hall, record, seq FROM sv_cases WHERE case_id = $1`
)

// logFolder triggers the background folds of a store.
type logFolder struct {
	appended atomic.Int64 // changes logged (and cells rows appended) since the last fold began
	running  atomic.Bool
	closed   atomic.Bool
	failed   atomic.Int64 // background folds that failed (their rows stay for the next)
	unkept   atomic.Int64 // cases whose events folds read from the database (fold_events.go)
	wg       sync.WaitGroup
}

// logCase logs case c, changed by event ev, in tx (rollUp): on
// PostgreSQL as a row of sv_log; on SQLite the event is the log entry
// itself (its position, see "On SQLite" above). Either way ev is kept for
// the fold once tx commits (fold_events.go).
func (s *Store) logCase(ctx context.Context, tx *sql.Tx, c *casework.Case, ev *casework.Event) error {
	s.folder.appended.Add(1)
	row := caseLogRow(c, ev.Seq)
	if s.dialect == Postgres {
		if err := s.svExec(ctx, tx, insertLogCaseQuery, c.ID, ev.Seq, row.number.String, row.department.String, row.item.String,
			row.hall.String, row.instant.Bool, row.promisedDays.Int64, row.pickupHall.String); err != nil {
			return err
		}
	}
	s.logged(tx, c.ID, ev, row)
	return nil
}

// caseLogRow returns case c's log row after its event seq: its number,
// groupings and facts.
func caseLogRow(c *casework.Case, seq int) logRow {
	d, f := caseDims(c), caseFacts(c)
	return logRow{
		caseID: sql.NullInt64{Int64: c.ID, Valid: true}, seq: sql.NullInt64{Int64: int64(seq), Valid: true},
		number: sql.NullString{String: c.Number, Valid: true}, department: sql.NullString{String: d.Department, Valid: true},
		item: sql.NullString{String: d.Item, Valid: true}, hall: sql.NullString{String: d.Hall, Valid: true},
		instant: sql.NullBool{Bool: f.Instant, Valid: true}, promisedDays: sql.NullInt64{Int64: int64(f.PromisedDays), Valid: true},
		pickupHall: sql.NullString{String: f.PickupHall, Valid: true},
	}
}

// logCells appends cells to the log, in tx: a transaction's or a group's
// merged cells, written last (rollup_flush.go).
func (s *Store) logCells(ctx context.Context, tx *sql.Tx, cells map[rollupCell]int64) error {
	b := encodeCells(cells)
	if b == nil {
		return nil
	}
	s.folder.appended.Add(1)
	return s.svExec(ctx, tx, insertLogCellsQuery, b)
}

// maybeFoldLog starts a background fold when enough rows were appended
// since the last one began and none is running. Called after a commit.
func (s *Store) maybeFoldLog() {
	f := &s.folder
	if f.appended.Load() < logFoldRows || f.closed.Load() || !f.running.CompareAndSwap(false, true) {
		return
	}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		defer f.running.Store(false)
		if f.closed.Load() {
			return
		}
		if err := s.FoldRollupLog(context.Background()); err != nil {
			f.failed.Add(1) // the rows stay in the log: the next fold or read takes them
		}
	}()
}

// stopFolding waits for a background fold and starts no more (Close).
func (s *Store) stopFolding() {
	s.folder.closed.Store(true)
	s.folder.wg.Wait()
}

// FoldRollupLog folds every row of the rollups' log committed so far into
// the supervision tables, in transactions of up to logFoldBatch rows
// (pipelined on PostgreSQL: pg_batch.go).
func (s *Store) FoldRollupLog(ctx context.Context) error {
	ctx = pipelined(ctx)
	for range 1 << 16 { // bounded: writers may append as fast as it folds
		more := false
		// Alone under group commit: a fold grouped after other writes
		// would find their events not yet kept (fold_events.go).
		err := s.updateAlone(ctx, func(tx *sql.Tx) error {
			var err error
			more, err = s.foldLog(ctx, tx)
			return err
		})
		if err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
	return nil
}

// settleLog folds the log before a read of the supervision tables, so
// that the read counts every change committed before it began. Reading
// that the log is empty costs one indexed probe.
//
// A read-only store (a SQLite file opened with mode=ro) cannot fold: it
// reads the tables as the last fold left them.
func (s *Store) settleLog(ctx context.Context) error {
	if s.readOnly {
		return nil
	}
	q := anyLogQuery
	if s.dialect != Postgres {
		q = anyLogQuerySQLite
	}
	var id int64
	err := s.read.QueryRowContext(ctx, q).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return mapErr(err, "supervision log")
	}
	return mapErr(s.FoldRollupLog(ctx), "supervision log")
}

// logRow is one row of the log as a fold reads it.
type logRow struct {
	id                             int64
	caseID, seq                    sql.NullInt64
	number, department, item, hall sql.NullString
	instant                        sql.NullBool
	promisedDays                   sql.NullInt64
	pickupHall                     sql.NullString
	cells                          []byte
}

func (r *logRow) dims() supervision.Dims {
	return supervision.Dims{Department: r.department.String, Item: r.item.String, Hall: r.hall.String}
}

func (r *logRow) facts() supervision.Facts {
	return supervision.Facts{Instant: r.instant.Bool, PromisedDays: int(r.promisedDays.Int64), PickupHall: r.pickupHall.String}
}

// foldLog folds, in tx, up to logFoldBatch rows of the log and, on
// SQLite, up to logFoldBatch events after those folded, oldest first. It
// says whether there may be more.
func (s *Store) foldLog(ctx context.Context, tx *sql.Tx) (bool, error) {
	s.folder.appended.Store(0)
	if s.dialect == Postgres {
		// One fold at a time over all nodes, to its commit: two folds of
		// one case would each write its rows from the same old record.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(foldLockKey)); err != nil {
			return false, err
		}
	}
	log, err := readLog(ctx, tx)
	if err != nil {
		return false, err
	}
	var changed []changedCase
	if s.dialect != Postgres {
		if changed, err = eventsToFold(ctx, tx); err != nil {
			return false, err
		}
	}
	if len(log) == 0 && len(changed) == 0 {
		return false, nil
	}
	env, err := s.foldEnvironment(ctx)
	if err != nil {
		return false, err
	}
	sums := map[rollupCell]int64{}
	latest := map[int64]*logRow{} // case → its newest row: its groupings and facts now
	upTo := map[int64]int{}       // case → its last event logged
	var order []int64
	note := func(id int64, seq int) {
		if _, ok := upTo[id]; !ok {
			order = append(order, id)
		}
		upTo[id] = max(upTo[id], seq)
	}
	for i := range log {
		r := &log[i]
		if err := decodeCells(r.cells, func(c rollupCell, n int64) { sums[c] += n }); err != nil {
			return false, err
		}
		if r.caseID.Valid {
			note(r.caseID.Int64, int(r.seq.Int64))
			latest[r.caseID.Int64] = r
		}
	}
	for _, c := range changed {
		note(c.id, c.seq)
		delete(latest, c.id) // its row now comes with its events
	}
	folded, err := s.foldedRecords(ctx, tx, order)
	if err != nil {
		return false, err
	}
	// The events kept in memory since their commit, or else read.
	events := make(map[int64][]casework.Event, len(order))
	var unkept []int64
	for _, id := range order {
		after := 0
		if f := folded[id]; f != nil {
			after = f.seq
		}
		if upTo[id] <= after {
			s.kept.take(id, after, after) // folded already: forget its kept events
			continue
		}
		if evs, row, ok := s.kept.take(id, after, upTo[id]); ok {
			events[id] = evs
			if latest[id] == nil {
				latest[id] = row
			}
		} else {
			unkept = append(unkept, id)
		}
	}
	s.folder.unkept.Add(int64(len(unkept)))
	if err := s.eventsAfter(ctx, tx, unkept, folded, events); err != nil {
		return false, err
	}
	for _, id := range unkept {
		if latest[id] != nil || len(events[id]) == 0 {
			continue
		}
		row, err := loadLogRow(ctx, tx, `c.id = $1`, id) // SQLite: a change not kept
		if err != nil {
			return false, err
		}
		latest[id] = row
	}
	// On PostgreSQL a fold's transaction is pipelined (FoldRollupLog, and a
	// rebuild's batches): its writes wait in the connection's queue and go
	// with the COMMIT, one round trip, each a statement the server has
	// prepared. (Combined into one statement, as before, a fold's few hundred
	// statements were parsed and planned afresh every time: three times
	// slower.)
	for _, id := range order {
		if err := s.foldLoggedCase(ctx, tx, id, latest[id], folded[id], events[id], env, sums); err != nil {
			return false, err
		}
	}
	if err := s.writeRollupCells(ctx, tx, sums); err != nil {
		return false, err
	}
	if len(log) > 0 {
		if err := s.deleteLogRows(ctx, tx, log); err != nil {
			return false, err
		}
	}
	if len(changed) > 0 {
		if _, err := tx.ExecContext(ctx, foldedPositionQuery, changed[len(changed)-1].position); err != nil {
			return false, err
		}
	}
	return len(log) == logFoldBatch || len(changed) == logFoldBatch, nil
}

// readLog reads up to logFoldBatch rows of the log, oldest first.
func readLog(ctx context.Context, tx *sql.Tx) ([]logRow, error) {
	rows, err := tx.QueryContext(ctx, readLogQuery, logFoldBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var log []logRow
	for rows.Next() {
		var r logRow
		if err := rows.Scan(&r.id, &r.caseID, &r.seq, &r.number, &r.department, &r.item, &r.hall,
			&r.instant, &r.promisedDays, &r.pickupHall, &r.cells); err != nil {
			return nil, err
		}
		log = append(log, r)
	}
	return log, rows.Err()
}

// changedCase is an event to fold, on SQLite: its position, case and
// number.
type changedCase struct {
	position, id int64
	seq          int
}

// eventsToFold reads up to logFoldBatch events committed after those
// folded (SQLite), in commit order.
func eventsToFold(ctx context.Context, tx *sql.Tx) ([]changedCase, error) {
	rows, err := tx.QueryContext(ctx, eventsToFoldQuery, logFoldBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []changedCase
	for rows.Next() {
		var c changedCase
		if err := rows.Scan(&c.position, &c.id, &c.seq); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// caseRowQuery is a case's log row as it is now, from the case's plain
// columns and its item version: a fold and the case page need no data key
// for it (caseLogRow says the same from the case itself).
const caseRowQuery = `SELECT c.id, c.last_seq, c.number, d.code, i.code, c.hall_code, c.kind = 'instant', i.promised_days,
	COALESCE(NULLIF(c.pickup_hall, ''), c.hall_code)
	FROM cases c JOIN items i ON i.id = c.item_id JOIN departments d ON d.id = c.department_id`

// loadLogRow returns the log row of case id as it is now (SQLite: a
// change whose event was not kept).
func loadLogRow(ctx context.Context, q rowQueryer, where string, arg any) (*logRow, error) {
	r := &logRow{}
	err := q.QueryRowContext(ctx, caseRowQuery+` WHERE `+where, arg).Scan(&r.caseID, &r.seq, &r.number,
		&r.department, &r.item, &r.hall, &r.instant, &r.promisedDays, &r.pickupHall)
	return r, err
}

// rowQueryer is a transaction or a pool.
type rowQueryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// foldedRow is a case's row in sv_cases as a fold reads it.
type foldedRow struct {
	dims supervision.Dims
	raw  string
	seq  int
}

// idChunk is the most cases one statement of a fold names.
const idChunk = 500

// placeholders returns "$1, $2, … $n".
func placeholders(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(i + 1))
	}
	return b.String()
}

// idArgs returns ids as statement arguments.
func idArgs(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// foldedRecords reads the sv_cases rows of the cases ids: a statement per
// idChunk cases (on PostgreSQL a round trip each, not one per case).
func (s *Store) foldedRecords(ctx context.Context, tx *sql.Tx, ids []int64) (map[int64]*foldedRow, error) {
	out := make(map[int64]*foldedRow, len(ids))
	for chunk := range slices.Chunk(ids, idChunk) {
		rows, err := tx.QueryContext(ctx, `SELECT case_id, department, item, hall, record, seq FROM sv_cases
			WHERE case_id IN (`+placeholders(len(chunk))+`)`, idArgs(chunk)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			f := &foldedRow{}
			if err := rows.Scan(&id, &f.dims.Department, &f.dims.Item, &f.dims.Hall, &f.raw, &f.seq); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = f
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// eventsAfter reads into out the events of the cases ids after the one
// each is folded to, in order.
func (s *Store) eventsAfter(ctx context.Context, tx *sql.Tx, ids []int64, folded map[int64]*foldedRow, out map[int64][]casework.Event) error {
	for chunk := range slices.Chunk(ids, idChunk) {
		rows, err := tx.QueryContext(ctx, `SELECT seq, type, actor, role, desk, at, from_state, to_state, details, prev_hash, hash, case_id
			FROM case_events WHERE case_id IN (`+placeholders(len(chunk))+`) ORDER BY case_id, seq`, idArgs(chunk)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			e, err := scanEvent(rows, &id)
			if err != nil {
				rows.Close()
				return err
			}
			if f := folded[id]; f == nil || e.Seq > f.seq {
				out[id] = append(out[id], e)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// foldLoggedCase folds the case's events after its record in sv_cases (f,
// nil if it has none), writes its rows that changed and adds its cells to
// sums.
func (s *Store) foldLoggedCase(ctx context.Context, tx *sql.Tx, id int64, r *logRow, f *foldedRow, events []casework.Event,
	env supervision.Env, sums map[rollupCell]int64) error {
	if len(events) == 0 {
		return nil // nothing after what is folded
	}
	old := svState{dims: r.dims(), record: &supervision.Record{}}
	if f != nil {
		old.dims = f.dims
		if rec, ok := s.records.get(id, f.raw); ok {
			old.record = rec // as this node's last fold wrote it
		} else if err := old.record.DecodeJSON([]byte(f.raw)); err != nil {
			return err
		}
		old.saved = true
	}
	next := svState{dims: r.dims(), record: old.record.Clone()} // old stays as counted
	facts := r.facts()
	for i := range events {
		next.record.Fold(&events[i], facts, env)
	}
	addCells(sums, rollupAdds(old, next))
	return s.writeCaseRows(ctx, tx, id, events[len(events)-1].Seq, r.number.String, old, next, "")
}

// deleteLogRows deletes the folded rows: by id, since on PostgreSQL a row
// with a smaller id may commit after the fold read (its sequence value
// was taken earlier), and must stay for the next fold.
func (s *Store) deleteLogRows(ctx context.Context, tx *sql.Tx, log []logRow) error {
	if s.dialect != Postgres {
		// SQLite's one writer: every row up to the last read is read.
		_, err := tx.ExecContext(ctx, `DELETE FROM sv_log WHERE id <= $1`, log[len(log)-1].id)
		return err
	}
	ids := make([]int64, len(log))
	for i := range log {
		ids[i] = log[i].id
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM sv_log WHERE id = ANY($1)`, ids)
	return err
}

// Cells are encoded as a sequence of cells, each a byte saying which of
// its six names differ from the cell before it, those names (length, then
// bytes) and its count (zig-zag varint): cells are written in order, so
// most share their dimension, grain, day and department with the one
// before.

// encodeCells returns the non-zero cells of sums, encoded; nil if none.
func encodeCells(sums map[rollupCell]int64) []byte {
	cells := make([]rollupCell, 0, len(sums))
	for c, n := range sums {
		if n != 0 {
			cells = append(cells, c)
		}
	}
	if len(cells) == 0 {
		return nil
	}
	sortCells(cells)
	b := make([]byte, 0, 24*len(cells))
	var prev [6]string
	for i, c := range cells {
		f := c.fields()
		var mask byte
		for j := range f {
			if i == 0 || f[j] != prev[j] {
				mask |= 1 << j
			}
		}
		b = append(b, mask)
		for j := range f {
			if mask&(1<<j) != 0 {
				b = binary.AppendUvarint(b, uint64(len(f[j])))
				b = append(b, f[j]...)
			}
		}
		b = binary.AppendVarint(b, sums[c])
		prev = f
	}
	return b
}

var errBadCells = errors.New("supervision log: cells cannot be decoded")

// decodeCells calls each for every cell of b.
func decodeCells(b []byte, each func(rollupCell, int64)) error {
	var f [6]string
	for len(b) > 0 {
		mask := b[0]
		b = b[1:]
		if mask >= 1<<6 {
			return errBadCells
		}
		for j := range f {
			if mask&(1<<j) == 0 {
				continue
			}
			l, n := binary.Uvarint(b)
			if n <= 0 || uint64(len(b)-n) < l {
				return errBadCells
			}
			f[j] = string(b[n : n+int(l)])
			b = b[n+int(l):]
		}
		v, n := binary.Varint(b)
		if n <= 0 {
			return errBadCells
		}
		b = b[n:]
		each(rollupCell{f[0], f[1], f[2], f[3], f[4], f[5]}, v)
	}
	return nil
}
