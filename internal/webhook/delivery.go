package webhook

import (
	"strconv"
	"time"
)

// Delivery is one case event queued for one subscription: an outbox row
// the dispatcher sends, in order per subscription and case, until the
// receiver answers 2xx or the retries run out.
type Delivery struct {
	ID             int64     `json:"id"`
	SubscriptionID int64     `json:"subscription_id"`
	CaseNumber     string    `json:"case_number"`
	EventSeq       int       `json:"event_seq"`
	EventType      string    `json:"event_type"`
	Payload        []byte    `json:"-"` // the CloudEvents body, fixed when queued
	CreatedAt      time.Time `json:"created_at"`
	DeliveredAt    time.Time `json:"delivered_at,omitzero"`
	Attempts       int       `json:"attempts"`
	NextAttemptAt  time.Time `json:"next_attempt_at,omitzero"`
	LastError      string    `json:"last_error,omitempty"`
	FailedAt       time.Time `json:"failed_at,omitzero"`
	ResponseCode   int       `json:"response_code,omitempty"` // the receiver's last HTTP status; 0 when none came
	RespondedAt    time.Time `json:"responded_at,omitzero"`
}

// MessageID is the webhook-id of the delivery: the same for every attempt
// and every redelivery of one event to one subscription, so a receiver
// drops the duplicates at-least-once delivery makes.
func (d *Delivery) MessageID() string {
	return "msg_" + strconv.FormatInt(d.SubscriptionID, 10) + "_" + d.CaseNumber + "-" + strconv.Itoa(d.EventSeq)
}

// Status names the delivery's state: pending, delivered or failed.
func (d *Delivery) Status() string {
	switch {
	case !d.DeliveredAt.IsZero():
		return "delivered"
	case !d.FailedAt.IsZero():
		return "failed"
	}
	return "pending"
}

// StatusLabel is Status in Chinese, for the delivery log page.
func (d *Delivery) StatusLabel() string {
	switch d.Status() {
	case "delivered":
		return "已送达"
	case "failed":
		return "已放弃"
	}
	return "待发送"
}
