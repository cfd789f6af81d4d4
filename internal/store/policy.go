package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
)

const policyColumns = `SELECT p.version, p.accept_days, p.prereview_days, p.correct_days, p.archive_days,
	p.split, p.handover_same_day, p.handover_next_day, p.note, p.published_at, p.published_by, COALESCE(u.name, '')
	FROM deadline_policies p LEFT JOIN users u ON u.username = p.published_by `

func scanPolicy(row interface{ Scan(...any) error }) (casework.PublishedPolicy, error) {
	var p casework.PublishedPolicy
	var split, same, next string
	err := row.Scan(&p.Version, &p.AcceptDays, &p.PreReviewDays, &p.CorrectDays, &p.ArchiveDays,
		&split, &same, &next, &p.Note, timeDest{&p.PublishedAt}, &p.PublishedBy, &p.PublisherName)
	if err != nil {
		return p, err
	}
	for _, x := range []struct {
		text string
		dst  *calendar.TimeOfDay
	}{{split, &p.Split}, {same, &p.HandoverSameDay}, {next, &p.HandoverNextDay}} {
		if *x.dst, err = calendar.ParseTimeOfDay(x.text); err != nil {
			return p, fmt.Errorf("deadline policy %d: time %q: %w", p.Version, x.text, err)
		}
	}
	return p, nil
}

// DeadlinePolicy returns the deadline policy in force: its highest version.
func (s *Store) DeadlinePolicy(ctx context.Context) (*casework.PublishedPolicy, error) {
	p, err := scanPolicy(s.row(ctx, policyColumns+`ORDER BY p.version DESC LIMIT 1`)) // every intake: prepared
	if err != nil {
		return nil, notFound(err, "没有期限规则")
	}
	return &p, nil
}

// DeadlinePolicies returns every version of the deadline policy, newest
// first.
func (s *Store) DeadlinePolicies(ctx context.Context) ([]casework.PublishedPolicy, error) {
	rows, err := s.read.QueryContext(ctx, policyColumns+`ORDER BY p.version DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []casework.PublishedPolicy
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PublishDeadlinePolicy stores p as the next version of the deadline
// policy, in force from now on. baseVersion is the version the edit was
// made on: if another version was published since, it is a conflict and
// nothing is written. On success p.Version is the new version.
func (s *Store) PublishDeadlinePolicy(ctx context.Context, p *casework.Policy, baseVersion int, note, by string) error {
	now := s.clock.Now()
	return s.update(ctx, func(tx *sql.Tx) error {
		var current int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM deadline_policies`).Scan(&current); err != nil {
			return err
		}
		if current != baseVersion {
			return apperr.New(apperr.Conflict, "期限规则已被他人修改（当前为第 %d 版，您编辑的是第 %d 版），请刷新后重试", current, baseVersion)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO deadline_policies (version, accept_days, prereview_days, correct_days,
			archive_days, split, handover_same_day, handover_next_day, note, published_at, published_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			current+1, p.AcceptDays, p.PreReviewDays, p.CorrectDays, p.ArchiveDays,
			p.Split.String(), p.HandoverSameDay.String(), p.HandoverNextDay.String(), note, stamp(now), by)
		if err != nil {
			// Two publishers on the same base: the second finds the version taken.
			if err = mapErr(err, "publish policy"); apperr.Is(err, apperr.Conflict) {
				return apperr.New(apperr.Conflict, "期限规则已被他人修改，请刷新后重试")
			}
			return err
		}
		p.Version = current + 1
		return bump(ctx, tx, policyCounter) // the nodes' cached policy: CacheVersions
	})
}
