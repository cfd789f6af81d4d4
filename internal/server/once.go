package server

import (
	"bytes"
	"context"
	"net/http"

	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// A page form's one-time token (page.FormTokenField) makes a repeat of the
// form harmless: the first submission claims the token in the database and
// acts; a repeat (a double click, a resent request, two nodes at once)
// waits for it and gets its answer (the same redirect and message, or the
// same page) without acting again. A refused submission changed nothing
// and lets its claim go. The rules are the service's (ClaimForm).

type formTokenKey struct{}

// withFormToken returns ctx carrying the request's form token, which
// screenInput noted while checking the body.
func withFormToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, formTokenKey{}, token)
}

// maxReplayBody bounds the page kept to answer a repeat with; a larger
// one is answered with the redirect to where the form came from.
const maxReplayBody = 512 << 10

// oneTime answers a page form's POST once per token. errorPage renders a
// refusal (a malformed token, a first submission still at work).
func (s *Server) oneTime(next http.Handler, errorPage func(http.ResponseWriter, *http.Request, string, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, _ := r.Context().Value(formTokenKey{}).(string)
		if r.Method != http.MethodPost || token == "" || isAPI(r) {
			next.ServeHTTP(w, r)
			return
		}
		ctx, path := r.Context(), r.URL.Path
		for {
			first, err := s.svc.ClaimForm(ctx, path, token)
			if err != nil {
				errorPage(w, r, "无法提交", err)
				return
			}
			if first {
				break
			}
			answer, err := s.svc.AwaitForm(ctx, path, token)
			if err != nil {
				errorPage(w, r, "请勿重复提交", err)
				return
			}
			if answer != nil {
				s.replay(w, r, answer)
				return
			}
			// The first submission was refused and let go: act now.
		}
		rec := &answerRecorder{ResponseWriter: w}
		slotCtx, forget := page.WithAnswerSlot(ctx)
		next.ServeHTTP(rec, r.WithContext(slotCtx))
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		// What the first answered is recorded whatever the client does
		// now: its repeat may already be waiting.
		ctx = context.WithoutCancel(ctx)
		var err error
		switch {
		case status >= 300 && status < 400:
			err = s.svc.FinishForm(ctx, path, token, service.FormAnswer{
				Status: status, Location: rec.Header().Get("Location"),
				Flash:          s.sessions.GetString(ctx, page.FlashKey),
				FlashLink:      s.sessions.GetString(ctx, page.FlashLinkKey),
				FlashLinkLabel: s.sessions.GetString(ctx, page.FlashLinkLabelKey),
			})
		case status < 300 && !rec.overflow && !*forget:
			err = s.svc.FinishForm(ctx, path, token, service.FormAnswer{
				Status: status, ContentType: rec.Header().Get("Content-Type"), Body: rec.body.Bytes(),
			})
		case status < 300:
			// Too large to keep, or a secret shown once (page.ForgetAnswer):
			// a repeat goes back to the page it came from.
			err = s.svc.FinishForm(ctx, path, token, service.FormAnswer{Status: http.StatusSeeOther, Location: page.LocalPath(r.Referer(), "/")})
		default:
			err = s.svc.ReleaseForm(ctx, path, token)
		}
		if err != nil {
			s.log.Error("form token", "err", err, "request_id", service.RequestFrom(ctx).ID)
		}
	})
}

// replay answers a repeat with the first submission's answer: its
// redirect, with the message it left for the next page, or its page.
func (s *Server) replay(w http.ResponseWriter, r *http.Request, a *service.FormAnswer) {
	ctx := r.Context()
	if a.Location != "" {
		for key, v := range map[string]string{page.FlashKey: a.Flash, page.FlashLinkKey: a.FlashLink, page.FlashLinkLabelKey: a.FlashLinkLabel} {
			if v != "" {
				s.sessions.Put(ctx, key, v)
			}
		}
		http.Redirect(w, r, a.Location, a.Status)
		return
	}
	if a.ContentType != "" {
		w.Header().Set("Content-Type", a.ContentType)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(a.Status)
	w.Write(a.Body)
}

// answerRecorder passes a response on while keeping its status and, up to
// maxReplayBody, its body.
type answerRecorder struct {
	http.ResponseWriter
	status   int
	body     bytes.Buffer
	overflow bool
}

func (w *answerRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *answerRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if !w.overflow {
		if w.body.Len()+len(b) > maxReplayBody {
			w.overflow = true
			w.body.Reset()
		} else {
			w.body.Write(b)
		}
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *answerRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
