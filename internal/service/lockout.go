package service

import (
	"context"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
)

// Lockouts that nobody can turn against someone else. A secret (a
// password, a case's check code) is guessed from some client; the failures
// lock that client out of that account or case, not the account or case
// itself. Across all clients a much higher threshold starts a back-off
// that delays every next attempt a little more (1 s, 2 s, 4 s … up to a
// maximum) instead of a hard lock, and the account's own known devices,
// or a signed-in owner of the case, are not held up by it.
//
// The keys in login_failures:
//
//	user:NAME|ip:ADDR, user:NAME|dev:HASH   a staff username from one client or one known device
//	user:NAME                               the username from anywhere (back-off)
//	phone:PHONE|…, phone:PHONE              the same for an applicant's phone
//	code:NUMBER|ip:ADDR                     a case's check code from one client
//	code:NUMBER                             the check code from anywhere (back-off)
//	code-from:ADDR                          wrong check codes of one client, for any case

// keyPart escapes what a person typed (a username, a phone, a case number)
// for a key: "|" separates a key's parts, so "admin|ip:192.0.2.9" typed as
// a username must not become admin's key for that client.
func keyPart(typed string) string {
	return strings.NewReplacer("%", "%25", "|", "%7C").Replace(typed)
}

// userSubject and phoneSubject are the keys of an account's sign-ins.
func userSubject(username string) string { return "user:" + keyPart(username) }
func phoneSubject(phone string) string   { return "phone:" + keyPart(phone) }

// backoffWindow: a subject without a failure for this long starts its
// global count afresh.
const backoffWindow = 24 * time.Hour

// backoff returns the delay policy of a global count: none below after
// failures, then 1 s doubling with every failure, at most most.
func backoff(after int, most time.Duration) func(int) time.Duration {
	return func(n int) time.Duration {
		if n < after {
			return 0
		}
		if shift := n - after; shift < 31 {
			return min(time.Second<<shift, most)
		}
		return most
	}
}

// hardLock returns the policy that locks for lockFor from the limit-th
// failure on.
func hardLock(limit int, lockFor time.Duration) func(int) time.Duration {
	return func(n int) time.Duration {
		if n >= limit {
			return lockFor
		}
		return 0
	}
}

// passwordAttempt is one password check against an account, known by its
// subject (user:NAME or phone:PHONE), with the keys its failures count on.
type passwordAttempt struct {
	subject string
	client  string // subject|ip:ADDR, or subject|dev:HASH from a known device
	known   bool   // the device has signed in to subject before
}

// beginPassword applies every limit that comes before a password check:
// the client's rate of checks on this node, the lock of (subject,
// client), and, unless the device is known to subject, subject's global
// back-off. locked says whether the refusal is a lock (worth recording)
// rather than the client's rate.
func (s *Access) beginPassword(ctx context.Context, subject string, now time.Time) (a *passwordAttempt, locked bool, err error) {
	if err := s.throttle(ctx, s.guard.signIn); err != nil {
		return nil, false, err
	}
	a = &passwordAttempt{subject: subject, client: subject + "|ip:" + clientKey(ctx)}
	if a.known, err = s.knownDevice(ctx, subject, now); err != nil {
		return nil, false, err
	}
	keys := []string{a.client}
	if a.known {
		a.client = subject + "|dev:" + deviceHash(ctx)[:16]
		keys = []string{a.client}
	} else {
		keys = append(keys, subject)
	}
	until, err := s.store.LockedUntil(ctx, now, keys...)
	if err != nil {
		return nil, false, err
	}
	if !until.IsZero() {
		return nil, true, lockedError(until, now)
	}
	return a, false, nil
}

// passwordFailed counts a wrong password (or an unknown account: the same)
// against the client's key and the subject's global count. It returns the
// lock error when this failure locks the client out, else nil.
func (s *Access) passwordFailed(ctx context.Context, a *passwordAttempt, now time.Time) error {
	l := s.cfg.Limits
	until, err := s.store.RecordFailures(ctx, now,
		store.Failure{Key: a.client, Window: s.cfg.LockoutWindow, Lock: hardLock(s.cfg.LockoutLimit, s.cfg.LockoutFor)},
		store.Failure{Key: a.subject, Window: backoffWindow, Lock: backoff(l.BackoffAfter, l.BackoffMax)})
	if err != nil {
		return err
	}
	if !until[1].IsZero() {
		s.log.Warn("sign-in back-off", "subject", maskSubject(a.subject), "until", until[1], "request_id", RequestFrom(ctx).ID)
	}
	if !until[0].IsZero() {
		s.log.Warn("sign-in locked for a client after failures", "subject", maskSubject(a.subject), "client", clientKey(ctx),
			"until", until[0], "request_id", RequestFrom(ctx).ID)
		return lockedError(until[0], now)
	}
	return nil
}

// passwordSucceeded forgets the client's failures and remembers the
// device. The subject's global count stays: it is what others did.
func (s *Access) passwordSucceeded(ctx context.Context, a *passwordAttempt, now time.Time) error {
	if err := s.store.ClearFailures(ctx, a.client); err != nil {
		return err
	}
	s.rememberDevice(ctx, a.subject, now)
	return nil
}

// lockedError answers a sign-in while its client is locked out or the
// account's back-off runs. The same for every account, known or not.
func lockedError(until, now time.Time) error {
	wait := until.Sub(now)
	if wait >= time.Minute {
		return apperr.TooMany(wait, "登录失败次数过多，已暂停登录，请于 %s 后再试", until.In(clock.Shanghai).Format("15:04"))
	}
	return apperr.TooMany(wait, "登录失败次数过多，请%s后再试", waitWords(wait))
}

// maskSubject keeps phone numbers out of the log: phone:139****0001.
func maskSubject(subject string) string {
	if len(subject) > 6 && subject[:6] == "phone:" {
		p := subject[6:]
		if len(p) >= 11 {
			return "phone:" + p[:3] + "****" + p[len(p)-4:]
		}
		return "phone:****"
	}
	return subject
}

// codeAttempt is one look-up of a case by its check code, with the keys
// its failures count on.
type codeAttempt struct {
	number               string // as typed
	pair, client, global string // the keys: code:NUMBER|ip:ADDR, code-from:ADDR, code:NUMBER
}

// Wrong check codes a case number may take from one client before that
// client is locked out of it, and for how long.
const (
	progressAttempts = 10
	progressWindow   = time.Hour
	progressLock     = time.Hour
)

// beginCode applies every limit that comes before a check code is
// compared: the client's rate of look-ups on this node, the client's own
// lock (too many wrong codes for any case), the lock of (case, client),
// and the case's global back-off, which a signed-in person who may see the
// case is not held up by.
func (s *Access) beginCode(ctx context.Context, number string, now time.Time) (*codeAttempt, error) {
	if err := s.throttle(ctx, s.guard.lookup); err != nil {
		return nil, err
	}
	client := clientKey(ctx)
	a := &codeAttempt{number: number, pair: "code:" + keyPart(number) + "|ip:" + client,
		client: "code-from:" + client, global: "code:" + keyPart(number)}
	until, err := s.store.LockedUntil(ctx, now, a.pair, a.client)
	if err != nil {
		return nil, err
	}
	if until.IsZero() {
		if until, err = s.store.LockedUntil(ctx, now, a.global); err != nil {
			return nil, err
		}
		if !until.IsZero() && s.maySee(ctx, number) {
			until = time.Time{}
		}
	}
	if !until.IsZero() {
		wait := until.Sub(now)
		return nil, apperr.TooMany(wait, "查询码错误次数过多，请%s后再试", waitWords(wait))
	}
	return a, nil
}

// maySee reports whether a signed-in person may read case number anyway.
func (s *Access) maySee(ctx context.Context, number string) bool {
	if ActorFrom(ctx) == nil {
		return false
	}
	_, err := s.cases.Case(ctx, number)
	return err == nil
}

// codeFailed counts a wrong check code (or an unknown number: the same)
// against the (case, client) pair, the client, and the case's global count.
func (s *Access) codeFailed(ctx context.Context, a *codeAttempt, now time.Time) error {
	l := s.cfg.Limits
	until, err := s.store.RecordFailures(ctx, now,
		store.Failure{Key: a.pair, Window: progressWindow, Lock: hardLock(progressAttempts, progressLock)},
		store.Failure{Key: a.client, Window: time.Hour, Lock: hardLock(l.CodeFailuresPerClient, time.Hour)},
		store.Failure{Key: a.global, Window: backoffWindow, Lock: backoff(l.CodeBackoffAfter, l.BackoffMax)})
	if latest := store.Latest(until); err == nil && !latest.IsZero() {
		s.log.Warn("check-code look-ups held up after wrong codes", "number", a.number, "client", clientKey(ctx),
			"until", latest, "request_id", RequestFrom(ctx).ID)
	}
	return err
}

// codeSucceeded forgets the (case, client) pair's failures.
func (s *Access) codeSucceeded(ctx context.Context, a *codeAttempt) error {
	return s.store.ClearFailures(ctx, a.pair)
}
