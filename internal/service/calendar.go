package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// Years the calendar may be asked about or edited.
const (
	minYear = 2000
	maxYear = 2100
)

// Calendar returns the working-day calendar, with a hall's own days on top
// when hallCode is not empty. It is read from the database each time, so
// an edit on one node counts on every node at once.
func (s *base) Calendar(ctx context.Context, hallCode string) (*calendar.Calendar, error) {
	cal, err := s.districtCalendar(ctx)
	if err != nil {
		return nil, err
	}
	if hallCode == "" {
		return cal, nil
	}
	if err := s.knownHall(ctx, hallCode); err != nil {
		return nil, err
	}
	own, err := s.store.HallDays(ctx, hallCode)
	if err != nil {
		return nil, err
	}
	return cal.WithClosures(own), nil
}

func (s *base) knownHall(ctx context.Context, code string) error {
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return err
	}
	for _, h := range halls {
		if h.Code == code {
			return nil
		}
	}
	return apperr.Field("hall", "未知的大厅："+code)
}

// CalendarYear returns every day of a year with whether it is a working day.
func (s *Admin) CalendarYear(ctx context.Context, year int, hallCode string) ([]calendar.DayInfo, error) {
	if year < minYear || year > maxYear {
		return nil, apperr.Field("year", "年份须在 2000 至 2100 之间")
	}
	cal, err := s.Calendar(ctx, hallCode)
	if err != nil {
		return nil, err
	}
	return cal.Year(year), nil
}

// DayChange sets one date's override, or with Reset returns it to the
// Monday–Friday rule.
type DayChange = store.DayChange

// ChangeDays applies edits to the district calendar (hallCode "") or to a
// hall's own days: all of them, or none when any is wrong. Only bureau
// admins and the system edit the calendar.
func (s *Admin) ChangeDays(ctx context.Context, hallCode string, changes []DayChange) error {
	a, err := require(ctx, "修改工作日历", org.RoleAdmin)
	if err != nil {
		return err
	}
	if len(changes) == 0 {
		return apperr.Field("days", "没有要修改的日期")
	}
	var c apperr.Collector
	for i := range changes {
		ch := &changes[i]
		ch.Name = strings.TrimSpace(ch.Name)
		field := "days[" + ch.Date.String() + "]"
		c.Check(!ch.Date.IsZero() && ch.Date.Year >= minYear && ch.Date.Year <= maxYear, field+".date", "日期须在 2000 至 2100 年之间")
		if !ch.Reset {
			c.Check(ch.Name != "" && utf8.RuneCountInString(ch.Name) <= 50, field+".name", "须写明原因（如“春节”“春节调休上班”“设备检修”），不超过 50 个字")
		}
	}
	if err := c.Err("日历修改有误，未做任何修改"); err != nil {
		return err
	}
	if hallCode != "" {
		if err := s.knownHall(ctx, hallCode); err != nil {
			return err
		}
	}
	if err := s.store.ChangeDays(ctx, hallCode, changes, a.Name()); err != nil {
		return err
	}
	s.log.Info("calendar changed", "hall", hallCode, "days", len(changes), "by", a.Name())
	return nil
}
