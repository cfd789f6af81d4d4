package server

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/problem"
)

// routeKey holds a slot that measure puts in the context and notePattern
// fills with the pattern the mux matched: the middleware between them
// work on copies of the request, so the pattern has to come back up
// through the context.
type routeKey struct{}

// measure reports every request to the metrics by its route pattern
// ("GET /cases/{number}", never the raw path, whose numbers would make a
// series per case) and status, with its latency.
func (s *Server) measure(next http.Handler) http.Handler {
	if s.cfg.Metrics == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		route := new(string)
		r = r.WithContext(context.WithValue(r.Context(), routeKey{}, route))
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			s.cfg.Metrics.ObserveRequest(*route, status, time.Since(start))
		}()
		next.ServeHTTP(rec, r)
	})
}

// notePattern passes the request on to next (which routes it on the
// mux) and then notes the pattern the mux matched for measure.
func notePattern(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if slot, ok := r.Context().Value(routeKey{}).(*string); ok {
			*slot = r.Pattern
		}
	})
}

// metricsFirst answers GET /metrics itself when the metrics are served on
// the main listener (a metrics token is set), before the sign-in
// middleware, which would take the scraper's bearer token for an API
// token; everything else goes on to next.
func (s *Server) metricsFirst(next http.Handler) http.Handler {
	if s.cfg.Metrics == nil || s.cfg.MetricsToken == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			s.metricsEndpoint(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// metricsEndpoint serves the metrics to a scraper that presents the
// metrics token as a bearer token; anyone else is refused with 401 and
// learns nothing.
func (s *Server) metricsEndpoint(w http.ResponseWriter, r *http.Request) {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.MetricsToken)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
		writeProblem(w, r, problem.New(http.StatusUnauthorized, "需要指标令牌"))
		return
	}
	s.cfg.Metrics.Handler().ServeHTTP(w, r)
}
