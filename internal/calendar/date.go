package calendar

import (
	"fmt"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
)

// dateLayout is how a Date is written everywhere: in JSON, forms and URLs.
const dateLayout = "2006-01-02"

// Date is a calendar date without time (civil date in Asia/Shanghai).
// The zero Date means "no date"; it is written as "".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in Asia/Shanghai.
func DateOf(t time.Time) Date {
	y, m, d := t.In(clock.Shanghai).Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate reads a date written "2006-01-02". The date must exist
// ("2026-02-30" is refused).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, apperr.Field("date", "日期格式须为 YYYY-MM-DD")
	}
	return Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, nil
}

// String returns the date as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// AddDays returns the date n days after d (before it for negative n).
func (d Date) AddDays(n int) Date { return dateOfDayNumber(d.dayNumber() + n) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return weekdayOf(d.dayNumber()) }

// Before reports whether d comes before o.
func (d Date) Before(o Date) bool { return d.dayNumber() < o.dayNumber() }

// After reports whether d comes after o.
func (d Date) After(o Date) bool { return d.dayNumber() > o.dayNumber() }

// At returns the wall time hour:min of d in Asia/Shanghai.
func (d Date) At(hour, min int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, min, 0, 0, clock.Shanghai)
}

// MarshalText writes the date as "2006-01-02" ("" for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a date written "2006-01-02"; "" reads as the zero Date.
func (d *Date) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*d = Date{}
		return nil
	}
	parsed, err := ParseDate(string(text))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// MarshalJSON writes the date as the JSON string "2006-01-02".
func (d Date) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(d.String())), nil }

// UnmarshalJSON reads a JSON string "2006-01-02"; null leaves d unchanged,
// as encoding/json does for other values.
func (d *Date) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	s, err := strconv.Unquote(string(data))
	if err != nil {
		return apperr.Field("date", "日期格式须为 YYYY-MM-DD")
	}
	return d.UnmarshalText([]byte(s))
}

// dayNumber returns the number of days from 1970-01-01 to d, counting a
// month or day out of range onward as time.Date does. Integer arithmetic
// (H. Hinnant's days_from_civil) keeps the working-day loops cheap.
func (d Date) dayNumber() int {
	m := int(d.Month) - 1
	y := d.Year + floorDiv(m, 12)
	m = floorMod(m, 12) + 1 // 1..12
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400                     // [0, 399]
	mp := (m + 9) % 12                     // March = 0
	doy := (153*mp+2)/5 + d.Day - 1        // day of the year from March 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy // day of the era
	return era*146097 + doe - 719468       // 719468: 0000-03-01 to 1970-01-01
}

// dateOfDayNumber is the inverse of dayNumber (H. Hinnant's civil_from_days).
func dateOfDayNumber(z int) Date {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{Year: y, Month: time.Month(m), Day: day}
}

// weekdayOf returns the weekday of a day number; 1970-01-01 was a Thursday.
func weekdayOf(z int) time.Weekday { return time.Weekday(floorMod(z+4, 7)) }

// weekdaysBefore counts the Mondays to Fridays from the Monday 1970-01-05 up
// to, not including, day number z (negative when z is earlier).
func weekdaysBefore(z int) int {
	rel := z - 4
	return floorDiv(rel, 7)*5 + min(floorMod(rel, 7), 5)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }
