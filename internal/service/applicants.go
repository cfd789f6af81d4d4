package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/notify"
)

// SendCode sends a verification code to phone for purpose: registering a
// new account, or resetting a forgotten password. The answer and the work
// are the same whether the phone is registered or not, so nobody learns
// which phones have accounts: a phone that cannot use the code (a
// registered one asking to register, an unregistered one asking for a
// reset) gets a notice saying so instead of a code, through the same
// sender. One code a minute per phone, a few an hour per phone and per
// client, on every node; a code lives ten minutes.
func (s *Online) SendCode(ctx context.Context, phone string, purpose applicant.Purpose) error {
	phone = applicant.NormalizePhone(phone)
	if err := applicant.ValidatePhone(phone); err != nil {
		return err
	}
	if purpose != applicant.Register && purpose != applicant.ResetPassword {
		return apperr.Field("purpose", "未知的验证码用途")
	}
	l := s.cfg.Limits
	if client := clientKey(ctx); client != "" {
		if err := s.takeShared(ctx, "codes-from:"+client, l.Codes, "获取验证码过于频繁"); err != nil {
			return err
		}
	}
	if err := s.takeShared(ctx, "codes-to:"+phone, l.CodesPerPhone, "该手机号获取验证码过于频繁"); err != nil {
		return err
	}
	_, err := s.store.AccountByPhone(ctx, phone)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	registered := err == nil
	now := s.clock.Now()
	// A code is kept either way, so that the one-a-minute rule answers
	// alike; one that is never sent is never used.
	plain, code := applicant.NewCode(phone, purpose, now)
	if err := s.store.SaveCode(ctx, code, applicant.CodeInterval); err != nil {
		return err
	}
	msg := notify.Message{To: phone, Subject: "验证码"}
	delivered := "code"
	switch {
	case purpose == applicant.Register && registered:
		msg.Subject, delivered = "账户提醒", "notice"
		msg.Body = "【一窗通】本手机号已注册网上办事大厅账户，无需再次注册；如忘记密码，请使用“找回密码”。如非本人操作，请忽略。"
	case purpose == applicant.ResetPassword && !registered:
		msg.Subject, delivered = "账户提醒", "notice"
		msg.Body = "【一窗通】本手机号尚未注册网上办事大厅账户，无法找回密码；如需办理，请先注册。如非本人操作，请忽略。"
	default:
		what := map[applicant.Purpose]string{applicant.Register: "注册", applicant.ResetPassword: "找回密码"}[purpose]
		msg.Body = "【一窗通】您的" + what + "验证码为 " + plain + "，10 分钟内有效。如非本人操作，请忽略。"
	}
	if err := s.sender.Send(ctx, msg); err != nil {
		return apperr.Wrap(err, "send verification code")
	}
	s.log.Info("verification code sent", "phone", applicant.MaskPhone(phone), "purpose", purpose, "delivered", delivered)
	return nil
}

// Registration is what a new applicant gives: the phone, its code and a
// password.
type Registration struct {
	Phone    string
	Code     string
	Password string
}

// Register creates an applicant account once the phone's code checks out.
func (s *Online) Register(ctx context.Context, in Registration) (*applicant.Account, error) {
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
	hash, err := s.access.hashPassword(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	a := &applicant.Account{Phone: phone, PasswordHash: hash, CreatedAt: now}
	if err := s.store.CreateAccount(ctx, a); err != nil {
		return nil, err
	}
	s.log.Info("applicant registered", "account", a.ID, "phone", applicant.MaskPhone(phone))
	return a, nil
}

// SignInApplicant checks an applicant's phone and password, with the
// limits and the same work for unknown phones that staff sign-in has.
func (s *Online) SignInApplicant(ctx context.Context, phone, password string) (*applicant.Account, error) {
	phone = applicant.NormalizePhone(phone)
	now := s.clock.Now()
	if phone == "" || password == "" {
		return nil, apperr.Field("phone", "请输入手机号和密码")
	}
	attempt, _, err := s.access.beginPassword(ctx, phoneSubject(phone), now)
	if err != nil {
		return nil, err
	}
	a, err := s.store.AccountByPhone(ctx, phone)
	found := err == nil
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	hash := dummyHash
	if found {
		hash = a.PasswordHash
	}
	ok, err := s.access.verifyPassword(ctx, hash, password)
	if err != nil {
		return nil, err
	}
	if !found || !ok {
		if err := s.access.passwordFailed(ctx, attempt, now); err != nil {
			return nil, err
		}
		return nil, apperr.New(apperr.Unauthorized, "手机号或密码错误")
	}
	if err := s.access.passwordSucceeded(ctx, attempt, now); err != nil {
		return nil, err
	}
	s.log.Info("applicant signed in", "account", a.ID, "phone", applicant.MaskPhone(phone))
	return a, nil
}

// ResetApplicantPassword sets a new password once the phone's reset code
// checks out.
func (s *Online) ResetApplicantPassword(ctx context.Context, phone, code, password string) error {
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
	if a.PasswordHash, err = s.access.hashPassword(ctx, password); err != nil {
		return err
	}
	if err := s.store.UpdateAccount(ctx, a, now); err != nil {
		return err
	}
	// A reset lifts every lock on the phone: its owner proved who they are.
	return s.store.ClearFailuresOf(ctx, phoneSubject(phone))
}

// AccountByID returns an applicant account, for the page session.
func (s *Online) AccountByID(ctx context.Context, id int64) (*applicant.Account, error) {
	return s.store.Account(ctx, id)
}

// UpdateProfile sets the signed-in applicant's profile: who they are, with
// the ID number or credit code checked. version is the account version the
// form was read at: a newer one is a stale edit.
func (s *Online) UpdateProfile(ctx context.Context, p applicant.Profile, version int) (*applicant.Account, error) {
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
