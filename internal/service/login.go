package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// errBadCredentials is the one answer to a wrong username or password:
// it never tells which was wrong.
func errBadCredentials() error { return apperr.New(apperr.Unauthorized, "用户名或密码错误") }

// Login checks a username and password. Every attempt is recorded and
// logged. An unknown username does exactly the work of a wrong password:
// one argon2id check (against a dummy hash of today's parameters), the
// same records, the same answer. Failures lock out the client they come
// from (lockout.go), not the account.
func (s *Access) Login(ctx context.Context, username, password string) (*org.User, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	now := s.clock.Now()
	if username == "" || password == "" {
		return nil, apperr.Invalidf([]apperr.FieldError{{Field: "username", Message: "请输入用户名和密码"}}, "请输入用户名和密码")
	}
	attempt, locked, err := s.beginPassword(ctx, userSubject(username), now)
	if err != nil {
		if locked {
			s.recordSignIn(ctx, username, 0, "locked", now)
		}
		return nil, err
	}
	u, err := s.store.UserByUsername(ctx, username)
	found := err == nil
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	hash := dummyHash
	if found {
		hash = u.PasswordHash
	}
	ok, err := s.verifyPassword(ctx, hash, password)
	if err != nil {
		return nil, err
	}
	if !found || !ok {
		outcome, id := "unknown_user", int64(0)
		if found {
			outcome, id = "bad_password", u.ID
		}
		s.recordSignIn(ctx, username, id, outcome, now)
		if err := s.passwordFailed(ctx, attempt, now); err != nil {
			return nil, err
		}
		return nil, errBadCredentials()
	}
	if !u.Active {
		s.recordSignIn(ctx, username, u.ID, "inactive", now)
		return nil, apperr.New(apperr.Unauthorized, "账号已停用，请联系管理员")
	}
	if err := s.passwordSucceeded(ctx, attempt, now); err != nil {
		return nil, err
	}
	s.recordSignIn(ctx, username, u.ID, "ok", now)
	return u, nil
}

// recordSignIn writes the attempt to the sign-in record and the log. A
// failure to record is logged but does not change the answer.
func (s *Access) recordSignIn(ctx context.Context, username string, userID int64, outcome string, now time.Time) {
	r := RequestFrom(ctx)
	level := s.log.Info
	if outcome != "ok" {
		level = s.log.Warn
	}
	level("sign-in", "username", username, "outcome", outcome, "channel", r.Channel, "remote_addr", r.RemoteAddr, "request_id", r.ID)
	err := s.store.LogSignIn(context.WithoutCancel(ctx), store.SignIn{
		At: now, Username: username, UserID: userID, Outcome: outcome,
		Channel: r.Channel, RemoteAddr: r.RemoteAddr, RequestID: r.ID,
	})
	if err != nil {
		s.log.Error("record sign-in", "err", err, "request_id", r.ID)
	}
}

// tokenHash is how a token is kept: only its SHA-256.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// IssueToken creates an API bearer token for a user who has just signed in.
func (s *Access) IssueToken(ctx context.Context, u *org.User) (token string, expires time.Time, err error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", time.Time{}, apperr.Wrap(err, "token")
	}
	token = "ow_" + base64.RawURLEncoding.EncodeToString(raw)
	now := s.clock.Now()
	expires = now.Add(s.cfg.TokenTTL)
	err = s.store.CreateToken(ctx, store.Token{Hash: tokenHash(token), UserID: u.ID, CreatedAt: now, ExpiresAt: expires})
	return token, expires, err
}

// Authenticate returns the active user holding a valid token.
func (s *Access) Authenticate(ctx context.Context, token string) (*org.User, error) {
	if token == "" {
		return nil, apperr.New(apperr.Unauthorized, "请先登录")
	}
	return s.store.UserByToken(ctx, tokenHash(token), s.clock.Now())
}

// Logout revokes an API token.
func (s *Access) Logout(ctx context.Context, token string) error {
	if err := personOnly(ctx, "注销登录令牌"); err != nil {
		return err
	}
	if err := s.store.RevokeToken(ctx, tokenHash(token)); err != nil {
		return err
	}
	r := RequestFrom(ctx)
	s.log.Info("sign-out", "username", ActorFrom(ctx).Name(), "channel", r.Channel, "request_id", r.ID)
	return nil
}

// UserByID returns an account (for the page sessions, which keep the id).
func (s *Access) UserByID(ctx context.Context, id int64) (*org.User, error) {
	return s.store.UserByID(ctx, id)
}
