package webhook

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
)

// Source is the CloudEvents source of every case event.
const Source = "/onewindow/cases"

// Envelope is a CloudEvents 1.0 event in structured JSON mode
// (Content-Type application/cloudevents+json).
type Envelope struct {
	SpecVersion     string    `json:"specversion"`
	ID              string    `json:"id"`
	Source          string    `json:"source"`
	Type            string    `json:"type"`
	Subject         string    `json:"subject"` // the case number
	Time            time.Time `json:"time"`
	DataContentType string    `json:"datacontenttype"`
	Data            CaseEvent `json:"data"`
}

// CaseEvent is what the feed and the webhooks tell of one case event: the
// case, the event's number within it (as GET /cases/{number} numbers its
// events) and the case's state and running deadlines after the change.
type CaseEvent struct {
	Position   string         `json:"cursor,omitempty"` // the feed's cursor after this event; webhooks leave it out
	Number     string         `json:"number"`
	Seq        int            `json:"seq"`
	Type       string         `json:"type"`   // the CloudEvents type
	Action     string         `json:"action"` // the case action, as in the case's events
	ItemCode   string         `json:"item_code"`
	Department string         `json:"department"`
	Actor      string         `json:"actor"`
	At         time.Time      `json:"at"`
	FromState  string         `json:"from_state,omitempty"`
	State      string         `json:"state"`
	Deadlines  []casework.Due `json:"deadlines"` // the deadlines still running after the change
}

// NewCaseEvent describes event ev of case c as it stands after the change.
func NewCaseEvent(c *casework.Case, ev *casework.Event) CaseEvent {
	d := c.OpenDeadlines()
	if d == nil {
		d = []casework.Due{}
	}
	return CaseEvent{
		Number: c.Number, Seq: ev.Seq, Type: Type(ev.Type), Action: string(ev.Type), ItemCode: c.ItemCode,
		Department: c.DepartmentCode, Actor: ev.Actor, At: ev.At, FromState: string(ev.From), State: string(c.State), Deadlines: d,
	}
}

// Wrap puts a case event in its CloudEvents envelope; the id (case number
// and event number) is unique and stable, so a receiver can drop
// duplicates of an at-least-once delivery.
func Wrap(e CaseEvent) Envelope {
	e.Position = ""
	return Envelope{
		SpecVersion: "1.0", ID: e.Number + "-" + strconv.Itoa(e.Seq), Source: Source, Type: e.Type,
		Subject: e.Number, Time: e.At, DataContentType: "application/json", Data: e,
	}
}

// Body returns the envelope's JSON.
func (e Envelope) Body() []byte {
	b, _ := json.Marshal(e) // plain fields: never fails
	return b
}
