package service_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// deskApplication is an application for SCJG-XK-001 (promised, 5 working
// days, paper materials) with every required material brought; mail, if
// set, sends the result by post.
func deskApplication(mail bool) casework.Intake {
	in := casework.Intake{
		ItemCode: "SCJG-XK-001", Channel: casework.AtWindow,
		Applicant: casework.Party{Kind: casework.Entity, Name: "江川区味来餐饮管理有限公司", IDType: identity.CreditCode,
			IDNumber: "91350100M000100Y43", Phone: "13912345678"},
	}
	for _, code := range []string{"M01", "M02", "M03", "M04", "M05"} {
		in.Materials = append(in.Materials, casework.MaterialInput{Code: code, Status: casework.Provided})
	}
	if mail {
		in.Delivery = &casework.Delivery{Method: casework.Mail, Address: "江川区滨河路66号2栋301室"}
	}
	return in
}

// tabsOf returns the keys of the desk's tabs that list the case, as ctx
// sees the desk.
func tabsOf(t *testing.T, svc *service.Service, ctx context.Context, desk service.Desk, number string) []string {
	t.Helper()
	var out []string
	for _, tab := range desk.Tabs() {
		p, err := svc.DeskCases(ctx, desk, "", tab.Key)
		if err != nil {
			t.Fatalf("%s desk, tab %s: %v", desk, tab.Key, err)
		}
		listed := slices.ContainsFunc(p.Cases, func(v *service.CaseView) bool { return v.Case.Number == number })
		if p.Tab.Count != len(p.Cases) {
			t.Errorf("%s desk, tab %s: count %d, %d cases listed", desk, tab.Key, p.Tab.Count, len(p.Cases))
		}
		if listed {
			out = append(out, tab.Key)
		}
	}
	return out
}

func TestDeskTabsFollowTheCase(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		pickup, err := svc.Intake(as["shouli"], deskApplication(false))
		if err != nil {
			t.Fatal(err)
		}
		mailed, err := svc.Intake(as["shouli"], deskApplication(true))
		if err != nil {
			t.Fatal(err)
		}
		n := pickup.Case.Number
		act := func(user, number string, action casework.Action, in casework.Input) {
			t.Helper()
			if _, err := svc.Act(as[user], number, action, in, 0); err != nil {
				t.Fatalf("%s %s on %s: %v", user, action, number, err)
			}
		}
		want := func(step string, dept, issuance []string) {
			t.Helper()
			if got := tabsOf(t, svc, as["shenpi"], service.DeptDesk, n); !slices.Equal(got, dept) {
				t.Errorf("%s: department desk tabs %v, want %v", step, got, dept)
			}
			if got := tabsOf(t, svc, as["chujian"], service.IssuanceDesk, n); !slices.Equal(got, issuance) {
				t.Errorf("%s: issuance desk tabs %v, want %v", step, got, issuance)
			}
		}
		want("taken in", []string{"accept", "handover"}, nil)
		act("shenpi", n, casework.ActAccept, casework.Input{})
		want("accepted", []string{"handover", "decide"}, nil)
		act("shenpi", n, casework.ActHandover, casework.Input{})
		want("papers signed for", []string{"decide"}, nil)
		act("shenpi", n, casework.ActPause, casework.Input{PauseType: casework.SiteSurvey, Reason: "现场核查经营场所"})
		want("paused", []string{"paused"}, nil)
		clk.Advance(2 * time.Hour)
		act("shenpi", n, casework.ActResume, casework.Input{})
		want("resumed", []string{"decide"}, nil)
		act("shenpi", n, casework.ActExtend, casework.Input{Days: 3, Reason: "整改后复查"})
		want("extension requested", []string{"extension"}, nil)
		// Only the department admin may approve, and is offered it.
		admin, err := svc.DeskCases(as["bumen"], service.DeptDesk, "", "extension")
		if err != nil || len(admin.Cases) != 1 || !slices.Contains(admin.Cases[0].Allowed, casework.ActApproveExtension) {
			t.Fatalf("dept admin's extension tab: %v %+v", err, admin)
		}
		reviewer, _ := svc.DeskCases(as["shenpi"], service.DeptDesk, "", "extension")
		if slices.Contains(reviewer.Cases[0].Allowed, casework.ActApproveExtension) {
			t.Error("a reviewer is offered approve-extension")
		}
		act("bumen", n, casework.ActApproveExtension, casework.Input{})
		want("extension approved", []string{"decide"}, nil)
		act("shenpi", n, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "JY13501020260001"})
		want("decided", []string{"result"}, nil)
		act("shenpi", n, casework.ActSubmitResult, casework.Input{})
		want("result submitted", nil, []string{"check"})
		act("chujian", n, casework.ActRefuseResult, casework.Input{Reason: "证照上的经营场所与决定不符"})
		want("result refused", []string{"refused"}, []string{"refused"})
		refused, _ := svc.DeskCases(as["shenpi"], service.DeptDesk, "", "refused")
		if refused.Tab.Due != "correct_by" || len(refused.Cases[0].Open) != 1 || refused.Cases[0].Open[0].Name != "correct_by" {
			t.Errorf("refused tab: due %q, open %+v", refused.Tab.Due, refused.Cases[0].Open)
		}
		act("shenpi", n, casework.ActSubmitResult, casework.Input{})
		want("result corrected", nil, []string{"check"})
		act("chujian", n, casework.ActAcceptResult, casework.Input{})
		want("result accepted", nil, []string{"pickup"})
		act("chujian", n, casework.ActDeliver, casework.Input{Signer: "李明", SignerIDType: identity.ResidentID, SignerIDNumber: "11010519491231002X"})
		want("delivered", nil, []string{"archive"})
		act("chujian", n, casework.ActArchive, casework.Input{})
		want("archived", nil, nil)

		// The mailed result: to mail, in transit, then to archive.
		m := mailed.Case.Number
		for _, step := range []struct {
			user   string
			action casework.Action
			in     casework.Input
		}{
			{"shenpi", casework.ActAccept, casework.Input{}},
			{"shenpi", casework.ActHandover, casework.Input{}},
			{"shenpi", casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "JY13501020260002"}},
			{"shenpi", casework.ActSubmitResult, casework.Input{}},
			{"chujian", casework.ActAcceptResult, casework.Input{}},
		} {
			act(step.user, m, step.action, step.in)
		}
		mailTabs := func(step string, want []string) {
			t.Helper()
			if got := tabsOf(t, svc, as["chujian"], service.IssuanceDesk, m); !slices.Equal(got, want) {
				t.Errorf("%s: issuance desk tabs %v, want %v", step, got, want)
			}
		}
		mailTabs("to mail", []string{"mail"})
		act("chujian", m, casework.ActMail, casework.Input{Carrier: "EMS", Tracking: "EA123456789CN"})
		mailTabs("mailed", []string{"transit"})
		act("chujian", m, casework.ActConfirmDelivery, casework.Input{})
		mailTabs("delivered", []string{"archive"})
	})
}

func TestDeskOrderRedFirst(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		// One case taken in the morning (handover by 15:00 today), one in
		// the afternoon (by 10:00 on the next working day).
		morning, _ := svc.Intake(as["shouli"], deskApplication(false))
		clk.Set(start.Add(5 * time.Hour)) // 14:00
		afternoon, err := svc.Intake(as["shouli"], deskApplication(false))
		if err != nil {
			t.Fatal(err)
		}
		clk.Set(start.Add(7 * time.Hour)) // 16:00: the morning papers are late
		p, err := svc.DeskCases(as["shenpi"], service.DeptDesk, "", "handover")
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Cases) != 2 || p.Cases[0].Case.Number != morning.Case.Number || p.Cases[0].Warning != "red" {
			t.Fatalf("handover tab: want the late morning case first, red; got %d cases, first %s %s",
				len(p.Cases), p.Cases[0].Case.Number, p.Cases[0].Warning)
		}
		if p.Tab.Red != 1 || p.Tabs[0].Key != "accept" || p.Tabs[0].Count != 2 {
			t.Errorf("tab counts: %+v", p.Tabs)
		}
		list, err := svc.Handovers(as["shenpi"], "")
		if err != nil || len(list.Cases) != 2 || list.Cases[0].Case.Number != morning.Case.Number || list.Cases[1].Case.Number != afternoon.Case.Number {
			t.Fatalf("handovers: %v %+v", err, list)
		}
	})
}

func TestDeskPermissions(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		c, err := svc.Intake(as["shouli"], deskApplication(false))
		if err != nil {
			t.Fatal(err)
		}
		n := c.Case.Number
		// Another department's reviewer does not see the case, and may not
		// open this department's desk.
		if got := tabsOf(t, svc, as["shenpi2"], service.DeptDesk, n); got != nil {
			t.Errorf("GHZY reviewer sees the SCJG case in %v", got)
		}
		if _, err := svc.DeskCases(as["shenpi2"], service.DeptDesk, "SCJG", ""); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("GHZY reviewer opens the SCJG desk: %v", err)
		}
		for _, user := range []string{"shouli", "chujian", "daiban", "anonymous"} {
			if _, err := svc.DeskCases(as[user], service.DeptDesk, "", ""); err == nil {
				t.Errorf("%s opens the department desk", user)
			}
		}
		// The bureau and supervisors look at any department, read-only.
		p, err := svc.DeskCases(as["jiandu"], service.DeptDesk, "SCJG", "accept")
		if err != nil || len(p.Cases) != 1 || len(p.Cases[0].Allowed) != 0 || p.Departments == nil {
			t.Fatalf("supervisor's view of SCJG: %v %+v", err, p)
		}
		if _, err := svc.DeskCases(as["admin"], service.DeptDesk, "NOPE", ""); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("unknown department: %v", err)
		}
		if _, err := svc.DeskCases(as["shenpi"], service.DeptDesk, "", "nope"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("unknown tab: %v", err)
		}
		// The issuance desk is the issuance clerks' alone.
		for _, user := range []string{"shenpi", "bumen", "shouli", "admin", "jiandu", "daiban"} {
			if _, err := svc.DeskCases(as[user], service.IssuanceDesk, "", ""); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("%s opens the issuance desk: %v", user, err)
			}
		}
		if _, err := svc.DeskCases(as["chujian"], service.IssuanceDesk, "", ""); err != nil {
			t.Errorf("issuance clerk: %v", err)
		}
		// Paper handover: own department; others pick; the sheet follows
		// who may read the case.
		if l, err := svc.Handovers(as["shenpi2"], ""); err != nil || len(l.Cases) != 0 {
			t.Errorf("GHZY handovers: %v %+v", err, l)
		}
		if _, err := svc.Handovers(as["shenpi"], "GHZY"); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("SCJG reviewer opens GHZY handovers: %v", err)
		}
		if l, err := svc.Handovers(as["admin"], "SCJG"); err != nil || len(l.Cases) != 1 {
			t.Errorf("admin's SCJG handovers: %v %+v", err, l)
		}
		if _, err := svc.Handovers(as["chujian"], ""); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("issuance clerk opens handovers: %v", err)
		}
		if _, err := svc.HandoverSheet(as["shenpi2"], []string{n}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("GHZY reviewer prints an SCJG sheet: %v", err)
		}
		out, err := svc.SignHandovers(as["shenpi2"], []service.HandoverRequest{{Number: n}})
		if err != nil || len(out) != 1 || !apperr.Is(out[0].Err, apperr.Forbidden) {
			t.Errorf("GHZY reviewer signs for an SCJG case: %v %+v", err, out)
		}
	})
}

func TestSignHandoversAndSheet(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		var numbers []string
		for range 3 {
			c, err := svc.Intake(as["shouli"], deskApplication(false))
			if err != nil {
				t.Fatal(err)
			}
			numbers = append(numbers, c.Case.Number)
		}
		if _, err := svc.SignHandovers(as["shenpi"], nil); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("empty batch: %v", err)
		}
		// The third was signed for a moment ago.
		if _, err := svc.Act(as["shenpi"], numbers[2], casework.ActHandover, casework.Input{}, 0); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
		out, err := svc.SignHandovers(as["shenpi"], []service.HandoverRequest{
			{Number: numbers[0], Version: 1}, {Number: numbers[1]}, {Number: numbers[2]}, {Number: numbers[0]},
		})
		if err != nil || len(out) != 3 {
			t.Fatalf("batch: %v, %d outcomes", err, len(out))
		}
		if out[0].Err != nil || out[1].Err != nil || !apperr.Is(out[2].Err, apperr.Conflict) {
			t.Fatalf("outcomes: %v / %v / %v", out[0].Err, out[1].Err, out[2].Err)
		}
		sheet, err := svc.HandoverSheet(as["shenpi"], numbers)
		if err != nil {
			t.Fatal(err)
		}
		if sheet.Department.Code != "SCJG" || len(sheet.Lines) != 3 {
			t.Fatalf("sheet: %+v", sheet)
		}
		l := sheet.Lines[0]
		if l.Number != numbers[0] || l.Applicant != "江川区味来餐饮管理有限公司" || len(l.Materials) == 0 ||
			l.ReceivedBy != "张晓梅" || l.SignedBy != "王建国" || !l.SignedAt.Equal(start.Add(time.Hour)) ||
			!l.Cutoff.Equal(time.Date(2026, 9, 30, 15, 0, 0, 0, clock.Shanghai)) || !l.OnTime {
			t.Errorf("first line: %+v", l)
		}
		// A case still pending prints with its papers and blank signature;
		// one of another department, or one without papers, is refused.
		pending, _ := svc.Intake(as["shouli"], deskApplication(false))
		sheet, err = svc.HandoverSheet(as["shouli"], []string{pending.Case.Number})
		if err != nil || !sheet.Lines[0].SignedAt.IsZero() || sheet.Lines[0].SignedBy != "" || len(sheet.Lines[0].Materials) == 0 {
			t.Fatalf("pending sheet: %v %+v", err, sheet)
		}
		if _, err := svc.HandoverSheet(as["shenpi"], []string{"20990101000001"}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown number: %v", err)
		}
		if _, err := svc.HandoverSheet(as["chujian"], numbers); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("issuance clerk prints a handover sheet: %v", err)
		}
	})
}
