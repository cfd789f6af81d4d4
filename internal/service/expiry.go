package service

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/store"
)

// tokenRetention is how long an API token's row outlives its expiry (for
// an operator looking into a token just gone stale).
const tokenRetention = 7 * 24 * time.Hour

// ExpireAttempts deletes what the tables of attempts no longer need: the
// sign-in record past its retention (Limits.SignInRetention, at least six
// months), failure counters idle past every window and not locked, drained
// rate-limit buckets, expired verification codes, devices unused for their
// lifetime and API tokens a week past their expiry. The background jobs
// run it; several nodes may at once.
func (s *Casework) ExpireAttempts(ctx context.Context) (map[string]int64, error) {
	return s.store.ExpireAttempts(ctx, s.clock.Now(), store.Retention{
		SignIns:  s.cfg.Limits.SignInRetention,
		Failures: max(backoffWindow, s.cfg.LockoutWindow, progressWindow),
		Devices:  s.cfg.Limits.DeviceLifetime,
		Tokens:   tokenRetention,
	})
}

// expireAttempts runs ExpireAttempts for the jobs, logging what it did.
func (s *Casework) expireAttempts(ctx context.Context) {
	deleted, err := s.ExpireAttempts(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("expire attempts", "err", err)
		}
		return
	}
	var attrs []any
	for table, n := range deleted {
		if n > 0 {
			attrs = append(attrs, table, n)
		}
	}
	if len(attrs) > 0 {
		s.log.Info("expired attempts", attrs...)
	}
}
