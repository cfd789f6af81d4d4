package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/supervision"
)

// The statements of the supervision rows a fold writes (rollup_log.go).
const (
	svSaveCaseQuery = `INSERT INTO sv_cases (case_id, number, department, item, hall, intake_day, intake_by, record, seq)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (case_id) DO UPDATE SET department = excluded.department, item = excluded.item,
		hall = excluded.hall, intake_day = excluded.intake_day, intake_by = excluded.intake_by, record = excluded.record,
		seq = excluded.seq`
	// A case's record, step or holding day that changes within the same
	// groupings is updated in the columns that change only: SQLite
	// rewrites the index entries of every column a SET names, and these
	// leave the groupings' and days' indexes alone.
	svSaveRecordQuery = `UPDATE sv_cases SET record = $2, seq = $3 WHERE case_id = $1`
	svTakeStepQuery   = `UPDATE sv_steps SET by_user = $4, done_at = $5, done_day = $6, late = $7, answer = $8, paused = $9
		WHERE case_id = $1 AND kind = $2 AND ord = $3`
	svHoldMinutesQuery = `UPDATE sv_hold SET minutes = $4 WHERE case_id = $1 AND day = $2 AND holder = $3`
	svDeleteStepQuery  = `DELETE FROM sv_steps WHERE case_id = $1 AND kind = $2 AND ord = $3`
	svDeleteHoldQuery  = `DELETE FROM sv_hold WHERE case_id = $1 AND day = $2 AND holder = $3`
)

// The rollups' upserts write all the rows a change makes to a table in one
// statement (up to max rows each): a transition changes a few dozen
// rollup cells, and one statement per cell cost more than the rows
// themselves (SQLite: a statement step each; PostgreSQL: a round trip).
var (
	svAdd = multiRow{
		head: `INSERT INTO sv_rollup (dim, grain, day, department, key, metric, shard, n) VALUES `,
		cols: 8, max: 64,
		tail: ` ON CONFLICT (dim, grain, day, department, key, metric, shard) DO UPDATE SET n = sv_rollup.n + excluded.n`,
	}
	svSaveStep = multiRow{
		head: `INSERT INTO sv_steps (case_id, kind, ord, number, department, item, hall, by_user,
		due_at, due_day, done_at, done_day, late, answer, paused) VALUES `,
		cols: 15, max: 16,
		tail: ` ON CONFLICT (case_id, kind, ord) DO UPDATE SET number = excluded.number, department = excluded.department,
		item = excluded.item, hall = excluded.hall, by_user = excluded.by_user, due_at = excluded.due_at,
		due_day = excluded.due_day, done_at = excluded.done_at, done_day = excluded.done_day,
		late = excluded.late, answer = excluded.answer, paused = excluded.paused`,
	}
	svSaveHold = multiRow{
		head: `INSERT INTO sv_hold (case_id, day, holder, minutes, number, department, item, hall) VALUES `,
		cols: 8, max: 32,
		tail: ` ON CONFLICT (case_id, day, holder) DO UPDATE SET minutes = excluded.minutes, number = excluded.number,
		department = excluded.department, item = excluded.item, hall = excluded.hall`,
	}
	svSaveMove = multiRow{
		head: `INSERT INTO sv_moves (case_id, kind, ord, number, department, item, hall, at, day, minutes) VALUES `,
		cols: 10, max: 8,
		tail: ` ON CONFLICT (case_id, kind, ord) DO UPDATE SET number = excluded.number, department = excluded.department,
		item = excluded.item, hall = excluded.hall, at = excluded.at, day = excluded.day, minutes = excluded.minutes`,
	}
	svMultiRows = []multiRow{svAdd, svSaveStep, svSaveHold, svSaveMove}
)

// multiRow is an INSERT of several rows in one statement: head, then
// (…), (…) with cols placeholders each, then tail. Its statements for 1
// to max rows are prepared at open (prepareWrites); more rows are written
// max at a time. The rows of one statement must not repeat a conflict
// key (PostgreSQL refuses to update a row twice in one statement).
type multiRow struct {
	head, tail string
	cols, max  int
}

// query returns the statement for n rows. On SQLite its parameters are
// anonymous (?): SQLite looks a numbered parameter's name up in a list
// as long as the statement's parameters, so binding the hundreds of a
// multi-row statement by number cost time quadratic in their count.
func (m multiRow) query(n int, d Dialect) string {
	var b strings.Builder
	b.WriteString(m.head)
	p := 1
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range m.cols {
			if j > 0 {
				b.WriteString(", ")
			}
			if d == SQLite {
				b.WriteByte('?')
			} else {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(p))
			}
			p++
		}
		b.WriteByte(')')
	}
	b.WriteString(m.tail)
	return b.String()
}

// exec writes rows (cols values each, flattened) in as few statements as
// max allows. The statements' texts are kept once built.
func (s *Store) execRows(ctx context.Context, tx *sql.Tx, m multiRow, args []any) error {
	for len(args) > 0 {
		n := min(len(args)/m.cols, m.max)
		if _, err := s.execTx(ctx, tx, s.multiRowQuery(m, n), args[:n*m.cols]...); err != nil {
			return err
		}
		args = args[n*m.cols:]
	}
	return nil
}

// multiRowQueries caches the statements' texts by head and row count.
var multiRowQueries sync.Map // multiRowKey → string

type multiRowKey struct {
	head    string
	n       int
	dialect Dialect
}

func (s *Store) multiRowQuery(m multiRow, n int) string {
	k := multiRowKey{m.head, n, s.dialect}
	if q, ok := multiRowQueries.Load(k); ok {
		return q.(string)
	}
	q := m.query(n, s.dialect)
	multiRowQueries.Store(k, q)
	return q
}

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

type noRollupsKey struct{}

// WithoutRollups returns ctx under which case changes leave the
// supervision rollups alone. It exists only for BenchmarkPromisedCase to
// measure the lifecycle with and without them on the same database: the
// figures of a case changed so are wrong until `stats rebuild`.
func WithoutRollups(ctx context.Context) context.Context {
	return context.WithValue(ctx, noRollupsKey{}, true)
}

func skipRollups(ctx context.Context) bool {
	skip, _ := ctx.Value(noRollupsKey{}).(bool)
	return skip
}

// svState is a case as the rollups last counted it.
type svState struct {
	dims   supervision.Dims
	record *supervision.Record
	saved  bool // read from its sv_cases row
}

func caseFacts(c *casework.Case) supervision.Facts {
	pickup := c.PickupHall
	if pickup == "" {
		pickup = c.HallCode
	}
	return supervision.Facts{Instant: c.Kind == catalog.Instant, PromisedDays: c.PromisedDays, PickupHall: pickup}
}

func caseDims(c *casework.Case) supervision.Dims {
	return supervision.Dims{Department: c.DepartmentCode, Item: c.ItemCode, Hall: c.HallCode}
}

// rollUp counts the event ev of case c in the supervision figures: in the
// transaction of the change it logs the case (rollup_log.go), and the
// event is folded into the case's record, rows and cells from there.
func (s *Store) rollUp(ctx context.Context, tx *sql.Tx, c *casework.Case, ev *casework.Event) error {
	if skipRollups(ctx) {
		return nil // measuring what the rollups cost: see WithoutRollups
	}
	if deferRollup(ctx, c, ev) {
		return nil // a batch's new case: folded once, when the batch ends
	}
	return s.logCase(ctx, tx, c, ev)
}

// foldCase folds the case's events after its record's (old, folded to
// event seq, the tables' rows) into next, and returns the last event's
// number (seq if there is none).
func (s *Store) foldCase(ctx context.Context, q rowsQueryer, caseID int64, seq int, facts supervision.Facts,
	old *supervision.Record, env supervision.Env) (*supervision.Record, int, error) {
	rows, err := q.QueryContext(ctx, foldEventsQuery, caseID, seq)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	next := old
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, 0, err
		}
		if next == old {
			next = old.Clone() // old stays as counted
		}
		next.Fold(&e, facts, env)
		seq = e.Seq
	}
	return next, seq, rows.Err()
}

// rowsQueryer is a transaction or a pool.
type rowsQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// foldEventsQuery is a case's events after an event number, in order.
const foldEventsQuery = `SELECT seq, type, actor, role, desk, at, from_state, to_state, details, prev_hash, hash
	FROM case_events WHERE case_id = $1 AND seq > $2 ORDER BY seq`

// countRollup adds what changes from old to next to the rollup counts.
func (s *Store) countRollup(ctx context.Context, tx *sql.Tx, old, next svState) error {
	return s.addRollup(ctx, tx, rollupAdds(old, next))
}

// rollupAdds returns what changes from old to next in the rollup counts.
func rollupAdds(old, next svState) []dimEntry {
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
	return adds
}

// writeCaseRows writes the case's rows that change from old (as the
// tables hold it) to next, folded to event seq: steps, holding time, moves
// and its record, raw (its JSON; encoded here when "").
func (s *Store) writeCaseRows(ctx context.Context, tx *sql.Tx, caseID int64, seq int, number string, old, next svState, raw string) error {
	if err := s.writeSteps(ctx, tx, caseID, number, old, next); err != nil {
		return err
	}
	if err := s.writeHold(ctx, tx, caseID, number, old, next); err != nil {
		return err
	}
	if err := s.writeMoves(ctx, tx, caseID, number, old, next); err != nil {
		return err
	}
	rec := raw
	if rec == "" {
		b, err := next.record.EncodeJSON()
		if err != nil {
			return err
		}
		rec = string(b)
	}
	var err error
	if old.saved && old.dims == next.dims && old.record.Intake.Equal(next.record.Intake) && old.record.IntakeBy == next.record.IntakeBy {
		err = s.svExec(ctx, tx, svSaveRecordQuery, caseID, rec, seq)
	} else {
		err = s.svExec(ctx, tx, svSaveCaseQuery, caseID, number, next.dims.Department, next.dims.Item, next.dims.Hall,
			supervision.Day(next.record.Intake), next.record.IntakeBy, rec, seq)
	}
	if err != nil {
		return err
	}
	// Kept for the case's next fold, which takes it only if it reads back
	// this very text (record_cache.go): next is not changed after.
	s.records.put(caseID, rec, next.record)
	return nil
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

// fields returns the cell's names in key order.
func (c rollupCell) fields() [6]string {
	return [6]string{c.dim, c.grain, c.day, c.department, c.key, c.metric}
}

// sortCells sorts cells in key order: the global order concurrent
// transactions lock cells in (rollup_flush.go), and the log's (rollup_log.go).
func sortCells(cells []rollupCell) {
	slices.SortFunc(cells, func(a, b rollupCell) int {
		fa, fb := a.fields(), b.fields()
		return slices.Compare(fa[:], fb[:])
	})
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
	addCells(sums, adds)
	if deferred {
		return nil
	}
	return s.writeRollupCells(ctx, tx, sums)
}

// addCells adds each entry to sums under each grouping (the department,
// the item, the hall and the user) by day and by month.
func addCells(sums map[rollupCell]int64, adds []dimEntry) {
	for _, a := range adds {
		d, e := a.dims, a.Entry
		for _, r := range [][2]string{{dimDepartment, ""}, {dimItem, d.Item}, {dimHall, d.Hall}, {dimUser, e.User}} {
			sums[rollupCell{r[0], grainDay, e.Day, d.Department, r[1], string(e.Metric)}] += e.N
			sums[rollupCell{r[0], grainMonth, e.Day[:7], d.Department, r[1], string(e.Metric)}] += e.N
		}
	}
}

type stepKey struct {
	kind supervision.Kind
	ord  int
}

func (s *Store) writeSteps(ctx context.Context, tx *sql.Tx, caseID int64, number string, old, next svState) error {
	before := map[stepKey]supervision.Step{}
	var args []any
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
		if had && old.saved && old.dims == next.dims && prev.Due.Equal(st.Due) {
			if err := s.svExec(ctx, tx, svTakeStepQuery, caseID, string(st.Kind), st.Ord,
				st.By, stamp(st.Done), doneDay, st.Late, string(st.Answer), st.Paused); err != nil {
				return err
			}
			continue
		}
		args = append(args, caseID, string(st.Kind), st.Ord, number, d.Department, d.Item, d.Hall,
			st.By, stamp(st.Due), supervision.Day(st.Due), stamp(st.Done), doneDay, st.Late, string(st.Answer), st.Paused)
	}
	if err := s.execRows(ctx, tx, svSaveStep, args); err != nil {
		return err
	}
	for k := range before {
		if err := s.svExec(ctx, tx, svDeleteStepQuery, caseID, string(k.kind), k.ord); err != nil {
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
	var args []any
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
		if had && old.saved && old.dims == next.dims {
			if err := s.svExec(ctx, tx, svHoldMinutesQuery, caseID, h.Day, string(h.Holder), h.Minutes); err != nil {
				return err
			}
			continue
		}
		d := next.dims
		args = append(args, caseID, h.Day, string(h.Holder), h.Minutes, number, d.Department, d.Item, d.Hall)
	}
	if err := s.execRows(ctx, tx, svSaveHold, args); err != nil {
		return err
	}
	for k := range before {
		if err := s.svExec(ctx, tx, svDeleteHoldQuery, caseID, k.day, string(k.holder)); err != nil {
			return err
		}
	}
	return nil
}
