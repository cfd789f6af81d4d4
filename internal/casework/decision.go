package casework

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
)

// The written decisions: the acceptance notice (受理通知书), the decision
// not to accept (不予受理决定书) and the decision on the application
// (准予/不予行政许可决定书), each numbered in its own series per year, and
// what the applicant is told in writing of their deferred materials. Their
// words are in words.go.

// NeedsConfirm reports whether the action issues a written decision that
// must be confirmed as it will be printed before it is taken: without
// Input.Confirm the step is refused and changes nothing.
func NeedsConfirm(action Action) bool {
	return action == ActDecide || action == ActRefuseAcceptance
}

// AcceptanceData is what an acceptance notice (受理通知书) shows.
type AcceptanceData struct {
	Number         string    `json:"number"`
	Applicant      Party     `json:"applicant"` // masked
	Item           string    `json:"item"`
	ItemCode       string    `json:"item_code"`
	Department     string    `json:"department"`
	AppliedAt      time.Time `json:"applied_at"`
	AcceptedAt     time.Time `json:"accepted_at"`
	AcceptedBy     string    `json:"accepted_by"`
	AcceptedByName string    `json:"accepted_by_name"`
	PromisedDays   int       `json:"promised_days"`
	DecideBy       time.Time `json:"decide_by"`
	Body           string    `json:"body"`   // the decision to accept, with its legal ground
	Notice         string    `json:"notice"` // what comes next, and when
}

// NonAcceptanceData is what a decision not to accept (不予受理决定书) shows.
type NonAcceptanceData struct {
	Number        string    `json:"number"`
	Applicant     Party     `json:"applicant"` // masked
	Item          string    `json:"item"`
	ItemCode      string    `json:"item_code"`
	Department    string    `json:"department"`
	AppliedAt     time.Time `json:"applied_at"`
	DecidedAt     time.Time `json:"decided_at"`
	DecidedBy     string    `json:"decided_by"`
	DecidedByName string    `json:"decided_by_name"`
	Reason        string    `json:"reason"`
	Body          string    `json:"body"`       // before the reason
	Conclusion    string    `json:"conclusion"` // the decision, with its legal ground
	Remedies      string    `json:"remedies"`   // 行政复议 and 行政诉讼, with their time limits
}

// DecisionData is what a decision on the application (准予/不予行政许可决定书)
// shows.
type DecisionData struct {
	Number         string    `json:"number"`
	Applicant      Party     `json:"applicant"` // masked
	Item           string    `json:"item"`
	ItemCode       string    `json:"item_code"`
	Department     string    `json:"department"`
	Outcome        Outcome   `json:"outcome"`
	AppliedAt      time.Time `json:"applied_at"`
	AcceptedAt     time.Time `json:"accepted_at,omitzero"`
	DecidedAt      time.Time `json:"decided_at"`
	DecidedBy      string    `json:"decided_by"`
	DecidedByName  string    `json:"decided_by_name"`
	Reason         string    `json:"reason,omitempty"`
	ResultDocument string    `json:"result_document"`
	Body           string    `json:"body"`       // before the reason
	Conclusion     string    `json:"conclusion"` // the decision, with its legal ground
	Remedies       string    `json:"remedies"`
	Notice         string    `json:"notice"` // how the result reaches the applicant
}

// WrittenWarning is a consequence the applicant was told of in writing:
// what follows (Consequence) once Due has passed, and the document that
// said so, issued At.
type WrittenWarning struct {
	Due         time.Time `json:"due"`
	Consequence string    `json:"consequence"`
	Document    DocKind   `json:"document"`
	At          time.Time `json:"at"`
}

// ReturnSupplyDays is the least time, in working days after a return, the
// correction notice leaves the applicant to supply deferred materials: a
// pledged due time sooner than that moves to the close of that day, so
// that a notice handed over at the end of a day (before a holiday, say)
// never gives a time already gone.
const ReturnSupplyDays = 1

// LapseAt returns the time after which the case ends because its deferred
// materials are still missing, as the applicant was last told in writing
// (the deferral pledge, or the correction notice of a later return); zero
// when nothing in writing warned of it or nothing is outstanding. A case
// from before the warning was kept lapses at its pledged time unless it
// was returned since (its correction notice said nothing of it).
func (c *Case) LapseAt() time.Time {
	if !c.DeferredOutstanding() || c.Deadlines.SupplyBy.IsZero() || c.State.Closed() {
		return time.Time{}
	}
	if w := c.LapseWarning; w != nil {
		if w.Due.After(c.Deadlines.SupplyBy) {
			return w.Due
		}
		return c.Deadlines.SupplyBy
	}
	if c.Returns == 0 {
		return c.Deadlines.SupplyBy
	}
	return time.Time{}
}

// NotAccepted reports whether the department decided not to accept the
// case (不予受理).
func (c *Case) NotAccepted() bool { return !c.NotAcceptedAt.IsZero() }

// licence reports whether the case's item is a licence (行政许可): its
// written decisions cite 行政许可法.
func (c *Case) licence() bool { return c.ItemType == "" || c.ItemType == catalog.Licence }

// appliedAt is when the application arrived: online, or at the desk.
func (c *Case) appliedAt() time.Time {
	if !c.SubmittedAt.IsZero() {
		return c.SubmittedAt
	}
	return c.ReceivedAt
}

// written returns a numbered document of kind issued now: its series is
// the district's short name, the kind's word and the year (DocumentSeries).
func (t *transition) written(kind DocKind, data any) Document {
	d := newDocument(kind, t.env.Now, data)
	d.Series = DocumentSeries(kind, t.env.District, t.env.Now)
	d.Title = t.c.DocumentTitle(kind)
	return d
}

// DocumentTitle returns the title of a document of kind for the case: a
// decision on an item that is not a licence is not a 行政许可决定书.
func (c *Case) DocumentTitle(kind DocKind) string {
	if !c.licence() {
		switch kind {
		case ApprovalDecision:
			return "准予办理决定书"
		case DenialDecision:
			return "不予办理决定书"
		}
	}
	return kind.Label()
}

// DocumentSeries returns the stem of the numbers of kind's documents issued
// at in the district: 江川受字〔2026〕. Every stem is one counter, so each
// kind is numbered from 1 each year (Asia/Shanghai), district-wide: the
// hall issues every department's documents through one window.
func DocumentSeries(kind DocKind, district string, at time.Time) string {
	var word string
	switch kind {
	case AcceptanceNotice:
		word = "受"
	case NonAcceptance:
		word = "不受"
	case ApprovalDecision:
		word = "准"
	case DenialDecision:
		word = "不准"
	default:
		return ""
	}
	return districtShort(district) + word + "字〔" + at.In(clock.Shanghai).Format("2006") + "〕"
}

// Numbered gives the document the n-th number of its series.
func (d *Document) Numbered(n int64) {
	d.Number = fmt.Sprintf("%s第%06d号", d.Series, n)
}

// DistrictOf returns the district a hall's name begins with: 江川区 of
// 江川区政务服务中心; "" when the name names none.
func DistrictOf(hallName string) string {
	r := []rune(hallName)
	for i := 2; i < len(r); i++ {
		switch r[i] {
		case '区', '县', '市', '旗':
			return string(r[:i+1])
		}
	}
	return ""
}

// districtShort is the district's name without its last character (江川 of
// 江川区), as document numbers begin.
func districtShort(district string) string {
	r := []rune(district)
	if len(r) < 3 {
		return district
	}
	return string(r[:len(r)-1])
}

func (t *transition) confirmed(kind DocKind) error {
	if !t.in.Confirm {
		return apperr.Field("confirm", "请先核对将要出具的《"+t.c.DocumentTitle(kind)+"》，确认后决定方生效（confirm: true）")
	}
	return nil
}

// acceptanceNotice is the 受理通知书 of an acceptance just made.
func (t *transition) acceptanceNotice() Document {
	c := t.c
	return t.written(AcceptanceNotice, AcceptanceData{
		Number: c.Number, Applicant: c.Applicant.Masked(), Item: c.ItemName, ItemCode: c.ItemCode, Department: c.DepartmentCode,
		AppliedAt: c.appliedAt(), AcceptedAt: t.env.Now, AcceptedBy: t.a.Username, AcceptedByName: t.a.realName(),
		PromisedDays: c.PromisedDays, DecideBy: c.Deadlines.DecideBy,
		Body: c.acceptanceBody(), Notice: c.acceptanceNext(),
	})
}

// refuseAcceptance ends the case with a decision not to accept it, which
// must give its reason and is confirmed as printed.
func (t *transition) refuseAcceptance() error {
	c := t.c
	reason, err := t.reason(false)
	if err != nil {
		return err
	}
	if reason == "" {
		return apperr.Field("reason", "不予受理须说明理由")
	}
	if err := t.confirmed(NonAcceptance); err != nil {
		return err
	}
	due := c.Deadlines.AcceptBy
	if c.State == Submitted {
		due = c.Deadlines.PreReviewBy
	}
	t.details["on_time"] = t.onTime(due)
	c.NotAcceptedAt, c.CloseReason = t.env.Now, "不予受理："+reason
	t.docs = append(t.docs, t.written(NonAcceptance, NonAcceptanceData{
		Number: c.Number, Applicant: c.Applicant.Masked(), Item: c.ItemName, ItemCode: c.ItemCode, Department: c.DepartmentCode,
		AppliedAt: c.appliedAt(), DecidedAt: t.env.Now, DecidedBy: t.a.Username, DecidedByName: t.a.realName(),
		Reason: reason, Body: c.nonAcceptanceBody(), Conclusion: c.nonAcceptanceConclusion(), Remedies: remedies(t.env.District),
	}))
	return nil
}

// decisionDocument is the written decision of a decision just made.
func (t *transition) decisionDocument() Document {
	c := t.c
	kind := ApprovalDecision
	if c.Outcome == Deny {
		kind = DenialDecision
	}
	d := DecisionData{
		Number: c.Number, Applicant: c.Applicant.Masked(), Item: c.ItemName, ItemCode: c.ItemCode, Department: c.DepartmentCode,
		Outcome: c.Outcome, AppliedAt: c.appliedAt(), AcceptedAt: c.AcceptedAt, DecidedAt: t.env.Now,
		DecidedBy: t.a.Username, DecidedByName: t.a.realName(), Reason: c.DecisionReason, ResultDocument: c.ResultDocument,
		Body: c.decisionBody(), Conclusion: c.decisionConclusion(), Notice: c.resultNext(),
	}
	if c.Outcome == Deny {
		d.Remedies = remedies(t.env.District)
	}
	return t.written(kind, d)
}

// correctResult takes a corrected result document with a result
// resubmitted after the issuance desk refused it (R9): the text fixed at
// the decision is what was wrong. Before a refusal it stays the decision's.
func (t *transition) correctResult() error {
	c := t.c
	doc := strings.TrimSpace(t.in.ResultDocument)
	if doc == "" || doc == c.ResultDocument {
		return nil
	}
	if c.Result != ResultRefused {
		return apperr.Field("result_document", "结果文书在作出决定时确定；出件窗口拒收结果后方可更正")
	}
	if utf8.RuneCountInString(doc) > 200 {
		return apperr.Field("result_document", "请填写结果文书或证照名称及编号（不超过 200 个字）")
	}
	t.details["result_document"] = doc
	t.details["result_document_before"] = c.ResultDocument
	c.ResultDocument = doc
	return nil
}

// returnDeadlines states the returned case's time limits on its
// correction notice, and makes the notice the written warning the case
// may lapse by: deferred materials still missing keep their pledged due
// time, but never less than ReturnSupplyDays after the return.
func (t *transition) returnDeadlines() []NoticeDeadline {
	c := t.c
	if !c.DeferredOutstanding() || c.Deadlines.SupplyBy.IsZero() {
		return nil
	}
	due := c.Deadlines.SupplyBy
	if least := t.env.Cal.AddWorkingDays(t.env.Now, ReturnSupplyDays); due.Before(least) {
		due = least
		c.Deadlines.SupplyBy = due
	}
	t.details["supply_by"] = due
	c.LapseWarning = &WrittenWarning{Due: due, Consequence: LapseConsequence, Document: CorrectionNotice, At: t.env.Now}
	var names []string
	for _, m := range c.Materials {
		if m.Status == Deferred {
			names = append(names, m.Name)
		}
	}
	return []NoticeDeadline{{Label: "补齐容缺材料（" + strings.Join(names, "、") + "）", At: due, Consequence: LapseConsequence}}
}
