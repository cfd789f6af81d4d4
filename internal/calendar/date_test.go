package calendar_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
)

func TestParseDate(t *testing.T) {
	good := []struct {
		in   string
		want calendar.Date
	}{
		{"2026-02-14", calendar.Date{Year: 2026, Month: time.February, Day: 14}},
		{"2024-02-29", calendar.Date{Year: 2024, Month: time.February, Day: 29}},
		{"2000-02-29", calendar.Date{Year: 2000, Month: time.February, Day: 29}},
		{"2026-12-31", calendar.Date{Year: 2026, Month: time.December, Day: 31}},
		{"1999-01-01", calendar.Date{Year: 1999, Month: time.January, Day: 1}},
	}
	for _, tc := range good {
		got, err := calendar.ParseDate(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if got.String() != tc.in {
			t.Errorf("ParseDate(%q).String() = %q", tc.in, got.String())
		}
	}
	bad := []string{
		"", "2026-2-14", "2026-02-30", "2025-02-29", "1900-02-29", "2026-13-01", "2026-00-10",
		"2026-01-00", "2026/02/14", "20260214", " 2026-02-14", "2026-02-14 ", "2026-02-14T00:00:00+08:00",
		"abcd-ef-gh", "二〇二六年二月十四日",
	}
	for _, in := range bad {
		_, err := calendar.ParseDate(in)
		if !apperr.Is(err, apperr.Invalid) {
			t.Errorf("ParseDate(%q) error = %v; want an invalid error", in, err)
			continue
		}
		fields := apperr.FieldsOf(err)
		if len(fields) != 1 || fields[0].Field != "date" || apperr.MessageOf(err) != "日期格式须为 YYYY-MM-DD" {
			t.Errorf("ParseDate(%q) error = %+v, fields %+v", in, err, fields)
		}
	}
}

func TestDateOfConvertsToShanghai(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 3, 5, 15, 59, 59, 0, time.UTC), "2026-03-05"}, // 23:59:59 in Shanghai
		{time.Date(2026, 3, 5, 16, 0, 0, 0, time.UTC), "2026-03-06"},   // 00:00 in Shanghai
		{time.Date(2025, 12, 31, 16, 30, 0, 0, time.UTC), "2026-01-01"},
		{time.Date(2026, 3, 6, 0, 0, 0, 0, clock.Shanghai), "2026-03-06"},
		{time.Date(2026, 3, 6, 9, 0, 0, 0, time.FixedZone("PST", -8*3600)), "2026-03-07"}, // 01:00 next day in Shanghai
	}
	for _, tc := range tests {
		if got := calendar.DateOf(tc.in).String(); got != tc.want {
			t.Errorf("DateOf(%v) = %s; want %s", tc.in, got, tc.want)
		}
	}
}

func TestDateArithmeticAgreesWithTime(t *testing.T) {
	// Every date from 1900 to 2100 against the standard library.
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	base := calendar.Date{Year: 1900, Month: time.January, Day: 1}
	for i := 0; i < 73415; i++ {
		tm := start.AddDate(0, 0, i)
		want := calendar.Date{Year: tm.Year(), Month: tm.Month(), Day: tm.Day()}
		got := base.AddDays(i)
		if got != want {
			t.Fatalf("%v.AddDays(%d) = %v; want %v", base, i, got, want)
		}
		if got.Weekday() != tm.Weekday() {
			t.Fatalf("%v.Weekday() = %v; want %v", got, got.Weekday(), tm.Weekday())
		}
		if back := got.AddDays(-i); back != base {
			t.Fatalf("%v.AddDays(%d) = %v; want %v", got, -i, back, base)
		}
	}
}

func TestDateMethods(t *testing.T) {
	d := calendar.Date{Year: 2026, Month: time.February, Day: 28}
	if got := d.AddDays(1).String(); got != "2026-03-01" {
		t.Errorf("AddDays(1) = %s", got)
	}
	if got := d.AddDays(-59).String(); got != "2025-12-31" {
		t.Errorf("AddDays(-59) = %s", got)
	}
	if got := d.AddDays(366).String(); got != "2027-03-01" {
		t.Errorf("AddDays(366) = %s", got)
	}
	// A day out of range counts on, as time.Date does.
	if got := (calendar.Date{Year: 2026, Month: time.February, Day: 30}).AddDays(0).String(); got != "2026-03-02" {
		t.Errorf("2026-02-30 normalises to %s", got)
	}
	if d.Weekday() != time.Saturday {
		t.Errorf("2026-02-28 is a %v", d.Weekday())
	}
	next := d.AddDays(1)
	if !d.Before(next) || d.After(next) || !next.After(d) || next.Before(d) || d.Before(d) || d.After(d) {
		t.Error("Before/After disagree with the order of the dates")
	}
	if !d.Before(calendar.Date{Year: 2027, Month: time.January, Day: 1}) {
		t.Error("a date is before the next year")
	}
	at := d.At(17, 0)
	if at.Location() != clock.Shanghai || at.Hour() != 17 || at.Minute() != 0 || calendar.DateOf(at) != d {
		t.Errorf("At(17, 0) = %v", at)
	}
	if want := time.Date(2026, 2, 28, 9, 0, 0, 0, time.UTC); !at.Equal(want) {
		t.Errorf("At(17, 0) = %v; want %v", at, want)
	}
	if !(calendar.Date{}).IsZero() || d.IsZero() || (calendar.Date{}).String() != "" {
		t.Error("the zero Date")
	}
}

func TestDateJSON(t *testing.T) {
	o := calendar.Override{Date: calendar.Date{Year: 2026, Month: time.February, Day: 14}, Working: true, Name: "春节调休上班"}
	data, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"date":"2026-02-14","working":true,"name":"春节调休上班"}`; string(data) != want {
		t.Errorf("Marshal = %s; want %s", data, want)
	}
	var back calendar.Override
	if err := json.Unmarshal(data, &back); err != nil || back != o {
		t.Errorf("round trip = %+v, %v; want %+v", back, err, o)
	}

	// As a map key and inside other values, through MarshalText.
	m := map[calendar.Date]int{o.Date: 1}
	data, err = json.Marshal(m)
	if err != nil || string(data) != `{"2026-02-14":1}` {
		t.Errorf("map key = %s, %v", data, err)
	}
	var mback map[calendar.Date]int
	if err := json.Unmarshal(data, &mback); err != nil || mback[o.Date] != 1 {
		t.Errorf("map key round trip = %v, %v", mback, err)
	}
	info := calendar.DayInfo{Date: o.Date, Working: true, Weekend: true}
	if data, _ := json.Marshal(info); string(data) != `{"date":"2026-02-14","working":true,"weekend":true}` {
		t.Errorf("DayInfo = %s", data)
	}

	// The zero Date is "", and null leaves a date as it was.
	if data, _ := json.Marshal(calendar.Date{}); string(data) != `""` {
		t.Errorf("zero Date = %s", data)
	}
	d := o.Date
	if err := json.Unmarshal([]byte(`null`), &d); err != nil || d != o.Date {
		t.Errorf("null = %v, %v", d, err)
	}
	if err := json.Unmarshal([]byte(`""`), &d); err != nil || !d.IsZero() {
		t.Errorf(`"" = %v, %v`, d, err)
	}

	for _, in := range []string{`"2026-02-30"`, `20260214`, `"2026/02/14"`, `true`, `{}`} {
		var d calendar.Date
		err := json.Unmarshal([]byte(in), &d)
		if err == nil {
			t.Errorf("Unmarshal(%s) = %v; want an error", in, d)
		}
	}
	var bad calendar.Override
	err = json.Unmarshal([]byte(`{"date":"2026-2-14"}`), &bad)
	if !apperr.Is(err, apperr.Invalid) {
		t.Errorf("a bad date in an override: %v; want the invalid date error", err)
	}
}
