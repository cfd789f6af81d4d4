package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/throttle"
)

func TestLimitsRates(t *testing.T) {
	l := service.DefaultLimits()
	if err := l.Validate(); err != nil {
		t.Fatalf("the defaults: %v", err)
	}
	if err := l.SetRates("signin=20/90s, ticket=120/1m,"); err != nil {
		t.Fatal(err)
	}
	if l.SignIn != (throttle.Rate{N: 20, Per: 90 * time.Second}) || l.Ticket != (throttle.Rate{N: 120, Per: time.Minute}) {
		t.Fatalf("rates %+v %+v", l.SignIn, l.Ticket)
	}
	got := l.RatesString()
	for _, want := range []string{"signin=20/1m30s", "ticket=120/1m", "codes=10/1h", "booking=10/1h"} {
		if !strings.Contains(got, want) {
			t.Errorf("RatesString %q lacks %q", got, want)
		}
	}
	var again service.Limits
	if err := again.SetRates(got); err != nil || again.SignIn != l.SignIn || again.Codes != l.Codes {
		t.Errorf("RatesString does not read back: %v %+v", err, again)
	}
	for _, bad := range []string{"signin", "nothing=1/1m", "signin=0/1m", "signin=5"} {
		if err := l.SetRates(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	short := service.DefaultLimits()
	short.SignInRetention = 30 * 24 * time.Hour
	if err := short.Validate(); err == nil || !strings.Contains(err.Error(), "six months") {
		t.Errorf("a month's retention: %v", err)
	}
}
