package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
)

// intakeAttemptSelect reads notices with their item's name.
// The applicant's ID number is read from its sealed column; applicant_id
// holds its keyed hash, for recall.
const intakeAttemptSelect = `SELECT a.id, a.item_code, a.item_version, i.name, a.applicant_kind, a.applicant_name,
	a.applicant_id_type, a.applicant_id_sealed, a.missing, a.note, a.clerk, a.clerk_name, a.hall_code, a.created_at
	FROM intake_attempts a JOIN items i ON i.code = a.item_code AND i.version = a.item_version `

// CreateIntakeAttempt records a one-time notice and sets a.ID. An unknown
// item version is refused by the database's reference, not by a check
// before the insert.
func (s *Store) CreateIntakeAttempt(ctx context.Context, a *casework.IntakeAttempt) error {
	missing, err := json.Marshal(a.Missing)
	if err != nil {
		return apperr.Wrap(err, "missing materials")
	}
	idHash, err := s.hash(hashID, a.Applicant.IDNumber)
	if err != nil {
		return err
	}
	idSealed, err := s.seal(sealAttemptID, a.Applicant.IDNumber)
	if err != nil {
		return err
	}
	return s.update(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO intake_attempts (item_code, item_version, applicant_kind, applicant_name, applicant_id_type, applicant_id,
				applicant_id_sealed, missing, note, clerk, clerk_name, hall_code, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			a.ItemCode, a.ItemVersion, string(a.Applicant.Kind), a.Applicant.Name, string(a.Applicant.IDType), idHash, idSealed,
			string(missing), a.Note, a.Clerk, a.ClerkName, a.HallCode, stamp(a.CreatedAt)).Scan(&a.ID)
		if apperr.CodeOf(mapErr(err, "")) == apperr.Invalid {
			return apperr.Field("item_code", "未知的事项版本："+a.ItemCode)
		}
		return err
	})
}

func (s *Store) scanIntakeAttempt(row interface{ Scan(...any) error }) (*casework.IntakeAttempt, error) {
	var a casework.IntakeAttempt
	var kind, idType, missing string
	err := row.Scan(&a.ID, &a.ItemCode, &a.ItemVersion, &a.ItemName, &kind, &a.Applicant.Name, &idType, s.opened(sealAttemptID, &a.Applicant.IDNumber),
		&missing, &a.Note, &a.Clerk, &a.ClerkName, &a.HallCode, timeDest{&a.CreatedAt})
	if err != nil {
		return nil, err
	}
	a.Applicant.Kind, a.Applicant.IDType = casework.PartyKind(kind), identity.IDType(idType)
	if err := json.Unmarshal([]byte(missing), &a.Missing); err != nil {
		return nil, apperr.Wrap(err, "intake attempt missing materials")
	}
	return &a, nil
}

// IntakeAttempt returns the one-time notice with id.
func (s *Store) IntakeAttempt(ctx context.Context, id int64) (*casework.IntakeAttempt, error) {
	a, err := s.scanIntakeAttempt(s.read.QueryRowContext(ctx, intakeAttemptSelect+`WHERE a.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "未知的一次性告知单")
	}
	return a, nil
}

// IntakeAttemptFilter narrows the list of one-time notices.
type IntakeAttemptFilter struct {
	Hall     string    // one hall's, or every hall's for ""
	From, To time.Time // created in [From, To); zero: unbounded
	Limit    int       // at most this many, newest first; 0: 500
}

// IntakeAttempts lists the one-time notices matching f, newest first.
func (s *Store) IntakeAttempts(ctx context.Context, f IntakeAttemptFilter) ([]casework.IntakeAttempt, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	// Open bounds become the earliest and latest times either database
	// holds, so that one statement serves every filter.
	from, to := f.From, f.To
	if from.IsZero() {
		from = time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if to.IsZero() {
		to = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	rows, err := s.read.QueryContext(ctx, intakeAttemptSelect+`
		WHERE ($1 = '' OR a.hall_code = $1) AND a.created_at >= $2 AND a.created_at < $3
		ORDER BY a.created_at DESC, a.id DESC LIMIT $4`,
		f.Hall, stamp(from), stamp(to), f.Limit)
	if err != nil {
		return nil, mapErr(err, "list intake attempts")
	}
	defer rows.Close()
	var out []casework.IntakeAttempt
	for rows.Next() {
		a, err := s.scanIntakeAttempt(rows)
		if err != nil {
			return nil, mapErr(err, "scan intake attempt")
		}
		out = append(out, *a)
	}
	return out, mapErr(rows.Err(), "list intake attempts")
}

// ApplicantRecall is what the intake desk may fill in again for a
// returning applicant, and where it came from.
type ApplicantRecall struct {
	Applicant casework.Party
	Source    string    // "case": the latest case; "notice": the latest one-time notice
	Number    string    // the case number, for a case
	At        time.Time // when that case was taken in or that notice given
}

// RecallApplicant returns the applicant's details as recorded with the most
// recent case of that ID number (name, phone, address, kind) or, when there
// is no case yet, with the most recent one-time notice (kind and name only:
// a notice keeps no phone or address). idNumber must be normalised as cases
// store it.
func (s *Store) RecallApplicant(ctx context.Context, idNumber string) (*ApplicantRecall, error) {
	idNumber = strings.TrimSpace(idNumber)
	if idNumber == "" {
		return nil, apperr.New(apperr.NotFound, "没有该证件号码的办件记录")
	}
	idNumber, err := s.hash(hashID, idNumber)
	if err != nil {
		return nil, err
	}
	var number, data string
	var at time.Time
	err = s.row(ctx, `SELECT number, received_at, data FROM cases WHERE applicant_id = $1
		ORDER BY received_at DESC, id DESC LIMIT 1`, idNumber).Scan(&number, timeDest{&at}, &data)
	switch {
	case err == nil:
		var c casework.Case
		if err := s.openCase(data, &c); err != nil {
			return nil, apperr.Wrap(err, "case "+number)
		}
		return &ApplicantRecall{Applicant: c.Applicant, Source: "case", Number: number, At: at}, nil
	case err != sql.ErrNoRows:
		return nil, mapErr(err, "recall applicant")
	}
	a, err := s.scanIntakeAttempt(s.read.QueryRowContext(ctx, intakeAttemptSelect+`
		WHERE a.applicant_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT 1`, idNumber))
	if err != nil {
		return nil, notFound(err, "没有该证件号码的办件记录")
	}
	return &ApplicantRecall{Applicant: a.Applicant, Source: "notice", At: a.CreatedAt}, nil
}
