package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/network"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// streetIssuance is 吴婷 (shouli2) at her street centre's issuance desk.
func streetIssuance(t *testing.T, svc *service.Service, as map[string]context.Context) context.Context {
	t.Helper()
	u, err := svc.SwitchDesk(as["shouli2"], "issuance")
	if err != nil {
		t.Fatal(err)
	}
	return service.WithUser(context.Background(), u)
}

// decidedForBinhe takes a food licence in at the district hall to be
// collected at 滨河街道为民服务中心 and has the department decide it.
func decidedForBinhe(t *testing.T, svc *service.Service, as map[string]context.Context) string {
	t.Helper()
	in := foodApplication(casework.Pickup)
	in.PickupHall = demo.BinheHall
	v, err := svc.Intake(as["shouli"], in)
	if err != nil {
		t.Fatal(err)
	}
	if v.Case.PickupHall != demo.BinheHall || v.Case.PaperInTransit() {
		t.Fatalf("intake: pickup %q, paper transit %+v", v.Case.PickupHall, v.Case.Transit)
	}
	for _, step := range wholeCase[:3] {
		if _, err := svc.Act(as[step.who], v.Case.Number, step.action, step.in, 0); err != nil {
			t.Fatalf("%s: %v", step.action, err)
		}
	}
	return v.Case.Number
}

// onTab reports whether case number is on a desk's tab for the viewer.
func onTab(t *testing.T, svc *service.Service, ctx context.Context, desk service.Desk, dept, tab, number string) bool {
	t.Helper()
	p, err := svc.DeskCases(ctx, desk, dept, tab)
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(p.Cases, func(v *service.CaseView) bool { return v.Case.Number == number })
}

func eventTypes(v *service.CaseView) []casework.Action {
	var out []casework.Action
	for _, e := range v.Events {
		out = append(out, e.Type)
	}
	return out
}

// TestResultTravelsToThePickupHall: a district department's result for a
// case collected at a street centre waits at the district hall's issuance
// desk for its run (a Friday's 15:00 cut-off), travels in a batch signed
// out only at the district hall and in only at the street's issuance desk;
// until then the street's check of the result is refused with where the
// result is. Collected at the street, the receipt travels back; R12 runs
// from its arrival and the department archives it. A damaged receipt goes
// back and waits again; every step at the wrong hall or desk is a 403.
func TestResultTravelsToThePickupHall(t *testing.T) {
	clk := clock.At(shAt("2026-12-07 09:00:00"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(shAt("2026-12-07 09:00:00")) // a Monday
		svc, as := hall(t, st, clk)
		street, district, dept := streetIssuance(t, svc, as), as["chujian"], as["shenpi"]
		first, second := decidedForBinhe(t, svc, as), decidedForBinhe(t, svc, as)

		clk.Set(shAt("2026-12-11 14:59:59")) // a Friday, a second before the cut-off
		if _, err := svc.Act(dept, first, casework.ActSubmitResult, casework.Input{}, 0); err != nil {
			t.Fatal(err)
		}
		clk.Set(shAt("2026-12-11 15:00:00"))
		if _, err := svc.Act(dept, second, casework.ActSubmitResult, casework.Input{}, 0); err != nil {
			t.Fatal(err)
		}
		v, err := svc.Case(dept, first)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Case.ResultInTransit() || v.Case.ResultTransit.From != demo.DistrictHall || v.Case.ResultTransit.To != demo.BinheHall ||
			v.PickupHallName != "江川区滨河街道为民服务中心" {
			t.Fatalf("submitted: %+v, pickup %q", v.Case.ResultTransit, v.PickupHallName)
		}

		// The street's issuance desk sees it coming, not to check.
		if !onTab(t, svc, street, service.IssuanceDesk, "", "coming", first) || onTab(t, svc, street, service.IssuanceDesk, "", "check", first) {
			t.Error("the result on its way belongs on the street desk's 结果在途 tab")
		}

		// The street cannot check a result that is not there; the district
		// hall's desk may not check one collected at the street.
		_, err = svc.Act(street, first, casework.ActAcceptResult, casework.Input{}, 0)
		wantErrCode(t, err, apperr.Conflict)
		if msg := apperr.MessageOf(err); !strings.Contains(msg, "江川区政务服务中心综合出件窗口") || !strings.Contains(msg, "等待编入") {
			t.Fatalf("refusal says: %s", msg)
		}
		_, err = svc.Act(district, first, casework.ActAcceptResult, casework.Input{}, 0)
		wantErrCode(t, err, apperr.Forbidden)
		if msg := apperr.MessageOf(err); !strings.Contains(msg, "江川区滨河街道为民服务中心") || !strings.Contains(msg, "江川区政务服务中心") {
			t.Fatalf("wrong hall says: %s", msg)
		}
		// Results are the issuance desks' cargo.
		_, err = svc.WaitingAtMyHall(as["shouli"], network.Result)
		wantErrCode(t, err, apperr.Forbidden)
		_, err = svc.PrepareBatch(as["shouli"], service.PrepareBatchInput{Cargo: network.Result, To: demo.BinheHall, Confirm: true})
		wantErrCode(t, err, apperr.Forbidden)

		w, err := svc.WaitingAtMyHall(district, network.Result)
		if err != nil {
			t.Fatal(err)
		}
		runs := runsOf(w)
		if !runs[first].Equal(shAt("2026-12-14 10:00:00")) || !runs[second].Equal(shAt("2026-12-15 10:00:00")) || w.Results == "" {
			t.Fatalf("result runs: %v (%q)", runs, w.Results)
		}

		clk.Set(shAt("2026-12-11 16:00:00"))
		_, err = svc.PrepareBatch(street, service.PrepareBatchInput{Cargo: network.Result, To: demo.DistrictHall, Confirm: true})
		wantErrCode(t, err, apperr.Conflict) // nothing of the kind waits at the street
		b, err := svc.PrepareBatch(district, service.PrepareBatchInput{Cargo: network.Result, To: demo.BinheHall, Confirm: true})
		if err != nil {
			t.Fatal(err)
		}
		if b.Cargo != network.Result || len(b.Entries) != 1 || b.Entries[0].Case != first || !b.Run.Equal(shAt("2026-12-14 10:00:00")) ||
			b.Entries[0].Materials[0].Code != network.ResultCode || !strings.Contains(b.Entries[0].Materials[0].Name, "JY13201200000001") {
			t.Fatalf("result batch: %+v", b)
		}
		_, err = svc.Act(street, first, casework.ActAcceptResult, casework.Input{}, 0)
		if msg := apperr.MessageOf(err); !strings.Contains(msg, b.Number) {
			t.Fatalf("refusal after batching says: %s", msg)
		}
		_, err = svc.SignOutBatch(street, b.Number, service.SignOutInput{Courier: "王师傅", Confirm: true})
		wantErrCode(t, err, apperr.Forbidden)
		clk.Set(shAt("2026-12-14 09:30:00"))
		if _, err := svc.SignOutBatch(district, b.Number, service.SignOutInput{Courier: "王师傅", Confirm: true}); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Act(street, first, casework.ActAcceptResult, casework.Input{}, 0)
		if msg := apperr.MessageOf(err); !strings.Contains(msg, "途中") || !strings.Contains(msg, "王师傅") {
			t.Fatalf("refusal on the road says: %s", msg)
		}
		clk.Set(shAt("2026-12-14 10:20:00"))
		_, err = svc.SignInBatch(district, b.Number, service.SignInInput{Confirm: true})
		wantErrCode(t, err, apperr.Forbidden) // only the receiving hall
		_, err = svc.SignInBatch(as["shouli2"], b.Number, service.SignInInput{Confirm: true})
		wantErrCode(t, err, apperr.Forbidden) // the street's intake desk does not move results
		if _, err := svc.SignInBatch(street, b.Number, service.SignInInput{Confirm: true}); err != nil {
			t.Fatal(err)
		}

		// At the street: checked, handed over against the receipt.
		if _, err := svc.Act(street, first, casework.ActAcceptResult, casework.Input{}, 0); err != nil {
			t.Fatalf("accept-result after arrival: %v", err)
		}
		clk.Set(shAt("2026-12-14 11:00:00"))
		v, err = svc.Act(street, first, casework.ActDeliver, wholeCase[5].in, 0)
		if err != nil {
			t.Fatal(err)
		}
		if v.Case.State != casework.Delivered || !v.Case.ReceiptInTransit() || !v.Case.Deadlines.ArchiveBy.IsZero() {
			t.Fatalf("delivered: %+v %+v", v.Case.ReceiptTransit, v.Case.Deadlines)
		}
		_, err = svc.Act(dept, first, casework.ActArchive, casework.Input{}, 0)
		wantErrCode(t, err, apperr.Conflict) // the receipt is on its way
		_, err = svc.Act(street, first, casework.ActArchive, casework.Input{}, 0)
		wantErrCode(t, err, apperr.Conflict) // the department archives a receipt that travels

		// The receipt goes back on the street's run; it arrives damaged
		// and comes back; the next batch brings it whole.
		w, err = svc.WaitingAtMyHall(street, network.Receipt)
		if err != nil {
			t.Fatal(err)
		}
		if runs := runsOf(w); !runs[first].Equal(shAt("2026-12-15 10:00:00")) || w.Receipts == "" {
			t.Fatalf("receipt runs: %v", runs)
		}
		rb, err := svc.PrepareBatch(street, service.PrepareBatchInput{Cargo: network.Receipt, To: demo.DistrictHall, Confirm: true})
		if err != nil {
			t.Fatal(err)
		}
		clk.Set(shAt("2026-12-15 09:30:00"))
		if _, err := svc.SignOutBatch(street, rb.Number, service.SignOutInput{Courier: "王师傅", Confirm: true}); err != nil {
			t.Fatal(err)
		}
		clk.Set(shAt("2026-12-15 10:10:00"))
		_, err = svc.SignInBatch(as["shouli"], rb.Number, service.SignInInput{Confirm: true})
		wantErrCode(t, err, apperr.Forbidden) // the district's intake desk does not move receipts
		if _, err := svc.SignInBatch(district, rb.Number, service.SignInInput{Confirm: true,
			Problems: []network.Problem{{Case: first, Material: network.ReceiptCode, Kind: network.Damaged, Note: "雨淋"}}}); err != nil {
			t.Fatal(err)
		}
		w, err = svc.WaitingAtMyHall(street, network.Receipt)
		if err != nil {
			t.Fatal(err)
		}
		if runs := runsOf(w); runs[first].IsZero() {
			t.Fatalf("the receipt sent back waits again: %v", runs)
		}
		rb2, err := svc.PrepareBatch(street, service.PrepareBatchInput{Cargo: network.Receipt, To: demo.DistrictHall, Confirm: true})
		if err != nil {
			t.Fatal(err)
		}
		clk.Set(shAt("2026-12-16 09:30:00"))
		if _, err := svc.SignOutBatch(street, rb2.Number, service.SignOutInput{Courier: "王师傅", Confirm: true}); err != nil {
			t.Fatal(err)
		}
		clk.Set(shAt("2026-12-16 10:15:00")) // a Wednesday
		if _, err := svc.SignInBatch(district, rb2.Number, service.SignInInput{Confirm: true}); err != nil {
			t.Fatal(err)
		}
		v, err = svc.Case(dept, first)
		if err != nil {
			t.Fatal(err)
		}
		if v.Case.ReceiptInTransit() || !v.Case.Deadlines.ArchiveBy.Equal(shAt("2026-12-17 17:00:00")) || v.Case.ReceiptTransit.SentBack != 1 {
			t.Fatalf("receipt back: %+v %+v", v.Case.ReceiptTransit, v.Case.Deadlines)
		}
		if !onTab(t, svc, dept, service.DeptDesk, "SCJG", "archive", first) || onTab(t, svc, street, service.IssuanceDesk, "", "archive", first) {
			t.Error("the returned receipt belongs on the department desk's 回执待归档 tab, not the street's")
		}
		clk.Set(shAt("2026-12-17 16:00:00"))
		v, err = svc.Act(dept, first, casework.ActArchive, casework.Input{}, 0)
		if err != nil || v.Case.State != casework.Archived {
			t.Fatalf("the department archives: %v", err)
		}
		v, err = svc.Case(as["jiandu"], first)
		if err != nil {
			t.Fatal(err)
		}
		types := eventTypes(v)
		for _, want := range []casework.Action{casework.ActResultArrive, casework.ActReceiptSendBack, casework.ActReceiptArrive, casework.ActArchive} {
			if !slices.Contains(types, want) {
				t.Errorf("the timeline lacks %s: %v", want, types)
			}
		}
		if len(v.Journey) != 2 {
			t.Errorf("journey words: %q", v.Journey)
		}
	})
}

// TestResultSentBack: a result that arrives missing at the pickup hall is
// recorded against the batch and goes back to the district hall, where it
// waits for the next run; the pickup hall still may not check it.
func TestResultSentBack(t *testing.T) {
	clk := clock.At(shAt("2026-12-07 09:00:00"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(shAt("2026-12-07 09:00:00"))
		svc, as := hall(t, st, clk)
		street, district := streetIssuance(t, svc, as), as["chujian"]
		n := decidedForBinhe(t, svc, as)
		if _, err := svc.Act(as["shenpi"], n, casework.ActSubmitResult, casework.Input{}, 0); err != nil {
			t.Fatal(err)
		}
		b, err := svc.PrepareBatch(district, service.PrepareBatchInput{Cargo: network.Result, To: demo.BinheHall, Confirm: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SignOutBatch(district, b.Number, service.SignOutInput{Courier: "王师傅", Confirm: true}); err != nil {
			t.Fatal(err)
		}
		clk.Set(shAt("2026-12-08 10:10:00"))
		in, err := svc.SignInBatch(street, b.Number, service.SignInInput{Confirm: true,
			Problems: []network.Problem{{Case: n, Material: network.ResultCode, Kind: network.Missing}}})
		if err != nil || len(in.ProblemWords) != 1 {
			t.Fatalf("sign-in: %v %+v", err, in)
		}
		_, err = svc.Act(street, n, casework.ActAcceptResult, casework.Input{}, 0)
		wantErrCode(t, err, apperr.Conflict)
		w, err := svc.WaitingAtMyHall(district, network.Result)
		if err != nil {
			t.Fatal(err)
		}
		if runs := runsOf(w); !runs[n].Equal(shAt("2026-12-09 10:00:00")) {
			t.Fatalf("the result sent back waits for the next run: %v", runs)
		}
		v, err := svc.Case(as["shenpi"], n)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(eventTypes(v), casework.ActResultSendBack) || v.Case.ResultTransit.Trip != 2 {
			t.Fatalf("send-back: %v %+v", eventTypes(v), v.Case.ResultTransit)
		}
	})
}

// TestResultRunHolidayEve: a result submitted on the eve of National Day
// before the district hall's cut-off leaves on the first working day's
// run after the holiday; one at the cut-off a day later.
func TestResultRunHolidayEve(t *testing.T) {
	clk := clock.At(shAt("2026-09-28 09:00:00"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(shAt("2026-09-28 09:00:00"))
		svc, as := hall(t, st, clk)
		a, b := decidedForBinhe(t, svc, as), decidedForBinhe(t, svc, as)
		for _, step := range []struct {
			at string
			n  string
		}{{"2026-09-30 14:59:00", a}, {"2026-09-30 15:00:00", b}} {
			clk.Set(shAt(step.at))
			if _, err := svc.Act(as["shenpi"], step.n, casework.ActSubmitResult, casework.Input{}, 0); err != nil {
				t.Fatal(err)
			}
		}
		w, err := svc.WaitingAtMyHall(as["chujian"], network.Result)
		if err != nil {
			t.Fatal(err)
		}
		runs := runsOf(w)
		if !runs[a].Equal(shAt("2026-10-08 10:00:00")) || !runs[b].Equal(shAt("2026-10-09 10:00:00")) {
			t.Fatalf("runs: %v", runs)
		}
	})
}

// TestOnlinePickupHall: an online applicant chooses the hall to collect
// at; a hall that hands out no results is refused on pickup_hall.
func TestOnlinePickupHall(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 10:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		_, pc := h.applicant(t, residentPhone, resident(residentName, residentIDCard))
		choices, err := h.svc.PickupHalls(pc)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(choices, func(c service.PickupChoice) bool { return c.Code == demo.LiuyinHall }) ||
			!slices.ContainsFunc(choices, func(c service.PickupChoice) bool { return c.Code == demo.BinheHall && c.Travels }) {
			t.Fatalf("choices: %+v", choices)
		}
		_, err = h.svc.SubmitOnline(pc, service.OnlineDraft{ItemCode: "CGJ-XK-003", PickupHall: demo.LiuyinHall, Files: h.files(t, pc, "CGJ-XK-003")})
		wantErr(t, "a hall that issues nothing", err, apperr.Invalid, "pickup_hall")
		v, err := h.svc.SubmitOnline(pc, service.OnlineDraft{ItemCode: "CGJ-XK-003", PickupHall: demo.BinheHall, Files: h.files(t, pc, "CGJ-XK-003")})
		if err != nil {
			t.Fatal(err)
		}
		if v.Case.PickupHall != demo.BinheHall {
			t.Fatalf("pickup hall %q", v.Case.PickupHall)
		}
	})
}
