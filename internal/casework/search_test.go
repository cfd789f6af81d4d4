package casework_test

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
)

func TestPhoneKey(t *testing.T) {
	for in, want := range map[string]string{
		"13812345678": "13812345678", "138 1234 5678": "13812345678", "+86 138-1234-5678": "13812345678",
		"8613812345678": "13812345678", "008613812345678": "13812345678", "0571-88886666": "057188886666",
		"（0571）8888 6666": "057188886666", "": "",
	} {
		if got := casework.PhoneKey(in); got != want {
			t.Errorf("PhoneKey(%q) = %q, want %q", in, got, want)
		}
	}
	for in, ok := range map[string]bool{"138 1234 5678": true, "0571-88886666": true, "5678": false, "1381234567x": false, "": false} {
		got, err := casework.SearchPhone("phone", in)
		if ok != (err == nil) || !ok && !apperr.Is(err, apperr.Invalid) || ok && got != casework.PhoneKey(in) {
			t.Errorf("SearchPhone(%q) = %q, %v; want ok %v", in, got, err, ok)
		}
	}
}

func TestReceivedBetween(t *testing.T) {
	d := func(s string) calendar.Date {
		v, err := calendar.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	start, end, err := casework.ReceivedBetween(d("2026-09-28"), d("2026-09-30"))
	if err != nil || !start.Equal(time.Date(2026, 9, 28, 0, 0, 0, 0, clock.Shanghai)) || !end.Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, clock.Shanghai)) {
		t.Errorf("28th to 30th: %v – %v, %v", start, end, err)
	}
	if start, end, err := casework.ReceivedBetween(calendar.Date{}, d("2026-09-30")); err != nil || !start.IsZero() || end.IsZero() {
		t.Errorf("open start: %v – %v, %v", start, end, err)
	}
	if _, _, err := casework.ReceivedBetween(d("2026-09-30"), d("2026-09-29")); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("a range ending before it starts: %v", err)
	}
}
