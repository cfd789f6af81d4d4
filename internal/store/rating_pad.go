package store

import (
	"context"
	"database/sql"
	"time"
)

// RatingPad is the stored side of a window's rating pad (评价器): the hash
// of the device key of the tablet paired with it, and the visit token
// waiting for the applicant, if any.
type RatingPad struct {
	HallCode       string
	Window         string
	KeyHash        string // "" while no tablet is paired
	PairedAt       time.Time
	PairedBy       string
	PendingToken   string // "" when no rating waits
	PendingExpires time.Time
}

// PairRatingPad records the device key of the tablet that is now the
// window's pad; a tablet paired before stops working, and a waiting token
// is dropped with it.
func (s *Store) PairRatingPad(ctx context.Context, hall, window, keyHash string, at time.Time, by string) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO rating_pads
			(hall_code, window_number, key_hash, paired_at, paired_by, pending_token, pending_expires_at)
			VALUES ($1, $2, $3, $4, $5, '', NULL)
			ON CONFLICT (hall_code, window_number) DO UPDATE SET key_hash = $3, paired_at = $4, paired_by = $5,
				pending_token = '', pending_expires_at = NULL`,
			hall, window, keyHash, stamp(at), by)
		return err
	})
}

// SetRatingPadPending puts token on the window's pad until expires,
// replacing any token waiting there. A window without a paired pad keeps
// the token too, so a pad paired a moment later still gets it.
func (s *Store) SetRatingPadPending(ctx context.Context, hall, window, token string, expires time.Time) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO rating_pads
			(hall_code, window_number, key_hash, paired_at, paired_by, pending_token, pending_expires_at)
			VALUES ($1, $2, '', NULL, '', $3, $4)
			ON CONFLICT (hall_code, window_number) DO UPDATE SET pending_token = $3, pending_expires_at = $4`,
			hall, window, token, stamp(expires))
		return err
	})
}

// ClearRatingPadPending takes token off the window's pad, if it is still
// the one waiting there (a newer visit's token stays).
func (s *Store) ClearRatingPadPending(ctx context.Context, hall, window, token string) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE rating_pads SET pending_token = '', pending_expires_at = NULL
			WHERE hall_code = $1 AND window_number = $2 AND pending_token = $3`, hall, window, token)
		return err
	})
}

// RatingPad returns the window's pad; not found if it was never paired
// nor handed a token.
func (s *Store) RatingPad(ctx context.Context, hall, window string) (*RatingPad, error) {
	p := RatingPad{}
	err := s.read.QueryRowContext(ctx, `SELECT hall_code, window_number, key_hash, paired_at, paired_by,
		pending_token, pending_expires_at FROM rating_pads WHERE hall_code = $1 AND window_number = $2`, hall, window).Scan(
		&p.HallCode, &p.Window, &p.KeyHash, timeDest{&p.PairedAt}, &p.PairedBy, &p.PendingToken, timeDest{&p.PendingExpires})
	if err != nil {
		return nil, notFound(err, "该窗口没有评价器")
	}
	return &p, nil
}
