package service

import (
	"context"
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
)

// AgentChoice is an agent an applicant may authorise: name and hall only.
type AgentChoice struct {
	Username string
	Name     string
	HallCode string
}

// Agents lists the active agents (代办员) of the district and its streets.
func (s *Online) Agents(ctx context.Context) ([]AgentChoice, error) {
	if ActorFrom(ctx) == nil {
		return nil, apperr.New(apperr.Unauthorized, "请先登录")
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []AgentChoice
	for _, u := range users {
		if u.Role == org.RoleAgent && u.Active {
			out = append(out, AgentChoice{Username: u.Username, Name: u.Name, HallCode: u.HallCode})
		}
	}
	return out, nil
}

// AuthorisationInput is an applicant's mandate as the form gives it.
type AuthorisationInput struct {
	Agent string
	Items []string // empty: every item
	Until string   // YYYY-MM-DD, the last day it holds
}

// Authorise gives an agent a mandate to apply and collect for the signed-in
// applicant: for the items named (all if none) until the end of a day.
func (s *Online) Authorise(ctx context.Context, in AuthorisationInput) (*applicant.Authorisation, error) {
	acc, err := requireAccount(ctx)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	a := &applicant.Authorisation{AccountID: acc.ID, Applicant: acc.Name, Agent: in.Agent, CreatedAt: now}
	if in.Agent != "" {
		if a.Agent, err = org.ParseUsername("agent", in.Agent); err != nil {
			return nil, err
		}
	}
	if in.Until != "" {
		d, err := calendar.ParseDate(in.Until)
		if err != nil {
			return nil, apperr.Field("until", "授权截止日期的格式须为 YYYY-MM-DD")
		}
		a.Until = d
	}
	for _, code := range in.Items {
		if code == "" {
			continue
		}
		if _, err := catalog.ParseItemCode("items", code); err != nil {
			return nil, err
		}
		a.Items = append(a.Items, code)
	}
	if err := a.Check(calendar.DateOf(now)); err != nil {
		return nil, err
	}
	u, err := s.store.UserByUsername(ctx, a.Agent)
	if err != nil || u.Role != org.RoleAgent || !u.Active {
		return nil, apperr.Field("agent", "未知的代办员："+a.Agent)
	}
	a.AgentName = u.Name
	if _, err := s.districtCalendar(ctx); err != nil { // refreshes the item cache
		return nil, err
	}
	for _, code := range a.Items {
		if _, err := s.currentItem(ctx, code); err != nil {
			return nil, apperr.Field("items", "未知的事项："+code)
		}
	}
	if err := s.store.CreateAuthorisation(ctx, a); err != nil {
		return nil, err
	}
	s.log.Info("agent authorised", "account", acc.ID, "agent", a.Agent, "until", a.Until, "items", len(a.Items))
	return a, nil
}

// RevokeAuthorisation ends one of the signed-in applicant's mandates now.
func (s *Online) RevokeAuthorisation(ctx context.Context, id int64) error {
	acc := AccountFrom(ctx)
	if acc == nil {
		return apperr.New(apperr.Unauthorized, "请先登录网上办事大厅")
	}
	return s.store.RevokeAuthorisation(ctx, id, acc.ID, s.clock.Now())
}

// Authorisations lists the signed-in applicant's mandates, or, for an
// agent, those given to them.
func (s *Online) Authorisations(ctx context.Context) ([]applicant.Authorisation, error) {
	a := ActorFrom(ctx)
	switch {
	case a == nil:
		return nil, apperr.New(apperr.Unauthorized, "请先登录")
	case a.Account != nil:
		return s.store.Authorisations(ctx, a.Account.ID, "")
	case a.Is(org.RoleAgent):
		return s.store.Authorisations(ctx, 0, a.User.Username)
	}
	return nil, apperr.New(apperr.Forbidden, "只有申请人和代办员可以查看代办授权")
}

// actingFor returns the account an agent acts for on item now, checking
// the agent's mandate; for a signed-in applicant, their own account.
func (s *Online) actingFor(ctx context.Context, accountID int64, item string, now time.Time) (*applicant.Account, *Actor, error) {
	a := ActorFrom(ctx)
	switch {
	case a == nil:
		return nil, nil, apperr.New(apperr.Unauthorized, "请先登录网上办事大厅")
	case a.Account != nil:
		acc, err := requireAccount(ctx)
		return acc, a, err
	case !a.Is(org.RoleAgent):
		return nil, nil, apperr.New(apperr.Forbidden, "网上申报须由申请人或其授权的代办员提交")
	}
	mandates, err := s.store.Authorisations(ctx, 0, a.User.Username)
	if err != nil {
		return nil, nil, err
	}
	if _, err := applicant.Covering(mandates, accountID, item, now); err != nil {
		return nil, nil, err
	}
	acc, err := s.store.Account(ctx, accountID)
	if err != nil {
		return nil, nil, err
	}
	if !acc.Complete() {
		return nil, nil, apperr.New(apperr.Conflict, "申请人尚未完善个人（单位）信息")
	}
	return acc, a, nil
}

// checkCollector checks, before a pickup, that the agent collecting the
// result holds the applicant's current mandate for the case's item.
func (s *Online) checkCollector(ctx context.Context, number, agent string, now time.Time) error {
	c, err := s.store.Case(ctx, number)
	if err != nil {
		return err
	}
	if c.AccountID == 0 {
		return apperr.Field("agent_user", "该办件不是网上账户申请的，代办员不能凭授权领取；请由申请人或其委托人持委托书领取")
	}
	if u, err := s.store.UserByUsername(ctx, agent); err != nil || u.Role != org.RoleAgent || !u.Active {
		return apperr.Field("agent_user", "代办员 "+agent+" 不存在或已停用")
	}
	mandates, err := s.store.Authorisations(ctx, 0, agent)
	if err != nil {
		return err
	}
	if _, err := applicant.Covering(mandates, c.AccountID, c.ItemCode, now); err != nil {
		if !slices.ContainsFunc(mandates, func(m applicant.Authorisation) bool { return m.AccountID == c.AccountID }) {
			return apperr.Field("agent_user", "代办员 "+agent+" 没有该申请人的授权")
		}
		return apperr.Field("agent_user", apperr.MessageOf(err)) // out of scope, expired or revoked
	}
	return nil
}
