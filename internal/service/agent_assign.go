package service

import (
	"context"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
)

// AssignInput is an agent manager's hand-over of an applicant.
type AssignInput struct {
	AccountID int64  `json:"account_id" doc:"申请人账户编号"`
	Agent     string `json:"agent" doc:"接手的代办员（用户名），须为本街道（含所属社区）或本区的代办员" maxLength:"64"`
	Reason    string `json:"reason" doc:"改派原因，不超过 200 字" maxLength:"1000"`
}

// AssignApplicant hands an applicant over to another agent of the signed-
// in agent manager's team: every running mandate the applicant gave an
// agent of the team passes to that agent, with its scope and end, in one
// transaction with the hand-over's record. An applicant no agent of the
// team carries, an agent outside the team, or the agent who carries them
// already is refused, and nothing changes.
func (s *AgentNet) AssignApplicant(ctx context.Context, in AssignInput) (*applicant.Assignment, error) {
	a, t, err := s.teamOf(ctx, "改派申请人")
	if err != nil {
		return nil, err
	}
	in.Agent = strings.TrimSpace(in.Agent)
	to, ok := t.has(in.Agent)
	if in.Agent != "" && !ok {
		return nil, apperr.Field("agent", "「"+in.Agent+"」不是"+t.Hall.Name+"的在岗代办员，只能在本街道（含所属社区）的代办员之间改派")
	}
	ms, err := s.store.Authorisations(ctx, in.AccountID, "")
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	var held []applicant.Authorisation
	for _, m := range ms {
		if _, in := t.has(m.Agent); in && m.Active(now) {
			held = append(held, m)
		}
	}
	if len(held) == 0 {
		return nil, apperr.New(apperr.NotFound, "该申请人没有委托%s的代办员，或授权已到期、已撤销", t.Hall.Name)
	}
	as := &applicant.Assignment{AccountID: in.AccountID, Applicant: held[0].Applicant, Team: t.Hall.Code,
		From: held[0].Agent, FromName: held[0].AgentName, Reason: strings.TrimSpace(in.Reason),
		By: a.User.Username, ByName: a.User.Name, At: now}
	for _, m := range held {
		if to == nil || m.Agent != to.Username {
			as.From, as.FromName = m.Agent, m.AgentName
			break
		}
	}
	if to != nil {
		as.To, as.ToName = to.Username, to.Name
	}
	if err := as.Check(); err != nil {
		return nil, err
	}
	var ended, started []applicant.Authorisation
	for _, m := range held {
		if m.Agent == to.Username {
			continue // already theirs
		}
		as.Mandates = append(as.Mandates, m.ID)
		old := m
		old.RevokedAt, old.TransferredTo, old.TransferredName = now, to.Username, to.Name
		ended = append(ended, old)
		started = append(started, applicant.Authorisation{AccountID: m.AccountID, Applicant: m.Applicant,
			Agent: to.Username, AgentName: to.Name, Items: m.Items, Until: m.Until, CreatedAt: now, TransferredFrom: m.ID})
	}
	if err := s.store.AssignApplicant(ctx, as, ended, started); err != nil {
		return nil, err
	}
	s.log.Info("applicant handed over", "account", as.AccountID, "from", as.From, "to", as.To, "by", as.By)
	return as, nil
}

// AgentTeam is an agent manager's team: its agents, each with the
// applicants they carry, and the latest hand-overs.
type AgentTeam struct {
	Hall        string                 `json:"hall" doc:"大厅编码"`
	HallName    string                 `json:"hall_name" doc:"大厅"`
	Agents      []TeamAgent            `json:"agents" doc:"本街道（含所属社区）的在岗代办员"`
	Assignments []applicant.Assignment `json:"assignments" doc:"最近的改派记录，新的在前"`
}

// TeamAgent is one agent of a team with the applicants they carry.
type TeamAgent struct {
	Username   string             `json:"username" doc:"用户名"`
	Name       string             `json:"name" doc:"姓名"`
	HallName   string             `json:"hall_name" doc:"所在大厅"`
	Applicants []CarriedApplicant `json:"applicants" doc:"承办的申请人"`
}

// AgentTeam returns the signed-in agent manager's team.
func (s *AgentNet) AgentTeam(ctx context.Context) (*AgentTeam, error) {
	_, t, err := s.teamOf(ctx, "查看代办分派")
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	out := &AgentTeam{Hall: t.Hall.Code, HallName: t.Hall.Name, Agents: []TeamAgent{}}
	for _, u := range t.Agents {
		ms, err := s.store.Authorisations(ctx, 0, u.Username)
		if err != nil {
			return nil, err
		}
		ta := TeamAgent{Username: u.Username, Name: u.Name, HallName: t.hallName(u.HallCode), Applicants: []CarriedApplicant{}}
		order, by := carried(ms, u.Username, now)
		for _, id := range order {
			ta.Applicants = append(ta.Applicants, CarriedApplicant{AccountID: id, Name: by[id][0].Applicant, Mandates: by[id]})
		}
		out.Agents = append(out.Agents, ta)
	}
	if out.Assignments, err = s.store.Assignments(ctx, 0, t.Hall.Code); err != nil {
		return nil, err
	}
	if out.Assignments == nil {
		out.Assignments = []applicant.Assignment{}
	}
	return out, nil
}
