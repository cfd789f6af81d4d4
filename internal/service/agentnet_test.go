package service_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
)

// TestAgentNetwork follows the agents' network (issue 15 item 5) on the
// demo: the community agent's work list with the case the community
// station took in through her, the reminder a working day before its
// deadline at the National Day boundary (exactly once, on two nodes), the
// next step of a case with deferred materials, the service log and the
// street agent manager's hand-over with its refusals.
func TestAgentNetwork(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-29 10:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		lin, sun, zheng, ma := h.as["daiban3"], h.as["daiban"], h.as["daiban2"], h.as["daibanguanli"]
		if err := h.svc.LoadDemoAgentIntakes(h.as["system"], demo.AgentIntakes()); err != nil {
			t.Fatalf("the demo's intake through the community agent: %v", err)
		}

		// 林秀英 carries 王秀兰; the community station took in her 低保
		// application through her: accept_by is 2 working days on, past
		// the National Day holiday.
		wl, err := h.svc.AgentWorkList(lin)
		if err != nil {
			t.Fatal(err)
		}
		if len(wl.Applicants) != 1 || wl.Applicants[0].Name != "王秀兰" || wl.Applicants[0].OpenCases != 1 {
			t.Fatalf("林秀英's applicants: %+v", wl.Applicants)
		}
		wang := wl.Applicants[0].AccountID
		if len(wl.Cases) != 1 {
			t.Fatalf("林秀英's cases: %+v", wl.Cases)
		}
		demoCase := wl.Cases[0]
		if demoCase.ItemName != "最低生活保障审核确认" || demoCase.AccountID != wang || demoCase.Next.Act ||
			demoCase.Next.Words != "等待部门受理" || len(demoCase.Deadlines) != 1 || demoCase.Deadlines[0].Name != "accept_by" ||
			!demoCase.Deadlines[0].At.Equal(shanghai("2026-10-08 17:00")) {
			t.Errorf("the community case on the work list: %+v", demoCase)
		}
		if c, err := h.st.Case(t.Context(), demoCase.Number); err != nil || c.HallCode != "JC-BHJD-LYSQ" || c.AgentUser != "daiban3" {
			t.Errorf("the community case: %v %+v", err, c)
		}
		// 孙磊 does not see it.
		if wl, err := h.svc.AgentWorkList(sun); err != nil || len(wl.Cases) != 0 || len(wl.Applicants) != 1 || wl.Applicants[0].Name != "江川区味香餐饮有限公司" {
			t.Errorf("孙磊's work list: %v %+v", err, wl)
		}
		// Only agents have a work list.
		_, err = h.svc.AgentWorkList(ma)
		wantErr(t, "a manager's work list", err, apperr.Forbidden, "")

		// Reminders: not on the eve of the eve, at the start of the last
		// working day before the holiday, once, whatever node sweeps.
		sweep := func(svc *service.Service, want int) {
			t.Helper()
			n, err := svc.SweepAgentReminders(t.Context())
			if err != nil || n != want {
				t.Errorf("sweep at %s: %d, %v; want %d", h.clk.Now().Format("01-02 15:04"), n, err, want)
			}
		}
		h.clk.Set(shanghai("2026-09-29 23:59"))
		sweep(h.svc, 0)
		h.clk.Set(shanghai("2026-09-30 00:00"))
		sweep(h.svc, 1)
		sweep(h.svc, 0)
		other := service.New(h.st, h.clk, slog.New(slog.NewTextHandler(io.Discard, nil)), service.DefaultConfig())
		sweep(other, 0)
		h.clk.Set(shanghai("2026-10-05 10:00"))
		sweep(h.svc, 0)
		wl, err = h.svc.AgentWorkList(lin)
		if err != nil || len(wl.Reminders) != 1 {
			t.Fatalf("reminders: %v %+v", err, wl)
		}
		if r := wl.Reminders[0]; r.CaseNumber != demoCase.Number || r.Deadline != "accept_by" ||
			!strings.Contains(r.Text, "王秀兰的「最低生活保障审核确认」") || !strings.Contains(r.Text, "受理期限将于 2026-10-08 17:00 截止") {
			t.Errorf("reminder %+v", r)
		}
		if wl, _ := h.svc.AgentWorkList(sun); len(wl.Reminders) != 0 {
			t.Errorf("孙磊 reminded of 林秀英's case: %+v", wl.Reminders)
		}

		// A case taken in at the street with deferred materials through
		// 孙磊: his next step is to supply them by supply_by.
		h.clk.Set(shanghai("2026-10-09 10:00"))
		in := casework.Intake{ItemCode: "SCJG-XK-001", Channel: casework.AtWindow, AgentUser: "daiban",
			Applicant: casework.Party{Kind: casework.Entity, Name: "江川区味香餐饮有限公司", IDType: "credit_code", IDNumber: demoCredit, Phone: demoPhone}}
		it, err := h.svc.Item(h.as["shouli2"], "SCJG-XK-001", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range it.Materials {
			switch {
			case m.Deferrable && m.Required:
				in.Materials = append(in.Materials, casework.MaterialInput{Code: m.Code, Status: casework.Deferred})
			case m.Required:
				in.Materials = append(in.Materials, casework.MaterialInput{Code: m.Code, Status: casework.Provided})
			}
		}
		bad := in
		bad.AgentUser = "shouli"
		_, err = h.svc.Intake(h.as["shouli2"], bad)
		wantErr(t, "a clerk named as agent", err, apperr.Invalid, "agent_user")
		v, err := h.svc.Intake(h.as["shouli2"], in)
		if err != nil {
			t.Fatalf("intake through 孙磊: %v", err)
		}
		wl, err = h.svc.AgentWorkList(sun)
		if err != nil || len(wl.Cases) != 1 {
			t.Fatalf("孙磊's cases: %v %+v", err, wl)
		}
		if n := wl.Cases[0].Next; !n.Act || !strings.HasPrefix(n.Words, "补齐容缺材料（") || !n.By.Equal(v.Case.Deadlines.SupplyBy) ||
			!strings.Contains(n.Words, "江川区滨河街道为民服务中心综合受理窗口") {
			t.Errorf("孙磊's next step: %+v", n)
		}
		if wl.Cases[0].AccountID != h.acc.ID {
			t.Errorf("the window case is not named as 味香's: %+v", wl.Cases[0])
		}

		// The service log: the carrying agent writes, append-only.
		e, err := h.svc.AddAgentLog(lin, wang, service.AgentLogInput{Day: "2026-10-08", CaseNumber: demoCase.Number, Text: "  陪同王秀兰到社区补签核对授权书  "})
		if err != nil {
			t.Fatalf("log: %v", err)
		}
		if e.Text != "陪同王秀兰到社区补签核对授权书" || e.Agent != "daiban3" || e.AgentName != "林秀英" || !e.At.Equal(h.clk.Now()) {
			t.Errorf("entry %+v", e)
		}
		for _, tc := range []struct {
			name  string
			in    service.AgentLogInput
			field string
		}{
			{"no text", service.AgentLogInput{Text: "  "}, "text"},
			{"a day ahead", service.AgentLogInput{Day: "2026-10-10", Text: "电话联系"}, "day"},
			{"a day long gone", service.AgentLogInput{Day: "2026-08-01", Text: "电话联系"}, "day"},
			{"someone else's case", service.AgentLogInput{CaseNumber: v.Case.Number, Text: "电话联系"}, "case_number"},
		} {
			_, err := h.svc.AddAgentLog(lin, wang, tc.in)
			wantErr(t, tc.name, err, apperr.Invalid, tc.field)
		}
		_, err = h.svc.AddAgentLog(sun, wang, service.AgentLogInput{Text: "电话联系"})
		wantErr(t, "an agent who does not carry her", err, apperr.NotFound, "")
		_, err = h.svc.AddAgentLog(ma, wang, service.AgentLogInput{Text: "电话联系"})
		wantErr(t, "the manager writes", err, apperr.Forbidden, "")
		page, err := h.svc.AgentApplicant(ma, wang) // the street's manager reads the community agent's log
		if err != nil || len(page.Log) != 1 || page.Log[0].ID != e.ID {
			t.Errorf("the manager reads the log: %v %+v", err, page)
		}
		_, err = h.svc.AgentApplicant(sun, wang)
		wantErr(t, "another agent reads the log", err, apperr.NotFound, "")

		// Hand-overs by the street's agent manager.
		team, err := h.svc.AgentTeam(ma)
		if err != nil || len(team.Agents) != 3 {
			t.Fatalf("the team: %v %+v", err, team)
		}
		for _, tc := range []struct {
			name  string
			ctx   string
			in    service.AssignInput
			code  apperr.Code
			field string
		}{
			{"an agent assigns", "daiban", service.AssignInput{AccountID: h.acc.ID, Agent: "daiban2", Reason: "休假"}, apperr.Forbidden, ""},
			{"to a clerk", "daibanguanli", service.AssignInput{AccountID: h.acc.ID, Agent: "shouli2", Reason: "休假"}, apperr.Invalid, "agent"},
			{"to the agent who carries them", "daibanguanli", service.AssignInput{AccountID: h.acc.ID, Agent: "daiban", Reason: "休假"}, apperr.Invalid, "agent"},
			{"without a reason", "daibanguanli", service.AssignInput{AccountID: h.acc.ID, Agent: "daiban2"}, apperr.Invalid, "reason"},
			{"an applicant the team does not carry", "daibanguanli", service.AssignInput{AccountID: 999999, Agent: "daiban2", Reason: "休假"}, apperr.NotFound, ""},
		} {
			_, err := h.svc.AssignApplicant(h.as[tc.ctx], tc.in)
			wantErr(t, tc.name, err, tc.code, tc.field)
		}
		as, err := h.svc.AssignApplicant(ma, service.AssignInput{AccountID: h.acc.ID, Agent: "daiban2", Reason: "孙磊休假，由郑晓燕接手"})
		if err != nil {
			t.Fatalf("hand-over: %v", err)
		}
		if as.From != "daiban" || as.To != "daiban2" || as.ByName != "马建华" || as.Team != "JC-BHJD" || len(as.Mandates) != 1 {
			t.Errorf("hand-over %+v", as)
		}
		if wl, _ := h.svc.AgentWorkList(sun); len(wl.Applicants) != 0 {
			t.Errorf("孙磊 still carries %+v", wl.Applicants)
		}
		wl, err = h.svc.AgentWorkList(zheng)
		if err != nil || len(wl.Applicants) != 1 || wl.Applicants[0].AccountID != h.acc.ID {
			t.Errorf("郑晓燕's applicants: %v %+v", err, wl)
		}
		ms, _ := h.st.Authorisations(t.Context(), h.acc.ID, "")
		if len(ms) != 2 || ms[0].Agent != "daiban2" || ms[0].TransferredFrom != ms[1].ID || ms[1].TransferredTo != "daiban2" || ms[1].RevokedAt.IsZero() {
			t.Errorf("mandates after the hand-over: %+v", ms)
		}
		page, err = h.svc.AgentApplicant(zheng, h.acc.ID)
		if err != nil || len(page.Assignments) != 1 || page.Assignments[0].ID != as.ID {
			t.Errorf("the hand-over's record: %v %+v", err, page)
		}
		// Another street's manager neither sees nor moves Binhe's applicants.
		if err := h.svc.AddUser(h.as["system"], &org.User{Username: "xqguanli", Name: "钱国庆", Role: org.RoleAgentManager, HallCode: "JC-XQJD"}, hallPassword); err != nil {
			t.Fatal(err)
		}
		u, err := h.svc.Login(t.Context(), "xqguanli", hallPassword)
		if err != nil {
			t.Fatal(err)
		}
		xq := service.WithUser(t.Context(), u)
		_, err = h.svc.AssignApplicant(xq, service.AssignInput{AccountID: h.acc.ID, Agent: "daiban", Reason: "接手"})
		wantErr(t, "another street's manager", err, apperr.Invalid, "agent")
		if team, err := h.svc.AgentTeam(xq); err != nil || len(team.Agents) != 0 {
			t.Errorf("新桥's team: %v %+v", err, team)
		}
	})
}
