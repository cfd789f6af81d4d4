package server_test

import (
	"testing"

	"github.com/onewindow/onewindow/internal/server"
)

// ParseBridge keeps the ID card bridge's origin and refuses what is not one.
func TestParseBridge(t *testing.T) {
	for raw, want := range map[string]string{
		"": "", "http://127.0.0.1:18090": "http://127.0.0.1:18090", " http://127.0.0.1:18090/ ": "http://127.0.0.1:18090",
		"https://reader.local": "https://reader.local",
	} {
		if got, err := server.ParseBridge(raw); err != nil || got != want {
			t.Errorf("ParseBridge(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, bad := range []string{"127.0.0.1:18090", "ftp://x", "http://x/v1/card", "http://x?a=1", "javascript:alert(1)", "http:///nohost"} {
		if got, err := server.ParseBridge(bad); err == nil {
			t.Errorf("ParseBridge(%q) = %q, want an error", bad, got)
		}
	}
}
