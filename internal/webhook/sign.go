package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Secret is one signing secret of a subscription, in the Standard Webhooks
// form "whsec_" + base64 of the key. While a secret is being rotated the
// old one signs beside the new one until it expires, so that a receiver
// can switch keys without losing a message.
type Secret struct {
	Key       string    `json:"key"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at,omitzero"` // zero: the current secret
}

// secretPrefix begins every secret (Standard Webhooks).
const secretPrefix = "whsec_"

// NewSecret returns a fresh random 32-byte secret.
func NewSecret(now time.Time) Secret {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return Secret{Key: secretPrefix + base64.StdEncoding.EncodeToString(b), CreatedAt: now}
}

// key decodes a secret; the prefix is optional, as in the reference
// libraries.
func key(secret string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil || len(b) == 0 {
		return nil, errors.New("webhook: malformed secret")
	}
	return b, nil
}

// Sign returns the Standard Webhooks signature of a message:
// "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)).
func Sign(secret, id string, ts time.Time, body []byte) (string, error) {
	k, err := key(secret)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, k)
	m.Write([]byte(id + "." + strconv.FormatInt(ts.Unix(), 10) + "."))
	m.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil)), nil
}

// Live returns the secrets that sign at now: the current one and those
// rotated out whose grace has not run out, newest first.
func Live(secrets []Secret, now time.Time) []Secret {
	var out []Secret
	for i := len(secrets) - 1; i >= 0; i-- {
		if s := secrets[i]; s.ExpiresAt.IsZero() || now.Before(s.ExpiresAt) {
			out = append(out, s)
		}
	}
	return out
}

// Rotate returns secrets with a new current secret appended and the old
// ones expiring after grace; secrets already expired are dropped.
func Rotate(secrets []Secret, now time.Time, grace time.Duration) ([]Secret, Secret) {
	var out []Secret
	for _, s := range secrets {
		if s.ExpiresAt.IsZero() {
			s.ExpiresAt = now.Add(grace)
		}
		if now.Before(s.ExpiresAt) {
			out = append(out, s)
		}
	}
	fresh := NewSecret(now)
	return append(out, fresh), fresh
}

// Headers are the Standard Webhooks headers of one message.
type Headers struct {
	ID        string // webhook-id: the same for every attempt at one message
	Timestamp string // webhook-timestamp: seconds since the epoch
	Signature string // webhook-signature: space-separated "v1,…", one per live secret
}

// SignHeaders signs body with every live secret.
func SignHeaders(secrets []Secret, id string, now time.Time, body []byte) (Headers, error) {
	h := Headers{ID: id, Timestamp: strconv.FormatInt(now.Unix(), 10)}
	var sigs []string
	for _, s := range Live(secrets, now) {
		sig, err := Sign(s.Key, id, now, body)
		if err != nil {
			return h, err
		}
		sigs = append(sigs, sig)
	}
	if len(sigs) == 0 {
		return h, errors.New("webhook: no live secret")
	}
	h.Signature = strings.Join(sigs, " ")
	return h, nil
}

// Tolerance is how far a message's timestamp may be from the receiver's
// clock (Standard Webhooks suggests five minutes).
const Tolerance = 5 * time.Minute

// ErrSignature says a message's signature does not verify.
var ErrSignature = errors.New("webhook: no matching signature")

// Verify checks a received message as a receiver does: the timestamp
// within Tolerance of now and one of the signatures made with secret.
func Verify(secret string, h Headers, body []byte, now time.Time) error {
	sec, err := strconv.ParseInt(h.Timestamp, 10, 64)
	if err != nil {
		return errors.New("webhook: malformed timestamp")
	}
	ts := time.Unix(sec, 0)
	if ts.Before(now.Add(-Tolerance)) || ts.After(now.Add(Tolerance)) {
		return errors.New("webhook: timestamp out of tolerance")
	}
	want, err := Sign(secret, h.ID, ts, body)
	if err != nil {
		return err
	}
	for _, sig := range strings.Fields(h.Signature) {
		if hmac.Equal([]byte(sig), []byte(want)) {
			return nil
		}
	}
	return ErrSignature
}
