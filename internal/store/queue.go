package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/queue"
)

// ---- settings and categories ----

// QueueSettings returns a hall's queue settings, the defaults if none
// were set.
func (s *Store) QueueSettings(ctx context.Context, hall string) (queue.Settings, error) {
	set := queue.DefaultSettings()
	err := s.read.QueryRowContext(ctx, `SELECT fairness_limit, max_recalls, text_ahead FROM queue_settings WHERE hall_code = $1`, hall).
		Scan(&set.FairnessLimit, &set.MaxRecalls, &set.TextAhead)
	if err == sql.ErrNoRows {
		return queue.DefaultSettings(), nil
	}
	return set, mapErr(err, "queue settings")
}

// SetQueueSettings stores a hall's queue settings.
func (s *Store) SetQueueSettings(ctx context.Context, hall string, set queue.Settings, by string) error {
	now := s.clock.Now()
	return s.update(ctx, func(tx *sql.Tx) error {
		if _, err := hallID(ctx, tx, hall, "hall"); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO queue_settings (hall_code, fairness_limit, max_recalls, text_ahead, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (hall_code) DO UPDATE
			SET fairness_limit = excluded.fairness_limit, max_recalls = excluded.max_recalls, text_ahead = excluded.text_ahead,
				updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			hall, set.FairnessLimit, set.MaxRecalls, set.TextAhead, stamp(now), by)
		return err
	})
}

func settingsTx(ctx context.Context, tx *sql.Tx, hall string) (queue.Settings, error) {
	set := queue.DefaultSettings()
	err := tx.QueryRowContext(ctx, `SELECT fairness_limit, max_recalls, text_ahead FROM queue_settings WHERE hall_code = $1`, hall).
		Scan(&set.FairnessLimit, &set.MaxRecalls, &set.TextAhead)
	if err == sql.ErrNoRows {
		return queue.DefaultSettings(), nil
	}
	return set, err
}

// CreateCategory adds a service category to its hall; its code and prefix
// must be new in the hall.
func (s *Store) CreateCategory(ctx context.Context, c *queue.Category) error {
	now := s.clock.Now()
	items, _ := json.Marshal(nonNil(c.Items))
	hours, _ := json.Marshal(c.Hours)
	err := s.update(ctx, func(tx *sql.Tx) error {
		if _, err := hallID(ctx, tx, c.HallCode, "hall_code"); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO queue_categories (hall_code, code, name, prefix, items, hours, daily_cap, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			c.HallCode, c.Code, c.Name, c.Prefix, string(items), string(hours), c.DailyCap, stamp(now)).Scan(&c.ID)
	})
	if apperr.Is(err, apperr.Conflict) {
		return apperr.New(apperr.Conflict, "大厅 %s 已有编码为 %s 或号码前缀为 %s 的取号类别", c.HallCode, c.Code, c.Prefix)
	}
	return err
}

const categoryCols = `id, hall_code, code, name, prefix, items, hours, daily_cap`

func scanCategory(row interface{ Scan(...any) error }) (*queue.Category, error) {
	var c queue.Category
	var items, hours string
	if err := row.Scan(&c.ID, &c.HallCode, &c.Code, &c.Name, &c.Prefix, &items, &hours, &c.DailyCap); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(items), &c.Items); err != nil {
		return nil, err
	}
	return &c, json.Unmarshal([]byte(hours), &c.Hours)
}

// Categories lists a hall's categories by code.
func (s *Store) Categories(ctx context.Context, hall string) ([]queue.Category, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+categoryCols+` FROM queue_categories WHERE hall_code = $1 ORDER BY code`, hall)
	if err != nil {
		return nil, mapErr(err, "list categories")
	}
	defer rows.Close()
	out := []queue.Category{}
	for rows.Next() {
		c, err := scanCategory(rows)
		if err != nil {
			return nil, mapErr(err, "scan category")
		}
		out = append(out, *c)
	}
	return out, mapErr(rows.Err(), "list categories")
}

// Category returns one category of a hall.
func (s *Store) Category(ctx context.Context, hall, code string) (*queue.Category, error) {
	c, err := scanCategory(s.read.QueryRowContext(ctx, `SELECT `+categoryCols+` FROM queue_categories WHERE hall_code = $1 AND code = $2`, hall, code))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("大厅 %s 没有取号类别 %s", hall, code))
	}
	return c, nil
}

// ---- tickets ----

// ticketCols reads the ID number from its sealed column; id_number holds
// its keyed hash (one open ticket per ID, the applicant's visits).
const ticketCols = `id, hall_code, category, number, day, priority, id_number_sealed, state, at_window, target_window,
	issued_at, queued_at, called_at, started_at, finished_at, recalls, requeues, no_show_reason, version, last_seq`

func (s *Store) scanTicket(row interface{ Scan(...any) error }) (*queue.Ticket, error) {
	var t queue.Ticket
	var day, priority, state string
	err := row.Scan(&t.ID, &t.HallCode, &t.Category, &t.Number, &day, &priority, s.opened(sealTicketID, &t.IDNumber), &state, &t.Window, &t.TargetWindow,
		timeDest{&t.IssuedAt}, timeDest{&t.QueuedAt}, timeDest{&t.CalledAt}, timeDest{&t.StartedAt}, timeDest{&t.FinishedAt},
		&t.Recalls, &t.Requeues, &t.NoShowReason, &t.Version, &t.LastSeq)
	if err != nil {
		return nil, err
	}
	if t.Day, err = calendar.ParseDate(day); err != nil {
		return nil, err
	}
	t.Priority, t.State = queue.Priority(priority), queue.State(state)
	return &t, nil
}

func insertTicketEvent(ctx context.Context, tx *sql.Tx, id int64, ev *queue.TicketEvent) error {
	details := string(ev.Details)
	if details == "" {
		details = "{}"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO ticket_events (ticket_id, seq, type, actor, at_window, at, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		id, ev.Seq, string(ev.Type), ev.Actor, ev.Window, stamp(ev.At), details)
	return err
}

// CreateTicket numbers and saves a ticket just taken for category c, with
// its issue event, in one transaction: the category's counter of the day
// (queue.CounterName) is incremented in it, so numbers are never
// duplicated or skipped, and a ticket past the daily cap rolls the counter
// back with it. A second open ticket of the same ID in the hall that day
// is a conflict. It returns how many waiting tickets of the category are
// ahead of the new one.
func (s *Store) CreateTicket(ctx context.Context, c *queue.Category, t *queue.Ticket, actor string) (int, error) {
	var ahead int
	err := s.update(ctx, func(tx *sql.Tx) error {
		n, err := s.nextCounter(ctx, tx, queue.CounterName(c.HallCode, c.Code, t.IssuedAt))
		if err != nil {
			return err
		}
		if err := c.CheckCap(n); err != nil {
			return err
		}
		t.Number = queue.Number(c.Prefix, n)
		ev := queue.IssueEvent(t, actor)
		idHash, err := s.hash(hashID, t.IDNumber)
		if err != nil {
			return err
		}
		idSealed, err := s.seal(sealTicketID, t.IDNumber)
		if err != nil {
			return err
		}
		phoneSealed, err := s.seal(sealTicketPhone, t.Phone)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO tickets (hall_code, category, number, day, priority, id_number, id_number_sealed,
				state, at_window, target_window, issued_at, queued_at, recalls, requeues, no_show_reason, version, last_seq, phone_sealed)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', '', $9, $9, 0, 0, '', $10, $11, $12) RETURNING id`,
			t.HallCode, t.Category, t.Number, t.Day.String(), string(t.Priority), idHash, idSealed, string(t.State),
			stamp(t.IssuedAt), t.Version, t.LastSeq, phoneSealed).Scan(&t.ID)
		if err != nil {
			if apperr.Is(mapErr(err, "insert ticket"), apperr.Conflict) {
				return apperr.New(apperr.Conflict, "该证件今天在本大厅已有未办结的号，请等候叫号或先取消原号")
			}
			return err
		}
		if err := insertTicketEvent(ctx, tx, t.ID, ev); err != nil {
			return err
		}
		ahead, err = aheadOf(ctx, tx, t)
		return err
	})
	return ahead, err
}

// queryer is a transaction or a pool.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// aheadOf counts the waiting tickets of t's category called before t by
// queue.Ahead's order (priority classes first, then queue time).
func aheadOf(ctx context.Context, q queryer, t *queue.Ticket) (int, error) {
	if t.State != queue.Waiting {
		return 0, nil
	}
	before := `(queued_at < $4 OR (queued_at = $4 AND id < $5))`
	cond := `priority <> 'normal' AND ` + before
	if !t.Priority.IsPriority() {
		cond = `(priority <> 'normal' OR ` + before + `)`
	}
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE hall_code = $1 AND day = $2 AND category = $3
		AND state = 'waiting' AND id <> $5 AND `+cond,
		t.HallCode, t.Day.String(), t.Category, stamp(t.QueuedAt), t.ID).Scan(&n)
	return n, err
}

// Ticket returns a ticket and how many waiting tickets of its category are
// ahead of it.
func (s *Store) Ticket(ctx context.Context, id int64) (*queue.Ticket, int, error) {
	t, err := s.scanTicket(s.read.QueryRowContext(ctx, `SELECT `+ticketCols+` FROM tickets WHERE id = $1`, id))
	if err != nil {
		return nil, 0, notFound(err, fmt.Sprintf("未找到第 %d 号票据", id))
	}
	ahead, err := aheadOf(ctx, s.read, t)
	return t, ahead, mapErr(err, "count ahead")
}

// TicketEvents returns a ticket's record in order.
func (s *Store) TicketEvents(ctx context.Context, id int64) ([]queue.TicketEvent, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT seq, type, actor, at_window, at, details FROM ticket_events WHERE ticket_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, mapErr(err, "ticket events")
	}
	defer rows.Close()
	out := []queue.TicketEvent{}
	for rows.Next() {
		var e queue.TicketEvent
		var typ, details string
		if err := rows.Scan(&e.Seq, &typ, &e.Actor, &e.Window, timeDest{&e.At}, &details); err != nil {
			return nil, mapErr(err, "scan ticket event")
		}
		e.Type, e.Details = queue.Action(typ), json.RawMessage(details)
		out = append(out, e)
	}
	return out, mapErr(rows.Err(), "ticket events")
}

// TicketCases returns the case numbers linked to a ticket.
func (s *Store) TicketCases(ctx context.Context, id int64) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT case_number FROM ticket_cases WHERE ticket_id = $1 ORDER BY linked_at, case_number`, id)
	if err != nil {
		return nil, mapErr(err, "ticket cases")
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, mapErr(err, "scan case number")
		}
		out = append(out, n)
	}
	return out, mapErr(rows.Err(), "ticket cases")
}

// writeTicket writes t changed from version old with its event; a
// concurrent change (the version or state moved on) writes nothing and
// reports false.
func writeTicket(ctx context.Context, tx *sql.Tx, t *queue.Ticket, old int, oldState queue.State, ev *queue.TicketEvent) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE tickets SET category = $1, state = $2, at_window = $3, target_window = $4,
			queued_at = $5, called_at = $6, started_at = $7, finished_at = $8, recalls = $9, requeues = $10,
			no_show_reason = $11, version = $12, last_seq = $13
		WHERE id = $14 AND version = $15 AND state = $16`,
		t.Category, string(t.State), t.Window, t.TargetWindow, stamp(t.QueuedAt), stamp(t.CalledAt), stamp(t.StartedAt),
		stamp(t.FinishedAt), t.Recalls, t.Requeues, t.NoShowReason, t.Version, t.LastSeq, t.ID, old, string(oldState))
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, nil
	}
	return true, insertTicketEvent(ctx, tx, t.ID, ev)
}

// TicketChange changes a ticket under its hall's settings and returns the
// event recording the change; an error changes nothing.
type TicketChange func(t *queue.Ticket, set queue.Settings) (*queue.TicketEvent, error)

// UpdateTicket loads a ticket, lets change alter it, and writes it with its
// event in one transaction; a concurrent change is a conflict. The ticket
// must not be at a window: window actions go through AtWindow.
func (s *Store) UpdateTicket(ctx context.Context, id int64, change TicketChange) (*queue.Ticket, error) {
	var out *queue.Ticket
	err := s.update(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.updateTicketTx(ctx, tx, id, change)
		return err
	})
	return out, err
}

// UpdateTicketNumbered is UpdateTicket for the ticket numbered number
// (A003) of hall on day: the window console names a ticket by the number
// its holder shows.
func (s *Store) UpdateTicketNumbered(ctx context.Context, hall string, day calendar.Date, number string, change TicketChange) (*queue.Ticket, error) {
	var out *queue.Ticket
	err := s.update(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM tickets WHERE hall_code = $1 AND day = $2 AND number = $3`,
			hall, day.String(), number).Scan(&id)
		if err != nil {
			return notFound(err, "今天没有 "+number+" 号")
		}
		out, err = s.updateTicketTx(ctx, tx, id, change)
		return err
	})
	return out, err
}

// updateTicketTx is UpdateTicket's work in tx.
func (s *Store) updateTicketTx(ctx context.Context, tx *sql.Tx, id int64, change TicketChange) (*queue.Ticket, error) {
	t, ev, old, oldState, err := s.changeTicketTx(ctx, tx, id, change)
	if err != nil {
		return nil, err
	}
	ok, err := writeTicket(ctx, tx, t, old, oldState, ev)
	if err != nil {
		if apperr.Is(mapErr(err, "update ticket"), apperr.Conflict) {
			return nil, apperr.New(apperr.Conflict, "该证件今天在本大厅已有未办结的号，不能重新排队")
		}
		return nil, err
	}
	if !ok {
		return nil, apperr.New(apperr.Conflict, "%s号已被他人同时处理，请刷新后重试", t.Number)
	}
	return t, nil
}

// changeTicketTx loads ticket id in tx with its hall's settings and lets
// change alter it; it returns the ticket, its event, and the version and
// state it had, for writeTicket's guard.
func (s *Store) changeTicketTx(ctx context.Context, tx *sql.Tx, id int64, change TicketChange) (*queue.Ticket, *queue.TicketEvent, int, queue.State, error) {
	t, err := s.scanTicket(tx.QueryRowContext(ctx, `SELECT `+ticketCols+` FROM tickets WHERE id = $1`, id))
	if err != nil {
		return nil, nil, 0, "", notFound(err, fmt.Sprintf("未找到第 %d 号票据", id))
	}
	set, err := settingsTx(ctx, tx, t.HallCode)
	if err != nil {
		return nil, nil, 0, "", err
	}
	old, oldState := t.Version, t.State
	ev, err := change(t, set)
	if err != nil {
		return nil, nil, 0, "", err
	}
	return t, ev, old, oldState, nil
}

// LinkTicketCase records that case was taken in during ticket id's visit,
// with the ticket's event, in one transaction; change checks and records it.
func (s *Store) LinkTicketCase(ctx context.Context, id int64, caseNumber, by string, change TicketChange) (*queue.Ticket, error) {
	var out *queue.Ticket
	err := s.update(ctx, func(tx *sql.Tx) error {
		t, ev, old, oldState, err := s.changeTicketTx(ctx, tx, id, change)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_cases (ticket_id, case_number, linked_at, linked_by) VALUES ($1, $2, $3, $4)`,
			id, caseNumber, stamp(ev.At), by); err != nil {
			switch apperr.CodeOf(mapErr(err, "link case")) {
			case apperr.Conflict:
				return apperr.New(apperr.Conflict, "办件 %s 已关联到%s号", caseNumber, t.Number)
			case apperr.Invalid:
				return apperr.Field("case_number", "未知的办件编号："+caseNumber)
			}
			return err
		}
		ok, err := writeTicket(ctx, tx, t, old, oldState, ev)
		if err == nil && !ok {
			err = apperr.New(apperr.Conflict, "%s号已被他人同时处理，请刷新后重试", t.Number)
		}
		out = t
		return err
	})
	return out, err
}

// WaitingCounts returns, for each category of the hall, how many of the
// day's tickets wait.
func (s *Store) WaitingCounts(ctx context.Context, hall string, day calendar.Date) ([]queue.WaitingCount, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT c.code, COUNT(t.id) FROM queue_categories c
		LEFT JOIN tickets t ON t.hall_code = c.hall_code AND t.category = c.code AND t.day = $2 AND t.state = 'waiting'
		WHERE c.hall_code = $1 GROUP BY c.code ORDER BY c.code`, hall, day.String())
	if err != nil {
		return nil, mapErr(err, "waiting counts")
	}
	defer rows.Close()
	out := []queue.WaitingCount{}
	for rows.Next() {
		var w queue.WaitingCount
		if err := rows.Scan(&w.Category, &w.Waiting); err != nil {
			return nil, mapErr(err, "scan waiting count")
		}
		out = append(out, w)
	}
	return out, mapErr(rows.Err(), "waiting counts")
}

// ---- windows ----

// loadWindow reads a window's queue state, making it (paused, serving every
// category) the first time; an unknown window is not found.
func loadWindow(ctx context.Context, tx *sql.Tx, hall, number string, now time.Time) (*queue.Window, int64, error) {
	_, err := tx.ExecContext(ctx, `INSERT INTO queue_windows (window_id, hall_code, number, categories, is_open, clerk, streak, version, updated_at)
		SELECT w.id, h.code, w.number, '[]', FALSE, '', 0, 1, $3 FROM windows w JOIN halls h ON h.id = w.hall_id
		WHERE h.code = $1 AND w.number = $2
		ON CONFLICT (window_id) DO NOTHING`, hall, number, stamp(now))
	if err != nil {
		return nil, 0, err
	}
	var w queue.Window
	var id int64
	var cats string
	var current sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT window_id, hall_code, number, categories, is_open, clerk, current_ticket, streak, version
		FROM queue_windows WHERE hall_code = $1 AND number = $2`, hall, number).
		Scan(&id, &w.HallCode, &w.Number, &cats, &w.Open, &w.Clerk, &current, &w.Streak, &w.Version)
	if err != nil {
		return nil, 0, notFound(err, fmt.Sprintf("大厅 %s 没有 %s 窗口", hall, number))
	}
	w.Current = current.Int64
	return &w, id, json.Unmarshal([]byte(cats), &w.Categories)
}

// writeWindow writes w changed from version old; a concurrent change is a
// conflict.
func writeWindow(ctx context.Context, tx *sql.Tx, id int64, w *queue.Window, old int, now time.Time) error {
	cats, _ := json.Marshal(nonNil(w.Categories))
	w.Version = old + 1
	res, err := tx.ExecContext(ctx, `UPDATE queue_windows SET categories = $1, is_open = $2, clerk = $3, current_ticket = $4,
		streak = $5, version = $6, updated_at = $7 WHERE window_id = $8 AND version = $9`,
		string(cats), w.Open, w.Clerk, dbNull(w.Current), w.Streak, w.Version, stamp(now), id, old)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.Conflict, "%s窗口正被同时操作，请重试", w.Number)
	}
	return nil
}

// currentTicket returns the ticket at the window (called or serving there),
// or nil, clearing a stale pointer.
func (s *Store) currentTicket(ctx context.Context, tx *sql.Tx, w *queue.Window) (*queue.Ticket, error) {
	if w.Current == 0 {
		return nil, nil
	}
	t, err := s.scanTicket(tx.QueryRowContext(ctx, `SELECT `+ticketCols+` FROM tickets WHERE id = $1`, w.Current))
	if err != nil {
		return nil, err
	}
	if (t.State != queue.Called && t.State != queue.Serving) || t.Window != w.Number {
		w.Current = 0
		return nil, nil
	}
	return t, nil
}

// SetWindowCategories sets the categories a window calls from (empty:
// every category of its hall); each must be a category of the hall.
func (s *Store) SetWindowCategories(ctx context.Context, hall, number string, cats []string) (*queue.Window, error) {
	now := s.clock.Now()
	var out *queue.Window
	err := s.update(ctx, func(tx *sql.Tx) error {
		w, id, err := loadWindow(ctx, tx, hall, number, now)
		if err != nil {
			return err
		}
		for i, c := range cats {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM queue_categories WHERE hall_code = $1 AND code = $2`, hall, c).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return apperr.Field(fmt.Sprintf("categories[%d]", i), fmt.Sprintf("大厅 %s 没有取号类别 %s", hall, c))
			}
		}
		w.Categories = cats
		out = w
		return writeWindow(ctx, tx, id, w, w.Version, now)
	})
	return out, err
}

// QueueWindow returns a window's queue state.
func (s *Store) QueueWindow(ctx context.Context, hall, number string) (*queue.Window, error) {
	var out *queue.Window
	err := s.update(ctx, func(tx *sql.Tx) error {
		w, _, err := loadWindow(ctx, tx, hall, number, s.clock.Now())
		if err != nil {
			return err
		}
		_, err = s.currentTicket(ctx, tx, w)
		out = w
		return err
	})
	return out, err
}

// WindowChange acts at a window on its current ticket (nil when none): it
// may change both, and returns the ticket's event, or nil when only the
// window changed.
type WindowChange func(w *queue.Window, cur *queue.Ticket, set queue.Settings) (*queue.TicketEvent, error)

// AtWindow loads a window and its current ticket, lets change act, and
// writes both (each guarded by its version) and the ticket's event in one
// transaction. It returns the window and the ticket acted on.
func (s *Store) AtWindow(ctx context.Context, hall, number string, now time.Time, change WindowChange) (*queue.Window, *queue.Ticket, error) {
	var ow *queue.Window
	var ot *queue.Ticket
	err := s.update(ctx, func(tx *sql.Tx) error {
		var err error
		ow, ot, err = s.atWindowTx(ctx, tx, hall, number, now, change)
		return err
	})
	return ow, ot, err
}

// atWindowTx is AtWindow's work in tx.
func (s *Store) atWindowTx(ctx context.Context, tx *sql.Tx, hall, number string, now time.Time, change WindowChange) (*queue.Window, *queue.Ticket, error) {
	w, id, err := loadWindow(ctx, tx, hall, number, now)
	if err != nil {
		return nil, nil, err
	}
	cur, err := s.currentTicket(ctx, tx, w)
	if err != nil {
		return nil, nil, err
	}
	set, err := settingsTx(ctx, tx, hall)
	if err != nil {
		return nil, nil, err
	}
	oldW := w.Version
	var old int
	var oldState queue.State
	if cur != nil {
		old, oldState = cur.Version, cur.State
	}
	ev, err := change(w, cur, set)
	if err != nil {
		return nil, nil, err
	}
	if err := writeWindow(ctx, tx, id, w, oldW, now); err != nil {
		return nil, nil, err
	}
	if ev != nil && cur != nil {
		ok, err := writeTicket(ctx, tx, cur, old, oldState, ev)
		if err != nil {
			if apperr.Is(mapErr(err, "update ticket"), apperr.Conflict) {
				return nil, nil, apperr.New(apperr.Conflict, "该证件今天在本大厅已有未办结的号")
			}
			return nil, nil, err
		}
		if !ok {
			return nil, nil, apperr.New(apperr.Conflict, "%s号已被他人同时处理，请刷新后重试", cur.Number)
		}
	}
	return w, cur, nil
}

// callAttempts bounds CallNext's retries when other windows take the
// tickets it picked; each retry reads the queue again.
const callAttempts = 50

// CallNext calls the next ticket to the window by the policy (queue.Pick)
// among the day's waiting tickets of the window's categories and those
// transferred to it by name. The ticket is claimed by an UPDATE guarded by
// its state and version: when another window claimed it first, the guard
// matches nothing and the queue is read again, so two windows calling at
// the same instant never get the same ticket. check vets the window
// (open, the clerk's) before anything is read.
func (s *Store) CallNext(ctx context.Context, hall, number, actor string, now time.Time, check func(w *queue.Window, cur *queue.Ticket) error) (*queue.Window, *queue.Ticket, error) {
	var ow *queue.Window
	var ot *queue.Ticket
	err := s.update(ctx, func(tx *sql.Tx) error {
		w, id, err := loadWindow(ctx, tx, hall, number, now)
		if err != nil {
			return err
		}
		cur, err := s.currentTicket(ctx, tx, w)
		if err != nil {
			return err
		}
		if err := check(w, cur); err != nil {
			return err
		}
		set, err := settingsTx(ctx, tx, hall)
		if err != nil {
			return err
		}
		// Claim the window first: a second call at the same window waits
		// here and then finds the version moved on.
		oldW := w.Version
		if err := writeWindow(ctx, tx, id, w, oldW, now); err != nil {
			return err
		}
		args := []any{hall, calendar.DateOf(now).String(), number}
		catCond := "TRUE"
		if len(w.Categories) > 0 {
			var ps []string
			for _, c := range w.Categories {
				args = append(args, c)
				ps = append(ps, fmt.Sprintf("$%d", len(args)))
			}
			catCond = "category IN (" + strings.Join(ps, ", ") + ")"
		}
		head := func(class string) (*queue.Ticket, error) {
			t, err := s.scanTicket(tx.QueryRowContext(ctx, `SELECT `+ticketCols+` FROM tickets
				WHERE hall_code = $1 AND day = $2 AND state = 'waiting' AND `+class+`
				AND (target_window = $3 OR (target_window = '' AND `+catCond+`))
				ORDER BY queued_at, id LIMIT 1`, args...))
			if err == sql.ErrNoRows {
				return nil, nil
			}
			return t, err
		}
		for range callAttempts {
			pri, err := head("priority <> 'normal'")
			if err != nil {
				return err
			}
			nor, err := head("priority = 'normal'")
			if err != nil {
				return err
			}
			next, streak := queue.Pick(pri, nor, w.Streak, set.FairnessLimit)
			if next == nil {
				return apperr.New(apperr.NotFound, "%s窗口服务的类别暂无等候的号", number)
			}
			old, oldState := next.Version, next.State
			ev, err := queue.Apply(next, queue.ActCall, queue.Input{Window: number}, actor, set, now)
			if err != nil {
				return err
			}
			ok, err := writeTicket(ctx, tx, next, old, oldState, ev)
			if err != nil {
				return err
			}
			if !ok {
				continue // another window took it: read the queue again
			}
			w.Streak, w.Current = streak, next.ID
			if _, err := tx.ExecContext(ctx, `UPDATE queue_windows SET streak = $1, current_ticket = $2 WHERE window_id = $3`,
				w.Streak, w.Current, id); err != nil {
				return err
			}
			ow, ot = w, next
			return nil
		}
		return apperr.New(apperr.Conflict, "叫号繁忙，请重试")
	})
	return ow, ot, err
}

// TicketsOf returns the latest tickets taken with an ID number, newest
// first: the applicant's visits for their timeline.
func (s *Store) TicketsOf(ctx context.Context, idNumber string, limit int) ([]queue.Ticket, error) {
	if idNumber == "" {
		return nil, nil
	}
	idNumber, err := s.hash(hashID, idNumber)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+ticketCols+` FROM tickets WHERE id_number = $1 ORDER BY id DESC LIMIT $2`, idNumber, limit)
	if err != nil {
		return nil, mapErr(err, "tickets of")
	}
	defer rows.Close()
	var out []queue.Ticket
	for rows.Next() {
		t, err := s.scanTicket(rows)
		if err != nil {
			return nil, mapErr(err, "scan ticket")
		}
		out = append(out, *t)
	}
	return out, mapErr(rows.Err(), "tickets of")
}
