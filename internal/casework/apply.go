package casework

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
)

// Actor is who acts on a case.
type Actor struct {
	Username string
	// Name is the person's real name, which the documents the step issues
	// print ("" when unknown: the documents then print the username).
	Name           string
	Role           org.Role
	DepartmentCode string
	HallCode       string
	System         bool   // the system itself (lapses)
	Desk           string // the channel and place it came through
	// AccountID is the applicant account acting online (RoleApplicant), or
	// the account an agent acts for.
	AccountID int64
	// OnBehalfOf names the applicant an agent acts for; the event records
	// both.
	OnBehalfOf string
	// Client names the department system (API client) through which the
	// reviewer acts; the event records both, as details "client".
	Client string
}

// Env is what a transition needs of the world: the calendar, the time and
// the deadline policy in force.
type Env struct {
	Cal *calendar.Calendar
	Now time.Time
	// Policy is the deadline policy in force, which a new case takes; the
	// zero Policy stands for DefaultPolicy. A transition of an existing
	// case follows the case's own copy (Case.DeadlinePolicy), never this.
	Policy Policy
	// PaperTo is the hall the paper taken in at the actor's hall travels
	// to (the district hall, from a street or community hall), "" when
	// the paper stays where it is taken in. Set by the service from the
	// hall, never from a request.
	PaperTo string
	// TransitHub maps a street or community hall's code to the district
	// hall its results come from and its delivery receipts go back to on
	// transit runs (absent for a hall nothing travels to). Set by the
	// service from the halls for the steps that start such journeys.
	TransitHub map[string]string
	// InitialReviewAt is the street centre the intake is made at, by code
	// and name, when its reviewer does the initial review of the items
	// the bureau delegates so (委托初审, initial_review.go); zero elsewhere.
	// Set by the service from the hall, never from a request.
	InitialReviewAt struct{ Code, Name string }
	// District is the name of the district the hall serves (江川区): the
	// written decisions name its people's government for 行政复议 and
	// their numbers begin with its short name. "" leaves both out.
	District string
}

// Input carries an action's fields; each action reads its own.
type Input struct {
	Reason      string   `json:"reason,omitempty"`      // return, pause, extend, decide, refuse-result, withdraw, terminate
	Corrections []string `json:"corrections,omitempty"` // return: codes of the materials to correct or supply
	// CorrectionReasons gives, per material code, what is wrong with it
	// (return); a material with a reason is to be corrected.
	CorrectionReasons map[string]string `json:"correction_reasons,omitempty"`
	Materials         []string          `json:"materials,omitempty"`       // resubmit, supply: codes of the materials handed in now
	PauseType         PauseType         `json:"pause_type,omitempty"`      // pause
	Days              int               `json:"days,omitempty"`            // extend
	Outcome           Outcome           `json:"outcome,omitempty"`         // decide
	ResultDocument    string            `json:"result_document,omitempty"` // decide: the licence or letter, with its number
	CollectItems      []string          `json:"collect_items,omitempty"`   // submit-result: what to take back from the applicant (R10)
	Signer            string            `json:"signer,omitempty"`          // deliver: who signs the receipt
	SignerIDType      identity.IDType   `json:"signer_id_type,omitempty"`  // deliver: the signer's ID, checked at the desk
	SignerIDNumber    string            `json:"signer_id_number,omitempty"`
	Carrier           string            `json:"carrier,omitempty"`         // mail
	Tracking          string            `json:"tracking_number,omitempty"` // mail
	// Files replaces the electronic files of the materials it names
	// (resubmit-online), by material code.
	Files map[string][]FileRef `json:"files,omitempty"`
	// Procedure is the special procedure to start (start-procedure).
	Procedure ProcedureKind `json:"procedure,omitempty" enum:"site_inspection,expert_review,hearing,publicity" doc:"启动的特别程序：site_inspection 现场勘验、expert_review 专家评审、hearing 听证、publicity 公示"`
	// Conclusion and Attachments record a special procedure's finish.
	Conclusion  string    `json:"conclusion,omitempty" doc:"特别程序的结论（finish-procedure）"`
	Attachments []FileRef `json:"attachments,omitempty" doc:"特别程序的附件（finish-procedure）：已上传文件的引用"`
	// AgentUser is the agent (代办员) who collects the result for the
	// applicant (deliver); the service checks the authorisation.
	AgentUser string `json:"agent_user,omitempty"`
	// Prerequisite is the bundle member item whose decision opens this case
	// (open) or whose failure ends it (terminate by the system).
	Prerequisite string `json:"prerequisite,omitempty"`
	// Confirm says the decision was checked as it will be printed (decide,
	// refuse-acceptance): without it such a step is refused and changes
	// nothing (NeedsConfirm; Preview shows what would be printed).
	Confirm bool `json:"confirm,omitempty" doc:"作出决定（decide）和不予受理（refuse-acceptance）须为 true：表示已核对将出具的决定书（可先用 …/preview 预览），否则不生效"`

	// ResultFile is the result as a PDF (submit-result), uploaded first
	// (POST /api/v1/cases/{number}/result-file).
	ResultFile *FileRef `json:"result_file,omitempty" doc:"电子结果文书（submit-result，可不填）：先上传（POST /api/v1/cases/{number}/result-file）后得到的文件引用，须为 PDF"`
	// VerificationCode is the code the service draws for ResultFile;
	// never read from a request.
	VerificationCode string `json:"-"`
}

// MaxExtensionDays is the longest extension art. 42 allows.
const MaxExtensionDays = 10

// Apply takes action on the case for the actor: it checks the table (role,
// department, state, guard), validates the input, changes the case and
// returns the event and any documents. On error the case is unchanged.
func Apply(c *Case, action Action, in Input, a Actor, env Env) (*Event, []Document, error) {
	rules := rulesFor(c, action)
	if len(rules) == 0 {
		if !action.Valid() {
			return nil, nil, apperr.Field("action", "未知的操作："+string(action))
		}
		// The action is for the other kind of case. A role that cannot take
		// it on any case is still told so first (403), as below.
		var all []Rule
		for _, r := range Table {
			if r.Action == action {
				all = append(all, r)
			}
		}
		if !slices.ContainsFunc(all, func(r Rule) bool { return r.mayAct(c, a) }) {
			return nil, nil, forbidden(c, action, a, all)
		}
		return nil, nil, stateError(c, action, a, env, fmt.Sprintf("%s不适用于%s", action.Label(), kindLabel(c)))
	}
	// Who may act at all comes first: a role that can never take this
	// action is told so (403) whatever the state.
	var mayAct []Rule
	for _, r := range rules {
		if r.mayAct(c, a) {
			mayAct = append(mayAct, r)
		}
	}
	if len(mayAct) == 0 {
		return nil, nil, forbidden(c, action, a, rules)
	}
	var rule *Rule
	for i := range mayAct {
		if slices.Contains(mayAct[i].From, c.State) {
			rule = &mayAct[i]
			break
		}
	}
	if rule == nil {
		return nil, nil, notNow(c, action, a, env)
	}
	if err := rule.unplaced(c, a); err != nil {
		return nil, nil, err
	}
	if rule.Guard != nil {
		if err := rule.Guard(c, a, env.Now); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				// A sub-state blocks it: say why, and what can be done.
				return nil, nil, stateError(c, action, a, env, apperr.MessageOf(err))
			}
			return nil, nil, err
		}
	}
	next := *c // changes are made on a copy: an error leaves c as it was
	next.Materials = slices.Clone(c.Materials)
	next.Pauses = slices.Clone(c.Pauses)
	if c.Extension != nil {
		ext := *c.Extension
		next.Extension = &ext
	}
	next.WaitingFor = slices.Clone(c.WaitingFor)
	t := transition{c: &next, in: in, a: a, env: env, details: map[string]any{}}
	if a.OnBehalfOf != "" {
		t.details["on_behalf_of"] = a.OnBehalfOf
	}
	if a.Client != "" {
		t.details["client"] = a.Client
	}
	if err := t.run(action); err != nil {
		return nil, nil, err
	}
	from := c.State
	if rule.To != "" {
		next.State = rule.To
	}
	if next.State.Closed() && next.ClosedAt.IsZero() {
		next.ClosedAt = env.Now
	}
	details, err := json.Marshal(t.details)
	if err != nil {
		return nil, nil, apperr.Wrap(err, "event details")
	}
	*c = next
	ev := &Event{Type: action, Actor: a.name(), Role: a.roleName(), Desk: a.Desk, At: env.Now, From: from, To: c.State, Details: details}
	return ev, t.docs, nil
}

func kindLabel(c *Case) string {
	if c.Kind == "instant" {
		return "即办件"
	}
	return "承诺件"
}

func (a Actor) name() string {
	if a.System {
		return "system"
	}
	return a.Username
}

// realName is the actor as a document prints them: the real name, else
// the username.
func (a Actor) realName() string {
	switch {
	case a.System:
		return "系统"
	case a.Name != "":
		return a.Name
	}
	return a.Username
}

func (a Actor) roleName() string {
	if a.System {
		return "system"
	}
	return string(a.Role)
}

// forbidden is the 403 of an actor no rule of the action lets act: the
// rule that names the actor's role says why (another department, another
// hall: a *HallRefusal); else the role cannot take the action at all.
func forbidden(c *Case, action Action, a Actor, rules []Rule) error {
	if a.System {
		return apperr.New(apperr.Forbidden, "系统不能执行「%s」", action.Label())
	}
	for _, r := range rules {
		if r.System || !slices.Contains(r.Roles, a.Role) {
			continue
		}
		if r.OwnDepartment && a.Role.NeedsDepartment() && a.DepartmentCode != c.DepartmentCode {
			return apperr.New(apperr.Forbidden, "只能办理本部门的办件（该办件属于 %s）", c.DepartmentCode)
		}
		if err := r.hallRefusal(c, a); err != nil {
			return err
		}
	}
	return apperr.New(apperr.Forbidden, "您的角色（%s）不能执行「%s」", a.Role.Label(), action.Label())
}

// notNow is the 409 for an action the case's state does not allow; the
// message names the state and what may be done instead.
func notNow(c *Case, action Action, a Actor, env Env) error {
	return stateError(c, action, a, env, fmt.Sprintf("办件当前状态为「%s」，不能执行「%s」", c.StateLabel(), action.Label()))
}

// stateError is the 409 of an action the case's state or sub-state does
// not allow: why, then the actions that are allowed.
func stateError(c *Case, action Action, a Actor, env Env, why string) error {
	allowed := Allowed(c, a, env)
	names := make([]string, len(allowed))
	for i, x := range allowed {
		names[i] = x.Label() + "（" + string(x) + "）"
	}
	hint := "当前无可执行的操作"
	if len(names) > 0 {
		hint = "可执行的操作：" + strings.Join(names, "、")
	}
	return &StateError{
		State: c.State, Action: action, Allowed: allowed,
		Err: apperr.New(apperr.Conflict, "%s；%s", why, hint),
	}
}

// StateError is the conflict of an action the state does not allow; it
// carries the actions that are allowed.
type StateError struct {
	State   State
	Action  Action
	Allowed []Action
	Err     *apperr.Error
}

func (e *StateError) Error() string { return e.Err.Error() }

// Unwrap returns the coded error.
func (e *StateError) Unwrap() error { return e.Err }

// transition applies one action's changes to a copy of the case.
type transition struct {
	c       *Case
	in      Input
	a       Actor
	env     Env
	details map[string]any
	docs    []Document
}

func (t *transition) run(action Action) error {
	switch action {
	case ActPassInitialReview:
		return t.passInitialReview()
	case ActReturnInitialReview:
		return t.returnInitialReview()
	case ActAccept:
		return t.accept()
	case ActRefuseAcceptance:
		return t.refuseAcceptance()
	case ActReturn:
		return t.returnCase()
	case ActResubmit:
		return t.resubmit()
	case ActSupply:
		return t.supply()
	case ActHandover:
		return t.handover()
	case ActPause:
		return t.pause()
	case ActResume:
		return t.resume()
	case ActExtend:
		return t.extend()
	case ActApproveExtension, ActRejectExtension:
		return t.decideExtension(action == ActApproveExtension)
	case ActDecide:
		if err := t.approve(); err != nil {
			return err
		}
		return t.decide()
	case ActPropose:
		return t.propose()
	case ActCheck:
		return t.check()
	case ActSendBack:
		return t.sendBack()
	case ActStartProcedure:
		return t.startProcedure()
	case ActFinishProcedure:
		return t.finishProcedure()
	case ActSubmitResult:
		return t.submitResult()
	case ActRefuseResult:
		return t.refuseResult()
	case ActAcceptResult:
		t.c.Result = ResultAccepted
		t.c.Deadlines.CorrectBy = time.Time{}
		return nil
	case ActDeliver:
		return t.deliver()
	case ActMail:
		return t.mail()
	case ActConfirmDelivery:
		return t.delivered("mail")
	case ActArchive:
		t.details["on_time"] = t.c.Deadlines.ArchiveBy.IsZero() || !t.env.Now.After(t.c.Deadlines.ArchiveBy)
		return nil
	case ActWithdraw, ActTerminate:
		reason, err := t.reason(true)
		t.c.CloseReason = reason
		// Only the system's bundle steps name the failed prerequisite: a
		// person's body cannot put one into the record.
		if t.a.System && t.in.Prerequisite != "" {
			t.details["prerequisite"] = t.in.Prerequisite
		}
		return err
	case ActPassPreReview:
		return t.passPreReview()
	case ActFailPreReview:
		return t.failPreReview()
	case ActResubmitOnline:
		return t.resubmitOnline()
	case ActCompleteIntake:
		return t.completeIntake()
	case ActOpen:
		return t.open()
	case ActLapse:
		t.c.CloseReason = "容缺材料逾期未补齐，终止办理"
		t.details["reason"] = t.c.CloseReason
		t.details["supply_by"] = t.c.Deadlines.SupplyBy
		return nil
	}
	return apperr.Field("action", "未知的操作："+string(action))
}

// reason reads the input's reason, required or not, and records it.
func (t *transition) reason(required bool) (string, error) {
	r := strings.TrimSpace(t.in.Reason)
	if required && r == "" {
		return "", apperr.Field("reason", "请填写原因")
	}
	if utf8.RuneCountInString(r) > 1000 {
		return "", apperr.Field("reason", "原因不超过 1000 个字")
	}
	if r != "" {
		t.details["reason"] = r
	}
	return r, nil
}

func (t *transition) onTime(due time.Time) bool { return due.IsZero() || !t.env.Now.After(due) }

func (t *transition) accept() error {
	c := t.c
	due := c.Deadlines.AcceptBy
	if c.State == Submitted {
		due = c.Deadlines.PreReviewBy // a fully online case is accepted at its pre-review
		c.PreReview = &PreReview{Passed: true, At: t.env.Now, By: t.a.name()}
	}
	t.details["on_time"] = t.onTime(due)
	c.AcceptedAt = t.env.Now
	c.Deadlines.DecideBy = t.env.Cal.AddWorkingDays(t.env.Now, c.PromisedDays)
	t.details["decide_by"] = c.Deadlines.DecideBy
	t.recordInitialReview() // the initial review's person and the department's
	t.docs = append(t.docs, t.acceptanceNotice())
	return nil
}

func (t *transition) returnCase() error {
	c := t.c
	if code, dup := repeated(t.in.Corrections); dup {
		return apperr.Field("corrections", "材料重复："+code)
	}
	codes := slices.Clone(t.in.Corrections)
	for code, why := range t.in.CorrectionReasons {
		if strings.TrimSpace(why) != "" && !slices.Contains(codes, code) {
			codes = append(codes, code)
		}
	}
	slices.SortFunc(codes, func(a, b string) int { return c.material(a) - c.material(b) })
	var lines []MaterialLine
	for _, code := range codes {
		i := c.material(code)
		if i < 0 {
			return apperr.Field("corrections", "办事指南未列明该材料："+code)
		}
		line := c.Materials[i].line()
		line.Reason = strings.TrimSpace(t.in.CorrectionReasons[code])
		if utf8.RuneCountInString(line.Reason) > 200 {
			return apperr.Field("corrections", "每项材料的退回原因不超过 200 个字")
		}
		lines = append(lines, line)
	}
	// A reason overall, or one for each material named, is required.
	perMaterial := len(lines) > 0
	for _, l := range lines {
		perMaterial = perMaterial && l.Reason != ""
	}
	reason, err := t.reason(!perMaterial)
	if err != nil {
		return err
	}
	t.details["corrections"] = codes
	if len(t.in.CorrectionReasons) > 0 {
		t.details["correction_reasons"] = t.in.CorrectionReasons
	}
	t.details["on_time"] = t.onTime(c.Deadlines.AcceptBy)
	c.Returns++
	c.Deadlines.AcceptBy = time.Time{}
	deadlines := t.returnDeadlines()
	t.docs = append(t.docs, newDocument(CorrectionNotice, t.env.Now, CorrectionData{
		Number: c.Number, Applicant: c.Applicant.Masked(), Item: c.ItemName, Department: c.DepartmentCode,
		Reasons: reason, ToCorrect: lines, ReturnedAt: t.env.Now, ReturnedBy: t.a.Username,
		Notice:    "请按本通知补齐或补正材料后，到综合受理窗口重新提交；办件编号不变。",
		Deadlines: deadlines, Terms: c.ReturnTerms(),
	}))
	return nil
}

func (t *transition) resubmit() error {
	c := t.c
	if len(t.in.Materials) == 0 {
		return apperr.Field("materials", "请勾选补正后重新提交的材料")
	}
	if code, dup := repeated(t.in.Materials); dup {
		return apperr.Field("materials", "材料重复："+code)
	}
	paper := false
	for _, code := range t.in.Materials {
		i := c.material(code)
		if i < 0 {
			return apperr.Field("materials", "办事指南未列明该材料："+code)
		}
		if c.Materials[i].Status == Missing {
			c.Materials[i].Status = Provided
		}
		// A material still deferred was not handed in now.
		paper = paper || (c.Materials[i].Paper && c.Materials[i].Status == Provided)
	}
	t.details["materials"] = t.in.Materials
	now := t.env.Now
	c.Deadlines.AcceptBy = t.env.Cal.AddWorkingDays(now, c.DeadlinePolicy().AcceptDays)
	t.restartInitialReview() // the street reviews the corrected materials first
	if paper && c.Transit != nil {
		// The corrected paper travels to the district hall on a new trip.
		c.startTrip("", "", now)
		t.details["paper_travels"] = true
	} else if paper {
		c.Deadlines.HandoverBy = c.DeadlinePolicy().HandoverBy(t.env.Cal, now)
		c.HandoverAt = time.Time{}
		// The record names the new sheet's cut-off: supervision counts it
		// as a handover step of its own.
		t.details["handover_by"] = c.Deadlines.HandoverBy
	}
	t.details["accept_by"] = c.Deadlines.AcceptBy
	return nil
}

func (t *transition) supply() error {
	c := t.c
	if len(t.in.Materials) == 0 {
		return apperr.Field("materials", "请勾选补齐的容缺材料")
	}
	if code, dup := repeated(t.in.Materials); dup {
		return apperr.Field("materials", "材料重复："+code)
	}
	paper := false
	for _, code := range t.in.Materials {
		i := c.material(code)
		if i < 0 || c.Materials[i].Status != Deferred {
			return apperr.Field("materials", "该材料不是待补齐的容缺材料："+code)
		}
		c.Materials[i].Status = Supplied
		paper = paper || c.Materials[i].Paper
	}
	t.details["materials"] = t.in.Materials
	t.details["on_time"] = t.onTime(c.Deadlines.SupplyBy)
	// Supplied papers go to the department too (R6): a new handover if the
	// earlier papers were already signed for, else with the pending one.
	if paper && c.Transit != nil {
		// Supplied paper travels to the district hall on a new trip.
		c.startTrip("", "", t.env.Now)
		t.details["paper_travels"] = true
	} else if paper && (!c.HandoverAt.IsZero() || c.Deadlines.HandoverBy.IsZero()) {
		c.HandoverAt = time.Time{}
		c.Deadlines.HandoverBy = c.DeadlinePolicy().HandoverBy(t.env.Cal, t.env.Now)
		t.details["handover_by"] = c.Deadlines.HandoverBy
	}
	return nil
}

func (t *transition) handover() error {
	c := t.c
	c.HandoverAt = t.env.Now
	onTime := t.onTime(c.Deadlines.HandoverBy)
	t.details["on_time"] = onTime
	var lines []MaterialLine
	for _, m := range c.Materials {
		if m.Paper && (m.Status == Provided || m.Status == Supplied) {
			lines = append(lines, m.line())
		}
	}
	t.docs = append(t.docs, newDocument(HandoverSheet, t.env.Now, HandoverData{
		Number: c.Number, Item: c.ItemName, Department: c.DepartmentCode, Materials: lines,
		ReceivedAt: c.ReceivedAt, ReceivedBy: c.ReceivedBy, Cutoff: c.Deadlines.HandoverBy,
		SignedAt: t.env.Now, SignedBy: t.a.Username, OnTime: onTime,
	}))
	return nil
}

func (t *transition) pause() error {
	if !slices.Contains(PauseTypes, t.in.PauseType) {
		return apperr.Field("pause_type", "暂停计时须注明法定事由：听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审或现场踏勘")
	}
	reason, err := t.reason(true)
	if err != nil {
		return err
	}
	t.c.Pauses = append(t.c.Pauses, Pause{Type: t.in.PauseType, Reason: reason, From: t.env.Now, ByUser: t.a.Username})
	t.details["pause_type"] = t.in.PauseType
	return nil
}

// resume restarts the clock: decide_by moves on by the working days the
// pause spanned (counted as deadlines are: the pause's own day not).
func (t *transition) resume() error {
	c := t.c
	p := &c.Pauses[len(c.Pauses)-1]
	p.Until, p.EndedBy = t.env.Now, t.a.Username
	p.Days = t.env.Cal.WorkingDaysBetween(p.From, t.env.Now)
	if p.Days > 0 {
		c.Deadlines.DecideBy = t.env.Cal.AddWorkingDays(c.Deadlines.DecideBy, p.Days)
	}
	t.details["paused_days"] = p.Days
	t.details["decide_by"] = c.Deadlines.DecideBy
	return nil
}

func (t *transition) extend() error {
	if t.in.Days < 1 || t.in.Days > MaxExtensionDays {
		return apperr.Field("days", "延长期限须为 1 至 10 个工作日（行政许可法第四十二条）")
	}
	reason, err := t.reason(true)
	if err != nil {
		return err
	}
	t.c.Extension = &Extension{State: ExtensionRequested, Days: t.in.Days, Reason: reason, RequestedBy: t.a.Username}
	t.details["days"] = t.in.Days
	return nil
}

func (t *transition) decideExtension(approve bool) error {
	c := t.c
	if _, err := t.reason(!approve); err != nil {
		return err
	}
	c.Extension.DecidedBy = t.a.Username
	if !approve {
		c.Extension.State = ExtensionRejected
		return nil
	}
	c.Extension.State = ExtensionApproved
	c.Deadlines.DecideBy = t.env.Cal.AddWorkingDays(c.Deadlines.DecideBy, c.Extension.Days)
	t.details["days"] = c.Extension.Days
	t.details["decide_by"] = c.Deadlines.DecideBy
	return nil
}

func (t *transition) decide() error {
	c := t.c
	if t.in.Outcome != Approve && t.in.Outcome != Deny {
		return apperr.Field("outcome", "决定结果须为 approve（准予）或 deny（不予）")
	}
	reason, err := t.reason(t.in.Outcome == Deny)
	if err != nil {
		if strings.TrimSpace(t.in.Reason) == "" {
			return apperr.Field("reason", "不予许可须说明理由")
		}
		return err
	}
	doc := strings.TrimSpace(t.in.ResultDocument)
	kind := ApprovalDecision
	if t.in.Outcome == Deny {
		kind = DenialDecision
		if doc == "" {
			doc = c.DocumentTitle(kind) // the written decision is the result
		}
	}
	if doc == "" || utf8.RuneCountInString(doc) > 200 {
		return apperr.Field("result_document", "请填写结果文书或证照名称及编号（不超过 200 个字）")
	}
	if err := t.confirmed(kind); err != nil {
		return err
	}
	c.Outcome, c.DecisionReason, c.ResultDocument, c.DecidedAt = t.in.Outcome, reason, doc, t.env.Now
	t.details["outcome"] = c.Outcome
	t.details["result_document"] = doc
	t.details["on_time"] = t.onTime(c.Deadlines.DecideBy)
	t.docs = append(t.docs, t.decisionDocument())
	return nil
}

func (t *transition) submitResult() error {
	c := t.c
	items := c.CollectItems
	if t.in.CollectItems != nil {
		items = nil
		for _, s := range t.in.CollectItems {
			if s = strings.TrimSpace(s); s != "" {
				// The handbook's own items have the same limit.
				if utf8.RuneCountInString(s) > 100 {
					return apperr.Field("collect_items", "出件时收回的物品名称不超过 100 个字")
				}
				items = append(items, s)
			}
		}
	}
	c.CollectItems = items
	if err := t.correctResult(); err != nil {
		return err
	}
	if err := t.attachResult(); err != nil { // electronic.go
		return err
	}
	attempt := c.ResultRefusals + 1
	if c.Result == ResultRefused {
		t.details["on_time"] = t.onTime(c.Deadlines.CorrectBy)
		c.Deadlines.CorrectBy = time.Time{}
	}
	c.Result = ResultSubmitted
	if hub := c.travelHub(t.env); hub != "" {
		// The result waits at the district hall's issuance desk for the
		// run to the pickup hall; that hall checks it once it arrives.
		c.ResultTransit = nextTrip(c.ResultTransit, hub, c.DeskHall(PickupHall), t.env.Now)
		t.details["result_travels"] = true
	}
	t.details["collect_items"] = items
	t.docs = append(t.docs, newDocument(ResultSheet, t.env.Now, ResultSheetData{
		Number: c.Number, Item: c.ItemName, Department: c.DepartmentCode, Outcome: c.Outcome,
		Document: c.ResultDocument, CollectItems: items, Delivery: c.Delivery,
		SubmittedAt: t.env.Now, SubmittedBy: t.a.Username, Attempt: attempt,
		Electronic: c.Electronic.printed(),
	}))
	return nil
}

func (t *transition) refuseResult() error {
	if _, err := t.reason(true); err != nil {
		return err
	}
	t.c.Result = ResultRefused
	t.c.ResultRefusals++
	t.c.Deadlines.CorrectBy = t.env.Cal.AddWorkingDays(t.env.Now, t.c.DeadlinePolicy().CorrectDays)
	t.details["correct_by"] = t.c.Deadlines.CorrectBy
	return nil
}

func (t *transition) deliver() error {
	signer := strings.TrimSpace(t.in.Signer)
	if signer == "" || utf8.RuneCountInString(signer) > 100 {
		return apperr.Field("signer", "请填写签收人姓名")
	}
	if err := identity.Validate(t.in.SignerIDType, normalizeID(t.in.SignerIDType, t.in.SignerIDNumber)); err != nil {
		return apperr.Field("signer_id_number", "签收人证件："+apperr.MessageOf(err))
	}
	t.details["signer"] = signer
	t.details["signer_id"] = identity.Mask(normalizeID(t.in.SignerIDType, t.in.SignerIDNumber))
	if agent := strings.TrimSpace(t.in.AgentUser); agent != "" {
		t.details["agent"] = agent // 代办员 collecting for the applicant
		t.details["for"] = t.c.Applicant.Name
	}
	return t.delivered("pickup")
}

func (t *transition) mail() error {
	carrier, tracking := strings.TrimSpace(t.in.Carrier), strings.TrimSpace(t.in.Tracking)
	if carrier == "" || utf8.RuneCountInString(carrier) > 50 {
		return apperr.Field("carrier", "请填写寄递企业（如 EMS）")
	}
	if len(tracking) < 6 || len(tracking) > 40 || strings.ContainsFunc(tracking, unicode.IsSpace) {
		return apperr.Field("tracking_number", "请填写正确的邮件号（6 至 40 位）")
	}
	t.c.Carrier, t.c.Tracking, t.c.Result = carrier, tracking, ResultMailed
	t.details["carrier"], t.details["tracking_number"] = carrier, tracking
	return nil
}

// delivered records the delivery and its receipt; archiving is due the
// policy's working days later (R12: one by default).
func (t *transition) delivered(method string) error {
	c := t.c
	c.DeliveredAt = t.env.Now
	if hub := c.travelHub(t.env); hub != "" && c.ResultTransit != nil {
		// The result travelled here from the district hall, so the signed
		// receipt travels back (an instant case's stays at the window): the
		// department's archiving clock (R12) runs from its arrival.
		c.ReceiptTransit = nextTrip(c.ReceiptTransit, c.DeskHall(PickupHall), hub, t.env.Now)
		c.Deadlines.ArchiveBy = time.Time{}
		t.details["receipt_travels"] = true
	} else {
		c.Deadlines.ArchiveBy = t.env.Cal.AddWorkingDays(t.env.Now, c.DeadlinePolicy().ArchiveDays)
		t.details["archive_by"] = c.Deadlines.ArchiveBy
	}
	r := ReceiptOfDelivery{
		Number: c.Number, Item: c.ItemName, Applicant: c.Applicant.Masked(), Document: c.ResultDocument,
		Method: method, CollectItems: c.CollectItems, At: t.env.Now, By: t.a.Username,
		Electronic: c.Electronic.printed(),
	}
	if method == "pickup" {
		r.Signer, _ = t.details["signer"].(string)
		r.SignerID, _ = t.details["signer_id"].(string)
	} else {
		r.Carrier, r.Tracking = c.Carrier, c.Tracking
	}
	t.docs = append(t.docs, newDocument(DeliveryReceipt, t.env.Now, r))
	return nil
}

// repeated returns the first code listed twice.
func repeated(codes []string) (string, bool) {
	seen := make(map[string]bool, len(codes))
	for _, c := range codes {
		if seen[c] {
			return c, true
		}
		seen[c] = true
	}
	return "", false
}

func (c *Case) material(code string) int {
	for i, m := range c.Materials {
		if m.Code == code {
			return i
		}
	}
	return -1
}

func (m CaseMaterial) line() MaterialLine {
	return MaterialLine{Code: m.Code, Name: m.Name, Originals: m.Originals, Copies: m.Copies, Paper: m.Paper, Status: string(m.Status)}
}

func normalizeID(t identity.IDType, s string) string {
	switch t {
	case identity.ResidentID:
		return identity.NormalizeResidentID(s)
	case identity.CreditCode:
		return identity.NormalizeCreditCode(s)
	}
	return strings.ToUpper(strings.TrimSpace(s))
}
