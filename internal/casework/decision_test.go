package casework_test

import (
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
)

// districtEnv is env with the demo district named: the written decisions'
// numbers and remedies name it.
func districtEnv(now time.Time) casework.Env {
	e := env(now)
	e.District = casework.DistrictOf("江川区政务服务中心")
	return e
}

// named is a reviewer with a real name.
func named(a casework.Actor, name string) casework.Actor { a.Name = name; return a }

// step applies one action in the district and returns its documents.
func step(t *testing.T, c *casework.Case, action casework.Action, in casework.Input, by casework.Actor, now time.Time) []casework.Document {
	t.Helper()
	ch, err := casework.Step(c, action, in, by, districtEnv(now))
	if err != nil {
		t.Fatalf("%s at %s: %v", action, now, err)
	}
	return ch.Documents
}

func TestDistrictAndSeries(t *testing.T) {
	for name, want := range map[string]string{"江川区政务服务中心": "江川区", "江川区滨河街道为民服务中心": "江川区", "某某县行政服务中心": "某某县", "政务服务中心": "", "": ""} {
		if got := casework.DistrictOf(name); got != want {
			t.Errorf("DistrictOf(%q) = %q, want %q", name, got, want)
		}
	}
	d := casework.Document{Series: casework.DocumentSeries(casework.AcceptanceNotice, "江川区", at(2026, 12, 31, 23, 30))}
	d.Numbered(123)
	if d.Number != "江川受字〔2026〕第000123号" {
		t.Errorf("number %q", d.Number)
	}
	// The year is Shanghai's: 16:30 UTC on New Year's Eve is already 2027.
	if s := casework.DocumentSeries(casework.DenialDecision, "江川区", time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC)); s != "江川不准字〔2027〕" {
		t.Errorf("series %q", s)
	}
	if s := casework.DocumentSeries(casework.ReceiptNotice, "江川区", at(2026, 3, 2, 9, 0)); s != "" {
		t.Errorf("a receipt notice is not numbered: %q", s)
	}
}

// TestAcceptanceNotice: accepting issues the 受理通知书 in the reviewer's
// real name, with its legal ground and the decision's due time.
func TestAcceptanceNotice(t *testing.T) {
	h := takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30))
	docs := step(t, h.c, casework.ActAccept, casework.Input{}, named(reviewer("SCJG"), "陈审批"), at(2026, 3, 2, 10, 0))
	if len(docs) != 1 || docs[0].Kind != casework.AcceptanceNotice || docs[0].Title != "受理通知书" || docs[0].Series != "江川受字〔2026〕" || docs[0].Number != "" {
		t.Fatalf("documents %+v", docs)
	}
	var d casework.AcceptanceData
	docData(t, docs[0], &d)
	if d.AcceptedByName != "陈审批" || d.Number != caseNumber || !d.DecideBy.Equal(h.c.Deadlines.DecideBy) || d.Applicant.IDNumber == companyCode {
		t.Errorf("acceptance notice %+v", d)
	}
	for _, want := range []string{"你单位于2026年3月2日", "第三十二条第一款第（五）项", "决定予以受理"} {
		if !strings.Contains(d.Body, want) {
			t.Errorf("body %q lacks %q", d.Body, want)
		}
	}
	if !strings.Contains(d.Notice, "2026年3月9日 17:00") {
		t.Errorf("notice %q does not say when the decision is due", d.Notice)
	}
}

// TestRefuseAcceptance: a decision not to accept needs its reason and a
// confirmation, ends the case as 不予受理 and gives the remedies in writing.
func TestRefuseAcceptance(t *testing.T) {
	rev := named(reviewer("SCJG"), "陈审批")
	h := takeIn(t, promisedIntake(), at(2026, 3, 2, 9, 30))
	before := cloneCase(h.c)
	now := at(2026, 3, 2, 10, 0)
	for _, tt := range []struct {
		name  string
		in    casework.Input
		field string
	}{
		{"no reason", casework.Input{Confirm: true}, "reason"},
		{"blank reason", casework.Input{Confirm: true, Reason: "  "}, "reason"},
		{"not confirmed", casework.Input{Reason: "不属于本机关职权范围"}, "confirm"},
	} {
		_, err := casework.Step(h.c, casework.ActRefuseAcceptance, tt.in, rev, districtEnv(now))
		wantField(t, err, tt.field)
		if h.c.State != casework.Received || h.c.Version != before.Version || h.c.NotAccepted() {
			t.Fatalf("%s: a refused step changed the case", tt.name)
		}
	}
	ch, err := casework.Step(h.c, casework.ActRefuseAcceptance, casework.Input{Confirm: true, Reason: "申请事项不属于本机关职权范围"}, rev, districtEnv(now))
	if err != nil {
		t.Fatal(err)
	}
	if h.c.State != casework.Terminated || h.c.StateLabel() != "不予受理" || !h.c.NotAccepted() || !strings.Contains(h.c.StateWords(), "不予受理") {
		t.Errorf("after refusal: %s %q %q", h.c.State, h.c.StateLabel(), h.c.StateWords())
	}
	if ch.Event.StateLabel() != "不予受理" || ch.Notice == nil || ch.Notice.Subject != "不予受理" || !strings.Contains(ch.Notice.Body, "不属于本机关职权范围") {
		t.Errorf("event %q, notice %+v", ch.Event.StateLabel(), ch.Notice)
	}
	if len(ch.Documents) != 1 || ch.Documents[0].Kind != casework.NonAcceptance || ch.Documents[0].Series != "江川不受字〔2026〕" {
		t.Fatalf("documents %+v", ch.Documents)
	}
	var d casework.NonAcceptanceData
	docData(t, ch.Documents[0], &d)
	if d.Reason != "申请事项不属于本机关职权范围" || d.DecidedByName != "陈审批" || !strings.Contains(d.Conclusion, "第三十二条") {
		t.Errorf("decision %+v", d)
	}
	for _, want := range []string{"六十日内向江川区人民政府申请行政复议", "六个月内依法向人民法院提起行政诉讼"} {
		if !strings.Contains(d.Remedies, want) {
			t.Errorf("remedies %q lack %q", d.Remedies, want)
		}
	}
	// Nothing lapses once the case has ended.
	if !h.c.LapseAt().IsZero() {
		t.Errorf("a closed case lapses at %s", h.c.LapseAt())
	}

	// Online: a fully online application may be refused at its pre-review;
	// any other is answered by the pre-review.
	full := submitOnline(t, fullyOnlineItem, at(2026, 3, 2, 9, 0))
	step(t, full.c, casework.ActRefuseAcceptance, casework.Input{Confirm: true, Reason: "占道位置不在许可范围"}, reviewer("CGJ"), at(2026, 3, 2, 10, 0))
	if full.c.StateLabel() != "不予受理" {
		t.Errorf("fully online: %q", full.c.StateLabel())
	}
	other := submitOnline(t, promisedItem, at(2026, 3, 2, 9, 0))
	_, err = casework.Step(other.c, casework.ActRefuseAcceptance, casework.Input{Confirm: true, Reason: "x"}, reviewer("SCJG"), districtEnv(now))
	wantCode(t, err, apperr.Conflict)
}

// TestDecisionDocuments: a decision issues its written decision; a refusal
// needs its reason, and every decision its confirmation.
func TestDecisionDocuments(t *testing.T) {
	rev := named(reviewer("SCJG"), "陈审批")
	h := ready(t, at(2026, 3, 2, 10, 0))
	now := at(2026, 3, 3, 10, 0)
	for _, tt := range []struct {
		name  string
		in    casework.Input
		field string
	}{
		{"refusal without reason", casework.Input{Confirm: true, Outcome: casework.Deny}, "reason"},
		{"refusal without reason or confirmation", casework.Input{Outcome: casework.Deny}, "reason"},
		{"refusal not confirmed", casework.Input{Outcome: casework.Deny, Reason: "经营场所不符合要求"}, "confirm"},
		{"approval not confirmed", casework.Input{Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY1"}, "confirm"},
	} {
		_, err := casework.Step(h.c, casework.ActDecide, tt.in, rev, districtEnv(now))
		wantField(t, err, tt.field)
		if h.c.State != casework.Accepted {
			t.Fatalf("%s: the case moved to %s", tt.name, h.c.State)
		}
	}
	deny := cloneCase(h.c)
	docs := step(t, h.c, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY1"}, rev, now)
	if len(docs) != 1 || docs[0].Kind != casework.ApprovalDecision || docs[0].Title != "准予行政许可决定书" || docs[0].Series != "江川准字〔2026〕" {
		t.Fatalf("documents %+v", docs)
	}
	var a casework.DecisionData
	docData(t, docs[0], &a)
	if a.Outcome != casework.Approve || a.ResultDocument != "食品经营许可证 JY1" || a.Remedies != "" || !strings.Contains(a.Conclusion, "第三十八条第一款") ||
		!strings.Contains(a.Body, "已于2026年3月2日受理") || a.DecidedByName != "陈审批" {
		t.Errorf("approval %+v", a)
	}

	// A refusal: its reason and remedies; the written decision is its result.
	docs = step(t, deny, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Deny, Reason: "经营场所不符合要求"}, rev, now)
	var d casework.DecisionData
	docData(t, docs[0], &d)
	if docs[0].Kind != casework.DenialDecision || docs[0].Title != "不予行政许可决定书" || d.Reason != "经营场所不符合要求" ||
		!strings.Contains(d.Conclusion, "第三十八条第二款") || !strings.Contains(d.Remedies, "行政复议") || !strings.Contains(d.Remedies, "行政诉讼") {
		t.Errorf("denial %s %+v", docs[0].Title, d)
	}
	if deny.ResultDocument != "不予行政许可决定书" {
		t.Errorf("a denial's result is %q", deny.ResultDocument)
	}

	// An instant item that is not a licence: its own titles, no 行政许可法.
	inst := takeIn(t, instantIntake(instantItem), at(2026, 3, 2, 9, 0))
	docs = step(t, inst.c, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "社会保障卡"}, intakeClerk, at(2026, 3, 2, 9, 10))
	docData(t, docs[0], &a)
	if docs[0].Title != "准予办理决定书" || strings.Contains(a.Conclusion, "行政许可法") || a.Notice != "办理结果当场送达。" {
		t.Errorf("instant: %q %+v", docs[0].Title, a)
	}
}

// TestCorrectedResult: after the issuance desk refuses a result, the
// reviewer resubmits it with the corrected text; before, the decision's
// text stands.
func TestCorrectedResult(t *testing.T) {
	rev := reviewer("SCJG")
	h := ready(t, at(2026, 3, 2, 10, 0))
	h.do(casework.ActDecide, validInput(casework.ActDecide), rev)
	_, err := casework.Step(h.c, casework.ActSubmitResult, casework.Input{ResultDocument: "食品经营许可证 JY999"}, rev, env(h.now.Add(time.Minute)))
	wantField(t, err, "result_document")
	h.do(casework.ActSubmitResult, casework.Input{ResultDocument: "食品经营许可证 JY123"}, rev) // the same text is no correction
	h.do(casework.ActRefuseResult, casework.Input{Reason: "证号与系统不一致"}, issuanceClerk)
	_, err = casework.Step(h.c, casework.ActSubmitResult, casework.Input{ResultDocument: strings.Repeat("证", 201)}, rev, env(h.now.Add(time.Minute)))
	wantField(t, err, "result_document")
	h.do(casework.ActSubmitResult, casework.Input{ResultDocument: " 食品经营许可证 JY124 "}, rev)
	if h.c.ResultDocument != "食品经营许可证 JY124" || h.c.Result != casework.ResultSubmitted {
		t.Fatalf("corrected result %q %s", h.c.ResultDocument, h.c.Result)
	}
	var sheet casework.ResultSheetData
	docData(t, h.docs[len(h.docs)-1][0], &sheet)
	if sheet.Document != "食品经营许可证 JY124" || sheet.Attempt != 2 {
		t.Errorf("sheet %+v", sheet)
	}
	if ev := h.events[len(h.events)-1]; !strings.Contains(string(ev.Details), "JY123") || !strings.Contains(string(ev.Details), "JY124") {
		t.Errorf("the record does not keep both texts: %s", ev.Details)
	}
}

// TestReturnedCaseLapsesOnlyAsWarned: the correction notice states the
// returned case's time limits and their consequences; the system ends a
// case only after the time the latest written notice gave, which, at a
// holiday's eve, is never a time already gone.
func TestReturnedCaseLapsesOnlyAsWarned(t *testing.T) {
	rev := reviewer("SCJG")
	intake := func() *history {
		in := promisedIntake()
		in.DeferralDue = "2026-09-30"
		return takeIn(t, in, at(2026, 9, 29, 10, 0))
	}
	lapse := func(c *casework.Case, now time.Time) error {
		_, err := casework.Step(cloneCase(c), casework.ActLapse, casework.Input{}, systemActor, env(now))
		return err
	}
	pledged := at(2026, 9, 30, 17, 0)

	// Returned the day before the pledged time: the notice restates it.
	h := intake()
	if w := h.c.LapseWarning; w == nil || !w.Due.Equal(pledged) || w.Document != casework.DeferralPledge || !h.c.LapseAt().Equal(pledged) {
		t.Fatalf("at intake: warning %+v", h.c.LapseWarning)
	}
	h.doAt(at(2026, 9, 29, 10, 30), casework.ActReturn, validInput(casework.ActReturn), rev)
	var n casework.CorrectionData
	docData(t, h.docs[len(h.docs)-1][0], &n)
	if len(n.Deadlines) != 1 || !n.Deadlines[0].At.Equal(pledged) || n.Deadlines[0].Consequence != casework.LapseConsequence ||
		!strings.Contains(n.Deadlines[0].Label, "食品安全管理人员任命文件") || !strings.Contains(n.Terms, "不会因逾期而终止办理") {
		t.Errorf("correction notice deadlines %+v terms %q", n.Deadlines, n.Terms)
	}
	if w := h.c.LapseWarning; w.Document != casework.CorrectionNotice || !h.c.LapseAt().Equal(pledged) {
		t.Errorf("warning %+v", w)
	}
	if words := h.c.StateWords(); !strings.Contains(words, "2026年9月30日 17:00") || !strings.Contains(words, casework.LapseConsequence) {
		t.Errorf("state words %q", words)
	}
	rows := h.c.DeadlineRows(cal, at(2026, 9, 30, 9, 0))
	if len(rows) == 0 || rows[len(rows)-1].Name != "supply_by" || rows[len(rows)-1].Consequence != casework.LapseConsequence {
		t.Errorf("deadline rows %+v", rows)
	}
	wantCode(t, lapse(h.c, at(2026, 9, 30, 16, 59)), apperr.Conflict)
	if err := lapse(h.c, at(2026, 10, 1, 9, 0)); err != nil {
		t.Errorf("warned in writing, overdue on a holiday: %v", err)
	}

	// Returned an hour before the pledged time, on the eve of the National
	// Day holiday: the notice gives the next working day's close.
	h = intake()
	h.doAt(at(2026, 9, 30, 16, 0), casework.ActReturn, validInput(casework.ActReturn), rev)
	docData(t, h.docs[len(h.docs)-1][0], &n)
	moved := at(2026, 10, 8, 17, 0)
	if len(n.Deadlines) != 1 || !n.Deadlines[0].At.Equal(moved) || !h.c.Deadlines.SupplyBy.Equal(moved) || !h.c.LapseAt().Equal(moved) {
		t.Fatalf("at the holiday's eve: notice %+v, supply_by %s", n.Deadlines, h.c.Deadlines.SupplyBy)
	}
	for _, now := range []time.Time{at(2026, 9, 30, 17, 1), at(2026, 10, 5, 9, 0), at(2026, 10, 8, 17, 0)} {
		wantCode(t, lapse(h.c, now), apperr.Conflict)
	}
	if err := lapse(h.c, at(2026, 10, 8, 17, 1)); err != nil {
		t.Errorf("past the notice's time: %v", err)
	}

	// A case returned before notices stated it (no warning kept since its
	// return) is never ended by the system, however late.
	h = intake()
	h.doAt(at(2026, 9, 29, 10, 30), casework.ActReturn, validInput(casework.ActReturn), rev)
	h.c.LapseWarning = nil
	if !h.c.LapseAt().IsZero() || h.c.DeadlineConsequence("supply_by") != "" {
		t.Errorf("unwarned: lapses at %s", h.c.LapseAt())
	}
	err := lapse(h.c, at(2026, 12, 1, 9, 0))
	wantCode(t, err, apperr.Conflict)
	if !strings.Contains(apperr.MessageOf(err), "书面告知") {
		t.Errorf("refusal %q", apperr.MessageOf(err))
	}
	// One never returned keeps its pledge's warning.
	h = intake()
	h.c.LapseWarning = nil
	if !h.c.LapseAt().Equal(pledged) {
		t.Errorf("pledged only: lapses at %s", h.c.LapseAt())
	}
}
