package throttle

import (
	"context"
	"fmt"
	"testing"
	"time"
)

var t0 = time.Date(2026, 9, 30, 9, 0, 0, 0, time.UTC)

func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Rate
		ok   bool
	}{
		{"10/1m", Rate{10, time.Minute}, true},
		{" 5 / 1h ", Rate{5, time.Hour}, true},
		{"30/90s", Rate{30, 90 * time.Second}, true},
		{"0/1m", Rate{}, false},
		{"10/0s", Rate{}, false},
		{"-1/1m", Rate{}, false},
		{"10", Rate{}, false},
		{"ten/1m", Rate{}, false},
		{"10/soon", Rate{}, false},
		{"1000000000000/1ns", Rate{}, false},
	} {
		got, err := ParseRate(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseRate(%q) = %v, %v; want %v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// TestKeyedBurstThenRefill: a key gets its burst, then one token every
// Per/N; another key is not held up; a refusal takes nothing.
func TestKeyedBurstThenRefill(t *testing.T) {
	k := NewKeyed(Rate{N: 3, Per: time.Minute})
	for i := range 3 {
		if ok, _ := k.Allow("a", t0); !ok {
			t.Fatalf("burst token %d refused", i+1)
		}
	}
	ok, retry := k.Allow("a", t0)
	if ok || retry != 20*time.Second {
		t.Fatalf("fourth at once: ok=%v retry=%s, want refused for 20s", ok, retry)
	}
	// Refused again and again: the wait does not grow.
	for range 10 {
		k.Allow("a", t0.Add(time.Second))
	}
	if ok, retry := k.Allow("a", t0.Add(19*time.Second)); ok || retry != time.Second {
		t.Fatalf("after 19 s: ok=%v retry=%s, want 1s", ok, retry)
	}
	if ok, _ := k.Allow("a", t0.Add(20*time.Second)); !ok {
		t.Fatal("a token after 20 s refused")
	}
	if ok, _ := k.Allow("b", t0); !ok {
		t.Fatal("another key is held up")
	}
}

// TestKeyedForgetsFullBuckets: idle keys are dropped once full, and the
// map never grows past its bound however many keys are sprayed.
func TestKeyedForgetsFullBuckets(t *testing.T) {
	k := NewKeyed(Rate{N: 2, Per: time.Minute})
	k.max = 100
	for i := range 50 {
		k.Allow(fmt.Sprint("idle", i), t0)
	}
	k.Allow("busy", t0.Add(90*time.Second))
	if n := k.Len(); n != 1 {
		t.Fatalf("%d buckets after the idle ones refilled, want 1", n)
	}
	for i := range 1000 {
		k.Allow(fmt.Sprint("spray", i), t0.Add(91*time.Second))
	}
	if n := k.Len(); n > 100 {
		t.Fatalf("%d buckets kept, bound 100", n)
	}
}

func TestGate(t *testing.T) {
	g := NewGate(2)
	ctx := context.Background()
	leave1, ok1 := g.Enter(ctx, time.Millisecond)
	_, ok2 := g.Enter(ctx, time.Millisecond)
	if !ok1 || !ok2 {
		t.Fatal("two places refused")
	}
	if _, ok := g.Enter(ctx, 10*time.Millisecond); ok {
		t.Fatal("a third caller got in")
	}
	done := make(chan bool)
	go func() {
		_, ok := g.Enter(ctx, 10*time.Second)
		done <- ok
	}()
	leave1()
	if !<-done {
		t.Fatal("a waiting caller did not get the freed place")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, ok := g.Enter(cancelled, time.Minute); ok {
		t.Fatal("a cancelled caller got in")
	}
	if NewGate(0).Size() != 1 {
		t.Error("a gate of 0 should let one through")
	}
}

func TestSlots(t *testing.T) {
	s := NewSlots(2)
	r1, ok1 := s.Acquire("hall")
	_, ok2 := s.Acquire("hall")
	if !ok1 || !ok2 {
		t.Fatal("two slots refused")
	}
	if _, ok := s.Acquire("hall"); ok {
		t.Fatal("a third slot given")
	}
	if _, ok := s.Acquire("other"); !ok {
		t.Fatal("another key held up")
	}
	r1()
	r1() // a second release gives nothing back twice
	if s.Held("hall") != 1 {
		t.Fatalf("held %d after one release, want 1", s.Held("hall"))
	}
	if _, ok := s.Acquire("hall"); !ok {
		t.Fatal("a freed slot refused")
	}
}
