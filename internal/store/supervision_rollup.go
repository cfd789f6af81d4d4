package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"sync"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/supervision"
)

// The statements of the supervision rollups, run in every case change.
const (
	svLoadCaseQuery = `SELECT department, item, hall, record FROM sv_cases WHERE case_id = $1`
	svSaveCaseQuery = `INSERT INTO sv_cases (case_id, number, department, item, hall, intake_day, intake_by, record)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (case_id) DO UPDATE SET department = excluded.department, item = excluded.item,
		hall = excluded.hall, intake_day = excluded.intake_day, intake_by = excluded.intake_by, record = excluded.record`
	svAddQuery = `INSERT INTO sv_rollup (dim, grain, day, department, key, metric, shard, n) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (dim, grain, day, department, key, metric, shard) DO UPDATE SET n = sv_rollup.n + excluded.n`
	svSaveStepQuery = `INSERT INTO sv_steps (case_id, kind, ord, number, department, item, hall, by_user,
		due_at, due_day, done_at, done_day, late, answer, paused)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT (case_id, kind, ord) DO UPDATE SET number = excluded.number, department = excluded.department,
		item = excluded.item, hall = excluded.hall, by_user = excluded.by_user, due_at = excluded.due_at,
		due_day = excluded.due_day, done_at = excluded.done_at, done_day = excluded.done_day,
		late = excluded.late, answer = excluded.answer, paused = excluded.paused`
	svDeleteStepQuery = `DELETE FROM sv_steps WHERE case_id = $1 AND kind = $2 AND ord = $3`
	svSaveHoldQuery   = `INSERT INTO sv_hold (case_id, day, holder, minutes, number, department, item, hall)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (case_id, day, holder) DO UPDATE SET minutes = excluded.minutes, number = excluded.number,
		department = excluded.department, item = excluded.item, hall = excluded.hall`
	svDeleteHoldQuery = `DELETE FROM sv_hold WHERE case_id = $1 AND day = $2 AND holder = $3`
)

// FoldEnvFunc returns what folding a case's events needs: the district
// calendar and the working hours in force.
type FoldEnvFunc func(ctx context.Context) (supervision.Env, error)

// foldEnv holds the provider the service sets; without one the store reads
// the district calendar once with the default settings.
type foldEnv struct {
	mu       sync.Mutex
	provider FoldEnvFunc
	fallback *supervision.Env
}

// UseFoldEnv sets where the rollups get the calendar and working hours
// from (the service's cached calendar and the supervision settings).
func (s *Store) UseFoldEnv(f FoldEnvFunc) {
	s.fold.mu.Lock()
	defer s.fold.mu.Unlock()
	s.fold.provider = f
}

func (s *Store) foldEnvironment(ctx context.Context) (supervision.Env, error) {
	s.fold.mu.Lock()
	provider := s.fold.provider
	s.fold.mu.Unlock()
	if provider != nil {
		return provider(ctx)
	}
	s.fold.mu.Lock()
	defer s.fold.mu.Unlock()
	if s.fold.fallback == nil {
		days, err := s.CalendarDays(ctx)
		if err != nil {
			return supervision.Env{}, err
		}
		s.fold.fallback = &supervision.Env{Cal: calendar.New(days, calendar.DefaultSettings()), Hours: supervision.DefaultHours()}
	}
	return *s.fold.fallback, nil
}

// svState is a case as the rollups last counted it.
type svState struct {
	dims   supervision.Dims
	record *supervision.Record
}

func caseFacts(c *casework.Case) supervision.Facts {
	return supervision.Facts{Instant: c.Kind == catalog.Instant, PromisedDays: c.PromisedDays}
}

func caseDims(c *casework.Case) supervision.Dims {
	return supervision.Dims{Department: c.DepartmentCode, Item: c.ItemCode, Hall: c.HallCode}
}

// rollUp counts the event ev of case c in the supervision figures, in the
// transaction of the change: it folds the event into the case's record and
// writes the difference the change makes to the rollups, the steps and the
// holding time.
func (s *Store) rollUp(ctx context.Context, tx *sql.Tx, c *casework.Case, ev *casework.Event) error {
	if deferRollup(ctx, c, ev) {
		return nil // a batch's new case: folded once, when the batch ends
	}
	env, err := s.foldEnvironment(ctx)
	if err != nil {
		return err
	}
	old := svState{record: &supervision.Record{}}
	var raw string
	err = s.rowTx(ctx, tx, svLoadCaseQuery, c.ID).Scan(&old.dims.Department, &old.dims.Item, &old.dims.Hall, &raw)
	switch {
	case err == sql.ErrNoRows && ev.Seq > 1:
		// A case from before the rollups (or one a rebuild has not reached
		// yet): count its earlier events first.
		old.dims = caseDims(c)
		if err := s.foldEarlier(ctx, tx, c, ev.Seq, old.record, env); err != nil {
			return err
		}
	case err == sql.ErrNoRows:
	case err != nil:
		return err
	default:
		if err := json.Unmarshal([]byte(raw), old.record); err != nil {
			return err
		}
	}
	next := svState{dims: caseDims(c), record: &supervision.Record{}}
	b, err := json.Marshal(old.record)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, next.record); err != nil { // a deep copy: old stays as counted
		return err
	}
	next.record.Fold(ev, caseFacts(c), env)
	return s.writeRollup(ctx, tx, c.ID, c.Number, old, next)
}

// writeRollup writes what changes from old to next: rollup counts, steps,
// holding rows and the case's record.
func (s *Store) writeRollup(ctx context.Context, tx *sql.Tx, caseID int64, number string, old, next svState) error {
	var adds []dimEntry
	if old.dims == next.dims {
		for _, e := range supervision.Diff(old.record.Entries(), next.record.Entries()) {
			adds = append(adds, dimEntry{next.dims, e})
		}
	} else {
		for _, e := range supervision.Diff(old.record.Entries(), nil) {
			adds = append(adds, dimEntry{old.dims, e})
		}
		for _, e := range supervision.Diff(nil, next.record.Entries()) {
			adds = append(adds, dimEntry{next.dims, e})
		}
	}
	if err := s.addRollup(ctx, tx, adds); err != nil {
		return err
	}
	if err := s.writeSteps(ctx, tx, caseID, number, old, next); err != nil {
		return err
	}
	if err := s.writeHold(ctx, tx, caseID, number, old, next); err != nil {
		return err
	}
	rec, err := json.Marshal(next.record)
	if err != nil {
		return err
	}
	_, err = s.execTx(ctx, tx, svSaveCaseQuery, caseID, number, next.dims.Department, next.dims.Item, next.dims.Hall,
		supervision.Day(next.record.Intake), next.record.IntakeBy, string(rec))
	return err
}

type dimEntry struct {
	dims supervision.Dims
	supervision.Entry
}

// Grains of the rollup rows: a day's counts, and a month's.
const (
	grainDay   = "day"
	grainMonth = "month"
)

// Dimensions of the rollup rows, in the order they are written.
const (
	dimDepartment = "department"
	dimItem       = "item"
	dimHall       = "hall"
	dimUser       = "user"
)

// rollupCell is one row of sv_rollup.
type rollupCell struct {
	dim, grain, day, department, key, metric string
}

func (c rollupCell) less(o rollupCell) bool {
	a := [6]string{c.dim, c.grain, c.day, c.department, c.key, c.metric}
	b := [6]string{o.dim, o.grain, o.day, o.department, o.key, o.metric}
	return slices.Compare(a[:], b[:]) < 0
}

// addRollup adds each entry under each grouping (the department, the
// item, the hall and the user) by day and by month. In a transaction
// that update runs, the sums wait for its end (rollup_flush.go): every
// change of a day and department adds to the same cells, and a cell
// written early would stay locked, on PostgreSQL, for the rest of the
// transaction.
func (s *Store) addRollup(ctx context.Context, tx *sql.Tx, adds []dimEntry) error {
	sums, deferred := s.pendingRollup(tx)
	if !deferred {
		sums = map[rollupCell]int64{}
	}
	for _, a := range adds {
		d, e := a.dims, a.Entry
		for _, r := range [][2]string{{dimDepartment, ""}, {dimItem, d.Item}, {dimHall, d.Hall}, {dimUser, e.User}} {
			sums[rollupCell{r[0], grainDay, e.Day, d.Department, r[1], string(e.Metric)}] += e.N
			sums[rollupCell{r[0], grainMonth, e.Day[:7], d.Department, r[1], string(e.Metric)}] += e.N
		}
	}
	if deferred {
		return nil
	}
	return s.writeRollupCells(ctx, tx, sums)
}

type stepKey struct {
	kind supervision.Kind
	ord  int
}

func (s *Store) writeSteps(ctx context.Context, tx *sql.Tx, caseID int64, number string, old, next svState) error {
	before := map[stepKey]supervision.Step{}
	for _, st := range old.record.Steps {
		before[stepKey{st.Kind, st.Ord}] = st
	}
	for _, st := range next.record.Steps {
		k := stepKey{st.Kind, st.Ord}
		prev, had := before[k]
		delete(before, k)
		if had && prev == st && old.dims == next.dims {
			continue
		}
		d := next.dims
		var doneDay any
		if st.Closed() {
			doneDay = supervision.Day(st.Done)
		}
		if _, err := s.execTx(ctx, tx, svSaveStepQuery, caseID, string(st.Kind), st.Ord, number, d.Department, d.Item, d.Hall,
			st.By, stamp(st.Due), supervision.Day(st.Due), stamp(st.Done), doneDay, st.Late, string(st.Answer), st.Paused); err != nil {
			return err
		}
	}
	for k := range before {
		if _, err := s.execTx(ctx, tx, svDeleteStepQuery, caseID, string(k.kind), k.ord); err != nil {
			return err
		}
	}
	return nil
}

type holdKey struct {
	day    string
	holder supervision.Holder
}

func (s *Store) writeHold(ctx context.Context, tx *sql.Tx, caseID int64, number string, old, next svState) error {
	before := map[holdKey]int64{}
	for _, h := range old.record.Hold {
		before[holdKey{h.Day, h.Holder}] = h.Minutes
	}
	for _, h := range next.record.Hold {
		k := holdKey{h.Day, h.Holder}
		prev, had := before[k]
		delete(before, k)
		if had && prev == h.Minutes && old.dims == next.dims {
			continue
		}
		d := next.dims
		if _, err := s.execTx(ctx, tx, svSaveHoldQuery, caseID, h.Day, string(h.Holder), h.Minutes, number, d.Department, d.Item, d.Hall); err != nil {
			return err
		}
	}
	for k := range before {
		if _, err := s.execTx(ctx, tx, svDeleteHoldQuery, caseID, k.day, string(k.holder)); err != nil {
			return err
		}
	}
	return nil
}

// foldEarlier folds the case's events before seq into r.
func (s *Store) foldEarlier(ctx context.Context, tx *sql.Tx, c *casework.Case, seq int, r *supervision.Record, env supervision.Env) error {
	rows, err := tx.QueryContext(ctx, `SELECT seq, type, actor, role, desk, at, from_state, to_state, details, prev_hash, hash
		FROM case_events WHERE case_id = $1 AND seq < $2 ORDER BY seq`, c.ID, seq)
	if err != nil {
		return err
	}
	defer rows.Close()
	facts := caseFacts(c)
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return err
		}
		r.Fold(&e, facts, env)
	}
	return rows.Err()
}
