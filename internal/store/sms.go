package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
)

// SMSTemplate is the bureau admin's text-message template of one notice
// kind.
type SMSTemplate struct {
	Kind      string
	Body      string
	UpdatedAt time.Time
	UpdatedBy string // username
}

// SMSTemplates returns the templates the bureau admin set, by kind; kinds
// without one are absent.
func (s *Store) SMSTemplates(ctx context.Context) (map[string]SMSTemplate, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT kind, body, updated_at, updated_by FROM sms_templates`)
	if err != nil {
		return nil, mapErr(err, "sms templates")
	}
	defer rows.Close()
	out := map[string]SMSTemplate{}
	for rows.Next() {
		var t SMSTemplate
		if err := rows.Scan(&t.Kind, &t.Body, timeDest{&t.UpdatedAt}, &t.UpdatedBy); err != nil {
			return nil, mapErr(err, "sms templates")
		}
		out[t.Kind] = t
	}
	return out, mapErr(rows.Err(), "sms templates")
}

// SaveSMSTemplate sets the template of t.Kind; an empty body removes it,
// so that the kind uses its default again.
func (s *Store) SaveSMSTemplate(ctx context.Context, t SMSTemplate) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		if t.Body == "" {
			_, err := tx.ExecContext(ctx, `DELETE FROM sms_templates WHERE kind = $1`, t.Kind)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sms_templates (kind, body, updated_at, updated_by) VALUES ($1, $2, $3, $4)
			ON CONFLICT (kind) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			t.Kind, t.Body, stamp(t.UpdatedAt), t.UpdatedBy)
		return err
	})
}

// RecordDeliveryReceipt records the gateway's delivery receipt of
// notification id: its status, what the gateway said and when it reported.
// A later receipt replaces an earlier one (a gateway that first reports
// "accepted by the carrier", then "delivered").
func (s *Store) RecordDeliveryReceipt(ctx context.Context, id int64, status, detail string, at time.Time) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET delivery_status = $1, delivery_detail = $2, delivered_at = $3 WHERE id = $4`,
			status, detail, stamp(at), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.NotFound, "没有编号为 %d 的通知", id)
		}
		return nil
	})
}

// Notification returns notification id.
func (s *Store) Notification(ctx context.Context, id int64) (*applicant.Notification, error) {
	out, err := s.notifications(ctx, `n.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.NotFound, "没有编号为 %d 的通知", id)
	}
	return &out[0], nil
}

// NoticeLink is a short public link to one document of a case.
type NoticeLink struct {
	CodeHash     string // SHA-256 of the code, hex
	CaseNumber   string
	DocumentKind string
	CreatedAt    time.Time
	ExpiresAt    time.Time
}

// CreateNoticeLink saves a link.
func (s *Store) CreateNoticeLink(ctx context.Context, l NoticeLink) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		var caseID int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM cases WHERE number = $1`, l.CaseNumber).Scan(&caseID); err != nil {
			return notFound(err, "办件 "+l.CaseNumber+" 不存在")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO notice_links (code_hash, case_id, document_kind, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			l.CodeHash, caseID, l.DocumentKind, stamp(l.CreatedAt), stamp(l.ExpiresAt))
		return err
	})
}

// NoticeLinkByHash returns the link whose code hashes to hash, expired or
// not (the caller tells the two apart).
func (s *Store) NoticeLinkByHash(ctx context.Context, hash string) (*NoticeLink, error) {
	l := NoticeLink{CodeHash: hash}
	err := s.read.QueryRowContext(ctx, `SELECT c.number, l.document_kind, l.created_at, l.expires_at
		FROM notice_links l JOIN cases c ON c.id = l.case_id WHERE l.code_hash = $1`, hash).
		Scan(&l.CaseNumber, &l.DocumentKind, timeDest{&l.CreatedAt}, timeDest{&l.ExpiresAt})
	if err != nil {
		return nil, notFound(err, "链接无效或已失效")
	}
	return &l, nil
}

// OpenCaseCounts are the open cases by the warning of their next deadline.
type OpenCaseCounts struct {
	Red, Yellow, Open int
	// RedIdle are the red cases nobody has changed since the cut-off given.
	RedIdle int
}

// OpenCaseWarnings counts the open cases (not archived, withdrawn or
// terminated): those whose next deadline has passed at now (red), and of
// them those unchanged since idleSince, those due by yellowBy (yellow),
// and all of them. It reads the partial index of open cases only, so it
// stays cheap however many cases have closed.
func (s *Store) OpenCaseWarnings(ctx context.Context, now, yellowBy, idleSince time.Time) (OpenCaseCounts, error) {
	var c OpenCaseCounts
	err := s.read.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN next_due IS NOT NULL AND next_due <= $1 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN next_due IS NOT NULL AND next_due <= $1 AND updated_at <= $3 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN next_due > $1 AND next_due <= $2 THEN 1 ELSE 0 END), 0),
		COUNT(*)
		FROM cases WHERE state NOT IN ('archived', 'withdrawn', 'terminated')`, stamp(now), stamp(yellowBy), stamp(idleSince)).
		Scan(&c.Red, &c.RedIdle, &c.Yellow, &c.Open)
	return c, mapErr(err, "open cases")
}
