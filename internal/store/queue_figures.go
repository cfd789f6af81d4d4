package store

import (
	"context"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/queue"
)

// TicketRecord is a ticket with its record, the raw material of the queue
// figures.
type TicketRecord struct {
	Ticket queue.Ticket
	Events []queue.TicketEvent
}

// TicketRecords returns the tickets a hall issued from day from to day to
// (both included), by id, each with its events in order. Durations are
// left to the caller: they are computed in Go, the same on both databases.
func (s *Store) TicketRecords(ctx context.Context, hall string, from, to calendar.Date) ([]TicketRecord, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+ticketCols+` FROM tickets WHERE hall_code = $1 AND day >= $2 AND day <= $3 ORDER BY id`,
		hall, from.String(), to.String())
	if err != nil {
		return nil, mapErr(err, "ticket records")
	}
	out := []TicketRecord{}
	index := map[int64]int{}
	for rows.Next() {
		t, err := s.scanTicket(rows)
		if err != nil {
			rows.Close()
			return nil, mapErr(err, "scan ticket")
		}
		index[t.ID] = len(out)
		out = append(out, TicketRecord{Ticket: *t})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err, "ticket records")
	}
	evs, err := s.read.QueryContext(ctx, `SELECT e.ticket_id, e.seq, e.type, e.actor, e.at_window, e.at
		FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
		WHERE t.hall_code = $1 AND t.day >= $2 AND t.day <= $3 ORDER BY e.ticket_id, e.seq`,
		hall, from.String(), to.String())
	if err != nil {
		return nil, mapErr(err, "ticket record events")
	}
	defer evs.Close()
	for evs.Next() {
		var id int64
		var e queue.TicketEvent
		var typ string
		if err := evs.Scan(&id, &e.Seq, &typ, &e.Actor, &e.Window, timeDest{&e.At}); err != nil {
			return nil, mapErr(err, "scan ticket event")
		}
		e.Type = queue.Action(typ)
		// A ticket issued between the two reads has no entry: it is left
		// out, as if read a moment earlier.
		if i, ok := index[id]; ok {
			out[i].Events = append(out[i].Events, e)
		}
	}
	return out, mapErr(evs.Err(), "ticket record events")
}
