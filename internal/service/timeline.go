package service

import (
	"context"
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/bundle"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/store"
)

// TimelineEntry is one line of the applicant's timeline.
type TimelineEntry struct {
	At   time.Time
	Kind string // ticket, event, notice, deadline, rating
	Text string
	Due  bool // a deadline still ahead
	// A deadline's standing: in words, and whether it has passed.
	Words   string
	Overdue bool
}

// Timeline is one case as its applicant follows it: every step in plain
// Chinese, the running deadlines, the notices sent and the rating prompt.
type Timeline struct {
	View      *CaseView
	Entries   []TimelineEntry
	CheckCode string // the owner's own check code (the receipt's), for rating
	Rated     bool
	Rateable  bool
}

// MyCases lists the signed-in applicant's cases (or, for an agent, those
// of the applicants who authorised them), newest first.
func (s *Online) MyCases(ctx context.Context) ([]*CaseView, error) {
	a, err := caseActor(ctx)
	if err != nil {
		return nil, err
	}
	f := store.CaseFilter{Size: 200}
	switch a.Role {
	case org.RoleApplicant:
		acc := AccountFrom(ctx)
		f.AccountID, f.ApplicantID = acc.ID, acc.IDNumber
	case org.RoleAgent:
		f.Agent = a.Username
	default:
		return nil, apperr.New(apperr.Forbidden, "“我的办件”只对申请人和代办员开放")
	}
	r, err := s.cases.reader(ctx)
	if err != nil {
		return nil, err
	}
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	cases, _, err := s.store.Cases(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []*CaseView
	for i := range cases {
		c := &cases[i]
		if r.mayRead(c, env.Now) != nil {
			continue
		}
		out = append(out, forApplicant(s.cases.view(c, r.actingOn(c, env.Now), env), env))
	}
	slices.SortFunc(out, func(x, y *CaseView) int { return y.Case.ReceivedAt.Compare(x.Case.ReceivedAt) })
	return out, nil
}

// MyBundles lists the signed-in applicant's joint applications.
func (s *Online) MyBundles(ctx context.Context) ([]bundle.Bundle, error) {
	acc := AccountFrom(ctx)
	if acc == nil {
		return nil, apperr.New(apperr.Unauthorized, "请先登录网上办事大厅")
	}
	bs, err := s.store.Bundles(ctx, store.BundleFilter{AccountID: acc.ID})
	for i := range bs {
		bs[i].Applicant = bs[i].Applicant.Masked()
	}
	return bs, err
}

// MyBundleList is MyBundles as list rows, with how each one's time
// stands, in the order MyBundles gives.
func (s *Online) MyBundleList(ctx context.Context) ([]BundleRow, error) {
	bs, err := s.MyBundles(ctx)
	if err != nil {
		return nil, err
	}
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]BundleRow, len(bs))
	for i := range bs {
		out[i].Bundle = bs[i]
		out[i].Warning, out[i].Standing = bundleStanding(&bs[i], env)
	}
	return out, nil
}

// CaseTimeline returns the case's timeline for its applicant or their
// agent: the hall tickets taken in the applicant's ID, every event told in
// plain Chinese, the notices, the deadlines still running and the rating
// prompt once the service has ended.
func (s *Online) CaseTimeline(ctx context.Context, number string) (*Timeline, error) {
	a, err := caseActor(ctx)
	if err != nil {
		return nil, err
	}
	if a.Role != org.RoleApplicant && a.Role != org.RoleAgent {
		return nil, apperr.New(apperr.Forbidden, "办件时间线只对申请人和代办员开放")
	}
	v, err := s.cases.Case(ctx, number)
	if err != nil {
		return nil, err
	}
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	v = forApplicant(v, env)
	c := v.Case
	t := &Timeline{View: v, Rateable: rateable(c.State)}
	for _, ev := range v.Events {
		if text := casework.Describe(c, ev); text != "" {
			t.Entries = append(t.Entries, TimelineEntry{At: ev.At, Kind: "event", Text: text})
		}
	}
	notices, err := s.store.CaseNotifications(ctx, number)
	if err != nil {
		return nil, err
	}
	for _, n := range notices {
		t.Entries = append(t.Entries, TimelineEntry{At: n.CreatedAt, Kind: "notice", Text: "通知：" + n.Body})
	}
	if acc := AccountFrom(ctx); acc != nil {
		full, err := s.store.Case(ctx, number) // unmasked: the owner's own ID and check code
		if err != nil {
			return nil, err
		}
		t.CheckCode = full.CheckCode
		tickets, err := s.store.TicketsOf(ctx, full.Applicant.IDNumber, 20)
		if err != nil {
			return nil, err
		}
		for _, tk := range tickets {
			if tk.IssuedAt.Before(c.ReceivedAt.Add(-12*time.Hour)) || (!c.ClosedAt.IsZero() && tk.IssuedAt.After(c.ClosedAt)) {
				continue // a visit for something else
			}
			t.Entries = append(t.Entries, TimelineEntry{At: tk.IssuedAt, Kind: "ticket", Text: ticketText(tk)})
		}
	}
	for _, d := range v.Running {
		text := dueText(d.Name)
		if d.Consequence != "" {
			text += "（" + d.Consequence + "）"
		}
		t.Entries = append(t.Entries, TimelineEntry{At: d.At, Kind: "deadline", Text: text, Due: true,
			Words: d.Words, Overdue: d.Warning == calendar.WarningRed})
	}
	if t.Rateable {
		r, err := s.store.CaseRating(ctx, number)
		switch {
		case err == nil && r != nil:
			t.Rated = true
			t.Entries = append(t.Entries, TimelineEntry{At: r.CreatedAt, Kind: "rating", Text: "您评价了本次服务：" + r.Level.Label() + "。"})
		case err != nil && !apperr.Is(err, apperr.NotFound):
			return nil, err
		}
	}
	slices.SortStableFunc(t.Entries, func(x, y TimelineEntry) int { return x.At.Compare(y.At) })
	return t, nil
}

func ticketText(t queue.Ticket) string {
	s := "在大厅取号 " + t.Number
	if t.Window != "" {
		s += "，在 " + t.Window + " 号窗口办理"
	}
	return s + "。"
}

// dueText names a running deadline for the applicant.
func dueText(name string) string {
	switch name {
	case "prereview_by":
		return "部门预审的最晚时间"
	case "accept_by":
		return "部门决定是否受理的最晚时间"
	case "supply_by":
		return "您补齐容缺材料的最晚时间"
	case "decide_by":
		return "承诺办结的最晚时间（暂停计时的时间不计入）"
	}
	return name
}

// MyNotifications returns the latest notices sent to the signed-in
// applicant (by account or phone), newest first.
func (s *Online) MyNotifications(ctx context.Context, limit int) ([]applicant.Notification, error) {
	acc := AccountFrom(ctx)
	if acc == nil {
		return nil, apperr.New(apperr.Unauthorized, "请先登录网上办事大厅")
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	return s.store.NotificationsTo(ctx, acc.ID, acc.Phone, limit)
}

// applicantDeadlines are the deadlines an applicant waits on; the others
// (paper handover, result correction, archiving) are the hall's own
// business and would only alarm them.
var applicantDeadlines = []string{"prereview_by", "accept_by", "supply_by", "decide_by"}

// forApplicant keeps the deadlines an applicant waits on, and the warning
// they give.
func forApplicant(v *CaseView, env casework.Env) *CaseView {
	var open []casework.Due
	w := calendar.WarningNone
	for _, d := range v.Open {
		if !slices.Contains(applicantDeadlines, d.Name) {
			continue
		}
		open = append(open, d)
		switch env.Cal.Warn(env.Now, d.At) {
		case calendar.WarningRed:
			w = calendar.WarningRed
		case calendar.WarningYellow:
			if w != calendar.WarningRed {
				w = calendar.WarningYellow
			}
		}
	}
	v.Open, v.Warning = open, w
	v.WarningRank, v.WarningLabel = w.Rank(), w.Label()
	v.Running = slices.DeleteFunc(v.Running, func(d casework.DeadlineRow) bool { return !slices.Contains(applicantDeadlines, d.Name) })
	v.Deadlines = slices.DeleteFunc(v.Deadlines, func(d casework.DeadlineRow) bool { return !slices.Contains(applicantDeadlines, d.Name) })
	v.DueWords = v.Case.DueWordsAmong(env.Cal, env.Now, open)
	return v
}
