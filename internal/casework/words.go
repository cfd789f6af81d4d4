package casework

import (
	"fmt"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
)

// The words people read about a case's state come from here, the one
// place that knows the state with what qualifies it: a submitted case
// whose pre-review has passed no longer waits for pre-review, it waits
// for its paper at the window.

// prePassedLabel is a submitted case whose pre-review has passed.
const prePassedLabel = "预审通过，待收件"

// StateLabel is the case's state in a few words, for lists, badges and
// the case page: the state's label (State.Label), qualified where the
// state alone would mislead. A passed pre-review reads as waiting for its
// paper, not for pre-review; a paused review says so; a decided case
// whose result the issuance desk refused or still checks says that; a
// result to be mailed, or in the post, reads as such, not as 待领取.
func (c *Case) StateLabel() string {
	switch {
	case c.prePassed():
		return prePassedLabel
	case c.Waiting() && (c.State == Submitted || c.State == Received || c.State == Returned):
		return c.State.Label() + "（等待前置事项）"
	case c.InitialReviewPending():
		return initialPendingLabel
	case c.State == Accepted && c.Paused():
		return pausedLabel
	case c.State == Accepted && c.Extension != nil && c.Extension.State == ExtensionRequested:
		return "已受理（延期待批准）"
	case c.State == Decided && c.Result == ResultRefused:
		return resultRefusedLabel
	case c.State == Decided && c.Result == ResultSubmitted:
		return resultSubmittedLabel
	case c.State == ResultReady && c.Delivery.Method == Mail:
		if c.Result == ResultMailed {
			return mailedLabel
		}
		return toMailLabel
	}
	if c.State == Terminated && c.NotAccepted() {
		return notAcceptedLabel
	}
	return c.State.Label()
}

// The labels of a case in the street's initial review (委托初审).
const (
	initialPendingLabel = "已收件（待街道初审）"
	initialPassedLabel  = "已收件（初审通过）"
)

// notAcceptedLabel is a case the department decided not to accept.
const notAcceptedLabel = "不予受理"

// The labels of the sub-states StateLabel and StateAfter share.
const (
	pausedLabel          = "已受理（暂停计时）"
	resultRefusedLabel   = "已决定，结果待更正"
	resultSubmittedLabel = "已决定，结果待核验"
	toMailLabel          = "待邮寄"
	mailedLabel          = "已寄出，待妥投"
)

// Awaits says, for the staff who work the case, what the case waits for
// now: 等待部门受理, 等待妥投, 本件办结.
func (c *Case) Awaits() string {
	switch c.State {
	case Submitted:
		if c.prePassed() {
			return "等待申请人携带纸质材料到综合受理窗口收件"
		}
		return "等待部门预审"
	case Received:
		switch {
		case c.Waiting():
			return "等待前置事项办结后受理"
		case c.Kind == catalog.Instant:
			return "等待当场办结"
		case c.InitialReviewPending():
			return "等待" + c.InitialReview.hallWords() + "初审"
		}
		return "等待部门受理"
	case Accepted:
		switch {
		case c.Paused():
			return c.Pauses[len(c.Pauses)-1].Type.Label() + "期间暂停计时，恢复计时后继续审查"
		case c.Extension != nil && c.Extension.State == ExtensionRequested:
			return "等待批准延期"
		case c.DeferredOutstanding():
			return "正在审查，容缺材料待补齐"
		}
		return "正在审查"
	case Decided:
		switch {
		case c.Result == ResultRefused:
			return "等待部门更正办理结果"
		case c.Result == ResultSubmitted:
			return "等待综合出件窗口核验办理结果"
		case c.Kind == catalog.Instant:
			return "等待当场发证"
		}
		return "等待提交办理结果"
	case ResultReady:
		switch {
		case c.Delivery.Method != Mail:
			return "等待申请人领取"
		case c.Result == ResultMailed:
			return "等待妥投"
		}
		return "等待邮寄"
	case Delivered:
		return "等待送达回执归档"
	case Archived:
		return "本件办结"
	case Returned:
		return "等待申请人补正材料"
	case Withdrawn, Terminated:
		return "本件不再办理"
	case RejectedOnline:
		return "等待申请人修改后重新提交"
	}
	return c.StateLabel()
}

// Done says what the actions just did to the case, in order, and what
// the case waits for now, for the flash a clerk reads after acting:
// 已邮寄（顺丰速运 邮件号 SF1234567890），等待妥投. The case is the case
// after the actions.
func (c *Case) Done(actions ...Action) string {
	var did []string
	for _, a := range actions {
		did = append(did, c.did(a))
	}
	words := strings.Join(did, "、")
	if len(actions) == 1 && actions[0] == ActPause && c.Paused() {
		return words + "，期间不计入办理时限"
	}
	return words + "，" + c.Awaits()
}

// did is one action in the past tense, as done to the case.
func (c *Case) did(a Action) string {
	switch a {
	case ActIntake:
		return "已收件"
	case ActSubmit:
		return "已网上提交"
	case ActAccept:
		if c.Channel == Online && c.OnlineFull {
			return "已网上受理"
		}
		return "已受理"
	case ActReturn:
		return "已退回补正"
	case ActResubmit:
		return "已收下补正材料"
	case ActSupply:
		return "已收下补交的容缺材料"
	case ActHandover:
		return "已签收纸质材料"
	case ActPause:
		if c.Paused() {
			return "已因" + c.Pauses[len(c.Pauses)-1].Type.Label() + "暂停计时"
		}
		return "已暂停计时"
	case ActResume:
		return "已恢复计时，办结期限相应顺延"
	case ActExtend:
		return "已申请延期"
	case ActApproveExtension:
		if c.Extension != nil {
			return fmt.Sprintf("已批准延期 %d 个工作日", c.Extension.Days)
		}
		return "已批准延期"
	case ActRejectExtension:
		return "未批准延期，办结期限不变"
	case ActDecide:
		how := "准予"
		if c.Outcome == Deny {
			how = "不予许可"
		}
		if c.Kind == catalog.Instant {
			return "已当场办结（" + how + "）"
		}
		return "已作出" + how + "决定"
	case ActSubmitResult:
		return "已提交办理结果"
	case ActRefuseResult:
		return "已拒收办理结果"
	case ActAcceptResult:
		return "已核验接收办理结果"
	case ActDeliver:
		if c.Kind == catalog.Instant {
			return "已当场发证"
		}
		return "已发证"
	case ActMail:
		if c.Carrier != "" && c.Tracking != "" {
			return "已邮寄（" + c.Carrier + " 邮件号 " + c.Tracking + "）"
		}
		return "已邮寄"
	case ActConfirmDelivery:
		return "已确认妥投"
	case ActArchive:
		return "已将送达回执归档"
	case ActWithdraw:
		return "申请已撤回"
	case ActTerminate:
		return "已终止办理"
	case ActLapse:
		return "容缺材料逾期未补齐，已终止办理"
	case ActPassPreReview:
		return "已预审通过"
	case ActFailPreReview:
		return "已预审不通过"
	case ActResubmitOnline:
		return "已重新提交"
	case ActCompleteIntake:
		return "已核验纸质材料收件"
	case ActOpen:
		return "前置事项已办结"
	case ActPassInitialReview:
		return "已初审通过"
	case ActReturnInitialReview:
		return "已初审退回补正"
	case ActPaperArrive:
		return "纸质材料已送达区政务服务中心"
	case ActPaperSendBack:
		return "纸质材料缺失或损毁，已退回收件大厅"
	case ActResultArrive:
		return "办理结果已送达领取大厅"
	case ActResultSendBack:
		return "办理结果缺失或损毁，已退回区政务服务中心"
	case ActReceiptArrive:
		return "送达回执已送回区政务服务中心"
	case ActReceiptSendBack:
		return "送达回执缺失或损毁，已退回领取大厅"
	}
	return "已" + a.Label()
}

// prePassed reports whether the case is submitted online and its
// pre-review has passed: it waits for its paper at the intake desk.
func (c *Case) prePassed() bool {
	return c.State == Submitted && c.PreReview != nil && c.PreReview.Passed
}

// StateWords says where the case stands as the applicant reads it (the
// progress page, the applicant's own case).
func (c *Case) StateWords() string {
	switch c.State {
	case Submitted:
		if c.prePassed() {
			return "已通过网上预审，请携带纸质材料到综合受理窗口收件"
		}
		return "已网上提交，等待预审"
	case Received:
		switch {
		case c.Waiting():
			return "已收件，等待前置事项办结后受理"
		case c.Kind == catalog.Instant:
			return "已收件，即办件当场办理"
		case c.InitialReviewPending():
			return "已收件，" + c.InitialReview.hallWords() + "正在初审材料"
		}
		return "已收件，等待部门受理"
	case Accepted:
		if c.Paused() {
			return "已受理，审查暂停计时（" + c.Pauses[len(c.Pauses)-1].Type.Label() + "）"
		}
		return "已受理，正在审查"
	case Decided:
		if c.ResultInTransit() {
			return "已作出决定，办理结果正送往您选择的领取大厅，送达后通知领取"
		}
		return "已作出决定，正在移交办理结果"
	case ResultReady:
		switch {
		case c.Delivery.Method == Pickup:
			return "办理结果已到综合出件窗口，等待领取"
		case c.Result == ResultMailed:
			return "办理结果已寄出"
		}
		return "办理结果待寄出"
	case Delivered:
		if c.Delivery.Method == Mail {
			return "办理结果已妥投，已办结"
		}
		return "办理结果已领取，已办结"
	case Archived:
		return "已办结"
	case Returned:
		s := "已退回，请按材料补齐补正通知书补正材料后到综合受理窗口重新提交"
		if at := c.LapseAt(); !at.IsZero() {
			s += "；容缺材料须在 " + stampText(at) + " 前补齐，" + LapseConsequence
		}
		return s
	case Withdrawn:
		return "申请已撤回"
	case Terminated:
		if c.NotAccepted() {
			return "部门决定不予受理，理由及救济途径见不予受理决定书"
		}
		if c.Lapsed() {
			return "容缺材料逾期未补齐，已终止办理"
		}
		return "已终止办理"
	case RejectedOnline:
		return "网上预审未通过"
	}
	return c.State.Label()
}

// Lapsed reports whether a terminated case ended because its deferred
// materials did not come in time.
func (c *Case) Lapsed() bool {
	return c.State == Terminated && c.DeferredOutstanding() && !c.Deadlines.SupplyBy.IsZero() &&
		c.ClosedAt.After(c.Deadlines.SupplyBy)
}

// StateAfter is the state the event left the case in, in words, with
// the sub-states StateLabel knows that the event itself shows: a passed
// pre-review leaves the case submitted but no longer waiting for
// pre-review; a mailing leaves the result ready but in the post.
func (c *Case) StateAfter(e Event) string {
	switch {
	case e.Type == ActPassPreReview && e.To == Submitted:
		return prePassedLabel
	case e.Type == ActPause && e.To == Accepted:
		return pausedLabel
	case e.Type == ActRefuseResult && e.To == Decided:
		return resultRefusedLabel
	case e.Type == ActSubmitResult && e.To == Decided:
		return resultSubmittedLabel
	case e.Type == ActAcceptResult && e.To == ResultReady && c.Delivery.Method == Mail:
		return toMailLabel
	case e.Type == ActMail && e.To == ResultReady:
		return mailedLabel
	case e.Type == ActPassInitialReview:
		return initialPassedLabel
	}
	if e.Type == ActRefuseAcceptance {
		return notAcceptedLabel
	}
	return e.To.Label()
}

// StateLabel is the state the event left the case in, in words, where
// the case is not at hand (Case.StateAfter is the one to use where it is).
func (e Event) StateLabel() string { return (&Case{}).StateAfter(e) }

// DeadlineLabel is a deadline's name as people read it.
func DeadlineLabel(name string) string {
	switch name {
	case "prereview_by":
		return "预审期限"
	case "initial_review_by":
		return "初审期限"
	case "accept_by":
		return "受理期限"
	case "handover_by":
		return "材料交接期限"
	case "supply_by":
		return "容缺补齐期限"
	case "decide_by":
		return "办结期限"
	case "correct_by":
		return "结果更正期限"
	case "archive_by":
		return "回执归档期限"
	case "finish_by":
		return "即办件当日办结期限"
	}
	return name
}

// DeadlineRow is one deadline of a case as people read it.
type DeadlineRow struct {
	Name    string    // accept_by, …
	Label   string    // 受理期限
	At      time.Time // when it ends
	Running bool      // its step has not happened yet (OpenDeadlines)
	// While it runs: its warning (and the warning's words), and how it
	// stands in words (剩余 2 个工作日, 今天 17:00 截止, 已超期 1 个工作日).
	Warning      calendar.Warning
	WarningLabel string
	Words        string
	// Consequence is what follows when the deadline is missed, as the
	// applicant was told in writing ("" when nothing follows on its own).
	Consequence string
}

// DeadlineRows returns every deadline the case has been set, in process
// order, each running one with how it stands at now.
func (c *Case) DeadlineRows(cal *calendar.Calendar, now time.Time) []DeadlineRow {
	running := map[string]bool{}
	for _, d := range c.OpenDeadlines() {
		running[d.Name] = true
	}
	dl := c.Deadlines
	var out []DeadlineRow
	for _, x := range []Due{{"prereview_by", dl.PreReviewBy}, {"initial_review_by", dl.InitialReviewBy}, {"accept_by", dl.AcceptBy}, {"handover_by", dl.HandoverBy},
		{"supply_by", dl.SupplyBy}, {"finish_by", dl.FinishBy}, {"decide_by", dl.DecideBy}, {"correct_by", dl.CorrectBy}, {"archive_by", dl.ArchiveBy}} {
		if x.At.IsZero() {
			continue
		}
		row := DeadlineRow{Name: x.Name, Label: DeadlineLabel(x.Name), At: x.At, Running: running[x.Name]}
		if row.Running {
			row = row.standing(cal, now)
			row.Consequence = c.DeadlineConsequence(x.Name)
		}
		out = append(out, row)
	}
	return out
}

// RunningRow returns how one running deadline stands at now.
func RunningRow(cal *calendar.Calendar, now time.Time, d Due) DeadlineRow {
	return DeadlineRow{Name: d.Name, Label: DeadlineLabel(d.Name), At: d.At, Running: true}.standing(cal, now)
}

func (r DeadlineRow) standing(cal *calendar.Calendar, now time.Time) DeadlineRow {
	r.Warning = cal.Warn(now, r.At)
	r.WarningLabel, r.Words = r.Warning.Label(), cal.DueWords(now, r.At)
	return r
}

// DueWords says in a few words how the case stands against its time, for
// a work list: the earliest running deadline's words, else 即办 for an
// instant case still open, 已办结 for a closed one, — otherwise.
func (c *Case) DueWords(cal *calendar.Calendar, now time.Time) string {
	return c.DueWordsAmong(cal, now, c.OpenDeadlines())
}

// DueWordsAmong is DueWords counting only the running deadlines open (the
// ones a reader waits on: an applicant does not wait on the paper
// handover).
func (c *Case) DueWordsAmong(cal *calendar.Calendar, now time.Time, open []Due) string {
	var next time.Time
	for _, d := range open {
		if next.IsZero() || d.At.Before(next) {
			next = d.At
		}
	}
	switch {
	case !next.IsZero():
		return cal.DueWords(now, next)
	case c.Kind == catalog.Instant && !c.State.Closed():
		return "即办"
	case c.State.Closed():
		return "已办结"
	}
	return "—"
}

// LapseConsequence is what the applicant is told in writing follows when
// deferred materials are not supplied in time.
const LapseConsequence = "逾期未补齐的，终止办理"

// DeadlineConsequence says what follows when the case's running deadline
// name is missed, as the applicant was told in writing: only a lapse of
// deferred materials ends a case on its own, and only when a notice
// warned of it (LapseAt). "" for every other deadline.
func (c *Case) DeadlineConsequence(name string) string {
	if name == "supply_by" && !c.LapseAt().IsZero() {
		return LapseConsequence
	}
	return ""
}

// ReturnTerms says, on a correction notice, what holds for a returned case
// beyond its listed time limits: correcting has none of its own, and
// nothing else ends the case.
func (c *Case) ReturnTerms() string {
	return "补正材料本身不设期限，请尽快补正；重新提交后，部门在 " + itoa(c.DeadlinePolicy().AcceptDays) +
		" 个工作日内决定是否受理。除本通知列明的期限外，本件不会因逾期而终止办理。"
}

// you is how a written decision addresses the applicant.
func (p Party) you() string {
	if p.Kind == Entity {
		return "你单位"
	}
	return "你"
}

// dateText shows a day in Asia/Shanghai as a document writes it.
func dateText(t time.Time) string { return t.In(clock.Shanghai).Format("2006年1月2日") }

// law cites 行政许可法 for a licence, nothing for any other item.
func (c *Case) law(article string) string {
	if !c.licence() {
		return ""
	}
	return "根据《中华人民共和国行政许可法》" + article + "的规定，"
}

func (c *Case) acceptanceBody() string {
	return c.Applicant.you() + "于" + dateText(c.appliedAt()) + "提出的「" + c.ItemName + "」申请，申请材料齐全、符合法定形式，" +
		c.law("第三十二条第一款第（五）项") + "本机关决定予以受理。"
}

func (c *Case) acceptanceNext() string {
	return "本机关将在 " + stampText(c.Deadlines.DecideBy) + " 前作出决定（承诺 " + itoa(c.PromisedDays) + " 个工作日内办结）。" +
		"依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在期限内，本机关将另行告知。扫描右上角二维码可查询办理进度。"
}

func (c *Case) nonAcceptanceBody() string {
	return c.Applicant.you() + "于" + dateText(c.appliedAt()) + "提出的「" + c.ItemName + "」申请，经审查，因下列理由不予受理："
}

func (c *Case) nonAcceptanceConclusion() string {
	return c.law("第三十二条第一款") + "本机关决定不予受理。"
}

func (c *Case) decisionBody() string {
	s := c.Applicant.you() + "于" + dateText(c.appliedAt()) + "提出的「" + c.ItemName + "」申请"
	if !c.AcceptedAt.IsZero() {
		s += "，本机关已于" + dateText(c.AcceptedAt) + "受理"
	}
	if c.Outcome == Deny {
		return s + "。经审查，申请不符合法定条件、标准，理由如下："
	}
	return s + "。经审查，申请符合法定条件、标准。"
}

func (c *Case) decisionConclusion() string {
	if c.Outcome == Deny {
		if c.licence() {
			return c.law("第三十八条第二款") + "本机关决定不予行政许可。"
		}
		return "本机关决定不予办理。"
	}
	if c.licence() {
		return c.law("第三十八条第一款") + "本机关决定准予行政许可。"
	}
	return "本机关决定准予办理。"
}

// resultNext says how the decision's result reaches the applicant.
func (c *Case) resultNext() string {
	if c.Kind == catalog.Instant {
		return "办理结果当场送达。"
	}
	if c.Delivery.Method == Mail {
		return "办理结果将由综合出件窗口邮寄至" + c.Applicant.you() + "收件时填写的地址，寄出后另行通知。"
	}
	return "办理结果可领取时另行通知，请凭身份证件到综合出件窗口领取。"
}

// remedies tells the applicant of a refusal how to challenge it, with the
// time limits (行政复议法 art. 20: 60 days; 行政诉讼法 art. 46: six months),
// before the district's people's government (or, unnamed, the government
// at the department's level).
func remedies(district string) string {
	gov := "本级人民政府"
	if district != "" {
		gov = district + "人民政府"
	}
	return "如不服本决定，可以自收到本决定书之日起六十日内向" + gov + "申请行政复议，" +
		"或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。"
}

// DeskWords says through which desk an event came, as people read it: the
// hall's name for a desk at a hall (hallName turns a hall code into its
// name), never the channel's code or the hall's.
func DeskWords(desk string, hallName func(code string) string) string {
	kind, place, _ := strings.Cut(desk, ":")
	where := ""
	if place != "" && place != "agent" && hallName != nil {
		where = hallName(place)
	}
	var words string
	switch kind {
	case "system":
		return "系统自动"
	case "online":
		return "网上办事大厅"
	case "demo":
		return "演示数据"
	case "api":
		words = "部门业务系统接口"
	case "window":
		words = "窗口"
	case "web":
		words = "工作台"
	default:
		words = "其他渠道"
	}
	if place == "agent" {
		words = "代办员" + words
	}
	if where != "" {
		return where + " " + words
	}
	return words
}
