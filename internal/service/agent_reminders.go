package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
)

// reminderHorizon bounds how far ahead the sweep looks: a reminder is due
// from the working day before its deadline's day, which never lies more
// than the longest holiday ahead.
const reminderHorizon = 15 * 24 * time.Hour

// SweepAgentReminders reminds each agent, from the start of the working
// day before it, of every deadline their applicant waits on (pre-review,
// acceptance, deferred materials, decision: applicantDeadlines) on the
// open cases they carry. Each reminder is kept once per case, deadline
// and due time whatever node sweeps (a unique key in the database), and
// shows on the agent's work list. It returns how many it sent.
func (s *AgentNet) SweepAgentReminders(ctx context.Context) (int, error) {
	if s == nil {
		return 0, nil
	}
	cal, err := s.districtCalendar(ctx)
	if err != nil {
		return 0, err
	}
	now := s.clock.Now()
	cases, err := s.store.AgentCasesDue(ctx, now.Add(reminderHorizon), 2000)
	if err != nil {
		return 0, err
	}
	names := s.hallNames(ctx)
	if names == nil {
		names = func(code string) string { return code }
	}
	mandates := map[int64][]applicant.Authorisation{}
	sent := 0
	for i := range cases {
		c := &cases[i]
		agent, err := s.carrier(ctx, c, now, mandates)
		if err != nil {
			return sent, err
		}
		if agent == "" {
			continue
		}
		for _, d := range c.OpenDeadlines() {
			if !slices.Contains(applicantDeadlines, d.Name) || !applicant.RemindNow(cal, d.At, now) {
				continue
			}
			r := &applicant.Reminder{CaseNumber: c.Number, Deadline: d.Name, Due: d.At, Agent: agent, AccountID: c.AccountID, At: now,
				Text: reminderText(c, d, names)}
			added, err := s.store.RecordReminder(ctx, r)
			if err != nil {
				return sent, err
			}
			if added {
				sent++
			}
		}
	}
	return sent, nil
}

// carrier returns the agent who carries the case's applicant now: the
// holder of the running mandate covering the case's item, else the agent
// who applied for it; "" when none does.
func (s *AgentNet) carrier(ctx context.Context, c *casework.Case, now time.Time, cache map[int64][]applicant.Authorisation) (string, error) {
	if c.AccountID != 0 {
		ms, ok := cache[c.AccountID]
		if !ok {
			var err error
			if ms, err = s.store.Authorisations(ctx, c.AccountID, ""); err != nil {
				return "", err
			}
			cache[c.AccountID] = ms
		}
		if m, err := applicant.Covering(ms, c.AccountID, c.ItemCode, now); err == nil {
			return m.Agent, nil
		} else if !apperr.Is(err, apperr.Forbidden) {
			return "", err
		}
	}
	return c.AgentUser, nil
}

// reminderText is the reminder's words: whose case, which deadline ends
// when, and what the agent must do.
func reminderText(c *casework.Case, d casework.Due, names func(string) string) string {
	next := c.AgentNext(names)
	what := "请跟进办理进度"
	if next.Act {
		what = next.Words
	}
	return fmt.Sprintf("%s的「%s」（办件编号 %s）%s将于 %s 截止：%s。", c.Applicant.Name, c.ItemName, c.Number,
		casework.DeadlineLabel(d.Name), d.At.In(clock.Shanghai).Format("2006-01-02 15:04"), what)
}
