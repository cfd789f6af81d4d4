package service_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/broadcast"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/throttle"
)

// The reproductions of issue 10's defects 2, 7, 8 and 9 (abuse: limits,
// lockouts and timing), each on every database.

// from is a request from the client at addr, as the server passes it on.
func from(addr string) context.Context {
	return service.WithRequest(context.Background(), service.Request{ID: "t", RemoteAddr: addr, Channel: "web", Device: &service.Device{}})
}

// fromDevice is a request from addr carrying the device cookie.
func fromDevice(addr, cookie string) context.Context {
	return service.WithRequest(context.Background(), service.Request{ID: "t", RemoteAddr: addr, Channel: "web", Device: &service.Device{Cookie: cookie}})
}

// hallWith is hall (service_test.go) with the settings cfg.
func hallWith(t *testing.T, st *store.Store, clk clock.Clock, cfg service.Config) (*service.Service, map[string]context.Context) {
	t.Helper()
	svc := service.New(st, clk, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	ctx := service.AsSystem(context.Background())
	creds, err := svc.LoadDemo(ctx, demo.Load())
	if err != nil || len(creds) == 0 {
		t.Fatalf("load demo: %v (%d accounts)", err, len(creds))
	}
	as := map[string]context.Context{"system": ctx, "anonymous": context.Background()}
	for _, c := range creds {
		if c.Role == "applicant" {
			continue
		}
		passwords[c.Username] = c.Password
		u, err := svc.Login(context.Background(), c.Username, c.Password)
		if err != nil {
			t.Fatalf("login %s: %v", c.Username, err)
		}
		as[c.Username] = service.WithUser(context.Background(), u)
	}
	return svc, as
}

// phoneN is the n-th test phone number.
func phoneN(n int) string { return fmt.Sprintf("1370000%04d", n) }

// TestCodesPerClientHold reproduces defect 2: 30 codes for 30 phones from
// one address answered 200 27 times (the limit is 10 an hour). Exactly ten
// go out now, on every node, and the others are refused with how long to
// wait, and sent nothing.
func TestCodesPerClientHold(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 10:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		// A second node on the same database shares the count.
		other := service.New(h.st, h.clk, slog.New(slog.NewTextHandler(io.Discard, nil)), service.DefaultConfig())
		sent := 0
		for i := range 30 {
			svc := h.svc
			if i%2 == 1 {
				svc = other
			}
			err := svc.SendCode(from("203.0.113.7"), phoneN(i), applicant.Register)
			switch {
			case err == nil:
				sent++
			case !apperr.Is(err, apperr.Locked) || apperr.RetryAfterOf(err) <= 0:
				t.Fatalf("code %d: %v (retry %s), want locked with a wait", i+1, err, apperr.RetryAfterOf(err))
			default:
				if _, ok := h.svc.Sender().(*notify.Log).Last(phoneN(i)); ok {
					t.Errorf("the refused code %d was sent", i+1)
				}
				if _, ok := other.Sender().(*notify.Log).Last(phoneN(i)); ok {
					t.Errorf("the refused code %d was sent by the second node", i+1)
				}
			}
			h.clk.Advance(300 * time.Millisecond)
		}
		if sent != 10 {
			t.Fatalf("one address got %d codes in 10 s, want 10", sent)
		}
		if err := h.svc.SendCode(from("198.51.100.2"), phoneN(100), applicant.Register); err != nil {
			t.Errorf("another address is refused: %v", err)
		}
		// A burst of ten, then one every six minutes.
		h.clk.Advance(6 * time.Minute)
		if err := h.svc.SendCode(from("203.0.113.7"), phoneN(101), applicant.Register); err != nil {
			t.Errorf("six minutes later: %v", err)
		}
		if err := h.svc.SendCode(from("203.0.113.7"), phoneN(102), applicant.Register); !apperr.Is(err, apperr.Locked) {
			t.Errorf("a second one at once: %v, want locked", err)
		}
	})
}

// TestCodesPerPhone: one phone gets a few codes an hour, from however many
// addresses (nobody can flood a phone with messages).
func TestCodesPerPhone(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 10:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		// A code a minute at most (the older rule), ten an hour: a burst of
		// ten, then one every six minutes.
		n := service.DefaultLimits().CodesPerPhone.N
		sent := 0
		var err error
		for i := range 20 {
			if err = h.svc.SendCode(from(fmt.Sprintf("192.0.2.%d", i+1)), phoneN(7), applicant.Register); err != nil {
				break
			}
			sent++
			h.clk.Advance(61 * time.Second)
		}
		if !apperr.Is(err, apperr.Locked) || apperr.RetryAfterOf(err) <= 0 || sent < n || sent > n+2 {
			t.Fatalf("one phone from twenty addresses got %d codes, then %v; want about %d and a refusal", sent, err, n)
		}
		h.clk.Advance(apperr.RetryAfterOf(err))
		if err := h.svc.SendCode(from("198.51.100.9"), phoneN(7), applicant.Register); err != nil {
			t.Fatalf("after the wait: %v", err)
		}
	})
}

// codeAnswer is what a client learns from asking for a code.
type codeAnswer struct {
	Code    apperr.Code
	Message string
	Fields  []apperr.FieldError
}

func answerOf(err error) codeAnswer {
	return codeAnswer{apperr.CodeOf(err), apperr.MessageOf(err), apperr.FieldsOf(err)}
}

// TestCodeAnswersAlike reproduces defect 9's second half: a reset code for
// an unregistered phone answered 该手机号未注册. Now the answer is the same
// whether the phone has an account or not, for resets and registrations,
// and so is the one-a-minute refusal; a phone that cannot use a code gets a
// notice instead, through the same sender.
func TestCodeAnswersAlike(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 10:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		const unregistered = "13900000099"
		log := h.svc.Sender().(*notify.Log)
		for _, purpose := range []applicant.Purpose{applicant.ResetPassword, applicant.Register} {
			known := answerOf(h.svc.SendCode(from("192.0.2.1"), demoPhone, purpose))
			unknown := answerOf(h.svc.SendCode(from("192.0.2.2"), unregistered, purpose))
			if known.Code != "" || !reflect.DeepEqual(known, unknown) {
				t.Fatalf("%s: registered %+v, unregistered %+v; want both accepted alike", purpose, known, unknown)
			}
			mk, _ := log.Last(demoPhone)
			mu, _ := log.Last(unregistered)
			useful := map[applicant.Purpose]string{applicant.ResetPassword: demoPhone, applicant.Register: unregistered}[purpose]
			for phone, m := range map[string]notify.Message{demoPhone: mk, unregistered: mu} {
				if hasCode := sixDigits.MatchString(m.Body); hasCode != (phone == useful) {
					t.Errorf("%s to %s: %q (a code: %v)", purpose, phone, m.Body, hasCode)
				}
			}
			h.clk.Advance(10 * time.Second)
			known = answerOf(h.svc.SendCode(from("192.0.2.1"), demoPhone, purpose))
			unknown = answerOf(h.svc.SendCode(from("192.0.2.2"), unregistered, purpose))
			if known.Code != apperr.Conflict || !reflect.DeepEqual(known, unknown) {
				t.Fatalf("%s within a minute: registered %+v, unregistered %+v; want one refusal", purpose, known, unknown)
			}
			h.clk.Advance(time.Minute)
		}
		// A guessed reset code is wrong alike for both.
		known := answerOf(h.svc.ResetApplicantPassword(from("192.0.2.1"), demoPhone, "000000", hallPassword+"x"))
		unknown := answerOf(h.svc.ResetApplicantPassword(from("192.0.2.2"), unregistered, "000000", hallPassword+"x"))
		if known.Code != apperr.Invalid || !reflect.DeepEqual(known, unknown) {
			t.Errorf("a guessed reset code: registered %+v, unregistered %+v", known, unknown)
		}
	})
}

// signInOutcome is everything a client and the node observe of one
// sign-in: the answer, and the work done for it.
type signInOutcome struct {
	Answer         codeAnswer
	RetryAfter     time.Duration
	Checks, Hashes int64
	Params         string
	SignIns        int
	ClientFailures int
	GlobalFailures int
}

// TestSignInSameWork reproduces defect 9's first half (sign-in timing
// told which usernames exist): an unknown username, a known one with a
// wrong password, and the same for applicants' phones, now run the same
// code: one argon2id check with today's parameters, the same records and
// counts, the same answer. Time is not measured (it would flake); the work
// that makes it is counted.
func TestSignInSameWork(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 10:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		staff := func(name, client string) signInOutcome {
			return h.observe(t, "user:"+name, client, func(ctx context.Context) error {
				_, err := h.svc.Login(ctx, name, "wrong-password1")
				return err
			})
		}
		phone := func(p, client string) signInOutcome {
			return h.observe(t, "phone:"+p, client, func(ctx context.Context) error {
				_, err := h.svc.SignInApplicant(ctx, p, "wrong-password1")
				return err
			})
		}
		for round := 1; round <= 6; round++ {
			known, unknown := staff("shouli", "192.0.2.1"), staff("nobody", "192.0.2.2")
			if round == 1 && (known.Checks != 1 || known.Params != org.CurrentParams()) {
				t.Fatalf("a wrong password: %+v, want one check with %s", known, org.CurrentParams())
			}
			if round == 6 && (known.Checks != 0 || known.Answer.Code != apperr.Locked) {
				t.Fatalf("while locked: %+v, want locked without a check", known)
			}
			if known.SignIns != unknown.SignIns || !reflect.DeepEqual(known, unknown) {
				t.Fatalf("round %d: known username %+v, unknown %+v", round, known, unknown)
			}
			pk, pu := phone(demoPhone, "192.0.2.3"), phone("13900000098", "192.0.2.4")
			if !reflect.DeepEqual(pk, pu) || (round < 6 && pk.Checks != 1) {
				t.Fatalf("round %d: registered phone %+v, unregistered %+v", round, pk, pu)
			}
		}
	})
}

// observe runs one sign-in as client and tells what it did.
func (h *onlineHall) observe(t *testing.T, subject, client string, signIn func(context.Context) error) signInOutcome {
	t.Helper()
	ctx := from(client)
	c0, h0, _ := service.PasswordWork(h.svc)
	before, err := h.st.SignIns(context.Background(), 10000)
	if err != nil {
		t.Fatal(err)
	}
	err = signIn(ctx)
	c1, h1, params := service.PasswordWork(h.svc)
	after, _ := h.st.SignIns(context.Background(), 10000)
	o := signInOutcome{Answer: answerOf(err), RetryAfter: apperr.RetryAfterOf(err), Checks: c1 - c0, Hashes: h1 - h0, SignIns: len(after) - len(before)}
	if o.Checks > 0 {
		o.Params = params
	}
	o.ClientFailures, _ = h.st.Failures(context.Background(), subject+"|ip:"+client)
	o.GlobalFailures, _ = h.st.Failures(context.Background(), subject)
	return o
}

// TestSignInLockIsPerClient reproduces defect 8: five wrong passwords
// locked admin out for 15 minutes, for everyone. Now they lock out the
// client that made them; the admin signs in from elsewhere.
func TestSignInLockIsPerClient(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, _ := hallWith(t, st, clk, service.DefaultConfig())
		attacker := from("203.0.113.66")
		for i := 1; i <= 5; i++ {
			_, err := svc.Login(attacker, "admin", "wrong-password1")
			if want := map[bool]apperr.Code{true: apperr.Locked, false: apperr.Unauthorized}[i == 5]; !apperr.Is(err, want) {
				t.Fatalf("attempt %d: %v, want %s", i, err, want)
			}
		}
		_, err := svc.Login(attacker, "admin", passwords["admin"])
		if !apperr.Is(err, apperr.Locked) || apperr.RetryAfterOf(err) != 15*time.Minute {
			t.Fatalf("the attacker with the right password: %v (retry %s), want locked for 15m", err, apperr.RetryAfterOf(err))
		}
		if _, err := svc.Login(from("198.51.100.20"), "admin", passwords["admin"]); err != nil {
			t.Fatalf("the admin from another client: %v", err)
		}
		if _, err := svc.Login(attacker, "shouli", passwords["shouli"]); err != nil {
			t.Fatalf("another account from the attacker's client: %v", err)
		}
		clk.Advance(16 * time.Minute)
		if _, err := svc.Login(attacker, "admin", passwords["admin"]); err != nil {
			t.Fatalf("right password after the lock: %v", err)
		}
	})
}

// TestSignInGlobalBackoff: failures from many clients slow the username
// down with a growing delay, not a lock; the account's own device, known
// from an earlier sign-in, is not held up, not even by an attacker on the
// same address.
func TestSignInGlobalBackoff(t *testing.T) {
	clk := clock.At(start)
	cfg := service.DefaultConfig()
	cfg.Limits.BackoffAfter = 5
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, _ := hallWith(t, st, clk, cfg)
		// The admin's browser signs in once: it becomes known.
		office := from("192.0.2.50")
		if _, err := svc.Login(office, "admin", passwords["admin"]); err != nil {
			t.Fatal(err)
		}
		cookie := service.RequestFrom(office).Device.Issue
		if !strings.HasPrefix(cookie, "dv_") {
			t.Fatalf("no device cookie issued: %q", cookie)
		}
		// Five clients, one failure each: the fifth starts the back-off.
		for i := 1; i <= 5; i++ {
			if _, err := svc.Login(from(fmt.Sprintf("203.0.113.%d", i)), "admin", "wrong-password1"); !apperr.Is(err, apperr.Unauthorized) {
				t.Fatalf("failure %d: %v, want unauthorized (no client is locked)", i, err)
			}
		}
		_, err := svc.Login(from("198.51.100.1"), "admin", passwords["admin"])
		if !apperr.Is(err, apperr.Locked) || apperr.RetryAfterOf(err) != time.Second {
			t.Fatalf("a new client during the back-off: %v (retry %s), want 1s", err, apperr.RetryAfterOf(err))
		}
		// The known device passes, even from the attacker's own address.
		for range 5 {
			svc.Login(from("192.0.2.50"), "admin", "wrong-password1")
		}
		if _, err := svc.Login(fromDevice("192.0.2.50", cookie), "admin", passwords["admin"]); err != nil {
			t.Fatalf("the known device during the back-off: %v", err)
		}
		// The delay doubles with each failure; it ends, it never locks.
		var waits []time.Duration
		for i := range 3 {
			clk.Advance(time.Hour)
			_, err := svc.Login(from(fmt.Sprintf("203.0.113.%d", 10+i)), "admin", "wrong-password1")
			if !apperr.Is(err, apperr.Unauthorized) {
				t.Fatalf("failure after the wait: %v", err)
			}
			_, err = svc.Login(from("198.51.100.1"), "admin", passwords["admin"])
			waits = append(waits, apperr.RetryAfterOf(err))
		}
		if waits[1] != 2*waits[0] || waits[2] != 2*waits[1] {
			t.Fatalf("back-off delays %v, want each twice the last", waits)
		}
		clk.Advance(waits[2])
		if _, err := svc.Login(from("198.51.100.1"), "admin", passwords["admin"]); err != nil {
			t.Fatalf("after the delay: %v", err)
		}
		// Another account's device is not this account's.
		if _, err := svc.Login(from("192.0.2.51"), "shouli", passwords["shouli"]); err != nil {
			t.Fatal(err)
		}
	})
}

// TestSignInThrottle reproduces defect 7's sign-in half: one client could
// make the node hash as fast as it asked. Now a client gets ten checks a
// minute, then a refusal that costs no hashing; and when every hashing
// place is taken, a sign-in waits briefly, then is told to come back.
func TestSignInThrottle(t *testing.T) {
	clk := clock.At(start)
	cfg := service.DefaultConfig()
	cfg.Limits.HashWait = 20 * time.Millisecond
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, _ := hallWith(t, st, clk, cfg)
		flood := from("203.0.113.99")
		for i := range 10 {
			if _, err := svc.Login(flood, fmt.Sprintf("bogus%d", i), "wrong-password1"); !apperr.Is(err, apperr.Unauthorized) {
				t.Fatalf("sign-in %d: %v", i+1, err)
			}
		}
		c0, _, _ := service.PasswordWork(svc)
		_, err := svc.Login(flood, "bogus10", "wrong-password1")
		c1, _, _ := service.PasswordWork(svc)
		if !apperr.Is(err, apperr.Locked) || apperr.RetryAfterOf(err) != 6*time.Second || c1 != c0 {
			t.Fatalf("the eleventh in a minute: %v (retry %s, %d checks), want refused for 6s unhashed", err, apperr.RetryAfterOf(err), c1-c0)
		}
		if _, err := svc.Login(from("198.51.100.3"), "shouli", passwords["shouli"]); err != nil {
			t.Fatalf("another client: %v", err)
		}
		clk.Advance(6 * time.Second)
		if _, err := svc.Login(flood, "bogus11", "wrong-password1"); !apperr.Is(err, apperr.Unauthorized) {
			t.Fatalf("six seconds later: %v", err)
		}

		release := service.HoldHashing(svc)
		_, err = svc.Login(from("198.51.100.4"), "shouli", passwords["shouli"])
		release()
		if !apperr.Is(err, apperr.Locked) || apperr.RetryAfterOf(err) <= 0 || !strings.Contains(apperr.MessageOf(err), "繁忙") {
			t.Fatalf("every hashing place taken: %v, want busy", err)
		}
		if _, err := svc.Login(from("198.51.100.4"), "shouli", passwords["shouli"]); err != nil {
			t.Fatalf("places free again: %v", err)
		}
	})
}

// TestProgressLockIsPerClient reproduces defect 8's second half: ten wrong
// codes locked a case's progress page for its owner too. Now they lock
// the guessing client out of that case; many wrong codes from anywhere
// slow the case down for those who are not signed in and allowed to see
// it; and one client guessing across cases is locked out of all look-ups.
func TestProgressLockIsPerClient(t *testing.T) {
	clk := clock.At(start)
	cfg := service.DefaultConfig()
	cfg.Limits.CodeBackoffAfter = 15
	cfg.Limits.CodeFailuresPerClient = 12
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hallWith(t, st, clk, cfg)
		v, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		n, code := v.Case.Number, receiptCode(t, v)
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		guesser := from("203.0.113.5")
		for i := 1; i <= 10; i++ {
			if _, err := svc.Progress(guesser, n, wrong); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		if _, err := svc.Progress(guesser, n, code); !apperr.Is(err, apperr.Locked) {
			t.Fatalf("the guesser with the right code: %v, want locked", err)
		}
		if _, err := svc.RateCase(guesser, n, code, rating.Input{Level: rating.VerySatisfied, Channel: rating.PC}); !apperr.Is(err, apperr.Locked) {
			t.Fatalf("the guesser on the rating page (one secret, one count): %v, want locked", err)
		}
		if p, err := svc.Progress(from("198.51.100.7"), n, code); err != nil || p.Number != n {
			t.Fatalf("the owner from another client: %v", err)
		}
		// Across cases: two more misses lock the guesser out of every look-up.
		for i := range 2 {
			svc.Progress(guesser, n[:8]+fmt.Sprintf("%06d", 900000+i), wrong)
		}
		v2, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Progress(guesser, v2.Case.Number, receiptCode(t, v2)); !apperr.Is(err, apperr.Locked) {
			t.Fatalf("the guesser on another case after 12 misses: %v, want locked", err)
		}
		// Fifteen wrong codes from fifteen clients: the case is slowed for
		// strangers, not for staff who may read it.
		for i := range 15 {
			svc.Progress(from(fmt.Sprintf("192.0.2.%d", 100+i)), v2.Case.Number, wrong)
		}
		_, err = svc.Progress(from("198.51.100.8"), v2.Case.Number, receiptCode(t, v2))
		if !apperr.Is(err, apperr.Locked) || apperr.RetryAfterOf(err) != time.Second {
			t.Fatalf("a stranger during the back-off: %v (retry %s), want 1s", err, apperr.RetryAfterOf(err))
		}
		if _, err := svc.Progress(as["shenpi"], v2.Case.Number, receiptCode(t, v2)); err != nil {
			t.Fatalf("staff who may read the case during the back-off: %v", err)
		}
		clk.Advance(time.Second)
		if _, err := svc.Progress(from("198.51.100.8"), v2.Case.Number, receiptCode(t, v2)); err != nil {
			t.Fatalf("after the delay: %v", err)
		}
	})
}

// TestProgressMissesBoundedAndExpire reproduces defect 7's progress half:
// every miss added a login_failures row that was never deleted, 340 a
// second from one client. Now a client gets 30 look-ups a minute (the
// 31st writes nothing) and the rows go when their windows have passed.
func TestProgressMissesBoundedAndExpire(t *testing.T) {
	clk := clock.At(start)
	cfg := service.DefaultConfig()
	cfg.Limits.CodeFailuresPerClient = 1000
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, _ := hallWith(t, st, clk, cfg)
		ctx := from("203.0.113.8")
		number := func(i int) string { return fmt.Sprintf("20260930%06d", 500000+i) }
		for i := range 30 {
			if _, err := svc.Progress(ctx, number(i), "123456"); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("miss %d: %v", i+1, err)
			}
		}
		_, err := svc.Progress(ctx, number(30), "123456")
		if !apperr.Is(err, apperr.Locked) || apperr.RetryAfterOf(err) != 2*time.Second {
			t.Fatalf("the 31st look-up in a minute: %v (retry %s), want refused for 2s", err, apperr.RetryAfterOf(err))
		}
		bg := context.Background()
		if n, _ := st.Failures(bg, "code:"+number(30)); n != 0 {
			t.Fatalf("the refused look-up wrote %d failures", n)
		}
		if n, _ := st.Failures(bg, "code:"+number(0)+"|ip:203.0.113.8"); n != 1 {
			t.Fatalf("a miss counted %d failures, want 1", n)
		}
		clk.Advance(25 * time.Hour)
		deleted, err := svc.ExpireAttempts(bg)
		if err != nil {
			t.Fatal(err)
		}
		// 30 pairs, 30 numbers and the client's own count.
		if deleted["login_failures"] != 61 {
			t.Errorf("expired %v, want the 61 failure rows", deleted)
		}
		for _, key := range []string{"code:" + number(0) + "|ip:203.0.113.8", "code:" + number(0), "code-from:203.0.113.8"} {
			if n, _ := st.Failures(bg, key); n != 0 {
				t.Errorf("%s still counts %d after a day", key, n)
			}
		}
	})
}

// TestPublicPagesThrottled: the kiosk, the booking, the follow and the
// booking-code pages give one client a few requests a minute (an hour for
// bookings); signed-in staff act for callers and pass.
func TestPublicPagesThrottled(t *testing.T) {
	clk := clock.At(friday)
	cfg := service.DefaultConfig()
	cfg.Limits.Ticket = throttle.Rate{N: 3, Per: time.Minute}
	cfg.Limits.Booking = throttle.Rate{N: 2, Per: time.Hour}
	cfg.Limits.Follow = throttle.Rate{N: 2, Per: time.Minute}
	cfg.Limits.Lookup = throttle.Rate{N: 2, Per: time.Minute}
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(friday.Add(2 * time.Hour))
		svc, as := hallWith(t, st, clk, cfg)
		if err := svc.LoadDemoQueue(as["system"]); err != nil {
			t.Fatal(err)
		}
		kiosk := from("192.0.2.77")
		for i := range 3 {
			if _, err := svc.TakeTicket(kiosk, service.TicketRequest{Hall: demo.DistrictHall, Category: "A"}); err != nil {
				t.Fatalf("ticket %d: %v", i+1, err)
			}
		}
		_, err := svc.TakeTicket(kiosk, service.TicketRequest{Hall: demo.DistrictHall, Category: "A"})
		wantLocked(t, "the fourth ticket in a minute", err)
		staff := service.WithRequest(as["shouli"], service.RequestFrom(kiosk))
		if _, err := svc.TakeTicket(staff, service.TicketRequest{Hall: demo.DistrictHall, Category: "A"}); err != nil {
			t.Errorf("a clerk from the same address: %v", err)
		}

		book := func(n int) error {
			_, _, err := svc.Book(kiosk, service.BookingRequest{Hall: demo.DistrictHall, Category: "A", Date: saturday, Slot: "09:30",
				Name: fmt.Sprintf("申请人%d", n), IDNumber: residentID(n), Phone: "13800138000"})
			return err
		}
		for n := 1; n <= 2; n++ {
			if err := book(n); err != nil {
				t.Fatalf("booking %d: %v", n, err)
			}
		}
		wantLocked(t, "the third booking in an hour", book(3))

		for range 2 {
			svc.FollowTicket(kiosk, 1, "tf_wrong")
		}
		_, err = svc.FollowTicket(kiosk, 1, "tf_wrong")
		wantLocked(t, "the third follow page in a minute", err)

		for range 2 {
			svc.CancelByCode(kiosk, "WRONGCODE")
		}
		_, err = svc.CancelByCode(kiosk, "WRONGCODE")
		wantLocked(t, "the third booking code in a minute", err)
		_, err = svc.CheckIn(kiosk, demo.DistrictHall, "", residentID(1))
		wantLocked(t, "a check-in by ID after them", err)
	})
}

func wantLocked(t *testing.T, what string, err error) {
	t.Helper()
	if !apperr.Is(err, apperr.Locked) || apperr.RetryAfterOf(err) <= 0 {
		t.Errorf("%s: %v (retry %s), want refused with a wait", what, err, apperr.RetryAfterOf(err))
	}
}

// TestBoardStreamCaps reproduces defect 7's board half: 1,500 anonymous
// streams held 1,500 connections. A node now holds a set number per hall
// and per client, and refuses more with a wait; a closed stream frees its
// place.
func TestBoardStreamCaps(t *testing.T) {
	clk := clock.At(start)
	cfg := service.DefaultConfig()
	cfg.Limits.BoardPerHall, cfg.Limits.BoardPerClient = 2, 1
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, _ := hallWith(t, st, clk, cfg)
		attachHub(t, st, svc)
		hallCode := demo.DistrictHall
		a, _, err := svc.WatchBoard(from("192.0.2.1"), hallCode, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = svc.WatchBoard(from("192.0.2.1"), hallCode, 0)
		wantLocked(t, "a second stream of one client", err)
		b, _, err := svc.WatchBoard(from("192.0.2.2"), hallCode, 0)
		if err != nil {
			t.Fatalf("another client: %v", err)
		}
		defer b.Close()
		_, _, err = svc.WatchBoard(from("192.0.2.3"), hallCode, 0)
		wantLocked(t, "a third stream of the hall", err)
		if apperr.RetryAfterOf(err) != 30*time.Second {
			t.Errorf("retry after %s, want 30s", apperr.RetryAfterOf(err))
		}
		other, _, err := svc.WatchBoard(from("192.0.2.3"), demo.XinqiaoHall, 0)
		if err != nil {
			t.Errorf("another hall: %v", err)
		} else {
			other.Close()
		}
		a.Close()
		a.Close() // twice frees one place, once
		c, _, err := svc.WatchBoard(from("192.0.2.3"), hallCode, 0)
		if err != nil {
			t.Fatalf("after one closed: %v", err)
		}
		c.Close()
		if _, _, err := svc.WatchBoard(from("192.0.2.4"), "NOSUCHHALL", 0); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("an unknown hall: %v", err)
		}
	})
}

// attachHub gives svc a board hub on st, as serve does.
func attachHub(t *testing.T, st *store.Store, svc *service.Service) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := broadcast.Config{DB: st.DB()}
	if st.Dialect() == store.Postgres {
		cfg.Postgres, cfg.DSN = true, os.Getenv(storetest.PostgresEnv)
		cfg.Channel = fmt.Sprintf("board_service_test_%d", time.Now().UnixNano())
	}
	hub, err := broadcast.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); hub.Run(ctx) }()
	t.Cleanup(func() { hub.Close(); cancel(); <-done })
	<-hub.Listening()
	svc.SetBoard(hub)
}

// TestTypedKeysCannotForge: "|" separates the parts of a lockout key, so a
// username or case number typed with one must not count against someone
// else's key (admin|ip:ADDR would lock admin out for that address).
func TestTypedKeysCannotForge(t *testing.T) {
	clk := clock.At(start)
	cfg := service.DefaultConfig()
	cfg.Limits.BackoffAfter, cfg.Limits.CodeBackoffAfter = 2, 2
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hallWith(t, st, clk, cfg)
		v, err := svc.Intake(as["shouli"], foodApplication(casework.Pickup))
		if err != nil {
			t.Fatal(err)
		}
		for i := range 6 {
			attacker := from(fmt.Sprintf("203.0.113.%d", i+1))
			svc.Login(attacker, "admin|ip:192.0.2.9", "wrong-password1")
			svc.Progress(attacker, v.Case.Number+"|ip:192.0.2.9", "000000")
		}
		victim := from("192.0.2.9")
		if _, err := svc.Login(victim, "admin", passwords["admin"]); err != nil {
			t.Errorf("admin from the named address: %v", err)
		}
		if _, err := svc.Progress(victim, v.Case.Number, receiptCode(t, v)); err != nil {
			t.Errorf("the case from the named address: %v", err)
		}
	})
}
