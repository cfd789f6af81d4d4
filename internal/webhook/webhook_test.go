package webhook

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
)

// The Standard Webhooks reference libraries' test vector.
func TestSignMatchesStandardWebhooksVector(t *testing.T) {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	ts := time.Unix(1614265330, 0)
	body := []byte(`{"test": 2432232314}`)
	got, err := Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", ts, body)
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
	h := Headers{ID: "msg_p5jXN8AQM9LWM0D4loKWxJek", Timestamp: "1614265330", Signature: "v1,bm9wZQ== " + got}
	if err := Verify(secret, h, body, ts.Add(time.Minute)); err != nil {
		t.Fatalf("verify: %v", err)
	}
	if err := Verify(secret, h, []byte(`{"test": 2432232315}`), ts); !errors.Is(err, ErrSignature) {
		t.Fatalf("a changed body verified: %v", err)
	}
	if err := Verify(secret, h, body, ts.Add(10*time.Minute)); err == nil {
		t.Fatal("a stale timestamp verified")
	}
}

func TestRotationSignsWithOldAndNewUntilGraceEnds(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	old := NewSecret(now)
	secrets, fresh := Rotate([]Secret{old}, now, 24*time.Hour)
	body := []byte(`{}`)
	h, err := SignHeaders(secrets, "msg_1", now.Add(time.Hour), body)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(strings.Fields(h.Signature)); n != 2 {
		t.Fatalf("%d signatures during rotation, want 2", n)
	}
	for _, s := range []Secret{old, fresh} {
		if err := Verify(s.Key, h, body, now.Add(time.Hour)); err != nil {
			t.Fatalf("secret %s does not verify during rotation: %v", s.Key[:10], err)
		}
	}
	later := now.Add(25 * time.Hour)
	h, _ = SignHeaders(secrets, "msg_1", later, body)
	if err := Verify(old.Key, h, body, later); err == nil {
		t.Fatal("the old secret still signs after its grace")
	}
	if err := Verify(fresh.Key, h, body, later); err != nil {
		t.Fatal(err)
	}
}

func TestGuardRefusesPrivateAddresses(t *testing.T) {
	g := Guard{Resolve: func(_ context.Context, host string) ([]netip.Addr, error) {
		switch host {
		case "rebind.example":
			return []netip.Addr{netip.MustParseAddr("93.184.216.34"), netip.MustParseAddr("10.0.0.5")}, nil
		case "public.example":
			return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil
		}
		return nil, errors.New("no such host")
	}}
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"https://public.example/hook", true},
		{"https://rebind.example/hook", false}, // one private address is enough
		{"http://127.0.0.1:8080/", false},
		{"http://[::1]/", false},
		{"http://169.254.169.254/latest/meta-data", false},
		{"http://192.168.1.10/", false},
		{"http://172.20.0.1/", false},
		{"http://100.64.1.1/", false},
		{"http://[fe80::1]/", false},
		{"http://[::ffff:10.1.2.3]/", false},
		{"http://0.0.0.0/", false},
		{"https://nowhere.example/", false},
	} {
		err := g.Check(context.Background(), tc.url)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v, want ok=%v", tc.url, err, tc.ok)
		}
		if err != nil && apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%s: code %s, want invalid", tc.url, apperr.CodeOf(err))
		}
	}
	allowed := Guard{Allow: mustAllow(t, "127.0.0.0/8,10.1.2.3")}
	if err := allowed.Check(context.Background(), "http://127.0.0.1:9000/x"); err != nil {
		t.Errorf("allowed loopback refused: %v", err)
	}
	if err := allowed.Control("tcp", "10.1.2.3:443", nil); err != nil {
		t.Errorf("allowed address refused at connect: %v", err)
	}
	if err := allowed.Control("tcp", "10.1.2.4:443", nil); !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("connect to 10.1.2.4: %v, want refused", err)
	}
}

func mustAllow(t *testing.T, s string) []netip.Prefix {
	t.Helper()
	p, err := ParseAllow(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAttemptsCoverThreeDays(t *testing.T) {
	n := Attempts(5*time.Second, time.Hour, 72*time.Hour)
	// 5 s doubling to an hour: 5+10+…+2560 s (10 waits, about 85 min),
	// then hourly waits for the rest of the 72 hours.
	if n < 75 || n > 85 {
		t.Fatalf("attempts %d", n)
	}
	var total time.Duration
	d := 5 * time.Second
	for range n - 1 {
		total += d
		d = min(2*d, time.Hour)
	}
	if total < 72*time.Hour || total > 73*time.Hour {
		t.Fatalf("waits add up to %s", total)
	}
}

func TestEnvelope(t *testing.T) {
	c := &casework.Case{Number: "20261202000001", ItemCode: "X1", DepartmentCode: "D1", State: casework.Accepted}
	ev := &casework.Event{Seq: 2, Type: casework.ActAccept, From: casework.Received, To: casework.Accepted, At: time.Unix(100, 0)}
	e := Wrap(NewCaseEvent(c, ev))
	if e.Type != "cn.gov.onewindow.case.accepted" || e.Subject != c.Number || e.ID != "20261202000001-2" || e.SpecVersion != "1.0" {
		t.Fatalf("envelope %+v", e)
	}
	if !strings.Contains(string(e.Body()), `"state":"accepted"`) {
		t.Fatalf("body %s", e.Body())
	}
	s := Subscription{DepartmentCode: "D1", URL: "https://x.example/h", EventTypes: []string{e.Type}}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if !s.Wants(e.Type, "X1") || s.Wants(Type(casework.ActDecide), "X1") {
		t.Fatal("type filter")
	}
	s.Description = "第一行\n第二行"
	if s.Validate() == nil {
		t.Fatal("a description of two lines accepted")
	}
	s.Description = ""
	s.EventTypes = []string{"cn.gov.onewindow.case.nope"}
	if s.Validate() == nil {
		t.Fatal("unknown type accepted")
	}
}

// Every action of the case rules has its own CloudEvents type, so that a
// subscription can ask for it by name.
func TestEveryActionNamed(t *testing.T) {
	// The network's steps are not rows of the table: the batches take them.
	transit := []casework.Action{casework.ActPaperArrive, casework.ActPaperSendBack, casework.ActResultArrive,
		casework.ActResultSendBack, casework.ActReceiptArrive, casework.ActReceiptSendBack}
	for _, a := range append(casework.Actions(), transit...) {
		if _, ok := eventNames[a]; !ok {
			t.Errorf("action %s has no CloudEvents name", a)
		}
	}
}
