package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

func TestLockout(t *testing.T) {
	t.Parallel()
	const limit = 5
	const window, lockFor = 15 * time.Minute, 30 * time.Minute
	hard := func(n int) time.Duration {
		if n >= limit {
			return lockFor
		}
		return 0
	}
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		fail := func(name string, at time.Time) time.Time {
			t.Helper()
			until, err := st.RecordFailures(ctx, at, store.Failure{Key: name, Window: window, Lock: hard})
			must(t, err)
			return until[0]
		}
		locked := func(at time.Time, names ...string) time.Time {
			t.Helper()
			until, err := st.LockedUntil(ctx, at, names...)
			must(t, err)
			return until
		}

		t.Run("lock on the limit-th failure", func(t *testing.T) {
			at := start
			for i := 1; i < limit; i++ {
				if until := fail("alice", at); !until.IsZero() {
					t.Fatalf("failure %d locked until %v", i, until)
				}
				at = at.Add(time.Minute)
			}
			if until := locked(at, "alice"); !until.IsZero() {
				t.Fatalf("locked before the limit, until %v", until)
			}
			until := fail("alice", at)
			if want := at.Add(lockFor); !until.Equal(want) {
				t.Fatalf("failure %d locked until %v, want %v", limit, until, want)
			}
			for _, c := range []struct {
				at   time.Time
				want time.Time
			}{
				{at, until},
				{until.Add(-time.Microsecond), until},
				{until, time.Time{}},
				{until.Add(time.Hour), time.Time{}},
			} {
				if got := locked(c.at, "alice"); !got.Equal(c.want) {
					t.Errorf("LockedUntil at %v = %v, want %v", c.at, got, c.want)
				}
			}
			if got := locked(at, "bob"); !got.IsZero() {
				t.Errorf("an unrelated name is locked until %v", got)
			}
			if got := locked(at, "bob", "alice", "nobody"); !got.Equal(until) {
				t.Errorf("LockedUntil of several keys = %v, want alice's %v", got, until)
			}
			if got := locked(at); !got.IsZero() {
				t.Errorf("LockedUntil of no key = %v", got)
			}
		})

		t.Run("the count does not restart at the lock", func(t *testing.T) {
			// The defect of issue 10: the limit-th failure reset the count,
			// so failures went on being accepted in rounds of five.
			slow := func(name string, at time.Time) time.Time {
				t.Helper()
				until, err := st.RecordFailures(ctx, at, store.Failure{Key: name, Window: time.Hour, Lock: hard})
				must(t, err)
				return until[0]
			}
			at := start
			for range limit {
				slow("frank", at)
			}
			n, err := st.Failures(ctx, "frank")
			must(t, err)
			if n != limit {
				t.Fatalf("%d failures counted, want %d", n, limit)
			}
			// Failing again while locked counts on and keeps the lock: it
			// never shrinks.
			first := locked(at, "frank")
			if until := slow("frank", at.Add(-time.Minute)); !until.Equal(first) {
				t.Fatalf("a later failure moved the lock to %v, want %v", until, first)
			}
			if n, _ := st.Failures(ctx, "frank"); n != limit+1 {
				t.Fatalf("%d failures counted while locked, want %d", n, limit+1)
			}
			// Right after the lock, within the window, one more failure
			// locks again at once.
			if until := slow("frank", first.Add(time.Second)); until.IsZero() {
				t.Fatal("a failure just after the lock did not lock again")
			}
		})

		t.Run("old failures are forgotten", func(t *testing.T) {
			at := start
			for range limit - 1 {
				fail("carol", at)
			}
			at = at.Add(window + time.Second)
			for i := 1; i < limit; i++ {
				if until := fail("carol", at); !until.IsZero() {
					t.Fatalf("failure %d after the window locked until %v", i, until)
				}
			}
			if until := fail("carol", at); until.IsZero() {
				t.Fatal("the limit-th failure within the window did not lock")
			}
		})

		t.Run("clear", func(t *testing.T) {
			for range limit - 1 {
				fail("dave", start)
			}
			must(t, st.ClearFailures(ctx, "dave"))
			if until := fail("dave", start); !until.IsZero() {
				t.Fatalf("after ClearFailures one failure locked until %v", until)
			}
			for range limit - 1 {
				fail("dave", start)
			}
			if locked(start, "dave").IsZero() {
				t.Fatal("not locked")
			}
			must(t, st.ClearFailures(ctx, "dave"))
			if got := locked(start, "dave"); !got.IsZero() {
				t.Fatalf("after ClearFailures locked until %v", got)
			}
		})

		t.Run("clear a subject and its clients", func(t *testing.T) {
			// A LIKE would take "_" for any character: user:a_b must not
			// clear user:aXb.
			keys := []string{"user:a_b", "user:a_b|ip:192.0.2.1", "user:a_b|dev:0123", "user:aXb|ip:192.0.2.1", "user:a_bc"}
			for _, k := range keys {
				for range limit {
					fail(k, start)
				}
			}
			must(t, st.ClearFailuresOf(ctx, "user:a_b"))
			for i, k := range keys {
				if gone := locked(start, k).IsZero(); gone != (i < 3) {
					t.Errorf("%s cleared = %v, want %v", k, gone, i < 3)
				}
			}
		})

		t.Run("growing back-off", func(t *testing.T) {
			backoff := func(n int) time.Duration {
				if n < 3 {
					return 0
				}
				return time.Second << (n - 3)
			}
			var got []time.Duration
			for i := range 5 {
				untils, err := st.RecordFailures(ctx, start, store.Failure{Key: "grace", Window: time.Hour, Lock: backoff})
				must(t, err)
				if until := untils[0]; !until.IsZero() {
					got = append(got, until.Sub(start))
				} else if i >= 2 {
					t.Fatalf("failure %d set no delay", i+1)
				}
			}
			if len(got) != 3 || got[0] != time.Second || got[1] != 2*time.Second || got[2] != 4*time.Second {
				t.Fatalf("delays %v, want 1s 2s 4s", got)
			}
		})

		t.Run("several keys in one go", func(t *testing.T) {
			untils, err := st.RecordFailures(ctx, start,
				store.Failure{Key: "heidi|ip:a", Window: window, Lock: func(int) time.Duration { return time.Minute }},
				store.Failure{Key: "heidi", Window: window, Lock: func(int) time.Duration { return time.Hour }},
				store.Failure{Key: "heidi-quiet", Window: window})
			must(t, err)
			if len(untils) != 3 || !untils[0].Equal(start.Add(time.Minute)) || !untils[1].Equal(start.Add(time.Hour)) || !untils[2].IsZero() {
				t.Fatalf("locks %v, want a minute, an hour and none", untils)
			}
			if latest := store.Latest(untils); !latest.Equal(start.Add(time.Hour)) {
				t.Fatalf("latest lock %v, want an hour", latest)
			}
			if n, _ := st.Failures(ctx, "heidi-quiet"); n != 1 {
				t.Fatalf("a key without a lock counted %d failures", n)
			}
		})

		t.Run("concurrent failures", func(t *testing.T) {
			// Every failure counts once, whatever the nodes racing: 10 at
			// once with limit 5 count 10, and the last six lock.
			const n = 2 * limit
			var wg sync.WaitGroup
			gate := make(chan struct{})
			untils := make([]time.Time, n)
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() {
					<-gate
					var got []time.Time
					got, errs[i] = st.RecordFailures(ctx, start, store.Failure{Key: "eve", Window: window, Lock: hard})
					if len(got) == 1 {
						untils[i] = got[0]
					}
				})
			}
			close(gate)
			wg.Wait()
			locks := 0
			for i := range n {
				must(t, errs[i])
				if !untils[i].IsZero() {
					locks++
				}
			}
			if got, _ := st.Failures(ctx, "eve"); got != n || locks != n-limit+1 {
				t.Fatalf("%d concurrent failures counted %d and locked %d times, want %d and %d", n, got, locks, n, n-limit+1)
			}
		})
	})
}

// TestTakeToken: the bucket shared by every node gives its burst, then one
// token every per/n; a refusal takes nothing; racing takers never get
// more than the burst (issue 10: 30 codes from one address in 10 s got 27).
func TestTakeToken(t *testing.T) {
	t.Parallel()
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		take := func(key string, at time.Time) time.Duration {
			t.Helper()
			wait, err := st.TakeToken(ctx, key, at, 10, time.Hour)
			must(t, err)
			return wait
		}
		for i := range 10 {
			if wait := take("codes:a", start); wait != 0 {
				t.Fatalf("token %d refused for %s", i+1, wait)
			}
		}
		if wait := take("codes:a", start); wait != 6*time.Minute {
			t.Fatalf("the eleventh: wait %s, want 6m", wait)
		}
		for range 20 {
			take("codes:a", start.Add(time.Minute))
		}
		if wait := take("codes:a", start.Add(5*time.Minute)); wait != time.Minute {
			t.Fatalf("refusals took tokens: wait %s after 5 minutes, want 1m", wait)
		}
		if wait := take("codes:a", start.Add(6*time.Minute)); wait != 0 {
			t.Fatalf("a token after 6 minutes refused for %s", wait)
		}
		if wait := take("codes:b", start); wait != 0 {
			t.Fatal("another key is held up")
		}

		var wg sync.WaitGroup
		gate := make(chan struct{})
		waits := make([]time.Duration, 30)
		errs := make([]error, 30)
		for i := range 30 {
			wg.Go(func() {
				<-gate
				waits[i], errs[i] = st.TakeToken(ctx, "codes:race", start, 10, time.Hour)
			})
		}
		close(gate)
		wg.Wait()
		granted := 0
		for i := range 30 {
			must(t, errs[i])
			if waits[i] == 0 {
				granted++
			}
		}
		if granted != 10 {
			t.Fatalf("30 racing takers got %d tokens, want 10", granted)
		}
	})
}

func TestKnownDevices(t *testing.T) {
	t.Parallel()
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		known := func(hash, subject string, since time.Time) bool {
			t.Helper()
			ok, err := st.KnownDevice(ctx, hash, subject, since)
			must(t, err)
			return ok
		}
		must(t, st.RememberDevice(ctx, "h1", "user:admin", start))
		must(t, st.RememberDevice(ctx, "h1", "user:shouli", start))
		if !known("h1", "user:admin", start.Add(-time.Hour)) || !known("h1", "user:shouli", start) {
			t.Fatal("a remembered device is not known")
		}
		if known("h1", "user:chujian", start) || known("h2", "user:admin", start) {
			t.Fatal("a device is known to an account it never signed in to")
		}
		if known("h1", "user:admin", start.Add(time.Second)) {
			t.Fatal("a device unused since the time asked is known")
		}
		must(t, st.RememberDevice(ctx, "h1", "user:admin", start.Add(time.Hour)))
		if !known("h1", "user:admin", start.Add(time.Minute)) {
			t.Fatal("signing in again does not renew the device")
		}
	})
}

// TestExpireAttempts: every table of attempts loses what has outlived its
// use, and keeps the rest: the sign-in record for its retention, running
// locks, live codes, buckets still draining, devices in use.
func TestExpireAttempts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, nil, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		now := start.Add(400 * 24 * time.Hour)
		r := store.Retention{SignIns: 365 * 24 * time.Hour, Failures: 24 * time.Hour, Devices: 365 * 24 * time.Hour, Tokens: 7 * 24 * time.Hour}

		u := org.User{Username: "shouli", Name: "张晓梅", Role: org.RoleIntake, PasswordHash: "x", Active: true}
		must(t, st.CreateUser(ctx, &u))
		for _, at := range []time.Time{now.Add(-366 * 24 * time.Hour), now.Add(-364 * 24 * time.Hour)} {
			must(t, st.LogSignIn(ctx, store.SignIn{At: at, Username: "shouli", UserID: u.ID, Outcome: "ok", Channel: "web"}))
		}
		lock := func(int) time.Duration { return time.Hour }
		_, err := st.RecordFailures(ctx, now.Add(-48*time.Hour), store.Failure{Key: "old", Window: time.Hour})
		must(t, err)
		_, err = st.RecordFailures(ctx, now.Add(-time.Hour), store.Failure{Key: "recent", Window: time.Hour})
		must(t, err)
		_, err = st.RecordFailures(ctx, now.Add(-25*time.Hour), store.Failure{Key: "locked", Window: time.Hour,
			Lock: func(int) time.Duration { return 26 * time.Hour }})
		must(t, err)
		_, err = st.RecordFailures(ctx, now.Add(-30*time.Hour), store.Failure{Key: "lock-over", Window: time.Hour, Lock: lock})
		must(t, err)
		_, err = st.TakeToken(ctx, "drained", now.Add(-2*time.Hour), 10, time.Hour)
		must(t, err)
		_, err = st.TakeToken(ctx, "draining", now.Add(-time.Minute), 10, time.Hour)
		must(t, err)
		must(t, st.RememberDevice(ctx, "old", "user:shouli", now.Add(-366*24*time.Hour)))
		must(t, st.RememberDevice(ctx, "new", "user:shouli", now.Add(-time.Hour)))
		must(t, st.CreateToken(ctx, store.Token{Hash: "t-old", UserID: u.ID, CreatedAt: now.Add(-10 * 24 * time.Hour), ExpiresAt: now.Add(-8 * 24 * time.Hour)}))
		must(t, st.CreateToken(ctx, store.Token{Hash: "t-new", UserID: u.ID, CreatedAt: now.Add(-time.Hour), ExpiresAt: now.Add(time.Hour)}))

		got, err := st.ExpireAttempts(ctx, now, r)
		must(t, err)
		want := map[string]int64{"sign_ins": 1, "login_failures": 2, "rate_limits": 1, "verification_codes": 0, "known_devices": 1, "api_tokens": 1}
		for table, n := range want {
			if got[table] != n {
				t.Errorf("%s: %d deleted, want %d (all: %v)", table, got[table], n, got)
			}
		}
		ins, err := st.SignIns(ctx, 10)
		must(t, err)
		if len(ins) != 1 || ins[0].At.Before(now.Add(-365*24*time.Hour)) {
			t.Errorf("sign-ins kept: %+v", ins)
		}
		for key, want := range map[string]int{"old": 0, "recent": 1, "locked": 1, "lock-over": 0} {
			if n, _ := st.Failures(ctx, key); n != want {
				t.Errorf("failures of %s: %d, want %d", key, n, want)
			}
		}
		if ok, _ := st.KnownDevice(ctx, "new", "user:shouli", now.Add(-24*time.Hour)); !ok {
			t.Error("a device in use was dropped")
		}
		if _, err := st.UserByToken(ctx, "t-new", now); err != nil {
			t.Errorf("a live token was dropped: %v", err)
		}
		again, err := st.ExpireAttempts(ctx, now, r)
		must(t, err)
		for table, n := range again {
			if n != 0 {
				t.Errorf("a second run deleted %d from %s", n, table)
			}
		}
	})
}
