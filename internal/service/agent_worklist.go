package service

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
)

// AgentWorkList is an agent's work list (代办工作台): the applicants they
// carry, the open cases with the deadlines the applicants wait on and
// what the agent must do next, and the reminders sent to them.
type AgentWorkList struct {
	Agent      string               `json:"agent" doc:"代办员（用户名）"`
	AgentName  string               `json:"agent_name" doc:"代办员姓名"`
	HallName   string               `json:"hall_name,omitempty" doc:"代办员所在大厅"`
	Applicants []CarriedApplicant   `json:"applicants" doc:"承办的申请人（持有有效代办授权的）"`
	Cases      []AgentCase          `json:"cases" doc:"未办结的办件：超期（红）在前，再按最近的期限"`
	Reminders  []applicant.Reminder `json:"reminders" doc:"最近的期限提醒，新的在前"`
}

// CarriedApplicant is an applicant an agent carries.
type CarriedApplicant struct {
	AccountID int64                     `json:"account_id" doc:"申请人账户编号"`
	Name      string                    `json:"name" doc:"申请人"`
	Mandates  []applicant.Authorisation `json:"mandates" doc:"有效的代办授权"`
	OpenCases int                       `json:"open_cases" doc:"未办结的办件数"`
}

// AgentCase is one open case on an agent's work list.
type AgentCase struct {
	Number       string                 `json:"number" doc:"办件编号"`
	ItemName     string                 `json:"item_name" doc:"事项"`
	Applicant    string                 `json:"applicant" doc:"申请人"`
	AccountID    int64                  `json:"account_id,omitempty" doc:"申请人账户编号"`
	StateLabel   string                 `json:"state_label" doc:"办件状态"`
	Warning      calendar.Warning       `json:"warning" doc:"none / yellow 临近期限 / red 已超期（申请人所等待的期限）"`
	WarningLabel string                 `json:"warning_label,omitempty" doc:"预警文字"`
	WarningRank  int                    `json:"-"`
	DueWords     string                 `json:"due_words" doc:"最近期限的文字说明"`
	Deadlines    []casework.DeadlineRow `json:"deadlines" doc:"申请人所等待的、仍在计算的期限（北京时间）"`
	Next         casework.AgentStep     `json:"next" doc:"代办员下一步要做的事（act 为 false 时只需等待）"`
	NextDue      time.Time              `json:"-"`
}

// AgentWorkList returns the signed-in agent's work list.
func (s *AgentNet) AgentWorkList(ctx context.Context) (*AgentWorkList, error) {
	a, err := require(ctx, "查看代办工作台", org.RoleAgent)
	if err != nil {
		return nil, err
	}
	if a.User == nil {
		return nil, apperr.New(apperr.Forbidden, "代办工作台只对代办员开放")
	}
	u := a.User
	now := s.clock.Now()
	ms, err := s.store.Authorisations(ctx, 0, u.Username)
	if err != nil {
		return nil, err
	}
	views, err := s.online.MyCases(ctx)
	if err != nil {
		return nil, err
	}
	names := s.hallNames(ctx)
	if names == nil {
		names = func(code string) string { return code }
	}
	out := &AgentWorkList{Agent: u.Username, AgentName: u.Name, Applicants: []CarriedApplicant{}, Cases: []AgentCase{}}
	if u.HallCode != "" {
		out.HallName = names(u.HallCode)
	}
	order, by := carried(ms, u.Username, now)
	var accounts []*applicant.Account // to name the applicant of a window case the agent brought in
	for _, id := range order {
		acc, err := s.store.Account(ctx, id)
		if err != nil {
			return nil, err
		}
		accounts = append(accounts, acc)
	}
	open := map[int64]int{}
	for _, v := range views {
		c := v.Case
		if c.State.Closed() {
			continue
		}
		account := c.AccountID
		if account == 0 && len(accounts) > 0 {
			raw, err := s.store.Case(ctx, c.Number) // the view's ID number is masked
			if err != nil {
				return nil, err
			}
			for _, acc := range accounts {
				if account == 0 && acc.Owns(raw) {
					account = acc.ID
				}
			}
		}
		open[account]++
		row := AgentCase{Number: c.Number, ItemName: c.ItemName, Applicant: c.Applicant.Name, AccountID: account,
			StateLabel: v.StateLabel, Warning: v.Warning, WarningLabel: v.WarningLabel, WarningRank: v.WarningRank,
			DueWords: v.DueWords, Deadlines: v.Running, Next: c.AgentNext(names)}
		if row.Deadlines == nil {
			row.Deadlines = []casework.DeadlineRow{}
		}
		for _, d := range v.Open {
			if row.NextDue.IsZero() || d.At.Before(row.NextDue) {
				row.NextDue = d.At
			}
		}
		out.Cases = append(out.Cases, row)
	}
	slices.SortStableFunc(out.Cases, func(x, y AgentCase) int {
		if c := cmp.Compare(x.WarningRank, y.WarningRank); c != 0 {
			return c
		}
		switch {
		case x.NextDue.IsZero() != y.NextDue.IsZero():
			if x.NextDue.IsZero() {
				return 1
			}
			return -1
		}
		return x.NextDue.Compare(y.NextDue)
	})
	for _, id := range order {
		m := by[id]
		out.Applicants = append(out.Applicants, CarriedApplicant{AccountID: id, Name: m[0].Applicant, Mandates: m, OpenCases: open[id]})
	}
	if out.Reminders, err = s.store.AgentReminders(ctx, u.Username, 20); err != nil {
		return nil, err
	}
	if out.Reminders == nil {
		out.Reminders = []applicant.Reminder{}
	}
	return out, nil
}
