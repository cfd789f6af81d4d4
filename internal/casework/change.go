package casework

import "time"

// Change is what one step of a case leaves besides the case itself: the
// event that records it, the documents it issues and the notice it sends
// the applicant (nil: none). The domain decides all of it; the store
// persists it in the step's transaction and decides nothing.
type Change struct {
	Event     *Event
	Documents []Document
	Notice    *Message
}

// Message is a notice on its way to the applicant: to the phone the case
// holds, and to their online account when they have one.
type Message struct {
	Notice
	Kind      string    // the event type that sends it ("return" …): picks its SMS template
	To        string    // the applicant's phone
	AccountID int64     // 0: none
	At        time.Time // when the step happened: the message is due from then
}

// MessageFor returns the notice ev sends the applicant of c (NoticeFor),
// addressed; nil when the event sends none or the applicant left no
// phone to send it to.
func MessageFor(c *Case, ev *Event) *Message {
	n, ok := NoticeFor(c, ev)
	if !ok || c.Applicant.Phone == "" {
		return nil
	}
	return &Message{Notice: n, Kind: string(ev.Type), To: c.Applicant.Phone, AccountID: c.AccountID, At: ev.At}
}

// Step applies action to c (see Apply) and returns the whole change: the
// event, the documents the step issues and the notice it sends.
func Step(c *Case, action Action, in Input, a Actor, env Env) (Change, error) {
	ev, docs, err := Apply(c, action, in, a, env)
	if err != nil {
		return Change{}, err
	}
	return Change{Event: ev, Documents: docs, Notice: MessageFor(c, ev)}, nil
}

// Opened returns what the first event of a new case makes once the case
// has its number (the store numbers it in the transaction that saves it,
// and the texts print the number): a case taken in gets its intake
// documents (IntakeDocuments); an online application none until the
// window takes its paper. Either sends its notice (MessageFor).
func Opened(c *Case, ev *Event) Change {
	ch := Change{Event: ev, Notice: MessageFor(c, ev)}
	if c.State != Submitted {
		ch.Documents = IntakeDocuments(c)
	}
	return ch
}
