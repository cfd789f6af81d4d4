package server

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"time"
)

// readinessTimeout bounds a readiness check: a load balancer asks often
// and must not pile up requests on a database that hangs.
const readinessTimeout = 3 * time.Second

// readyz answers whether this node can do its work: a write commits (a
// heartbeat row of this node), the schema is this binary's; with the
// notification outbox's backlog and age. 503 when not ready, so that a
// load balancer stops sending requests that would fail; /healthz stays the
// liveness check.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readinessTimeout)
	defer cancel()
	rd := s.svc.Readiness(ctx, s.node(), s.cfg.Version)
	status, state := http.StatusOK, "ready"
	if !rd.Ready {
		status, state = http.StatusServiceUnavailable, "not ready"
	}
	problems := rd.Problems
	if problems == nil {
		problems = []string{}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"status":    state,
		"problems":  problems,
		"node":      s.node(),
		"version":   s.cfg.Version,
		"database":  rd.Database,
		"read_only": rd.ReadOnly,
		"write": map[string]any{
			"ok":    rd.WriteOK,
			"ms":    rd.WriteMS,
			"fault": rd.Fault.Kind,
		},
		"schema": map[string]any{
			"current": rd.SchemaCurrent,
			"binary":  rd.SchemaBinary,
			"ok":      rd.SchemaCurrent == rd.SchemaBinary,
		},
		"outbox": map[string]any{
			"pending":            rd.Outbox.Pending,
			"in_flight":          rd.Outbox.InFlight,
			"failed":             rd.Outbox.Failed,
			"oldest_age_seconds": rd.OldestAge.Seconds(),
		},
		"time": s.svc.Now().Format(time.RFC3339),
	})
}

// node names this node in the heartbeat table.
func (s *Server) node() string {
	if s.cfg.Node != "" {
		return s.cfg.Node
	}
	return NodeName(s.cfg.Addr)
}

// NodeName is a node's default name: the host's name and the address it
// listens on, so that several nodes on one host are told apart.
func NodeName(addr string) string {
	host, err := os.Hostname()
	if err != nil {
		host = "onewindow"
	}
	if addr != "" {
		return host + " " + addr
	}
	return host
}
