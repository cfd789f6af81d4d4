package service_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// lastDoc returns the case's last document of kind, read back from the
// store.
func lastDoc(t *testing.T, svc *service.Service, ctx context.Context, number string, kind casework.DocKind) casework.Document {
	t.Helper()
	v, err := svc.Case(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(v.Documents) - 1; i >= 0; i-- {
		if v.Documents[i].Kind == kind {
			return v.Documents[i]
		}
	}
	t.Fatalf("case %s has no %s", number, kind)
	return casework.Document{}
}

// TestWrittenDecisions: acceptance, refusal to accept and the decision
// each issue their written decision, numbered per kind and year in the
// step's transaction and in the decider's real name; a refusal needs its
// reason, and a decision is previewed and confirmed before it is final.
func TestWrittenDecisions(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		rev := as["shenpi"]
		take := func() string {
			v, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
			if err != nil {
				t.Fatal(err)
			}
			return v.Case.Number
		}
		a, b, c := take(), take(), take()
		for _, n := range []string{a, b} {
			if _, err := svc.Act(rev, n, casework.ActAccept, casework.Input{}, 0); err != nil {
				t.Fatal(err)
			}
		}
		notice := lastDoc(t, svc, rev, b, casework.AcceptanceNotice)
		var ad casework.AcceptanceData
		if err := json.Unmarshal(notice.Data, &ad); err != nil {
			t.Fatal(err)
		}
		if first := lastDoc(t, svc, rev, a, casework.AcceptanceNotice); first.Number != "江川受字〔2026〕第000001号" || notice.Number != "江川受字〔2026〕第000002号" {
			t.Errorf("acceptance numbers %q, %q", first.Number, notice.Number)
		}
		if ad.AcceptedByName != "王建国" || ad.AcceptedBy != "shenpi" {
			t.Errorf("acceptance notice names %q (%q)", ad.AcceptedByName, ad.AcceptedBy)
		}

		// Refusing to accept: the reason first, then the confirmation.
		cv, _ := svc.Case(rev, c)
		_, err := svc.Act(rev, c, casework.ActRefuseAcceptance, casework.Input{Confirm: true}, 0)
		if apperr.CodeOf(err) != apperr.Invalid || len(apperr.FieldsOf(err)) != 1 || apperr.FieldsOf(err)[0].Field != "reason" {
			t.Fatalf("refusal without reason: %v %+v", err, apperr.FieldsOf(err))
		}
		_, err = svc.Act(rev, c, casework.ActRefuseAcceptance, casework.Input{Reason: "申请事项依法不需要取得行政许可"}, 0)
		if apperr.CodeOf(err) != apperr.Invalid || apperr.FieldsOf(err)[0].Field != "confirm" {
			t.Fatalf("refusal not confirmed: %v", err)
		}
		_, err = svc.PreviewDecision(rev, c, casework.ActRefuseAcceptance, casework.Input{}, cv.Case.Version)
		if apperr.CodeOf(err) != apperr.Invalid || apperr.FieldsOf(err)[0].Field != "reason" {
			t.Fatalf("preview without reason: %v", err)
		}
		p, err := svc.PreviewDecision(rev, c, casework.ActRefuseAcceptance, casework.Input{Reason: "申请事项依法不需要取得行政许可"}, cv.Case.Version)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Documents) != 1 || p.Documents[0].Kind != casework.NonAcceptance || p.Documents[0].Number != "" || p.StateLabel != "不予受理" ||
			!strings.Contains(string(p.Documents[0].Data), "江川区人民政府") {
			t.Errorf("preview %+v", p)
		}
		if _, err := svc.PreviewDecision(as["jiandu"], c, casework.ActRefuseAcceptance, casework.Input{Reason: "x"}, 0); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a supervisor previews: %v", err)
		}
		if _, err := svc.PreviewDecision(rev, c, casework.ActAccept, casework.Input{}, 0); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("preview of an acceptance: %v", err)
		}
		after, _ := svc.Case(rev, c)
		if after.Case.Version != cv.Case.Version || after.Case.State != casework.Received || len(after.Documents) != len(cv.Documents) {
			t.Fatalf("refusals or a preview changed the case: v%d %s, %d documents", after.Case.Version, after.Case.State, len(after.Documents))
		}
		v, err := svc.Act(rev, c, casework.ActRefuseAcceptance, casework.Input{Confirm: true, Reason: "申请事项依法不需要取得行政许可"}, cv.Case.Version)
		if err != nil {
			t.Fatal(err)
		}
		if v.StateLabel != "不予受理" || v.Case.State != casework.Terminated {
			t.Errorf("after refusal: %s %q", v.Case.State, v.StateLabel)
		}
		if d := lastDoc(t, svc, rev, c, casework.NonAcceptance); d.Number != "江川不受字〔2026〕第000001号" {
			t.Errorf("non-acceptance number %q", d.Number)
		}

		// The decision: a refusal without its reason is refused (coded,
		// naming the field), an unconfirmed one too; confirmed, it is
		// numbered in its own series.
		if _, err := svc.Act(rev, a, casework.ActHandover, casework.Input{}, 0); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Act(rev, a, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Deny}, 0)
		if apperr.CodeOf(err) != apperr.Invalid || apperr.FieldsOf(err)[0].Field != "reason" || apperr.MessageOf(err) != "不予许可须说明理由" {
			t.Fatalf("denial without reason: %v", err)
		}
		_, err = svc.Act(rev, a, casework.ActDecide, casework.Input{Outcome: casework.Deny, Reason: "经营场所与食品安全要求不符"}, 0)
		if apperr.FieldsOf(err) == nil || apperr.FieldsOf(err)[0].Field != "confirm" {
			t.Fatalf("denial not confirmed: %v", err)
		}
		if _, err := svc.Act(rev, a, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Deny, Reason: "经营场所与食品安全要求不符"}, 0); err != nil {
			t.Fatal(err)
		}
		d := lastDoc(t, svc, rev, a, casework.DenialDecision)
		var dd casework.DecisionData
		if err := json.Unmarshal(d.Data, &dd); err != nil {
			t.Fatal(err)
		}
		if d.Number != "江川不准字〔2026〕第000001号" || d.Title != "不予行政许可决定书" || dd.Reason != "经营场所与食品安全要求不符" ||
			dd.DecidedByName != "王建国" || !strings.Contains(dd.Remedies, "六十日") || !strings.Contains(dd.Remedies, "六个月") {
			t.Errorf("denial %q %q %+v", d.Number, d.Title, dd)
		}
	})
}

// TestCorrectedResultResubmitted: after the issuance desk refuses the
// result, the reviewer resubmits it corrected through the same use case.
func TestCorrectedResultResubmitted(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		v, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		n := v.Case.Number
		for _, s := range []struct {
			who string
			a   casework.Action
			in  casework.Input
		}{
			{"shenpi", casework.ActAccept, casework.Input{}},
			{"shenpi", casework.ActHandover, casework.Input{}},
			{"shenpi", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY13201200000007"}},
			{"shenpi", casework.ActSubmitResult, casework.Input{}},
			{"chujian", casework.ActRefuseResult, casework.Input{Reason: "证号末位与系统登记不一致"}},
		} {
			if _, err := svc.Act(as[s.who], n, s.a, s.in, 0); err != nil {
				t.Fatalf("%s: %v", s.a, err)
			}
		}
		v, err = svc.Act(as["shenpi"], n, casework.ActSubmitResult, casework.Input{ResultDocument: "食品经营许可证 JY13201200000008"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if v.Case.ResultDocument != "食品经营许可证 JY13201200000008" {
			t.Errorf("result %q", v.Case.ResultDocument)
		}
		var sheet casework.ResultSheetData
		if err := json.Unmarshal(lastDoc(t, svc, as["shenpi"], n, casework.ResultSheet).Data, &sheet); err != nil {
			t.Fatal(err)
		}
		if sheet.Document != "食品经营许可证 JY13201200000008" || sheet.Attempt != 2 {
			t.Errorf("second sheet %+v", sheet)
		}
	})
}

// TestSweepEndsOnlyWhatTheNoticeWarned: a case returned while its deferred
// materials are due is ended only after the time its correction notice
// stated, which on the eve of the National Day holiday is the next working
// day's close; a case not returned lapses at its pledged time.
func TestSweepEndsOnlyWhatTheNoticeWarned(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(time.Date(2026, 9, 29, 10, 0, 0, 0, clock.Shanghai))
		svc, as := hall(t, st, clk)
		take := func() string {
			in := foodApplication(casework.Pickup, "M04")
			in.DeferralDue = "2026-09-30"
			v, err := svc.Intake(as["shouli"], in)
			if err != nil {
				t.Fatal(err)
			}
			return v.Case.Number
		}
		returned, pledged := take(), take()
		clk.Set(time.Date(2026, 9, 30, 16, 0, 0, 0, clock.Shanghai))
		if _, err := svc.Act(as["shenpi"], returned, casework.ActReturn, casework.Input{Reason: returnReason, Corrections: []string{"M03"}}, 0); err != nil {
			t.Fatal(err)
		}
		var n casework.CorrectionData
		if err := json.Unmarshal(lastDoc(t, svc, as["shenpi"], returned, casework.CorrectionNotice).Data, &n); err != nil {
			t.Fatal(err)
		}
		due := time.Date(2026, 10, 8, 17, 0, 0, 0, clock.Shanghai)
		if len(n.Deadlines) != 1 || !n.Deadlines[0].At.Equal(due) || n.Deadlines[0].Consequence != casework.LapseConsequence || n.Terms == "" {
			t.Fatalf("correction notice states %+v %q", n.Deadlines, n.Terms)
		}
		v, _ := svc.Case(as["shenpi"], returned)
		if row := v.RunningRow("supply_by"); row == nil || !row.At.Equal(due) || row.Consequence != casework.LapseConsequence ||
			!strings.Contains(v.StateWords, "2026年10月8日 17:00") {
			t.Errorf("returned case shows %+v, %q", row, v.StateWords)
		}
		sweep := func(at time.Time, want int) {
			t.Helper()
			clk.Set(at)
			if done, err := svc.SweepLapsed(context.Background()); err != nil || done != want {
				t.Fatalf("sweep at %s: %d, %v; want %d", at, done, err, want)
			}
		}
		sweep(time.Date(2026, 10, 1, 9, 0, 0, 0, clock.Shanghai), 1) // the pledged one only
		if v, _ := svc.Case(as["shenpi"], pledged); v.Case.State != casework.Terminated {
			t.Errorf("pledged case: %s", v.Case.State)
		}
		sweep(time.Date(2026, 10, 5, 9, 0, 0, 0, clock.Shanghai), 0)
		sweep(time.Date(2026, 10, 8, 16, 59, 0, 0, clock.Shanghai), 0)
		if v, _ := svc.Case(as["shenpi"], returned); v.Case.State != casework.Returned {
			t.Fatalf("returned case ended early: %s", v.Case.State)
		}
		sweep(time.Date(2026, 10, 8, 17, 1, 0, 0, clock.Shanghai), 1)
		if v, _ := svc.Case(as["shenpi"], returned); v.Case.State != casework.Terminated || !v.Case.Lapsed() {
			t.Errorf("returned case after the notice's time: %s", v.Case.State)
		}
	})
}
