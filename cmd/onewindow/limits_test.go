package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/throttle"
)

// TestLimitSettings: the limits come from flags or the environment, and a
// setting that would let everything through, or keep too little record,
// stops the start with a clear message.
func TestLimitSettings(t *testing.T) {
	m := &Main{Env: map[string]string{"ONEWINDOW_RATE_LIMITS": "signin=20/1m, codes=5/1h", "ONEWINDOW_BACKOFF_AFTER": "80"}}
	cfg, err := m.config()
	if err != nil {
		t.Fatal(err)
	}
	s, err := serviceConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l := s.Limits
	if l.SignIn != (throttle.Rate{N: 20, Per: time.Minute}) || l.Codes != (throttle.Rate{N: 5, Per: time.Hour}) ||
		l.Lookup != (throttle.Rate{N: 30, Per: time.Minute}) || l.BackoffAfter != 80 || l.BoardPerHall != 50 ||
		l.SignInRetention != 365*24*time.Hour {
		t.Fatalf("limits %+v", l)
	}

	db := filepath.Join(t.TempDir(), "ow.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--rate-limits", "signin=0/1m"}, "signin"},
		{[]string{"--rate-limits", "everything=1/1s"}, "NAME=N/PERIOD"},
		{[]string{"--sign-in-retention", "720h"}, "six months"},
		{[]string{"--board-streams-per-hall", "0"}, "board"},
		{[]string{"--trusted-proxies", "10.0.0.0/40"}, "trusted proxy"},
		{[]string{"--proxy-header", "Forwarded"}, "proxy header"},
		{[]string{"--memory-limit-mib", "-1"}, "memory-limit-mib"},
	} {
		_, _, err := run(t, map[string]string{"ONEWINDOW_DB": db}, append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("serve %v: %v, want an error naming %q", tc.args, err, tc.want)
		}
	}
}
