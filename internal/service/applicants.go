package service

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/org"
)

// SendCode sends a verification code to phone for purpose: registering a
// new account, or resetting a forgotten password. One code a minute per
// phone; a code lives ten minutes.
func (s *Service) SendCode(ctx context.Context, phone string, purpose applicant.Purpose) error {
	phone = applicant.NormalizePhone(phone)
	if err := applicant.ValidatePhone(phone); err != nil {
		return err
	}
	_, err := s.store.AccountByPhone(ctx, phone)
	switch {
	case purpose == applicant.Register && err == nil:
		return apperr.Field("phone", "该手机号已注册，请直接登录或找回密码")
	case purpose == applicant.ResetPassword && apperr.Is(err, apperr.NotFound):
		return apperr.Field("phone", "该手机号未注册")
	case err != nil && !apperr.Is(err, apperr.NotFound):
		return err
	case purpose != applicant.Register && purpose != applicant.ResetPassword:
		return apperr.Field("purpose", "未知的验证码用途")
	}
	now := s.clock.Now()
	// One client may ask for codes for a few numbers, not for many: the
	// count per address is kept in the database, for every node.
	if addr := RequestFrom(ctx).RemoteAddr; addr != "" {
		until, err := s.store.RecordFailure(ctx, "code-from:"+addr, now, codesPerClient, time.Hour, time.Hour)
		if err != nil {
			return err
		}
		if !until.IsZero() {
			return apperr.New(apperr.Locked, "获取验证码过于频繁，请一小时后再试")
		}
	}
	plain, code := applicant.NewCode(phone, purpose, now)
	if err := s.store.SaveCode(ctx, code, applicant.CodeInterval); err != nil {
		return err
	}
	what := map[applicant.Purpose]string{applicant.Register: "注册", applicant.ResetPassword: "找回密码"}[purpose]
	msg := notify.Message{To: phone, Subject: "验证码", Body: "【一窗通】您的" + what + "验证码为 " + plain + "，10 分钟内有效。如非本人操作，请忽略。"}
	if err := s.sender.Send(ctx, msg); err != nil {
		return apperr.Wrap(err, "send verification code")
	}
	s.log.Info("verification code sent", "phone", applicant.MaskPhone(phone), "purpose", purpose)
	return nil
}

// codesPerClient is how many codes one client address may ask for in an
// hour.
const codesPerClient = 10

// Registration is what a new applicant gives: the phone, its code and a
// password.
type Registration struct {
	Phone    string
	Code     string
	Password string
}

// Register creates an applicant account once the phone's code checks out.
func (s *Service) Register(ctx context.Context, in Registration) (*applicant.Account, error) {
	phone := applicant.NormalizePhone(in.Phone)
	if err := applicant.ValidatePhone(phone); err != nil {
		return nil, err
	}
	if err := applicant.ValidatePassword(in.Password); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if err := s.store.UseCode(ctx, phone, applicant.Register, func(c applicant.Code) error { return c.Verify(in.Code, now) }); err != nil {
		return nil, err
	}
	hash, err := org.HashPassword(in.Password)
	if err != nil {
		return nil, apperr.Wrap(err, "hash password")
	}
	a := &applicant.Account{Phone: phone, PasswordHash: hash, CreatedAt: now}
	if err := s.store.CreateAccount(ctx, a); err != nil {
		return nil, err
	}
	s.log.Info("applicant registered", "account", a.ID, "phone", applicant.MaskPhone(phone))
	return a, nil
}

// SignInApplicant checks an applicant's phone and password, with the same
// lockout as staff sign-in.
func (s *Service) SignInApplicant(ctx context.Context, phone, password string) (*applicant.Account, error) {
	phone = applicant.NormalizePhone(phone)
	now := s.clock.Now()
	if phone == "" || password == "" {
		return nil, apperr.Field("phone", "请输入手机号和密码")
	}
	key := "phone:" + phone
	if until, err := s.store.LockedUntil(ctx, key, now); err != nil {
		return nil, err
	} else if !until.IsZero() {
		return nil, lockedError(until)
	}
	a, err := s.store.AccountByPhone(ctx, phone)
	if apperr.Is(err, apperr.NotFound) {
		org.CheckPassword(dummyHash, password)
		return nil, s.failApplicant(ctx, key, now)
	}
	if err != nil {
		return nil, err
	}
	ok, err := org.CheckPassword(a.PasswordHash, password)
	if err != nil {
		return nil, apperr.Wrap(err, "check applicant password")
	}
	if !ok {
		return nil, s.failApplicant(ctx, key, now)
	}
	if err := s.store.ClearFailures(ctx, key); err != nil {
		return nil, err
	}
	s.log.Info("applicant signed in", "account", a.ID, "phone", applicant.MaskPhone(phone))
	return a, nil
}

func (s *Service) failApplicant(ctx context.Context, key string, now time.Time) error {
	until, err := s.store.RecordFailure(ctx, key, now, s.cfg.LockoutLimit, s.cfg.LockoutWindow, s.cfg.LockoutFor)
	if err != nil {
		return err
	}
	if !until.IsZero() {
		return lockedError(until)
	}
	return apperr.New(apperr.Unauthorized, "手机号或密码错误")
}

// ResetApplicantPassword sets a new password once the phone's reset code
// checks out.
func (s *Service) ResetApplicantPassword(ctx context.Context, phone, code, password string) error {
	phone = applicant.NormalizePhone(phone)
	if err := applicant.ValidatePassword(password); err != nil {
		return err
	}
	now := s.clock.Now()
	if err := s.store.UseCode(ctx, phone, applicant.ResetPassword, func(c applicant.Code) error { return c.Verify(code, now) }); err != nil {
		return err
	}
	a, err := s.store.AccountByPhone(ctx, phone)
	if err != nil {
		return err
	}
	if a.PasswordHash, err = org.HashPassword(password); err != nil {
		return apperr.Wrap(err, "hash password")
	}
	return s.store.UpdateAccount(ctx, a, now)
}

// AccountByID returns an applicant account, for the page session.
func (s *Service) AccountByID(ctx context.Context, id int64) (*applicant.Account, error) {
	return s.store.Account(ctx, id)
}

// UpdateProfile sets the signed-in applicant's profile: who they are, with
// the ID number or credit code checked. version is the account version the
// form was read at: a newer one is a stale edit.
func (s *Service) UpdateProfile(ctx context.Context, p applicant.Profile, version int) (*applicant.Account, error) {
	acc := AccountFrom(ctx)
	if acc == nil {
		return nil, apperr.New(apperr.Unauthorized, "请先登录网上办事大厅")
	}
	a, err := s.store.Account(ctx, acc.ID)
	if err != nil {
		return nil, err
	}
	if version != 0 && version != a.Version {
		return nil, apperr.New(apperr.Conflict, "账户信息已在别处修改，请刷新后重试")
	}
	checked, err := p.Check(a.Phone)
	if err != nil {
		return nil, err
	}
	if a.Complete() && (checked.IDNumber != a.IDNumber) {
		return nil, apperr.Field("id_number", "证件号码绑定后不能修改；如有错误请到大厅窗口办理")
	}
	a.Apply(checked)
	if err := s.store.UpdateAccount(ctx, a, s.clock.Now()); err != nil {
		return nil, err
	}
	return a, nil
}

// requireAccount returns the signed-in applicant with a complete profile.
func requireAccount(ctx context.Context) (*applicant.Account, error) {
	acc := AccountFrom(ctx)
	if acc == nil {
		return nil, apperr.New(apperr.Unauthorized, "请先登录网上办事大厅")
	}
	if !acc.Complete() {
		return nil, apperr.New(apperr.Conflict, "请先完善个人（单位）信息")
	}
	return acc, nil
}
