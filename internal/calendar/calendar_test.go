package calendar_test

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
)

// published returns the calendar every test runs on: the State Council's
// years 2020–2027 as lunar-go ships them, with the default settings.
func published(t testing.TB) *calendar.Calendar {
	t.Helper()
	return calendar.New(calendar.Published(2020, 2027), calendar.DefaultSettings())
}

// date reads "2006-01-02".
func date(t testing.TB, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return d
}

// at reads "2006-01-02 15:04" (or with seconds) in Asia/Shanghai.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	layout := "2006-01-02 15:04"
	if len(s) == len("2006-01-02 15:04:05") {
		layout = "2006-01-02 15:04:05"
	}
	tm, err := time.ParseInLocation(layout, s, clock.Shanghai)
	if err != nil {
		t.Fatalf("time %q: %v", s, err)
	}
	return tm
}

func show(tm time.Time) string { return tm.In(clock.Shanghai).Format("2006-01-02 Mon 15:04:05") }

func TestYearExceptionsAndCounts(t *testing.T) {
	c := published(t)
	// The years' exceptions to Monday–Friday, checked by hand against the State
	// Council's notices (国务院办公厅关于2025年、2026年部分节假日安排的通知): the weekdays
	// off and the weekend days worked. 2027 is as lunar-go v1.4.7 publishes it.
	exceptions := map[int]struct{ weekdaysOff, weekendsWorked []string }{
		2025: {
			weekdaysOff: []string{
				"2025-01-01",
				"2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-03", "2025-02-04",
				"2025-04-04",
				"2025-05-01", "2025-05-02", "2025-05-05",
				"2025-06-02",
				"2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08",
			},
			weekendsWorked: []string{"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"},
		},
		2026: {
			weekdaysOff: []string{
				"2026-01-01", "2026-01-02",
				"2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23",
				"2026-04-06",
				"2026-05-01", "2026-05-04", "2026-05-05",
				"2026-06-19",
				"2026-09-25",
				"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07",
			},
			weekendsWorked: []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
		},
		2027: {
			weekdaysOff: []string{
				"2027-01-01",
				"2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12",
				"2027-04-05",
				"2027-05-03", "2027-05-04", "2027-05-05",
				"2027-06-09",
				"2027-09-15",
				"2027-10-01", "2027-10-04", "2027-10-05", "2027-10-06", "2027-10-07",
			},
			weekendsWorked: []string{"2027-01-31", "2027-02-14", "2027-05-08", "2027-09-26", "2027-10-09"},
		},
	}
	// Each of the three years has 261 weekdays (365 days = 52 weeks and one
	// weekday) and 13 statutory days off (元旦1 春节4 清明1 劳动2 端午1 中秋1
	// 国庆3, since 2025): 261 − 13 = 248 working days. The 调休 swaps are
	// even: every weekday taken off beyond the 13 is a weekend day worked.
	wantWorking := map[int]int{2025: 248, 2026: 248, 2027: 248}
	for y, ex := range exceptions {
		days := c.Year(y)
		if len(days) != 365 {
			t.Errorf("Year(%d) has %d days", y, len(days))
		}
		var off, worked []string
		working, weekend := 0, 0
		for i, di := range days {
			if i == 0 {
				if di.Date != (calendar.Date{Year: y, Month: time.January, Day: 1}) {
					t.Errorf("Year(%d) starts on %s", y, di.Date)
				}
			} else if di.Date != days[i-1].Date.AddDays(1) {
				t.Errorf("Year(%d): %s follows %s", y, di.Date, days[i-1].Date)
			}
			isWeekend := di.Date.Weekday() == time.Saturday || di.Date.Weekday() == time.Sunday
			if di.Weekend != isWeekend {
				t.Errorf("%s Weekend = %v", di.Date, di.Weekend)
			}
			if di.Working != c.IsWorkingDay(di.Date) || di.Name != c.DayName(di.Date) {
				t.Errorf("%s: DayInfo %+v disagrees with IsWorkingDay/DayName", di.Date, di)
			}
			if di.Working {
				working++
			}
			if di.Weekend {
				weekend++
			}
			switch {
			case !di.Weekend && !di.Working:
				off = append(off, di.Date.String())
			case di.Weekend && di.Working:
				worked = append(worked, di.Date.String())
			}
		}
		if !slices.Equal(off, ex.weekdaysOff) {
			t.Errorf("%d weekdays off:\n got %v\nwant %v", y, off, ex.weekdaysOff)
		}
		if !slices.Equal(worked, ex.weekendsWorked) {
			t.Errorf("%d weekend days worked:\n got %v\nwant %v", y, worked, ex.weekendsWorked)
		}
		if weekend != 104 {
			t.Errorf("%d has %d weekend days; want 104", y, weekend)
		}
		if working != wantWorking[y] || working != 261-len(ex.weekdaysOff)+len(ex.weekendsWorked) {
			t.Errorf("%d has %d working days; want %d", y, working, wantWorking[y])
		}
	}
	if n := len(c.Year(2024)); n != 366 {
		t.Errorf("Year(2024) has %d days; want 366", n)
	}
	// A year not yet published is plain Monday to Friday.
	working := 0
	for _, di := range c.Year(2028) {
		if di.Working {
			working++
		}
		if di.Working == di.Weekend || di.Name != "" {
			t.Fatalf("2028 is not published yet, but %+v", di)
		}
	}
	if working != 260 { // 2028 is a leap year starting on a Saturday: 52 weeks + Sat, Sun
		t.Errorf("2028 has %d working days; want 260", working)
	}
}

func TestPublished(t *testing.T) {
	all := calendar.Published(2020, 2027)
	if !slices.IsSortedFunc(all, func(a, b calendar.Override) int {
		switch {
		case a.Date.Before(b.Date):
			return -1
		case a.Date.After(b.Date):
			return 1
		}
		return 0
	}) {
		t.Error("Published is not sorted by date")
	}
	seen := map[calendar.Date]bool{}
	for _, o := range all {
		if seen[o.Date] {
			t.Errorf("%s published twice", o.Date)
		}
		seen[o.Date] = true
		if o.Date.Year < 2020 || o.Date.Year > 2027 {
			t.Errorf("%s is outside 2020–2027", o.Date)
		}
	}
	// Entries per year as lunar-go ships them (holiday days including those
	// on weekends, plus the weekend days worked).
	perYear := map[int]int{}
	for _, o := range all {
		perYear[o.Date.Year]++
	}
	wantPerYear := map[int]int{2020: 36, 2021: 38, 2022: 39, 2023: 35, 2024: 38, 2025: 33, 2026: 39, 2027: 34}
	for y, n := range wantPerYear {
		if perYear[y] != n {
			t.Errorf("%d: %d entries; want %d", y, perYear[y], n)
		}
	}
	byDate := map[string]calendar.Override{}
	for _, o := range all {
		byDate[o.Date.String()] = o
	}
	named := []struct {
		date    string
		working bool
		name    string
	}{
		{"2026-01-01", false, "元旦节"},
		{"2026-01-03", false, "元旦节"}, // a Saturday, kept as published
		{"2026-01-04", true, "元旦节调休上班"},
		{"2026-02-14", true, "春节调休上班"},
		{"2026-02-15", false, "春节"},
		{"2026-02-23", false, "春节"},
		{"2026-02-28", true, "春节调休上班"},
		{"2026-04-05", false, "清明节"},
		{"2026-05-09", true, "劳动节调休上班"},
		{"2026-06-19", false, "端午节"},
		{"2026-09-20", true, "国庆节调休上班"},
		{"2026-09-25", false, "中秋节"},
		{"2026-10-01", false, "国庆节"},
		{"2026-10-10", true, "国庆节调休上班"},
		{"2025-10-01", false, "国庆中秋"},
		{"2023-12-30", false, "元旦节"}, // the 2024 New Year falls partly in 2023
		{"2027-01-01", false, "元旦节"},
	}
	for _, n := range named {
		o, ok := byDate[n.date]
		if !ok || o.Working != n.working || o.Name != n.name {
			t.Errorf("%s: %+v (present %v); want working=%v name %q", n.date, o, ok, n.working, n.name)
		}
	}
	if got := calendar.Published(2028, 2030); len(got) != 0 {
		t.Errorf("Published(2028, 2030) = %v; want nothing", got)
	}
	if got := calendar.Published(2026, 2025); len(got) != 0 {
		t.Errorf("an empty range gives %v", got)
	}
	if got := calendar.Published(2026, 2026); len(got) != 39 || got[0].Date.String() != "2026-01-01" || got[38].Date.String() != "2026-10-10" {
		t.Errorf("Published(2026, 2026) = %v", got)
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := published(t)
	tests := []struct {
		date    string
		working bool
		name    string
	}{
		{"2025-12-31", true, ""},
		{"2026-01-01", false, "元旦节"},
		{"2026-01-02", false, "元旦节"},
		{"2026-01-03", false, "元旦节"},
		{"2026-01-04", true, "元旦节调休上班"}, // a Sunday worked
		{"2026-01-05", true, ""},
		{"2026-02-13", true, ""},
		{"2026-02-14", true, "春节调休上班"}, // a Saturday worked
		{"2026-02-15", false, "春节"},
		{"2026-02-16", false, "春节"},
		{"2026-02-17", false, "春节"},
		{"2026-02-18", false, "春节"},
		{"2026-02-19", false, "春节"},
		{"2026-02-20", false, "春节"},
		{"2026-02-21", false, "春节"},
		{"2026-02-22", false, "春节"},
		{"2026-02-23", false, "春节"},
		{"2026-02-24", true, ""},
		{"2026-02-27", true, ""},
		{"2026-02-28", true, "春节调休上班"},
		{"2026-03-01", false, ""}, // a plain Sunday
		{"2026-03-07", false, ""}, // a plain Saturday
		{"2026-09-19", false, ""},
		{"2026-09-20", true, "国庆节调休上班"}, // a Sunday worked
		{"2026-09-24", true, ""},
		{"2026-09-25", false, "中秋节"},
		{"2026-09-26", false, "中秋节"},
		{"2026-09-27", false, "中秋节"},
		{"2026-09-28", true, ""},
		{"2026-09-30", true, ""},
		{"2026-10-01", false, "国庆节"},
		{"2026-10-07", false, "国庆节"},
		{"2026-10-08", true, ""},
		{"2026-10-09", true, ""},
		{"2026-10-10", true, "国庆节调休上班"},
		{"2026-10-11", false, ""},
		{"2026-12-31", true, ""},
		{"2027-01-01", false, "元旦节"},
		{"2027-01-03", false, "元旦节"},
		{"2027-01-04", true, ""},
	}
	for _, tc := range tests {
		d := date(t, tc.date)
		if got := c.IsWorkingDay(d); got != tc.working {
			t.Errorf("IsWorkingDay(%s %v) = %v", tc.date, d.Weekday(), got)
		}
		if got := c.DayName(d); got != tc.name {
			t.Errorf("DayName(%s) = %q; want %q", tc.date, got, tc.name)
		}
	}
}

func TestNextWorkingDay(t *testing.T) {
	c := published(t)
	tests := []struct{ from, want string }{
		{"2025-12-31", "2026-01-04"},
		{"2026-01-01", "2026-01-04"},
		{"2026-01-04", "2026-01-05"},
		{"2026-02-13", "2026-02-14"},
		{"2026-02-14", "2026-02-24"},
		{"2026-02-15", "2026-02-24"},
		{"2026-02-23", "2026-02-24"},
		{"2026-02-27", "2026-02-28"},
		{"2026-02-28", "2026-03-02"},
		{"2026-03-06", "2026-03-09"},
		{"2026-09-18", "2026-09-20"},
		{"2026-09-24", "2026-09-28"},
		{"2026-09-30", "2026-10-08"},
		{"2026-10-09", "2026-10-10"},
		{"2026-10-10", "2026-10-12"},
		{"2026-12-31", "2027-01-04"},
		{"2028-12-29", "2029-01-01"}, // unpublished years: Monday to Friday
	}
	for _, tc := range tests {
		if got := c.NextWorkingDay(date(t, tc.from)).String(); got != tc.want {
			t.Errorf("NextWorkingDay(%s) = %s; want %s", tc.from, got, tc.want)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := published(t)
	tests := []struct {
		from string
		n    int
		want string
	}{
		// Spring Festival 2026: 2/14 (Sat) worked, 2/15–2/23 off, 2/28 (Sat) worked.
		{"2026-02-13 14:00", 0, "2026-02-13 17:00"},
		{"2026-02-13 14:00", 1, "2026-02-14 17:00"},
		{"2026-02-13 14:00", 2, "2026-02-24 17:00"},
		{"2026-02-13 14:00", 3, "2026-02-25 17:00"},
		{"2026-02-13 14:00", 6, "2026-02-28 17:00"},
		{"2026-02-13 14:00", 7, "2026-03-02 17:00"},
		{"2026-02-13 14:00", 20, "2026-03-19 17:00"}, // 2/14, 2/24–2/28 (6), 3/2–3/6 (11), 3/9–3/13 (16), 3/16–3/19
		{"2026-02-13 08:00", 1, "2026-02-14 17:00"},  // before opening: the day still does not count
		{"2026-02-13 18:30", 1, "2026-02-14 17:00"},  // after close: the same
		{"2026-02-14 09:00", 0, "2026-02-14 17:00"},
		{"2026-02-14 09:00", 1, "2026-02-24 17:00"},
		{"2026-02-14 09:00", 20, "2026-03-20 17:00"},
		{"2026-02-14 17:30", 0, "2026-02-24 17:00"},
		{"2026-02-16 10:00", 0, "2026-02-24 17:00"},
		{"2026-02-23 10:00", 1, "2026-02-24 17:00"},
		{"2026-02-23 10:00", 2, "2026-02-25 17:00"},
		{"2026-02-23 10:00", 20, "2026-03-20 17:00"},
		{"2026-02-10 10:00", 20, "2026-03-16 17:00"}, // 2/11–2/14 (4), 2/24–2/28 (9), 3/2–3/6 (14), 3/9–3/13 (19), 3/16
		{"2026-02-01 10:00", 20, "2026-03-05 17:00"}, // a Sunday: 2/2–2/6, 2/9–2/14 (11), 2/24–2/28 (16), 3/2–3/5
		{"2026-01-23 16:00", 20, "2026-02-27 17:00"}, // 1/26–1/30, 2/2–2/6, 2/9–2/14 (16), 2/24–2/27
		{"2026-02-27 16:00", 1, "2026-02-28 17:00"},
		{"2026-02-28 16:00", 1, "2026-03-02 17:00"},

		// National Day and Mid-Autumn 2026: 9/20 (Sun) worked, 9/25–9/27 and 10/1–10/7 off, 10/10 (Sat) worked.
		{"2026-09-18 10:00", 1, "2026-09-20 17:00"},
		{"2026-09-18 10:00", 2, "2026-09-21 17:00"},
		{"2026-09-24 10:00", 1, "2026-09-28 17:00"},
		{"2026-09-26 10:00", 0, "2026-09-28 17:00"},
		{"2026-09-30 09:00", 0, "2026-09-30 17:00"},
		{"2026-09-30 09:00", 1, "2026-10-08 17:00"},
		{"2026-09-30 09:00", 2, "2026-10-09 17:00"}, // R5 from a holiday-eve morning
		{"2026-09-30 14:00", 2, "2026-10-09 17:00"},
		{"2026-09-30 09:00", 3, "2026-10-10 17:00"},
		{"2026-09-30 09:00", 4, "2026-10-12 17:00"},
		{"2026-09-30 09:00", 20, "2026-11-03 17:00"}, // 10/8–10/10 (3), 10/12–16 (8), 10/19–23 (13), 10/26–30 (18), 11/2, 11/3
		{"2026-09-15 09:00", 20, "2026-10-19 17:00"}, // 9/16–18 (3), 9/20–24 (8), 9/28–30 (11), 10/8–10 (14), 10/12–16 (19), 10/19
		{"2026-10-01 09:00", 1, "2026-10-08 17:00"},
		{"2026-10-07 23:59", 1, "2026-10-08 17:00"},

		// Year ends: 2026-01-01–01-03 off and 01-04 (Sun) worked; 2027-01-01–01-03 off.
		{"2025-12-31 10:00", 0, "2025-12-31 17:00"},
		{"2025-12-31 10:00", 1, "2026-01-04 17:00"},
		{"2025-12-31 10:00", 2, "2026-01-05 17:00"},
		{"2025-12-31 17:00", 0, "2025-12-31 17:00"}, // exactly at close is not after it
		{"2025-12-31 17:01", 0, "2026-01-04 17:00"},
		{"2026-12-31 10:00", 1, "2027-01-04 17:00"},
		{"2026-12-31 10:00", 2, "2027-01-05 17:00"},
		{"2026-12-30 10:00", 5, "2027-01-07 17:00"},

		// A plain week: Friday to Monday.
		{"2026-03-06 10:00", 1, "2026-03-09 17:00"},
		{"2026-03-06 10:00", 5, "2026-03-13 17:00"},
		{"2026-03-07 10:00", 0, "2026-03-09 17:00"},
		{"2026-03-07 10:00", 1, "2026-03-09 17:00"},
		{"2026-03-08 10:00", 1, "2026-03-09 17:00"},
		{"2026-03-09 10:00", -1, "2026-03-09 17:00"}, // n < 0 is read as 0
		{"2026-03-07 10:00", -5, "2026-03-09 17:00"},
	}
	for _, tc := range tests {
		got := c.AddWorkingDays(at(t, tc.from), tc.n)
		if want := at(t, tc.want); !got.Equal(want) {
			t.Errorf("AddWorkingDays(%s, %d) = %s; want %s", tc.from, tc.n, show(got), show(want))
		}
		if got.Location() != clock.Shanghai {
			t.Errorf("AddWorkingDays(%s, %d) is in %v", tc.from, tc.n, got.Location())
		}
	}

	// The time of the event is read in Shanghai whatever its zone: 2026-02-13
	// 16:30 UTC is already Saturday 2/14 00:30 in Shanghai.
	utc := time.Date(2026, 2, 13, 16, 30, 0, 0, time.UTC)
	if got, want := c.AddWorkingDays(utc, 1), at(t, "2026-02-24 17:00"); !got.Equal(want) {
		t.Errorf("AddWorkingDays(%v, 1) = %s; want %s", utc, show(got), show(want))
	}
}

// r6 are the reform plan's handover cut-offs: intake before 12:00 is handed
// over by 15:00 the same day, later intake by 10:00 the next working day.
var r6 = calendar.Cutoffs{Split: calendar.Clock(12, 0), SameDay: calendar.Clock(15, 0), NextDay: calendar.Clock(10, 0)}

func TestHandoverCutoff(t *testing.T) {
	c := published(t)
	tests := []struct{ intake, want string }{
		// A plain Friday.
		{"2026-03-06 07:30", "2026-03-06 15:00"},
		{"2026-03-06 09:00", "2026-03-06 15:00"},
		{"2026-03-06 11:59", "2026-03-06 15:00"},
		{"2026-03-06 11:59:59", "2026-03-06 15:00"},
		{"2026-03-06 12:00", "2026-03-09 10:00"}, // exactly 12:00 is afternoon
		{"2026-03-06 14:00", "2026-03-09 10:00"},
		{"2026-03-06 17:30", "2026-03-09 10:00"},
		{"2026-03-06 23:59", "2026-03-09 10:00"},
		{"2026-03-05 14:00", "2026-03-06 10:00"}, // Thursday afternoon: Friday
		// Friday afternoon before Qingming (4/4–4/6 off).
		{"2026-04-03 14:00", "2026-04-07 10:00"},
		{"2026-04-03 11:00", "2026-04-03 15:00"},
		// Holiday eve.
		{"2026-09-30 09:00", "2026-09-30 15:00"},
		{"2026-09-30 14:00", "2026-10-08 10:00"},
		{"2026-02-13 14:00", "2026-02-14 10:00"}, // the next working day is a Saturday
		// Working weekend days.
		{"2026-02-14 09:00", "2026-02-14 15:00"},
		{"2026-02-14 13:00", "2026-02-24 10:00"},
		{"2026-01-04 10:00", "2026-01-04 15:00"},
		{"2026-09-20 11:00", "2026-09-20 15:00"},
		// Days off, morning or not.
		{"2026-03-08 09:00", "2026-03-09 10:00"}, // a plain Sunday
		{"2026-03-07 15:00", "2026-03-09 10:00"}, // a plain Saturday
		{"2026-02-16 09:00", "2026-02-24 10:00"}, // Spring Festival
		{"2026-10-03 09:00", "2026-10-08 10:00"},
		{"2025-12-31 14:00", "2026-01-04 10:00"},
		{"2026-12-31 14:00", "2027-01-04 10:00"},
	}
	for _, tc := range tests {
		got := c.HandoverCutoff(at(t, tc.intake), r6)
		if want := at(t, tc.want); !got.Equal(want) {
			t.Errorf("HandoverCutoff(%s) = %s; want %s", tc.intake, show(got), show(want))
		}
	}
	// 03:59 UTC is 11:59 in Shanghai: a morning intake.
	utc := time.Date(2026, 3, 6, 3, 59, 0, 0, time.UTC)
	if got, want := c.HandoverCutoff(utc, r6), at(t, "2026-03-06 15:00"); !got.Equal(want) {
		t.Errorf("HandoverCutoff(%v) = %s; want %s", utc, show(got), show(want))
	}
}

func TestWorkingDaysBetweenLeftAndWarn(t *testing.T) {
	c := published(t)
	between := []struct {
		from, to string
		want     int
	}{
		{"2026-02-13 14:00", "2026-02-13 17:00", 0},
		{"2026-02-13 14:00", "2026-02-13 10:00", 0},
		{"2026-02-13 14:00", "2026-02-12 10:00", 0},
		{"2026-02-13 14:00", "2026-02-14 17:00", 1},
		{"2026-02-13 14:00", "2026-02-20 17:00", 1},
		{"2026-02-13 14:00", "2026-02-24 09:00", 2},
		{"2026-02-13 14:00", "2026-03-19 17:00", 20},
		{"2026-09-30 09:00", "2026-10-09 17:00", 2},
		{"2025-12-31 09:00", "2026-01-05 09:00", 2},
		{"2026-03-06 17:00", "2026-03-09 09:00", 1},
		{"2026-01-01 00:00", "2026-12-31 23:59", 248}, // 1/1 itself is not counted, and is a day off anyway
		{"2025-12-31 00:00", "2026-12-31 23:59", 248},
		{"2024-12-31 00:00", "2026-12-31 23:59", 496},
		{"2028-01-01 00:00", "2028-12-31 00:00", 260},
	}
	for _, tc := range between {
		if got := c.WorkingDaysBetween(at(t, tc.from), at(t, tc.to)); got != tc.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d; want %d", tc.from, tc.to, got, tc.want)
		}
	}

	left := []struct {
		now, due string
		left     int
		warn     calendar.Warning
	}{
		// Due Friday 2026-03-06 17:00.
		{"2026-03-02 09:00", "2026-03-06 17:00", 4, calendar.WarningNone},
		{"2026-03-04 09:00", "2026-03-06 17:00", 2, calendar.WarningNone},
		{"2026-03-05 09:00", "2026-03-06 17:00", 1, calendar.WarningYellow},
		{"2026-03-05 23:00", "2026-03-06 17:00", 1, calendar.WarningYellow},
		{"2026-03-06 09:00", "2026-03-06 17:00", 0, calendar.WarningYellow},
		{"2026-03-06 17:00", "2026-03-06 17:00", 0, calendar.WarningYellow},
		{"2026-03-06 17:00:01", "2026-03-06 17:00", 0, calendar.WarningRed},
		{"2026-03-07 10:00", "2026-03-06 17:00", 0, calendar.WarningRed},
		{"2026-03-09 09:00", "2026-03-06 17:00", -1, calendar.WarningRed},
		{"2026-03-10 09:00", "2026-03-06 17:00", -2, calendar.WarningRed},
		{"2026-03-16 09:00", "2026-03-06 17:00", -6, calendar.WarningRed},
		// Across the Spring Festival: due Tuesday 2026-02-24.
		{"2026-02-12 10:00", "2026-02-24 17:00", 3, calendar.WarningNone},
		{"2026-02-13 10:00", "2026-02-24 17:00", 2, calendar.WarningNone},
		{"2026-02-14 10:00", "2026-02-24 17:00", 1, calendar.WarningYellow},
		{"2026-02-20 10:00", "2026-02-24 17:00", 1, calendar.WarningYellow},
		{"2026-02-24 16:59", "2026-02-24 17:00", 0, calendar.WarningYellow},
		{"2026-02-25 09:00", "2026-02-24 17:00", -1, calendar.WarningRed},
		// A handover cut-off at 15:00.
		{"2026-09-30 14:59", "2026-09-30 15:00", 0, calendar.WarningYellow},
		{"2026-09-30 15:01", "2026-09-30 15:00", 0, calendar.WarningRed},
		{"2026-10-05 10:00", "2026-09-30 15:00", 0, calendar.WarningRed},
		{"2026-10-08 10:00", "2026-09-30 15:00", -1, calendar.WarningRed},
	}
	for _, tc := range left {
		now, due := at(t, tc.now), at(t, tc.due)
		if got := c.WorkingDaysLeft(now, due); got != tc.left {
			t.Errorf("WorkingDaysLeft(%s, %s) = %d; want %d", tc.now, tc.due, got, tc.left)
		}
		if got := c.Warn(now, due); got != tc.warn {
			t.Errorf("Warn(%s, %s) = %s; want %s", tc.now, tc.due, got, tc.warn)
		}
	}

	// YellowDays is a setting: with 3, three working days left is yellow.
	s := calendar.DefaultSettings()
	s.YellowDays = 3
	c3 := calendar.New(calendar.Published(2026, 2026), s)
	if got := c3.Warn(at(t, "2026-03-03 09:00"), at(t, "2026-03-06 17:00")); got != calendar.WarningYellow {
		t.Errorf("YellowDays 3, three days left: %s", got)
	}
	if got := c3.Warn(at(t, "2026-03-02 09:00"), at(t, "2026-03-06 17:00")); got != calendar.WarningNone {
		t.Errorf("YellowDays 3, four days left: %s", got)
	}
}

// TestProperties checks over many random instants in 2020–2027 that the
// deadline functions agree with each other and with a day-by-day count.
func TestProperties(t *testing.T) {
	c := published(t)
	r := rand.New(rand.NewPCG(2026, 214))
	start := at(t, "2020-01-01 00:00").Unix()
	end := at(t, "2027-12-01 00:00").Unix()
	random := func() time.Time { return time.Unix(start+r.Int64N(end-start), 0).In(clock.Shanghai) }
	naive := func(from, to time.Time) int {
		n := 0
		for d := calendar.DateOf(from).AddDays(1); !d.After(calendar.DateOf(to)); d = d.AddDays(1) {
			if c.IsWorkingDay(d) {
				n++
			}
		}
		return n
	}
	for i := 0; i < 20000; i++ {
		from := random()
		n := r.IntN(31)
		due := c.AddWorkingDays(from, n)

		if due.Before(from) {
			t.Fatalf("AddWorkingDays(%s, %d) = %s is before the event", show(from), n, show(due))
		}
		dueDay := calendar.DateOf(due)
		if !c.IsWorkingDay(dueDay) || !due.Equal(dueDay.At(17, 0)) {
			t.Fatalf("AddWorkingDays(%s, %d) = %s is not the close of a working day", show(from), n, show(due))
		}
		got := c.WorkingDaysBetween(from, due)
		if n >= 1 && got != n {
			t.Fatalf("WorkingDaysBetween(%s, AddWorkingDays(…, %d) = %s) = %d", show(from), n, show(due), got)
		}
		if n == 0 && got > 1 {
			t.Fatalf("WorkingDaysBetween(%s, AddWorkingDays(…, 0) = %s) = %d", show(from), show(due), got)
		}
		if n >= 1 {
			// The deadline is the first close by which n working days have passed.
			if prev := c.AddWorkingDays(from, n-1); n > 1 && !prev.Before(due) {
				t.Fatalf("AddWorkingDays(%s, %d) = %s not after n-1 = %s", show(from), n, show(due), show(prev))
			}
		}

		// A random instant on a working day no later than its close.
		now := random()
		for !c.IsWorkingDay(calendar.DateOf(now)) {
			now = now.Add(24 * time.Hour)
		}
		if cl := calendar.DateOf(now).At(17, 0); now.After(cl) {
			now = cl.Add(-time.Duration(r.IntN(8*3600)) * time.Second)
		}
		if n >= 1 {
			within := !now.After(due)
			if counted := c.WorkingDaysBetween(from, now) <= n; within != counted {
				t.Fatalf("from %s, n %d, due %s, t %s: t<=due %v but WorkingDaysBetween %d",
					show(from), n, show(due), show(now), within, c.WorkingDaysBetween(from, now))
			}
		}

		// The fast count agrees with counting day by day, both ways round.
		if a, b := c.WorkingDaysBetween(from, now), naive(from, now); a != b {
			t.Fatalf("WorkingDaysBetween(%s, %s) = %d; counting gives %d", show(from), show(now), a, b)
		}
		if a, b := c.WorkingDaysBetween(now, from), naive(now, from); a != b {
			t.Fatalf("WorkingDaysBetween(%s, %s) = %d; counting gives %d", show(now), show(from), a, b)
		}

		// Warn is red exactly after due, and yellow exactly when at most one working day is left.
		w := c.Warn(now, due)
		left := c.WorkingDaysLeft(now, due)
		switch {
		case now.After(due):
			if w != calendar.WarningRed || left > 0 {
				t.Fatalf("now %s after due %s: %s, %d left", show(now), show(due), w, left)
			}
		case left <= 1:
			if w != calendar.WarningYellow || left < 0 {
				t.Fatalf("now %s, due %s, %d left: %s", show(now), show(due), left, w)
			}
		default:
			if w != calendar.WarningNone {
				t.Fatalf("now %s, due %s, %d left: %s", show(now), show(due), left, w)
			}
		}
		if !now.After(due) && left != c.WorkingDaysBetween(now, due) {
			t.Fatalf("WorkingDaysLeft(%s, %s) = %d", show(now), show(due), left)
		}
		if now.After(due) && left != -c.WorkingDaysBetween(due, now) {
			t.Fatalf("WorkingDaysLeft(%s, %s) = %d", show(now), show(due), left)
		}

		// The handover cut-off is on a working day, after the intake.
		cut := c.HandoverCutoff(from, r6)
		if !cut.After(from) {
			t.Fatalf("HandoverCutoff(%s) = %s", show(from), show(cut))
		}
		if !c.IsWorkingDay(calendar.DateOf(cut)) || (cut.Hour() != 15 && cut.Hour() != 10) {
			t.Fatalf("HandoverCutoff(%s) = %s", show(from), show(cut))
		}
	}
}

func TestWithClosures(t *testing.T) {
	base := published(t)
	hall := base.WithClosures([]calendar.Override{
		{Date: date(t, "2026-03-11"), Working: false, Name: "大厅设备检修"}, // a Wednesday
		{Date: date(t, "2026-03-14"), Working: true, Name: "周六加班受理"},  // a Saturday opened
	})
	wed := date(t, "2026-03-11")
	if !base.IsWorkingDay(wed) || base.DayName(wed) != "" {
		t.Error("the hall's closure leaked into the base calendar")
	}
	if hall.IsWorkingDay(wed) || hall.DayName(wed) != "大厅设备检修" {
		t.Error("the hall is open on its closure day")
	}
	if base.IsWorkingDay(date(t, "2026-03-14")) || !hall.IsWorkingDay(date(t, "2026-03-14")) {
		t.Error("the hall's opened Saturday")
	}
	// The published holidays still hold for the hall.
	if hall.IsWorkingDay(date(t, "2026-10-01")) || !hall.IsWorkingDay(date(t, "2026-10-10")) {
		t.Error("the hall lost the published calendar")
	}
	if hall.Settings() != base.Settings() {
		t.Error("the hall lost the settings")
	}

	tests := []struct {
		from       string
		n          int
		base, hall string
	}{
		{"2026-03-10 10:00", 1, "2026-03-11 17:00", "2026-03-12 17:00"},
		{"2026-03-09 10:00", 2, "2026-03-11 17:00", "2026-03-12 17:00"},
		{"2026-03-09 10:00", 3, "2026-03-12 17:00", "2026-03-13 17:00"},
		{"2026-03-09 10:00", 4, "2026-03-13 17:00", "2026-03-14 17:00"}, // the opened Saturday counts
		{"2026-03-09 10:00", 5, "2026-03-16 17:00", "2026-03-16 17:00"},
		{"2026-03-11 09:00", 0, "2026-03-11 17:00", "2026-03-12 17:00"},
		{"2026-03-12 10:00", 1, "2026-03-13 17:00", "2026-03-13 17:00"},
	}
	for _, tc := range tests {
		from := at(t, tc.from)
		if got, want := base.AddWorkingDays(from, tc.n), at(t, tc.base); !got.Equal(want) {
			t.Errorf("base AddWorkingDays(%s, %d) = %s; want %s", tc.from, tc.n, show(got), show(want))
		}
		if got, want := hall.AddWorkingDays(from, tc.n), at(t, tc.hall); !got.Equal(want) {
			t.Errorf("hall AddWorkingDays(%s, %d) = %s; want %s", tc.from, tc.n, show(got), show(want))
		}
	}
	if got, want := hall.HandoverCutoff(at(t, "2026-03-11 09:00"), r6), at(t, "2026-03-12 10:00"); !got.Equal(want) {
		t.Errorf("hall HandoverCutoff on its closure = %s", show(got))
	}
	if got := hall.WorkingDaysBetween(at(t, "2026-03-09 10:00"), at(t, "2026-03-16 10:00")); got != 5 {
		t.Errorf("hall WorkingDaysBetween = %d; want 5 (3/10, 3/12, 3/13, 3/14, 3/16)", got)
	}
	if got := base.WorkingDaysBetween(at(t, "2026-03-09 10:00"), at(t, "2026-03-16 10:00")); got != 5 {
		t.Errorf("base WorkingDaysBetween = %d; want 5 (3/10–3/13, 3/16)", got)
	}

	// A hall may close on a day the State Council made a working day.
	closed := base.WithClosures([]calendar.Override{{Date: date(t, "2026-02-14"), Name: "大厅停电"}})
	if got, want := closed.AddWorkingDays(at(t, "2026-02-13 14:00"), 1), at(t, "2026-02-24 17:00"); !got.Equal(want) {
		t.Errorf("closed working Saturday: %s", show(got))
	}
}

func TestNewLaterEntriesWin(t *testing.T) {
	d := date(t, "2026-03-11")
	c := calendar.New([]calendar.Override{
		{Date: d, Working: false, Name: "第一次"},
		{Date: d, Working: true, Name: "第二次"},
	}, calendar.DefaultSettings())
	if !c.IsWorkingDay(d) || c.DayName(d) != "第二次" {
		t.Errorf("IsWorkingDay %v, DayName %q; want the later entry", c.IsWorkingDay(d), c.DayName(d))
	}
	c = calendar.New([]calendar.Override{
		{Date: d, Working: true, Name: "第一次"},
		{Date: d, Working: false, Name: "第二次"},
	}, calendar.DefaultSettings())
	if c.IsWorkingDay(d) || c.WorkingDaysBetween(at(t, "2026-03-10 10:00"), at(t, "2026-03-11 10:00")) != 0 {
		t.Error("the later day off did not win")
	}
	// No overrides at all: Monday to Friday.
	plain := calendar.New(nil, calendar.DefaultSettings())
	if !plain.IsWorkingDay(date(t, "2026-10-01")) || plain.IsWorkingDay(date(t, "2026-10-10")) {
		t.Error("an empty calendar is not Monday to Friday")
	}
}

func TestSettings(t *testing.T) {
	def := calendar.DefaultSettings()
	want := calendar.Settings{CloseHour: 17, CloseMinute: 0, YellowDays: 1}
	if def != want {
		t.Errorf("DefaultSettings() = %+v", def)
	}
	if err := def.Validate(); err != nil {
		t.Errorf("the defaults are invalid: %v", err)
	}
	if got := calendar.New(nil, calendar.Settings{}).Settings(); got != def {
		t.Errorf("the zero Settings gives %+v; want the defaults", got)
	}

	// Other times of day are used as given.
	s := calendar.Settings{CloseHour: 17, CloseMinute: 30, YellowDays: 2}
	c := calendar.New(calendar.Published(2026, 2026), s)
	if got, want := c.AddWorkingDays(at(t, "2026-03-06 17:20"), 0), at(t, "2026-03-06 17:30"); !got.Equal(want) {
		t.Errorf("close 17:30: %s", show(got))
	}
	if got := s.Close(); got != calendar.Clock(17, 30) || got.String() != "17:30" {
		t.Errorf("Close() = %v", got)
	}
	// Other cut-offs are used as given, to the minute.
	k := calendar.Cutoffs{Split: calendar.Clock(13, 0), SameDay: calendar.Clock(16, 30), NextDay: calendar.Clock(9, 15)}
	if got, want := c.HandoverCutoff(at(t, "2026-03-06 12:30"), k), at(t, "2026-03-06 16:30"); !got.Equal(want) {
		t.Errorf("split 13: %s", show(got))
	}
	if got, want := c.HandoverCutoff(at(t, "2026-03-06 13:00"), k), at(t, "2026-03-09 09:15"); !got.Equal(want) {
		t.Errorf("next day 9:15: %s", show(got))
	}
	if got := c.Warn(at(t, "2026-03-04 09:00"), at(t, "2026-03-06 17:30")); got != calendar.WarningYellow {
		t.Errorf("YellowDays 2: %s", got)
	}

	bad := []struct {
		s     calendar.Settings
		field string
	}{
		{calendar.Settings{CloseHour: 24, YellowDays: 1}, "close_hour"},
		{calendar.Settings{CloseHour: 17, CloseMinute: 60, YellowDays: 1}, "close_minute"},
		{calendar.Settings{CloseHour: 17, YellowDays: -1}, "yellow_days"},
	}
	for _, tc := range bad {
		err := tc.s.Validate()
		fields := apperr.FieldsOf(err)
		if !apperr.Is(err, apperr.Invalid) || len(fields) != 1 || fields[0].Field != tc.field {
			t.Errorf("Validate(%+v) = %v, %+v; want field %s", tc.s, err, fields, tc.field)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	c := published(t)
	from, closure := at(t, "2026-02-13 14:00"), date(t, "2026-03-11")
	want := c.AddWorkingDays(from, 20)
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			ok := true
			for i := 0; i < 200; i++ {
				ok = ok && c.AddWorkingDays(from, 20).Equal(want)
				c.WorkingDaysBetween(from, from.Add(time.Duration(i)*24*time.Hour))
				_ = c.WithClosures([]calendar.Override{{Date: closure}})
			}
			done <- ok
		}()
	}
	for g := 0; g < 8; g++ {
		if !<-done {
			t.Error("a concurrent AddWorkingDays gave another answer")
		}
	}
}

func BenchmarkAddWorkingDays(b *testing.B) {
	c := published(b)
	from := at(b, "2026-02-13 14:00")
	for b.Loop() {
		c.AddWorkingDays(from, 20)
	}
}

func BenchmarkWorkingDaysBetween(b *testing.B) {
	c := published(b)
	from, to := at(b, "2020-02-13 14:00"), at(b, "2027-06-01 10:00")
	for b.Loop() {
		c.WorkingDaysBetween(from, to)
	}
}

func TestTimeOfDay(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want calendar.TimeOfDay
	}{{"15:00", calendar.Clock(15, 0)}, {"09:30", calendar.Clock(9, 30)}, {"9:30", calendar.Clock(9, 30)}, {"00:00", calendar.Clock(0, 0)}, {"23:59", calendar.Clock(23, 59)}} {
		got, err := calendar.ParseTimeOfDay(tc.in)
		if err != nil || got != tc.want || !got.Valid() {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "24:00", "12:60", "12", "noon", "12:00:00", "-1:00"} {
		if _, err := calendar.ParseTimeOfDay(bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("ParseTimeOfDay(%q) = %v; want invalid", bad, err)
		}
	}
	if calendar.Clock(24, 0).Valid() || calendar.Clock(12, -1).Valid() {
		t.Error("an hour 24 or a negative minute is valid")
	}
	if !calendar.Clock(11, 59).Before(calendar.Clock(12, 0)) || calendar.Clock(12, 0).Before(calendar.Clock(12, 0)) {
		t.Error("Before")
	}
	var x struct {
		T calendar.TimeOfDay `json:"t"`
	}
	if err := json.Unmarshal([]byte(`{"t":"10:05"}`), &x); err != nil || x.T != calendar.Clock(10, 5) {
		t.Fatalf("unmarshal: %v %v", x.T, err)
	}
	if b, _ := json.Marshal(x); string(b) != `{"t":"10:05"}` {
		t.Errorf("marshal: %s", b)
	}
	if got, want := calendar.Clock(15, 30).On(date(t, "2026-03-06")), at(t, "2026-03-06 15:30"); !got.Equal(want) {
		t.Errorf("On = %s", show(got))
	}
}
