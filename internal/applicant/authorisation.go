package applicant

import (
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
)

// Authorisation is an applicant's mandate to an agent (代办员): the agent
// may apply for and collect the results of the items in scope, until the
// end of the last day. It is revoked, never deleted.
type Authorisation struct {
	ID        int64         `json:"id"`
	AccountID int64         `json:"account_id"`
	Applicant string        `json:"applicant"` // the account holder's name
	Agent     string        `json:"agent"`     // the agent's username
	AgentName string        `json:"agent_name"`
	Items     []string      `json:"items,omitempty"` // item codes; empty: every item
	Until     calendar.Date `json:"until"`           // the last day it holds
	CreatedAt time.Time     `json:"created_at"`
	RevokedAt time.Time     `json:"revoked_at,omitzero"`
	// A mandate handed to another agent of the team by its agent manager
	// (agentnet.go) ends with TransferredTo set; the one that continues
	// it names the one it came from.
	TransferredTo   string `json:"transferred_to,omitempty"`
	TransferredName string `json:"transferred_name,omitempty"`
	TransferredFrom int64  `json:"transferred_from,omitempty"`
}

// MaxAuthorisationDays bounds how far ahead an authorisation may run.
const MaxAuthorisationDays = 365

// Check validates a new authorisation given today.
func (a *Authorisation) Check(today calendar.Date) error {
	var errs apperr.Collector
	errs.Check(strings.TrimSpace(a.Agent) != "", "agent", "请选择代办员")
	switch {
	case a.Until.IsZero():
		errs.Add("until", "请填写授权截止日期")
	case a.Until.Before(today):
		errs.Add("until", "授权截止日期不能早于今天")
	case a.Until.After(today.AddDays(MaxAuthorisationDays)):
		errs.Add("until", "授权期限不超过一年")
	}
	seen := map[string]bool{}
	for _, code := range a.Items {
		errs.Check(!seen[code], "items", "授权事项重复："+code)
		seen[code] = true
	}
	return errs.Err("授权信息有误")
}

// Covers says whether the authorisation lets its agent act on item at now:
// in scope, not expired, not revoked. The error says why not.
func (a *Authorisation) Covers(item string, now time.Time) error {
	switch {
	case !a.RevokedAt.IsZero() && !now.Before(a.RevokedAt) && a.TransferredTo != "":
		return apperr.New(apperr.Forbidden, "该申请人已改由代办员 %s 承办", a.TransferredName)
	case !a.RevokedAt.IsZero() && !now.Before(a.RevokedAt):
		return apperr.New(apperr.Forbidden, "申请人已撤销对代办员 %s 的授权", a.Agent)
	case calendar.DateOf(now).After(a.Until):
		return apperr.New(apperr.Forbidden, "代办授权已于 %s 到期", a.Until)
	case len(a.Items) > 0 && !slices.Contains(a.Items, item):
		return apperr.New(apperr.Forbidden, "该事项（%s）不在代办授权范围内", item)
	}
	return nil
}

// Active reports whether the authorisation holds on some item at now.
func (a *Authorisation) Active(now time.Time) bool {
	return a.RevokedAt.IsZero() && !calendar.DateOf(now).After(a.Until)
}

// Covering returns the mandate among ms that lets its agent act for the
// account on item at now, or why none does (forbidden). The reason given
// is the most telling: a revoked mandate for the item before an expired
// one, either before one whose scope leaves the item out.
func Covering(ms []Authorisation, accountID int64, item string, now time.Time) (*Authorisation, error) {
	var why error = apperr.New(apperr.Forbidden, "您没有该申请人的代办授权")
	rank := 0
	for i := range ms {
		m := &ms[i]
		if accountID == 0 || m.AccountID != accountID {
			continue
		}
		err := m.Covers(item, now)
		if err == nil {
			return m, nil
		}
		r := 1 // out of scope
		switch {
		case len(m.Items) > 0 && !slices.Contains(m.Items, item):
		case !m.RevokedAt.IsZero() && !now.Before(m.RevokedAt):
			r = 3
		default:
			r = 2 // expired
		}
		if r > rank {
			why, rank = err, r
		}
	}
	return nil, why
}
