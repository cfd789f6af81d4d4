package service

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
)

// Progress is a case as the public progress page shows it to whoever holds
// its number and the check code printed on its receipt notice: where it
// stands, the time limits that run for it, and what the applicant has to
// do next. It holds nothing that names or identifies a person: no
// applicant, agent, ID number, phone, address, or staff member, and none
// of the free text staff typed (reasons may mention people).
type Progress struct {
	Number       string
	Item         string
	ItemCode     string
	Department   string // the department's name
	Hall         string // the hall the case was taken in at
	HallAddress  string
	Instant      bool
	PromisedDays int
	ReceivedAt   time.Time
	State        casework.State
	StateWords   string // 已受理，正在审查
	Deadlines    []ProgressDeadline
	Paused       *ProgressPause  // the pause now running, nil while the clock runs
	Pauses       []ProgressPause // ended pauses, with the days they added
	ExtendedDays int             // working days added with the head's approval (art. 42)
	Outcome      casework.Outcome
	Delivery     casework.DeliveryMethod
	Carrier      string // once mailed
	Tracking     string
	Deferred     []string // names of deferred materials still due
	ToCorrect    []string // names of the materials the correction notice asks for
	Collect      []string // what to hand back on collecting the result (R10)
	Next         []string // what the applicant should do next, in plain words
}

// ProgressDeadline is one running time limit the applicant should know.
type ProgressDeadline struct {
	Name    string // accept_by, supply_by, decide_by
	Label   string // 受理期限 …
	At      time.Time
	Warning calendar.Warning // how it stands now
	Words   string           // 剩余 2 个工作日 …
}

// ProgressPause is one stop of the review clock (行政许可法 art. 45).
type ProgressPause struct {
	Type  casework.PauseType
	Label string // 现场踏勘 …
	From  time.Time
	Until time.Time // zero while it lasts
	Days  int       // working days an ended pause moved the decision deadline on
	// For the running pause: the decision deadline as it stands, and
	// where it moves if the clock restarts today.
	DueBefore         time.Time
	DueIfResumedToday time.Time
}

// errNoProgress is the one answer to a wrong number or a wrong code, so
// that nobody can learn which case numbers exist.
func errNoProgress() error { return apperr.New(apperr.NotFound, "办件编号或查询码不正确") }

// maxProgressInput bounds what is looked up at all.
const maxProgressInput = 40

// dummyCheckCode is compared against when the number is unknown, so an
// unknown number takes the same work as a wrong code.
const dummyCheckCode = "\x00\x00\x00\x00\x00\x00"

// Progress returns the public progress of the case with number if code is
// its check code. Nobody need be signed in. A wrong code and an unknown
// number give the same NotFound after the same work, and the code is
// compared in constant time; guessing is bounded by the limits of
// caseByCode.
func (s *Casework) Progress(ctx context.Context, number, code string) (*Progress, error) {
	number, code = strings.TrimSpace(number), strings.TrimSpace(code)
	var errs apperr.Collector
	errs.Check(number != "", "number", "请输入办件编号")
	errs.Check(code != "", "code", "请输入查询码")
	if err := errs.Err("请输入办件编号和查询码"); err != nil {
		return nil, err
	}
	c, err := s.caseByCode(ctx, number, code)
	if err != nil {
		return nil, err
	}
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	p := &Progress{
		Number: c.Number, Item: c.ItemName, ItemCode: c.ItemCode, Department: c.DepartmentCode,
		Instant: c.Kind == catalog.Instant, PromisedDays: c.PromisedDays, ReceivedAt: c.ReceivedAt,
		State: c.State, Outcome: c.Outcome, Delivery: c.Delivery.Method,
	}
	switch d, err := s.store.Department(ctx, c.DepartmentCode); {
	case err == nil:
		p.Department = d.Name
	case !apperr.Is(err, apperr.NotFound):
		return nil, err
	}
	if err := s.progressHall(ctx, p, c.HallCode); err != nil {
		return nil, err
	}
	if c.Result == casework.ResultMailed || (c.Delivery.Method == casework.Mail && c.Tracking != "") {
		p.Carrier, p.Tracking = c.Carrier, c.Tracking
	}
	for _, d := range c.OpenDeadlines() {
		// The desks' own limits (paper handover, result correction,
		// archiving) are the hall's business, not the applicant's.
		switch d.Name {
		case "accept_by", "supply_by", "decide_by":
			p.Deadlines = append(p.Deadlines, ProgressDeadline{Name: d.Name, Label: progressDeadlineLabel(d.Name), At: d.At,
				Warning: env.Cal.Warn(env.Now, d.At), Words: env.Cal.DueWords(env.Now, d.At)})
		}
	}
	progressPauses(p, c, env)
	if c.Extension != nil && c.Extension.State == casework.ExtensionApproved {
		p.ExtendedDays = c.Extension.Days
	}
	for _, m := range c.Materials {
		if m.Status == casework.Deferred {
			p.Deferred = append(p.Deferred, m.Name)
		}
	}
	if c.State == casework.ResultReady || c.State == casework.Decided {
		p.Collect = c.CollectItems
	}
	if c.State == casework.Returned {
		if p.ToCorrect, err = s.toCorrect(ctx, c.Number); err != nil {
			return nil, err
		}
	}
	p.StateWords = c.StateWords()
	p.Next = progressNext(c, p)
	return p, nil
}

// progressHall fills in the hall the case was taken in at, or the
// district's hall (listed first) for a case without one.
func (s *Casework) progressHall(ctx context.Context, p *Progress, code string) error {
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return err
	}
	for i, h := range halls {
		if h.Code == code || (i == 0 && p.Hall == "") {
			p.Hall, p.HallAddress = h.Name, h.Address
		}
	}
	return nil
}

// toCorrect returns the materials named by the case's latest correction
// notice. Only the handbook's names are shown; the reviewer's reasons are
// free text and stay on the printed notice.
func (s *Casework) toCorrect(ctx context.Context, number string) ([]string, error) {
	docs, err := s.store.CaseDocuments(ctx, number)
	if err != nil {
		return nil, err
	}
	for i := len(docs) - 1; i >= 0; i-- {
		if docs[i].Kind != casework.CorrectionNotice {
			continue
		}
		var d casework.CorrectionData
		if err := json.Unmarshal(docs[i].Data, &d); err != nil {
			return nil, apperr.Wrap(err, "correction notice")
		}
		names := make([]string, 0, len(d.ToCorrect))
		for _, m := range d.ToCorrect {
			names = append(names, m.Name)
		}
		return names, nil
	}
	return nil, nil
}

// progressPauses fills in the clock's stops. An ended pause says how many
// working days it added (the decision deadline shown is the moved one); a
// running pause says where the deadline stands and where it would move if
// the clock restarted today.
func progressPauses(p *Progress, c *casework.Case, env casework.Env) {
	for _, x := range c.Pauses {
		pp := ProgressPause{Type: x.Type, Label: x.Type.Label(), From: x.From, Until: x.Until, Days: x.Days}
		if x.Until.IsZero() {
			pp.DueBefore = c.Deadlines.DecideBy
			pp.DueIfResumedToday = env.Cal.AddWorkingDays(c.Deadlines.DecideBy, env.Cal.WorkingDaysBetween(x.From, env.Now))
			p.Paused = &pp
			continue
		}
		p.Pauses = append(p.Pauses, pp)
	}
}

func progressDeadlineLabel(name string) string {
	switch name {
	case "accept_by":
		return "受理期限"
	case "supply_by":
		return "容缺材料补齐期限"
	case "decide_by":
		return "办结期限"
	}
	return name
}

// when writes a time as the page's sentences do.
func when(t time.Time) string { return t.In(clock.Shanghai).Format("2006年1月2日 15:04") }

// list joins names with the Chinese enumeration comma.
func list(names []string) string { return strings.Join(names, "、") }

// progressNext says, in plain words, what the applicant has to do next,
// or that they need do nothing and what happens next.
func progressNext(c *casework.Case, p *Progress) []string {
	var out, supply []string
	desk := func(kind string) string {
		s := p.Hall + kind
		if p.HallAddress != "" {
			s += "（" + p.HallAddress + "）"
		}
		return s
	}
	// Nothing to do but wait, unless deferred materials are still due.
	idle := "您暂时不需要做什么。"
	if len(p.Deferred) > 0 && !c.State.Closed() && !c.Deadlines.SupplyBy.IsZero() {
		idle = ""
		supply = append(supply, fmt.Sprintf("请于 %s 前将容缺受理时暂缺的材料（%s）送到%s；逾期未补齐的，将终止办理。",
			when(c.Deadlines.SupplyBy), list(p.Deferred), desk("综合受理窗口")))
	}
	switch c.State {
	case casework.Submitted:
		if pr := c.PreReview; pr != nil && pr.Passed {
			out = append(out, "网上预审已通过，请携带纸质材料到"+desk("综合受理窗口")+"办理收件。")
			break
		}
		out = append(out, fmt.Sprintf("部门将在 %d 个工作日内告知网上预审结果，请留意。", c.DeadlinePolicy().PreReviewDays))
	case casework.Received:
		if p.Instant {
			out = append(out, "即办件当场办理，请在窗口稍候。")
		} else if !c.Deadlines.AcceptBy.IsZero() {
			out = append(out, fmt.Sprintf("部门将于 %s 前决定是否受理。%s", when(c.Deadlines.AcceptBy), idle))
		}
	case casework.Returned:
		s := "请按《材料补齐补正通知书》补齐或补正材料"
		if len(p.ToCorrect) > 0 {
			s += "（" + list(p.ToCorrect) + "）"
		}
		out = append(out, s+"，带到"+desk("综合受理窗口")+"重新提交；办件编号和查询码不变。")
	case casework.Accepted:
		if p.Paused != nil {
			out = append(out, fmt.Sprintf("审查因%s暂停计时（自 %s 起），暂停期间不计入办理时限；需要您配合的，部门会与您联系。恢复计时后办结期限相应顺延，顺延后的日期会在本页显示。",
				p.Paused.Label, when(p.Paused.From)))
		} else if !c.Deadlines.DecideBy.IsZero() {
			out = append(out, fmt.Sprintf("部门正在审查，将于 %s 前办结。%s", when(c.Deadlines.DecideBy), idle))
		}
	case casework.Decided:
		if p.Instant {
			out = append(out, "已当场作出决定，请在窗口领取办理结果。")
		} else {
			out = append(out, "部门已作出决定，正在将办理结果移交综合出件窗口；可以领取或已经寄出时，本页会显示。")
		}
	case casework.ResultReady:
		switch {
		case c.Delivery.Method == casework.Pickup:
			s := "请携带本人有效身份证件，到" + desk("综合出件窗口") + "领取办理结果；委托他人领取的，受托人还须携带授权委托书和本人有效身份证件。"
			if len(p.Collect) > 0 {
				s += "领取时请交回：" + list(p.Collect) + "。"
			}
			out = append(out, s)
		case c.Result == casework.ResultMailed:
			out = append(out, fmt.Sprintf("办理结果已由 %s 寄出，邮件号 %s，请留意查收。", c.Carrier, c.Tracking))
		default:
			out = append(out, "办理结果将由综合出件窗口按您选择的方式邮寄，寄出后本页显示邮件号。")
		}
	case casework.Delivered, casework.Archived:
		out = append(out, "办理结果已送达，本件已办结，您不需要再做什么。")
	case casework.Withdrawn:
		out = append(out, "申请已撤回，您不需要再做什么；如需办理，请重新申请。")
	case casework.Terminated:
		if c.Lapsed() {
			out = append(out, "容缺材料未在期限内补齐，本件已终止办理；如需办理，请重新申请。")
		} else {
			out = append(out, "本件已终止办理，终止理由以部门书面告知为准；如有疑问，请咨询"+p.Department+"。")
		}
	case casework.RejectedOnline:
		out = append(out, "网上预审未通过，请按部门的预审意见修改后重新申报。")
	}
	// The correction is what a returned case waits for; otherwise the
	// deferred materials come first.
	if c.State == casework.Returned {
		return append(out, supply...)
	}
	return append(supply, out...)
}

// caseByCode returns the case with number if code is its check code (the
// progress and rating pages). Case numbers are easy to guess and check
// codes are six digits: a client that guesses wrong is locked out of the
// number, then out of every look-up, and many wrong codes from anywhere
// slow the number down for everyone but those signed in who may see it
// (lockout.go). A wrong code and an unknown number give one answer after
// the same work.
func (s *Casework) caseByCode(ctx context.Context, number, code string) (*casework.Case, error) {
	if len(number) > maxProgressInput || len(code) > maxProgressInput {
		return nil, errNoProgress()
	}
	now := s.clock.Now()
	attempt, err := s.access.beginCode(ctx, number, now)
	if err != nil {
		return nil, err
	}
	c, err := s.store.Case(ctx, number)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	want := dummyCheckCode
	if c != nil && c.CheckCode != "" {
		want = c.CheckCode
	}
	if subtle.ConstantTimeCompare([]byte(code), []byte(want)) != 1 || c == nil || c.CheckCode == "" {
		if err := s.access.codeFailed(ctx, attempt, now); err != nil {
			return nil, err
		}
		return nil, errNoProgress()
	}
	if err := s.access.codeSucceeded(ctx, attempt); err != nil {
		return nil, err
	}
	return c, nil
}
