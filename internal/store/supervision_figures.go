package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/supervision"
)

// FigureQuery selects the figures of a period: From and To are dates
// (2026-01-01, both included, Asia/Shanghai), grouped by Group; Department
// narrows any grouping to one department, Key narrows item, hall or user
// groupings to one of their keys. Hall narrows the figures to the cases
// taken in at one hall; it goes with the department, hall and month
// groupings only (the rollup keeps the hall's rows by department).
type FigureQuery struct {
	From, To   string
	Group      supervision.Grouping
	Department string
	Key        string
	Hall       string
}

// rollupWhere is the rollup rows of one grain and range a query reads:
// its dim, filters, and the expression it groups by.
func (q FigureQuery) rollupWhere(args *[]any, grain, from, to string) (where, group string) {
	dim, group := string(q.Group), "key"
	switch q.Group {
	case supervision.ByDepartment:
		group = "department"
	case supervision.ByMonth:
		dim, group = dimDepartment, "substr(day, 1, 7)"
	}
	key := q.Key
	if q.Group == supervision.ByDepartment || q.Group == supervision.ByMonth {
		key = ""
	}
	if q.Hall != "" {
		// One hall's figures are the hall rows of that key, whatever the
		// grouping (department, hall or month: the service allows no other).
		dim, key = dimHall, q.Hall
	}
	*args = append(*args, dim, grain, from, to)
	where = "dim = $1 AND grain = $2 AND day >= $3 AND day <= $4"
	if q.Department != "" {
		*args = append(*args, q.Department)
		where += fmt.Sprintf(" AND department = $%d", len(*args))
	}
	if key != "" {
		*args = append(*args, key)
		where += fmt.Sprintf(" AND key = $%d", len(*args))
	}
	return where, group
}

// span is one range of rollup rows: a grain and its first and last day
// (or month).
type span struct{ grain, from, to string }

// spans splits a period into the month rows of its whole months and the
// day rows of the partial months at either end.
func spans(from, to string) []span {
	f, errF := calendar.ParseDate(from)
	t, errT := calendar.ParseDate(to)
	if errF != nil || errT != nil {
		return []span{{grainDay, from, to}}
	}
	first := f // the first day of the first whole month
	if f.Day != 1 {
		first = firstOfMonth(f, 1)
	}
	next := firstOfMonth(t, 1) // the day after the last whole month
	if t.AddDays(1) != next {
		next = firstOfMonth(t, 0)
	}
	if !first.Before(next) {
		return []span{{grainDay, from, to}}
	}
	var out []span
	if f.Before(first) {
		out = append(out, span{grainDay, f.String(), first.AddDays(-1).String()})
	}
	out = append(out, span{grainMonth, first.String()[:7], next.AddDays(-1).String()[:7]})
	if next.Before(t) || next == t {
		out = append(out, span{grainDay, next.String(), t.String()})
	}
	return out
}

// firstOfMonth returns the first day of the month add months after d's.
func firstOfMonth(d calendar.Date, add int) calendar.Date {
	return calendar.DateOf(time.Date(d.Year, d.Month+time.Month(add), 1, 12, 0, 0, 0, clock.Shanghai))
}

// Sums returns, per group, the summed rollup metrics of the query: whole
// months from the month rows, partial ones from the day rows. With prefix
// set, the metrics starting with it are read too.
func (s *Store) Sums(ctx context.Context, q FigureQuery, metrics []supervision.Metric, prefix string) (map[string]map[supervision.Metric]int64, error) {
	if err := s.settleLog(ctx); err != nil { // the changes logged so far first: rollup_log.go
		return nil, err
	}
	out := map[string]map[supervision.Metric]int64{}
	for _, sp := range spans(q.From, q.To) {
		if err := s.sums(ctx, q, sp, metrics, prefix, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) sums(ctx context.Context, q FigureQuery, sp span, metrics []supervision.Metric, prefix string, out map[string]map[supervision.Metric]int64) error {
	var args []any
	where, group := q.rollupWhere(&args, sp.grain, sp.from, sp.to)
	var cond []string
	for _, m := range metrics {
		args = append(args, string(m))
		cond = append(cond, fmt.Sprintf("$%d", len(args)))
	}
	switch {
	case len(cond) > 0 && prefix != "":
		args = append(args, prefix+"%")
		where += fmt.Sprintf(" AND (metric IN (%s) OR metric LIKE $%d)", strings.Join(cond, ", "), len(args))
	case len(cond) > 0:
		where += " AND metric IN (" + strings.Join(cond, ", ") + ")"
	case prefix != "":
		args = append(args, prefix+"%")
		where += fmt.Sprintf(" AND metric LIKE $%d", len(args))
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+group+`, metric, SUM(n) FROM sv_rollup WHERE `+where+
		` GROUP BY `+group+`, metric`, args...)
	if err != nil {
		return mapErr(err, "supervision sums")
	}
	defer rows.Close()
	for rows.Next() {
		var g, m string
		var n int64
		if err := rows.Scan(&g, &m, &n); err != nil {
			return mapErr(err, "scan supervision sums")
		}
		if out[g] == nil {
			out[g] = map[supervision.Metric]int64{}
		}
		out[g][supervision.Metric(m)] += n
	}
	return mapErr(rows.Err(), "supervision sums")
}

// stepWhere is the sv_steps rows of a query (by deadline day), and the
// expression it groups by.
func (q FigureQuery) stepWhere(args *[]any, dayCol string) (where, group string) {
	group = map[supervision.Grouping]string{supervision.ByDepartment: "department", supervision.ByItem: "item", supervision.ByHall: "hall", supervision.ByUser: "by_user",
		supervision.ByMonth: "substr(" + dayCol + ", 1, 7)"}[q.Group]
	*args = append(*args, q.From, q.To)
	where = fmt.Sprintf("%s >= $%d AND %s <= $%d", dayCol, len(*args)-1, dayCol, len(*args))
	if q.Department != "" {
		*args = append(*args, q.Department)
		where += fmt.Sprintf(" AND department = $%d", len(*args))
	}
	if q.Key != "" && q.Group != supervision.ByDepartment && q.Group != supervision.ByMonth {
		*args = append(*args, q.Key)
		where += fmt.Sprintf(" AND %s = $%d", group, len(*args))
	}
	if q.Hall != "" {
		*args = append(*args, q.Hall)
		where += fmt.Sprintf(" AND hall = $%d", len(*args))
	}
	return where, group
}

// Overdue returns, per group and step kind, the steps due in the period
// that are still open and past their deadline at now (a paused decision
// is not).
func (s *Store) Overdue(ctx context.Context, q FigureQuery, now time.Time) (map[string]map[supervision.Kind]int64, error) {
	if err := s.settleLog(ctx); err != nil { // the changes logged so far first: rollup_log.go
		return nil, err
	}
	var args []any
	where, group := q.stepWhere(&args, "due_day")
	args = append(args, stamp(now))
	rows, err := s.read.QueryContext(ctx, fmt.Sprintf(`SELECT %s, kind, COUNT(*) FROM sv_steps
		WHERE %s AND done_at IS NULL AND NOT paused AND due_at < $%d GROUP BY %s, kind`, group, where, len(args), group), args...)
	if err != nil {
		return nil, mapErr(err, "overdue steps")
	}
	defer rows.Close()
	out := map[string]map[supervision.Kind]int64{}
	for rows.Next() {
		var g, k string
		var n int64
		if err := rows.Scan(&g, &k, &n); err != nil {
			return nil, mapErr(err, "scan overdue steps")
		}
		if out[g] == nil {
			out[g] = map[supervision.Kind]int64{}
		}
		out[g][supervision.Kind(k)] = n
	}
	return out, mapErr(rows.Err(), "overdue steps")
}

// StepCase is one step a drill-down lists.
type StepCase struct {
	Number     string             `json:"number"`
	Kind       supervision.Kind   `json:"step"`
	Ord        int                `json:"ord"`
	Department string             `json:"department"`
	Item       string             `json:"item"`
	Hall       string             `json:"hall"`
	User       string             `json:"user"`
	Due        time.Time          `json:"due"`
	Done       time.Time          `json:"done,omitzero"`
	Late       bool               `json:"late"`
	Answer     supervision.Answer `json:"answer,omitempty"`
	Paused     bool               `json:"paused,omitempty"`
}

// StepFilter selects the steps of a drill-down: the query's period and
// group key (Group's value in GroupKey), the step kinds, and their status
// at Now.
type StepFilter struct {
	FigureQuery
	GroupKey string
	Kinds    []supervision.Kind
	Status   supervision.Status // "" every status that counts
	Any      bool               // every step, running ones too (result refusals)
	ByDone   bool               // period by the day the step was taken (efficiency), not its deadline
	Answer   *supervision.Answer
	Now      time.Time
	Limit    int
	Offset   int
}

// Steps lists the steps of a drill-down, by deadline, and their total.
func (s *Store) Steps(ctx context.Context, f StepFilter) ([]StepCase, int, error) {
	if err := s.settleLog(ctx); err != nil { // the changes logged so far first: rollup_log.go
		return nil, 0, err
	}
	var args []any
	dayCol := "due_day"
	if f.ByDone {
		dayCol = "done_day"
	}
	where, group := f.stepWhere(&args, dayCol)
	if f.Group.Valid() {
		args = append(args, f.GroupKey)
		where += fmt.Sprintf(" AND %s = $%d", group, len(args))
	}
	if len(f.Kinds) > 0 {
		var in []string
		for _, k := range f.Kinds {
			args = append(args, string(k))
			in = append(in, fmt.Sprintf("$%d", len(args)))
		}
		where += " AND kind IN (" + strings.Join(in, ", ") + ")"
	}
	if f.Answer != nil {
		args = append(args, string(*f.Answer))
		where += fmt.Sprintf(" AND answer = $%d", len(args))
	}
	// The time is bound only where a condition reads it: PostgreSQL
	// refuses an argument no placeholder names.
	nowArg := func() string {
		args = append(args, stamp(f.Now))
		return fmt.Sprintf("$%d", len(args))
	}
	switch f.Status {
	case supervision.OnTime:
		where += " AND done_at IS NOT NULL AND NOT late"
	case supervision.Late:
		where += " AND done_at IS NOT NULL AND late"
	case supervision.Overdue:
		where += " AND done_at IS NULL AND NOT paused AND due_at < " + nowArg()
	case supervision.Red:
		where += " AND ((done_at IS NOT NULL AND late) OR (done_at IS NULL AND NOT paused AND due_at < " + nowArg() + "))"
	case supervision.Running:
		where += " AND done_at IS NULL AND (paused OR due_at >= " + nowArg() + ")"
	default:
		if !f.Any {
			where += " AND (done_at IS NOT NULL OR (NOT paused AND due_at < " + nowArg() + "))"
		}
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sv_steps WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err, "count steps")
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.read.QueryContext(ctx, fmt.Sprintf(`SELECT number, kind, ord, department, item, hall, by_user, due_at, done_at, late, answer, paused
		FROM sv_steps WHERE %s ORDER BY due_at, number, kind, ord LIMIT $%d OFFSET $%d`, where, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, mapErr(err, "steps")
	}
	defer rows.Close()
	var out []StepCase
	for rows.Next() {
		var c StepCase
		var kind, answer string
		if err := rows.Scan(&c.Number, &kind, &c.Ord, &c.Department, &c.Item, &c.Hall, &c.User, timeDest{&c.Due}, timeDest{&c.Done}, &c.Late, &answer, &c.Paused); err != nil {
			return nil, 0, mapErr(err, "scan step")
		}
		c.Kind, c.Answer = supervision.Kind(kind), supervision.Answer(answer)
		out = append(out, c)
	}
	return out, total, mapErr(rows.Err(), "steps")
}

// HoldCase is one case's holding minutes in a drill-down.
type HoldCase struct {
	Number  string `json:"number"`
	Minutes int64  `json:"minutes"`
}

// HoldCases lists the cases holder held in the query's period and group
// (GroupKey), most minutes first, with their total count.
func (s *Store) HoldCases(ctx context.Context, q FigureQuery, groupKey string, holder supervision.Holder, limit, offset int) ([]HoldCase, int, error) {
	if err := s.settleLog(ctx); err != nil { // the changes logged so far first: rollup_log.go
		return nil, 0, err
	}
	if q.Group == supervision.ByUser {
		return nil, 0, apperr.Field("group", "停留时长不按人员分组")
	}
	var args []any
	where, group := q.stepWhere(&args, "day")
	args = append(args, groupKey)
	where += fmt.Sprintf(" AND %s = $%d", group, len(args))
	if holder != "" {
		args = append(args, string(holder))
		where += fmt.Sprintf(" AND holder = $%d", len(args))
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(DISTINCT number) FROM sv_hold WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err, "count holding")
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	args = append(args, limit, max(offset, 0))
	rows, err := s.read.QueryContext(ctx, fmt.Sprintf(`SELECT number, SUM(minutes) FROM sv_hold WHERE %s
		GROUP BY number ORDER BY SUM(minutes) DESC, number LIMIT $%d OFFSET $%d`, where, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, mapErr(err, "holding cases")
	}
	defer rows.Close()
	var out []HoldCase
	for rows.Next() {
		var h HoldCase
		if err := rows.Scan(&h.Number, &h.Minutes); err != nil {
			return nil, 0, mapErr(err, "scan holding")
		}
		out = append(out, h)
	}
	return out, total, mapErr(rows.Err(), "holding cases")
}

// HoldSums returns the holding minutes per group and holder from the
// per-case rows (the drill-down's own source), for checks against Sums.
func (s *Store) HoldSums(ctx context.Context, q FigureQuery) (map[string]map[supervision.Holder]int64, error) {
	if err := s.settleLog(ctx); err != nil { // the changes logged so far first: rollup_log.go
		return nil, err
	}
	var args []any
	where, group := q.stepWhere(&args, "day")
	rows, err := s.read.QueryContext(ctx, `SELECT `+group+`, holder, SUM(minutes) FROM sv_hold WHERE `+where+` GROUP BY `+group+`, holder`, args...)
	if err != nil {
		return nil, mapErr(err, "holding sums")
	}
	defer rows.Close()
	out := map[string]map[supervision.Holder]int64{}
	for rows.Next() {
		var g, h string
		var n int64
		if err := rows.Scan(&g, &h, &n); err != nil {
			return nil, mapErr(err, "scan holding sums")
		}
		if out[g] == nil {
			out[g] = map[supervision.Holder]int64{}
		}
		out[g][supervision.Holder(h)] = n
	}
	return out, mapErr(rows.Err(), "holding sums")
}

// CaseRecord returns a case's supervision record (its steps and holding
// time) as of its last event: the folded one, with the events the log
// (rollup_log.go) has not folded yet folded in as it reads, with the
// case's facts from its columns. The record is read before the events: a
// fold between the two reads leaves events after the record read, never a
// gap.
func (s *Store) CaseRecord(ctx context.Context, number string) (*supervision.Record, supervision.Dims, error) {
	var d supervision.Dims
	c, err := loadLogRow(ctx, s.read, caseNumberWhere, number)
	if err != nil {
		return nil, d, notFound(err, "未找到办件："+number)
	}
	id := c.caseID.Int64
	r := &supervision.Record{}
	var raw string
	var seq int
	err = s.read.QueryRowContext(ctx, svFoldedQuery, id).Scan(&d.Department, &d.Item, &d.Hall, &raw, &seq)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, d, mapErr(err, "case record")
	default:
		if err := json.Unmarshal([]byte(raw), r); err != nil {
			return nil, d, err
		}
	}
	env, err := s.foldEnvironment(ctx)
	if err != nil {
		return nil, d, err
	}
	next, last, err := s.foldCase(ctx, s.read, id, seq, c.facts(), r, env)
	switch {
	case err != nil:
		return nil, d, mapErr(err, "case record")
	case last == 0:
		return nil, d, apperr.New(apperr.NotFound, "该办件尚无督查记录：%s", number)
	case last == seq:
		return r, d, nil // every event folded
	}
	return next, c.dims(), nil
}

// caseNumberWhere finds a case through its number, which cases index.
const caseNumberWhere = `c.number = $1`

// RedCases returns, per department, the cases with a step due in the
// period that was missed or is open past its deadline at now.
func (s *Store) RedCases(ctx context.Context, from, to string, now time.Time) (map[string]int64, error) {
	if err := s.settleLog(ctx); err != nil { // the changes logged so far first: rollup_log.go
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT department, COUNT(DISTINCT case_id) FROM sv_steps
		WHERE due_day >= $1 AND due_day <= $2 AND (late OR (done_at IS NULL AND NOT paused AND due_at < $3))
		GROUP BY department`, from, to, stamp(now))
	if err != nil {
		return nil, mapErr(err, "red cases")
	}
	return scanCounts(rows)
}

func scanCounts(rows *sql.Rows) (map[string]int64, error) {
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, mapErr(err, "scan counts")
		}
		out[k] = n
	}
	return out, mapErr(rows.Err(), "counts")
}

// IntakeCases lists the cases taken in during the query's period within
// group key groupKey, by number, with their total.
func (s *Store) IntakeCases(ctx context.Context, q FigureQuery, groupKey string, limit, offset int) ([]string, int, error) {
	if err := s.settleLog(ctx); err != nil { // the changes logged so far first: rollup_log.go
		return nil, 0, err
	}
	var args []any
	where, group := q.stepWhere(&args, "intake_day")
	if group == "by_user" {
		group = "intake_by"
	}
	args = append(args, groupKey)
	where += fmt.Sprintf(" AND %s = $%d", group, len(args))
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sv_cases WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err, "count intakes")
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	args = append(args, limit, max(offset, 0))
	rows, err := s.read.QueryContext(ctx, fmt.Sprintf(`SELECT number FROM sv_cases WHERE %s ORDER BY number LIMIT $%d OFFSET $%d`,
		where, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, mapErr(err, "intakes")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, 0, mapErr(err, "scan intake")
		}
		out = append(out, n)
	}
	return out, total, mapErr(rows.Err(), "intakes")
}
