package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// The limits that must hold across every node of a cluster: failure
// counters with their locks (sign-in, check codes), token buckets (codes
// per client address and per phone), and the devices known to an
// account. The rules (how many, how long) belong to the service; the
// store only counts, atomically, so that nodes counting at once never lose
// a count.

// Failure is one failed attempt to count against Key.
type Failure struct {
	Key string
	// Window: a key without a failure for this long starts counting afresh.
	Window time.Duration
	// Lock says how long the key is locked after its n-th failure within
	// the window (0: not at all). A lock only ever grows.
	Lock func(failures int) time.Duration
}

// LockedUntil returns the latest end of a lock on any of keys that is
// still running at now, or the zero time.
func (s *Store) LockedUntil(ctx context.Context, now time.Time, keys ...string) (time.Time, error) {
	if len(keys) == 0 {
		return time.Time{}, nil
	}
	keys, err := s.lockKeys(keys)
	if err != nil {
		return time.Time{}, err
	}
	args := []any{stamp(now)}
	marks := make([]string, len(keys))
	for i, k := range keys {
		args = append(args, k)
		marks[i] = "$" + strconv.Itoa(i+2)
	}
	var until time.Time
	err = s.read.QueryRowContext(ctx, `SELECT MAX(locked_until) FROM login_failures
		WHERE locked_until > $1 AND username IN (`+strings.Join(marks, ", ")+`)`, args...).Scan(timeDest{&until})
	return until, mapErr(err, "lockout")
}

// RecordFailures counts a failure against each key, in one transaction,
// and returns each key's running lock end (zero where none). A lock
// running on a key is never shortened, and its count is kept: a key that
// fails again soon after its lock ends is locked again at once.
func (s *Store) RecordFailures(ctx context.Context, now time.Time, fs ...Failure) ([]time.Time, error) {
	var out []time.Time
	hashed := make([]string, len(fs))
	for i, f := range fs {
		h, err := s.lockKey(f.Key)
		if err != nil {
			return nil, err
		}
		hashed[i] = h
	}
	err := s.update(ctx, func(tx *sql.Tx) error {
		out = make([]time.Time, len(fs))
		for i, f := range fs {
			key := hashed[i]
			// One atomic upsert counts the failure and locks the row.
			var failures int
			var locked time.Time
			err := tx.QueryRowContext(ctx, `
				INSERT INTO login_failures (username, failures, last_failed) VALUES ($1, 1, $2)
				ON CONFLICT (username) DO UPDATE SET
					failures = CASE WHEN login_failures.last_failed < $3 THEN 1 ELSE login_failures.failures + 1 END,
					last_failed = CASE WHEN excluded.last_failed > login_failures.last_failed
						THEN excluded.last_failed ELSE login_failures.last_failed END
				RETURNING failures, locked_until`,
				key, stamp(now), stamp(now.Add(-f.Window))).Scan(&failures, timeDest{&locked})
			if err != nil {
				return err
			}
			var d time.Duration
			if f.Lock != nil {
				d = f.Lock(failures)
			}
			if until := now.Add(d); d > 0 && until.After(locked) {
				if _, err := tx.ExecContext(ctx, `UPDATE login_failures SET locked_until = $1 WHERE username = $2`,
					stamp(until), key); err != nil {
					return err
				}
				locked = until
			}
			if locked.After(now) {
				out[i] = locked
			}
		}
		return nil
	})
	return out, err
}

// Latest returns the latest of times (zero for none).
func Latest(times []time.Time) time.Time {
	var latest time.Time
	for _, t := range times {
		if t.After(latest) {
			latest = t
		}
	}
	return latest
}

// Failures returns the failures counted against key (0 when none).
func (s *Store) Failures(ctx context.Context, key string) (int, error) {
	key, err := s.lockKey(key)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.read.QueryRowContext(ctx, `SELECT failures FROM login_failures WHERE username = $1`, key).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return n, mapErr(err, "failures")
}

// ClearFailures forgets the failures and locks of keys (after a success).
func (s *Store) ClearFailures(ctx context.Context, keys ...string) error {
	keys, err := s.lockKeys(keys)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE username = $1`, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClearFailuresOf forgets the failures and locks of subject (user:NAME)
// and of every key made of it and a client (user:NAME|…): an admin's
// password reset lifts them all.
func (s *Store) ClearFailuresOf(ctx context.Context, subject string) error {
	subject, err := s.lockKey(subject)
	if err != nil {
		return err
	}
	prefix := subject + "|"
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE username = $1 OR substr(username, 1, $2) = $3`,
			subject, len([]rune(prefix)), prefix)
		return err
	})
}

// TakeToken takes one token of key's bucket, shared by every node: a
// burst of n, then one every per/n (the generic cell rate algorithm, one
// row per key). It returns 0 when a token was taken, else how long until
// one is there; a refusal takes nothing.
func (s *Store) TakeToken(ctx context.Context, key string, now time.Time, n int, per time.Duration) (time.Duration, error) {
	interval := per.Milliseconds() / int64(max(n, 1))
	nowMS, tolerance := now.UnixMilli(), per.Milliseconds()
	key, err := s.lockKey(key)
	if err != nil {
		return 0, err
	}
	var tat int64
	err = s.update(ctx, func(tx *sql.Tx) error {
		// The update happens only when the token is there; RETURNING then
		// yields no row (both databases), which is the refusal.
		return tx.QueryRowContext(ctx, `
			INSERT INTO rate_limits (key, tat) VALUES ($1, $5)
			ON CONFLICT (key) DO UPDATE SET
				tat = (CASE WHEN rate_limits.tat > $2 THEN rate_limits.tat ELSE $2 END) + $3
			WHERE (CASE WHEN rate_limits.tat > $2 THEN rate_limits.tat ELSE $2 END) + $3 - $2 <= $4
			RETURNING tat`, key, nowMS, interval, tolerance, nowMS+interval).Scan(&tat)
	})
	if err == nil {
		return 0, nil
	}
	if apperr.Is(err, apperr.NotFound) {
		err = s.read.QueryRowContext(ctx, `SELECT tat FROM rate_limits WHERE key = $1`, key).Scan(&tat)
		if err != nil {
			return 0, mapErr(err, "rate limit")
		}
		wait := max(tat, nowMS) + interval - nowMS - tolerance
		return time.Duration(max(wait, 1)) * time.Millisecond, nil
	}
	return 0, err
}

// RememberDevice records that the device whose cookie hashes to hash has
// signed in to subject at now.
func (s *Store) RememberDevice(ctx context.Context, hash, subject string, now time.Time) error {
	subject, err := s.lockKey(subject)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO known_devices (token_hash, subject, created_at, last_used_at) VALUES ($1, $2, $3, $3)
			ON CONFLICT (token_hash, subject) DO UPDATE SET last_used_at = excluded.last_used_at`,
			hash, subject, stamp(now))
		return err
	})
}

// KnownDevice reports whether the device whose cookie hashes to hash has
// signed in to subject since the time given.
func (s *Store) KnownDevice(ctx context.Context, hash, subject string, since time.Time) (bool, error) {
	subject, err := s.lockKey(subject)
	if err != nil {
		return false, err
	}
	var n int
	err = s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM known_devices WHERE token_hash = $1 AND subject = $2 AND last_used_at >= $3`,
		hash, subject, stamp(since)).Scan(&n)
	return n > 0, mapErr(err, "known device")
}

// Retention says how long each table of attempts keeps its rows.
type Retention struct {
	SignIns  time.Duration // the sign-in record (audit)
	Failures time.Duration // failure counters without a failure and a lock for this long
	Devices  time.Duration // known devices unused for this long
	Tokens   time.Duration // API tokens this long past their expiry
}

// expiryBatch bounds one delete, so that the writer is never held long.
const expiryBatch = 5000

// ExpireAttempts deletes what has outlived its use: sign-in records past
// their retention, idle failure counters, drained token buckets, expired
// verification codes, unused known devices, long-expired API tokens and
// expired one-time tokens of the pages' forms and expired Idempotency-Keys
// of the API.
// It returns the rows deleted per table. Several nodes may run it at once.
func (s *Store) ExpireAttempts(ctx context.Context, now time.Time, r Retention) (map[string]int64, error) {
	out := map[string]int64{}
	jobs := []struct {
		table, query string
		args         []any
		batched      bool
	}{
		{"sign_ins", `DELETE FROM sign_ins WHERE id IN (SELECT id FROM sign_ins WHERE at < $1 ORDER BY id LIMIT ` + strconv.Itoa(expiryBatch) + `)`,
			[]any{stamp(now.Add(-r.SignIns))}, true},
		{"login_failures", `DELETE FROM login_failures WHERE last_failed < $1 AND (locked_until IS NULL OR locked_until < $2)`,
			[]any{stamp(now.Add(-r.Failures)), stamp(now)}, false},
		{"rate_limits", `DELETE FROM rate_limits WHERE tat < $1`, []any{now.UnixMilli()}, false},
		{"verification_codes", `DELETE FROM verification_codes WHERE expires_at < $1`, []any{stamp(now)}, false},
		{"known_devices", `DELETE FROM known_devices WHERE last_used_at < $1`, []any{stamp(now.Add(-r.Devices))}, false},
		{"api_tokens", `DELETE FROM api_tokens WHERE expires_at < $1`, []any{stamp(now.Add(-r.Tokens))}, false},
		{"form_tokens", `DELETE FROM form_tokens WHERE expires_at < $1`, []any{stamp(now)}, false},
		{"idempotency_keys", `DELETE FROM idempotency_keys WHERE expires_at < $1`, []any{stamp(now)}, false},
	}
	for _, j := range jobs {
		for {
			var n int64
			err := s.update(ctx, func(tx *sql.Tx) error {
				res, err := tx.ExecContext(ctx, j.query, j.args...)
				if err != nil {
					return err
				}
				n, err = res.RowsAffected()
				return err
			})
			if err != nil {
				return out, mapErr(err, "expire "+j.table)
			}
			out[j.table] += n
			if !j.batched || n < expiryBatch {
				break
			}
		}
	}
	return out, nil
}
