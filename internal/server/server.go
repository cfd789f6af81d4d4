// Package server is OneWindow's HTTP server: the middleware every request
// passes (request id, logging, panics, cross-origin protection, sign-in)
// and the mounting of the JSON API, the pages and the health check.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/danielgtaylor/huma/v2"

	"github.com/onewindow/onewindow/internal/api"
	"github.com/onewindow/onewindow/internal/metrics"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/admin"
	"github.com/onewindow/onewindow/internal/web/desk"
	"github.com/onewindow/onewindow/internal/web/hall"
	"github.com/onewindow/onewindow/internal/web/online"
	"github.com/onewindow/onewindow/internal/web/page"
	"github.com/onewindow/onewindow/internal/web/supervise"
)

// Config holds the server's settings.
type Config struct {
	Addr        string
	Version     string
	MaxBodySize int64 // bytes a request body may have
	// MaxUploadSize is the body limit of a form carrying an uploaded file;
	// the file's own limit (20 MB) is checked on its content.
	MaxUploadSize int64
	// TrustedProxies are the load balancers and proxies whose ProxyHeader
	// (X-Forwarded-For by default, or X-Real-IP) names the client: client.go.
	TrustedProxies []netip.Prefix
	ProxyHeader    string
	// Node is this node's name in the heartbeat table (/readyz); the
	// host's name and Addr by default.
	Node string
	// BoardFrameAncestors are the origins that may show the display board
	// in a frame (see ParseFrameAncestors); none by default.
	BoardFrameAncestors []string
	// IDCardBridge is the ID card reader bridge's origin (ParseBridge): the
	// pages may connect to it, and the intake form offers 读身份证. "" for
	// none.
	IDCardBridge string
	// Metrics, if set, is told of every request (route pattern, status,
	// latency: metrics.go). MetricsToken, if set too, serves them at
	// /metrics on this listener to a scraper presenting it as a bearer
	// token; without it they are served only where the command puts them
	// (serve --metrics-addr).
	Metrics      *metrics.Metrics
	MetricsToken string
}

// Server serves OneWindow over HTTP.
type Server struct {
	cfg      Config
	svc      *service.Service
	sessions *scs.SessionManager
	log      *slog.Logger
	api      huma.API
	handler  http.Handler
	http     *http.Server
}

// New builds the server and its routes. It fails if a page template does
// not parse, so a broken template stops the start, not a request.
func New(cfg Config, svc *service.Service, sessions *scs.SessionManager, log *slog.Logger) (*Server, error) {
	if cfg.MaxBodySize == 0 {
		cfg.MaxBodySize = 1 << 20
	}
	if cfg.ProxyHeader == "" {
		cfg.ProxyHeader = HeaderForwardedFor
	}
	if err := CheckProxyHeader(cfg.ProxyHeader); err != nil {
		return nil, err
	}
	if cfg.MaxUploadSize == 0 {
		cfg.MaxUploadSize = svc.Config().Uploads.MaxBytes + 1<<20
	}
	s := &Server{cfg: cfg, svc: svc, sessions: sessions, log: log}
	mux := http.NewServeMux()
	s.api = api.New(mux, svc, log, cfg.Version)
	kit, err := mountPages(mux, svc, sessions, log, cfg.IDCardBridge)
	if err != nil {
		return nil, err
	}
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET "+api.Prefix+"/docs", s.docs)
	mux.HandleFunc(api.Prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, problem.New(http.StatusNotFound, "没有这个接口："+r.Method+" "+r.URL.Path))
	})

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, r, problem.New(http.StatusForbidden, "跨站请求已被拒绝"))
	}))
	// Outermost first: the client is known, every request gets an id, is
	// logged, survives a panic, is refused if cross-origin, is signed in if
	// it can be, is refused if its text is not clean (input.go), acts once
	// per Idempotency-Key (idempotent.go) and per form token (once.go), and
	// finds its page or a Chinese 404/405.
	var h http.Handler = notePattern(noSuchPage(mux, kit.NoSuchPage))
	h = s.oneTime(h, kit.ErrorPage)
	h = s.idempotent(h) // an API POST's Idempotency-Key: idempotent.go
	h = s.screenInput(h, mux, kit.InputRefused)
	h = s.authenticate(h)
	h = sessions.LoadAndSave(h)
	h = cop.Handler(h)
	h = s.limitBody(h)
	h = s.recoverPanics(h)
	h = s.securityHeaders(h) // headers.go
	h = s.logRequests(h)
	h = s.requestID(h)
	h = s.identifyClient(h)
	h = s.measure(h) // metrics.go: the whole request, every middleware included
	h = s.metricsFirst(h)
	s.handler = h
	s.http = &http.Server{
		Addr:              cfg.Addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// Handler returns the whole server as one handler (for tests).
func (s *Server) Handler() http.Handler { return s.handler }

// OpenAPI returns the API's OpenAPI document.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	err := s.http.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections and waits for those in flight.
func (s *Server) Shutdown(ctx context.Context) error { return s.http.Shutdown(ctx) }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	status, state := http.StatusOK, "ok"
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	database, err := s.svc.Health(ctx)
	if err != nil {
		s.log.Error("health check: database", "err", err)
		status, state = http.StatusServiceUnavailable, "database unavailable"
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"status":   state,
		"database": database,
		"version":  s.cfg.Version,
		"time":     s.svc.Now().Format(time.RFC3339),
	})
}

// writeProblem writes p as problem+json, with the request's id.
func writeProblem(w http.ResponseWriter, r *http.Request, p *problem.Problem) {
	p.RequestID = service.RequestFrom(r.Context()).ID
	if p.Instance == "" {
		p.Instance = r.URL.Path
	}
	w.Header().Set("Content-Type", problem.ContentType)
	if p.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, api.Prefix+"/") }

// mountPages mounts the pages of every audience on mux, on one page kit:
// the static files, the hall's, the desks', the online hall's and the
// administrators'. It returns the kit, whose InputRefused answers a page
// request refused for its text.
func mountPages(mux *http.ServeMux, svc *service.Service, sessions *scs.SessionManager, log *slog.Logger, bridge string) (*page.Kit, error) {
	kit, err := page.NewKit(svc, sessions, log)
	if err != nil {
		return nil, err
	}
	kit.IDCardBridge = bridge
	kit.Routes(mux)
	hallPages, err := hall.New(kit)
	if err != nil {
		return nil, err
	}
	hallPages.Routes(mux)
	deskPages, err := desk.New(kit)
	if err != nil {
		return nil, err
	}
	deskPages.Routes(mux)
	onlinePages, err := online.New(kit)
	if err != nil {
		return nil, err
	}
	onlinePages.Routes(mux)
	adminPages, err := admin.New(kit)
	if err != nil {
		return nil, err
	}
	adminPages.Routes(mux)
	supervisePages, err := supervise.New(kit)
	if err != nil {
		return nil, err
	}
	supervisePages.Routes(mux)
	return kit, nil
}
