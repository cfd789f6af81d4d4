package store

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/clock"
)

// The case ledger's fast reading of a stored time gives what time.Parse
// gives, in Asia/Shanghai, and declines any other text (timeDest reads it).
func TestParseStamp(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2026, 10, 31, 23, 59, 59, 999999000, clock.Shanghai),
		time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(1999, 12, 31, 16, 0, 0, 1000, time.UTC),
		time.Date(2026, 1, 1, 7, 30, 5, 123456000, clock.Shanghai),
	} {
		text := stamp(at).(string)
		got, ok := parseStamp(text)
		if !ok || !got.Equal(at) || got.Location() != clock.Shanghai {
			t.Errorf("parseStamp(%q) = %v, %v; want %v in Asia/Shanghai", text, got, ok, at)
		}
		var viaDest time.Time
		if err := (ledgerTime{&viaDest}).Scan(text); err != nil || !viaDest.Equal(at) {
			t.Errorf("ledgerTime.Scan(%q) = %v, %v", text, viaDest, err)
		}
	}
	for _, bad := range []string{"", "2026-10-31", "2026-10-31T23:59:59Z", "2026-13-01T00:00:00.000000Z",
		"2026-1a-01T00:00:00.000000Z", "2026-10-31 23:59:59.000000Z", "2026-10-31T24:00:00.000000Z"} {
		if got, ok := parseStamp(bad); ok {
			t.Errorf("parseStamp(%q) = %v, accepted", bad, got)
		}
	}
	// Other forms still scan, through timeDest.
	var at time.Time
	if err := (ledgerTime{&at}).Scan("2026-10-31T23:59:59Z"); err != nil || !at.Equal(time.Date(2026, 10, 31, 23, 59, 59, 0, time.UTC)) {
		t.Errorf("RFC 3339 text scanned as %v, %v", at, err)
	}
	if err := (ledgerTime{&at}).Scan(nil); err != nil || !at.IsZero() {
		t.Errorf("NULL scanned as %v, %v", at, err)
	}
}
