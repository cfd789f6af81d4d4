package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/rating"
)

// VisitToken is the stored side of a visit's one-time rating token: its
// hash, and what the visit rates.
type VisitToken struct {
	Hash       string
	TicketID   string
	HallCode   string
	Window     string
	Clerk      string
	Department string
	IssuedAt   time.Time
	ExpiresAt  time.Time
	UsedAt     time.Time
}

// CreateVisitToken stores a visit's rating token. A visit gets one token:
// a second for the same ticket is a conflict.
func (s *Store) CreateVisitToken(ctx context.Context, t VisitToken) error {
	return s.update(ctx, func(tx *sql.Tx) error { return insertVisitToken(ctx, tx, t) })
}

func insertVisitToken(ctx context.Context, tx *sql.Tx, t VisitToken) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO rating_tokens
		(token_hash, ticket_id, hall_code, window_number, clerk, department, issued_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		t.Hash, t.TicketID, t.HallCode, t.Window, t.Clerk, t.Department, stamp(t.IssuedAt), stamp(t.ExpiresAt))
	return err
}

// VisitToken returns the token with hash, used or not.
func (s *Store) VisitToken(ctx context.Context, hash string) (*VisitToken, error) {
	var t VisitToken
	err := s.read.QueryRowContext(ctx, `SELECT token_hash, ticket_id, hall_code, window_number, clerk, department,
		issued_at, expires_at, used_at FROM rating_tokens WHERE token_hash = $1`, hash).Scan(
		&t.Hash, &t.TicketID, &t.HallCode, &t.Window, &t.Clerk, &t.Department,
		timeDest{&t.IssuedAt}, timeDest{&t.ExpiresAt}, timeDest{&t.UsedAt})
	if err != nil {
		return nil, notFound(err, "评价码无效")
	}
	return &t, nil
}

// CreateRating saves a rating and, for a bad one, the rectification it
// opens with its first event, in one transaction. A visit's rating uses up
// its token (tokenHash) in the same transaction: of two submissions with
// one token, or two ratings of one case, exactly one is saved and the
// other is a conflict.
func (s *Store) CreateRating(ctx context.Context, r *rating.Rating, tokenHash string, x *rating.Rectification, ev *rating.RectificationEvent) error {
	return s.update(ctx, func(tx *sql.Tx) error { return s.createRating(ctx, tx, r, tokenHash, x, ev) })
}

// createRating is CreateRating in tx.
func (s *Store) createRating(ctx context.Context, tx *sql.Tx, r *rating.Rating, tokenHash string, x *rating.Rectification, ev *rating.RectificationEvent) error {
	{
		if tokenHash != "" {
			res, err := tx.ExecContext(ctx, `UPDATE rating_tokens SET used_at = $1
				WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1`, stamp(r.CreatedAt), tokenHash)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return apperr.New(apperr.Conflict, "本次服务已评价过，或评价码已过期")
			}
		}
		var caseID int64
		if r.CaseNumber != "" {
			err := tx.QueryRowContext(ctx, `SELECT id FROM cases WHERE number = $1`, r.CaseNumber).Scan(&caseID)
			if err != nil {
				return notFound(err, "未知的办件编号："+r.CaseNumber)
			}
		}
		tags, err := json.Marshal(r.Tags)
		if err != nil {
			return err
		}
		var ticket any
		if r.TicketID != "" {
			ticket = r.TicketID
		}
		phone, err := s.seal(sealRaterPhone, r.Phone)
		if err != nil {
			return err
		}
		// rater_phone stays empty: the phone is kept sealed beside it.
		err = tx.QueryRowContext(ctx, `INSERT INTO ratings (level, tags, text, channel, ticket_id, case_id, hall_code,
			window_number, clerk, department, real_name, rater_name, rater_phone, rater_phone_sealed, key_hash, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '', $13, $14, $15) RETURNING id`,
			int(r.Level), string(tags), r.Text, string(r.Channel), ticket, dbNull(caseID), r.HallCode,
			r.Window, r.Clerk, r.Department, r.RealName, r.Name, phone, r.KeyHash, stamp(r.CreatedAt)).Scan(&r.ID)
		if err != nil {
			if apperr.Is(mapErr(err, ""), apperr.Conflict) {
				return apperr.New(apperr.Conflict, "已评价过，每次服务、每个办件只能评价一次")
			}
			return err
		}
		if err := s.rollRating(ctx, tx, r.CreatedAt, r.Department, r.HallCode, r.Level.Bad(), 1); err != nil {
			return err // the per-hall satisfaction (rating_rollup.go)
		}
		if x == nil {
			return nil
		}
		x.RatingID = r.ID
		err = tx.QueryRowContext(ctx, `INSERT INTO rectifications (rating_id, state, level, real_name, department,
			hall_code, window_number, clerk, deadline, opened_at, updated_at, version, last_seq)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12) RETURNING id`,
			x.RatingID, string(x.State), int(x.Level), x.RealName, x.Department, x.HallCode, x.Window, x.Clerk,
			stamp(x.Deadline), stamp(x.OpenedAt), x.Version, x.LastSeq).Scan(&x.ID)
		if err != nil {
			return err
		}
		x.Events = []rating.RectificationEvent{*ev}
		return insertRectificationEvent(ctx, tx, x.ID, ev)
	}
}

const ratingColumns = `r.id, r.level, r.tags, r.text, r.channel, COALESCE(r.ticket_id, ''), COALESCE(c.number, ''),
	r.hall_code, r.window_number, r.clerk, r.department, r.real_name, r.rater_name, r.rater_phone_sealed, r.key_hash,
	r.created_at, a.tags, a.text, a.created_at`

const ratingFrom = `ratings r LEFT JOIN cases c ON c.id = r.case_id LEFT JOIN rating_additions a ON a.rating_id = r.id`

// Rating returns the rating with id, with its addition if any.
func (s *Store) Rating(ctx context.Context, id int64) (*rating.Rating, error) {
	r, err := s.scanRating(s.read.QueryRowContext(ctx, `SELECT `+ratingColumns+` FROM `+ratingFrom+` WHERE r.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "未找到该评价")
	}
	return r, nil
}

// CaseRating returns the online rating of the case with number.
func (s *Store) CaseRating(ctx context.Context, number string) (*rating.Rating, error) {
	r, err := s.scanRating(s.read.QueryRowContext(ctx, `SELECT `+ratingColumns+` FROM `+ratingFrom+`
		WHERE c.number = $1 AND r.ticket_id IS NULL`, number))
	if err != nil {
		return nil, notFound(err, "该办件尚未评价")
	}
	return r, nil
}

func (s *Store) scanRating(row interface{ Scan(...any) error }) (*rating.Rating, error) {
	var r rating.Rating
	var level int
	var tags, channel string
	var addTags, addText sql.NullString
	var addAt time.Time
	err := row.Scan(&r.ID, &level, &tags, &r.Text, &channel, &r.TicketID, &r.CaseNumber,
		&r.HallCode, &r.Window, &r.Clerk, &r.Department, &r.RealName, &r.Name, s.opened(sealRaterPhone, &r.Phone), &r.KeyHash,
		timeDest{&r.CreatedAt}, &addTags, &addText, timeDest{&addAt})
	if err != nil {
		return nil, err
	}
	r.Level, r.Channel = rating.Level(level), rating.Channel(channel)
	if err := json.Unmarshal([]byte(tags), &r.Tags); err != nil {
		return nil, fmt.Errorf("rating %d tags: %w", r.ID, err)
	}
	if addTags.Valid {
		r.Addition = &rating.Addition{Text: addText.String, CreatedAt: addAt}
		if err := json.Unmarshal([]byte(addTags.String), &r.Addition.Tags); err != nil {
			return nil, fmt.Errorf("rating %d addition tags: %w", r.ID, err)
		}
	}
	return &r, nil
}

// AddToRating records the one addition to rating id; a second is a
// conflict, the rating itself is never changed.
func (s *Store) AddToRating(ctx context.Context, id int64, a *rating.Addition) error {
	tags, err := json.Marshal(a.Tags)
	if err != nil {
		return apperr.Wrap(err, "addition tags")
	}
	err = s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO rating_additions (rating_id, tags, text, created_at) VALUES ($1, $2, $3, $4)`,
			id, string(tags), a.Text, stamp(a.CreatedAt))
		return err
	})
	if apperr.Is(err, apperr.Conflict) {
		return apperr.New(apperr.Conflict, "该评价已追加过，不能再次追加")
	}
	return err
}

const rectificationColumns = `x.id, x.rating_id, x.state, x.level, x.real_name, x.department, x.hall_code,
	x.window_number, x.clerk, x.deadline, x.opened_at, x.updated_at, x.closed_at, x.version, x.last_seq, x.proposed`

func scanRectification(row interface{ Scan(...any) error }) (*rating.Rectification, error) {
	var x rating.Rectification
	var state, proposed string
	var level int
	err := row.Scan(&x.ID, &x.RatingID, &state, &level, &x.RealName, &x.Department, &x.HallCode,
		&x.Window, &x.Clerk, timeDest{&x.Deadline}, timeDest{&x.OpenedAt}, timeDest{&x.UpdatedAt},
		timeDest{&x.ClosedAt}, &x.Version, &x.LastSeq, &proposed)
	x.State, x.Level, x.Proposed = rating.State(state), rating.Level(level), rating.State(proposed)
	return &x, err
}

func insertRectificationEvent(ctx context.Context, tx *sql.Tx, id int64, ev *rating.RectificationEvent) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO rectification_events (rectification_id, seq, action, from_state,
		to_state, actor, role, at, note, follow_up, follow_up_result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		id, ev.Seq, string(ev.Action), string(ev.From), string(ev.To), ev.Actor, ev.Role, stamp(ev.At),
		ev.Note, string(ev.FollowUp), ev.FollowUpResult)
	return err
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func rectificationEvents(ctx context.Context, q querier, id int64) ([]rating.RectificationEvent, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, action, from_state, to_state, actor, role, at, note, follow_up,
		follow_up_result FROM rectification_events WHERE rectification_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rating.RectificationEvent
	for rows.Next() {
		var e rating.RectificationEvent
		var action, from, to, followUp string
		if err := rows.Scan(&e.Seq, &action, &from, &to, &e.Actor, &e.Role, timeDest{&e.At}, &e.Note, &followUp, &e.FollowUpResult); err != nil {
			return nil, err
		}
		e.Action, e.From, e.To, e.FollowUp = rating.Action(action), rating.State(from), rating.State(to), rating.FollowUpMethod(followUp)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Rectification returns the rectification with id and its events.
func (s *Store) Rectification(ctx context.Context, id int64) (*rating.Rectification, error) {
	x, err := scanRectification(s.read.QueryRowContext(ctx, `SELECT `+rectificationColumns+` FROM rectifications x WHERE x.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "未找到该整改单")
	}
	if x.Events, err = rectificationEvents(ctx, s.read, id); err != nil {
		return nil, mapErr(err, "rectification events")
	}
	return x, nil
}

// RectificationOf returns the rectification a rating opened.
func (s *Store) RectificationOf(ctx context.Context, ratingID int64) (*rating.Rectification, error) {
	var id int64
	if err := s.read.QueryRowContext(ctx, `SELECT id FROM rectifications WHERE rating_id = $1`, ratingID).Scan(&id); err != nil {
		return nil, notFound(err, "该评价没有整改单")
	}
	return s.Rectification(ctx, id)
}

// RectificationChange changes a rectification in place and returns the
// event recording the change; an error changes nothing.
type RectificationChange func(x *rating.Rectification) (*rating.RectificationEvent, error)

// UpdateRectification loads the rectification, lets change alter it, and
// writes it with its event in one transaction. A change committed in
// between makes this one a conflict, never a lost update.
func (s *Store) UpdateRectification(ctx context.Context, id int64, change RectificationChange) (*rating.Rectification, error) {
	var out *rating.Rectification
	err := s.update(ctx, func(tx *sql.Tx) error {
		x, err := scanRectification(tx.QueryRowContext(ctx, `SELECT `+rectificationColumns+` FROM rectifications x WHERE x.id = $1`, id))
		if err != nil {
			return notFound(err, "未找到该整改单")
		}
		if x.Events, err = rectificationEvents(ctx, tx, id); err != nil {
			return err
		}
		old, before := x.Version, x.State
		ev, err := change(x)
		if err != nil {
			return err
		}
		if err := s.unrollUpheld(ctx, tx, before, x); err != nil {
			return err
		}
		x.Version++
		res, err := tx.ExecContext(ctx, `UPDATE rectifications SET state = $1, updated_at = $2, closed_at = $3,
			version = $4, last_seq = $5, proposed = $8 WHERE id = $6 AND version = $7`,
			string(x.State), stamp(x.UpdatedAt), stamp(x.ClosedAt), x.Version, x.LastSeq, x.ID, old, string(x.Proposed))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "整改单已被他人同时修改，请刷新后重试")
		}
		if err := insertRectificationEvent(ctx, tx, x.ID, ev); err != nil {
			return err
		}
		out = x
		return nil
	})
	return out, err
}

// RectificationFilter narrows the list of rectifications.
type RectificationFilter struct {
	States     []rating.State
	Department string
	DueBefore  time.Time // running ones due before this only
	Limit      int       // 0: 200
}

// Rectifications lists rectifications, the earliest deadline first,
// without their events.
func (s *Store) Rectifications(ctx context.Context, f RectificationFilter) ([]rating.Rectification, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if len(f.States) > 0 {
		var ps []string
		for _, st := range f.States {
			ps = append(ps, arg(string(st)))
		}
		where = append(where, "x.state IN ("+strings.Join(ps, ", ")+")")
	}
	if f.Department != "" {
		where = append(where, "x.department = "+arg(f.Department))
	}
	if !f.DueBefore.IsZero() {
		where = append(where, "x.state IN ('open', 'in_progress') AND x.deadline < "+arg(stamp(f.DueBefore)))
	}
	q := `SELECT ` + rectificationColumns + ` FROM rectifications x`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	q += " ORDER BY x.deadline, x.id LIMIT " + arg(limit)
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, mapErr(err, "list rectifications")
	}
	defer rows.Close()
	var out []rating.Rectification
	for rows.Next() {
		x, err := scanRectification(rows)
		if err != nil {
			return nil, mapErr(err, "scan rectification")
		}
		out = append(out, *x)
	}
	return out, mapErr(rows.Err(), "list rectifications")
}

// RatingRates counts the ratings given in [from, to) per group: all, bad,
// real-name bad, and real-name bad ones rectified (done or explained:
// confirmed by the supervisor, never a department's own report).
// Ratings whose appeal was upheld are left out.
func (s *Store) RatingRates(ctx context.Context, from, to time.Time, g rating.GroupBy) ([]rating.Rate, error) {
	var cols string
	switch g {
	case rating.ByDepartment:
		cols = "r.department"
	case rating.ByWindow:
		cols = "r.hall_code, r.window_number"
	case rating.ByClerk:
		cols = "r.clerk"
	case rating.ByHall:
		cols = "r.hall_code"
	default:
		return nil, apperr.Field("group", "统计维度须为 department、window、clerk 或 hall")
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+cols+`, COUNT(*),
		SUM(CASE WHEN r.level <= 2 THEN 1 ELSE 0 END),
		SUM(CASE WHEN r.level <= 2 AND r.real_name THEN 1 ELSE 0 END),
		SUM(CASE WHEN r.level <= 2 AND r.real_name AND x.state IN ('done', 'explained') THEN 1 ELSE 0 END)
		FROM ratings r LEFT JOIN rectifications x ON x.rating_id = r.id
		WHERE r.created_at >= $1 AND r.created_at < $2 AND (x.state IS NULL OR x.state <> 'upheld')
		GROUP BY `+cols+` ORDER BY `+cols, stamp(from), stamp(to))
	if err != nil {
		return nil, mapErr(err, "rating rates")
	}
	defer rows.Close()
	var out []rating.Rate
	for rows.Next() {
		var r rating.Rate
		dest := []any{&r.Key}
		if g == rating.ByWindow {
			dest = []any{&r.Hall, &r.Key}
		}
		dest = append(dest, &r.Total, &r.Bad, &r.RealNameBad, &r.RealNameRectified)
		if err := rows.Scan(dest...); err != nil {
			return nil, mapErr(err, "scan rates")
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err(), "rating rates")
}
