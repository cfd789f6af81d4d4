package service

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/store"
)

// Readiness is whether this node can do its work: its database takes a
// write that commits, and its schema is the one this program was built
// for. The notification outbox's backlog is reported beside, not judged:
// a backlog is the dispatcher's to clear, not a reason to stop serving.
type Readiness struct {
	Ready    bool
	Problems []string // what keeps the node from being ready, in words (English, for operators; no paths)
	Database store.Dialect

	WriteOK  bool
	WriteMS  float64          // how long the heartbeat write took
	ReadOnly bool             // the database refuses every write
	Fault    store.WriteFault // why the write failed (its Detail names files: for the log)

	SchemaCurrent, SchemaBinary int64

	Outbox    store.OutboxBacklog // the notification outbox
	OldestAge time.Duration       // how long the oldest waiting notification has waited
}

// faultWords says a store.WriteFault's kind in a readiness problem.
var faultWords = map[string]string{
	"read-only":   "the database is read-only",
	"disk full":   "the database's disk is full",
	"cannot open": "the database cannot be opened",
	"error":       "the database refused it (see the log)",
}

// CheckWrite proves the database takes a write now: node's heartbeat, in
// a transaction that commits. The error says why not.
func (s *Service) CheckWrite(ctx context.Context, node, version string) error {
	return s.store.Heartbeat(ctx, node, version)
}

// ExplainWriteError says why a write failed: read-only, disk full … with
// the database file and the cause.
func (s *Service) ExplainWriteError(err error) store.WriteFault {
	return s.store.ExplainWriteError(err)
}

// Readiness checks this node, as node running version.
func (s *Service) Readiness(ctx context.Context, node, version string) Readiness {
	r := Readiness{Database: s.store.Dialect()}
	began := time.Now()
	err := s.CheckWrite(ctx, node, version)
	r.WriteMS = float64(time.Since(began).Microseconds()) / 1000
	if err != nil {
		r.Fault = s.store.ExplainWriteError(err)
		r.ReadOnly = r.Fault.ReadOnly()
		r.Problems = append(r.Problems, "a write does not commit: "+faultWords[r.Fault.Kind])
		s.log.Error("readiness: the database takes no write", "kind", r.Fault.Kind, "detail", r.Fault.Detail, "err", err)
	} else {
		r.WriteOK = true
	}
	current, binary, err := s.store.SchemaVersion(ctx)
	r.SchemaCurrent, r.SchemaBinary = current, binary
	switch {
	case err != nil:
		r.Problems = append(r.Problems, "the schema version cannot be read")
		s.log.Error("readiness: schema version", "err", err)
	case current != binary:
		r.Problems = append(r.Problems, "the database schema is not this program's: run `onewindow migrate` with the newer of the two")
	}
	now := s.clock.Now()
	if b, err := s.store.NotificationBacklog(ctx, now); err != nil {
		r.Problems = append(r.Problems, "the notification outbox cannot be read")
		s.log.Error("readiness: outbox backlog", "err", err)
	} else {
		r.Outbox = b
		if !b.Oldest.IsZero() {
			r.OldestAge = max(now.Sub(b.Oldest), 0)
		}
	}
	r.Ready = len(r.Problems) == 0
	return r
}

// Health is the liveness check's answer: which database this node uses,
// and whether it answers now (a read, not a write: see Ready for that).
func (s *Service) Health(ctx context.Context) (store.Dialect, error) {
	return s.store.Dialect(), s.store.Ping(ctx)
}
