package service_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
)

// The role × action × hall × department matrix through the service and
// the real store, on every database: for every row of the transition
// table a person may take, a case is brought to a state the row starts
// from (taken in at a street centre, its result collected at the district
// hall, so that the two halls differ), and every account (each role; the
// case's department and another; the case's intake hall, its pickup hall,
// a third hall and none; the applicant and another) is offered the
// action, and takes it, exactly as the table says. The exhaustive matrix
// over every state and sub-state is the domain's (casework TestMatrix);
// this one proves the service hands the table the right person and the
// store the right case.

// matrixAccount is a signed-in account of the matrix and what the table
// reads of it.
type matrixAccount struct {
	name  string
	ctx   context.Context
	actor casework.Actor // role, department, hall; AccountID for applicants
}

// matrixStage is a case in one state: how to get there.
type matrixStage struct {
	name  string
	build func(t *testing.T) string // returns the case number
}

type hallMatrix struct {
	*onlineHall
	accounts []matrixAccount
	other    context.Context // another applicant
}

func (m *hallMatrix) ctx(name string) context.Context {
	for _, a := range m.accounts {
		if a.name == name {
			return a.ctx
		}
	}
	panic("no account " + name)
}

// addStaff adds and signs in a staff account.
func (m *hallMatrix) addStaff(t *testing.T, u org.User) {
	t.Helper()
	if err := m.svc.AddUser(m.as["system"], &u, hallPassword); err != nil {
		t.Fatalf("add %s: %v", u.Username, err)
	}
	signed, err := m.svc.Login(context.Background(), u.Username, hallPassword)
	if err != nil {
		t.Fatal(err)
	}
	m.as[u.Username] = service.WithRequest(service.WithUser(context.Background(), signed), service.Request{ID: "t", Channel: "api"})
}

func newHallMatrix(t *testing.T, h *onlineHall) *hallMatrix {
	m := &hallMatrix{onlineHall: h}
	for _, u := range []org.User{
		{Username: "xq-shouli", Name: "新桥受理", Role: org.RoleIntake, HallCode: demo.XinqiaoHall},
		{Username: "nohall-shouli", Name: "无大厅受理", Role: org.RoleIntake},
		{Username: "bh-chujian", Name: "滨河出件", Role: org.RoleIssuance, HallCode: demo.BinheHall},
		{Username: "xq-chujian", Name: "新桥出件", Role: org.RoleIssuance, HallCode: demo.XinqiaoHall},
		{Username: "nohall-chujian", Name: "无大厅出件", Role: org.RoleIssuance},
		{Username: "ghzy-admin", Name: "规划管理员", Role: org.RoleDeptAdmin, DepartmentCode: "GHZY"},
		{Username: "renshe", Name: "钱立新", Role: org.RoleReviewer, DepartmentCode: "RSJ"},
		{Username: "bh-shenpi", Name: "滨河审批", Role: org.RoleReviewer, DepartmentCode: "SCJG", HallCode: demo.BinheHall},
		{Username: "xq-chushen", Name: "新桥初审", Role: org.RoleStreetReviewer, HallCode: demo.XinqiaoHall},
	} {
		m.addStaff(t, u)
	}
	for _, name := range []string{"shouli", "shouli2", "xq-shouli", "nohall-shouli", "chujian", "bh-chujian", "xq-chujian", "nohall-chujian",
		"shenpi", "bh-shenpi", "shenpi2", "renshe", "bumen", "ghzy-admin", "admin", "jiandu", "daiban", "chushen", "xq-chushen"} {
		u := service.UserFrom(m.as[name])
		m.accounts = append(m.accounts, matrixAccount{name: name, ctx: m.as[name],
			actor: casework.Actor{Username: u.Username, Role: u.Role, DepartmentCode: u.DepartmentCode, HallCode: u.HallCode}})
	}
	// SCJG-XK-002 in three review levels (the levels' stages).
	renewal, err := m.svc.Item(m.as["bumen"], "SCJG-XK-002", 0)
	if err != nil {
		t.Fatal(err)
	}
	renewal.ReviewLevels = 3
	if err := m.svc.SaveItem(m.as["bumen"], renewal, renewal.Version); err != nil {
		t.Fatal(err)
	}
	other, otherCtx := h.applicant(t, "13700000009", resident("周小川", residentID(9)))
	m.other = otherCtx
	m.accounts = append(m.accounts,
		matrixAccount{name: "the applicant", ctx: h.demo, actor: casework.Actor{Role: org.RoleApplicant, AccountID: h.acc.ID}},
		matrixAccount{name: "another applicant", ctx: otherCtx, actor: casework.Actor{Role: org.RoleApplicant, AccountID: other.ID}})
	return m
}

// matrixInput is a valid input of every action on the matrix's cases.
func (m *hallMatrix) input(t *testing.T, action casework.Action) casework.Input {
	switch action {
	case casework.ActReturn, casework.ActReturnInitialReview:
		return casework.Input{Reason: "经营布局图与现场不符", Corrections: []string{"M03"}}
	case casework.ActResubmit:
		return casework.Input{Materials: []string{"M03"}}
	case casework.ActSupply:
		return casework.Input{Materials: []string{"M05"}}
	case casework.ActPause:
		return casework.Input{PauseType: casework.SiteSurvey, Reason: "现场核查经营场所"}
	case casework.ActExtend:
		return casework.Input{Days: 3, Reason: "需现场复查"}
	case casework.ActRejectExtension, casework.ActRefuseResult, casework.ActWithdraw, casework.ActTerminate, casework.ActFailPreReview:
		return casework.Input{Reason: "理由见附件说明"}
	case casework.ActRefuseAcceptance:
		return casework.Input{Confirm: true, Reason: "申请事项不属于本机关职权范围"}
	case casework.ActResubmitOnline:
		return casework.Input{Files: map[string][]casework.FileRef{"M03": {m.upload(t, m.demo, "M03.pdf", pdf("corrected"))}}}
	case casework.ActStartProcedure:
		return casework.Input{Procedure: casework.ProcSiteInspection, Reason: "经营场所现场勘验"}
	case casework.ActFinishProcedure:
		return casework.Input{Conclusion: "经营场所与申报一致"}
	case casework.ActPropose:
		return casework.Input{Outcome: casework.Approve, Reason: "符合延续条件，拟准予"}
	case casework.ActSendBack:
		return casework.Input{Reason: "请补充现场核查意见"}
	}
	return actionInputs[action]
}

// window is a food licence taken in at the Binhe street centre, collected
// at the district hall; with M05 deferred if asked.
func (m *hallMatrix) window(t *testing.T, deferred bool, delivery casework.DeliveryMethod) string {
	t.Helper()
	in := casework.Intake{ItemCode: "SCJG-XK-001", Channel: casework.AtWindow, PickupHall: demo.DistrictHall,
		Applicant: casework.Party{Kind: casework.Entity, Name: otherCompany, IDType: identity.CreditCode, IDNumber: otherCredit, Phone: otherPhone}}
	for _, code := range []string{"M01", "M02", "M03", "M04", "M05"} {
		st := casework.Provided
		if deferred && code == "M05" {
			st = casework.Deferred
		}
		in.Materials = append(in.Materials, casework.MaterialInput{Code: code, Status: st})
	}
	if delivery == casework.Mail {
		in.Delivery = &casework.Delivery{Method: casework.Mail, Address: "江川区滨河路66号"}
	}
	v, err := m.svc.Intake(m.ctx("shouli2"), in)
	if err != nil {
		t.Fatalf("intake at Binhe: %v", err)
	}
	if v.Case.HallCode != demo.BinheHall || v.Case.PickupHall != demo.DistrictHall {
		t.Fatalf("taken in at %q, collected at %q", v.Case.HallCode, v.Case.PickupHall)
	}
	m.travel(t)
	return v.Case.Number
}

// travel carries the paper waiting at Binhe to the district hall in a
// batch (issue 15): the department signs for it only once it arrived.
func (m *hallMatrix) travel(t *testing.T) {
	t.Helper()
	b, err := m.svc.PrepareBatch(m.ctx("shouli2"), service.PrepareBatchInput{To: demo.DistrictHall, Confirm: true})
	if err != nil {
		t.Fatalf("batch at Binhe: %v", err)
	}
	if _, err := m.svc.SignOutBatch(m.ctx("shouli2"), b.Number, service.SignOutInput{Courier: "王师傅", Confirm: true}); err != nil {
		t.Fatalf("sign-out at Binhe: %v", err)
	}
	if _, err := m.svc.SignInBatch(m.ctx("shouli"), b.Number, service.SignInInput{Confirm: true}); err != nil {
		t.Fatalf("sign-in at the district hall: %v", err)
	}
}

// renewal is a food licence renewal (SCJG-XK-002, three review levels
// here) taken in at the district hall.
func (m *hallMatrix) renewal(t *testing.T) string {
	t.Helper()
	return m.renewalAt(t, "shouli")
}

// renewalAt is a food licence renewal taken in by clerk: at 滨河街道 it
// waits for the street's initial review (委托初审, the demo's mark).
func (m *hallMatrix) renewalAt(t *testing.T, clerk string) string {
	t.Helper()
	in := casework.Intake{ItemCode: "SCJG-XK-002", Channel: casework.AtWindow,
		Applicant: casework.Party{Kind: casework.Entity, Name: otherCompany, IDType: identity.CreditCode, IDNumber: otherCredit, Phone: otherPhone}}
	for _, code := range []string{"M01", "M02", "M03", "M04"} {
		in.Materials = append(in.Materials, casework.MaterialInput{Code: code, Status: casework.Provided})
	}
	v, err := m.svc.Intake(m.ctx(clerk), in)
	if err != nil {
		t.Fatalf("renewal intake: %v", err)
	}
	return v.Case.Number
}

// instant is a social security card taken in at Binhe.
func (m *hallMatrix) instant(t *testing.T) string {
	t.Helper()
	v, err := m.svc.Intake(m.ctx("shouli2"), casework.Intake{ItemCode: "RSJ-GG-001", Channel: casework.AtWindow, PickupHall: demo.DistrictHall,
		Applicant: casework.Party{Kind: casework.Person, Name: residentName, IDType: identity.ResidentID, IDNumber: residentIDCard, Phone: residentPhone},
		Materials: []casework.MaterialInput{{Code: "M01", Status: casework.Provided}, {Code: "M02", Status: casework.Provided}}})
	if err != nil {
		t.Fatalf("instant intake at Binhe: %v", err)
	}
	return v.Case.Number
}

// steps takes the actions in turn, each by the account named.
func (m *hallMatrix) steps(t *testing.T, number string, steps ...string) string {
	t.Helper()
	for _, s := range steps {
		who, action, _ := strings.Cut(s, ":")
		if _, err := m.svc.Act(m.ctx(who), number, casework.Action(action), m.input(t, casework.Action(action)), 0); err != nil {
			t.Fatalf("%s by %s on %s: %v", action, who, number, err)
		}
	}
	return number
}

func (m *hallMatrix) stages() []matrixStage {
	decided := []string{"shenpi:handover", "shenpi:accept", "shenpi:decide"}
	ready := append(slices.Clone(decided), "shenpi:submit-result", "chujian:accept-result")
	online := func(item string) func(t *testing.T) string {
		return func(t *testing.T) string { return m.submit(t, m.demo, service.OnlineDraft{ItemCode: item}).Case.Number }
	}
	return []matrixStage{
		{"received, M05 deferred, papers pending", func(t *testing.T) string { return m.window(t, true, casework.Pickup) }},
		{"returned", func(t *testing.T) string { return m.steps(t, m.window(t, false, casework.Pickup), "shenpi:return") }},
		{"accepted, ready to decide", func(t *testing.T) string {
			return m.steps(t, m.window(t, false, casework.Pickup), "shenpi:handover", "shenpi:accept")
		}},
		{"accepted, paused", func(t *testing.T) string {
			return m.steps(t, m.window(t, false, casework.Pickup), "shenpi:handover", "shenpi:accept", "shenpi:pause")
		}},
		{"accepted, extension requested", func(t *testing.T) string {
			return m.steps(t, m.window(t, false, casework.Pickup), "shenpi:handover", "shenpi:accept", "shenpi:extend")
		}},
		{"accepted, site inspection under way", func(t *testing.T) string {
			return m.steps(t, m.window(t, false, casework.Pickup), "shenpi:handover", "shenpi:accept", "shenpi:start-procedure")
		}},
		{"accepted, three levels", func(t *testing.T) string { return m.steps(t, m.renewal(t), "shenpi:handover", "shenpi:accept") }},
		{"accepted, three levels, proposed", func(t *testing.T) string {
			return m.steps(t, m.renewal(t), "shenpi:handover", "shenpi:accept", "shenpi:propose")
		}},
		{"decided", func(t *testing.T) string { return m.steps(t, m.window(t, false, casework.Pickup), decided...) }},
		{"decided, result submitted", func(t *testing.T) string {
			return m.steps(t, m.window(t, false, casework.Pickup), append(slices.Clone(decided), "shenpi:submit-result")...)
		}},
		{"result ready for pickup", func(t *testing.T) string { return m.steps(t, m.window(t, false, casework.Pickup), ready...) }},
		{"result ready for mail", func(t *testing.T) string { return m.steps(t, m.window(t, false, casework.Mail), ready...) }},
		{"result mailed", func(t *testing.T) string {
			return m.steps(t, m.window(t, false, casework.Mail), append(slices.Clone(ready), "chujian:mail")...)
		}},
		{"delivered", func(t *testing.T) string {
			return m.steps(t, m.window(t, false, casework.Pickup), append(slices.Clone(ready), "chujian:deliver")...)
		}},
		{"instant received", m.instant},
		{"instant decided", func(t *testing.T) string { return m.steps(t, m.instant(t), "shouli2:decide") }},
		{"instant delivered", func(t *testing.T) string { return m.steps(t, m.instant(t), "shouli2:decide", "shouli2:deliver") }},
		{"online, awaiting pre-review", online("SCJG-XK-001")},
		{"online, pre-review passed", func(t *testing.T) string { return m.steps(t, online("SCJG-XK-001")(t), "shenpi:pass-prereview") }},
		{"online, pre-review failed", func(t *testing.T) string { return m.steps(t, online("SCJG-XK-001")(t), "shenpi:fail-prereview") }},
		{"online, fully online", online("SCJG-DJ-001")},
		{"received at the street, waiting for its initial review", func(t *testing.T) string { return m.renewalAt(t, "shouli2") }},
		{"online, fully online, result submitted", func(t *testing.T) string {
			return m.steps(t, online("SCJG-DJ-001")(t), "shenpi:accept", "shenpi:decide", "shenpi:submit-result")
		}},
	}
}

// expected is what the table says of acct taking action on c: taken, or
// the code of the refusal; hall says the refusal is the hall's.
func expected(c *casework.Case, action casework.Action, a casework.Actor, readable bool, now time.Time) (ok bool, code apperr.Code, hall bool) {
	if !readable && (a.Role == org.RoleApplicant || a.Role == org.RoleAgent) {
		return false, apperr.NotFound, false // someone else's case is not there (issue 10, defect 12)
	}
	if !readable || a.Role == org.RoleSupervisor {
		return false, apperr.Forbidden, false
	}
	names := func(r casework.Rule) (bool, bool) {
		if r.System || !slices.Contains(r.Roles, a.Role) || r.OwnDepartment && a.Role.NeedsDepartment() && a.DepartmentCode != c.DepartmentCode {
			return false, true
		}
		if !a.Role.WorksAtHall() {
			return true, true
		}
		want := c.DeskHall(r.Hall)
		switch r.Hall {
		case casework.NoHall:
			return false, true
		case casework.AnyHall:
			return a.HallCode != "", true
		}
		return a.HallCode != "" && (want == "" || want == a.HallCode), want != ""
	}
	var rows, all []casework.Rule
	for _, r := range casework.Table {
		if r.Action == action {
			all = append(all, r)
			if r.Kinds == nil || slices.Contains(r.Kinds, c.Kind) {
				rows = append(rows, r)
			}
		}
	}
	// Who may act at all comes first; an action for the other kind of
	// case only is then a 409.
	who := rows
	if len(rows) == 0 {
		who = all
	}
	named := false
	for _, r := range who {
		n, _ := names(r)
		named = named || n
		hall = hall || (!r.System && slices.Contains(r.Roles, a.Role) && a.Role.WorksAtHall() && !n)
	}
	if !named {
		return false, apperr.Forbidden, hall
	}
	for _, r := range rows {
		n, placed := names(r)
		if !n || !slices.Contains(r.From, c.State) {
			continue
		}
		if !placed {
			return false, apperr.Forbidden, false
		}
		if r.Guard != nil {
			if err := r.Guard(c, a, now); err != nil {
				return false, apperr.CodeOf(err), false
			}
		}
		return true, "", false
	}
	return false, apperr.Conflict, false
}

func TestHallMatrix(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 09:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		m := newHallMatrix(t, h)
		stages := m.stages()
		built := map[string]string{} // stage name → case number, until an action moves it on
		caseIn := func(t *testing.T, sg matrixStage) *casework.Case {
			t.Helper()
			if built[sg.name] == "" {
				built[sg.name] = sg.build(t)
			}
			v, err := m.svc.Case(m.as["admin"], built[sg.name])
			if err != nil {
				t.Fatal(err)
			}
			return v.Case
		}
		actorOn := func(a matrixAccount, c *casework.Case) casework.Actor {
			act := a.actor
			if act.Role == org.RoleAgent && c.AccountID == m.acc.ID {
				act.AccountID = m.acc.ID // the demo company authorised daiban for every item
			}
			return act
		}
		for i, r := range casework.Table {
			if r.System || r.Action == casework.ActLapse {
				continue
			}
			// The first stage the row starts from where someone may take it.
			var sg *matrixStage
			for j := range stages {
				c := caseIn(t, stages[j])
				if !slices.Contains(r.From, c.State) || (r.Kinds != nil && !slices.Contains(r.Kinds, c.Kind)) {
					continue
				}
				for _, a := range m.accounts {
					if ok, _, _ := expected(c, r.Action, actorOn(a, c), true, m.clk.Now()); ok {
						sg = &stages[j]
						break
					}
				}
				if sg != nil {
					break
				}
			}
			if sg == nil {
				t.Errorf("row %d (%s %q): no stage lets anyone take it", i, r.Action, r.Label)
				continue
			}
			takers := 0
			for _, a := range m.accounts {
				c := caseIn(t, *sg)
				what := fmt.Sprintf("row %d %s on %q (intake %s, pickup %s) by %s", i, r.Action, sg.name, c.HallCode, c.PickupHall, a.name)
				view, err := m.svc.Case(a.ctx, c.Number)
				readable := err == nil
				online := a.actor.Role == org.RoleApplicant || a.actor.Role == org.RoleAgent
				if !readable && !(apperr.Is(err, apperr.Forbidden) && !online || apperr.Is(err, apperr.NotFound) && online) {
					t.Fatalf("%s: reading: %v", what, err)
				}
				ok, code, hall := expected(c, r.Action, actorOn(a, c), readable, m.clk.Now())
				if readable && slices.Contains(view.Allowed, r.Action) != ok {
					t.Errorf("%s: allowed_actions %q, the table says %v", what, view.Allowed, ok)
				}
				_, err = m.svc.Act(a.ctx, c.Number, r.Action, m.input(t, r.Action), 0)
				if ok {
					if err != nil {
						t.Errorf("%s: the table allows it, the service refuses: %v", what, err)
					}
					takers++
					delete(built, sg.name) // moved on: build it again
					continue
				}
				if apperr.CodeOf(err) != code {
					t.Errorf("%s: %v, the table says %q", what, err, code)
				}
				if after := caseIn(t, *sg); after.Version != c.Version {
					t.Errorf("%s: a refused action changed the case (version %d → %d)", what, c.Version, after.Version)
				}
				if hall {
					msg := apperr.MessageOf(err)
					if strings.Contains(msg, "JC-") || (a.actor.HallCode != "" && !strings.Contains(msg, "街道为民服务中心") && !strings.Contains(msg, "政务服务中心")) {
						t.Errorf("%s: the refusal %q does not name the halls by name", what, msg)
					}
				}
			}
			if takers == 0 {
				t.Errorf("row %d (%s): nobody took it on %q", i, r.Action, sg.name)
			}
		}
		if rep, err := m.svc.VerifyAudit(m.as["admin"]); err != nil || len(rep.Breaks) != 0 {
			t.Errorf("audit: %+v %v", rep, err)
		}
		t.Run("halls through the store", m.hallsThroughTheStore)
	})
}

// hallsThroughTheStore: a case keeps its intake and pickup halls through
// the store, an online case gets the hall that takes its paper in, a fully
// online one the district hall, and the issuance desk lists the results
// collected at the clerk's hall only (the matrix's cases included).
func (m *hallMatrix) hallsThroughTheStore(t *testing.T) {
	street := m.steps(t, m.window(t, false, casework.Pickup), "shenpi:handover", "shenpi:accept", "shenpi:decide", "shenpi:submit-result")
	passed := m.steps(t, m.submit(t, m.demo, service.OnlineDraft{ItemCode: "SCJG-XK-001"}).Case.Number, "shenpi:pass-prereview")
	full := m.submit(t, m.demo, service.OnlineDraft{ItemCode: "SCJG-DJ-001"}).Case.Number
	if v := m.caseAs(t, m.as["admin"], passed); v.Case.PickupHall != "" {
		t.Errorf("an online case before its paper is taken in collects at %q", v.Case.PickupHall)
	}
	m.steps(t, passed, "xq-shouli:complete-intake")
	for number, want := range map[string][2]string{
		street: {demo.BinheHall, demo.DistrictHall},
		passed: {demo.XinqiaoHall, demo.XinqiaoHall},
		full:   {"", demo.DistrictHall},
	} {
		c, err := m.st.Case(t.Context(), number)
		if err != nil {
			t.Fatal(err)
		}
		if c.HallCode != want[0] || c.PickupHall != want[1] {
			t.Errorf("%s: taken in at %q, collected at %q; want %q", number, c.HallCode, c.PickupHall, want)
		}
	}
	desk := func(who, hall string) []string {
		p, err := m.svc.DeskCases(m.ctx(who), service.IssuanceDesk, "", "check")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, v := range p.Cases {
			out = append(out, v.Case.Number)
			if v.Case.DeskHall(casework.PickupHall) != hall {
				t.Errorf("the issuance desk of %s lists %s, collected at %q", hall, v.Case.Number, v.Case.DeskHall(casework.PickupHall))
			}
		}
		return out
	}
	if got := desk("chujian", demo.DistrictHall); !slices.Contains(got, street) {
		t.Errorf("the district hall's issuance desk lists %q, not %s", got, street)
	}
	if got := desk("bh-chujian", demo.BinheHall); len(got) != 0 {
		t.Errorf("the Binhe issuance desk lists %q, collected elsewhere", got)
	}
	_, err := m.svc.Intake(m.ctx("shouli2"), casework.Intake{ItemCode: "RSJ-GG-001", PickupHall: "JC-NOPE"})
	wantErr(t, "an unknown pickup hall", err, apperr.Invalid, "pickup_hall")
	_, err = m.svc.Intake(m.ctx("nohall-shouli"), casework.Intake{ItemCode: "RSJ-GG-001", Channel: casework.AtWindow})
	wantErr(t, "intake by a clerk without a hall", err, apperr.Forbidden, "")
}
