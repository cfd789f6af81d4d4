package queue

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/identity"
)

// Priority is a ticket's priority class.
type Priority string

// The priority classes. Every class but Normal is a priority class; the
// priority classes rank equally among themselves (by queue time).
const (
	Normal        Priority = "normal"         // 普通
	Appointment   Priority = "appointment"    // 预约
	Elderly       Priority = "elderly"        // 老年人
	Disability    Priority = "disability"     // 残疾人
	ServiceMember Priority = "service_member" // 军人
)

// Priorities lists the classes in a stable order.
var Priorities = []Priority{Normal, Appointment, Elderly, Disability, ServiceMember}

// Valid reports whether p is a known class.
func (p Priority) Valid() bool { return slices.Contains(Priorities, p) }

// IsPriority reports whether p goes before normal tickets.
func (p Priority) IsPriority() bool { return p != Normal }

// Label returns the class's Chinese name.
func (p Priority) Label() string {
	switch p {
	case Normal:
		return "普通"
	case Appointment:
		return "预约"
	case Elderly:
		return "老年人优先"
	case Disability:
		return "残疾人优先"
	case ServiceMember:
		return "军人优先"
	}
	return string(p)
}

// State is where a ticket stands. A transfer is an action, not a resting
// state: the transferred ticket is waiting again, at its new window or
// category, with a "transfer" event on its record.
type State string

// The states.
const (
	Waiting   State = "waiting"   // 等候中
	Called    State = "called"    // 已叫号
	Serving   State = "serving"   // 办理中
	Done      State = "done"      // 已办结
	NoShow    State = "no_show"   // 过号
	Cancelled State = "cancelled" // 已取消
)

// Label returns the state's Chinese name.
func (s State) Label() string {
	switch s {
	case Waiting:
		return "等候中"
	case Called:
		return "已叫号"
	case Serving:
		return "办理中"
	case Done:
		return "已办结"
	case NoShow:
		return "过号"
	case Cancelled:
		return "已取消"
	}
	return string(s)
}

// Open reports whether the ticket is still in the queue or at a window:
// an ID may hold one open ticket per hall per day.
func (s State) Open() bool { return s == Waiting || s == Called || s == Serving }

// OpenStates are the states of open tickets.
var OpenStates = []State{Waiting, Called, Serving}

// Ticket is one queue number taken at a kiosk.
type Ticket struct {
	ID       int64         `json:"id"`
	HallCode string        `json:"hall_code"`
	Category string        `json:"category" doc:"取号类别编码"`
	Number   string        `json:"number" example:"A001" doc:"号码：类别前缀加当日序号"`
	Day      calendar.Date `json:"day" doc:"取号日期（北京时间）"`
	Priority Priority      `json:"priority"`
	// IDNumber is the full ID given at the kiosk; never shown, see IDMasked.
	IDNumber string `json:"-"`
	IDMasked string `json:"id_number,omitempty" doc:"证件号码（已遮盖）"`
	// Phone is the mobile number given when the ticket was taken, to text
	// its holder when their turn is near; kept sealed, never shown.
	Phone string `json:"-"`
	State State  `json:"state"`
	// Window is the window that called the ticket (while called or serving,
	// and the last one after).
	Window string `json:"window,omitempty" doc:"叫号窗口"`
	// TargetWindow, when set, is the only window that may call the ticket
	// (a transfer to a named window).
	TargetWindow string `json:"target_window,omitempty" doc:"转到的指定窗口"`
	// IssuedAt is when the ticket was taken; QueuedAt is its place in its
	// priority class: the issue time, kept across transfers, and the time
	// of a late arrival's requeue (the back of its class).
	IssuedAt     time.Time `json:"issued_at"`
	QueuedAt     time.Time `json:"queued_at"`
	CalledAt     time.Time `json:"called_at,omitzero"`
	StartedAt    time.Time `json:"started_at,omitzero"`
	FinishedAt   time.Time `json:"finished_at,omitzero"`
	Recalls      int       `json:"recalls" doc:"已重呼次数"`
	Requeues     int       `json:"requeues" doc:"过号后重新排队的次数（至多 1 次）"`
	NoShowReason string    `json:"no_show_reason,omitempty"`
	Version      int       `json:"version"`
	LastSeq      int       `json:"-"`
}

// Mask fills IDMasked from IDNumber; every output goes through it.
func (t *Ticket) Mask() {
	t.IDMasked = ""
	if t.IDNumber != "" {
		t.IDMasked = identity.Mask(t.IDNumber)
	}
}

// NormalizeID checks an optional ID number given at the kiosk: empty, or a
// valid resident ID (GB 11643). It returns the normalised number.
func NormalizeID(s string) (string, error) {
	s = identity.NormalizeResidentID(s)
	if s == "" {
		return "", nil
	}
	if err := identity.ValidateResidentID(s); err != nil {
		return "", err
	}
	return s, nil
}

var mobilePattern = regexp.MustCompile(`^1[3-9]\d{9}$`)

// NormalizePhone checks an optional mobile number given with a ticket:
// empty, or an 11-digit mainland mobile number (spaces, dashes and a +86
// prefix dropped). It returns the normalised number.
func NormalizePhone(s string) (string, error) {
	s = strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "+86")
	if s == "" {
		return "", nil
	}
	if !mobilePattern.MatchString(s) {
		return "", apperr.Field("phone", "手机号码须为 11 位手机号；不需要短信提醒可不填")
	}
	return s, nil
}

// NewTicket validates a kiosk request and returns the waiting ticket it
// makes (without number or id: the store gives them).
func NewTicket(c *Category, idNumber string, p Priority, now time.Time) (*Ticket, error) {
	if p == "" {
		p = Normal
	}
	if !p.Valid() {
		return nil, apperr.Field("priority", "优先类别须为 normal、appointment、elderly、disability 或 service_member")
	}
	id, err := NormalizeID(idNumber)
	if err != nil {
		return nil, err
	}
	return &Ticket{
		HallCode: c.HallCode, Category: c.Code, Day: calendar.DateOf(now), Priority: p, IDNumber: id,
		State: Waiting, IssuedAt: now, QueuedAt: now, Version: 1,
	}, nil
}

// NoShowReason is a preset reason for marking a ticket no-show.
type NoShowReason string

// The preset reasons.
const (
	ReasonAbsent    NoShowReason = "absent"    // 叫号未到
	ReasonLeft      NoShowReason = "left"      // 申请人已离开
	ReasonDuplicate NoShowReason = "duplicate" // 重复取号
	ReasonWrong     NoShowReason = "wrong"     // 取错类别且不愿转办
)

// NoShowReasons lists the preset reasons with their labels.
var NoShowReasons = map[NoShowReason]string{
	ReasonAbsent:    "叫号未到",
	ReasonLeft:      "申请人已离开",
	ReasonDuplicate: "重复取号",
	ReasonWrong:     "取错类别且不愿转办",
}

// Action is something done to a ticket.
type Action string

// The actions.
const (
	ActIssue    Action = "issue"     // taken at the kiosk
	ActCall     Action = "call"      // called to a window
	ActRecall   Action = "recall"    // called again
	ActNoShow   Action = "no_show"   // did not come
	ActRequeue  Action = "requeue"   // a late arrival put back in the queue
	ActStart    Action = "start"     // service began
	ActFinish   Action = "finish"    // service ended
	ActTransfer Action = "transfer"  // sent to another window or category
	ActCancel   Action = "cancel"    // withdrawn
	ActLinkCase Action = "link_case" // a case taken in during the visit
)

// Label returns the action's Chinese name.
func (a Action) Label() string {
	switch a {
	case ActIssue:
		return "取号"
	case ActCall:
		return "叫号"
	case ActRecall:
		return "重呼"
	case ActNoShow:
		return "过号"
	case ActRequeue:
		return "过号重排"
	case ActStart:
		return "开始办理"
	case ActFinish:
		return "办结"
	case ActTransfer:
		return "转办"
	case ActCancel:
		return "取消"
	case ActLinkCase:
		return "关联办件"
	}
	return string(a)
}

// table is the transition table: the states an action may start from and
// the state it leads to.
var table = map[Action]struct {
	from []State
	to   State
}{
	ActCall:     {[]State{Waiting}, Called},
	ActRecall:   {[]State{Called}, Called},
	ActNoShow:   {[]State{Called}, NoShow},
	ActRequeue:  {[]State{NoShow}, Waiting},
	ActStart:    {[]State{Called}, Serving},
	ActFinish:   {[]State{Serving}, Done},
	ActTransfer: {[]State{Called, Serving}, Waiting},
	ActCancel:   {[]State{Waiting, Called, NoShow}, Cancelled},
	ActLinkCase: {[]State{Serving, Done}, ""}, // "" keeps the state
}

// Allowed returns the actions a ticket in state s allows, in a stable order.
func Allowed(s State) []Action {
	var out []Action
	for _, a := range []Action{ActCall, ActRecall, ActNoShow, ActRequeue, ActStart, ActFinish, ActTransfer, ActCancel, ActLinkCase} {
		if slices.Contains(table[a].from, s) {
			out = append(out, a)
		}
	}
	return out
}

// Settings are a hall's queue settings.
type Settings struct {
	// FairnessLimit is K of the policy (see Pick): after K consecutive
	// priority calls at a window, an older normal ticket goes first.
	FairnessLimit int `json:"fairness_limit" doc:"连续叫优先号的上限 K（默认 3）"`
	// MaxRecalls is how often a called ticket may be called again.
	MaxRecalls int `json:"max_recalls" doc:"重呼次数上限（默认 2）"`
	// TextAhead is how few tickets may be ahead of a ticket taken with a
	// mobile number before its holder is texted to come back (once per
	// ticket); 0 sends no such text.
	TextAhead int `json:"text_ahead" doc:"前面还剩几位时短信提醒取号人（0 为不提醒，默认 3）"`
}

// DefaultSettings returns the defaults: K = 3, two recalls, a text when
// three are ahead.
func DefaultSettings() Settings { return Settings{FairnessLimit: 3, MaxRecalls: 2, TextAhead: 3} }

// TextDue reports whether a waiting ticket with ahead tickets before it is
// near enough for its holder to be texted.
func (s Settings) TextDue(ahead int) bool { return s.TextAhead > 0 && ahead <= s.TextAhead }

// Validate checks the settings.
func (s Settings) Validate() error {
	var v apperr.Collector
	v.Check(s.FairnessLimit >= 1 && s.FairnessLimit <= 20, "fairness_limit", "连续叫优先号的上限须在 1 至 20 之间")
	v.Check(s.MaxRecalls >= 0 && s.MaxRecalls <= 10, "max_recalls", "重呼次数上限须在 0 至 10 之间")
	v.Check(s.TextAhead >= 0 && s.TextAhead <= 20, "text_ahead", "短信提醒的位数须在 0 至 20 之间（0 为不提醒）")
	return v.Err("排队设置有误")
}

// Input carries an action's fields.
type Input struct {
	Window     string       // the window acting (call, recall, no-show, start, finish, transfer)
	Reason     NoShowReason // no-show
	ToWindow   string       // transfer: to this window of the hall
	ToCategory string       // transfer: to this category of the hall
	CaseNumber string       // link_case
}

// TicketEvent is one entry of a ticket's record.
type TicketEvent struct {
	Seq     int             `json:"seq"`
	Type    Action          `json:"type"`
	Actor   string          `json:"actor"`
	Window  string          `json:"window,omitempty"`
	At      time.Time       `json:"at"`
	Details json.RawMessage `json:"details,omitempty"`
}

// Apply performs action on t at now by actor, under the hall's settings,
// and returns the event recording it. A state that does not allow the
// action is a conflict naming the state and the allowed actions; t is
// unchanged on any error.
func Apply(t *Ticket, a Action, in Input, actor string, set Settings, now time.Time) (*TicketEvent, error) {
	rule, ok := table[a]
	if !ok {
		return nil, apperr.New(apperr.Invalid, "未知的操作：%s", a)
	}
	if !slices.Contains(rule.from, t.State) {
		var labels []string
		for _, x := range Allowed(t.State) {
			labels = append(labels, x.Label())
		}
		allowed := "无"
		if len(labels) > 0 {
			allowed = strings.Join(labels, "、")
		}
		return nil, apperr.New(apperr.Conflict, "%s号当前状态为“%s”，不能%s（当前可执行：%s）", t.Number, t.State.Label(), a.Label(), allowed)
	}
	next := *t
	details := map[string]any{}
	switch a {
	case ActCall:
		next.Window, next.TargetWindow, next.CalledAt, next.Recalls = in.Window, "", now, 0
	case ActRecall:
		if t.Window != in.Window {
			return nil, apperr.New(apperr.Conflict, "%s号不在本窗口", t.Number)
		}
		if t.Recalls >= set.MaxRecalls {
			return nil, apperr.New(apperr.Conflict, "%s号已重呼 %d 次，达到上限；请标记过号", t.Number, t.Recalls)
		}
		next.Recalls++
		details["recalls"] = next.Recalls
	case ActNoShow:
		label, ok := NoShowReasons[in.Reason]
		if !ok {
			return nil, apperr.Field("reason", "过号原因须为 absent、left、duplicate 或 wrong")
		}
		next.NoShowReason = string(in.Reason)
		details["reason"], details["reason_label"] = in.Reason, label
	case ActRequeue:
		if t.Requeues >= 1 {
			return nil, apperr.New(apperr.Conflict, "%s号已重新排队过一次，不能再次重排，请重新取号", t.Number)
		}
		if calendar.DateOf(now) != t.Day {
			return nil, apperr.New(apperr.Conflict, "%s号是 %s 的号，已过期，请重新取号", t.Number, t.Day)
		}
		// The back of its priority class: it queues from now.
		next.Requeues++
		next.QueuedAt, next.Window, next.TargetWindow, next.NoShowReason = now, "", "", ""
	case ActStart:
		next.StartedAt = now
	case ActFinish:
		next.FinishedAt = now
	case ActTransfer:
		if (in.ToWindow == "") == (in.ToCategory == "") {
			return nil, apperr.Field("to_window", "转办须指明转到的窗口（to_window）或类别（to_category）之一")
		}
		if in.ToWindow != "" && in.ToWindow == t.Window {
			return nil, apperr.Field("to_window", "不能转到本窗口")
		}
		if in.ToCategory != "" && in.ToCategory == t.Category {
			return nil, apperr.Field("to_category", "该号已属于此类别")
		}
		details["from_window"], details["from_category"] = t.Window, t.Category
		// QueuedAt is kept: the ticket keeps its place by its original time.
		next.Window, next.TargetWindow = "", in.ToWindow
		if in.ToCategory != "" {
			next.Category = in.ToCategory
			details["to_category"] = in.ToCategory
		} else {
			details["to_window"] = in.ToWindow
		}
		next.CalledAt, next.StartedAt, next.Recalls = time.Time{}, time.Time{}, 0
	case ActLinkCase:
		details["case"] = in.CaseNumber
	}
	if rule.to != "" {
		next.State = rule.to
	}
	next.Version++
	next.LastSeq++
	ev := &TicketEvent{Seq: next.LastSeq, Type: a, Actor: actor, Window: in.Window, At: now}
	if len(details) > 0 {
		ev.Details, _ = json.Marshal(details)
	}
	*t = next
	return ev, nil
}

// IssueEvent is the first event of a ticket.
func IssueEvent(t *Ticket, actor string) *TicketEvent {
	t.LastSeq = 1
	d, _ := json.Marshal(map[string]any{"category": t.Category, "priority": t.Priority})
	return &TicketEvent{Seq: 1, Type: ActIssue, Actor: actor, At: t.IssuedAt, Details: d}
}
