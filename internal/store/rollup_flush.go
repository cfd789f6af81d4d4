package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
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

// svExec runs a statement of the rollups in tx.
func (s *Store) svExec(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	_, err := s.execTx(ctx, tx, query, args...)
	return err
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
