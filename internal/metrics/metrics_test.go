package metrics

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func scrapeText(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return rec.Body.String()
}

func TestSeries(t *testing.T) {
	src := func(context.Context) (Snapshot, error) {
		return Snapshot{OpenCases: map[string]int{"red": 2, "yellow": 1, "none": 7}, RedIdle: 1,
			Backlogs:     []Backlog{{Name: "notifications", Pending: 3, InFlight: 1, Failed: 2, OldestAge: 90 * time.Second}},
			BoardClients: map[string]int{"JC-ZWFW": 4}}, nil
	}
	m := New(src, nil, time.Second, slog.New(slog.DiscardHandler))
	m.ObserveRequest("GET /cases/{number}", 200, 30*time.Millisecond)
	m.ObserveRequest("", 404, time.Millisecond)
	m.Transitions([]string{"intake", "accept", "intake"})
	m.DeliveryFailed("notification")
	out := scrapeText(t, m)
	for _, want := range []string{
		`onewindow_http_request_duration_seconds_count{route="GET /cases/{number}",status="200"} 1`,
		`onewindow_http_request_duration_seconds_bucket{route="GET /cases/{number}",status="200",le="0.025"} 0`,
		`onewindow_http_request_duration_seconds_bucket{route="GET /cases/{number}",status="200",le="0.05"} 1`,
		`onewindow_http_request_duration_seconds_count{route="unmatched",status="404"} 1`,
		`onewindow_case_transitions_total{action="intake"} 2`,
		`onewindow_case_transitions_total{action="accept"} 1`,
		`onewindow_delivery_failures_total{channel="notification"} 1`,
		`onewindow_open_cases{warning="red"} 2`,
		`onewindow_red_cases_idle 1`,
		`onewindow_outbox_pending{outbox="notifications"} 3`,
		`onewindow_outbox_failed{outbox="notifications"} 2`,
		`onewindow_outbox_oldest_age_seconds{outbox="notifications"} 90`,
		`onewindow_board_clients{hall="JC-ZWFW"} 4`,
		`onewindow_metrics_source_errors_total 0`,
		`go_goroutines`,
	} {
		if !strings.Contains(out, want+"\n") && !strings.Contains(out, want+" ") {
			t.Errorf("the scrape lacks %s", want)
		}
	}
}

func TestSourceError(t *testing.T) {
	m := New(func(context.Context) (Snapshot, error) { return Snapshot{}, errors.New("database down") },
		nil, time.Second, slog.New(slog.NewTextHandler(io.Discard, nil)))
	out := scrapeText(t, m)
	if !strings.Contains(out, "onewindow_metrics_source_errors_total 1") || strings.Contains(out, "onewindow_open_cases{") {
		t.Errorf("a failed source:\n%s", out)
	}
}
