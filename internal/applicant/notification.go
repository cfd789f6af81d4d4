package applicant

import "time"

// Notification is one message to an applicant (or to a recipient named
// on a case) as the notification outbox keeps it: queued with the change
// that caused it, sent at least once, with its attempts.
type Notification struct {
	ID         int64
	CaseNumber string
	AccountID  int64
	Recipient  string
	Subject    string
	Body       string
	CreatedAt  time.Time
	SentAt     time.Time
	Attempts   int // attempts counted, the one in flight included
	LastError  string
	FailedAt   time.Time // closed after its last attempt; zero while it may still go out
	// NextAttemptAt is when an unsent notification is due: its creation,
	// the end of a claim's lease, or the back-off after a failure.
	NextAttemptAt time.Time
	// Kind is the notice's kind, the event type that sent it ("return" …);
	// empty for notifications written before kinds were kept.
	Kind string
	// The gateway's delivery receipt, when one came: its status
	// (DeliveryDelivered, DeliveryFailed), what it said, and when.
	DeliveryStatus string
	DeliveryDetail string
	DeliveredAt    time.Time
}

// Delivery receipt statuses.
const (
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)
