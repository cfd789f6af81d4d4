// Package metrics exposes OneWindow's Prometheus metrics
// (github.com/prometheus/client_golang): requests by route pattern and
// status with their latency, case transitions by action, delivery
// failures, and on each scrape the figures a Source reads (open cases by
// warning colour, outbox backlogs, board clients), the database pool's
// statistics and the Go runtime's.
//
// The package knows nothing of the service: the command wires it, the
// server's middleware reports requests, the store's commit hook reports
// transitions, and the service reports failures (service.Observer).
package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace starts every OneWindow metric's name.
const Namespace = "onewindow"

// Snapshot is what a Source reads on a scrape.
type Snapshot struct {
	OpenCases    map[string]int // by warning: red, yellow, none
	RedIdle      int            // red cases unchanged for a working day
	Backlogs     []Backlog
	BoardClients map[string]int // display-board streams held open, by hall
}

// Backlog is one outbox's queue.
type Backlog struct {
	Name                      string
	Pending, InFlight, Failed int
	OldestAge                 time.Duration
}

// Source reads the figures of a scrape.
type Source func(ctx context.Context) (Snapshot, error)

// Metrics holds the collectors, registered on a registry of its own (not
// the global one: two servers in one test process do not collide).
type Metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.HistogramVec
	transitions *prometheus.CounterVec
	failures    *prometheus.CounterVec
}

// New returns the metrics: the request, transition and failure series,
// the figures src reads on each scrape (within timeout), the statistics
// of each named connection pool (go_sql_* with db_name="onewindow_<name>")
// and the Go and process collectors.
func New(src Source, pools map[string]*sql.DB, timeout time.Duration, log *slog.Logger) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help: "HTTP requests by route pattern and status: latency in seconds (its _count is the number of requests).",
			// From a cached page (1 ms) to an export (10 s).
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "status"}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "case_transitions_total",
			Help: "Case events committed, by action (intake, accept, return, decide …).",
		}, []string{"action"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "delivery_failures_total",
			Help: "Deliveries that failed for good: notification (the outbox gave up), sms_receipt (the gateway reported it undelivered), webhook.",
		}, []string{"channel"}),
	}
	m.reg.MustRegister(m.requests, m.transitions, m.failures,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&scrape{src: src, timeout: timeout, log: log, errors: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: Namespace, Name: "metrics_source_errors_total", Help: "Scrapes whose figures (open cases, backlogs) could not be read.",
		})})
	for name, db := range pools {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db, Namespace+"_"+name))
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry returns the registry, for tests and extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// ObserveRequest counts one request to route (the mux pattern, such as
// "GET /cases/{number}"; "unmatched" when none matched) answered with
// status after d.
func (m *Metrics) ObserveRequest(route string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Observe(d.Seconds())
}

// Transitions counts committed case events by their types.
func (m *Metrics) Transitions(types []string) {
	for _, t := range types {
		m.transitions.WithLabelValues(t).Inc()
	}
}

// DeliveryFailed counts a delivery failed for good on channel.
func (m *Metrics) DeliveryFailed(channel string) { m.failures.WithLabelValues(channel).Inc() }

// scrape collects the Source's figures on each scrape.
type scrape struct {
	src     Source
	timeout time.Duration
	log     *slog.Logger
	errors  prometheus.Counter
}

var (
	openCasesDesc = prometheus.NewDesc(Namespace+"_open_cases", "Open cases by the warning of their next deadline: red (passed), yellow (due within the warning's working days), none.", []string{"warning"}, nil)
	redIdleDesc   = prometheus.NewDesc(Namespace+"_red_cases_idle", "Red cases nobody has changed for a working day.", nil, nil)
	pendingDesc   = prometheus.NewDesc(Namespace+"_outbox_pending", "Outbox items waiting or in flight.", []string{"outbox"}, nil)
	inFlightDesc  = prometheus.NewDesc(Namespace+"_outbox_in_flight", "Outbox items claimed and being sent.", []string{"outbox"}, nil)
	failedDesc    = prometheus.NewDesc(Namespace+"_outbox_failed", "Outbox items given up after their last attempt.", []string{"outbox"}, nil)
	oldestDesc    = prometheus.NewDesc(Namespace+"_outbox_oldest_age_seconds", "How long the oldest waiting outbox item has waited (0 when none).", []string{"outbox"}, nil)
	boardDesc     = prometheus.NewDesc(Namespace+"_board_clients", "Display-board streams this node holds open, by hall.", []string{"hall"}, nil)
)

func (s *scrape) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{openCasesDesc, redIdleDesc, pendingDesc, inFlightDesc, failedDesc, oldestDesc, boardDesc} {
		ch <- d
	}
	s.errors.Describe(ch)
}

func (s *scrape) Collect(ch chan<- prometheus.Metric) {
	defer s.errors.Collect(ch)
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	snap, err := s.src(ctx)
	if err != nil {
		s.errors.Inc()
		s.log.Error("metrics: figures could not be read", "err", err)
		return
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	for _, w := range []string{"red", "yellow", "none"} {
		gauge(openCasesDesc, float64(snap.OpenCases[w]), w)
	}
	gauge(redIdleDesc, float64(snap.RedIdle))
	for _, b := range snap.Backlogs {
		gauge(pendingDesc, float64(b.Pending), b.Name)
		gauge(inFlightDesc, float64(b.InFlight), b.Name)
		gauge(failedDesc, float64(b.Failed), b.Name)
		gauge(oldestDesc, b.OldestAge.Seconds(), b.Name)
	}
	for hall, n := range snap.BoardClients {
		gauge(boardDesc, float64(n), hall)
	}
}
