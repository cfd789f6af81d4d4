package broadcast

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// The hub's table, board_events, is created by the store's migrations
// (00011): a replay buffer of the last events per hall, not a record.

// insert records ev, keeps the hall's last Keep events, and on PostgreSQL
// notifies every node, all in one transaction.
func (h *Hub) insert(ctx context.Context, ev Event) (Event, error) {
	tx, err := h.cfg.DB.BeginTx(ctx, nil)
	if err != nil {
		return ev, fmt.Errorf("broadcast: publish: %w", err)
	}
	defer tx.Rollback()
	if h.cfg.Postgres {
		// One publisher per hall at a time: ids are then taken in commit
		// order, and a board resuming after id N misses nothing.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('onewindow_board:' || $1))`, ev.Hall); err != nil {
			return ev, fmt.Errorf("broadcast: publish: %w", err)
		}
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO board_events (hall, kind, ticket, window_number, window_name, name, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		ev.Hall, string(ev.Kind), ev.Ticket, ev.Window, ev.WindowName, ev.Name, ev.At.Format(time.RFC3339Nano)).Scan(&ev.ID)
	if err != nil {
		return ev, fmt.Errorf("broadcast: publish: %w", err)
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM board_events WHERE hall = $1 AND id <= (
		SELECT id FROM board_events WHERE hall = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`, ev.Hall, h.cfg.Keep)
	if err != nil {
		return ev, fmt.Errorf("broadcast: prune: %w", err)
	}
	if h.cfg.Postgres {
		payload, _ := json.Marshal(ev)
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, h.cfg.Channel, string(payload)); err != nil {
			return ev, fmt.Errorf("broadcast: notify: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return ev, fmt.Errorf("broadcast: publish: %w", err)
	}
	return ev, nil
}

// since reads hall's events after id after, or its last n.
func (h *Hub) since(ctx context.Context, hall string, after int64, n int) ([]Event, error) {
	var rows *sql.Rows
	var err error
	const cols = `id, hall, kind, ticket, window_number, window_name, name, at`
	if after > 0 {
		rows, err = h.cfg.DB.QueryContext(ctx, `SELECT `+cols+` FROM board_events WHERE hall = $1 AND id > $2 ORDER BY id`, hall, after)
	} else {
		rows, err = h.cfg.DB.QueryContext(ctx, `SELECT `+cols+` FROM (SELECT `+cols+` FROM board_events WHERE hall = $1 ORDER BY id DESC LIMIT $2) r ORDER BY id`, hall, n)
	}
	if err != nil {
		return nil, fmt.Errorf("broadcast: read events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var ev Event
		var kind, at string
		if err := rows.Scan(&ev.ID, &ev.Hall, &kind, &ev.Ticket, &ev.Window, &ev.WindowName, &ev.Name, &at); err != nil {
			return nil, fmt.Errorf("broadcast: read events: %w", err)
		}
		ev.Kind = Kind(kind)
		ev.At, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, ev)
	}
	return out, rows.Err()
}
