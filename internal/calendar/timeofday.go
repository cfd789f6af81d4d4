package calendar

import (
	"fmt"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// TimeOfDay is a time of day in Asia/Shanghai to the minute, written
// "15:04" in JSON, forms and settings. The zero TimeOfDay is midnight.
type TimeOfDay struct {
	Hour, Minute int
}

// Clock returns the time of day hour:min.
func Clock(hour, min int) TimeOfDay { return TimeOfDay{Hour: hour, Minute: min} }

// ParseTimeOfDay reads a time of day written "HH:MM" ("9:30" is read too).
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		if t, err = time.Parse("3:04", s); err != nil {
			return TimeOfDay{}, apperr.Field("time", "时间格式须为 HH:MM（如 15:00）")
		}
	}
	return TimeOfDay{Hour: t.Hour(), Minute: t.Minute()}, nil
}

// Valid reports whether the time exists on a clock (00:00 to 23:59).
func (t TimeOfDay) Valid() bool {
	return t.Hour >= 0 && t.Hour <= 23 && t.Minute >= 0 && t.Minute <= 59
}

// Before reports whether t comes before o in the day.
func (t TimeOfDay) Before(o TimeOfDay) bool { return t.minutes() < o.minutes() }

func (t TimeOfDay) minutes() int { return t.Hour*60 + t.Minute }

// String returns the time as "15:04".
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

// On returns the moment t on date d.
func (t TimeOfDay) On(d Date) time.Time { return d.At(t.Hour, t.Minute) }

// MarshalText writes the time as "15:04".
func (t TimeOfDay) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads a time written "15:04".
func (t *TimeOfDay) UnmarshalText(text []byte) error {
	v, err := ParseTimeOfDay(string(text))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Cutoffs are the times of day of the paper handover rule (R6): intake on
// a working day before Split is handed over by SameDay that day; any other
// intake by NextDay of the next working day.
type Cutoffs struct {
	Split, SameDay, NextDay TimeOfDay
}
