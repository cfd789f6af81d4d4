package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/text"
)

// DeadlinePolicy returns the deadline policy in force: the limits and
// cut-offs every case taken in from now on keeps. The rules are public, so
// anyone may read them.
func (s *Admin) DeadlinePolicy(ctx context.Context) (*casework.PublishedPolicy, error) {
	return s.store.DeadlinePolicy(ctx)
}

// DeadlinePolicies returns every published version of the deadline policy,
// newest first: for the bureau admin and supervisors.
func (s *Admin) DeadlinePolicies(ctx context.Context) ([]casework.PublishedPolicy, error) {
	if _, err := require(ctx, "查看期限规则的历史版本", org.RoleAdmin, org.RoleSupervisor); err != nil {
		return nil, err
	}
	return s.store.DeadlinePolicies(ctx)
}

// PolicyEdit is a new version of the deadline policy as the bureau admin
// publishes it, through the API or the admin page alike: working days as
// numbers, times of day as "HH:MM".
type PolicyEdit struct {
	// BaseVersion is the version the edit was made on; a newer one
	// published meanwhile makes the edit a conflict (a stale page).
	BaseVersion     int    `json:"base_version" doc:"在哪一版上修改（当前版本号）；其间他人已发布新版时拒绝（409）"`
	AcceptDays      int    `json:"accept_days" doc:"受理期限（工作日，1–20）"`
	PreReviewDays   int    `json:"prereview_days" doc:"网上预审期限（工作日，1–20）"`
	CorrectDays     int    `json:"correct_days" doc:"结果更正期限（工作日，1–10）"`
	ArchiveDays     int    `json:"archive_days" doc:"归档期限（工作日，1–10）"`
	Split           string `json:"split" doc:"上下午分界 HH:MM"`
	HandoverSameDay string `json:"handover_same_day" doc:"上午收件的材料当日交接时间 HH:MM"`
	HandoverNextDay string `json:"handover_next_day" doc:"下午收件的材料次一工作日交接时间 HH:MM"`
	Note            string `json:"note,omitempty" maxLength:"200" doc:"发布说明（为何调整），不超过 200 字"`
}

// policy reads the edit into a policy, with the fields it cannot read and
// why.
func (e PolicyEdit) policy() (casework.Policy, map[string]string) {
	bad := map[string]string{}
	p := casework.Policy{AcceptDays: e.AcceptDays, PreReviewDays: e.PreReviewDays, CorrectDays: e.CorrectDays, ArchiveDays: e.ArchiveDays}
	for _, t := range []struct {
		field, text string
		dst         *calendar.TimeOfDay
	}{{"split", e.Split, &p.Split}, {"handover_same_day", e.HandoverSameDay, &p.HandoverSameDay}, {"handover_next_day", e.HandoverNextDay, &p.HandoverNextDay}} {
		v, err := calendar.ParseTimeOfDay(strings.TrimSpace(t.text))
		if err != nil {
			bad[t.field] = "时间格式须为 HH:MM（如 15:00）"
			continue
		}
		*t.dst = v
	}
	return p, bad
}

// PublishDeadlinePolicy publishes a new version of the deadline policy,
// in force for every case taken in from now on; cases already taken in
// keep theirs. Only the bureau admin publishes. A policy the rules refuse
// changes nothing.
func (s *Admin) PublishDeadlinePolicy(ctx context.Context, e PolicyEdit) (*casework.Policy, error) {
	a, err := require(ctx, "修改期限规则", org.RoleAdmin)
	if err != nil {
		return nil, err
	}
	var c apperr.Collector
	p, bad := e.policy()
	for _, f := range []string{"split", "handover_same_day", "handover_next_day"} {
		if msg, ok := bad[f]; ok {
			c.Add(f, msg)
		}
	}
	note := strings.TrimSpace(e.Note)
	if err := p.Validate(s.cfg.Calendar.Close()); err != nil {
		for _, f := range apperr.FieldsOf(err) {
			if _, unread := bad[f.Field]; !unread { // said once: an unreadable time
				c.Add(f.Field, f.Message)
			}
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
func (s *base) intakeEnv(ctx context.Context) (casework.Env, error) {
	env, err := s.env(ctx)
	if err != nil {
		return env, err
	}
	p, err := s.cachedPolicy(ctx) // env refreshed the counters
	if err != nil {
		return env, err
	}
	env.Policy = p
	return env, nil
}
