// Package casework holds the case (办件): its states, the transition table
// that says which action may happen in which state and by whom, the
// deadlines each transition sets, the events that record every change, and
// the documents the transitions produce. It knows nothing of SQL or HTTP.
package casework

import (
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/identity"
)

// State is where a case stands; a case is always in exactly one.
type State string

// The states of DESIGN.md section 3.
const (
	Submitted      State = "submitted"       // online, waiting for pre-review
	Received       State = "received"        // 收件: taken in at the desk
	Accepted       State = "accepted"        // 受理: the review clock runs
	Decided        State = "decided"         // 审批决定 made
	ResultReady    State = "result_ready"    // the result checked and held by the issuance desk
	Delivered      State = "delivered"       // picked up, or mailed and delivered
	Archived       State = "archived"        // the delivery receipt went back to the department
	Returned       State = "returned"        // 退回 with a correction notice
	Withdrawn      State = "withdrawn"       // by the applicant
	Terminated     State = "terminated"      // closed by the department, or deferred materials lapsed
	RejectedOnline State = "rejected_online" // pre-review failed
)

// States lists every state in process order.
var States = []State{Submitted, Received, Accepted, Decided, ResultReady, Delivered, Archived, Returned, Withdrawn, Terminated, RejectedOnline}

// Label returns the state's Chinese name.
func (s State) Label() string {
	switch s {
	case Submitted:
		return "待预审"
	case Received:
		return "已收件"
	case Accepted:
		return "已受理"
	case Decided:
		return "已决定"
	case ResultReady:
		return "待领取"
	case Delivered:
		return "已送达"
	case Archived:
		return "已归档"
	case Returned:
		return "已退回"
	case Withdrawn:
		return "已撤回"
	case Terminated:
		return "已终止"
	case RejectedOnline:
		return "预审未通过"
	}
	return string(s)
}

// Closed reports whether the case has ended. A failed pre-review
// (rejected_online) has not: the applicant may correct and resubmit.
func (s State) Closed() bool {
	return s == Archived || s == Withdrawn || s == Terminated
}

// Channel is how an application arrived.
type Channel string

// Channels.
const (
	AtWindow Channel = "window"
	ByMail   Channel = "mail"
	Online   Channel = "online"
)

// Outcome is a decision's result.
type Outcome string

// Outcomes.
const (
	Approve Outcome = "approve" // 准予
	Deny    Outcome = "deny"    // 不予
)

// PartyKind says whether an applicant is a person or an organisation.
type PartyKind string

// Party kinds.
const (
	Person PartyKind = "person"
	Entity PartyKind = "entity"
)

// Party is an applicant or an agent.
type Party struct {
	Kind     PartyKind       `json:"kind"`
	Name     string          `json:"name"`
	IDType   identity.IDType `json:"id_type"`
	IDNumber string          `json:"id_number"`
	Phone    string          `json:"phone"`
	Address  string          `json:"address,omitempty"`
}

// Masked returns the party with its ID number masked for display.
func (p Party) Masked() Party {
	p.IDNumber = identity.Mask(p.IDNumber)
	return p
}

// DeliveryMethod is how the result reaches the applicant.
type DeliveryMethod string

// Delivery methods.
const (
	Pickup DeliveryMethod = "pickup"
	Mail   DeliveryMethod = "mail"
)

// Delivery is the applicant's choice at intake.
type Delivery struct {
	Method    DeliveryMethod `json:"method"`
	Address   string         `json:"address,omitempty"`
	Recipient string         `json:"recipient,omitempty"`
	Phone     string         `json:"phone,omitempty"`
}

// MaterialStatus is where one material of a case stands.
type MaterialStatus string

// Material statuses.
const (
	Provided MaterialStatus = "provided"
	Deferred MaterialStatus = "deferred" // 容缺: to be supplied by supply_by
	Supplied MaterialStatus = "supplied" // a deferred material that arrived
	Missing  MaterialStatus = "missing"  // optional material not brought
)

// CaseMaterial is one handbook material as the case holds it.
type CaseMaterial struct {
	Code      string         `json:"code"`
	Name      string         `json:"name"`
	Required  bool           `json:"required"`
	Paper     bool           `json:"paper"`
	Originals int            `json:"originals"`
	Copies    int            `json:"copies"`
	Status    MaterialStatus `json:"status"`
	Files     []FileRef      `json:"files,omitempty"` // electronic files uploaded online
	// Electronic and PaperOnly say, for an online case, whether the
	// handbook takes the material as a file or only on paper.
	Electronic bool `json:"electronic,omitempty"`
	PaperOnly  bool `json:"paper_only,omitempty"`
	// Shared names where the hall obtains the material itself (data
	// sharing, catalog.Material.Shared): an online applicant need not
	// upload it nor bring it.
	Shared string `json:"shared,omitempty"`
}

// PauseType is the legal ground of a clock pause (行政许可法 art. 45, and
// site survey where the item's law provides for it).
type PauseType string

// Pause types.
const (
	Hearing      PauseType = "hearing"       // 听证
	Tender       PauseType = "tender"        // 招标
	Auction      PauseType = "auction"       // 拍卖
	Testing      PauseType = "testing"       // 检验
	Inspection   PauseType = "inspection"    // 检测
	Quarantine   PauseType = "quarantine"    // 检疫
	Appraisal    PauseType = "appraisal"     // 鉴定
	ExpertReview PauseType = "expert_review" // 专家评审
	SiteSurvey   PauseType = "site_survey"   // 现场踏勘
)

// PauseTypes lists every legal ground for a pause.
var PauseTypes = []PauseType{Hearing, Tender, Auction, Testing, Inspection, Quarantine, Appraisal, ExpertReview, SiteSurvey}

// Label returns the pause type's Chinese name.
func (p PauseType) Label() string {
	switch p {
	case Hearing:
		return "听证"
	case Tender:
		return "招标"
	case Auction:
		return "拍卖"
	case Testing:
		return "检验"
	case Inspection:
		return "检测"
	case Quarantine:
		return "检疫"
	case Appraisal:
		return "鉴定"
	case ExpertReview:
		return "专家评审"
	case SiteSurvey:
		return "现场踏勘"
	}
	return ""
}

// Pause is one stop of the review clock.
type Pause struct {
	Type    PauseType `json:"type"`
	Reason  string    `json:"reason"`
	From    time.Time `json:"from"`
	Until   time.Time `json:"until,omitzero"` // zero while the pause lasts
	Days    int       `json:"days"`           // working days added to decide_by on resume
	ByUser  string    `json:"by"`
	EndedBy string    `json:"ended_by,omitempty"`
}

// ExtensionState is where a request for more time stands.
type ExtensionState string

// Extension states.
const (
	NoExtension        ExtensionState = ""
	ExtensionRequested ExtensionState = "requested"
	ExtensionApproved  ExtensionState = "approved"
	ExtensionRejected  ExtensionState = "rejected"
)

// Extension is the one extension of the decision deadline art. 42 allows.
type Extension struct {
	State       ExtensionState `json:"state"`
	Days        int            `json:"days"`
	Reason      string         `json:"reason"`
	RequestedBy string         `json:"requested_by"`
	DecidedBy   string         `json:"decided_by,omitempty"`
}

// Deadlines are the case's time limits; a zero one does not apply.
type Deadlines struct {
	PreReviewBy time.Time `json:"prereview_by,omitzero"` // R13: the policy's days (2) from an online submission
	AcceptBy    time.Time `json:"accept_by,omitzero"`    // R5: the policy's days (2) from intake
	HandoverBy  time.Time `json:"handover_by,omitzero"`  // R6: the policy's paper handover cut-off
	SupplyBy    time.Time `json:"supply_by,omitzero"`    // deferred materials due
	DecideBy    time.Time `json:"decide_by,omitzero"`    // R8: promised limit from acceptance, moved on by pauses
	CorrectBy   time.Time `json:"correct_by,omitzero"`   // R9: the policy's days (1) from a refused result
	ArchiveBy   time.Time `json:"archive_by,omitzero"`   // R12: the policy's days (1) from delivery
	// FinishBy is an instant case's (R7): decided and handed over by the
	// close of the working day it was taken in (the next working day's
	// close when taken in after hours or on a day off).
	FinishBy time.Time `json:"finish_by,omitzero"`
	// InitialReviewBy is the street's initial review's (委托初审,
	// initial_review.go): the item's working days from intake.
	InitialReviewBy time.Time `json:"initial_review_by,omitzero"`
}

// Case is one application for one item.
type Case struct {
	ID          int64  `json:"-"`
	Number      string `json:"number"`
	CheckCode   string `json:"-"` // printed on the receipt; opens the public progress page
	ItemCode    string `json:"item_code"`
	ItemVersion int    `json:"item_version"`
	ItemName    string `json:"item_name"`
	// ItemType is the item's GB/T 39046 type: a licence's decisions cite
	// 行政许可法. "" (a case older than the field) reads as a licence.
	ItemType       catalog.Type   `json:"item_type,omitempty"`
	DepartmentCode string         `json:"department"`
	Kind           catalog.Kind   `json:"kind"`
	PromisedDays   int            `json:"promised_days"`
	Delegated      bool           `json:"delegated"` // instant item the intake desk may decide
	State          State          `json:"state"`
	Channel        Channel        `json:"channel"`
	HallCode       string         `json:"hall,omitempty"`
	PickupHall     string         `json:"pickup_hall,omitempty" readOnly:"true" doc:"领取结果的大厅（编码）：默认为收件大厅，由该大厅的综合出件窗口核验接收结果、发证、邮寄和归档"` // where the result is collected: the intake hall unless another was chosen (HallRule)
	Applicant      Party          `json:"applicant"`
	Agent          *Party         `json:"agent,omitempty"`
	Delivery       Delivery       `json:"delivery"`
	Materials      []CaseMaterial `json:"materials"`
	Deadlines      Deadlines      `json:"deadlines"`
	ReceivedAt     time.Time      `json:"received_at"`
	ReceivedBy     string         `json:"received_by"`
	AcceptedAt     time.Time      `json:"accepted_at,omitzero"`
	DecidedAt      time.Time      `json:"decided_at,omitzero"`
	DeliveredAt    time.Time      `json:"delivered_at,omitzero"`
	ClosedAt       time.Time      `json:"closed_at,omitzero"`
	HandoverAt     time.Time      `json:"handover_at,omitzero"` // paper materials signed for
	// Transit is the journey of paper taken in at a street or community
	// hall to the district hall (transit.go); nil when the paper stays.
	Transit *Transit `json:"transit,omitempty" readOnly:"true" doc:"街道、社区收件的纸质材料送区政务服务中心的交接（批次签收后部门开始计算材料交接时限）"`
	// ResultTransit is the journey of the result from the district hall to
	// a street or community pickup hall, ReceiptTransit that of the signed
	// delivery receipt back (transit.go); nil when nothing travels.
	ResultTransit  *Transit     `json:"result_transit,omitempty" readOnly:"true" doc:"办理结果从区政务服务中心送往街道、社区领取大厅的交接（批次在领取大厅签收后方可核验接收）"`
	ReceiptTransit *Transit     `json:"receipt_transit,omitempty" readOnly:"true" doc:"送达回执从领取大厅送回区政务服务中心的交接（批次签收后部门开始计算归档时限 R12）"`
	Outcome        Outcome      `json:"outcome,omitempty"`
	DecisionReason string       `json:"decision_reason,omitempty"`
	ResultDocument string       `json:"result_document,omitempty"`
	Pauses         []Pause      `json:"pauses,omitempty"`
	Extension      *Extension   `json:"extension,omitempty"`
	Result         ResultStatus `json:"result_status,omitempty"`
	CollectItems   []string     `json:"collect_items,omitempty"`
	Carrier        string       `json:"carrier,omitempty"`
	Tracking       string       `json:"tracking_number,omitempty"`
	Returns        int          `json:"returns"`         // times returned for correction
	ResultRefusals int          `json:"result_refusals"` // times the issuance desk refused the result (R9)
	CloseReason    string       `json:"close_reason,omitempty"`
	// NotAcceptedAt is when the department decided not to accept the case
	// (不予受理): it ended then, terminated, with a written decision.
	NotAcceptedAt time.Time `json:"not_accepted_at,omitzero"`
	// LapseWarning is what the applicant was last told in writing of their
	// deferred materials: the time after which the case ends if they are
	// still missing. Nothing else ends a case on its own (LapseAt).
	LapseWarning *WrittenWarning `json:"lapse_warning,omitempty"`
	Version      int             `json:"version"`

	// Policy is the copy of the deadline policy the case was taken in
	// under; zero for a case older than the policy, which runs under
	// version 1 (DeadlinePolicy).
	Policy Policy `json:"deadline_policy,omitzero" readOnly:"true" doc:"办件收件时适用的期限规则（版本及各项时限）"`

	// Electronic is the result as a PDF, when the department submitted one.
	Electronic *ElectronicResult `json:"electronic_result,omitempty" readOnly:"true" doc:"电子结果文书及其验证码（部门提交办理结果时上传 PDF 的）"`

	// Online applications (外网申报).
	AccountID   int64      `json:"account_id,omitempty"`  // the applicant account that applied online
	AgentUser   string     `json:"agent_user,omitempty"`  // the agent (代办员) account acting for the applicant
	SubmittedAt time.Time  `json:"submitted_at,omitzero"` // when the online application arrived
	OnlineFull  bool       `json:"online_full,omitempty"` // a fully online item (R14): accepted and decided online
	PreReview   *PreReview `json:"pre_review,omitempty"`  // the last pre-review's result (R13)
	Resubmits   int        `json:"resubmits,omitempty"`   // corrected online resubmissions

	// Joint applications (一件事).
	BundleNumber string            `json:"bundle,omitempty"`      // the bundle the case belongs to
	WaitingFor   []string          `json:"waiting_for,omitempty"` // prerequisite items not yet decided: acceptance waits
	Form         map[string]string `json:"form,omitempty"`        // the shared form's fields (一表式)

	// Review in levels and special procedures: levels.go, procedure.go.
	ReviewLevels int         `json:"review_levels,omitempty" readOnly:"true" doc:"审批层级（收件时按事项版本确定）：1 由审批人员直接决定；2 承办→批准；3 承办→审核→批准"`
	Review       []LevelStep `json:"review,omitempty" readOnly:"true" doc:"本轮已完成的下级审批层级（承办、审核），按顺序"`
	SendBacks    int         `json:"send_backs,omitempty" readOnly:"true" doc:"退回重办的次数"`
	Procedures   []Procedure `json:"procedures,omitempty" readOnly:"true" doc:"特别程序（现场勘验、专家评审、听证、公示），按启动顺序"`

	// InitialReview is the street's initial review (委托初审), nil for a
	// case without one: initial_review.go.
	InitialReview *InitialReview `json:"initial_review,omitempty" readOnly:"true" doc:"委托街道初审：事项委托初审且在街道为民服务中心收件的，部门受理前由街道初审人员初审"`
}

// PreReview is the department's answer to an online application (R13).
type PreReview struct {
	Passed  bool              `json:"passed"`
	Reason  string            `json:"reason,omitempty"`
	Reasons map[string]string `json:"reasons,omitempty"` // per material code, what to correct
	Bring   []MaterialLine    `json:"bring,omitempty"`   // passed: the paper to bring to the hall
	At      time.Time         `json:"at"`
	By      string            `json:"by"`
}

// FileRef is one uploaded electronic file of a material: kept in the blob
// store under Key, identified by its SHA-256.
type FileRef struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	Key    string `json:"key"`
}

// Waiting reports whether the case waits for prerequisite items of its
// bundle to be decided before it may be accepted.
func (c *Case) Waiting() bool { return len(c.WaitingFor) > 0 }

// Wait makes the case wait for the prerequisite items: its acceptance
// deadline starts only when they are decided.
func (c *Case) Wait(prerequisites []string) {
	c.WaitingFor = slices.Clone(prerequisites)
	if len(c.WaitingFor) > 0 {
		c.Deadlines.AcceptBy = time.Time{}
	}
}

// ResultStatus is where the result stands between decision and issuance.
type ResultStatus string

// Result statuses.
const (
	ResultNone      ResultStatus = ""
	ResultSubmitted ResultStatus = "submitted" // brought to the issuance desk with its sheet
	ResultRefused   ResultStatus = "refused"   // refused by the issuance desk, to be corrected by correct_by
	ResultAccepted  ResultStatus = "accepted"  // checked and taken by the issuance desk
	ResultMailed    ResultStatus = "mailed"    // in the post
)

// Paused reports whether the review clock is stopped.
func (c *Case) Paused() bool {
	return len(c.Pauses) > 0 && c.Pauses[len(c.Pauses)-1].Until.IsZero()
}

// DeferredOutstanding reports whether deferred materials are still due.
func (c *Case) DeferredOutstanding() bool {
	for _, m := range c.Materials {
		if m.Status == Deferred {
			return true
		}
	}
	return false
}

// PaperPending reports whether paper materials wait to be handed over to
// the department.
// Paper still travelling to the district hall is pending too: the
// department cannot sign for it yet, nor decide without it.
func (c *Case) PaperPending() bool {
	return c.PaperInTransit() || !c.Deadlines.HandoverBy.IsZero() && c.HandoverAt.IsZero()
}

// hasPaper reports whether any material was handed in on paper.
func (c *Case) hasPaper() bool {
	for _, m := range c.Materials {
		if m.Paper && (m.Status == Provided || m.Status == Supplied) {
			return true
		}
	}
	return false
}
