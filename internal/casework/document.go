package casework

import (
	"encoding/json"
	"time"
)

// DocKind names a document a transition produces.
type DocKind string

// The documents (their printable pages come with the workbench).
const (
	ReceiptNotice    DocKind = "receipt_notice"    // 收件通知书
	DeferralPledge   DocKind = "deferral_pledge"   // 容缺受理承诺书
	CorrectionNotice DocKind = "correction_notice" // 材料补齐补正通知书
	HandoverSheet    DocKind = "handover_sheet"    // 材料交接表
	ResultSheet      DocKind = "result_sheet"      // 办理结果交接表
	DeliveryReceipt  DocKind = "delivery_receipt"  // 送达回执

	// The written decisions (numbered: see Document.Number).
	AcceptanceNotice DocKind = "acceptance_notice" // 受理通知书
	NonAcceptance    DocKind = "non_acceptance"    // 不予受理决定书
	ApprovalDecision DocKind = "approval_decision" // 准予（行政许可）决定书
	DenialDecision   DocKind = "denial_decision"   // 不予（行政许可）决定书
)

// Label returns the document's Chinese title.
func (k DocKind) Label() string {
	switch k {
	case ReceiptNotice:
		return "收件通知书"
	case DeferralPledge:
		return "容缺受理承诺书"
	case CorrectionNotice:
		return "材料补齐补正通知书"
	case HandoverSheet:
		return "材料交接表"
	case ResultSheet:
		return "办理结果交接表"
	case DeliveryReceipt:
		return "送达回执"
	case AcceptanceNotice:
		return "受理通知书"
	case NonAcceptance:
		return "不予受理决定书"
	case ApprovalDecision:
		return "准予行政许可决定书"
	case DenialDecision:
		return "不予行政许可决定书"
	}
	return string(k)
}

// ForApplicant reports whether the document is the applicant's to read:
// what the hall and the department issued to them, not the sheets the
// hall and the departments hand each other.
func (k DocKind) ForApplicant() bool {
	return k != HandoverSheet && k != ResultSheet
}

// Document is one document of a case, as data. The event that made it is
// EventSeq; Data holds everything the printed document must show.
type Document struct {
	Kind  DocKind `json:"kind"`
	Title string  `json:"title"`
	// Number is a written decision's document number (文号), given in the
	// transaction that stores it: 江川受字〔2026〕第000123号. "" for the
	// documents that have none (their case number identifies them).
	Number string `json:"number,omitempty"`
	// Series is the number's stem the domain chose (江川受字〔2026〕), one
	// counter each; the store numbers the document in it (Numbered).
	Series    string          `json:"-"`
	EventSeq  int             `json:"event_seq"`
	CreatedAt time.Time       `json:"created_at"`
	Data      json.RawMessage `json:"data"`
}

func newDocument(kind DocKind, at time.Time, data any) Document {
	b, err := json.Marshal(data)
	if err != nil {
		panic("casework: document data does not marshal: " + err.Error())
	}
	return Document{Kind: kind, Title: kind.Label(), CreatedAt: at, Data: b}
}

// MaterialLine is one material as a document lists it.
type MaterialLine struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Originals int    `json:"originals"`
	Copies    int    `json:"copies"`
	Paper     bool   `json:"paper"`
	Status    string `json:"status"`
	Reason    string `json:"reason,omitempty"` // on a correction notice: what is wrong with it
}

// ReceiptData is what a receipt notice shows.
type ReceiptData struct {
	Number       string         `json:"number"`
	CheckCode    string         `json:"check_code"` // opens the public progress page
	Item         string         `json:"item"`
	ItemCode     string         `json:"item_code"`
	Department   string         `json:"department"`
	Applicant    Party          `json:"applicant"` // masked
	Agent        *Party         `json:"agent,omitempty"`
	Channel      Channel        `json:"channel"`
	Hall         string         `json:"hall,omitempty"`
	ReceivedAt   time.Time      `json:"received_at"`
	ReceivedBy   string         `json:"received_by"`
	Materials    []MaterialLine `json:"materials"`
	Kind         string         `json:"kind"`
	PromisedDays int            `json:"promised_days"`
	AcceptBy     time.Time      `json:"accept_by,omitzero"`
	SupplyBy     time.Time      `json:"supply_by,omitzero"`
	Delivery     Delivery       `json:"delivery"`
	Notice       string         `json:"notice"`
}

// PledgeData is what a deferral pledge shows.
type PledgeData struct {
	Number      string         `json:"number"`
	Applicant   Party          `json:"applicant"`
	Item        string         `json:"item"`
	Deferred    []MaterialLine `json:"deferred"`
	SupplyBy    time.Time      `json:"supply_by"`
	Pledge      string         `json:"pledge"`
	Consequence string         `json:"consequence"`
}

// CorrectionData is what a correction notice shows.
type CorrectionData struct {
	Number     string         `json:"number"`
	Applicant  Party          `json:"applicant"`
	Item       string         `json:"item"`
	Department string         `json:"department"`
	Reasons    string         `json:"reasons"`
	ToCorrect  []MaterialLine `json:"to_correct"`
	ReturnedAt time.Time      `json:"returned_at"`
	ReturnedBy string         `json:"returned_by"`
	Notice     string         `json:"notice"`
	// Deadlines are the returned case's time limits with what follows
	// when one is missed; Terms says what else holds (no other time limit
	// ends the case). Empty on notices issued before they were stated.
	Deadlines []NoticeDeadline `json:"deadlines,omitempty"`
	Terms     string           `json:"terms,omitempty"`
}

// NoticeDeadline is a time limit a notice states to the applicant, with
// the consequence of missing it.
type NoticeDeadline struct {
	Label       string    `json:"label"`
	At          time.Time `json:"at"`
	Consequence string    `json:"consequence"`
}

// HandoverData is what a paper handover sheet shows.
type HandoverData struct {
	Number     string         `json:"number"`
	Item       string         `json:"item"`
	Department string         `json:"department"`
	Materials  []MaterialLine `json:"materials"`
	ReceivedAt time.Time      `json:"received_at"`
	ReceivedBy string         `json:"received_by"` // the desk clerk who took the papers in
	Cutoff     time.Time      `json:"cutoff"`
	SignedAt   time.Time      `json:"signed_at"`
	SignedBy   string         `json:"signed_by"` // the department's collector
	OnTime     bool           `json:"on_time"`
}

// ResultSheetData is what a result handover sheet shows.
type ResultSheetData struct {
	Number       string    `json:"number"`
	Item         string    `json:"item"`
	Department   string    `json:"department"`
	Outcome      Outcome   `json:"outcome"`
	Document     string    `json:"result_document"`
	CollectItems []string  `json:"collect_items"`
	Delivery     Delivery  `json:"delivery"`
	SubmittedAt  time.Time `json:"submitted_at"`
	SubmittedBy  string    `json:"submitted_by"`
	Attempt      int       `json:"attempt"` // 1, or more after refusals
	// Electronic is the electronic result the sheet hands over, if any.
	Electronic *PrintedResult `json:"electronic,omitempty"`
}

// ReceiptOfDelivery is what a delivery receipt shows.
type ReceiptOfDelivery struct {
	Number       string    `json:"number"`
	Item         string    `json:"item"`
	Applicant    Party     `json:"applicant"`
	Document     string    `json:"result_document"`
	Method       string    `json:"method"`
	Signer       string    `json:"signer,omitempty"`
	SignerID     string    `json:"signer_id,omitempty"` // masked
	Carrier      string    `json:"carrier,omitempty"`
	Tracking     string    `json:"tracking_number,omitempty"`
	CollectItems []string  `json:"collected_items,omitempty"`
	At           time.Time `json:"at"`
	By           string    `json:"by"`
	// Electronic is the electronic result delivered, if any.
	Electronic *PrintedResult `json:"electronic,omitempty"`
}
