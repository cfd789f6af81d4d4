package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"sync/atomic"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
)

// Every argon2id hash and check of the use cases passes here: through the
// node's gate (a flood of sign-ins queues instead of taking every core),
// and counted, so tests can see that a sign-in with an unknown name does
// the same work as one with a wrong password.

// dummyHash is checked against when the account is unknown: a hash of a
// random password nobody knows, made with the parameters every new hash
// gets, so that an unknown name costs what a known one does.
var dummyHash = func() string {
	raw := make([]byte, 24)
	rand.Read(raw)
	h, err := org.HashPassword(base64.RawStdEncoding.EncodeToString(raw))
	if err != nil {
		panic("dummy password hash: " + err.Error())
	}
	return h
}()

// passwordWork counts a service's argon2id computations and remembers the
// parameters of the last check (for tests: export_test.go).
type passwordWork struct {
	checks, hashes atomic.Int64
	lastParams     atomic.Value // string
}

// busyWait is what a request that found no hashing slot is told to wait.
const busyWait = 5 * time.Second

// errBusy answers a request that found no free hashing slot in time.
func errBusy() error {
	return apperr.TooMany(busyWait, "系统繁忙，请%s后再试", waitWords(busyWait))
}

// verifyPassword checks password against hash, through the gate.
func (s *Access) verifyPassword(ctx context.Context, hash, password string) (bool, error) {
	leave, ok := s.guard.hashing.Enter(ctx, s.cfg.Limits.HashWait)
	if !ok {
		return false, errBusy()
	}
	defer leave()
	s.work.checks.Add(1)
	s.work.lastParams.Store(org.HashParams(hash))
	ok, err := org.CheckPassword(hash, password)
	if err != nil {
		return false, apperr.Wrap(err, "check password")
	}
	return ok, nil
}

// hashPassword hashes a new password, through the gate.
func (s *Access) hashPassword(ctx context.Context, password string) (string, error) {
	leave, ok := s.guard.hashing.Enter(ctx, s.cfg.Limits.HashWait)
	if !ok {
		return "", errBusy()
	}
	defer leave()
	s.work.hashes.Add(1)
	h, err := org.HashPassword(password)
	if err != nil {
		return "", apperr.Wrap(err, "hash password")
	}
	return h, nil
}
