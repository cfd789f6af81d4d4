package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// An outbox table holds outgoing work written in the transaction of the
// change that causes it (notifications today; webhook deliveries can be
// another). Its rows carry the columns attempts, next_attempt_at,
// claimed_until, last_error and failed_at, and a column stamped when the
// work is done. A dispatcher claims a batch of due rows in one committed
// transaction that counts an attempt on each and leases it, sends, and
// reports the outcomes in another: a database that cannot be written
// therefore sends nothing, a crash between sending and reporting costs one
// counted attempt, and several nodes never hold one row at once.
type outboxTable struct {
	table string // the table's name
	done  string // the column stamped when the work is done
	// eligible, if set, is a further condition a due row must meet (the
	// table named by its full name): webhook deliveries wait for those
	// before them in their line.
	eligible string
}

// Outcome is what became of one claimed row.
type Outcome struct {
	ID int64
	// Attempt is the attempt the claim counted: the outcome of a claim
	// whose lease ran out and was claimed again changes nothing.
	Attempt int
	// Err is why the attempt failed; "" when the work is done.
	Err string
	// RetryAt is when a failed row is due again; zero closes it as failed.
	RetryAt time.Time
	// Skipped gives the row back untried (the dispatcher ran out of time):
	// its attempt is not counted and it is due at once.
	Skipped bool
}

// errorLimit is how much of an error a row keeps.
const errorLimit = 500

// claimOutbox leases up to limit rows of q due at now until now+lease and
// counts an attempt on each, in tx; it returns the rows claimed with the
// attempt each now is. A row whose lease ran out on its last attempt (its
// outcome never recorded) is closed as failed instead of being tried a
// maxAttempts+1-th time. On PostgreSQL the rows are picked FOR UPDATE SKIP
// LOCKED, so dispatchers on several nodes take disjoint batches without
// waiting on each other; SQLite's single writer serialises the claims.
func (s *Store) claimOutbox(ctx context.Context, tx *sql.Tx, q outboxTable, now time.Time, lease time.Duration, limit, maxAttempts int) (map[int64]int, error) {
	cond := ``
	if q.eligible != "" {
		cond = ` AND ` + q.eligible
	}
	pick := `SELECT id, attempts FROM ` + q.table + ` WHERE ` + q.done + ` IS NULL AND failed_at IS NULL AND next_attempt_at <= $1` + cond + `
		ORDER BY next_attempt_at, id LIMIT $2`
	if s.dialect == Postgres {
		pick += ` FOR UPDATE SKIP LOCKED`
	}
	rows, err := tx.QueryContext(ctx, pick, stamp(now), limit)
	if err != nil {
		return nil, err
	}
	var due, spent []int64
	for rows.Next() {
		var id int64
		var attempts int
		if err := rows.Scan(&id, &attempts); err != nil {
			rows.Close()
			return nil, err
		}
		if attempts >= maxAttempts {
			spent = append(spent, id)
		} else {
			due = append(due, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(spent) > 0 {
		in, args := idList(spent, 3)
		_, err := tx.ExecContext(ctx, `UPDATE `+q.table+` SET failed_at = $1, claimed_until = NULL,
			last_error = CASE WHEN last_error = '' THEN $2 ELSE last_error END WHERE id IN (`+in+`)`,
			append([]any{stamp(now), "最后一次尝试的结果未能记录"}, args...)...)
		if err != nil {
			return nil, err
		}
	}
	claimed := map[int64]int{}
	if len(due) == 0 {
		return claimed, nil
	}
	// The due condition is checked again: on PostgreSQL a row another
	// node claimed between the pick and this update is left to it.
	in, args := idList(due, 3)
	until := stamp(now.Add(lease))
	rows, err = tx.QueryContext(ctx, `UPDATE `+q.table+` SET attempts = attempts + 1, claimed_until = $1, next_attempt_at = $1
		WHERE id IN (`+in+`) AND `+q.done+` IS NULL AND failed_at IS NULL AND next_attempt_at <= $2 RETURNING id, attempts`,
		append([]any{until, stamp(now)}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var attempt int
		if err := rows.Scan(&id, &attempt); err != nil {
			return nil, err
		}
		claimed[id] = attempt
	}
	return claimed, rows.Err()
}

// reportOutbox records the outcomes of claimed rows of q in tx. An outcome
// of an attempt other than the row's latest (its lease ran out and another
// dispatcher claimed it again) changes nothing, except that work done is
// recorded as done whoever did it.
func (s *Store) reportOutbox(ctx context.Context, tx *sql.Tx, q outboxTable, now time.Time, outcomes []Outcome) error {
	var done []int64
	for _, o := range outcomes {
		var err error
		switch {
		case o.Skipped:
			_, err = tx.ExecContext(ctx, `UPDATE `+q.table+` SET attempts = attempts - 1, claimed_until = NULL, next_attempt_at = $1
				WHERE id = $2 AND attempts = $3 AND `+q.done+` IS NULL`, stamp(now), o.ID, o.Attempt)
		case o.Err == "":
			done = append(done, o.ID)
		case o.RetryAt.IsZero():
			_, err = tx.ExecContext(ctx, `UPDATE `+q.table+` SET failed_at = $1, claimed_until = NULL, last_error = $2
				WHERE id = $3 AND attempts = $4 AND `+q.done+` IS NULL`, stamp(now), truncateError(o.Err), o.ID, o.Attempt)
		default:
			_, err = tx.ExecContext(ctx, `UPDATE `+q.table+` SET next_attempt_at = $1, claimed_until = NULL, last_error = $2
				WHERE id = $3 AND attempts = $4 AND `+q.done+` IS NULL`, stamp(o.RetryAt), truncateError(o.Err), o.ID, o.Attempt)
		}
		if err != nil {
			return err
		}
	}
	if len(done) == 0 {
		return nil
	}
	in, args := idList(done, 2)
	_, err := tx.ExecContext(ctx, `UPDATE `+q.table+` SET `+q.done+` = $1, claimed_until = NULL, last_error = ''
		WHERE id IN (`+in+`) AND `+q.done+` IS NULL`, append([]any{stamp(now)}, args...)...)
	return err
}

// OutboxBacklog is how much work an outbox table holds.
type OutboxBacklog struct {
	Pending  int       // not done and not failed (in flight included)
	InFlight int       // claimed, lease running
	Failed   int       // closed after their last attempt
	Oldest   time.Time // the oldest pending row's creation; zero when none
}

// outboxBacklog counts q's pending, in-flight and failed rows at now.
func (s *Store) outboxBacklog(ctx context.Context, q outboxTable, now time.Time) (OutboxBacklog, error) {
	var b OutboxBacklog
	err := s.read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN claimed_until > $1 THEN 1 ELSE 0 END), 0), MIN(created_at)
		FROM `+q.table+` WHERE `+q.done+` IS NULL AND failed_at IS NULL`, stamp(now)).Scan(&b.Pending, &b.InFlight, timeDest{&b.Oldest})
	if err != nil {
		return b, mapErr(err, q.table+" backlog")
	}
	err = s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+q.table+` WHERE failed_at IS NOT NULL`).Scan(&b.Failed)
	return b, mapErr(err, q.table+" failed")
}

// idList returns placeholders $first… for ids, and ids as arguments.
func idList(ids []int64, first int) (string, []any) {
	var b strings.Builder
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "$%d", first+i)
		args[i] = id
	}
	return b.String(), args
}

// truncateError keeps an error short enough to store, on a rune boundary.
func truncateError(msg string) string {
	if len(msg) <= errorLimit {
		return msg
	}
	cut := errorLimit
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut]
}
