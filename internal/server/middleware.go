package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apiclient"
	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// requestID gives every request an id (a sane incoming X-Request-Id is
// kept), returns it in the response and puts it in the context for logs
// and error documents.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !saneID(id) {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		channel := "web"
		if isAPI(r) {
			channel = "api"
		}
		req := service.RequestFrom(r.Context()) // the client, from identifyClient
		req.ID, req.Channel = id, channel
		next.ServeHTTP(w, r.WithContext(service.WithRequest(r.Context(), req)))
	})
}

func saneID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one structured line per request. Query strings are
// left out: they may carry names or ID numbers.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		who := new(string)
		r = r.WithContext(context.WithValue(r.Context(), signedInKey{}, who))
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		if (r.URL.Path == "/healthz" || r.URL.Path == "/readyz") && rec.status == http.StatusOK {
			level = slog.LevelDebug
		}
		if !s.log.Enabled(context.Background(), level) {
			return
		}
		// Typed attributes, in an array on the stack: every request writes
		// this line, and key-value pairs would be boxed and converted.
		req := service.RequestFrom(r.Context())
		attrs := [8]slog.Attr{
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", rec.status), slog.Int("bytes", rec.bytes),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000), slog.String("request_id", req.ID), slog.String("remote_addr", req.RemoteAddr),
		}
		n := 7
		if *who != "" {
			attrs[n] = slog.String("user", *who)
			n++
		}
		s.log.LogAttrs(context.Background(), level, "request", attrs[:n]...)
	})
}

// signedInKey holds a slot that logRequests puts in the context and
// authenticate fills with the signed-in username, so that the request's
// log line names who made it.
type signedInKey struct{}

func noteSignedIn(r *http.Request, username string) {
	if slot, ok := r.Context().Value(signedInKey{}).(*string); ok {
		*slot = username
	}
}

// recoverPanics turns a panic into a 500 and a logged stack, so one bad
// request never takes the server down.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "err", fmt.Sprint(v), "stack", string(debug.Stack()),
					"request_id", service.RequestFrom(r.Context()).ID)
				writeProblem(w, r, problem.From(apperr.Wrap(fmt.Errorf("panic: %v", v), "request")))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies; a larger one fails to read with a clear
// error instead of filling memory.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.cfg.MaxBodySize
		if isUpload(r) {
			limit = s.cfg.MaxUploadSize
		}
		if r.ContentLength > limit {
			msg := fmt.Sprintf("请求内容过大（上限 %s）", sizeText(limit))
			if !isAPI(r) {
				// A page's form: answer with a page the browser shows.
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.WriteHeader(http.StatusRequestEntityTooLarge)
				fmt.Fprintf(w, `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>文件过大</title>`+
					`<p>%s：每个文件不超过 %s，请分开上传或压缩后再试。</p><p>请用浏览器的“后退”返回上一页。</p></html>`,
					msg, sizeText(s.svc.Config().Uploads.MaxBytes))
				return
			}
			writeProblem(w, r, problem.New(http.StatusRequestEntityTooLarge, msg))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// isUpload reports whether the request may carry an uploaded file: a
// multipart form posted to the online hall or the agents' pages, a special
// procedure's record with its attachments, a result with its PDF or scans
// of materials from a case page, or a copy checked on the public
// verification page; or, through the API, a case's file sent as the body.
func isUpload(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	p := r.URL.Path
	if strings.HasPrefix(p, "/api/v1/cases/") {
		return strings.HasSuffix(p, "/result-file") || strings.HasSuffix(p, "/files")
	}
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") &&
		(strings.HasPrefix(p, "/my/") || strings.HasPrefix(p, "/agent/") || strings.HasPrefix(p, "/verify/") ||
			strings.HasPrefix(p, "/cases/") && (strings.HasSuffix(p, "/finish-procedure") ||
				strings.HasSuffix(p, "/submit-result") || strings.HasSuffix(p, "/files")))
}

// sizeText shows a byte count as people read it.
func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}

// RoleHeader names the role an API request acts in, for an account holding
// several (one clerk, two desks); without it the request acts in the
// account's primary role. A role the account does not hold is refused
// with 403 before anything else is done.
const RoleHeader = "X-Role"

// authenticate signs the request in: by its bearer token (the API: a
// user's token, or a department system's key with its On-Behalf-Of) or by
// its page session. A bearer token that is wrong or expired is refused at
// once; a missing one leaves the request anonymous for the handler to judge.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if auth := r.Header.Get("Authorization"); auth != "" {
			token, ok := strings.CutPrefix(auth, "Bearer ")
			if !ok {
				writeProblem(w, r, problem.New(http.StatusUnauthorized, "Authorization 须为 Bearer <token>"))
				return
			}
			token = strings.TrimSpace(token)
			if apiclient.IsKey(token) {
				// A department system's key opens the API only: the pages
				// (and their sessions, passwords and devices) are for
				// people signed in as themselves.
				if !strings.HasPrefix(r.URL.Path, "/api/") {
					writeProblem(w, r, problem.New(http.StatusForbidden, "接口客户端的密钥只用于 /api/v1 接口；网页须由工作人员本人登录使用"))
					return
				}
				// A department system's key (README: Department systems).
				// Acting on cases needs a named reviewer; managing its own
				// webhook subscriptions the system does as itself.
				acting := r.Method != http.MethodGet && r.Method != http.MethodHead &&
					!strings.HasPrefix(r.URL.Path, "/api/v1/webhook")
				a, err := s.svc.AuthenticateClient(ctx, token, strings.TrimSpace(r.Header.Get("On-Behalf-Of")), acting)
				if err != nil {
					p := problem.From(err)
					if p.Code == apperr.Internal {
						s.log.Error("authenticate client", "err", err, "request_id", service.RequestFrom(ctx).ID)
					}
					if p.Status == http.StatusUnauthorized {
						w.Header().Set("WWW-Authenticate", `Bearer realm="onewindow"`)
					}
					writeProblem(w, r, p)
					return
				}
				noteSignedIn(r, "client:"+a.Client.Name+"/"+a.User.Username)
				next.ServeHTTP(w, r.WithContext(service.WithClient(ctx, a)))
				return
			}
			u, err := s.svc.Authenticate(ctx, token)
			if err != nil {
				p := problem.From(err)
				if p.Code == apperr.Internal {
					s.log.Error("authenticate", "err", err, "request_id", service.RequestFrom(ctx).ID)
				}
				w.Header().Set("WWW-Authenticate", `Bearer realm="onewindow"`)
				writeProblem(w, r, p)
				return
			}
			// One clerk, two desks: the request names the role it acts in.
			if role := r.Header.Get(RoleHeader); role != "" {
				if u, err = s.svc.ActingAs(u, strings.TrimSpace(role)); err != nil {
					writeProblem(w, r, problem.From(err))
					return
				}
			}
			noteSignedIn(r, u.Username)
			ctx = service.WithUser(ctx, u)
		} else if u, err := page.SessionUser(ctx, s.sessions, s.svc); err != nil {
			s.log.Error("session user", "err", err, "request_id", service.RequestFrom(ctx).ID)
		} else if u != nil {
			noteSignedIn(r, u.Username)
			ctx = service.WithUser(ctx, u)
		} else if acc, err := page.SessionAccount(ctx, s.sessions, s.svc); err != nil {
			s.log.Error("session account", "err", err, "request_id", service.RequestFrom(ctx).ID)
		} else if acc != nil {
			noteSignedIn(r, acc.Username())
			ctx = service.WithAccount(ctx, acc)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
