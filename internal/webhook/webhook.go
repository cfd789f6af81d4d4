// Package webhook holds the rules of webhooks to department systems: what
// a subscription is, the CloudEvents 1.0 envelope a case event travels in,
// the Standard Webhooks signature over it, and which addresses may be
// called (no loopback, link-local or private network unless allowed).
//
// It knows nothing of SQL or of the service: the store keeps
// subscriptions and deliveries, the service sends them.
package webhook

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
)

// Subscription is where a department (or one of its API clients) wants
// case events sent.
type Subscription struct {
	ID             int64     `json:"id"`
	DepartmentCode string    `json:"department"`
	ClientID       int64     `json:"client_id,omitempty"` // the API client that made it; 0 when its admin did
	URL            string    `json:"url"`
	EventTypes     []string  `json:"event_types"` // CloudEvents types; none means all
	ItemCodes      []string  `json:"item_codes"`  // only cases of these items; none means all
	Description    string    `json:"description"`
	Secrets        []Secret  `json:"-"`
	PausedAt       time.Time `json:"paused_at,omitzero"`
	PausedReason   string    `json:"paused_reason,omitempty"`
	CreatedBy      string    `json:"created_by"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Stats          *Counts   `json:"counts,omitempty"`
}

// Counts are a subscription's deliveries by outcome.
type Counts struct {
	Pending   int `json:"pending"`
	Delivered int `json:"delivered"`
	Failed    int `json:"failed"`
}

// Paused reports whether deliveries to the subscription are stopped.
func (s *Subscription) Paused() bool { return !s.PausedAt.IsZero() }

// Validate checks the subscription's own fields (the address rule is the
// Guard's, which needs the network).
func (s *Subscription) Validate() error {
	u, err := url.Parse(s.URL)
	switch {
	case s.DepartmentCode == "":
		return apperr.Field("department", "请选择部门")
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return apperr.Field("url", "请填写完整的 http(s) 地址")
	case u.User != nil:
		return apperr.Field("url", "地址中不得包含用户名或密码")
	case len(s.URL) > 2000:
		return apperr.Field("url", "地址过长")
	case len(s.Description) > 200:
		return apperr.Field("description", "说明不得超过 200 字")
	case strings.ContainsAny(s.Description, "\r\n"):
		return apperr.Field("description", "说明只能写一行")
	}
	for _, t := range s.EventTypes {
		if !slices.Contains(Types(), t) {
			return apperr.Field("event_types", "未知的事件类型："+t)
		}
	}
	for _, c := range s.ItemCodes {
		if strings.TrimSpace(c) == "" || strings.Contains(c, ",") {
			return apperr.Field("item_codes", "事项编码有误")
		}
	}
	return nil
}

// Wants reports whether the subscription asks for events of type on cases
// of item: the store applies the same rule in SQL when it queues.
func (s *Subscription) Wants(typ, item string) bool {
	return (len(s.EventTypes) == 0 || slices.Contains(s.EventTypes, typ)) &&
		(len(s.ItemCodes) == 0 || slices.Contains(s.ItemCodes, item))
}

// TypePrefix begins every CloudEvents type OneWindow sends.
const TypePrefix = "cn.gov.onewindow.case."

// eventNames names each case action as what happened to the case.
var eventNames = map[casework.Action]string{
	casework.ActIntake:           "received",
	casework.ActSubmit:           "submitted",
	casework.ActAccept:           "accepted",
	casework.ActReturn:           "returned",
	casework.ActRefuseAcceptance: "refused",
	casework.ActResubmit:         "resubmitted",
	casework.ActSupply:           "supplied",
	casework.ActHandover:         "handed_over",
	casework.ActPause:            "paused",
	casework.ActResume:           "resumed",
	casework.ActExtend:           "extension_requested",
	casework.ActApproveExtension: "extension_approved",
	casework.ActRejectExtension:  "extension_rejected",
	casework.ActDecide:           "decided",
	casework.ActSubmitResult:     "result_submitted",
	casework.ActRefuseResult:     "result_refused",
	casework.ActAcceptResult:     "result_accepted",
	casework.ActDeliver:          "delivered",
	casework.ActMail:             "mailed",
	casework.ActConfirmDelivery:  "delivery_confirmed",
	casework.ActArchive:          "archived",
	casework.ActWithdraw:         "withdrawn",
	casework.ActTerminate:        "terminated",
	casework.ActLapse:            "lapsed",
	casework.ActPassPreReview:    "prereview_passed",
	casework.ActFailPreReview:    "prereview_failed",
	casework.ActResubmitOnline:   "resubmitted_online",
	casework.ActCompleteIntake:   "intake_completed",
	casework.ActOpen:             "opened",
	casework.ActPropose:          "proposed",
	casework.ActCheck:            "checked",
	casework.ActSendBack:         "sent_back",
	casework.ActStartProcedure:   "procedure_started",
	casework.ActFinishProcedure:  "procedure_finished",
	casework.ActPaperArrive:      "paper_arrived",
	casework.ActPaperSendBack:    "paper_sent_back",
	casework.ActResultArrive:     "result_arrived",
	casework.ActResultSendBack:   "result_sent_back",
	casework.ActReceiptArrive:    "receipt_arrived",
	casework.ActReceiptSendBack:  "receipt_sent_back",
	casework.ActAttachFiles:      "files_attached",
	// The street's initial review (委托初审).
	casework.ActPassInitialReview:   "initial_review_passed",
	casework.ActReturnInitialReview: "initial_review_returned",
}

// Type returns the CloudEvents type of a case event of action a:
// cn.gov.onewindow.case.accepted for an acceptance.
func Type(a casework.Action) string {
	if n, ok := eventNames[a]; ok {
		return TypePrefix + n
	}
	return TypePrefix + strings.ReplaceAll(string(a), "-", "_")
}

// Types returns every CloudEvents type, sorted.
func Types() []string {
	out := make([]string, 0, len(eventNames))
	for _, n := range eventNames {
		out = append(out, TypePrefix+n)
	}
	slices.Sort(out)
	return out
}

// TypeLabel names a CloudEvents type in Chinese, for the pages: the name
// of the case action it reports.
func TypeLabel(typ string) string {
	for a, n := range eventNames {
		if TypePrefix+n == typ {
			return a.Label()
		}
	}
	return typ
}
