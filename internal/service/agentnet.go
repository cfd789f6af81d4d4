package service

import (
	"context"
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/org"
)

// The agents' network (issue 15 item 5). Who carries an applicant is who
// holds the applicant's running mandate: an agent manager's hand-over
// (agent_assign.go) passes the mandate on, so the reading and acting
// rules of mandates (agents.go, cases.go) need nothing more. The helpers
// here say who is in a manager's team and who carries whom.

// team is an agent manager's hall and the agents in its team: the hall's
// own and those of the halls right below it (a street centre's community
// stations).
type team struct {
	Hall     org.Hall
	Agents   []org.User // active agents, by username
	hallName func(code string) string
}

// has reports whether username is an agent of the team.
func (t *team) has(username string) (*org.User, bool) {
	for i := range t.Agents {
		if t.Agents[i].Username == username {
			return &t.Agents[i], true
		}
	}
	return nil, false
}

// teamOf returns the team of the agent manager acting in ctx.
func (s *AgentNet) teamOf(ctx context.Context, what string) (*Actor, *team, error) {
	a, err := require(ctx, what, org.RoleAgentManager)
	if err != nil {
		return nil, nil, err
	}
	if a.User == nil || a.User.HallCode == "" {
		return nil, nil, apperr.New(apperr.Forbidden, "代办管理员须属于一个大厅，才能%s", what)
	}
	t, err := s.team(ctx, a.User.HallCode)
	return a, t, err
}

// team returns the team of hall code.
func (s *AgentNet) team(ctx context.Context, code string) (*team, error) {
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return nil, err
	}
	parents, names := map[string]string{}, map[string]string{}
	t := &team{}
	for _, h := range halls {
		parents[h.Code], names[h.Code] = h.ParentCode, h.Name
		if h.Code == code {
			t.Hall = h
		}
	}
	if t.Hall.Code == "" {
		return nil, apperr.New(apperr.NotFound, "未知的大厅：%s", code)
	}
	t.hallName = func(c string) string {
		if n := names[c]; n != "" {
			return n
		}
		return c
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.Role == org.RoleAgent && u.Active && applicant.InTeam(u.HallCode, code, func(h string) string { return parents[h] }) {
			t.Agents = append(t.Agents, u)
		}
	}
	return t, nil
}

// carried returns the running mandates of agent at now, by account, the
// accounts in the order their newest mandate came.
func carried(ms []applicant.Authorisation, agent string, now time.Time) ([]int64, map[int64][]applicant.Authorisation) {
	by := map[int64][]applicant.Authorisation{}
	var order []int64
	for _, m := range ms {
		if m.Agent != agent || !m.Active(now) {
			continue
		}
		if _, ok := by[m.AccountID]; !ok {
			order = append(order, m.AccountID)
		}
		by[m.AccountID] = append(by[m.AccountID], m)
	}
	return order, by
}

// mayReadApplicant decides whether the signed-in person may read an
// applicant's service log and hand-overs: the agent carrying them, and
// the agent manager of the team whose agent carries them (or carried them
// last). It returns the applicant's mandates.
func (s *AgentNet) mayReadApplicant(ctx context.Context, accountID int64) (*Actor, []applicant.Authorisation, error) {
	a, err := require(ctx, "查看代办记录", org.RoleAgent, org.RoleAgentManager)
	if err != nil {
		return nil, nil, err
	}
	if a.User == nil {
		return nil, nil, apperr.New(apperr.Forbidden, "代办记录只对承办的代办员和代办管理员开放")
	}
	ms, err := s.store.Authorisations(ctx, accountID, "")
	if err != nil {
		return nil, nil, err
	}
	now := s.clock.Now()
	notYours := apperr.New(apperr.NotFound, "没有找到您承办的这位申请人")
	if a.Is(org.RoleAgent) {
		if !slices.ContainsFunc(ms, func(m applicant.Authorisation) bool { return m.Agent == a.User.Username && m.Active(now) }) {
			return nil, nil, notYours
		}
		return a, ms, nil
	}
	t, err := s.team(ctx, a.User.HallCode)
	if err != nil {
		return nil, nil, err
	}
	if !slices.ContainsFunc(ms, func(m applicant.Authorisation) bool { _, ok := t.has(m.Agent); return ok }) {
		return nil, nil, notYours
	}
	return a, ms, nil
}
