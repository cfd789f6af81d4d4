package main

import (
	"net/http"
	"testing"
	"time"
)

// The sample's own check against the Standard Webhooks reference test
// vector: a vendor copying it can trust it.
func TestVerifyStandardWebhooksVector(t *testing.T) {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := []byte(`{"test": 2432232314}`)
	at := time.Unix(1614265330, 0)
	h := http.Header{}
	h.Set("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
	h.Set("webhook-timestamp", "1614265330")
	// A rotated-out signature beside the good one, as during a rotation.
	h.Set("webhook-signature", "v1,bm9wZQ== v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	if err := Verify(secret, h, body, at.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatalf("the reference vector does not verify: %v", err)
	}
	if err := Verify(secret, h, []byte(`{"test": 2432232315}`), at, 5*time.Minute); err == nil {
		t.Error("a changed body verified")
	}
	if err := Verify(secret, h, body, at.Add(10*time.Minute), 5*time.Minute); err == nil {
		t.Error("a message ten minutes old verified (replay)")
	}
	h.Set("webhook-signature", "v1,bm9wZQ==")
	if err := Verify(secret, h, body, at, 5*time.Minute); err == nil {
		t.Error("a wrong signature verified")
	}
}
