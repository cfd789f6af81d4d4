package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/queue"
)

// TicketToText is a waiting ticket taken with a mobile number and not yet
// texted, with how many tickets are ahead of it now.
type TicketToText struct {
	Ticket *queue.Ticket // Phone filled
	Ahead  int
}

// TicketsToText returns the waiting tickets of hall on day that carry a
// phone and have not been texted, each with the tickets of its category
// ahead of it (queue.Ahead, as the ticket page counts them). The day's
// waiting tickets are read in one query and counted here: one read per
// call however many tickets wait for a text.
func (s *Store) TicketsToText(ctx context.Context, hall string, day calendar.Date) ([]TicketToText, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+ticketCols+`, phone_sealed,
			CASE WHEN phone_sealed <> '' AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.ticket_id = t.id) THEN 1 ELSE 0 END
		FROM tickets t WHERE hall_code = $1 AND day = $2 AND state = 'waiting' ORDER BY queued_at, id`, hall, day.String())
	if err != nil {
		return nil, mapErr(err, "tickets to text")
	}
	type row struct {
		t      *queue.Ticket
		sealed string
		due    int
	}
	var waiting []row
	err = func() error {
		defer rows.Close()
		for rows.Next() {
			var r row
			if r.t, err = s.scanTicket(scanPlus{rows, []any{&r.sealed, &r.due}}); err != nil {
				return err
			}
			waiting = append(waiting, r)
		}
		return rows.Err()
	}()
	if err != nil {
		return nil, mapErr(err, "tickets to text")
	}
	var out []TicketToText
	for _, r := range waiting {
		if r.due == 0 {
			continue
		}
		if r.t.Phone, err = s.open(sealTicketPhone, r.sealed); err != nil {
			return nil, err
		}
		d := TicketToText{Ticket: r.t}
		for _, o := range waiting {
			if o.t.ID != r.t.ID && o.t.Category == r.t.Category && queue.Ahead(o.t, r.t) {
				d.Ahead++
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// scanPlus scans a row of ticketCols followed by more columns.
type scanPlus struct {
	row  interface{ Scan(...any) error }
	more []any
}

func (p scanPlus) Scan(dest ...any) error { return p.row.Scan(append(dest, p.more...)...) }

// TicketText is the text a ticket's holder gets when their turn is near.
type TicketText struct {
	TicketID int64
	To       string // the mobile number
	Kind     string // the notice kind, which picks the SMS template
	Subject  string
	Body     string
	At       time.Time
}

// TextTicket queues m for the notification dispatcher if the ticket is
// still waiting and has not been texted, and reports whether it did: a
// ticket gets at most one such text (a unique index on the ticket, so two
// nodes texting the same ticket at once end in one row).
func (s *Store) TextTicket(ctx context.Context, m TicketText) (bool, error) {
	queued := false
	err := s.update(ctx, func(tx *sql.Tx) error {
		var state string
		if err := tx.QueryRowContext(ctx, `SELECT state FROM tickets WHERE id = $1`, m.TicketID).Scan(&state); err != nil {
			return notFound(err, "排队号不存在")
		}
		if queue.State(state) != queue.Waiting {
			return nil
		}
		to, err := s.hash(hashPhone, m.To)
		if err != nil {
			return err
		}
		sealedTo, err := s.seal(sealRecipient, m.To)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO notifications (ticket_id, recipient, recipient_sealed, subject, body, created_at, next_attempt_at, kind)
			VALUES ($1, $2, $3, $4, $5, $6, $6, $7) ON CONFLICT (ticket_id) WHERE ticket_id IS NOT NULL DO NOTHING`,
			m.TicketID, to, sealedTo, m.Subject, m.Body, stamp(m.At), m.Kind)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			queued = true
			s.enqueued(tx, NotificationOutbox)
		}
		return nil
	})
	return queued, mapErr(err, "text ticket")
}

// TicketTexts returns the texts queued for a ticket (none or one).
func (s *Store) TicketTexts(ctx context.Context, ticketID int64) ([]applicant.Notification, error) {
	return s.notifications(ctx, `n.ticket_id = $1 ORDER BY n.id`, ticketID)
}
