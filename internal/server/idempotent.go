package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/service"
)

// An API POST with an Idempotency-Key header acts once per key: the first
// request claims the key in the database and acts; a retry with the same
// key and the same request (method, path, On-Behalf-Of, body) is answered
// with the first answer, marked Idempotent-Replayed: true, and changes
// nothing; the same key with another request is 422. A refused first
// request (any status from 400 on) changed nothing and lets its claim go.
// The rules are the service's (ClaimIdempotency).

// HeaderIdempotencyKey is the request header that names a retryable POST.
const HeaderIdempotencyKey = "Idempotency-Key"

// replayedHeaders are the headers of the first answer a retry gets back.
var replayedHeaders = []string{"Content-Type", "Location", "Content-Location", "Retry-After"}

// idempotent answers an API POST once per Idempotency-Key.
func (s *Server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get(HeaderIdempotencyKey)
		if r.Method != http.MethodPost || key == "" || !isAPI(r) {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeProblem(w, r, problem.New(http.StatusRequestEntityTooLarge, "请求内容过大"))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		fingerprint := service.RequestFingerprint(r.Method, r.URL.Path, strings.TrimSpace(r.Header.Get("On-Behalf-Of")), body)
		ctx := r.Context()
		for {
			first, err := s.svc.ClaimIdempotency(ctx, key, fingerprint)
			if err != nil {
				s.refuse(w, r, err)
				return
			}
			if first {
				break
			}
			answer, err := s.svc.AwaitIdempotency(ctx, key)
			if err != nil {
				s.refuse(w, r, err)
				return
			}
			if answer != nil {
				for name, v := range answer.Headers {
					w.Header().Set(name, v)
				}
				w.Header().Set("Idempotent-Replayed", "true")
				w.WriteHeader(answer.Status)
				w.Write(answer.Body)
				return
			}
			// The first request was refused and let go: act now.
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		rec := &answerRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		// The answer is recorded whatever the client does now: its retry
		// may already be waiting.
		ctx = context.WithoutCancel(ctx)
		if status >= 400 {
			err = s.svc.ReleaseIdempotency(ctx, key)
		} else {
			a := service.IdempotentAnswer{Status: status, Headers: map[string]string{}}
			for _, name := range replayedHeaders {
				if v := rec.Header().Get(name); v != "" {
					a.Headers[name] = v
				}
			}
			if !rec.overflow {
				a.Body = rec.body.Bytes()
			}
			err = s.svc.FinishIdempotency(ctx, key, a)
		}
		if err != nil {
			s.log.Error("idempotency key", "err", err, "request_id", service.RequestFrom(ctx).ID)
		}
	})
}

// refuse writes a use case's refusal as a problem, logging internal ones.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	p := problem.From(err)
	if p.Code == apperr.Internal {
		s.log.Error("request refused", "err", err, "request_id", service.RequestFrom(r.Context()).ID)
	}
	writeProblem(w, r, p)
}
