// Package notify sends short messages to applicants: verification codes and
// notifications about their cases. A Sender delivers one Message; Open picks
// the sender a deployment configured (the log sender by default, SMTP for
// real e-mail, an HTTP gateway for text messages).
package notify

import (
	"context"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Message is one short message to one applicant.
type Message struct {
	To      string // phone number or e-mail address
	Subject string // a one-line title; e-mail uses it as the subject
	Body    string // plain text
	// Ref is the caller's reference for the message ("n-42": notification
	// 42), passed to an SMS gateway so that its delivery receipt names the
	// message it reports on; empty when nobody will ask.
	Ref string
}

// Sender delivers messages. Send returns an Invalid error for a message it
// cannot deliver as given (nothing was sent) and an Internal error when the
// delivery itself failed.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Validate checks what every sender needs: a recipient, and no line break in
// the recipient or the subject. A line break there would let a caller forge
// extra mail headers (header injection), so it is refused everywhere rather
// than only by the senders that write headers.
func (m Message) Validate() error {
	var c apperr.Collector
	switch {
	case strings.TrimSpace(m.To) == "":
		c.Add("to", "收件人不能为空")
	case strings.ContainsAny(m.To, "\r\n"):
		c.Add("to", "收件人不能包含换行符")
	}
	c.Check(!strings.ContainsAny(m.Subject, "\r\n"), "subject", "标题不能包含换行符")
	return c.Err("消息内容有误")
}
