package store

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/webhook"
)

// The event feed: every case event in the order its transaction committed,
// behind a cursor that never passes an event yet to commit.
//
// On SQLite the one writer gives positions in commit order, so the cursor
// is the last position read. On PostgreSQL positions come from a sequence
// whose values commit out of order: a transaction may take position 7,
// another position 8 and commit first. Each event therefore also records
// its transaction id (xid8, which never wraps), and the feed walks events
// in (xid, position) order, serving only those whose transaction is older
// than the oldest transaction still running (pg_snapshot_xmin): all of
// those have ended, and any transaction still to commit has an xid at
// least that large, so it sorts after every event served so far. A long
// transaction anywhere on the cluster holds the feed back while it runs;
// it never makes it skip.

// deadlinesJSON is the case's running deadlines after a change, as the
// event keeps them.
func deadlinesJSON(c *casework.Case) string {
	d := c.OpenDeadlines()
	if len(d) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(d) // names and times: never fails
	return string(b)
}

// FeedQuery is what one read of the feed asks for.
type FeedQuery struct {
	After      string // the cursor of the last event read; "" from the start
	Limit      int
	Department string // only this department's cases; "" every case
}

const feedColumns = `SELECT e.position, c.number, e.seq, e.type, e.actor, e.at, e.from_state, e.to_state, e.deadlines, i.code, d.code
	FROM case_events e JOIN cases c ON c.id = e.case_id JOIN items i ON i.id = c.item_id JOIN departments d ON d.id = c.department_id`

// Feed returns up to q.Limit events after q.After that are safe to show,
// each with the cursor to ask from next.
func (s *Store) Feed(ctx context.Context, q FeedQuery) ([]webhook.CaseEvent, error) {
	after := int64(0)
	if q.After != "" {
		var err error
		if after, err = strconv.ParseInt(q.After, 10, 64); err != nil || after < 0 {
			return nil, apperr.Field("after", "游标无效")
		}
	}
	args := []any{after, q.Limit}
	where := ``
	if q.Department != "" {
		where = ` AND c.department_id = (SELECT id FROM departments WHERE code = $3)`
		args = append(args, q.Department)
	}
	var query string
	if s.dialect == Postgres {
		if after > 0 {
			var known bool
			if err := s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM case_events WHERE position = $1)`, after).Scan(&known); err != nil {
				return nil, mapErr(err, "feed cursor")
			}
			if !known {
				return nil, apperr.Field("after", "游标无效")
			}
		}
		query = feedColumns + ` WHERE (e.xid, e.position) > (COALESCE((SELECT xid FROM case_events WHERE position = $1), '0'::xid8), $1)
			AND e.xid < pg_snapshot_xmin(pg_current_snapshot())` + where + ` ORDER BY e.xid, e.position LIMIT $2`
	} else {
		query = feedColumns + ` WHERE e.position > $1` + where + ` ORDER BY e.position LIMIT $2`
	}
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err, "feed")
	}
	defer rows.Close()
	out := make([]webhook.CaseEvent, 0, q.Limit)
	for rows.Next() {
		var e webhook.CaseEvent
		var pos int64
		var deadlines string
		if err := rows.Scan(&pos, &e.Number, &e.Seq, &e.Action, &e.Actor, timeDest{&e.At}, &e.FromState, &e.State, &deadlines, &e.ItemCode, &e.Department); err != nil {
			return nil, mapErr(err, "feed")
		}
		e.Position = strconv.FormatInt(pos, 10)
		e.Type = webhook.Type(casework.Action(e.Action))
		if err := json.Unmarshal([]byte(deadlines), &e.Deadlines); err != nil {
			return nil, apperr.Wrap(err, "feed deadlines")
		}
		if e.Deadlines == nil {
			e.Deadlines = []casework.Due{}
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err(), "feed")
}

// FeedEnd returns the cursor after the last event safe to show now: a
// reader that wants only what happens from now on starts there.
func (s *Store) FeedEnd(ctx context.Context) (string, error) {
	var pos int64
	var err error
	if s.dialect == Postgres {
		err = s.read.QueryRowContext(ctx, `SELECT COALESCE((SELECT position FROM case_events
			WHERE xid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY xid DESC, position DESC LIMIT 1), 0)`).Scan(&pos)
	} else {
		err = s.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) FROM case_events`).Scan(&pos)
	}
	if err != nil {
		return "", mapErr(err, "feed end")
	}
	if pos == 0 {
		return "", nil
	}
	return strconv.FormatInt(pos, 10), nil
}
