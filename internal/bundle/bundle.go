// Package bundle holds joint applications (一件事, 一表式收件): templates
// that put several items, often of several departments, on one form with a
// lead department (牵头部门), and the bundles taken in from them, whose
// member cases are reviewed in parallel (并联) or in order (前后置). It
// knows nothing of SQL or HTTP.
package bundle

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
)

// Field is one field of the shared form; every member case gets it.
type Field struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Required bool   `json:"required"`
}

// Member is one item of a template. After lists the member items that must
// be decided (approved) before this one opens for acceptance; none means
// it runs in parallel from the start.
type Member struct {
	ItemCode string   `json:"item_code"`
	After    []string `json:"after,omitempty"`
}

// Template is a kind of joint application: for example 开办餐饮店.
type Template struct {
	Code           string   `json:"code"`
	Name           string   `json:"name"`
	LeadDepartment string   `json:"lead_department"`
	PromisedDays   int      `json:"promised_days"` // the bundle's own promise, working days from intake
	Description    string   `json:"description,omitempty"`
	Fields         []Field  `json:"fields"`
	Members        []Member `json:"members"`
}

var (
	keyPattern  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
	codePattern = regexp.MustCompile(`^[A-Z0-9-]{2,32}$`)
)

// Validate checks the template against the catalog: known items, known
// prerequisites among the members, no cycle, the lead department owning at
// least one member.
func (t *Template) Validate(items map[string]*catalog.Item) error {
	var errs apperr.Collector
	if _, err := ParseTemplateCode("code", t.Code); err != nil {
		errs.Add("code", apperr.MessageOf(err))
	}
	errs.Check(t.Name != "" && utf8.RuneCountInString(t.Name) <= 100, "name", "请填写一件事名称（不超过 100 个字）")
	errs.Check(t.PromisedDays > 0 && t.PromisedDays <= catalog.MaxDays, "promised_days", "承诺时限须为 1 至 250 个工作日")
	errs.Check(len(t.Members) >= 2, "members", "一件事至少包含两个事项")
	keys := map[string]bool{}
	for _, f := range t.Fields {
		errs.Check(keyPattern.MatchString(f.Key) && !keys[f.Key], "fields", "表单字段编码须唯一，为小写字母开头的字母、数字或下划线："+f.Key)
		errs.Check(f.Label != "", "fields", "表单字段须有名称："+f.Key)
		keys[f.Key] = true
	}
	codes := map[string]bool{}
	leadOwns := false
	for _, m := range t.Members {
		it, ok := items[m.ItemCode]
		switch {
		case !ok:
			errs.Add("members", "未知的事项："+m.ItemCode)
		case codes[m.ItemCode]:
			errs.Add("members", "事项重复："+m.ItemCode)
		default:
			leadOwns = leadOwns || it.DepartmentCode == t.LeadDepartment
		}
		codes[m.ItemCode] = true
	}
	errs.Check(leadOwns, "lead_department", "牵头部门须负责其中至少一个事项")
	for _, m := range t.Members {
		for _, p := range m.After {
			errs.Check(codes[p] && p != m.ItemCode, "members", fmt.Sprintf("%s 的前置事项 %s 不在本一件事中", m.ItemCode, p))
		}
	}
	if err := errs.Err("一件事模板有误"); err != nil {
		return err
	}
	if cycle := t.cycle(); cycle != "" {
		return apperr.Field("members", "前后置关系成环："+cycle)
	}
	return nil
}

// cycle returns an item on a prerequisite cycle, or "".
func (t *Template) cycle() string {
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(code string) bool
	visit = func(code string) bool {
		switch state[code] {
		case 1:
			return true
		case 2:
			return false
		}
		state[code] = 1
		for _, p := range t.Member(code).After {
			if visit(p) {
				return true
			}
		}
		state[code] = 2
		return false
	}
	for _, m := range t.Members {
		if visit(m.ItemCode) {
			return m.ItemCode
		}
	}
	return ""
}

// Member returns the template's member for item code.
func (t *Template) Member(code string) Member {
	for _, m := range t.Members {
		if m.ItemCode == code {
			return m
		}
	}
	return Member{}
}

// CheckForm validates the shared form and returns it trimmed, with only
// the template's fields.
func (t *Template) CheckForm(form map[string]string) (map[string]string, error) {
	var errs apperr.Collector
	out := map[string]string{}
	for _, f := range t.Fields {
		v := strings.TrimSpace(form[f.Key])
		errs.Check(!f.Required || v != "", "form."+f.Key, "请填写"+f.Label)
		errs.Check(utf8.RuneCountInString(v) <= 200, "form."+f.Key, f.Label+"不超过 200 个字")
		if v != "" {
			out[f.Key] = v
		}
	}
	for k := range form {
		if !slices.ContainsFunc(t.Fields, func(f Field) bool { return f.Key == k }) && strings.TrimSpace(form[k]) != "" {
			errs.Add("form."+k, "表单没有该字段："+k)
		}
	}
	return out, errs.Err("一表式申请表填写有误")
}

// State is where a bundle stands.
type State string

// Bundle states.
const (
	Open State = "open" // 办理中
	Done State = "done" // 已办结: every member ended
)

// Label returns the state's Chinese name.
func (s State) Label() string {
	if s == Done {
		return "已办结"
	}
	return "办理中"
}

// MemberCase is one member of a bundle with its case.
type MemberCase struct {
	ItemCode   string   `json:"item_code"`
	ItemName   string   `json:"item_name"`
	Department string   `json:"department"`
	CaseNumber string   `json:"case_number"`
	After      []string `json:"after,omitempty"`
}

// Bundle is one joint application: its member cases and its own state and
// deadline.
type Bundle struct {
	ID             int64             `json:"-"`
	Number         string            `json:"number"`
	TemplateCode   string            `json:"template"`
	Name           string            `json:"name"`
	LeadDepartment string            `json:"lead_department"`
	Channel        casework.Channel  `json:"channel"`
	Applicant      casework.Party    `json:"applicant"`
	AccountID      int64             `json:"account_id,omitempty"`
	Form           map[string]string `json:"form,omitempty"`
	Members        []MemberCase      `json:"members"`
	State          State             `json:"state"`
	ReceivedAt     time.Time         `json:"received_at"`
	DueBy          time.Time         `json:"due_by"`
	ClosedAt       time.Time         `json:"closed_at,omitzero"`
	Version        int               `json:"version"`
}

// New starts a bundle of the template for the applicant at now; its
// members' cases are added once they have numbers.
func New(t *Template, applicant casework.Party, channel casework.Channel, form map[string]string, cal *calendar.Calendar, now time.Time) *Bundle {
	return &Bundle{
		TemplateCode: t.Code, Name: t.Name, LeadDepartment: t.LeadDepartment, Channel: channel,
		Applicant: applicant, Form: form, State: Open, ReceivedAt: now,
		DueBy: cal.AddWorkingDays(now, t.PromisedDays),
	}
}

// Ended reports whether a member case has finished its part: delivered,
// archived, withdrawn or terminated.
func Ended(s casework.State) bool {
	return s == casework.Delivered || s == casework.Archived || s == casework.Withdrawn || s == casework.Terminated
}

// Step is what a bundle's progress asks of one waiting member case.
type Step struct {
	CaseNumber   string
	Action       casework.Action // ActOpen or ActTerminate
	Prerequisite string
	Reason       string
}

// Progress looks at the member cases (by number) and returns the steps
// due: open a waiting case whose prerequisite was approved, terminate one
// whose prerequisite was denied or ended without a decision. It also
// reports whether every member has ended.
func (b *Bundle) Progress(cases map[string]*casework.Case) (steps []Step, done bool) {
	byItem := map[string]*casework.Case{}
	for _, m := range b.Members {
		byItem[m.ItemCode] = cases[m.CaseNumber]
	}
	done = true
	for _, m := range b.Members {
		c := byItem[m.ItemCode]
		if c == nil {
			done = false
			continue
		}
		done = done && Ended(c.State)
		if Ended(c.State) {
			continue
		}
		for _, p := range c.WaitingFor {
			pc := byItem[p]
			switch {
			case pc == nil:
			case pc.Outcome == casework.Approve:
				steps = append(steps, Step{CaseNumber: c.Number, Action: casework.ActOpen, Prerequisite: p})
			case pc.Outcome == casework.Deny || (pc.State.Closed() && pc.Outcome == ""):
				steps = append(steps, Step{CaseNumber: c.Number, Action: casework.ActTerminate, Prerequisite: p,
					Reason: "前置事项「" + pc.ItemName + "」未获准予，本事项终止办理"})
			}
		}
	}
	return steps, done
}

// Warning is the bundle's own warning against its deadline.
func (b *Bundle) Warning(cal *calendar.Calendar, now time.Time) calendar.Warning {
	if b.State == Done {
		return calendar.WarningNone
	}
	return cal.Warn(now, b.DueBy)
}
