package service

import (
	"context"
	"slices"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
)

// demoCategory is one kiosk button of the demo hall with the windows that
// call it.
type demoCategory struct {
	queue.Category
	Windows []string
}

// demoCategories are the demo district hall's service categories: each
// covers the demo catalog's items of its kind and is called at the windows
// that take those items in (the issuance desks call result pickup).
func demoCategories() []demoCategory {
	c := func(code, name string, windows []string, items ...string) demoCategory {
		return demoCategory{Category: queue.Category{HallCode: demo.DistrictHall, Code: code, Name: name, Prefix: code,
			Items: items, Hours: queue.DefaultHours(), DailyCap: 300}, Windows: windows}
	}
	return []demoCategory{
		c("A", "企业开办与经营许可", []string{"A01", "A02"},
			"SCJG-XK-001", "SCJG-XK-002", "SCJG-XK-003", "WSJK-XK-001", "WSJK-XK-002", "RSJ-XK-001", "RSJ-XK-002",
			"MZJ-XK-001", "WLJ-XK-001", "CGJ-XK-002"),
		c("B", "不动产登记", []string{"C01"}, "GHZY-QR-001", "GHZY-GG-001"),
		c("C", "社保医保", []string{"C02"}, "RSJ-GG-001", "RSJ-GG-002", "RSJ-GG-003"),
		c("D", "工程建设", []string{"A04"},
			"GHZY-XK-001", "GHZY-XK-002", "ZJJ-XK-001", "ZJJ-XK-002", "SWJ-XK-001", "SWJ-XK-002", "CGJ-XK-001", "CGJ-XK-003"),
		c("E", "综合咨询", []string{"A03"}, "WSJK-GG-001", "MZJ-GF-001"),
		c("F", "办结取件", []string{"B01", "B02"}),
	}
}

// LoadDemoQueue sets up the demo hall's queue: its service categories and
// which windows call which (bureau admins or the system). A hall that
// already has categories is left as it is, so it may run at every start of
// `serve --demo`, after LoadDemo.
func (s *Service) LoadDemoQueue(ctx context.Context) error {
	if _, err := require(ctx, "加载演示取号类别", org.RoleAdmin); err != nil {
		return err
	}
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(halls, func(h org.Hall) bool { return h.Code == demo.DistrictHall }) {
		return nil // not the demo district
	}
	have, err := s.store.Categories(ctx, demo.DistrictHall)
	if err != nil || len(have) > 0 {
		return err
	}
	cats := demoCategories()
	for i := range cats {
		if err := s.CreateCategory(ctx, &cats[i].Category); err != nil {
			// Another node starting with --demo won the race.
			if apperr.Is(err, apperr.Conflict) {
				return nil
			}
			return err
		}
	}
	windows := map[string][]string{}
	for _, c := range cats {
		for _, w := range c.Windows {
			windows[w] = append(windows[w], c.Code)
		}
	}
	for w, codes := range windows {
		if _, err := s.SetWindowCategories(ctx, demo.DistrictHall, w, codes); err != nil {
			return err
		}
	}
	s.log.Info("demo queue categories loaded", "hall", demo.DistrictHall, "categories", len(cats))
	return nil
}
