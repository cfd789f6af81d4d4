package supervision

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
)

// Origin says how a supervision notice was opened.
type Origin string

// Origins.
const (
	BySweep Origin = "sweep" // the case turned red: opened at the next sweep
	ByHand  Origin = "hand"  // opened by a supervisor, with a reason
)

// Notice is a supervision notice (督办单) to a department about one case:
// opened when a deadline of the case passed (one per case and deadline) or
// by a supervisor by hand; the department admin replies by ReplyBy.
type Notice struct {
	ID          int64     `json:"id"`
	Number      string    `json:"number"`               // the case
	Department  string    `json:"department"`           // code
	Step        Kind      `json:"step,omitempty"`       // the missed deadline ("" for one by hand)
	StepOrd     int       `json:"step_ord,omitempty"`   // which one of its kind
	Origin      Origin    `json:"origin"`               // sweep or hand
	Reason      string    `json:"reason"`               // why it was opened
	OpenedAt    time.Time `json:"opened_at"`            // the reply clock starts here
	OpenedBy    string    `json:"opened_by"`            // "system" for the sweep
	ReplyBy     time.Time `json:"reply_by"`             // N working days from opening
	RepliedAt   time.Time `json:"replied_at,omitzero"`  // when the department answered
	RepliedBy   string    `json:"replied_by,omitempty"` // the department admin
	Explanation string    `json:"explanation,omitempty"`
	Measures    string    `json:"measures,omitempty"`
	EscalatedAt time.Time `json:"escalated_at,omitzero"` // unanswered past ReplyBy: on the supervisor's list
}

// NoticeStatus is where a notice stands.
type NoticeStatus string

// Notice statuses.
const (
	NoticeOpen    NoticeStatus = "open"    // waiting for the reply, in time
	NoticeReplied NoticeStatus = "replied" // answered
	NoticeOverdue NoticeStatus = "overdue" // unanswered past its reply deadline: red, escalated
)

// Label returns the status's Chinese name.
func (s NoticeStatus) Label() string {
	switch s {
	case NoticeOpen:
		return "待回复"
	case NoticeReplied:
		return "已回复"
	case NoticeOverdue:
		return "逾期未回复"
	}
	return string(s)
}

// StatusAt returns the notice's status at now.
func (n *Notice) StatusAt(now time.Time) NoticeStatus {
	switch {
	case !n.RepliedAt.IsZero():
		return NoticeReplied
	case now.After(n.ReplyBy):
		return NoticeOverdue
	}
	return NoticeOpen
}

// Warning returns the notice's warning at now, as deadlines have theirs.
func (n *Notice) Warning(cal *calendar.Calendar, now time.Time) calendar.Warning {
	if !n.RepliedAt.IsZero() {
		return calendar.WarningNone
	}
	return cal.Warn(now, n.ReplyBy)
}

// NewSweepNotice is the notice the sweep opens on a step that went overdue.
func NewSweepNotice(number, department string, s Step, now time.Time, cal *calendar.Calendar, replyDays int) *Notice {
	return &Notice{
		Number: number, Department: department, Step: s.Kind, StepOrd: s.Ord, Origin: BySweep,
		Reason:   s.Kind.Label() + "超过期限（" + s.Due.Format("2006-01-02 15:04") + "）未办理",
		OpenedAt: now, OpenedBy: "system", ReplyBy: cal.AddWorkingDays(now, replyDays),
	}
}

// NewHandNotice is a notice a supervisor opens on a case, with a reason.
func NewHandNotice(number, department, reason, by string, now time.Time, cal *calendar.Calendar, replyDays int) (*Notice, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return nil, apperr.Field("reason", "请填写督办事由（不超过 500 个字）")
	}
	return &Notice{
		Number: number, Department: department, Origin: ByHand, Reason: reason,
		OpenedAt: now, OpenedBy: by, ReplyBy: cal.AddWorkingDays(now, replyDays),
	}, nil
}

// Reply is a department's answer to a notice.
type Reply struct {
	Explanation string `json:"explanation" maxLength:"1000" doc:"情况说明"`
	Measures    string `json:"measures" maxLength:"1000" doc:"整改措施"`
}

// Answer records the reply on the notice. A notice is answered once.
func (n *Notice) Answer(r Reply, by string, now time.Time) error {
	if !n.RepliedAt.IsZero() {
		return apperr.New(apperr.Conflict, "督办单已于 %s 回复，不能重复回复", n.RepliedAt.Format("2006-01-02 15:04"))
	}
	var c apperr.Collector
	exp, mea := strings.TrimSpace(r.Explanation), strings.TrimSpace(r.Measures)
	c.Check(exp != "" && utf8.RuneCountInString(exp) <= 1000, "explanation", "请填写情况说明（不超过 1000 个字）")
	c.Check(mea != "" && utf8.RuneCountInString(mea) <= 1000, "measures", "请填写整改措施（不超过 1000 个字）")
	if err := c.Err("督办回复有误，未提交"); err != nil {
		return err
	}
	n.Explanation, n.Measures, n.RepliedAt, n.RepliedBy = exp, mea, now, by
	return nil
}
