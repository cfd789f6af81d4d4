package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
)

// ChangePassword replaces the signed-in user's password after checking the
// old one. Every API token the user holds is revoked.
func (s *Service) ChangePassword(ctx context.Context, oldPassword, newPassword string) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	if a.User == nil {
		return apperr.New(apperr.Forbidden, "此处只修改工作人员的密码")
	}
	u, err := s.store.UserByID(ctx, a.User.ID)
	if err != nil {
		return err
	}
	ok, err := org.CheckPassword(u.PasswordHash, oldPassword)
	if err != nil {
		return apperr.Wrap(err, "check password")
	}
	if !ok {
		return apperr.Field("old_password", "原密码不正确")
	}
	if err := org.ValidatePassword(newPassword); err != nil {
		return apperr.Field("new_password", apperr.MessageOf(err))
	}
	if newPassword == oldPassword {
		return apperr.Field("new_password", "新密码不能与原密码相同")
	}
	hash, err := org.HashPassword(newPassword)
	if err != nil {
		return apperr.Wrap(err, "hash password")
	}
	if err := s.store.SetPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	s.log.Info("password changed", "username", u.Username, "request_id", RequestFrom(ctx).ID)
	return nil
}
