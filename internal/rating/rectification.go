package rating

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/org"
)

// State is where a rectification (差评整改) stands. Overdue (整改超期) is not
// stored: it is derived from the deadline, see Status.
type State string

// The states.
const (
	Open       State = "open"        // 待整改: opened by the bad rating
	InProgress State = "in_progress" // 整改中: verified by the rated party
	// Confirming (待督查确认): the rated party reported it rectified or
	// explained; the bureau's supervisor confirms that (to Proposed) or
	// sends it back. A department never closes its own rectification.
	Confirming State = "confirming"
	Done       State = "done"      // 整改完成: rectified and followed up
	Explained  State = "explained" // 无法整改: cannot be rectified, explained and followed up
	Appealed   State = "appealed"  // 申诉中: the rated party says the rating is mistaken or malicious
	Upheld     State = "upheld"    // 申诉成立: the rating no longer counts
	Overdue    State = "overdue"   // 整改超期: open or in progress past the deadline; derived, never stored
)

// States lists the stored states in process order.
var States = []State{Open, InProgress, Confirming, Done, Explained, Appealed, Upheld}

// Label returns the state's Chinese name.
func (s State) Label() string {
	switch s {
	case Open:
		return "待整改"
	case InProgress:
		return "整改中"
	case Confirming:
		return "待督查确认"
	case Done:
		return "整改完成"
	case Explained:
		return "无法整改"
	case Appealed:
		return "申诉中"
	case Upheld:
		return "申诉成立"
	case Overdue:
		return "整改超期"
	}
	return string(s)
}

// Running reports whether the rectification's deadline runs in s.
func (s State) Running() bool { return s == Open || s == InProgress }

// Closed reports whether nothing more happens in s.
func (s State) Closed() bool { return s == Done || s == Explained || s == Upheld }

// Rectified reports whether s counts as rectified for the real-name bad
// rating rectification rate: done or explained, which only the
// supervisor's confirmation reaches.
func (s State) Rectified() bool { return s == Done || s == Explained }

// Action is one change of a rectification; each is one transition.
type Action string

// The actions (the API's POST /rectifications/{id}/{action}).
const (
	ActOpen     Action = "open" // the bad rating opens the record; not in the table
	ActVerify   Action = "verify"
	ActRectify  Action = "rectify"
	ActExplain  Action = "explain"
	ActAppeal   Action = "appeal"
	ActUphold   Action = "uphold"
	ActReject   Action = "reject"
	ActConfirm  Action = "confirm"   // the supervisor confirms the reported outcome
	ActSendBack Action = "send-back" // the supervisor sends it back to be rectified
)

// Who says who takes an action.
type Who int

// Who acts.
const (
	RatedParty Who = iota + 1 // the rated department, or the bureau for a window
	Supervisor                // the supervisor deciding an appeal
	// Confirmer confirms a reported outcome or sends it back: the
	// bureau's supervisor, or its admin unless the admin is the rated
	// party (a window's rectification).
	Confirmer
)

// Rule is one row of the transition table.
type Rule struct {
	Action Action
	Label  string
	From   []State
	To     State
	Who    Who
	// FollowUp requires the follow-up with the applicant (visit or phone,
	// and its result) when the rating is real-name.
	FollowUp bool
	// Proposes is the outcome a report asks the supervisor to confirm (To
	// is then Confirming); a rule whose To is "" moves to the outcome
	// proposed.
	Proposes State
	// NoteOptional lets the action go without a note.
	NoteOptional bool
}

// Table is the single source of what may happen to a rectification.
var Table = []Rule{
	{Action: ActVerify, Label: "核实", From: []State{Open}, To: InProgress, Who: RatedParty},
	{Action: ActRectify, Label: "整改完成", From: []State{InProgress}, To: Confirming, Proposes: Done, Who: RatedParty, FollowUp: true},
	{Action: ActExplain, Label: "无法整改并说明", From: []State{InProgress}, To: Confirming, Proposes: Explained, Who: RatedParty, FollowUp: true},
	{Action: ActConfirm, Label: "确认办结", From: []State{Confirming}, Who: Confirmer, NoteOptional: true},
	{Action: ActSendBack, Label: "退回整改", From: []State{Confirming}, To: InProgress, Who: Confirmer},
	{Action: ActAppeal, Label: "申诉", From: []State{Open, InProgress}, To: Appealed, Who: RatedParty},
	{Action: ActUphold, Label: "申诉成立", From: []State{Appealed}, To: Upheld, Who: Supervisor},
	{Action: ActReject, Label: "申诉不成立", From: []State{Appealed}, To: InProgress, Who: Supervisor},
}

// Actions lists the table's actions in order.
func Actions() []Action {
	out := make([]Action, 0, len(Table))
	for _, r := range Table {
		out = append(out, r.Action)
	}
	return out
}

func ruleOf(a Action) (Rule, bool) {
	for _, r := range Table {
		if r.Action == a {
			return r, true
		}
	}
	return Rule{}, false
}

// Label returns the action's Chinese name.
func (a Action) Label() string {
	if a == ActOpen {
		return "差评生成整改单"
	}
	if r, ok := ruleOf(a); ok {
		return r.Label
	}
	return string(a)
}

// FollowUpMethod is how the applicant was followed up (回访).
type FollowUpMethod string

// The follow-up methods.
const (
	ByVisit FollowUpMethod = "visit" // 上门回访
	ByPhone FollowUpMethod = "phone" // 电话回访
)

// Label returns the follow-up method's Chinese name.
func (m FollowUpMethod) Label() string {
	switch m {
	case ByVisit:
		return "上门回访"
	case ByPhone:
		return "电话回访"
	}
	return "其他方式"
}

// Actor is who changes a rectification.
type Actor struct {
	Username   string
	Role       org.Role
	Department string
	System     bool
}

// StepInput is what an action records.
type StepInput struct {
	Note           string         `json:"note" maxLength:"1000" doc:"核实情况、整改措施、无法整改的说明、申诉理由或审核意见"`
	FollowUp       FollowUpMethod `json:"follow_up,omitempty" enum:"visit,phone," doc:"回访方式（实名差评整改完成或说明时必填）"`
	FollowUpResult string         `json:"follow_up_result,omitempty" maxLength:"500" doc:"回访结果"`
}

// RectificationEvent is one recorded change of a rectification.
type RectificationEvent struct {
	Seq            int            `json:"seq"`
	Action         Action         `json:"action"`
	From           State          `json:"from,omitempty"`
	To             State          `json:"to"`
	Actor          string         `json:"actor"`
	Role           string         `json:"role"`
	At             time.Time      `json:"at"`
	Note           string         `json:"note,omitempty"`
	FollowUp       FollowUpMethod `json:"follow_up,omitempty"`
	FollowUpResult string         `json:"follow_up_result,omitempty"`
}

// Rectification is the follow-up of one bad rating.
type Rectification struct {
	ID       int64 `json:"id"`
	RatingID int64 `json:"rating_id"`
	State    State `json:"state"`
	Level    Level `json:"level"`
	RealName bool  `json:"real_name"`
	// Assigned to the department when the rating names one, otherwise to
	// the window (whose rectification the bureau, which runs the hall, owns).
	Department string `json:"department,omitempty"`
	HallCode   string `json:"hall,omitempty"`
	Window     string `json:"window,omitempty"`
	Clerk      string `json:"clerk,omitempty"`
	// Proposed is the outcome (done or explained) the rated party
	// reported, while the supervisor confirms it ("" otherwise).
	Proposed  State                `json:"proposed,omitempty"`
	Deadline  time.Time            `json:"deadline"`
	OpenedAt  time.Time            `json:"opened_at"`
	UpdatedAt time.Time            `json:"updated_at"`
	ClosedAt  time.Time            `json:"closed_at,omitzero"`
	Version   int                  `json:"version"`
	LastSeq   int                  `json:"-"`
	Events    []RectificationEvent `json:"events,omitempty"`
}

// OpenRectification returns the rectification a bad rating opens at once: due the
// settings' working days after the rating, by the calendar, assigned to the
// rated department or else the window. It returns nil for a good rating.
func OpenRectification(r *Rating, cal *calendar.Calendar, s Settings) (*Rectification, *RectificationEvent) {
	if !r.Level.Bad() {
		return nil, nil
	}
	x := &Rectification{
		RatingID: r.ID, State: Open, Level: r.Level, RealName: r.RealName,
		Department: r.Department, HallCode: r.HallCode, Window: r.Window, Clerk: r.Clerk,
		Deadline: cal.AddWorkingDays(r.CreatedAt, s.RectificationDays),
		OpenedAt: r.CreatedAt, UpdatedAt: r.CreatedAt, Version: 1, LastSeq: 1,
	}
	ev := &RectificationEvent{Seq: 1, Action: ActOpen, To: Open, Actor: "system", Role: "system", At: r.CreatedAt}
	return x, ev
}

// Status is the state as shown: Overdue once a running deadline has passed.
func (x *Rectification) Status(now time.Time) State {
	if x.State.Running() && now.After(x.Deadline) {
		return Overdue
	}
	return x.State
}

// Warning is the deadline's warning while it runs: yellow near the end,
// red once passed, like a case's.
func (x *Rectification) Warning(cal *calendar.Calendar, now time.Time) calendar.Warning {
	if !x.State.Running() {
		return calendar.WarningNone
	}
	return cal.Warn(now, x.Deadline)
}

// mayAct reports whether a may take actions of who on x.
func (x *Rectification) mayAct(who Who, a Actor) bool {
	if a.System {
		return false
	}
	switch who {
	case RatedParty:
		if x.Department != "" {
			return a.Role.NeedsDepartment() && a.Department == x.Department
		}
		return a.Role == org.RoleAdmin
	case Supervisor:
		return a.Role == org.RoleSupervisor
	case Confirmer:
		return a.Role == org.RoleSupervisor || a.Role == org.RoleAdmin && x.Department != ""
	}
	return false
}

// MayRead reports whether a may see x: supervisors and the bureau see
// every record, department roles their department's.
func (x *Rectification) MayRead(a Actor) bool {
	switch {
	case a.System, a.Role == org.RoleSupervisor, a.Role == org.RoleAdmin:
		return true
	case a.Role.NeedsDepartment():
		return x.Department != "" && x.Department == a.Department
	}
	return false
}

// Allowed lists the actions a may take on x now, in table order.
func (x *Rectification) Allowed(a Actor) []Action {
	var out []Action
	for _, r := range Table {
		if slices.Contains(r.From, x.State) && x.mayAct(r.Who, a) {
			out = append(out, r.Action)
		}
	}
	return out
}

// Apply takes action on x for a at now: checks the state, who acts and the
// input, then changes x and returns the event recording the change. An
// error changes nothing.
func (x *Rectification) Apply(action Action, in StepInput, a Actor, now time.Time) (*RectificationEvent, error) {
	rule, ok := ruleOf(action)
	if !ok {
		return nil, apperr.Field("action", "未知的整改操作："+string(action))
	}
	if !slices.Contains(rule.From, x.State) {
		var labels []string
		for _, r := range Table {
			if slices.Contains(r.From, x.State) {
				labels = append(labels, r.Label)
			}
		}
		hint := "现在不能再办理"
		if len(labels) > 0 {
			hint = "现在可以：" + strings.Join(labels, "、")
		}
		return nil, apperr.New(apperr.Conflict, "整改单处于“%s”状态，不能%s；%s", x.State.Label(), rule.Label, hint)
	}
	if !x.mayAct(rule.Who, a) {
		switch rule.Who {
		case Supervisor:
			return nil, apperr.New(apperr.Forbidden, "申诉由监督人员审核")
		case Confirmer:
			return nil, apperr.New(apperr.Forbidden, "整改结果由行政审批局督查人员确认，被评价方不能自行办结")
		}
		return nil, apperr.New(apperr.Forbidden, "只有被评价的%s可以%s", x.assignee(), rule.Label)
	}
	in.Note, in.FollowUpResult = strings.TrimSpace(in.Note), strings.TrimSpace(in.FollowUpResult)
	var c apperr.Collector
	c.Check(in.Note != "" || rule.NoteOptional, "note", noteMessage(action))
	c.Check(utf8.RuneCountInString(in.Note) <= 1000, "note", "说明不超过 1000 个字")
	c.Check(utf8.RuneCountInString(in.FollowUpResult) <= 500, "follow_up_result", "回访结果不超过 500 个字")
	switch {
	case rule.FollowUp && x.RealName:
		c.Check(in.FollowUp == ByVisit || in.FollowUp == ByPhone, "follow_up", "实名差评须回访评价人：请选择回访方式（上门回访或电话回访）")
		c.Check(in.FollowUpResult != "", "follow_up_result", "请填写回访结果")
	case in.FollowUp != "" && in.FollowUp != ByVisit && in.FollowUp != ByPhone:
		c.Add("follow_up", "回访方式须为上门回访或电话回访")
	}
	if err := c.Err("整改信息有误"); err != nil {
		return nil, err
	}
	from, to := x.State, rule.To
	if to == "" {
		to = x.Proposed
	}
	x.State, x.Proposed, x.UpdatedAt, x.LastSeq = to, rule.Proposes, now, x.LastSeq+1
	if x.State.Closed() {
		x.ClosedAt = now
	}
	role := string(a.Role)
	ev := &RectificationEvent{Seq: x.LastSeq, Action: action, From: from, To: x.State, Actor: a.Username, Role: role, At: now,
		Note: in.Note, FollowUp: in.FollowUp, FollowUpResult: in.FollowUpResult}
	x.Events = append(x.Events, *ev)
	return ev, nil
}

func (x *Rectification) assignee() string {
	if x.Department != "" {
		return "部门"
	}
	return "窗口（由行政审批局管理员办理）"
}

func noteMessage(a Action) string {
	switch a {
	case ActVerify:
		return "请填写核实情况"
	case ActRectify:
		return "请填写整改措施"
	case ActExplain:
		return "请说明无法整改的原因"
	case ActAppeal:
		return "请填写申诉理由（误评或恶意评价的依据）"
	case ActSendBack:
		return "请填写退回整改的理由"
	}
	return "请填写审核意见"
}
