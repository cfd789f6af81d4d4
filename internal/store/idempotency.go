package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// The Idempotency-Key of the API's POSTs (migration 00037): the store
// claims, answers and lets go of a key atomically, so that two requests
// with one key on any two nodes act once. What a key means and how long it
// lives is the service's.

// ClaimIdempotencyKey claims key for a request whose method, path and body
// hash to fingerprint: claimed is true when this call took it; otherwise
// held is the fingerprint of the request that holds it (in flight or
// done). A row expired by now is as good as none and is taken over.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, key, fingerprint string, now, expires time.Time) (claimed bool, held string, err error) {
	err = s.update(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE key = $1 AND expires_at <= $2`, key, stamp(now)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (key, fingerprint, claimed_at, expires_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (key) DO NOTHING`, key, fingerprint, stamp(now), stamp(expires))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 1 {
			claimed, held = n == 1, fingerprint
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT fingerprint FROM idempotency_keys WHERE key = $1`, key).Scan(&held)
	})
	return claimed, held, mapErr(err, "claim idempotency key")
}

// FinishIdempotencyKey records what the first request with key answered.
func (s *Store) FinishIdempotencyKey(ctx context.Context, key string, result []byte, now time.Time) error {
	err := s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET done_at = $1, result = $2 WHERE key = $3 AND done_at IS NULL`,
			stamp(now), result, key)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		return apperr.New(apperr.Conflict, "幂等键已失效")
	})
	return mapErr(err, "finish idempotency key")
}

// ReleaseIdempotencyKey lets go of a claim whose request changed nothing
// (it was refused): a retry with the key acts again.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, key string) error {
	err := s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE key = $1 AND done_at IS NULL`, key)
		return err
	})
	return mapErr(err, "release idempotency key")
}

// IdempotencyKey returns the answer recorded for key, whether the first
// request is done and when it claimed the key; NotFound when no request
// holds key.
func (s *Store) IdempotencyKey(ctx context.Context, key string, now time.Time) (result []byte, done bool, claimedAt time.Time, err error) {
	var doneAt time.Time
	err = s.read.QueryRowContext(ctx, `SELECT claimed_at, done_at, result FROM idempotency_keys WHERE key = $1 AND expires_at > $2`,
		key, stamp(now)).Scan(timeDest{&claimedAt}, timeDest{&doneAt}, &result)
	if err != nil {
		return nil, false, time.Time{}, mapErr(err, "idempotency key")
	}
	return result, !doneAt.IsZero(), claimedAt, nil
}
