package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
)

// The agents' network (issue 15 item 5): hand-overs of applicants between
// agents, the service log and the reminders (migration 00047).

// AssignApplicant keeps a hand-over in one transaction: every mandate in
// ended (still running, as read) ends now, handed to a.To, and each in
// started (its copy held by a.To) begins. A mandate that ended meanwhile
// (revoked by the applicant, handed over by another manager) refuses the
// whole hand-over (conflict), so nothing changes.
func (s *Store) AssignApplicant(ctx context.Context, a *applicant.Assignment, ended, started []applicant.Authorisation) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		for i := range ended {
			m := &ended[i]
			data, err := json.Marshal(m)
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `UPDATE authorisations SET revoked_at = $1, data = $2 WHERE id = $3 AND revoked_at IS NULL`,
				stamp(m.RevokedAt), string(data), m.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return apperr.New(apperr.Conflict, "%s 的代办授权刚刚已变更（撤销或已被改派），请刷新后重试", m.Applicant)
			}
		}
		for i := range started {
			m := &started[i]
			data, err := json.Marshal(m)
			if err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO authorisations (account_id, agent, until_day, created_at, data)
				VALUES ($1, $2, $3, $4, $5) RETURNING id`,
				m.AccountID, m.Agent, m.Until.String(), stamp(m.CreatedAt), string(data)).Scan(&m.ID); err != nil {
				return err
			}
		}
		data, err := json.Marshal(a)
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO agent_assignments (account_id, team, from_agent, to_agent, assigned_by, assigned_at, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			a.AccountID, a.Team, a.From, a.To, a.By, stamp(a.At), string(data)).Scan(&a.ID)
	})
}

// Assignments returns the hand-overs of an account (accountID != 0) or of
// a team (team != ""), newest first.
func (s *Store) Assignments(ctx context.Context, accountID int64, team string) ([]applicant.Assignment, error) {
	q, arg := `SELECT id, data FROM agent_assignments WHERE account_id = $1 ORDER BY id DESC`, any(accountID)
	if accountID == 0 {
		q, arg = `SELECT id, data FROM agent_assignments WHERE team = $1 ORDER BY id DESC LIMIT 200`, team
	}
	rows, err := s.read.QueryContext(ctx, q, arg)
	if err != nil {
		return nil, mapErr(err, "assignments")
	}
	defer rows.Close()
	var out []applicant.Assignment
	for rows.Next() {
		var a applicant.Assignment
		var id int64
		var data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, mapErr(err, "scan assignment")
		}
		if err := json.Unmarshal([]byte(data), &a); err != nil {
			return nil, apperr.Wrap(err, "assignment data")
		}
		a.ID = id
		out = append(out, a)
	}
	return out, mapErr(rows.Err(), "assignments")
}

// AddAgentLog appends an entry to an applicant's service log.
func (s *Store) AddAgentLog(ctx context.Context, e *applicant.LogEntry) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO agent_log (account_id, day, case_number, body, agent, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			e.AccountID, e.Day.String(), nullText(e.CaseNumber), e.Text, e.Agent, stamp(e.At)).Scan(&e.ID)
	})
}

// AgentLog returns an applicant's service log, the latest day first, with
// the names of the agents who wrote it.
func (s *Store) AgentLog(ctx context.Context, accountID int64) ([]applicant.LogEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT l.id, l.day, COALESCE(l.case_number, ''), l.body, l.agent, COALESCE(u.name, l.agent), l.created_at
		FROM agent_log l LEFT JOIN users u ON u.username = l.agent WHERE l.account_id = $1 ORDER BY l.day DESC, l.id DESC`, accountID)
	if err != nil {
		return nil, mapErr(err, "agent log")
	}
	defer rows.Close()
	var out []applicant.LogEntry
	for rows.Next() {
		e := applicant.LogEntry{AccountID: accountID}
		var day string
		if err := rows.Scan(&e.ID, &day, &e.CaseNumber, &e.Text, &e.Agent, &e.AgentName, timeDest{&e.At}); err != nil {
			return nil, mapErr(err, "scan agent log")
		}
		d, err := calendar.ParseDate(day)
		if err != nil {
			return nil, apperr.Wrap(err, "agent log day")
		}
		e.Day = d
		out = append(out, e)
	}
	return out, mapErr(rows.Err(), "agent log")
}

// RecordReminder keeps a reminder unless one of the same case, deadline
// and due time is kept already (by this node or another); it reports
// whether this one was new, and so is to be sent.
func (s *Store) RecordReminder(ctx context.Context, r *applicant.Reminder) (bool, error) {
	var added bool
	err := s.update(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO agent_reminders (case_number, deadline, due_at, agent, account_id, body, sent_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (case_number, deadline, due_at) DO NOTHING RETURNING id`,
			r.CaseNumber, r.Deadline, stamp(r.Due), r.Agent, dbNull(r.AccountID), r.Text, stamp(r.At)).Scan(&r.ID)
		if err == sql.ErrNoRows {
			return nil
		}
		added = err == nil
		return err
	})
	return added, err
}

// AgentReminders returns the latest reminders sent to an agent.
func (s *Store) AgentReminders(ctx context.Context, agent string, limit int) ([]applicant.Reminder, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, case_number, deadline, due_at, agent, COALESCE(account_id, 0), body, sent_at
		FROM agent_reminders WHERE agent = $1 ORDER BY sent_at DESC, id DESC LIMIT $2`, agent, limit)
	if err != nil {
		return nil, mapErr(err, "agent reminders")
	}
	defer rows.Close()
	var out []applicant.Reminder
	for rows.Next() {
		var r applicant.Reminder
		if err := rows.Scan(&r.ID, &r.CaseNumber, &r.Deadline, timeDest{&r.Due}, &r.Agent, &r.AccountID, &r.Text, timeDest{&r.At}); err != nil {
			return nil, mapErr(err, "scan agent reminder")
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err(), "agent reminders")
}

// AgentCasesDue returns the open cases an agent carries (applied for by
// an agent, or of an account with a running mandate) whose earliest
// running deadline ends before horizon: the cases a reminder sweep looks
// at. A case's every running deadline is at or after its next_due, so
// none is missed.
func (s *Store) AgentCasesDue(ctx context.Context, horizon time.Time, limit int) ([]casework.Case, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT c.id, c.check_code, c.version, c.data FROM cases c
		WHERE c.next_due IS NOT NULL AND c.next_due < $1
		AND (c.agent_user IS NOT NULL OR c.account_id IN (SELECT account_id FROM authorisations WHERE revoked_at IS NULL))
		ORDER BY c.next_due LIMIT $2`, stamp(horizon), limit)
	if err != nil {
		return nil, mapErr(err, "agent cases due")
	}
	defer rows.Close()
	var out []casework.Case
	for rows.Next() {
		var c casework.Case
		var check, data string
		if err := rows.Scan(&c.ID, &check, &c.Version, &data); err != nil {
			return nil, mapErr(err, "scan case")
		}
		if err := s.openCase(data, &c); err != nil {
			return nil, err
		}
		c.CheckCode = check
		out = append(out, c)
	}
	return out, mapErr(rows.Err(), "agent cases due")
}
