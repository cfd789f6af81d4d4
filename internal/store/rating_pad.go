package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/queue"
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
	return s.update(ctx, func(tx *sql.Tx) error { return setPadPending(ctx, tx, hall, window, token, expires) })
}

func setPadPending(ctx context.Context, tx *sql.Tx, hall, window, token string, expires time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO rating_pads
		(hall_code, window_number, key_hash, paired_at, paired_by, pending_token, pending_expires_at)
		VALUES ($1, $2, '', NULL, '', $3, $4)
		ON CONFLICT (hall_code, window_number) DO UPDATE SET pending_token = $3, pending_expires_at = $4`,
		hall, window, token, stamp(expires))
	return err
}

// VisitPass is what finishing a visit hands its applicant: the visit's
// rating token (its TicketID is filled in with the ticket finished) and
// the token itself for the window's pad, which shows it until PadUntil.
type VisitPass struct {
	Token    VisitToken
	Plain    string
	PadUntil time.Time
}

// FinishVisit acts at the window as AtWindow does (change finishes its
// ticket) and, in the same transaction, stores the visit's rating token and
// puts it on the window's rating pad: a visit finished is a visit the
// applicant can rate, or nothing is written.
func (s *Store) FinishVisit(ctx context.Context, hall, number string, now time.Time, change WindowChange, pass VisitPass) (*queue.Window, *queue.Ticket, error) {
	var ow *queue.Window
	var ot *queue.Ticket
	err := s.update(ctx, func(tx *sql.Tx) error {
		w, t, err := s.atWindowTx(ctx, tx, hall, number, now, change)
		if err != nil {
			return err
		}
		if t == nil {
			return apperr.New(apperr.Conflict, "%s窗口当前没有已叫的号，请先叫号", number)
		}
		pass.Token.TicketID = strconv.FormatInt(t.ID, 10)
		if err := insertVisitToken(ctx, tx, pass.Token); err != nil {
			if apperr.Is(mapErr(err, "visit token"), apperr.Conflict) {
				return apperr.New(apperr.Conflict, "该次服务已发放过评价码")
			}
			return err
		}
		if err := setPadPending(ctx, tx, hall, number, pass.Plain, pass.PadUntil); err != nil {
			return err
		}
		ow, ot = w, t
		return nil
	})
	return ow, ot, err
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
