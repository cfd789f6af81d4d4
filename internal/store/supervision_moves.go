package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/internal/supervision"
)

// The moves of the cases between halls (sv_moves, migration 00048): the
// rows the per-hall figures' drill-downs list. The figures themselves are
// rollup metrics (supervision/moves.go).

const svDeleteMoveQuery = `DELETE FROM sv_moves WHERE case_id = $1 AND kind = $2 AND ord = $3`

type moveKey struct {
	kind supervision.MoveKind
	ord  int
}

// writeMoves writes the case's moves that changed from old to next and
// deletes those it no longer has.
func (s *Store) writeMoves(ctx context.Context, tx *sql.Tx, caseID int64, number string, old, next svState) error {
	before := map[moveKey]supervision.Move{}
	for _, m := range old.record.Moves(old.dims.Hall) {
		before[moveKey{m.Kind, m.Ord}] = m
	}
	var args []any
	for _, m := range next.record.Moves(next.dims.Hall) {
		k := moveKey{m.Kind, m.Ord}
		prev, had := before[k]
		delete(before, k)
		if had && prev.Hall == m.Hall && prev.At.Equal(m.At) && prev.Minutes == m.Minutes && old.dims == next.dims {
			continue
		}
		d := next.dims
		args = append(args, caseID, string(m.Kind), m.Ord, number, d.Department, d.Item, m.Hall,
			stamp(m.At), supervision.Day(m.At), m.Minutes)
	}
	if err := s.execRows(ctx, tx, svSaveMove, args); err != nil {
		return err
	}
	for k := range before {
		if err := s.svExec(ctx, tx, svDeleteMoveQuery, caseID, string(k.kind), k.ord); err != nil {
			return err
		}
	}
	return nil
}

// MoveCase is one move a drill-down lists.
type MoveCase struct {
	Number     string               `json:"number"`
	Kind       supervision.MoveKind `json:"kind"`
	Department string               `json:"department"`
	Item       string               `json:"item"`
	Hall       string               `json:"hall"`
	At         time.Time            `json:"at"`
	Minutes    int64                `json:"minutes,omitempty"`
}

// MoveFilter selects the moves of a drill-down: one kind at one hall (the
// trip's intake hall, the pickup's hall) in days From–To, both included,
// narrowed to a department when set.
type MoveFilter struct {
	Kind       supervision.MoveKind
	Hall       string
	From, To   string
	Department string
	Limit      int
	Offset     int
}

// Moves lists the moves of f, longest trips first (pickups by time), and
// their total.
func (s *Store) Moves(ctx context.Context, f MoveFilter) ([]MoveCase, int, error) {
	if err := s.settleLog(ctx); err != nil { // the changes logged so far first: rollup_log.go
		return nil, 0, err
	}
	args := []any{string(f.Kind), f.Hall, f.From, f.To}
	where := "kind = $1 AND hall = $2 AND day >= $3 AND day <= $4"
	if f.Department != "" {
		args = append(args, f.Department)
		where += fmt.Sprintf(" AND department = $%d", len(args))
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sv_moves WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err, "count moves")
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.read.QueryContext(ctx, fmt.Sprintf(`SELECT number, kind, department, item, hall, at, minutes FROM sv_moves
		WHERE %s ORDER BY minutes DESC, at, number, ord LIMIT $%d OFFSET $%d`, where, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, mapErr(err, "moves")
	}
	defer rows.Close()
	var out []MoveCase
	for rows.Next() {
		var m MoveCase
		var kind string
		if err := rows.Scan(&m.Number, &kind, &m.Department, &m.Item, &m.Hall, timeDest{&m.At}, &m.Minutes); err != nil {
			return nil, 0, mapErr(err, "scan move")
		}
		m.Kind = supervision.MoveKind(kind)
		out = append(out, m)
	}
	return out, total, mapErr(rows.Err(), "moves")
}

// PickupSums returns, per pickup hall, the results collected in days
// from–to (narrowed to a department when set): the pickup metrics of the
// department rollup rows, whatever hall took the cases in.
func (s *Store) PickupSums(ctx context.Context, from, to, department string) (map[string]int64, error) {
	sums, err := s.Sums(ctx, FigureQuery{From: from, To: to, Group: supervision.ByDepartment, Department: department}, nil, supervision.PickupPrefix)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, ms := range sums {
		for m, n := range ms {
			if hall, ok := m.PickupHall(); ok {
				out[hall] += n
			}
		}
	}
	return out, nil
}
