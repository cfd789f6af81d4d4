package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// The Idempotency-Key of the API's POSTs, the pages' form tokens'
// counterpart (form_tokens.go) for systems: the first request with a key
// claims it in the database and acts; a retry with the same key and the
// same request waits for the first and is answered with what the first
// got, changing nothing; the same key with another request is refused
// (422). A refused first request changed nothing and lets its claim go,
// so that a retry acts. Keys are kept IdempotencyTTL.
//
// The answer is recorded just after the change commits, not in its
// transaction: if the node dies in between, the claim stays unanswered
// and a retry is told the outcome is unknown (409) rather than acting a
// second time; the caller reads the case to see what happened.

// IdempotencyTTL is how long a key keeps its first answer.
const IdempotencyTTL = 24 * time.Hour

// idempotencyWait bounds how long a retry waits for the first request to
// answer; idempotencyStale is how long after its claim an unanswered first
// request is taken to have died (longer than the server's write timeout).
const (
	idempotencyWait  = 10 * time.Second
	idempotencyStale = 2 * time.Minute
	idempotencyPoll  = 25 * time.Millisecond
)

// IdempotentAnswer is what the first request with a key answered.
type IdempotentAnswer struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"` // Content-Type, Location …
	Body    []byte            `json:"body,omitempty"`
}

// RequestFingerprint is what makes two requests "the same": the method,
// the path, the reviewer a department system acts for, and the body.
func RequestFingerprint(method, path, onBehalfOf string, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", method, path, onBehalfOf)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// idempotencyKey is the row a key is kept under: who sent it (a
// department system, a staff member, an applicant, or nobody) and the key,
// hashed, so that one caller's key never opens another's answer. A key is
// 1 to 255 printable ASCII characters (a UUID, say).
func idempotencyKey(ctx context.Context, key string) (string, error) {
	if len(key) == 0 || len(key) > 255 {
		return "", apperr.Field("Idempotency-Key", "Idempotency-Key 须为 1 至 255 个可打印 ASCII 字符（如 UUID）")
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return "", apperr.Field("Idempotency-Key", "Idempotency-Key 须为 1 至 255 个可打印 ASCII 字符（如 UUID）")
		}
	}
	who := "anonymous"
	if a := ActorFrom(ctx); a != nil {
		switch {
		case a.Client != nil:
			who = fmt.Sprintf("client:%d", a.Client.ID)
		case a.User != nil:
			who = fmt.Sprintf("user:%d", a.User.ID)
		case a.Account != nil:
			who = fmt.Sprintf("account:%d", a.Account.ID)
		case a.System:
			who = "system"
		}
	}
	sum := sha256.Sum256([]byte("onewindow-idempotency\x00" + who + "\x00" + key))
	return hex.EncodeToString(sum[:]), nil
}

// ClaimIdempotency claims key for a request with fingerprint: true when it
// is the first, which then acts and records its answer
// (FinishIdempotency) or lets the claim go (ReleaseIdempotency); false when
// the same request holds it (AwaitIdempotency). The key used for another
// request is Invalid (422).
func (s *Clients) ClaimIdempotency(ctx context.Context, key, fingerprint string) (bool, error) {
	row, err := idempotencyKey(ctx, key)
	if err != nil {
		return false, err
	}
	now := s.clock.Now()
	claimed, held, err := s.store.ClaimIdempotencyKey(ctx, row, fingerprint, now, now.Add(IdempotencyTTL))
	if err != nil {
		return false, err
	}
	if held != fingerprint {
		return false, apperr.Field("Idempotency-Key", "该 Idempotency-Key 已用于另一个请求（方法、路径或请求内容不同）；新的请求请用新的键")
	}
	return claimed, nil
}

// FinishIdempotency records the first request's answer for its retries.
func (s *Clients) FinishIdempotency(ctx context.Context, key string, a IdempotentAnswer) error {
	row, err := idempotencyKey(ctx, key)
	if err != nil {
		return err
	}
	b, err := json.Marshal(a)
	if err != nil {
		return apperr.Wrap(err, "idempotent answer")
	}
	return s.store.FinishIdempotencyKey(ctx, row, b, s.clock.Now())
}

// ReleaseIdempotency lets the claim of a refused request go: it changed
// nothing, and a retry acts.
func (s *Clients) ReleaseIdempotency(ctx context.Context, key string) error {
	row, err := idempotencyKey(ctx, key)
	if err != nil {
		return err
	}
	return s.store.ReleaseIdempotencyKey(ctx, row)
}

// AwaitIdempotency waits for the request holding key to answer and
// returns its answer; nil when that request was refused and let the claim
// go (the caller claims again). A first request still at work after the
// wait is a conflict; one that never answered (its node died) is a
// conflict that says the outcome is unknown.
func (s *Clients) AwaitIdempotency(ctx context.Context, key string) (*IdempotentAnswer, error) {
	row, err := idempotencyKey(ctx, key)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	for {
		result, done, claimedAt, err := s.store.IdempotencyKey(ctx, row, s.clock.Now())
		switch {
		case apperr.Is(err, apperr.NotFound):
			return nil, nil
		case err != nil:
			return nil, err
		case done:
			var a IdempotentAnswer
			if err := json.Unmarshal(result, &a); err != nil {
				return nil, apperr.Wrap(err, "idempotent answer")
			}
			return &a, nil
		case !claimedAt.IsZero() && s.clock.Now().Sub(claimedAt) > idempotencyStale:
			return nil, apperr.New(apperr.Conflict, "使用该 Idempotency-Key 的首次请求未能完成应答，结果不明：请先查询办件的当前状态，确需再办时换用新的键")
		}
		if time.Since(start) > idempotencyWait {
			return nil, apperr.New(apperr.Conflict, "使用该 Idempotency-Key 的首次请求仍在办理中，请稍后用同一个键重试")
		}
		select {
		case <-ctx.Done():
			return nil, apperr.Wrap(ctx.Err(), "await idempotency key")
		case <-time.After(idempotencyPoll):
		}
	}
}
