package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/onewindow/onewindow/internal/supervision"
)

// The rollups' log (migration 00051). A case change used to write, in its
// own transaction, every supervision row it changed: its steps (sv_steps
// and its four indexes), holding days, moves, record and a dozen rollup
// cells: about as much work again as the change itself, for rows nobody
// reads until a supervisor opens a figure. Now the change appends ONE row
// to sv_log, in the same transaction: the case's record as the change
// leaves it (the event number it is folded to, its groupings) and the
// cells it adds to. So the change and its supervision delta still commit
// together or not at all; nothing is computed later from anything but the
// log.
//
// The log is folded into the tables in batches (foldLog): for each case the
// rows written are those from its record in sv_cases to its latest logged
// record (writeCaseRollup, as one transaction's rows on PostgreSQL were),
// so a step opened and taken within a batch is written once, taken; the
// cells of every row are summed and added once. A fold runs
//
//   - in the background, once logFoldRows rows were appended on this node
//     since its last fold began (maybeFoldLog);
//   - before every read of the supervision tables (settleLog): a figure,
//     a drill-down, the sweep's open steps, the bulletin, the rebuild's
//     comparison read what every change committed before the read, as
//     before;
//   - at the start of every batch of a rebuild, in its transaction.
//
// A change finds its case's record in its latest log row if it has one,
// else in sv_cases (loadCaseRollupQuery). A logged record is folded over
// sv_cases' only when it is newer (sv_cases.seq): a rebuild may have
// written a newer one meanwhile.
//
// On PostgreSQL the folds of several nodes take turns (an advisory lock
// held to the fold's commit), and a fold deletes the rows it read by id:
// rows of transactions still running when it read are folded next time.

// logFoldRows is how many log rows a node appends before it folds them in
// the background; readers fold whatever is there first anyway.
const logFoldRows = 256

// logFoldBatch is the most log rows one fold transaction takes.
const logFoldBatch = 4096

// foldLockKey is the PostgreSQL advisory lock the folds take turns on.
const foldLockKey = 0x73765f6c6f67 // "sv_log"

// The log's statements.
const (
	insertLogCaseQuery  = `INSERT INTO sv_log (case_id, seq, number, department, item, hall, record) VALUES ($1, $2, $3, $4, $5, $6, $7)`
	insertLogCellsQuery = `INSERT INTO sv_log (cells) VALUES ($1)`
	readLogQuery        = `SELECT id, case_id, seq, number, department, item, hall, record, cells FROM sv_log ORDER BY id LIMIT $1`
	anyLogQuery         = `SELECT id FROM sv_log LIMIT 1`
	// svFoldedQuery is a case's folded record in sv_cases, and the event
	// number it is folded to.
	svFoldedQuery = `SELECT department, item, hall, record, seq FROM sv_cases WHERE case_id = $1`
)

// logFolder triggers the background folds of a store.
type logFolder struct {
	appended atomic.Int64 // log rows appended since the last fold began
	running  atomic.Bool
	closed   atomic.Bool
	failed   atomic.Int64 // background folds that failed (their rows stay for the next)
	wg       sync.WaitGroup
}

// logCase appends the case's record as a change leaves it to the log, in
// tx (rollUp).
func (s *Store) logCase(ctx context.Context, tx *sql.Tx, caseID int64, seq int, number string, next svState, raw string) error {
	s.folder.appended.Add(1)
	return s.svExec(ctx, tx, insertLogCaseQuery, caseID, seq, number, next.dims.Department, next.dims.Item, next.dims.Hall, raw)
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
// the supervision tables, in transactions of up to logFoldBatch rows.
func (s *Store) FoldRollupLog(ctx context.Context) error {
	for range 1 << 16 { // bounded: writers may append as fast as it folds
		n := 0
		err := s.update(ctx, func(tx *sql.Tx) error {
			var err error
			n, err = s.foldLog(ctx, tx)
			return err
		})
		if err != nil {
			return err
		}
		if n < logFoldBatch {
			return nil
		}
	}
	return nil
}

// settleLog folds the log before a read of the supervision tables, so
// that the read counts every change committed before it began. Reading
// that the log is empty costs one indexed probe.
func (s *Store) settleLog(ctx context.Context) error {
	var id int64
	err := s.read.QueryRowContext(ctx, anyLogQuery).Scan(&id)
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
	id                                     int64
	caseID                                 sql.NullInt64
	seq                                    int
	number, department, item, hall, record sql.NullString
	cells                                  []byte
}

// foldLog folds up to logFoldBatch rows of the log, oldest first, in tx,
// and returns how many it folded.
func (s *Store) foldLog(ctx context.Context, tx *sql.Tx) (int, error) {
	s.folder.appended.Store(0)
	if s.dialect == Postgres {
		// One fold at a time over all nodes, to its commit: two folds of
		// one case would each write its rows from the same old record.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(foldLockKey)); err != nil {
			return 0, err
		}
	}
	rows, err := tx.QueryContext(ctx, readLogQuery, logFoldBatch)
	if err != nil {
		return 0, err
	}
	var log []logRow
	for rows.Next() {
		var r logRow
		if err := rows.Scan(&r.id, &r.caseID, &r.seq, &r.number, &r.department, &r.item, &r.hall, &r.record, &r.cells); err != nil {
			rows.Close()
			return 0, err
		}
		log = append(log, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(log) == 0 {
		return 0, err
	}
	sums := map[rollupCell]int64{}
	latest := map[int64]*logRow{} // case → its newest logged record
	var order []int64
	ids := make([]int64, 0, len(log))
	for i := range log {
		r := &log[i]
		ids = append(ids, r.id)
		if err := decodeCells(r.cells, func(c rollupCell, n int64) { sums[c] += n }); err != nil {
			return 0, err
		}
		if !r.caseID.Valid {
			continue
		}
		if prev, ok := latest[r.caseID.Int64]; !ok {
			order = append(order, r.caseID.Int64)
		} else if prev.seq > r.seq {
			continue
		}
		latest[r.caseID.Int64] = r
	}
	for _, id := range order {
		if err := s.foldLoggedCase(ctx, tx, latest[id]); err != nil {
			return 0, err
		}
	}
	if err := s.writeRollupCells(ctx, tx, sums); err != nil {
		return 0, err
	}
	if err := s.deleteLogRows(ctx, tx, ids); err != nil {
		return 0, err
	}
	return len(log), nil
}

// foldLoggedCase writes a case's rows from its record in sv_cases to the
// logged one, if that is newer.
func (s *Store) foldLoggedCase(ctx context.Context, tx *sql.Tx, r *logRow) error {
	old := svState{record: &supervision.Record{}}
	var raw string
	var seq int
	err := tx.QueryRowContext(ctx, svFoldedQuery, r.caseID.Int64).Scan(&old.dims.Department, &old.dims.Item, &old.dims.Hall, &raw, &seq)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		old.dims = supervision.Dims{Department: r.department.String, Item: r.item.String, Hall: r.hall.String}
	case err != nil:
		return err
	case seq >= r.seq:
		return nil // a rebuild folded it to this event or beyond
	default:
		if rec, ok := s.records.get(r.caseID.Int64, raw); ok {
			old.record = rec
		} else if err := old.record.DecodeJSON([]byte(raw)); err != nil {
			return err
		}
		old.saved = true
	}
	next := svState{dims: supervision.Dims{Department: r.department.String, Item: r.item.String, Hall: r.hall.String}}
	if rec, ok := s.records.get(r.caseID.Int64, r.record.String); ok {
		next.record = rec
	} else {
		next.record = &supervision.Record{}
		if err := next.record.DecodeJSON([]byte(r.record.String)); err != nil {
			return err
		}
	}
	return s.writeCaseRows(ctx, tx, r.caseID.Int64, r.seq, r.number.String, old, next, r.record.String)
}

// deleteLogRows deletes the folded rows: by id, since on PostgreSQL a row
// with a smaller id may commit after the fold read (its sequence value
// was taken earlier), and must stay for the next fold.
func (s *Store) deleteLogRows(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if s.dialect != Postgres {
		// SQLite's one writer: every row up to the last read is read.
		_, err := tx.ExecContext(ctx, `DELETE FROM sv_log WHERE id <= $1`, ids[len(ids)-1])
		return err
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
