package service_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
)

// TestApplicantRegistration: a code a minute, ten minutes long, five
// tries; one account per phone.
func TestApplicantRegistration(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 10:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		ctx := context.Background()
		const phone = "13900000003"
		register := func(code, password string) (*applicant.Account, error) {
			return h.svc.Register(ctx, service.Registration{Phone: phone, Code: code, Password: password})
		}
		wantErr(t, "a code to a bad phone", h.svc.SendCode(ctx, "1390000", applicant.Register), apperr.Invalid, "phone")
		wantErr(t, "a code for no purpose", h.svc.SendCode(ctx, phone, "login"), apperr.Invalid, "purpose")
		_, err := register("123456", hallPassword)
		wantErr(t, "register without a code", err, apperr.Invalid, "code")

		// The phone may be written as people write it.
		if err := h.svc.SendCode(ctx, "+86 139-0000-0003", applicant.Register); err != nil {
			t.Fatalf("send a code: %v", err)
		}
		first := h.lastCode(t, phone)
		msg, _ := h.svc.Sender().(*notify.Log).Last(phone)
		if !strings.Contains(msg.Body, "注册验证码为 "+first) || !strings.Contains(msg.Body, "10 分钟") {
			t.Errorf("code message %q", msg.Body)
		}
		h.clk.Advance(50 * time.Second)
		wantErr(t, "a second code within a minute", h.svc.SendCode(ctx, phone, applicant.Register), apperr.Conflict, "")
		if h.lastCode(t, phone) != first {
			t.Error("a refused second code was sent")
		}

		// Five wrong codes spend the code: the right one is refused after.
		wrong := "000000"
		if first == wrong {
			wrong = "111111"
		}
		_, err = register(first, "short")
		wantErr(t, "a weak password", err, apperr.Invalid, "password")
		for i := 1; i <= applicant.CodeAttempts; i++ {
			_, err := register(wrong, hallPassword)
			wantErr(t, "wrong code", err, apperr.Invalid, "code")
		}
		_, err = register(first, hallPassword)
		wantErr(t, "the right code after five wrong ones", err, apperr.Locked, "")

		// A new code a minute later starts again; the old one is gone.
		h.clk.Advance(11 * time.Second)
		if err := h.svc.SendCode(ctx, phone, applicant.Register); err != nil {
			t.Fatalf("a new code after a minute: %v", err)
		}
		second := h.lastCode(t, phone)
		if second != first {
			_, err = register(first, hallPassword)
			wantErr(t, "the replaced code", err, apperr.Invalid, "code")
		}
		acc, err := register(second, hallPassword)
		if err != nil {
			t.Fatalf("register with the right code: %v", err)
		}
		if acc.ID == 0 || acc.Phone != phone || acc.Version != 1 || acc.Complete() || acc.Username() != "申请人139****0003" {
			t.Errorf("new account %+v (%s)", acc, acc.Username())
		}

		// A code is spent once; a registered phone gets no second account.
		_, err = register(second, hallPassword)
		wantErr(t, "the spent code", err, apperr.Invalid, "code")
		h.clk.Advance(time.Minute)
		// Asking to register a registered phone is answered as any other
		// request (abuse_test.go); the phone gets a notice, not a code.
		if err := h.svc.SendCode(ctx, demoPhone, applicant.Register); err != nil {
			t.Fatalf("a register request for the demo applicant's phone: %v", err)
		}
		if m, _ := h.svc.Sender().(*notify.Log).Last(demoPhone); sixDigits.MatchString(m.Body) || !strings.Contains(m.Body, "已注册") {
			t.Errorf("a registered phone asking to register got %q", m.Body)
		}

		// Two registrations of one phone racing: the loser is told the
		// phone is taken (the unique index decides, not a check first).
		const racer = "13900000004"
		if err := h.svc.SendCode(ctx, racer, applicant.Register); err != nil {
			t.Fatal(err)
		}
		code := h.lastCode(t, racer)
		if err := h.st.CreateAccount(ctx, &applicant.Account{Phone: racer, PasswordHash: "x", CreatedAt: h.clk.Now()}); err != nil {
			t.Fatal(err)
		}
		_, err = h.svc.Register(ctx, service.Registration{Phone: racer, Code: code, Password: hallPassword})
		wantErr(t, "register a phone registered meanwhile", err, apperr.Invalid, "phone")

		// A code lives ten minutes.
		const late = "13900000005"
		if err := h.svc.SendCode(ctx, late, applicant.Register); err != nil {
			t.Fatal(err)
		}
		code = h.lastCode(t, late)
		h.clk.Advance(10*time.Minute + time.Second)
		_, err = h.svc.Register(ctx, service.Registration{Phone: late, Code: code, Password: hallPassword})
		wantErr(t, "an expired code", err, apperr.Invalid, "code")
		wantFieldErr(t, err, "code", "过期")
	})
}

// TestApplicantSignInAndReset: the staff lockout for applicants, and a
// forgotten password reset by a code.
func TestApplicantSignInAndReset(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 10:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		ctx := context.Background()
		const phone = "13900000006"
		acc := h.register(t, phone)
		if got, err := h.svc.SignInApplicant(ctx, phone, hallPassword); err != nil || got.ID != acc.ID {
			t.Fatalf("sign in: %v %+v", err, got)
		}
		_, err := h.svc.SignInApplicant(ctx, phone, "")
		wantErr(t, "no password", err, apperr.Invalid, "phone")
		limit := h.svc.Config().LockoutLimit
		for i := 1; i <= limit; i++ {
			_, err := h.svc.SignInApplicant(ctx, phone, "wrong-password1")
			want := apperr.Unauthorized
			if i == limit {
				want = apperr.Locked
			}
			wantErr(t, "wrong password", err, want, "")
		}
		_, err = h.svc.SignInApplicant(ctx, phone, hallPassword)
		wantErr(t, "the right password while locked", err, apperr.Locked, "")
		_, err = h.svc.SignInApplicant(ctx, "13900000007", hallPassword)
		wantErr(t, "an unregistered phone", err, apperr.Unauthorized, "")
		if _, err := h.svc.SignInApplicant(ctx, demoPhone, "wrong-password1"); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("another phone while this one is locked: %v", err)
		}
		h.clk.Advance(h.svc.Config().LockoutFor + time.Minute)
		if _, err := h.svc.SignInApplicant(ctx, phone, hallPassword); err != nil {
			t.Fatalf("sign in after the lock: %v", err)
		}

		// A staff password is not an applicant's, and the other way round.
		_, err = h.svc.Login(ctx, phone, hallPassword)
		wantErr(t, "an applicant at the staff sign-in", err, apperr.Unauthorized, "")

		// Reset.
		if err := h.svc.SendCode(ctx, phone, applicant.ResetPassword); err != nil {
			t.Fatalf("reset code: %v", err)
		}
		code := h.lastCode(t, phone)
		msg, _ := h.svc.Sender().(*notify.Log).Last(phone)
		if !strings.Contains(msg.Body, "找回密码验证码为 "+code) {
			t.Errorf("reset message %q", msg.Body)
		}
		const newPassword = "NewWindow2027"
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		wantErr(t, "reset with a wrong code", h.svc.ResetApplicantPassword(ctx, phone, wrong, newPassword), apperr.Invalid, "code")
		wantErr(t, "reset to a weak password", h.svc.ResetApplicantPassword(ctx, phone, code, "weak"), apperr.Invalid, "password")
		if err := h.svc.ResetApplicantPassword(ctx, phone, code, newPassword); err != nil {
			t.Fatalf("reset: %v", err)
		}
		wantErr(t, "the reset code again", h.svc.ResetApplicantPassword(ctx, phone, code, "Another2028x"), apperr.Invalid, "code")
		_, err = h.svc.SignInApplicant(ctx, phone, hallPassword)
		wantErr(t, "the old password", err, apperr.Unauthorized, "")
		got, err := h.svc.SignInApplicant(ctx, phone, newPassword)
		if err != nil || got.ID != acc.ID || got.Version != acc.Version+1 {
			t.Fatalf("the new password: %v %+v", err, got)
		}
		// A register code does not reset a password.
		h.clk.Advance(time.Minute)
		if err := h.svc.SendCode(ctx, "13900000008", applicant.Register); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "reset with a register code", h.svc.ResetApplicantPassword(ctx, "13900000008", h.lastCode(t, "13900000008"), newPassword), apperr.Invalid, "code")
	})
}

// TestApplicantProfile: who an account is, checked and bound once.
func TestApplicantProfile(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 10:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		ctx := context.Background()
		acc := h.register(t, residentPhone)
		me := applicantCtx(acc)
		unchanged := func(what string, version int, id string) {
			t.Helper()
			got, err := h.svc.AccountByID(ctx, acc.ID)
			if err != nil || got.Version != version || got.IDNumber != id {
				t.Errorf("%s changed the account: version %d ID %q (%v), want %d %q", what, got.Version, got.IDNumber, err, version, id)
			}
		}
		_, err := h.svc.UpdateProfile(ctx, resident(residentName, residentIDCard), 0)
		wantErr(t, "a profile without signing in", err, apperr.Unauthorized, "")
		_, err = h.svc.UpdateProfile(h.as["shouli"], resident(residentName, residentIDCard), 0)
		wantErr(t, "a profile by a clerk", err, apperr.Unauthorized, "")

		_, err = h.svc.UpdateProfile(me, resident(residentName, "110105194912310021"), acc.Version)
		wantErr(t, "a bad resident ID", err, apperr.Invalid, "applicant.id_number")
		_, err = h.svc.UpdateProfile(me, company(otherCompany, "91350100M000100Y44"), acc.Version)
		wantErr(t, "a bad credit code", err, apperr.Invalid, "applicant.id_number")
		_, err = h.svc.UpdateProfile(me, applicant.Profile{Kind: "person", Name: residentName, IDType: "credit_code", IDNumber: otherCredit}, acc.Version)
		wantErr(t, "a person with a credit code", err, apperr.Invalid, "applicant.id_type")
		bad := resident(residentName, residentIDCard)
		bad.Email = "not an address"
		_, err = h.svc.UpdateProfile(me, bad, acc.Version)
		wantErr(t, "a bad e-mail", err, apperr.Invalid, "email")
		unchanged("refused profiles", 1, "")

		p := resident(" "+residentName+" ", strings.ToLower(residentIDCard))
		got, err := h.svc.UpdateProfile(me, p, acc.Version)
		if err != nil {
			t.Fatalf("profile: %v", err)
		}
		if got.Name != residentName || got.IDNumber != residentIDCard || got.Version != 2 || !got.Complete() {
			t.Errorf("profile saved as %+v", got)
		}

		// A form read at version 1 is stale now.
		moved := resident(residentName, residentIDCard)
		moved.Address = "江川区新桥东街12号"
		_, err = h.svc.UpdateProfile(me, moved, 1)
		wantErr(t, "a stale profile form", err, apperr.Conflict, "")
		unchanged("a stale form", 2, residentIDCard)

		// The ID is bound once: a change goes through the hall.
		_, err = h.svc.UpdateProfile(me, resident(residentName, residentID(5)), 2)
		wantErr(t, "another ID number", err, apperr.Invalid, "id_number")
		_, err = h.svc.UpdateProfile(me, company(otherCompany, otherCredit), 2)
		wantErr(t, "a credit code instead", err, apperr.Invalid, "id_number")
		unchanged("changing the ID", 2, residentIDCard)
		got, err = h.svc.UpdateProfile(me, moved, 2)
		if err != nil || got.Address != "江川区新桥东街12号" || got.Version != 3 {
			t.Fatalf("a new address: %v %+v", err, got)
		}

		// One account per ID number.
		second := h.register(t, "13700000002")
		_, err = h.svc.UpdateProfile(applicantCtx(second), resident("李明明", residentIDCard), second.Version)
		wantErr(t, "an ID bound to another account", err, apperr.Invalid, "id_number")
		_, err = h.svc.UpdateProfile(applicantCtx(second), company(otherCompany, demoCredit), second.Version)
		wantErr(t, "the demo company's credit code", err, apperr.Invalid, "id_number")
		if s, err := h.svc.AccountByID(ctx, second.ID); err != nil || s.Version != 1 || s.IDNumber != "" || s.Complete() {
			t.Errorf("the refused second account: %+v %v", s, err)
		}
		if _, err := h.svc.UpdateProfile(applicantCtx(second), company(otherCompany, otherCredit), second.Version); err != nil {
			t.Errorf("a free credit code: %v", err)
		}

		// An account without a profile cannot authorise or apply.
		third := h.register(t, "13700000003")
		_, err = h.svc.Authorise(applicantCtx(third), service.AuthorisationInput{Agent: "daiban", Until: "2026-10-09"})
		wantErr(t, "authorise without a profile", err, apperr.Conflict, "")
		if u := service.UserFrom(h.as["daiban"]); u == nil || u.Role != org.RoleAgent {
			t.Fatalf("daiban: %+v", u)
		}
	})
}

// TestCodesPerClient: one client address gets a few codes an hour, for
// whatever numbers; another address is not held up by it.
func TestCodesPerClient(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 10:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		from := func(addr string) context.Context {
			return service.WithRequest(context.Background(), service.Request{ID: "t", RemoteAddr: addr, Channel: "web"})
		}
		sent := 0
		var err error
		for i := range 20 {
			phone := "1370000" + strings.Repeat("0", 4-len(itoa(i))) + itoa(i)
			if err = h.svc.SendCode(from("203.0.113.7"), phone, applicant.Register); err != nil {
				break
			}
			sent++
		}
		wantErr(t, "the eleventh number from one address", err, apperr.Locked, "")
		if sent == 0 || sent >= 20 {
			t.Fatalf("one address got %d codes", sent)
		}
		if _, ok := h.svc.Sender().(*notify.Log).Last("1370000" + strings.Repeat("0", 4-len(itoa(sent))) + itoa(sent)); ok {
			t.Error("the refused code was sent")
		}
		if err := h.svc.SendCode(from("198.51.100.2"), "13800000077", applicant.Register); err != nil {
			t.Errorf("another address is refused: %v", err)
		}
		h.clk.Advance(61 * time.Minute)
		if err := h.svc.SendCode(from("203.0.113.7"), "13800000078", applicant.Register); err != nil {
			t.Errorf("an hour later: %v", err)
		}
	})
}

func itoa(i int) string { return strconv.Itoa(i) }
