package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/bundle"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/queue"
)

// SaveBundleTemplate inserts or replaces a bundle template.
func (s *Store) SaveBundleTemplate(ctx context.Context, t *bundle.Template, by string, now time.Time) error {
	data, err := json.Marshal(t)
	if err != nil {
		return apperr.Wrap(err, "template data")
	}
	return s.update(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO bundle_templates (code, updated_at, updated_by, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (code) DO UPDATE SET updated_at = excluded.updated_at, updated_by = excluded.updated_by, data = excluded.data`,
			t.Code, stamp(now), by, string(data))
		return err
	})
}

// BundleTemplates returns every bundle template by code.
func (s *Store) BundleTemplates(ctx context.Context) ([]bundle.Template, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT data FROM bundle_templates ORDER BY code`)
	if err != nil {
		return nil, mapErr(err, "bundle templates")
	}
	defer rows.Close()
	var out []bundle.Template
	for rows.Next() {
		var data string
		var t bundle.Template
		if err := rows.Scan(&data); err != nil {
			return nil, mapErr(err, "scan template")
		}
		if err := json.Unmarshal([]byte(data), &t); err != nil {
			return nil, apperr.Wrap(err, "template data")
		}
		out = append(out, t)
	}
	return out, mapErr(rows.Err(), "bundle templates")
}

// BundleTemplate returns the template with code.
func (s *Store) BundleTemplate(ctx context.Context, code string) (*bundle.Template, error) {
	var data string
	if err := s.read.QueryRowContext(ctx, `SELECT data FROM bundle_templates WHERE code = $1`, code).Scan(&data); err != nil {
		return nil, notFound(err, "未知的一件事："+code)
	}
	var t bundle.Template
	if err := json.Unmarshal([]byte(data), &t); err != nil {
		return nil, apperr.Wrap(err, "template data")
	}
	return &t, nil
}

// CreateBundle saves a bundle and all its member cases, each with its first
// event, in one transaction: the bundle gets its number (YJS + date + the
// day's count), every case its own and the bundle's. Nothing is saved if
// any part fails. draftID, if not 0, is the online draft it came from;
// opened says what each case's first event makes (see CreateCase).
func (s *Store) CreateBundle(ctx context.Context, b *bundle.Bundle, cases []*casework.Case, events []*casework.Event, draftID int64, opened OpenedFunc) error {
	return s.update(ctx, func(tx *sql.Tx) error { return s.createBundle(ctx, tx, b, cases, events, draftID, opened) })
}

// TakeInBundle saves a bundle taken in at the window, as CreateBundle
// does, and links every member case to the clerk's visit (link may be
// nil) in the same transaction. It returns the ticket linked, or nil.
func (s *Store) TakeInBundle(ctx context.Context, b *bundle.Bundle, cases []*casework.Case, events []*casework.Event, opened OpenedFunc, link *VisitLink) (*queue.Ticket, error) {
	var t *queue.Ticket
	err := s.update(ctx, func(tx *sql.Tx) error {
		if err := s.createBundle(ctx, tx, b, cases, events, 0, opened); err != nil {
			return err
		}
		numbers := make([]string, len(cases))
		for i, c := range cases {
			numbers[i] = c.Number
		}
		var err error
		t, err = s.linkVisitTx(ctx, tx, link, numbers...)
		return err
	})
	return t, err
}

// createBundle is CreateBundle's work in tx.
func (s *Store) createBundle(ctx context.Context, tx *sql.Tx, b *bundle.Bundle, cases []*casework.Case, events []*casework.Event, draftID int64, opened OpenedFunc) error {
	{
		if draftID != 0 {
			if err := deleteDraft(ctx, tx, draftID, b.AccountID); err != nil {
				return err
			}
		}
		day := b.ReceivedAt.In(clock.Shanghai).Format("20060102")
		n, err := s.nextSerial(ctx, tx, "bundle:"+day)
		if err != nil {
			return err
		}
		b.Number, b.Version, b.State = fmt.Sprintf("YJS%s%04d", day, n), 1, bundle.Open
		for i, c := range cases {
			c.BundleNumber = b.Number
			if err := s.createCase(ctx, tx, c, events[i], opened); err != nil {
				return err
			}
			b.Members[i].CaseNumber = c.Number
		}
		data, err := s.sealBundle(b)
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO bundles (number, template_code, lead_department, state, account_id, received_at, due_by, version, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) RETURNING id`,
			b.Number, b.TemplateCode, b.LeadDepartment, string(b.State), dbNull(b.AccountID), stamp(b.ReceivedAt), stamp(b.DueBy), data).Scan(&b.ID)
	}
}

// sealBundle returns the bundle as its data column keeps it: sealed JSON
// (it holds the applicant and the shared form).
func (s *Store) sealBundle(b *bundle.Bundle) (string, error) {
	data, err := json.Marshal(b)
	if err != nil {
		return "", apperr.Wrap(err, "bundle data")
	}
	return s.sealBlob(sealBundleData, data)
}

const bundleColumns = `SELECT id, version, data FROM bundles`

func (s *Store) scanBundle(row interface{ Scan(...any) error }) (*bundle.Bundle, error) {
	var b bundle.Bundle
	var id int64
	var version int
	var data string
	if err := row.Scan(&id, &version, &data); err != nil {
		return nil, err
	}
	plain, err := s.openBlob(sealBundleData, data)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(plain, &b); err != nil {
		return nil, apperr.Wrap(err, "bundle data")
	}
	b.ID, b.Version = id, version
	return &b, nil
}

// Bundle returns the bundle with number.
func (s *Store) Bundle(ctx context.Context, number string) (*bundle.Bundle, error) {
	b, err := s.scanBundle(s.read.QueryRowContext(ctx, bundleColumns+` WHERE number = $1`, number))
	return b, notFound(err, bundle.UnknownBundle(number).Message)
}

// BundleFilter narrows a list of bundles.
type BundleFilter struct {
	State      bundle.State
	Department string // lead department, or a department with a member
	AccountID  int64
	Limit      int
}

// Bundles returns the bundles matching f, the earliest due first.
func (s *Store) Bundles(ctx context.Context, f BundleFilter) ([]bundle.Bundle, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.State != "" {
		where = append(where, "state = "+arg(string(f.State)))
	}
	if f.Department != "" {
		d := arg(f.Department)
		where = append(where, "(lead_department = "+d+" OR number IN (SELECT c.bundle_number FROM cases c JOIN departments dp ON dp.id = c.department_id WHERE dp.code = "+d+" AND c.bundle_number IS NOT NULL))")
	}
	if f.AccountID != 0 {
		where = append(where, "account_id = "+arg(f.AccountID))
	}
	clause := ""
	if len(where) > 0 {
		clause = " WHERE " + strings.Join(where, " AND ")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	rows, err := s.read.QueryContext(ctx, bundleColumns+clause+` ORDER BY due_by, number LIMIT `+arg(f.Limit), args...)
	if err != nil {
		return nil, mapErr(err, "bundles")
	}
	defer rows.Close()
	var out []bundle.Bundle
	for rows.Next() {
		b, err := s.scanBundle(rows)
		if err != nil {
			return nil, mapErr(err, "scan bundle")
		}
		out = append(out, *b)
	}
	return out, mapErr(rows.Err(), "bundles")
}

// CloseBundle marks a bundle done at now, if it is still at the version
// read.
func (s *Store) CloseBundle(ctx context.Context, b *bundle.Bundle, now time.Time) error {
	b.State, b.ClosedAt = bundle.Done, now
	data, err := s.sealBundle(b)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE bundles SET state = $1, version = version + 1, data = $2 WHERE id = $3 AND version = $4`,
			string(b.State), data, b.ID, b.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "一件事 %s 已被同时修改", b.Number)
		}
		b.Version++
		return nil
	})
}
