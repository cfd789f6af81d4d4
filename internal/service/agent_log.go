package service

import (
	"context"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/org"
)

// AgentLogInput is a service log entry as the form gives it.
type AgentLogInput struct {
	Day        string `json:"day,omitempty" doc:"代办日期 YYYY-MM-DD（默认今天；可补记 30 天内的）"`
	CaseNumber string `json:"case_number,omitempty" doc:"所涉办件编号（可不填）"`
	Text       string `json:"text" doc:"代办事项，不超过 500 字" maxLength:"2000"`
}

// AddAgentLog appends to the service log (代办记录) of an applicant the
// signed-in agent carries: what they did, on which day, for which of the
// applicant's cases if any. Entries are never changed or removed.
func (s *AgentNet) AddAgentLog(ctx context.Context, accountID int64, in AgentLogInput) (*applicant.LogEntry, error) {
	a, err := require(ctx, "填写代办记录", org.RoleAgent)
	if err != nil {
		return nil, err
	}
	if a.User == nil {
		return nil, apperr.New(apperr.Forbidden, "代办记录由承办的代办员填写")
	}
	if _, _, err := s.mayReadApplicant(ctx, accountID); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	e := &applicant.LogEntry{AccountID: accountID, Text: in.Text, Agent: a.User.Username, AgentName: a.User.Name, At: now,
		CaseNumber: strings.TrimSpace(in.CaseNumber), Day: calendar.DateOf(now)}
	if d := strings.TrimSpace(in.Day); d != "" {
		if e.Day, err = calendar.ParseDate(d); err != nil {
			return nil, apperr.Field("day", "代办日期的格式须为 YYYY-MM-DD")
		}
	}
	if err := e.Check(calendar.DateOf(now)); err != nil {
		return nil, err
	}
	if e.CaseNumber != "" {
		acc, err := s.store.Account(ctx, accountID)
		if err != nil {
			return nil, err
		}
		// The applicant's online cases, and window cases in their name.
		c, err := s.store.Case(ctx, e.CaseNumber)
		if err != nil || !acc.Owns(c) {
			return nil, apperr.Field("case_number", "办件 "+e.CaseNumber+" 不是该申请人的办件")
		}
	}
	if err := s.store.AddAgentLog(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// AgentApplicant is one applicant as their agent and the agent manager
// read them: the mandates, the service log and the hand-overs.
type AgentApplicant struct {
	AccountID   int64                     `json:"account_id" doc:"申请人账户编号"`
	Name        string                    `json:"name" doc:"申请人"`
	Mandates    []applicant.Authorisation `json:"mandates" doc:"代办授权（含已到期、已撤销、已改派的）"`
	Log         []applicant.LogEntry      `json:"log" doc:"代办记录，日期新的在前"`
	Assignments []applicant.Assignment    `json:"assignments" doc:"改派记录，新的在前"`
}

// AgentApplicant returns an applicant's mandates, service log and
// hand-overs, to the agent carrying them or their team's agent manager.
func (s *AgentNet) AgentApplicant(ctx context.Context, accountID int64) (*AgentApplicant, error) {
	_, ms, err := s.mayReadApplicant(ctx, accountID)
	if err != nil {
		return nil, err
	}
	acc, err := s.store.Account(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := &AgentApplicant{AccountID: accountID, Name: acc.Name, Mandates: ms}
	if out.Log, err = s.store.AgentLog(ctx, accountID); err != nil {
		return nil, err
	}
	if out.Assignments, err = s.store.Assignments(ctx, accountID, ""); err != nil {
		return nil, err
	}
	if out.Log == nil {
		out.Log = []applicant.LogEntry{}
	}
	if out.Assignments == nil {
		out.Assignments = []applicant.Assignment{}
	}
	return out, nil
}
