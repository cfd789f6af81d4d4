package casework_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
)

// The fixtures every test of the package shares: the real calendar, the demo
// district's handbook, one actor per role and valid applicants.

// cal is the calendar the hall runs on: the State Council's published years.
var cal = calendar.New(calendar.Published(2020, 2027), calendar.DefaultSettings())

// The items the tests use (DESIGN.md section 3): a promised item with
// deferrable materials, an instant item delegated to the hall and one that
// is not.
const (
	promisedItem    = "SCJG-XK-001" // 食品经营许可（新办）: 5 days, M04/M05 deferrable within 3 days
	instantItem     = "RSJ-GG-001"  // 社会保障卡补换: instant, delegated
	undelegatedItem = "GHZY-GG-001" // 不动产登记资料查询: instant, decided by GHZY only
	fullyOnlineItem = "CGJ-XK-003"  // 临时占用城市道路审批: fully online (全程网办)
)

// Valid identity numbers (checked by hand against GB 11643 and GB 32100).
const (
	personID    = "11010519491231002X"
	agentID     = "320120198506121232"
	companyCode = "91320120MA1XK5T2QF"
	caseNumber  = "JC-20260302-0001"
)

// at returns the wall time in Asia/Shanghai.
func at(year int, month time.Month, day, hour, min int) time.Time {
	return time.Date(year, month, day, hour, min, 0, 0, clock.Shanghai)
}

func env(now time.Time) casework.Env { return casework.Env{Cal: cal, Now: now} }

// item returns a fresh copy of a demo item.
func item(t testing.TB, code string) *catalog.Item {
	t.Helper()
	for _, it := range demo.Load().Items {
		if it.Code == code {
			return &it
		}
	}
	t.Fatalf("demo item %s not found", code)
	return nil
}

// The actors. Department roles belong to the department named.
var (
	intakeClerk   = casework.Actor{Username: "zhangsl", Role: org.RoleIntake, HallCode: demo.DistrictHall, Desk: "window:JC-ZWZX"}
	issuanceClerk = casework.Actor{Username: "liuyf", Role: org.RoleIssuance, HallCode: demo.DistrictHall, Desk: "window:JC-ZWZX"}
	bureauAdmin   = casework.Actor{Username: "admin", Role: org.RoleAdmin, Desk: "web"}
	supervisor    = casework.Actor{Username: "jiandu", Role: org.RoleSupervisor, Desk: "web"}
	hallManager   = casework.Actor{Username: "dating", Role: org.RoleHallManager, HallCode: demo.DistrictHall, Desk: "web"}
	agentManager  = casework.Actor{Username: "daibanguanli", Role: org.RoleAgentManager, HallCode: demo.BinheHall, Desk: "web"}
	agentActor    = casework.Actor{Username: "daiban", Role: org.RoleAgent, HallCode: demo.BinheHall, Desk: "window:JC-BHJD", AccountID: 7, OnBehalfOf: "王建国"}
	applicantUser = casework.Actor{Username: "app:7", Role: org.RoleApplicant, Desk: "online", AccountID: 7}
	systemActor   = casework.Actor{System: true, Desk: "system"}
)

func reviewer(dept string) casework.Actor {
	return casework.Actor{Username: "rev-" + strings.ToLower(dept), Role: org.RoleReviewer, DepartmentCode: dept, Desk: "api"}
}

func deptAdmin(dept string) casework.Actor {
	return casework.Actor{Username: "adm-" + strings.ToLower(dept), Role: org.RoleDeptAdmin, DepartmentCode: dept, Desk: "web"}
}

// actorsFor returns one actor of every role, department roles in the case's
// department, plus the system.
func actorsFor(dept string) []casework.Actor {
	var out []casework.Actor
	for _, r := range org.Roles {
		switch r {
		case org.RoleIntake:
			out = append(out, intakeClerk)
		case org.RoleIssuance:
			out = append(out, issuanceClerk)
		case org.RoleReviewer:
			out = append(out, reviewer(dept))
		case org.RoleDeptAdmin:
			out = append(out, deptAdmin(dept))
		case org.RoleAdmin:
			out = append(out, bureauAdmin)
		case org.RoleSupervisor:
			out = append(out, supervisor)
		case org.RoleAgent:
			out = append(out, agentActor)
		case org.RoleHallManager:
			out = append(out, hallManager)
		case org.RoleStreetReviewer:
			out = append(out, streetReviewerActor)
		case org.RoleAgentManager:
			out = append(out, agentManager)
		default:
			panic("a role the tests do not know: " + string(r))
		}
	}
	return append(out, applicantUser, systemActor)
}

func actorName(a casework.Actor) string {
	if a.System {
		return "system"
	}
	if a.DepartmentCode != "" {
		return string(a.Role) + "@" + a.DepartmentCode
	}
	return string(a.Role)
}

// company and person are valid applicants.
func company() casework.Party {
	return casework.Party{Kind: casework.Entity, Name: "江川区味香餐饮有限公司", IDType: identity.CreditCode, IDNumber: companyCode, Phone: "13912345678", Address: "江川区滨河路18号"}
}

func person() casework.Party {
	return casework.Party{Kind: casework.Person, Name: "王建国", IDType: identity.ResidentID, IDNumber: personID, Phone: "025-86001234"}
}

// promisedIntake is a valid application for SCJG-XK-001 with M04 and M05
// deferred; instantIntake one for RSJ-GG-001.
func promisedIntake() casework.Intake {
	return casework.Intake{
		ItemCode: promisedItem, Channel: casework.AtWindow, Applicant: company(),
		Materials: []casework.MaterialInput{
			{Code: "M01", Status: casework.Provided}, {Code: "M02", Status: casework.Provided}, {Code: "M03", Status: casework.Provided},
			{Code: "M04", Status: casework.Deferred}, {Code: "M05", Status: casework.Deferred},
		},
	}
}

func instantIntake(code string) casework.Intake {
	return casework.Intake{
		ItemCode: code, Channel: casework.AtWindow, Applicant: person(),
		Materials: []casework.MaterialInput{{Code: "M01", Status: casework.Provided}, {Code: "M02", Status: casework.Provided}},
	}
}

// mailTo is a valid choice of delivery by post.
func mailTo() *casework.Delivery {
	return &casework.Delivery{Method: casework.Mail, Address: "江川区滨河路18号味香餐饮", Recipient: "李娟", Phone: "13812345678"}
}

// history drives one case through the real Apply calls, a step every ten
// minutes, and keeps its events and documents.
type history struct {
	t      testing.TB
	c      *casework.Case
	now    time.Time
	events []*casework.Event
	docs   [][]casework.Document // per event
}

// takeIn starts a history with a case taken in at now.
func takeIn(t testing.TB, in casework.Intake, now time.Time) *history {
	t.Helper()
	c, ev, docs, err := casework.NewCase(in, item(t, in.ItemCode), intakeClerk, env(now))
	if err != nil {
		t.Fatalf("intake of %s at %s: %v", in.ItemCode, now, err)
	}
	c.Number = caseNumber
	return &history{t: t, c: c, now: now, events: []*casework.Event{ev}, docs: [][]casework.Document{docs}}
}

// do applies action at the history's clock, which then moves on ten minutes.
func (h *history) do(action casework.Action, in casework.Input, by casework.Actor) *history {
	h.t.Helper()
	return h.doAt(h.now.Add(10*time.Minute), action, in, by)
}

// doAt applies action at now.
func (h *history) doAt(now time.Time, action casework.Action, in casework.Input, by casework.Actor) *history {
	h.t.Helper()
	h.now = now
	ev, docs, err := casework.Apply(h.c, action, in, by, env(now))
	if err != nil {
		h.t.Fatalf("%s by %s in state %s at %s: %v", action, actorName(by), h.c.State, now, err)
	}
	h.events = append(h.events, ev)
	h.docs = append(h.docs, docs)
	return h
}

// ready returns a SCJG-XK-001 case taken in and accepted at accept, its
// papers handed over and its deferred materials supplied.
func ready(t testing.TB, accept time.Time) *history {
	rev := reviewer("SCJG")
	h := takeIn(t, promisedIntake(), accept.Add(-30*time.Minute))
	h.doAt(accept, casework.ActAccept, casework.Input{}, rev)
	h.do(casework.ActSupply, validInput(casework.ActSupply), intakeClerk)
	return h.do(casework.ActHandover, casework.Input{}, rev)
}

// validInput returns an input that satisfies action's own checks on the
// SCJG-XK-001 and RSJ-GG-001 cases of these tests.
func validInput(action casework.Action) casework.Input {
	switch action {
	case casework.ActReturn, casework.ActReturnInitialReview:
		return casework.Input{Reason: "经营布局图与现场不符", Corrections: []string{"M03"}}
	case casework.ActResubmit:
		return casework.Input{Materials: []string{"M03"}}
	case casework.ActSupply:
		return casework.Input{Materials: []string{"M04", "M05"}}
	case casework.ActPause:
		return casework.Input{PauseType: casework.SiteSurvey, Reason: "经营场所现场核查"}
	case casework.ActExtend:
		return casework.Input{Days: 5, Reason: "需补充核查冷链设施"}
	case casework.ActRejectExtension, casework.ActRefuseResult:
		return casework.Input{Reason: "证照信息与决定不一致"}
	case casework.ActDecide:
		return casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "食品经营许可证 JY123"}
	case casework.ActDeliver:
		return casework.Input{Signer: "王建国", SignerIDType: identity.ResidentID, SignerIDNumber: personID}
	case casework.ActMail:
		return casework.Input{Carrier: "EMS", Tracking: "EA123456789CN"}
	case casework.ActWithdraw:
		return casework.Input{Reason: "申请人决定暂不经营"}
	case casework.ActTerminate:
		return casework.Input{Reason: "申请人不具备经营场所"}
	case casework.ActRefuseAcceptance:
		return casework.Input{Confirm: true, Reason: "申请事项不属于本机关职权范围"}
	case casework.ActFailPreReview:
		return casework.Input{Reason: "营业执照扫描件不清晰"}
	case casework.ActResubmitOnline:
		return casework.Input{Files: map[string][]casework.FileRef{"M03": {pdfFile("布局图-重传.pdf")}}}
	case casework.ActOpen:
		return casework.Input{Prerequisite: "SCJG-XK-003"}
	case casework.ActStartProcedure:
		return casework.Input{Procedure: casework.ProcSiteInspection, Reason: "经营场所现场勘验，核查人员：张伟、李娜"}
	case casework.ActFinishProcedure:
		return casework.Input{Conclusion: "现场布局与平面图一致，设施符合要求", Attachments: []casework.FileRef{pdfFile("现场照片.pdf")}}
	case casework.ActPropose:
		return casework.Input{Outcome: casework.Approve, Reason: "材料齐全，现场核查符合条件，拟准予许可"}
	case casework.ActSendBack:
		return casework.Input{Reason: "现场核查结论未写明冷链设施情况"}
	}
	return casework.Input{}
}

// needsInput reports whether action refuses an empty input.
func needsInput(action casework.Action) bool {
	switch action {
	case casework.ActReturn, casework.ActResubmit, casework.ActSupply, casework.ActPause, casework.ActExtend,
		casework.ActRejectExtension, casework.ActRefuseResult, casework.ActDecide, casework.ActDeliver,
		casework.ActMail, casework.ActWithdraw, casework.ActTerminate, casework.ActRefuseAcceptance,
		casework.ActFailPreReview, casework.ActResubmitOnline, casework.ActOpen,
		casework.ActStartProcedure, casework.ActFinishProcedure, casework.ActPropose, casework.ActSendBack:
		return true
	}
	return false
}

// cloneCase copies a case deeply, so that a later change of the original
// cannot reach the copy.
func cloneCase(c *casework.Case) *casework.Case {
	out := *c
	out.Materials = slices.Clone(c.Materials)
	out.Pauses = slices.Clone(c.Pauses)
	out.CollectItems = slices.Clone(c.CollectItems)
	out.WaitingFor = slices.Clone(c.WaitingFor)
	out.Review = slices.Clone(c.Review)
	out.Procedures = slices.Clone(c.Procedures)
	for i := range out.Procedures {
		out.Procedures[i].Files = slices.Clone(c.Procedures[i].Files)
	}
	for i := range out.Materials {
		out.Materials[i].Files = slices.Clone(c.Materials[i].Files)
	}
	if c.Agent != nil {
		a := *c.Agent
		out.Agent = &a
	}
	if c.Extension != nil {
		e := *c.Extension
		out.Extension = &e
	}
	return &out
}

// wantCode fails unless err carries code.
func wantCode(t testing.TB, err error, code apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// wantField fails unless err is Invalid and names field.
func wantField(t testing.TB, err error, field string) {
	t.Helper()
	wantCode(t, err, apperr.Invalid)
	for _, f := range apperr.FieldsOf(err) {
		if f.Field == field {
			return
		}
	}
	t.Fatalf("error %v names fields %v, want %q", err, apperr.FieldsOf(err), field)
}

// stateError returns err's *StateError, or nil.
func stateError(err error) *casework.StateError {
	var se *casework.StateError
	if errors.As(err, &se) {
		return se
	}
	return nil
}

// pdfFile is an uploaded file as the blob store would record it.
func pdfFile(name string) casework.FileRef {
	return casework.FileRef{Name: name, Type: "application/pdf", Size: 2048, SHA256: strings.Repeat("ab", 32), Key: "2026/03/02/" + strings.Repeat("ab", 32)}
}

// onlineApplication is an application for item with a file for every
// material.
func onlineApplication(t testing.TB, code string) casework.OnlineApplication {
	files := map[string][]casework.FileRef{}
	for _, m := range item(t, code).Materials {
		files[m.Code] = []casework.FileRef{pdfFile(m.Name + ".pdf")}
	}
	return casework.OnlineApplication{ItemCode: code, Applicant: company(), Files: files}
}

// submitOnline makes an online case at now, as the applicant.
func submitOnline(t testing.TB, code string, now time.Time) *history {
	t.Helper()
	c, ev, err := casework.NewOnlineCase(onlineApplication(t, code), item(t, code), applicantUser, env(now))
	if err != nil {
		t.Fatalf("NewOnlineCase: %v", err)
	}
	c.Number, c.Version = "20260302000009", 1
	return &history{t: t, c: c, now: now, events: []*casework.Event{ev}}
}
