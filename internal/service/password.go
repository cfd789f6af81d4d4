package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
)

// ChangePassword replaces the signed-in user's password after checking the
// old one. Every API token the user holds is revoked.
func (s *Access) ChangePassword(ctx context.Context, oldPassword, newPassword string) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	if err := personOnly(ctx, "修改密码"); err != nil {
		return err
	}
	if a.User == nil {
		return apperr.New(apperr.Forbidden, "此处只修改工作人员的密码")
	}
	u, err := s.store.UserByID(ctx, a.User.ID)
	if err != nil {
		return err
	}
	// Guessing the old password (from a session left open) counts as
	// failed sign-ins do.
	now := s.clock.Now()
	attempt, _, err := s.beginPassword(ctx, userSubject(u.Username), now)
	if err != nil {
		return err
	}
	ok, err := s.verifyPassword(ctx, u.PasswordHash, oldPassword)
	if err != nil {
		return err
	}
	if !ok {
		if err := s.passwordFailed(ctx, attempt, now); err != nil {
			return err
		}
		return apperr.Field("old_password", "原密码不正确")
	}
	if err := org.ValidatePassword(newPassword); err != nil {
		return apperr.Field("new_password", apperr.MessageOf(err))
	}
	if newPassword == oldPassword {
		return apperr.Field("new_password", "新密码不能与原密码相同")
	}
	hash, err := s.hashPassword(ctx, newPassword)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	s.log.Info("password changed", "username", u.Username, "request_id", RequestFrom(ctx).ID)
	return nil
}
