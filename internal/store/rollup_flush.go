package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// The supervision rollups are counts that every change of a day and a
// department adds to: the same few sv_rollup rows for every intake of the
// day. On PostgreSQL the row a transaction has upserted stays locked until
// it commits, so a transaction that wrote its rollup cells first and its
// case afterwards made every other change of the day wait for all of its
// round trips and its commit.
//
// So a transaction run by update collects its cells and writes them last,
// just before it commits, merged (two steps of one flow add to one cell
// once), in one global order (concurrent transactions lock the cells in
// the same order and never deadlock) and, on PostgreSQL, in one statement:
// a cell is locked for one round trip and the commit.

// Even written last, a cell stays locked through the commit's flush to
// disk, and every intake of the day adds to the same cells: so on
// PostgreSQL each transaction adds to one of rollupShards rows of each
// cell, picked at random (migration 44), and readers sum the shards.
// Concurrent changes then rarely meet on a row. SQLite's one writer has
// no one to wait for and writes shard 0.
const rollupShards = 16

// rollupShard picks the shard a transaction adds to.
func (s *Store) rollupShard() int {
	if s.dialect != Postgres {
		return 0
	}
	return rand.IntN(rollupShards)
}

// rollupBatch is the most cells one statement upserts (8 parameters each;
// PostgreSQL takes 65,535).
const rollupBatch = 500

// pendingRollups is what a transaction run by update collects for its
// end: the rollup cells it adds to.
type pendingRollups struct {
	cells map[rollupCell]int64
}

// deferRollups starts collecting tx's rollup cells until flushRollups.
func (s *Store) deferRollups(tx *sql.Tx) {
	s.rollups.Store(tx, &pendingRollups{cells: map[rollupCell]int64{}})
}

// pendingRollup returns the cells tx collects, if update runs it.
func (s *Store) pendingRollup(tx *sql.Tx) (map[rollupCell]int64, bool) {
	v, ok := s.rollups.Load(tx)
	if !ok {
		return nil, false
	}
	return v.(*pendingRollups).cells, true // a transaction is used by one goroutine at a time
}

// takeRollupCells stops collecting tx's rollups and returns its cells
// (SQLite's group commit merges them over a group).
func (s *Store) takeRollupCells(tx *sql.Tx) map[rollupCell]int64 {
	v, ok := s.rollups.LoadAndDelete(tx)
	if !ok {
		return nil
	}
	return v.(*pendingRollups).cells
}

// flushRollups logs the cells tx collected (rollup_log.go), as the last
// statement of tx, and stops collecting.
func (s *Store) flushRollups(ctx context.Context, tx *sql.Tx) error {
	v, ok := s.rollups.LoadAndDelete(tx)
	if !ok {
		return nil
	}
	return s.logCells(ctx, tx, v.(*pendingRollups).cells)
}

// forgetRollups stops collecting tx's rollups (it rolled back).
func (s *Store) forgetRollups(tx *sql.Tx) { s.rollups.Delete(tx) }

// svOp is one statement of the rollups, collected to be sent with others.
type svOp struct {
	query string // PostgreSQL placeholders, $1 on
	args  []any
}

type svCollectKey struct{}

// svExec runs a statement of the rollups in tx, or collects it when ctx
// collects them (flushRollups).
func (s *Store) svExec(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	if ops, ok := ctx.Value(svCollectKey{}).(*[]svOp); ok {
		*ops = append(*ops, svOp{query, args})
		return nil
	}
	_, err := s.execTx(ctx, tx, query, args...)
	return err
}

// svExecRows is execRows, collected as svExec is.
func (s *Store) svExecRows(ctx context.Context, tx *sql.Tx, m multiRow, args []any) error {
	ops, ok := ctx.Value(svCollectKey{}).(*[]svOp)
	if !ok {
		return s.execRows(ctx, tx, m, args)
	}
	for len(args) > 0 {
		n := min(len(args)/m.cols, m.max)
		*ops = append(*ops, svOp{s.multiRowQuery(m, n), args[:n*m.cols]})
		args = args[n*m.cols:]
	}
	return nil
}

// opsParams is the most parameters one combined statement carries
// (PostgreSQL takes 65,535).
const opsParams = 30000

// execOps sends ops (PostgreSQL) in as few statements as opsParams
// allows, each one statement whose ops but the last are data-modifying
// WITH clauses: PostgreSQL runs every one of them, in one round trip.
// No two ops touch one row (a case's rows are written once, from the
// state before the transaction to the one after; cells are merged), as
// the parts of one statement do not see each other's changes. The
// statements' texts vary with the transaction's shape, so they are sent
// unprepared (pgx's exec mode: one round trip, no statement cached).
func (s *Store) execOps(ctx context.Context, tx *sql.Tx, ops []svOp) error {
	for len(ops) > 0 {
		n, params := 0, 0
		for n < len(ops) && (n == 0 || params+len(ops[n].args) <= opsParams) {
			params += len(ops[n].args)
			n++
		}
		q, args := combineOps(ops[:n])
		if _, err := tx.ExecContext(ctx, q, append([]any{pgx.QueryExecModeExec}, args...)...); err != nil {
			return err
		}
		ops = ops[n:]
	}
	return nil
}

// combineOps returns ops as one statement and its arguments, each op's
// placeholders moved past the ones before it.
func combineOps(ops []svOp) (string, []any) {
	if len(ops) == 1 {
		return ops[0].query, ops[0].args
	}
	var b strings.Builder
	var args []any
	b.WriteString("WITH ")
	for i, op := range ops {
		if i == len(ops)-1 {
			b.WriteByte(' ')
		} else {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "w%d AS (", i)
		}
		shiftPlaceholders(&b, op.query, len(args))
		if i < len(ops)-1 {
			b.WriteByte(')')
		}
		args = append(args, op.args...)
	}
	return b.String(), args
}

// shiftPlaceholders writes q to b with each $n written as $(n+by). The
// rollups' statements have no $ but in placeholders.
func shiftPlaceholders(b *strings.Builder, q string, by int) {
	for i := 0; i < len(q); i++ {
		if q[i] != '$' || i+1 >= len(q) || q[i+1] < '0' || q[i+1] > '9' {
			b.WriteByte(q[i])
			continue
		}
		j := i + 1
		for j < len(q) && q[j] >= '0' && q[j] <= '9' {
			j++
		}
		n, _ := strconv.Atoi(q[i+1 : j])
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n + by))
		i = j - 1
	}
}

// writeRollupCells adds sums to sv_rollup in tx, in the cells' global
// order: on SQLite in prepared statements of up to 64 cells (shard 0), on
// PostgreSQL one statement per rollupBatch cells, all in the
// transaction's shard.
func (s *Store) writeRollupCells(ctx context.Context, tx *sql.Tx, sums map[rollupCell]int64) error {
	cells := make([]rollupCell, 0, len(sums))
	for c, n := range sums {
		if n != 0 {
			cells = append(cells, c)
		}
	}
	sortCells(cells)
	if s.dialect != Postgres {
		args := make([]any, 0, len(cells)*svAdd.cols)
		for _, c := range cells {
			args = append(args, c.dim, c.grain, c.day, c.department, c.key, c.metric, 0, sums[c])
		}
		return s.execRows(ctx, tx, svAdd, args)
	}
	shard := s.rollupShard()
	for len(cells) > 0 {
		chunk := cells[:min(len(cells), rollupBatch)]
		cells = cells[len(chunk):]
		var q strings.Builder
		q.WriteString(`INSERT INTO sv_rollup (dim, grain, day, department, key, metric, shard, n) VALUES `)
		args := make([]any, 0, 8*len(chunk))
		for i, c := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&q, "($%d, $%d, $%d, $%d, $%d, $%d, $%d::SMALLINT, $%d::BIGINT)", n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8)
			args = append(args, c.dim, c.grain, c.day, c.department, c.key, c.metric, shard, sums[c])
		}
		q.WriteString(` ON CONFLICT (dim, grain, day, department, key, metric, shard) DO UPDATE SET n = sv_rollup.n + excluded.n`)
		if err := s.svExec(ctx, tx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
