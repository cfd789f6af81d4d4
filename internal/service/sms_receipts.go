package service

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/notify"
)

// receiptTolerance is how far a signed receipt's time may be from now.
const receiptTolerance = 5 * time.Minute

// maxReceipts is the most receipts one callback may carry.
const maxReceipts = 1000

// DeliveryReceiptCall is one call of the gateway's delivery-receipt
// callback, as it came: the signature header, the ?token= parameter and
// the raw body.
type DeliveryReceiptCall struct {
	Signature string
	Token     string
	Body      []byte
}

// receipt is one delivery report. The names are those of the common
// platforms' callbacks: out_id (Aliyun), ext / session_context (Tencent),
// ref (ours) name the message as the sender passed it ("n-42"); success,
// report_status, status and err_code say what became of it.
type receipt struct {
	OutID          string `json:"out_id"`
	Ext            string `json:"ext"`
	SessionContext string `json:"session_context"`
	Ref            string `json:"ref"`
	Success        *bool  `json:"success"`
	ReportStatus   string `json:"report_status"`
	Status         string `json:"status"`
	ErrCode        string `json:"err_code"`
	ErrMsg         string `json:"err_msg"`
	ErrMsgTencent  string `json:"errmsg"`
	Description    string `json:"description"`
}

// ReceiptReport says what a callback recorded.
type ReceiptReport struct {
	Recorded int `json:"recorded"`
	Unknown  int `json:"unknown"` // receipts naming no notification of ours
}

// RecordDeliveryReceipts records the delivery receipts a gateway's
// callback carries: a JSON object or an array of them. The call must be
// signed with the SMS secret (notify.SignSMS: the signature header, within
// five minutes) or carry the receipt token; otherwise it is refused with
// Unauthorized and nothing is recorded. A receipt naming no notification
// of ours is counted, not an error, so that the gateway does not resend it
// for ever.
func (s *Messages) RecordDeliveryReceipts(ctx context.Context, call DeliveryReceiptCall) (ReceiptReport, error) {
	var rep ReceiptReport
	if !s.receiptAuthentic(call) {
		return rep, apperr.New(apperr.Unauthorized, "回执签名无效")
	}
	var list []receipt
	body := bytes.TrimSpace(call.Body)
	if len(body) > 0 && body[0] == '[' {
		if err := json.Unmarshal(body, &list); err != nil {
			return rep, apperr.Field("body", "回执不是有效的 JSON")
		}
	} else {
		var one receipt
		if err := json.Unmarshal(body, &one); err != nil {
			return rep, apperr.Field("body", "回执不是有效的 JSON")
		}
		list = []receipt{one}
	}
	if len(list) > maxReceipts {
		return rep, apperr.Field("body", "一次回执过多")
	}
	now := s.clock.Now()
	for _, r := range list {
		id, ok := r.notificationID()
		if !ok {
			rep.Unknown++
			continue
		}
		status, detail := r.outcome()
		err := s.store.RecordDeliveryReceipt(ctx, id, status, detail, now)
		switch {
		case apperr.Is(err, apperr.NotFound):
			rep.Unknown++
		case err != nil:
			return rep, err
		default:
			rep.Recorded++
			if status == applicant.DeliveryFailed {
				s.metrics.DeliveryFailed("sms_receipt")
			}
		}
	}
	return rep, nil
}

func (s *Messages) receiptAuthentic(call DeliveryReceiptCall) bool {
	cfg := s.cfg.Messages
	if cfg.ReceiptSecret != "" && call.Signature != "" &&
		notify.VerifySMS(cfg.ReceiptSecret, call.Signature, call.Body, s.clock.Now(), receiptTolerance) {
		return true
	}
	return cfg.ReceiptToken != "" && subtle.ConstantTimeCompare([]byte(call.Token), []byte(cfg.ReceiptToken)) == 1
}

// notificationID reads the message reference: "n-42" is notification 42.
func (r receipt) notificationID() (int64, bool) {
	for _, ref := range []string{r.Ref, r.OutID, r.Ext, r.SessionContext} {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(ref), NotificationRefPrefix); ok {
			if id, err := strconv.ParseInt(rest, 10, 64); err == nil && id > 0 {
				return id, true
			}
		}
	}
	return 0, false
}

// outcome maps the receipt to delivered or failed, with what the gateway
// said.
func (r receipt) outcome() (status, detail string) {
	var words []string
	for _, w := range []string{r.ReportStatus, r.Status, r.ErrCode, r.ErrMsg, r.ErrMsgTencent, r.Description} {
		if w = strings.TrimSpace(w); w != "" {
			words = append(words, w)
		}
	}
	detail = strings.Join(words, " ")
	if len(detail) > 500 {
		detail = detail[:500]
	}
	ok := false
	switch {
	case r.Success != nil:
		ok = *r.Success
	case r.ReportStatus != "":
		ok = strings.EqualFold(r.ReportStatus, "SUCCESS")
	case r.Status != "":
		ok = slicesContainsFold([]string{"delivered", "DELIVRD", "SUCCESS", "0"}, r.Status)
	case r.ErrCode != "":
		ok = slicesContainsFold([]string{"DELIVERED", "DELIVRD", "0"}, r.ErrCode)
	}
	if ok {
		return applicant.DeliveryDelivered, detail
	}
	return applicant.DeliveryFailed, detail
}

func slicesContainsFold(list []string, s string) bool {
	for _, w := range list {
		if strings.EqualFold(w, strings.TrimSpace(s)) {
			return true
		}
	}
	return false
}

// NotificationRefPrefix starts the reference a notification is sent
// under: "n-42" is notification 42.
const NotificationRefPrefix = "n-"
