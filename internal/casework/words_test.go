package casework_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
)

// TestStateWordsKnowThePassedPreReview: the words people read about a
// case's state come from the case, which knows that a submitted case
// whose pre-review has passed waits for its paper, not for pre-review:
// its label, its sentence, an action refused on it, and the history row
// of the pass all say so.
func TestStateWordsKnowThePassedPreReview(t *testing.T) {
	h := submitOnline(t, promisedItem, at(2026, 3, 2, 9, 0))
	if got := h.c.StateLabel(); got != "待预审" {
		t.Errorf("submitted: label %q, want 待预审", got)
	}
	if got := h.c.StateWords(); !strings.Contains(got, "等待预审") {
		t.Errorf("submitted: words %q", got)
	}
	if got := h.events[0].StateLabel(); got != "待预审" {
		t.Errorf("the submission's history row reads %q", got)
	}
	h.do(casework.ActPassPreReview, casework.Input{}, reviewer("SCJG"))
	pass := h.events[len(h.events)-1]
	if h.c.State != casework.Submitted {
		t.Fatalf("after the pass the case is %s", h.c.State)
	}
	for what, got := range map[string]string{
		"label": h.c.StateLabel(), "words": h.c.StateWords(), "history row of the pass": pass.StateLabel(),
	} {
		if strings.Contains(got, "待预审") || strings.Contains(got, "等待预审") || !strings.Contains(got, "预审") {
			t.Errorf("passed pre-review: %s reads %q", what, got)
		}
	}
	if got := h.c.StateLabel(); got != "预审通过，待收件" {
		t.Errorf("passed pre-review: label %q", got)
	}
	_, _, err := casework.Apply(h.c, casework.ActDecide, validInput(casework.ActDecide), reviewer("SCJG"), env(h.now.Add(time.Minute)))
	if msg := err.Error(); !strings.Contains(msg, "「预审通过，待收件」") || strings.Contains(msg, "「待预审」") {
		t.Errorf("a decision on the passed case is refused with %q", msg)
	}
}

// TestDeadlineRows: every deadline the case has been set, in process
// order, each running one with its warning and words as the calendar
// counts them; those whose step has happened carry none.
func TestDeadlineRows(t *testing.T) {
	h := takeIn(t, promisedIntake(), at(2026, 3, 2, 10, 0)) // accept_by 3/4 17:00, handover_by 3/2 15:00
	now := at(2026, 3, 3, 9, 0)
	rows := h.c.DeadlineRows(cal, now)
	var names []string
	for _, r := range rows {
		names = append(names, r.Name)
	}
	if want := []string{"accept_by", "handover_by", "supply_by"}; !slices.Equal(names, want) {
		t.Fatalf("deadline rows %v, want %v", names, want)
	}
	for _, r := range rows {
		if !r.Running || r.Warning != cal.Warn(now, r.At) || r.Words != cal.DueWords(now, r.At) ||
			r.Label != casework.DeadlineLabel(r.Name) || r.WarningLabel != r.Warning.Label() {
			t.Errorf("row %+v does not stand as the calendar says", r)
		}
	}
	if rows[1].Warning != calendar.WarningRed || rows[1].Words != "已超期 1 个工作日" {
		t.Errorf("the handover, past due: %+v", rows[1])
	}
	if got := h.c.DueWords(cal, now); got != cal.DueWords(now, h.c.NextDue()) {
		t.Errorf("the list's words %q, want the earliest running deadline's", got)
	}
	// Accepted: accept_by has happened and stops running.
	h.doAt(at(2026, 3, 3, 10, 0), casework.ActAccept, casework.Input{}, reviewer("SCJG"))
	for _, r := range h.c.DeadlineRows(cal, at(2026, 3, 3, 11, 0)) {
		if r.Name == "accept_by" && (r.Running || r.Words != "" || r.Warning != "") {
			t.Errorf("accept_by after acceptance: %+v", r)
		}
		if r.Name == "decide_by" && (!r.Running || r.Words == "") {
			t.Errorf("decide_by after acceptance: %+v", r)
		}
	}
	// An instant case is due by the close of its day.
	instant := takeIn(t, instantIntake(instantItem), at(2026, 3, 2, 10, 0))
	if got := instant.c.DueWords(cal, at(2026, 3, 2, 10, 5)); got != "今天 17:00 截止" {
		t.Errorf("instant case: %q", got)
	}
	if got := casework.DeadlineLabel("finish_by"); got != "即办件当日办结期限" {
		t.Errorf("DeadlineLabel(finish_by) = %q", got)
	}
	if got := casework.DeadlineLabel("decide_by"); got != "办结期限" {
		t.Errorf("DeadlineLabel(decide_by) = %q", got)
	}
}

// TestDoneSaysWhatHappenedAndWhatStandsNow: the words a clerk reads after
// an action say what the action did and what the case waits for now, from
// the one place that knows the sub-states. A mailing leaves the result
// ready but in the post: it reads 已邮寄 … 等待妥投, never 待领取, in the
// flash, the state's label and the history row alike.
func TestDoneSaysWhatHappenedAndWhatStandsNow(t *testing.T) {
	in := promisedIntake()
	in.Delivery = mailTo()
	rev := reviewer("SCJG")
	h := takeIn(t, in, at(2026, 3, 2, 9, 30))
	if got := h.c.Done(casework.ActIntake); got != "已收件，等待部门受理" {
		t.Errorf("intake: %q", got)
	}
	h.doAt(at(2026, 3, 2, 10, 0), casework.ActAccept, casework.Input{}, rev)
	if got := h.c.Done(casework.ActAccept); got != "已受理，正在审查，容缺材料待补齐" {
		t.Errorf("accept with materials deferred: %q", got)
	}
	h.do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk)
	h.do(casework.ActHandover, casework.Input{}, rev)
	h.do(casework.ActPause, validInput(casework.ActPause), rev)
	if got, label := h.c.Done(casework.ActPause), h.c.StateLabel(); got != "已因现场踏勘暂停计时，期间不计入办理时限" || label != "已受理（暂停计时）" {
		t.Errorf("pause: %q, label %q", got, label)
	}
	h.do(casework.ActResume, casework.Input{}, rev)
	h.do(casework.ActDecide, validInput(casework.ActDecide), rev)
	if got := h.c.Done(casework.ActDecide); got != "已作出准予决定，等待提交办理结果" {
		t.Errorf("decide: %q", got)
	}
	h.do(casework.ActSubmitResult, casework.Input{}, rev)
	h.do(casework.ActRefuseResult, validInput(casework.ActRefuseResult), issuanceClerk)
	if got, row := h.c.Done(casework.ActRefuseResult), h.c.StateAfter(*h.lastEvent()); got != "已拒收办理结果，等待部门更正办理结果" || row != "已决定，结果待更正" {
		t.Errorf("refused result: %q, history row %q", got, row)
	}
	h.do(casework.ActSubmitResult, casework.Input{}, rev)
	h.do(casework.ActAcceptResult, casework.Input{}, issuanceClerk)
	if got, label := h.c.Done(casework.ActAcceptResult), h.c.StateLabel(); got != "已核验接收办理结果，等待邮寄" || label != "待邮寄" {
		t.Errorf("accepted result to mail: %q, label %q", got, label)
	}
	h.do(casework.ActMail, validInput(casework.ActMail), issuanceClerk)
	if h.c.State != casework.ResultReady {
		t.Fatalf("after mailing the case is %s", h.c.State)
	}
	mailed := map[string]string{"flash": h.c.Done(casework.ActMail), "label": h.c.StateLabel(), "history row": h.c.StateAfter(*h.lastEvent())}
	for what, got := range mailed {
		if strings.Contains(got, "待领取") || strings.Contains(got, "现为") {
			t.Errorf("mailed: the %s reads %q", what, got)
		}
	}
	if mailed["flash"] != "已邮寄（EMS 邮件号 EA123456789CN），等待妥投" || mailed["label"] != "已寄出，待妥投" || mailed["history row"] != "已寄出，待妥投" {
		t.Errorf("mailed: %v", mailed)
	}
	h.do(casework.ActConfirmDelivery, casework.Input{}, issuanceClerk)
	h.do(casework.ActArchive, casework.Input{}, issuanceClerk)
	if got := h.c.Done(casework.ActArchive); got != "已将送达回执归档，本件办结" {
		t.Errorf("archive: %q", got)
	}

	// An instant case finished in one flow says its three steps at once.
	instant := takeIn(t, instantIntake(instantItem), at(2026, 3, 2, 10, 0))
	steps, err := casework.InstantSteps(instant.c, casework.InstantFinish{Outcome: casework.Approve, ResultDocument: "证明一份"})
	if err != nil {
		t.Fatal(err)
	}
	var did []casework.Action
	for _, s := range steps {
		instant.do(s.Action, s.Input, intakeClerk)
		did = append(did, s.Action)
	}
	if got := instant.c.Done(did...); got != "已当场办结（准予）、已当场发证、已将送达回执归档，本件办结" {
		t.Errorf("instant finish: %q", got)
	}
}
