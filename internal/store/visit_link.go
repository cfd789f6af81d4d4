package store

import (
	"context"
	"database/sql"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/queue"
)

// VisitLink asks a transaction that takes cases in to link them to the
// clerk's visit in service: among the windows of Hall with Clerk signed
// in (only Window, when not ""), in window order, the first whose current
// ticket Pick accepts. Change records one link on that ticket. The rules
// (which visit, whether it may be linked) are the caller's: the store
// only finds the candidates and persists.
type VisitLink struct {
	Hall, Window, Clerk string
	Pick                func(w *queue.Window, t *queue.Ticket) bool
	Change              func(t *queue.Ticket, set queue.Settings, caseNumber string) (*queue.TicketEvent, error)
}

// clerkWindowsQuery finds the windows a clerk serves a visit at: every
// intake at a window asks it (prepared once on SQLite).
const clerkWindowsQuery = `SELECT number FROM queue_windows
		WHERE hall_code = $1 AND clerk = $2 AND current_ticket IS NOT NULL AND ($3 = '' OR number = $3)
		ORDER BY number`

// linkVisitTx links the cases numbered in tx to the visit link picks and
// returns its ticket, or nil when the clerk serves no visit.
func (s *Store) linkVisitTx(ctx context.Context, tx *sql.Tx, link *VisitLink, cases ...string) (*queue.Ticket, error) {
	if link == nil || len(cases) == 0 {
		return nil, nil
	}
	rows, err := s.queryTx(ctx, tx, clerkWindowsQuery, link.Hall, link.Clerk, link.Window)
	if err != nil {
		return nil, err
	}
	var numbers []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		numbers = append(numbers, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var t *queue.Ticket
	for _, n := range numbers {
		w, _, err := loadWindow(ctx, tx, link.Hall, n, s.clock.Now())
		if err != nil {
			return nil, err
		}
		cur, err := s.currentTicket(ctx, tx, w)
		if err != nil {
			return nil, err
		}
		if cur != nil && link.Pick(w, cur) {
			t = cur
			break
		}
	}
	if t == nil {
		return nil, nil
	}
	set, err := settingsTx(ctx, tx, t.HallCode)
	if err != nil {
		return nil, err
	}
	for _, number := range cases {
		old, oldState := t.Version, t.State
		ev, err := link.Change(t, set, number)
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_cases (ticket_id, case_number, linked_at, linked_by) VALUES ($1, $2, $3, $4)`,
			t.ID, number, stamp(ev.At), ev.Actor); err != nil {
			return nil, err
		}
		ok, err := writeTicket(ctx, tx, t, old, oldState, ev)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, apperr.New(apperr.Conflict, "%s号已被他人同时处理，请刷新后重试", t.Number)
		}
	}
	return t, nil
}

// TakeIn saves a case just taken in, as CreateCase does, and links it to
// the clerk's visit in the same transaction (link may be nil). It returns
// the ticket linked, or nil.
func (s *Store) TakeIn(ctx context.Context, c *casework.Case, ev *casework.Event, opened OpenedFunc, link *VisitLink) (*queue.Ticket, error) {
	ctx = pipelined(ctx) // its statements in batches on PostgreSQL: pg_batch.go
	var t *queue.Ticket
	prep := s.prepareCase(ctx, c)
	err := s.update(ctx, func(tx *sql.Tx) error {
		if err := s.createCasePrepared(ctx, tx, c, ev, opened, prep); err != nil {
			return err
		}
		var err error
		t, err = s.linkVisitTx(ctx, tx, link, c.Number)
		return err
	})
	return t, err
}
