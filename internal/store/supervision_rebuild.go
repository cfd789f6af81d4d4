package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/onewindow/onewindow/internal/supervision"
)

// RebuildReport says what a rebuild counted.
type RebuildReport struct {
	Cases  int `json:"cases"`
	Events int `json:"events"`
}

// rebuildBatch is how many cases one transaction of a rebuild counts.
const rebuildBatch = 200

// RebuildRollups recomputes every supervision rollup from the case events:
// it empties the rollups, then folds each case's events afresh, in
// batches. Changes made meanwhile are counted by their own transactions,
// since each batch reads the cases it counts inside its transaction.
func (s *Store) RebuildRollups(ctx context.Context) (*RebuildReport, error) {
	// Alone: under group commit the rollup cells of the writes grouped
	// before it are written at the group's end, after this would have
	// emptied the table, and would then be counted twice.
	err := s.updateAlone(ctx, func(tx *sql.Tx) error {
		for _, t := range []string{"sv_log", "sv_rollup", "sv_hold", "sv_steps", "sv_moves", "sv_cases"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
				return err
			}
		}
		return s.rebuildRatingRollup(ctx, tx) // the ratings, counted with the emptying
	})
	if err != nil {
		return nil, err
	}
	env, err := s.foldEnvironment(ctx)
	if err != nil {
		return nil, err
	}
	rep := &RebuildReport{}
	var after int64
	bctx := pipelined(ctx) // its batches' writes in one round trip on PostgreSQL: pg_batch.go
	for {
		var ids []int64
		rows, err := s.read.QueryContext(ctx, `SELECT id FROM cases WHERE id > $1 ORDER BY id LIMIT $2`, after, rebuildBatch)
		if err != nil {
			return nil, mapErr(err, "rebuild: cases")
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, mapErr(err, "rebuild: scan case")
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) == 0 {
			if err := s.markRollupsComplete(ctx); err != nil {
				return nil, err
			}
			return rep, s.Settle(ctx)
		}
		after = ids[len(ids)-1]
		err = s.update(bctx, func(tx *sql.Tx) error {
			// The log first: a case's rows are rebuilt from what the
			// tables hold of it (rollup_log.go).
			for {
				more, err := s.foldLog(bctx, tx)
				if err != nil {
					return err
				}
				if !more {
					break
				}
			}
			for _, id := range ids {
				n, err := s.rebuildCase(bctx, tx, id, env)
				if err != nil {
					return err
				}
				rep.Cases++
				rep.Events += n
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
}

// rollupsComplete names the counter set once every case is counted in the
// rollups: by a whole rebuild, or by a start that found none missing.
const rollupsComplete = "supervision:rollups"

func (s *Store) markRollupsComplete(ctx context.Context) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ($1, 1) ON CONFLICT (name) DO NOTHING`, rollupsComplete)
		return err
	})
}

// CasesWithoutRollups returns how many cases the supervision rollups do not
// count: those of a database that held cases before the rollups existed
// (migration 19), or one that was restored without them. Once none is
// missing it says so in a counter, and later calls answer 0 at once (every
// new change is counted in its own transaction).
func (s *Store) CasesWithoutRollups(ctx context.Context) (int, error) {
	if err := s.settleLog(ctx); err != nil { // the changes logged so far first: rollup_log.go
		return 0, err
	}
	var done int
	err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM counters WHERE name = $1`, rollupsComplete).Scan(&done)
	if err != nil || done > 0 {
		return 0, mapErr(err, "rollups counter")
	}
	var missing int
	err = s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases c
		WHERE NOT EXISTS (SELECT 1 FROM sv_cases v WHERE v.case_id = c.id)`).Scan(&missing)
	if err != nil {
		return 0, mapErr(err, "cases without rollups")
	}
	if missing == 0 {
		return 0, s.markRollupsComplete(ctx)
	}
	return missing, nil
}

// rebuildCase folds one case's events and writes its counts.
func (s *Store) rebuildCase(ctx context.Context, tx *sql.Tx, id int64, env supervision.Env) (int, error) {
	var number string
	if err := tx.QueryRowContext(ctx, `SELECT number FROM cases WHERE id = $1`, id).Scan(&number); err != nil {
		return 0, err
	}
	c, _, err := s.loadCase(s.rowTx(ctx, tx, loadCaseQuery, number), number)
	if err != nil {
		return 0, err
	}
	// Its events are numbered 1 on without gaps: the last one's number
	// is how many were folded.
	r, seq, err := s.foldCase(ctx, tx, id, 0, caseFacts(c), &supervision.Record{}, env)
	if err != nil {
		return 0, err
	}
	// What is counted for the case already (a change folded while the
	// rebuild ran) is replaced, not added to.
	old := svState{dims: caseDims(c), record: &supervision.Record{}}
	var raw string
	err = tx.QueryRowContext(ctx, svFoldedQuery, id).Scan(&old.dims.Department, &old.dims.Item, &old.dims.Hall, &raw, new(int))
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return 0, err
	default:
		if err := json.Unmarshal([]byte(raw), old.record); err != nil {
			return 0, err
		}
		old.saved = true
	}
	next := svState{dims: caseDims(c), record: r}
	if err := s.countRollup(ctx, tx, old, next); err != nil {
		return 0, err
	}
	return seq, s.writeCaseRows(ctx, tx, id, seq, number, old, next, "")
}

// RollupRow is one cell of the rollup table, for comparing a live rollup
// with a rebuilt one.
type RollupRow struct {
	Dim, Grain, Day, Department, Key, Metric string
	N                                        int64
}

// RollupRows returns every non-zero rollup cell in order.
func (s *Store) RollupRows(ctx context.Context) ([]RollupRow, error) {
	if err := s.settleLog(ctx); err != nil { // the changes logged so far first: rollup_log.go
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT dim, grain, day, department, key, metric, SUM(n) FROM sv_rollup
		GROUP BY dim, grain, day, department, key, metric HAVING SUM(n) <> 0
		ORDER BY dim, grain, day, department, key, metric`) // a cell is the sum of its shards (rollup_flush.go)
	if err != nil {
		return nil, mapErr(err, "rollup rows")
	}
	defer rows.Close()
	var out []RollupRow
	for rows.Next() {
		var r RollupRow
		if err := rows.Scan(&r.Dim, &r.Grain, &r.Day, &r.Department, &r.Key, &r.Metric, &r.N); err != nil {
			return nil, mapErr(err, "scan rollup row")
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err(), "rollup rows")
}
