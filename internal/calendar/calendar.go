// Package calendar answers working-day questions: which dates are working
// days in Asia/Shanghai (Monday to Friday, less the State Council's statutory
// holidays, plus the weekend days it declares working days, plus a hall's own
// closures), and when a deadline of so many working days ends.
//
// It is pure: the overrides come from the caller (the calendar table), and
// Published supplies the State Council's published years for seeding it.
package calendar

import (
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Override marks one date as a working day or a day off, overriding the
// Monday–Friday default.
type Override struct {
	Date    Date   `json:"date"`
	Working bool   `json:"working"`
	Name    string `json:"name"` // e.g. "春节", "春节调休上班", "大厅设备检修"
}

// Settings are the calendar's own settings: when a working day closes and
// when a deadline turns yellow. The limits and cut-offs of each step are
// the deadline policy's (casework.Policy), which the bureau admin versions.
type Settings struct {
	CloseHour, CloseMinute int // a deadline ends at the close of its day (default 17:00)
	YellowDays             int // yellow warning with this many working days or fewer left (default 1)
}

// DefaultSettings returns the settings of the district's reform plan.
func DefaultSettings() Settings {
	return Settings{
		CloseHour:   17,
		CloseMinute: 0,
		YellowDays:  1,
	}
}

// Close returns the closing time of a working day.
func (s Settings) Close() TimeOfDay { return Clock(s.CloseHour, s.CloseMinute) }

// Validate checks that the closing time exists and the warning distance is
// sensible.
func (s Settings) Validate() error {
	var c apperr.Collector
	c.Check(s.CloseHour >= 1 && s.CloseHour <= 23, "close_hour", "下班时间的小时须在 1 到 23 之间")
	c.Check(s.CloseMinute >= 0 && s.CloseMinute <= 59, "close_minute", "下班时间的分钟须在 0 到 59 之间")
	c.Check(s.YellowDays >= 0 && s.YellowDays <= 60, "yellow_days", "黄色预警天数须在 0 到 60 个工作日之间")
	return c.Err("工作日设置有误")
}

// Calendar answers working-day questions. It is immutable and safe for
// concurrent use.
type Calendar struct {
	settings  Settings
	overrides map[Date]Override
	// changes lists, by day number, the overrides that change the
	// Monday–Friday default (+1 a working weekend day, -1 a weekday off);
	// prefix[i] sums the first i, so counting working days over any range
	// is two binary searches.
	changes []change
	prefix  []int
}

type change struct {
	day   int
	delta int
}

// New returns the calendar of the overrides; a later entry for the same date
// wins. The zero Settings stands for DefaultSettings.
func New(overrides []Override, s Settings) *Calendar {
	if s == (Settings{}) {
		s = DefaultSettings()
	}
	byDate := make(map[Date]Override, len(overrides))
	for _, o := range overrides {
		o.Date = o.Date.AddDays(0) // a normalised key: 2026-02-30 is 2026-03-02
		byDate[o.Date] = o
	}
	return build(byDate, s)
}

// WithClosures returns the calendar with a hall's own closures on top. An
// entry with Working=false closes its date; one with Working=true opens it.
// The receiver is not changed.
func (c *Calendar) WithClosures(closures []Override) *Calendar {
	byDate := make(map[Date]Override, len(c.overrides)+len(closures))
	for d, o := range c.overrides {
		byDate[d] = o
	}
	for _, o := range closures {
		o.Date = o.Date.AddDays(0)
		byDate[o.Date] = o
	}
	return build(byDate, c.settings)
}

func build(byDate map[Date]Override, s Settings) *Calendar {
	c := &Calendar{settings: s, overrides: byDate}
	for d, o := range byDate {
		weekday := isWeekday(d.Weekday())
		switch {
		case o.Working && !weekday:
			c.changes = append(c.changes, change{day: d.dayNumber(), delta: 1})
		case !o.Working && weekday:
			c.changes = append(c.changes, change{day: d.dayNumber(), delta: -1})
		}
	}
	slices.SortFunc(c.changes, func(a, b change) int { return a.day - b.day })
	c.prefix = make([]int, len(c.changes)+1)
	for i, ch := range c.changes {
		c.prefix[i+1] = c.prefix[i] + ch.delta
	}
	return c
}

// Settings returns the times of day the calendar uses.
func (c *Calendar) Settings() Settings { return c.settings }

// IsWorkingDay reports whether d is a working day.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if o, ok := c.overrides[d]; ok {
		return o.Working
	}
	return isWeekday(d.Weekday())
}

// DayName returns the name of the override on d, or "" if there is none.
func (c *Calendar) DayName(d Date) string { return c.overrides[d].Name }

// NextWorkingDay returns the first working day strictly after d.
func (c *Calendar) NextWorkingDay(d Date) Date {
	// Overrides are finite, so beyond the last of them a Monday comes within
	// a week: the loop always ends.
	for {
		d = d.AddDays(1)
		if c.IsWorkingDay(d) {
			return d
		}
	}
}

// DayInfo describes one date of a year.
type DayInfo struct {
	Date    Date   `json:"date"`
	Working bool   `json:"working"`
	Weekend bool   `json:"weekend"`
	Name    string `json:"name,omitempty"`
}

// Year returns every date of year y in order, with whether it is a working
// day, whether it falls on a Saturday or Sunday, and the override's name.
func (c *Calendar) Year(y int) []DayInfo {
	n := Date{Year: y, Month: time.January, Day: 1}.dayNumber()
	end := Date{Year: y + 1, Month: time.January, Day: 1}.dayNumber()
	days := make([]DayInfo, 0, end-n)
	for ; n < end; n++ {
		d := dateOfDayNumber(n)
		days = append(days, DayInfo{
			Date:    d,
			Working: c.IsWorkingDay(d),
			Weekend: !isWeekday(d.Weekday()),
			Name:    c.DayName(d),
		})
	}
	return days
}

func isWeekday(w time.Weekday) bool { return w != time.Saturday && w != time.Sunday }
