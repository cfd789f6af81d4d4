package store

import (
	"context"
	"database/sql"
	"time"
)

// CreateTicketFollow keeps the hash of a ticket's follow token; a ticket
// has one, so a second is a conflict.
func (s *Store) CreateTicketFollow(ctx context.Context, ticketID int64, hash string, now time.Time) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO ticket_follow_tokens (ticket_id, token_hash, created_at) VALUES ($1, $2, $3)`,
			ticketID, hash, stamp(now))
		return err
	})
}

// TicketByFollow returns the id of the ticket whose follow token hashes
// to hash; an unknown hash is not found.
func (s *Store) TicketByFollow(ctx context.Context, hash string) (int64, error) {
	var id int64
	err := s.read.QueryRowContext(ctx, `SELECT ticket_id FROM ticket_follow_tokens WHERE token_hash = $1`, hash).Scan(&id)
	if err != nil {
		return 0, notFound(err, "排队号不存在或链接已失效")
	}
	return id, nil
}
