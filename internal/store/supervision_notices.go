package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/supervision"
)

const noticeColumns = `id, number, department, step, step_ord, origin, reason, opened_at, opened_by, reply_by,
	replied_at, replied_by, explanation, measures, escalated_at`

func scanNotice(row interface{ Scan(...any) error }) (*supervision.Notice, error) {
	var n supervision.Notice
	var step, origin string
	err := row.Scan(&n.ID, &n.Number, &n.Department, &step, &n.StepOrd, &origin, &n.Reason, timeDest{&n.OpenedAt}, &n.OpenedBy,
		timeDest{&n.ReplyBy}, timeDest{&n.RepliedAt}, &n.RepliedBy, &n.Explanation, &n.Measures, timeDest{&n.EscalatedAt})
	n.Step, n.Origin = supervision.Kind(step), supervision.Origin(origin)
	if n.Origin == supervision.ByHand {
		n.StepOrd = 0
	}
	return &n, err
}

// OverdueStep is an open step past its deadline that has no notice yet.
type OverdueStep struct {
	CaseID     int64
	Number     string
	Department string
	Step       supervision.Step
}

// OverdueWithoutNotice returns up to limit open steps past their deadline
// at now that have no supervision notice yet.
func (s *Store) OverdueWithoutNotice(ctx context.Context, now time.Time, limit int) ([]OverdueStep, error) {
	if err := s.settleLog(ctx); err != nil { // the changes logged so far first: rollup_log.go
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT s.case_id, s.number, s.department, s.kind, s.ord, s.due_at FROM sv_steps s
		WHERE s.done_at IS NULL AND NOT s.paused AND s.due_at < $1
		AND NOT EXISTS (SELECT 1 FROM sv_notices n WHERE n.case_id = s.case_id AND n.step = s.kind AND n.step_ord = s.ord)
		ORDER BY s.due_at LIMIT $2`, stamp(now), limit)
	if err != nil {
		return nil, mapErr(err, "overdue steps")
	}
	defer rows.Close()
	var out []OverdueStep
	for rows.Next() {
		var o OverdueStep
		var kind string
		if err := rows.Scan(&o.CaseID, &o.Number, &o.Department, &kind, &o.Step.Ord, timeDest{&o.Step.Due}); err != nil {
			return nil, mapErr(err, "scan overdue step")
		}
		o.Step.Kind = supervision.Kind(kind)
		out = append(out, o)
	}
	return out, mapErr(rows.Err(), "overdue steps")
}

// OpenSweepNotice saves a notice the sweep opened on case caseID; it
// reports false, changing nothing, when the case already has one for that
// deadline (another node or an earlier run opened it).
func (s *Store) OpenSweepNotice(ctx context.Context, caseID int64, n *supervision.Notice) (bool, error) {
	var opened bool
	err := s.update(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO sv_notices (case_id, number, department, step, step_ord, origin, reason,
			opened_at, opened_by, reply_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (case_id, step, step_ord) DO NOTHING RETURNING id`,
			caseID, n.Number, n.Department, string(n.Step), n.StepOrd, string(n.Origin), n.Reason,
			stamp(n.OpenedAt), n.OpenedBy, stamp(n.ReplyBy)).Scan(&n.ID)
		if err == sql.ErrNoRows {
			return nil
		}
		opened = err == nil
		return err
	})
	return opened, err
}

// OpenHandNotice saves a notice a supervisor opened on case caseID, numbered
// after the case's earlier ones by hand.
func (s *Store) OpenHandNotice(ctx context.Context, caseID int64, n *supervision.Notice) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO sv_notices (case_id, number, department, step, step_ord, origin, reason,
			opened_at, opened_by, reply_by)
			SELECT $1, $2, $3, '', COALESCE(MAX(step_ord), 0) + 1, $4, $5, $6, $7, $8 FROM sv_notices WHERE case_id = $1 AND step = ''
			RETURNING id`,
			caseID, n.Number, n.Department, string(n.Origin), n.Reason, stamp(n.OpenedAt), n.OpenedBy, stamp(n.ReplyBy)).Scan(&n.ID)
	})
}

// Notice returns one supervision notice.
func (s *Store) Notice(ctx context.Context, id int64) (*supervision.Notice, error) {
	n, err := scanNotice(s.read.QueryRowContext(ctx, `SELECT `+noticeColumns+` FROM sv_notices WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "督办单不存在")
	}
	return n, nil
}

// NoticeFilter selects notices: opened from From to To (dates, both
// included; "" for no bound), of one department, by status at Now,
// escalated only.
type NoticeFilter struct {
	From, To   string
	Department string
	Status     supervision.NoticeStatus
	Escalated  bool
	Number     string
	Now        time.Time
	Limit      int
	Offset     int
}

// Notices lists notices, the oldest unanswered first, and their total.
func (s *Store) Notices(ctx context.Context, f NoticeFilter) ([]supervision.Notice, int, error) {
	where, args := "1 = 1", []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.From != "" {
		add("opened_at >= $%d", dayStart(f.From))
	}
	if f.To != "" {
		add("opened_at < $%d", dayStart(nextDay(f.To)))
	}
	if f.Department != "" {
		add("department = $%d", f.Department)
	}
	if f.Number != "" {
		add("number = $%d", f.Number)
	}
	if f.Escalated {
		where += " AND escalated_at IS NOT NULL AND replied_at IS NULL"
	}
	switch f.Status {
	case supervision.NoticeReplied:
		where += " AND replied_at IS NOT NULL"
	case supervision.NoticeOpen:
		add("replied_at IS NULL AND reply_by >= $%d", stamp(f.Now))
	case supervision.NoticeOverdue:
		add("replied_at IS NULL AND reply_by < $%d", stamp(f.Now))
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sv_notices WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err, "count notices")
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.read.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM sv_notices WHERE %s
		ORDER BY CASE WHEN replied_at IS NULL THEN 0 ELSE 1 END, reply_by, id LIMIT $%d OFFSET $%d`,
		noticeColumns, where, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, mapErr(err, "notices")
	}
	defer rows.Close()
	var out []supervision.Notice
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, 0, mapErr(err, "scan notice")
		}
		out = append(out, *n)
	}
	return out, total, mapErr(rows.Err(), "notices")
}

// NoticeChange changes a notice in place; an error changes nothing.
type NoticeChange func(n *supervision.Notice) error

// UpdateNotice loads a notice, lets change answer it, and saves the reply
// in one transaction; a notice answered meanwhile is not answered twice.
func (s *Store) UpdateNotice(ctx context.Context, id int64, change NoticeChange) (*supervision.Notice, error) {
	var out *supervision.Notice
	err := s.update(ctx, func(tx *sql.Tx) error {
		n, err := scanNotice(tx.QueryRowContext(ctx, `SELECT `+noticeColumns+` FROM sv_notices WHERE id = $1`, id))
		if err != nil {
			return notFound(err, "督办单不存在")
		}
		if err := change(n); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE sv_notices SET replied_at = $1, replied_by = $2, explanation = $3, measures = $4
			WHERE id = $5 AND replied_at IS NULL`, stamp(n.RepliedAt), n.RepliedBy, n.Explanation, n.Measures, id)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return apperr.New(apperr.Conflict, "督办单已被他人回复，请刷新后查看")
		}
		out = n
		return nil
	})
	return out, err
}

// EscalateNotices marks every notice unanswered past its reply deadline at
// now as escalated (once), and returns how many it marked.
func (s *Store) EscalateNotices(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sv_notices SET escalated_at = $1
			WHERE replied_at IS NULL AND escalated_at IS NULL AND reply_by < $1`, stamp(now))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// UnansweredNotices returns, per department, the notices opened in the
// period (dates) that were not answered by their deadline, seen at now.
func (s *Store) UnansweredNotices(ctx context.Context, from, to string, now time.Time) (map[string]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT department, COUNT(*) FROM sv_notices
		WHERE opened_at >= $1 AND opened_at < $2
		AND ((replied_at IS NULL AND reply_by < $3) OR replied_at > reply_by) GROUP BY department`,
		dayStart(from), dayStart(nextDay(to)), stamp(now))
	if err != nil {
		return nil, mapErr(err, "unanswered notices")
	}
	return scanCounts(rows)
}

// SupervisionSettings returns the stored settings, or the defaults.
func (s *Store) SupervisionSettings(ctx context.Context) (supervision.Settings, error) {
	set := supervision.DefaultSettings()
	var raw string
	err := s.read.QueryRowContext(ctx, `SELECT value FROM sv_settings WHERE name = 'supervision'`).Scan(&raw)
	if err == sql.ErrNoRows {
		return set, nil
	}
	if err != nil {
		return set, mapErr(err, "supervision settings")
	}
	if err := json.Unmarshal([]byte(raw), &set); err != nil {
		return set, mapErr(err, "supervision settings")
	}
	return set, nil
}

// SaveSupervisionSettings stores the settings.
func (s *Store) SaveSupervisionSettings(ctx context.Context, set supervision.Settings, by string) error {
	b, err := json.Marshal(set)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sv_settings (name, value, updated_at, updated_by) VALUES ('supervision', $1, $2, $3)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			string(b), stamp(s.clock.Now()), by)
		return err
	})
}

// dayStart is the start of a date (2026-01-05) in Asia/Shanghai, as a
// query argument.
func dayStart(day string) any {
	d, err := calendar.ParseDate(day)
	if err != nil {
		return nil
	}
	return stamp(d.At(0, 0))
}

// nextDay is the date after day.
func nextDay(day string) string {
	d, err := calendar.ParseDate(day)
	if err != nil {
		return day
	}
	return d.AddDays(1).String()
}
