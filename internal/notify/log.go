package notify

import (
	"context"
	"log/slog"
	"slices"
	"sync"
)

// logKeep is how many messages a Log sender keeps in memory.
const logKeep = 100

// Log is the development and demo sender, and the default: it delivers
// nothing but writes each message to the log at info level, with the
// recipient masked and the body in full. The body may hold a verification
// code; that is deliberate, because reading the code from the log is how a
// developer or a demo signs in. Do not use it where real applicants'
// messages pass.
//
// It also keeps the last 100 messages in memory, so that tests and the demo
// can read a code that was "sent". It is safe for concurrent use.
type Log struct {
	log *slog.Logger

	mu   sync.Mutex
	sent []Message // oldest first, at most logKeep
}

// NewLog returns a Log sender writing to log (slog.Default when nil).
func NewLog(log *slog.Logger) *Log {
	if log == nil {
		log = slog.Default()
	}
	return &Log{log: log}
}

// Send logs m and remembers it. It refuses a message that fails Validate.
func (l *Log) Send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	l.mu.Lock()
	if len(l.sent) == logKeep {
		l.sent = slices.Delete(l.sent, 0, 1)
	}
	l.sent = append(l.sent, m)
	l.mu.Unlock()
	l.log.LogAttrs(ctx, slog.LevelInfo, "notify: message sent (log sender)",
		slog.String("to", MaskRecipient(m.To)),
		slog.String("subject", m.Subject),
		slog.String("body", m.Body))
	return nil
}

// Sent returns a copy of the messages kept, oldest first.
func (l *Log) Sent() []Message {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.sent)
}

// Last returns the latest kept message sent to exactly to, and whether
// there is one.
func (l *Log) Last(to string) (Message, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.sent) - 1; i >= 0; i-- {
		if l.sent[i].To == to {
			return l.sent[i], true
		}
	}
	return Message{}, false
}
