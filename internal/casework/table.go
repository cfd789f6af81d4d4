package casework

import (
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
)

// Action is one kind of change to a case; each is one transition.
type Action string

// The actions (the API's POST /cases/{number}/{action}).
const (
	ActIntake Action = "intake" // creates the case; not in the table
	ActAccept Action = "accept"
	ActReturn Action = "return"
	// ActRefuseAcceptance is the department's refusal to accept (不予受理,
	// 行政许可法 art. 32): the case ends with a written decision.
	ActRefuseAcceptance Action = "refuse-acceptance"
	ActResubmit         Action = "resubmit"
	ActSupply           Action = "supply"
	ActHandover         Action = "handover"
	ActPause            Action = "pause"
	ActResume           Action = "resume"
	ActExtend           Action = "extend"
	ActApproveExtension Action = "approve-extension"
	ActRejectExtension  Action = "reject-extension"
	ActDecide           Action = "decide"
	ActSubmitResult     Action = "submit-result"
	ActRefuseResult     Action = "refuse-result"
	ActAcceptResult     Action = "accept-result"
	ActDeliver          Action = "deliver"
	ActMail             Action = "mail"
	ActConfirmDelivery  Action = "confirm-delivery"
	ActArchive          Action = "archive"
	ActWithdraw         Action = "withdraw"
	ActTerminate        Action = "terminate"
	ActLapse            Action = "lapse" // the system, when deferred materials are overdue

	ActSubmit         Action = "submit"          // an online application arrives; creates the case, not in the table
	ActPassPreReview  Action = "pass-prereview"  // R13: the paper may be brought to the hall
	ActFailPreReview  Action = "fail-prereview"  // R13: reasons; the applicant may correct and resubmit
	ActResubmitOnline Action = "resubmit-online" // the applicant's corrected online application
	ActCompleteIntake Action = "complete-intake" // the intake desk takes the paper of a passed online case
	ActOpen           Action = "open"            // the system, when a bundle member's prerequisite is decided
)

// Rule is one row of the transition table: in these states, these roles
// (of the case's department, at the case's hall, where the rule says so)
// may take this action on cases of these kinds, if the guard holds, and
// the case moves to To ("" keeps the state).
type Rule struct {
	Action Action
	Label  string // Chinese name, for messages and buttons
	From   []State
	To     State
	Roles  []org.Role
	// System is true for actions only the system takes.
	System bool
	// Kinds limits the rule to instant or promised cases; nil means both.
	Kinds []catalog.Kind
	// OwnDepartment requires a department role to belong to the case's
	// department.
	OwnDepartment bool
	// Hall says at which hall's desk the rule's desk roles (intake,
	// issuance) may act: the case's intake hall, its pickup hall, or any;
	// NoHall for rules that name no desk role.
	Hall HallRule
	// Guard checks the sub-states (paused, papers pending …); nil always holds.
	Guard func(c *Case, a Actor, now time.Time) error
}

var (
	online       = []org.Role{org.RoleApplicant, org.RoleAgent}
	promisedOnly = []catalog.Kind{catalog.Promised}
	instantOnly  = []catalog.Kind{catalog.Instant}
	open         = []State{Received, Accepted, Returned}
)

// Table is the single source of what may happen to a case, by whom and
// where: the API's allowed_actions, the pages' buttons, the refusals and
// the tests all read it. Several rows may share an action when instant and
// promised cases differ.
var Table = []Rule{
	{Action: ActAccept, Label: "受理", From: []State{Received}, To: Accepted,
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardAccept},
	{Action: ActAccept, Label: "网上受理", From: []State{Submitted}, To: Accepted,
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardFullyOnline},
	{Action: ActPassPreReview, Label: "预审通过", From: []State{Submitted},
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardToPreReview},
	{Action: ActFailPreReview, Label: "预审不通过", From: []State{Submitted}, To: RejectedOnline,
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardNotPassed},
	{Action: ActResubmitOnline, Label: "修改后重新提交", From: []State{RejectedOnline}, To: Submitted,
		Roles: online, Kinds: promisedOnly, Guard: guardOwnApplication},
	{Action: ActCompleteIntake, Label: "核验纸质材料收件", From: []State{Submitted}, To: Received,
		Roles: []org.Role{org.RoleIntake}, Kinds: promisedOnly, Guard: guardPassed, Hall: AnyHall},
	{Action: ActOpen, Label: "前置事项已办结，开放受理", From: []State{Submitted, Received, Returned, RejectedOnline},
		System: true, Guard: guardWaiting},
	{Action: ActReturn, Label: "退回补正", From: []State{Received}, To: Returned,
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardInitialReviewed},
	{Action: ActRefuseAcceptance, Label: "不予受理", From: []State{Received}, To: Terminated,
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardInitialReviewed},
	{Action: ActRefuseAcceptance, Label: "不予受理", From: []State{Submitted}, To: Terminated,
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardOnlineFull},
	// The street's initial review (委托初审) comes before the department's
	// acceptance: initial_review.go.
	{Action: ActPassInitialReview, Label: "初审通过", From: []State{Received},
		Roles: []org.Role{org.RoleStreetReviewer}, Kinds: promisedOnly, Guard: guardInitialReview},
	{Action: ActReturnInitialReview, Label: "初审退回", From: []State{Received}, To: Returned,
		Roles: []org.Role{org.RoleStreetReviewer}, Kinds: promisedOnly, Guard: guardInitialReview},
	{Action: ActResubmit, Label: "补正后重新提交", From: []State{Returned}, To: Received,
		Roles: []org.Role{org.RoleIntake}, Kinds: promisedOnly, Hall: IntakeHall},
	{Action: ActSupply, Label: "补齐容缺材料", From: open,
		Roles: []org.Role{org.RoleIntake}, Kinds: promisedOnly, Guard: guardDeferred, Hall: IntakeHall},
	{Action: ActHandover, Label: "签收纸质材料", From: []State{Received, Accepted, Decided},
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardPaperPending},
	{Action: ActPause, Label: "暂停计时", From: []State{Accepted},
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardNotPaused},
	{Action: ActResume, Label: "恢复计时", From: []State{Accepted},
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardResumeByHand},
	{Action: ActExtend, Label: "申请延期", From: []State{Accepted},
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardNoExtension},
	{Action: ActApproveExtension, Label: "批准延期", From: []State{Accepted},
		Roles: []org.Role{org.RoleDeptAdmin}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardExtensionRequested},
	{Action: ActRejectExtension, Label: "不批准延期", From: []State{Accepted},
		Roles: []org.Role{org.RoleDeptAdmin}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardExtensionRequested},
	{Action: ActStartProcedure, Label: "启动特别程序", From: []State{Accepted},
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardNoProcedure},
	{Action: ActFinishProcedure, Label: "登记特别程序结果", From: []State{Accepted},
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardProcedureOpen},
	{Action: ActPropose, Label: "提出承办意见", From: []State{Accepted},
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardPropose},
	{Action: ActCheck, Label: "审核同意", From: []State{Accepted},
		Roles: []org.Role{org.RoleReviewer, org.RoleDeptAdmin}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardCheck},
	{Action: ActSendBack, Label: "退回重办", From: []State{Accepted},
		Roles: []org.Role{org.RoleReviewer, org.RoleDeptAdmin}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardSendBack},
	{Action: ActDecide, Label: "作出决定", From: []State{Accepted}, To: Decided,
		Roles: []org.Role{org.RoleReviewer, org.RoleDeptAdmin}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardApprove},
	{Action: ActDecide, Label: "当场办结", From: []State{Received}, To: Decided,
		Roles: []org.Role{org.RoleIntake, org.RoleReviewer}, Kinds: instantOnly, OwnDepartment: true, Guard: guardDelegated, Hall: IntakeHall},
	{Action: ActSubmitResult, Label: "提交办理结果", From: []State{Decided},
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardResultToSubmit},
	{Action: ActRefuseResult, Label: "拒收结果", From: []State{Decided},
		Roles: []org.Role{org.RoleIssuance}, Kinds: promisedOnly, Guard: guardResultHere, Hall: PickupHall},
	{Action: ActAcceptResult, Label: "核验接收结果", From: []State{Decided}, To: ResultReady,
		Roles: []org.Role{org.RoleIssuance}, Kinds: promisedOnly, Guard: guardResultHere, Hall: PickupHall},
	{Action: ActDeliver, Label: "领取发证", From: []State{ResultReady}, To: Delivered,
		Roles: []org.Role{org.RoleIssuance}, Kinds: promisedOnly, Guard: guardPickup, Hall: PickupHall},
	{Action: ActDeliver, Label: "当场发证", From: []State{Decided}, To: Delivered,
		Roles: []org.Role{org.RoleIntake, org.RoleIssuance}, Kinds: instantOnly, Hall: IntakeHall},
	{Action: ActMail, Label: "邮寄", From: []State{ResultReady},
		Roles: []org.Role{org.RoleIssuance}, Kinds: promisedOnly, Guard: guardToMail, Hall: PickupHall},
	{Action: ActConfirmDelivery, Label: "确认妥投", From: []State{ResultReady}, To: Delivered,
		Roles: []org.Role{org.RoleIssuance}, Kinds: promisedOnly, Guard: guardMailed, Hall: PickupHall},
	{Action: ActArchive, Label: "回执归档", From: []State{Delivered}, To: Archived,
		Roles: []org.Role{org.RoleIssuance}, Kinds: promisedOnly, Guard: guardReceiptStays, Hall: PickupHall},
	// A receipt that travelled back to the district hall from a street or
	// community pickup hall is archived by the department there (R12).
	{Action: ActArchive, Label: "回执归档", From: []State{Delivered}, To: Archived,
		Roles: []org.Role{org.RoleReviewer}, Kinds: promisedOnly, OwnDepartment: true, Guard: guardReceiptBack},
	{Action: ActArchive, Label: "回执归档", From: []State{Delivered}, To: Archived,
		Roles: []org.Role{org.RoleIntake, org.RoleIssuance}, Kinds: instantOnly, Hall: IntakeHall},
	{Action: ActWithdraw, Label: "申请人撤回", From: open, To: Withdrawn,
		Roles: []org.Role{org.RoleIntake}, Hall: IntakeHall},
	{Action: ActWithdraw, Label: "撤回申请", From: []State{Submitted, RejectedOnline}, To: Withdrawn,
		Roles: online, Kinds: promisedOnly, Guard: guardOwnApplication},
	{Action: ActTerminate, Label: "终止办理", From: open, To: Terminated,
		Roles: []org.Role{org.RoleReviewer}, OwnDepartment: true},
	{Action: ActTerminate, Label: "前置事项未获准予，终止办理", From: []State{Submitted, Received, Returned, RejectedOnline}, To: Terminated,
		System: true, Guard: guardWaiting},
	{Action: ActLapse, Label: "容缺逾期终止", From: open, To: Terminated,
		System: true, Kinds: promisedOnly, Guard: guardLapsed},
}

// Actions lists every action of the table once, in table order.
func Actions() []Action {
	var out []Action
	for _, r := range Table {
		if !slices.Contains(out, r.Action) {
			out = append(out, r.Action)
		}
	}
	return out
}

// Label returns the action's Chinese name.
func (a Action) Label() string {
	switch a {
	case ActIntake:
		return "收件"
	case ActSubmit:
		return "网上申报"
	case ActAttachFiles:
		return "上传扫描材料"
	case ActPaperArrive:
		return "纸质材料送达区政务服务中心"
	case ActPaperSendBack:
		return "纸质材料缺失或损毁，退回收件大厅"
	case ActResultArrive:
		return "办理结果送达领取大厅"
	case ActResultSendBack:
		return "办理结果缺失或损毁，退回区政务服务中心"
	case ActReceiptArrive:
		return "送达回执送回区政务服务中心"
	case ActReceiptSendBack:
		return "送达回执缺失或损毁，退回领取大厅"
	}
	for _, r := range Table {
		if r.Action == a {
			return r.Label
		}
	}
	return string(a)
}

// Valid reports whether a is an action of the table.
func (a Action) Valid() bool { return slices.Contains(Actions(), a) }

// rulesFor returns the rows for action that apply to the case's kind.
func rulesFor(c *Case, action Action) []Rule {
	var out []Rule
	for _, r := range Table {
		if r.Action == action && (r.Kinds == nil || slices.Contains(r.Kinds, c.Kind)) {
			out = append(out, r)
		}
	}
	return out
}

// mayAct reports whether the actor holds a role of r and, where r needs
// it, the case's department, and, for a desk role, is at the hall r binds
// it to. Intake clerks and the issuance desk serve every department;
// departments sit behind every hall.
func (r Rule) mayAct(c *Case, a Actor) bool {
	if a.System {
		return r.System
	}
	if r.System || !slices.Contains(r.Roles, a.Role) {
		return false
	}
	if r.OwnDepartment && a.Role.NeedsDepartment() && a.DepartmentCode != c.DepartmentCode {
		return false
	}
	return r.atHall(c, a)
}

// Allowed lists the actions the actor may take on the case now, in table
// order: the allowed_actions of the API and the buttons of the pages.
func Allowed(c *Case, a Actor, env Env) []Action {
	var out []Action
	for _, r := range Table {
		if slices.Contains(out, r.Action) || (r.Kinds != nil && !slices.Contains(r.Kinds, c.Kind)) {
			continue
		}
		if !slices.Contains(r.From, c.State) || !r.mayAct(c, a) || r.unplaced(c, a) != nil {
			continue
		}
		if r.Guard != nil && r.Guard(c, a, env.Now) != nil {
			continue
		}
		out = append(out, r.Action)
	}
	return out
}
