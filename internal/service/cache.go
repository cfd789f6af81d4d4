package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
)

// refresh drops the cached calendar or items when the database's counters
// show an edit since they were read (by this node or another), and returns
// the district calendar.
func (s *base) refresh(ctx context.Context) (*calendar.Calendar, error) {
	calV, catV, err := s.store.CacheVersions(ctx)
	if err != nil {
		return nil, err
	}
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if s.items == nil || s.catalogVersion != catV {
		s.items, s.catalogVersion = map[string]*catalog.Item{}, catV
	}
	if s.cal != nil && s.calVersion == calV {
		return s.cal, nil
	}
	days, err := s.store.CalendarDays(ctx)
	if err != nil {
		return nil, err
	}
	s.cal, s.calVersion = calendar.New(days, s.cfg.Calendar), calV
	return s.cal, nil
}

// districtCalendar returns the district calendar, read again only after an
// edit.
func (s *base) districtCalendar(ctx context.Context) (*calendar.Calendar, error) {
	return s.refresh(ctx)
}

// currentItem returns the current version of an item, from the cache when
// no catalog edit happened since it was read. Callers call refresh first.
func (s *base) currentItem(ctx context.Context, code string) (*catalog.Item, error) {
	s.cacheMu.Lock()
	it, ok := s.items[code]
	s.cacheMu.Unlock()
	if ok {
		return it, nil
	}
	it, err := s.store.Item(ctx, code)
	if err != nil {
		return nil, err
	}
	s.cacheMu.Lock()
	s.items[code] = it
	s.cacheMu.Unlock()
	return it, nil
}

// cachedCalendar returns the district calendar as last read, reading it
// only if none was: the supervision rollups fold with it inside a case
// change, whose use case refreshed it just before.
func (s *Service) cachedCalendar(ctx context.Context) (*calendar.Calendar, error) {
	s.cacheMu.Lock()
	cal := s.cal
	s.cacheMu.Unlock()
	if cal != nil {
		return cal, nil
	}
	return s.refresh(ctx)
}
