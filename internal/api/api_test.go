package api

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestNewRegistersEveryOperation builds the whole API: a schema name used by
// two types, or two routes that clash, would panic here rather than at a
// server's start.
func TestNewRegistersEveryOperation(t *testing.T) {
	a := New(http.NewServeMux(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)), "test")
	oa := a.OpenAPI()
	for _, p := range []string{"/login", "/items/{code}", "/calendar/{year}", "/cases/{number}/accept", "/queue/tickets"} {
		if oa.Paths[p] == nil {
			t.Errorf("no operation at %s", p)
		}
	}
	names := oa.Components.Schemas.Map()
	for _, want := range []string{"CaseworkEvent", "QueueTicketEvent", "OrgWindow"} {
		if names[want] == nil {
			var got []string
			for n := range names {
				if strings.Contains(n, "Event") || strings.Contains(n, "Window") {
					got = append(got, n)
				}
			}
			t.Errorf("no schema %s among %v", want, got)
		}
	}
}
