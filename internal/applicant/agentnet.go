package applicant

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
)

// The agents' network (区、街道二级代办服务体系, issue 15 item 5): a
// mandate given to an agent of a street centre (or of one of its community
// stations, or of the district hall) is carried by that hall's agent
// service. Its agent manager (代办管理员) may hand the applicant to another
// agent of the same team: the mandate then passes to that agent, with the
// same scope and end, and the one who held it no longer acts on it. Each
// hand-over is an Assignment, kept for good; the applicant sees on their
// mandates page who carries them now, and may revoke at any time.

// Assignment is one hand-over of an applicant between two agents of a
// team, by the team's agent manager. Assignments are appended, never
// changed: together they are the history of who carried the applicant.
type Assignment struct {
	ID        int64     `json:"id"`
	AccountID int64     `json:"account_id"`
	Applicant string    `json:"applicant"` // the account holder's name
	Team      string    `json:"team"`      // the hall whose agent manager assigned (code)
	From      string    `json:"from"`      // the agent who carried the applicant (username)
	FromName  string    `json:"from_name"`
	To        string    `json:"to"` // the agent who carries them now (username)
	ToName    string    `json:"to_name"`
	Reason    string    `json:"reason"`
	By        string    `json:"by"` // the agent manager (username)
	ByName    string    `json:"by_name"`
	At        time.Time `json:"at"`
	Mandates  []int64   `json:"mandates"` // the mandates handed over, as they were numbered before
}

// Check validates a hand-over before it is kept.
func (a *Assignment) Check() error {
	var errs apperr.Collector
	errs.Check(a.To != "", "agent", "请选择接手的代办员")
	errs.Check(a.To == "" || a.To != a.From, "agent", "该申请人已由这位代办员承办，无需改派")
	n := utf8.RuneCountInString(strings.TrimSpace(a.Reason))
	errs.Check(n > 0, "reason", "请填写改派原因")
	errs.Check(n <= 200, "reason", "改派原因不超过 200 个字")
	return errs.Err("改派信息有误")
}

// InTeam reports whether an agent working at hall agentHall belongs to the
// team of hall team: the team's own agents and those of the halls right
// below it (a street centre's community stations). parent names a hall's
// parent hall.
func InTeam(agentHall, team string, parent func(hall string) string) bool {
	if agentHall == "" || team == "" {
		return false
	}
	return agentHall == team || parent(agentHall) == team
}

// LogEntry is one line of an agent's service log (代办记录) for an
// applicant: what was done on which day, for which case if any. Entries
// are appended, never changed; who wrote each and when is kept with it.
type LogEntry struct {
	ID         int64         `json:"id"`
	AccountID  int64         `json:"account_id"`
	Day        calendar.Date `json:"day"`                   // the day the service was done
	CaseNumber string        `json:"case_number,omitempty"` // the case it served, if one
	Text       string        `json:"text"`
	Agent      string        `json:"agent"` // who wrote it (username)
	AgentName  string        `json:"agent_name"`
	At         time.Time     `json:"at"` // when it was written
}

// MaxLogText bounds one service log entry.
const MaxLogText = 500

// LogBackDays is how far back a service may be dated.
const LogBackDays = 30

// Check validates a new entry written on today.
func (e *LogEntry) Check(today calendar.Date) error {
	var errs apperr.Collector
	e.Text = strings.TrimSpace(e.Text)
	n := utf8.RuneCountInString(e.Text)
	errs.Check(n > 0, "text", "请填写代办事项")
	errs.Check(n <= MaxLogText, "text", "代办记录不超过 500 个字")
	switch {
	case e.Day.IsZero():
		errs.Add("day", "请填写代办日期")
	case e.Day.After(today):
		errs.Add("day", "代办日期不能晚于今天")
	case e.Day.Before(today.AddDays(-LogBackDays)):
		errs.Add("day", "只能补记 30 天内的代办事项")
	}
	return errs.Err("代办记录有误")
}

// Reminder is a notice to an agent that a deadline their applicant waits
// on ends the next working day. One per case, deadline and due time,
// whatever node's sweep finds it first.
type Reminder struct {
	ID         int64     `json:"id"`
	CaseNumber string    `json:"case_number"`
	Deadline   string    `json:"deadline"` // supply_by, decide_by, …
	Due        time.Time `json:"due"`      // when the deadline ends
	Agent      string    `json:"agent"`
	AccountID  int64     `json:"account_id,omitempty"`
	Text       string    `json:"text"`
	At         time.Time `json:"at"` // when it was sent
}

// RemindFrom is when an agent is reminded of a deadline ending at due: at
// the start of the working day before the deadline's day (a deadline on
// the first working day after a holiday is reminded on the last working
// day before it). The zero time when the calendar has no such day in
// reach.
func RemindFrom(cal *calendar.Calendar, due time.Time) time.Time {
	d := calendar.DateOf(due)
	for range 60 {
		d = d.AddDays(-1)
		if cal.IsWorkingDay(d) {
			return d.At(0, 0)
		}
	}
	return time.Time{}
}

// RemindNow reports whether a reminder of a deadline ending at due is due
// at now: from RemindFrom until the deadline ends.
func RemindNow(cal *calendar.Calendar, due, now time.Time) bool {
	from := RemindFrom(cal, due)
	return !from.IsZero() && !now.Before(from) && now.Before(due)
}
