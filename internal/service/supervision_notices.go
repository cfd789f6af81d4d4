package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/supervision"
)

// NoticeView is a supervision notice with its status now.
type NoticeView struct {
	supervision.Notice
	Status      supervision.NoticeStatus `json:"status"`
	StatusLabel string                   `json:"status_label"`
	StepLabel   string                   `json:"step_label,omitempty"`
	Warning     string                   `json:"warning"`
}

func (v *Supervision) view(ctx context.Context, n *supervision.Notice) NoticeView {
	now := v.clock.Now()
	out := NoticeView{Notice: *n, Status: n.StatusAt(now), Warning: "none"}
	out.StatusLabel = out.Status.Label()
	if n.Step != "" {
		out.StepLabel = n.Step.Label()
	}
	if cal, err := v.calendar(ctx); err == nil {
		out.Warning = string(n.Warning(cal, now))
	}
	return out
}

// NoticeQuery selects notices.
type NoticeQuery struct {
	From, To   string
	Department string
	Status     supervision.NoticeStatus
	Escalated  bool
	Number     string
	Limit      int
	Offset     int
}

// NoticeList is a page of notices.
type NoticeList struct {
	Total   int          `json:"total"`
	Notices []NoticeView `json:"notices"`
}

// readNotices checks who may read notices: supervisors and admins every
// department's, a department admin their own.
func (v *Supervision) readNotices(ctx context.Context, department *string) (*Actor, error) {
	a, err := require(ctx, "查看督办单", org.RoleSupervisor, org.RoleAdmin, org.RoleDeptAdmin)
	if err != nil {
		return nil, err
	}
	if a.Is(org.RoleDeptAdmin) {
		if *department != "" && *department != a.User.DepartmentCode {
			return nil, apperr.New(apperr.Forbidden, "部门管理员只能查看本部门的督办单")
		}
		*department = a.User.DepartmentCode
	}
	return a, nil
}

// Notices lists supervision notices, unanswered first. Escalated lists
// those unanswered past their reply deadline: the supervisor's list.
func (v *Supervision) Notices(ctx context.Context, q NoticeQuery) (*NoticeList, error) {
	if _, err := v.readNotices(ctx, &q.Department); err != nil {
		return nil, err
	}
	switch q.Status {
	case "", supervision.NoticeOpen, supervision.NoticeReplied, supervision.NoticeOverdue:
	default:
		return nil, apperr.Field("status", "状态须为 open、replied 或 overdue")
	}
	ns, total, err := v.store.Notices(ctx, store.NoticeFilter{From: q.From, To: q.To, Department: q.Department, Status: q.Status,
		Escalated: q.Escalated, Number: q.Number, Now: v.clock.Now(), Limit: q.Limit, Offset: q.Offset})
	if err != nil {
		return nil, err
	}
	out := &NoticeList{Total: total, Notices: []NoticeView{}}
	for i := range ns {
		out.Notices = append(out.Notices, v.view(ctx, &ns[i]))
	}
	return out, nil
}

// Notice returns one notice.
func (v *Supervision) Notice(ctx context.Context, id int64) (*NoticeView, error) {
	dept := ""
	a, err := v.readNotices(ctx, &dept)
	if err != nil {
		return nil, err
	}
	n, err := v.store.Notice(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.Is(org.RoleDeptAdmin) && n.Department != a.User.DepartmentCode {
		return nil, apperr.New(apperr.NotFound, "督办单不存在")
	}
	out := v.view(ctx, n)
	return &out, nil
}

// OpenNotice opens a notice by hand on any case, with a reason: for
// supervisors (and the bureau's admins).
func (v *Supervision) OpenNotice(ctx context.Context, number, reason string) (*NoticeView, error) {
	a, err := require(ctx, "开具督办单", org.RoleSupervisor, org.RoleAdmin)
	if err != nil {
		return nil, err
	}
	number, err = casework.ParseCaseNumber("number", number)
	if err != nil {
		return nil, err
	}
	c, err := v.store.Case(ctx, number)
	if err != nil {
		return nil, err
	}
	cal, err := v.calendar(ctx)
	if err != nil {
		return nil, err
	}
	set, err := v.currentSettings(ctx)
	if err != nil {
		return nil, err
	}
	n, err := supervision.NewHandNotice(c.Number, c.DepartmentCode, reason, a.Name(), v.clock.Now(), cal, set.ReplyDays)
	if err != nil {
		return nil, err
	}
	if err := v.store.OpenHandNotice(ctx, c.ID, n); err != nil {
		return nil, err
	}
	out := v.view(ctx, n)
	return &out, nil
}

// ReplyNotice records the department admin's reply: explanation and
// measures, once, for their own department's notice.
func (v *Supervision) ReplyNotice(ctx context.Context, id int64, r supervision.Reply) (*NoticeView, error) {
	a, err := require(ctx, "回复督办单", org.RoleDeptAdmin)
	if err != nil {
		return nil, err
	}
	now := v.clock.Now()
	n, err := v.store.UpdateNotice(ctx, id, func(n *supervision.Notice) error {
		if n.Department != a.User.DepartmentCode {
			return apperr.New(apperr.NotFound, "督办单不存在")
		}
		return n.Answer(r, a.Name(), now)
	})
	if err != nil {
		return nil, err
	}
	out := v.view(ctx, n)
	return &out, nil
}

// SweepReport says what a sweep did.
type SweepReport struct {
	Opened    int `json:"opened"`
	Escalated int `json:"escalated"`
}

// Sweep opens a notice on every step that went overdue and has none (one
// per case and deadline, whatever node runs it), and escalates the notices
// left unanswered past their deadline. The background jobs run it.
func (v *Supervision) Sweep(ctx context.Context) (*SweepReport, error) {
	if _, err := require(ctx, "督办巡查"); err != nil {
		return nil, err
	}
	now := v.clock.Now()
	cal, err := v.calendar(ctx)
	if err != nil {
		return nil, err
	}
	set, err := v.currentSettings(ctx)
	if err != nil {
		return nil, err
	}
	rep := &SweepReport{}
	for {
		steps, err := v.store.OverdueWithoutNotice(ctx, now, 200)
		if err != nil {
			return rep, err
		}
		for _, s := range steps {
			n := supervision.NewSweepNotice(s.Number, s.Department, s.Step, now, cal, set.ReplyDays)
			opened, err := v.store.OpenSweepNotice(ctx, s.CaseID, n)
			if err != nil {
				return rep, err
			}
			if opened {
				rep.Opened++
			}
		}
		if len(steps) < 200 {
			break
		}
	}
	rep.Escalated, err = v.store.EscalateNotices(ctx, now)
	return rep, err
}
