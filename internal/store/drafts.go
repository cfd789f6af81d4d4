package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
)

// Draft is an online application being written: the form and the files'
// references as JSON, saved as often as the applicant likes.
type Draft struct {
	ID        int64
	AccountID int64
	Kind      string // item or bundle
	Code      string // the item's or the bundle template's code
	Data      json.RawMessage
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
	CreatedBy string
	// Files are the uploaded files Data names, which the draft references
	// (file_refs) while it lasts; set by the caller when saving.
	Files []casework.FileRef
}

// The kinds of drafts.
const (
	DraftItem   = "item"
	DraftBundle = "bundle"
)

// SaveDraft inserts a new draft (ID 0) or updates one at the version read;
// a newer version is a conflict. A new draft is refused while the account
// has maxDrafts already (0: no limit). The draft references exactly its
// Files afterwards; a file not uploaded, or being collected, is refused.
// The draft's data is kept sealed: a draft holds the delivery's phone and
// address, and may hold more of the applicant.
func (s *Store) SaveDraft(ctx context.Context, d *Draft, now time.Time, maxDrafts int) error {
	data, err := s.sealBlob(sealDraftData, d.Data)
	if err != nil {
		return err
	}
	saved := *d
	err = s.update(ctx, func(tx *sql.Tx) error {
		d := &saved
		if d.ID == 0 {
			if err := checkDraftCount(ctx, tx, d.AccountID, maxDrafts); err != nil {
				return err
			}
			d.Version, d.CreatedAt, d.UpdatedAt = 1, now, now
			err := tx.QueryRowContext(ctx, `INSERT INTO drafts (account_id, kind, code, version, created_at, updated_at, created_by, data)
				VALUES ($1, $2, $3, 1, $4, $4, $5, $6) RETURNING id`,
				d.AccountID, d.Kind, d.Code, stamp(now), d.CreatedBy, data).Scan(&d.ID)
			if err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE drafts SET data = $1, version = version + 1, updated_at = $2
				WHERE id = $3 AND account_id = $4 AND version = $5`, data, stamp(now), d.ID, d.AccountID, d.Version)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return apperr.New(apperr.Conflict, "草稿已在别处修改或已提交，请刷新后重试")
			}
			d.Version++
			d.UpdatedAt = now
			if err := dropReferences(ctx, tx, holderDraft, d.ID); err != nil {
				return err
			}
		}
		return referenceFiles(ctx, tx, holderDraft, d.ID, d.Files, now)
	})
	if err == nil {
		*d = saved // a refused save leaves the caller's draft as it was
	}
	return err
}

// checkDraftCount refuses a new draft while the account has max already.
// The account's row is locked first (an update that changes nothing), so
// that two requests of one account cannot both pass the count.
func checkDraftCount(ctx context.Context, tx *sql.Tx, accountID int64, max int) error {
	if max <= 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE accounts SET version = version WHERE id = $1`, accountID); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM drafts WHERE account_id = $1`, accountID).Scan(&n); err != nil {
		return err
	}
	if n >= max {
		return ErrTooManyDrafts(n)
	}
	return nil
}

// ErrTooManyDrafts is the refusal of a new draft to an account that has n,
// its limit.
func ErrTooManyDrafts(n int) error {
	return apperr.New(apperr.Conflict, "您已有 %d 份未提交的草稿（含一件事），达到上限。请先提交或删除不再需要的草稿，再开始新的申报", n)
}

const draftColumns = `SELECT id, account_id, kind, code, version, created_at, updated_at, created_by, data FROM drafts`

func (s *Store) scanDraft(row interface{ Scan(...any) error }) (*Draft, error) {
	var d Draft
	var data string
	if err := row.Scan(&d.ID, &d.AccountID, &d.Kind, &d.Code, &d.Version, timeDest{&d.CreatedAt}, timeDest{&d.UpdatedAt}, &d.CreatedBy, &data); err != nil {
		return nil, err
	}
	b, err := s.openBlob(sealDraftData, data)
	if err != nil {
		return nil, err
	}
	d.Data = json.RawMessage(b)
	return &d, nil
}

// Draft returns the account's draft id.
func (s *Store) Draft(ctx context.Context, id, accountID int64) (*Draft, error) {
	d, err := s.scanDraft(s.read.QueryRowContext(ctx, draftColumns+` WHERE id = $1 AND account_id = $2`, id, accountID))
	return d, notFound(err, "未找到该草稿")
}

// DraftFor returns the account's draft of kind for code (a bundle
// template's: one per account and template).
func (s *Store) DraftFor(ctx context.Context, accountID int64, kind, code string) (*Draft, error) {
	d, err := s.scanDraft(s.read.QueryRowContext(ctx, draftColumns+` WHERE account_id = $1 AND kind = $2 AND code = $3
		ORDER BY id LIMIT 1`, accountID, kind, code))
	return d, notFound(err, "未找到该草稿")
}

// Drafts returns the account's drafts, the latest edited first.
func (s *Store) Drafts(ctx context.Context, accountID int64) ([]Draft, error) {
	rows, err := s.read.QueryContext(ctx, draftColumns+` WHERE account_id = $1 ORDER BY updated_at DESC, id DESC`, accountID)
	if err != nil {
		return nil, mapErr(err, "drafts")
	}
	defer rows.Close()
	var out []Draft
	for rows.Next() {
		d, err := s.scanDraft(rows)
		if err != nil {
			return nil, mapErr(err, "scan draft")
		}
		out = append(out, *d)
	}
	return out, mapErr(rows.Err(), "drafts")
}

// DeleteDraft removes a draft (the applicant's own, at the version read).
func (s *Store) DeleteDraft(ctx context.Context, id, accountID int64) error {
	return s.update(ctx, func(tx *sql.Tx) error { return deleteDraft(ctx, tx, id, accountID) })
}

func deleteDraft(ctx context.Context, tx *sql.Tx, id, accountID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM drafts WHERE id = $1 AND account_id = $2`, id, accountID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return apperr.New(apperr.NotFound, "未找到该草稿（可能已提交或已删除）")
	}
	if err := dropReferences(ctx, tx, holderDraft, id); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM drafts WHERE id = $1 AND account_id = $2`, id, accountID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.Conflict, "草稿已提交或已删除，请刷新")
	}
	return nil
}

// SubmitDraft creates the online case and removes its draft (if any) in one
// transaction, so a draft is submitted at most once; opened says what the
// case's first event makes (see CreateCase).
func (s *Store) SubmitDraft(ctx context.Context, draftID, accountID int64, c *casework.Case, ev *casework.Event, opened OpenedFunc) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		if draftID != 0 {
			if err := deleteDraft(ctx, tx, draftID, accountID); err != nil {
				return err
			}
		}
		return s.createCase(ctx, tx, c, ev, opened)
	})
}
