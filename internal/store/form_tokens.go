package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// The one-time tokens of the pages' forms (migration 00025): the store
// claims, answers and lets go of them atomically, so that two submissions
// of one form on any two nodes act once. What a token means and how long
// it lives is the service's.

// ClaimFormToken claims key for the first submission of a form: true when
// this call claimed it, false when another submission holds it (still in
// flight or done). A row expired by now is as good as none and is taken
// over.
func (s *Store) ClaimFormToken(ctx context.Context, key string, now, expires time.Time) (bool, error) {
	var claimed bool
	err := s.update(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM form_tokens WHERE key = $1 AND expires_at <= $2`, key, stamp(now)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO form_tokens (key, claimed_at, expires_at) VALUES ($1, $2, $3)
			ON CONFLICT (key) DO NOTHING`, key, stamp(now), stamp(expires))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	return claimed, mapErr(err, "claim form token")
}

// FinishFormToken records what the first submission of key answered.
func (s *Store) FinishFormToken(ctx context.Context, key string, result []byte, now time.Time) error {
	err := s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE form_tokens SET done_at = $1, result = $2 WHERE key = $3 AND done_at IS NULL`,
			stamp(now), result, key)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		return apperr.New(apperr.Conflict, "表单的一次性标记已失效")
	})
	return mapErr(err, "finish form token")
}

// ReleaseFormToken lets go of a claim whose submission changed nothing (it
// was refused): the next submission of the form acts again.
func (s *Store) ReleaseFormToken(ctx context.Context, key string) error {
	err := s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM form_tokens WHERE key = $1 AND done_at IS NULL`, key)
		return err
	})
	return mapErr(err, "release form token")
}

// FormToken returns the answer recorded for key and whether the first
// submission is done; NotFound when no submission holds key (never
// claimed, released, or expired).
func (s *Store) FormToken(ctx context.Context, key string, now time.Time) (result []byte, done bool, err error) {
	var doneAt time.Time
	err = s.read.QueryRowContext(ctx, `SELECT done_at, result FROM form_tokens WHERE key = $1 AND expires_at > $2`,
		key, stamp(now)).Scan(timeDest{&doneAt}, &result)
	if err != nil {
		return nil, false, mapErr(err, "form token")
	}
	return result, !doneAt.IsZero(), nil
}
