package store

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/supervision"
)

// RedSteps returns every step due in the period (dates, both included)
// that was taken late or missed, or is open past its deadline at now: the
// steps that turned their cases red, as RedCases counts them and the
// drill-down's status "red" lists them. Ordered by department, case and
// deadline.
func (s *Store) RedSteps(ctx context.Context, from, to string, now time.Time) ([]StepCase, error) {
	if err := s.settleLog(ctx); err != nil { // the changes logged so far first: rollup_log.go
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT number, kind, ord, department, item, hall, by_user, due_at, done_at, late, answer, paused
		FROM sv_steps WHERE due_day >= $1 AND due_day <= $2
		AND ((done_at IS NOT NULL AND late) OR (done_at IS NULL AND NOT paused AND due_at < $3))
		ORDER BY department, number, due_at, kind, ord`, from, to, stamp(now))
	if err != nil {
		return nil, mapErr(err, "red steps")
	}
	defer rows.Close()
	var out []StepCase
	for rows.Next() {
		var c StepCase
		var kind, answer string
		if err := rows.Scan(&c.Number, &kind, &c.Ord, &c.Department, &c.Item, &c.Hall, &c.User, timeDest{&c.Due}, timeDest{&c.Done},
			&c.Late, &answer, &c.Paused); err != nil {
			return nil, mapErr(err, "scan red step")
		}
		c.Kind, c.Answer = supervision.Kind(kind), supervision.Answer(answer)
		out = append(out, c)
	}
	return out, mapErr(rows.Err(), "red steps")
}

// LateNotices returns the notices opened in the period (dates, both
// included) that were not answered by their reply deadline, seen at now:
// still unanswered past it, or answered after it. They are the notices
// UnansweredNotices counts. Ordered by department and opening.
func (s *Store) LateNotices(ctx context.Context, from, to string, now time.Time) ([]supervision.Notice, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+noticeColumns+` FROM sv_notices
		WHERE opened_at >= $1 AND opened_at < $2
		AND ((replied_at IS NULL AND reply_by < $3) OR replied_at > reply_by)
		ORDER BY department, opened_at, id`, dayStart(from), dayStart(nextDay(to)), stamp(now))
	if err != nil {
		return nil, mapErr(err, "late notices")
	}
	defer rows.Close()
	var out []supervision.Notice
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, mapErr(err, "scan notice")
		}
		out = append(out, *n)
	}
	return out, mapErr(rows.Err(), "late notices")
}
