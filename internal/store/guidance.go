package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
)

// Consultation is one entry of the guidance desk's log (导办): who asked
// about which items at which hall, what the clerk did about it, and the
// queue ticket of the visit when there was one.
type Consultation struct {
	ID           int64     `json:"id"`
	HallCode     string    `json:"hall_code"`
	At           time.Time `json:"at"`
	Clerk        string    `json:"clerk"`
	Items        []string  `json:"items"`
	Note         string    `json:"note"`
	TicketID     int64     `json:"ticket_id,omitempty"`
	TicketNumber string    `json:"ticket_number,omitempty"` // the day's number ("A001") of TicketID
	Outcome      string    `json:"outcome"`
}

// AddConsultation records c at the store's clock. A TicketNumber, when
// given, names a ticket of c's hall taken on the same day; it is resolved
// in the same transaction, and an unknown one is an invalid "ticket" field.
func (s *Store) AddConsultation(ctx context.Context, c *Consultation) error {
	c.At = s.clock.Now()
	items, _ := json.Marshal(nonNil(c.Items))
	return s.update(ctx, func(tx *sql.Tx) error {
		if _, err := hallID(ctx, tx, c.HallCode, "hall"); err != nil {
			return err
		}
		c.TicketID = 0
		if c.TicketNumber != "" {
			err := tx.QueryRowContext(ctx, `SELECT id FROM tickets WHERE hall_code = $1 AND day = $2 AND number = $3`,
				c.HallCode, calendar.DateOf(c.At).String(), c.TicketNumber).Scan(&c.TicketID)
			if err == sql.ErrNoRows {
				return apperr.Field("ticket", "本大厅今天没有 "+c.TicketNumber+" 号")
			}
			if err != nil {
				return err
			}
		}
		return tx.QueryRowContext(ctx, `INSERT INTO guidance_consultations (hall_code, at, clerk, items, note, ticket_id, outcome)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			c.HallCode, stamp(c.At), c.Clerk, string(items), c.Note, dbNull(c.TicketID), c.Outcome).Scan(&c.ID)
	})
}

// Consultations lists a hall's consultations recorded in [from, to), in
// the order they were recorded.
func (s *Store) Consultations(ctx context.Context, hall string, from, to time.Time) ([]Consultation, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT g.id, g.hall_code, g.at, g.clerk, g.items, g.note, COALESCE(g.ticket_id, 0), COALESCE(t.number, ''), g.outcome
		FROM guidance_consultations g LEFT JOIN tickets t ON t.id = g.ticket_id
		WHERE g.hall_code = $1 AND g.at >= $2 AND g.at < $3 ORDER BY g.at, g.id`, hall, stamp(from), stamp(to))
	if err != nil {
		return nil, mapErr(err, "list consultations")
	}
	defer rows.Close()
	out := []Consultation{}
	for rows.Next() {
		var c Consultation
		var items string
		if err := rows.Scan(&c.ID, &c.HallCode, timeDest{&c.At}, &c.Clerk, &items, &c.Note, &c.TicketID, &c.TicketNumber, &c.Outcome); err != nil {
			return nil, mapErr(err, "scan consultation")
		}
		if err := json.Unmarshal([]byte(items), &c.Items); err != nil {
			return nil, mapErr(err, "consultation items")
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err(), "list consultations")
}
