package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
)

// refresh drops the cached calendar or items when the database's counters
// show an edit since they were read (by this node or another), and returns
// the district calendar.
func (s *base) refresh(ctx context.Context) (*calendar.Calendar, error) {
	v, err := s.store.CacheVersions(ctx)
	if err != nil {
		return nil, err
	}
	calV, catV := v.Calendar, v.Catalog
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if s.items == nil || s.catalogVersion != catV {
		s.items, s.catalogVersion = map[string]*catalog.Item{}, catV
	}
	if s.hallsVersion != v.Halls {
		s.halls, s.hallsVersion = nil, v.Halls
	}
	if s.policyVersion != v.Policy {
		s.policy, s.policyVersion = nil, v.Policy
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

// cachedHalls returns every hall (the district hall first, as Halls), from
// the cache while the halls counter has not moved since they were read.
// Callers call refresh first, in the same use case, as for currentItem:
// then a hall added on any node before it is seen. The slice is shared:
// callers only read it.
func (s *base) cachedHalls(ctx context.Context) ([]org.Hall, error) {
	s.cacheMu.Lock()
	halls, v := s.halls, s.hallsVersion
	s.cacheMu.Unlock()
	if halls != nil {
		return halls, nil
	}
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return nil, err
	}
	if halls == nil {
		halls = []org.Hall{} // none is an answer too
	}
	s.cacheMu.Lock()
	if s.hallsVersion == v { // read after the counter said v: as new as v or newer
		s.halls = halls
	}
	s.cacheMu.Unlock()
	return halls, nil
}

// cachedPolicy returns the deadline policy in force, from the cache while
// the policy counter has not moved since it was read. Callers call
// refresh first, in the same use case.
func (s *base) cachedPolicy(ctx context.Context) (casework.Policy, error) {
	s.cacheMu.Lock()
	p, v := s.policy, s.policyVersion
	s.cacheMu.Unlock()
	if p != nil {
		return *p, nil
	}
	published, err := s.store.DeadlinePolicy(ctx)
	if err != nil {
		return casework.Policy{}, err
	}
	policy := published.Policy
	s.cacheMu.Lock()
	if s.policyVersion == v {
		s.policy = &policy
	}
	s.cacheMu.Unlock()
	return policy, nil
}
