package service

import (
	"context"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
)

// hallNames returns the halls' names by code, for a refusal at the wrong
// hall (casework.HallRefusal); nil, and the codes stay, if they cannot be
// read.
func (s *base) hallNames(ctx context.Context) func(code string) string {
	halls, err := s.store.Halls(ctx)
	if err != nil {
		s.log.Warn("hall names for a refusal", "err", err, "request_id", RequestFrom(ctx).ID)
		return nil
	}
	names := make(map[string]string, len(halls))
	for _, h := range halls {
		names[h.Code] = h.Name
	}
	return func(code string) string { return names[code] }
}

// onlinePickupHall returns the hall where the result of an online
// application for item is collected, until the applicant can choose one
// (issue 15): a fully online case never comes to a hall's intake desk, so
// the district hall issues its result; any other online case collects at
// the hall that takes its paper in (complete-intake), "" until then.
func (s *base) onlinePickupHall(ctx context.Context, item *catalog.Item) (string, error) {
	if item.OnlineLevel != catalog.OnlineFull {
		return "", nil
	}
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return "", err
	}
	for _, h := range halls {
		if h.Level == org.District {
			return h.Code, nil
		}
	}
	return "", nil // no hall yet: no issuance desk may act (casework.HallRule)
}

// checkPickupHall refuses a chosen pickup hall that is not a hall of the
// district.
func (s *base) checkPickupHall(ctx context.Context, in *casework.Intake) error {
	if in.PickupHall == "" {
		return nil
	}
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return err
	}
	for _, h := range halls {
		if h.Code == in.PickupHall {
			return nil
		}
	}
	return apperr.Field("pickup_hall", "未知的领取大厅："+in.PickupHall)
}
