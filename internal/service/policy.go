package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/text"
)

// DeadlinePolicy returns the deadline policy in force: the limits and
// cut-offs every case taken in from now on keeps. The rules are public, so
// anyone may read them.
func (s *Service) DeadlinePolicy(ctx context.Context) (*casework.PublishedPolicy, error) {
	return s.store.DeadlinePolicy(ctx)
}

// DeadlinePolicies returns every published version of the deadline policy,
// newest first: for the bureau admin and supervisors.
func (s *Service) DeadlinePolicies(ctx context.Context) ([]casework.PublishedPolicy, error) {
	if _, err := require(ctx, "查看期限规则的历史版本", org.RoleAdmin, org.RoleSupervisor); err != nil {
		return nil, err
	}
	return s.store.DeadlinePolicies(ctx)
}

// PolicyEdit is a new version of the deadline policy as the bureau admin
// publishes it.
type PolicyEdit struct {
	Policy casework.Policy
	// BaseVersion is the version the edit was made on; a newer one
	// published meanwhile makes the edit a conflict (a stale page).
	BaseVersion int
	Note        string // why the rules change, kept with the version
}

// PublishDeadlinePolicy publishes a new version of the deadline policy,
// in force for every case taken in from now on; cases already taken in
// keep theirs. Only the bureau admin publishes. A policy the rules refuse
// changes nothing.
func (s *Service) PublishDeadlinePolicy(ctx context.Context, e PolicyEdit) (*casework.Policy, error) {
	a, err := require(ctx, "修改期限规则", org.RoleAdmin)
	if err != nil {
		return nil, err
	}
	p := e.Policy
	note := strings.TrimSpace(e.Note)
	var c apperr.Collector
	if err := p.Validate(s.cfg.Calendar.Close()); err != nil {
		for _, f := range apperr.FieldsOf(err) {
			c.Add(f.Field, f.Message)
		}
	}
	c.Check(e.BaseVersion >= 1, "base_version", "请注明在哪一版期限规则上修改")
	c.Check(utf8.RuneCountInString(note) <= 200, "note", "发布说明不超过 200 个字")
	if fault := text.Check(note, true); fault != nil {
		c.Add("note", fault.Message())
	}
	if err := c.Err("期限规则有误，未发布"); err != nil {
		return nil, err
	}
	if err := s.store.PublishDeadlinePolicy(ctx, &p, e.BaseVersion, note, a.Name()); err != nil {
		return nil, err
	}
	s.log.Info("deadline policy published", "version", p.Version, "by", a.Name(), "request_id", RequestFrom(ctx).ID)
	return &p, nil
}

// intakeEnv is the casework environment of a use case that creates cases:
// the calendar, the time and the deadline policy in force, which the new
// cases keep.
func (s *Service) intakeEnv(ctx context.Context) (casework.Env, error) {
	env, err := s.env(ctx)
	if err != nil {
		return env, err
	}
	p, err := s.store.DeadlinePolicy(ctx)
	if err != nil {
		return env, err
	}
	env.Policy = p.Policy
	return env, nil
}
