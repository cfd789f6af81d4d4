package service_test

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestQueueFigures drives a hand-built morning through the service:
//
//	09:00 A001, 09:05 A002, 09:10 B001 issued
//	A01 calls A001 at 09:10 (waited 10), serves 09:10–09:20
//	A01 calls A002 at 09:20 (waited 15), serves 09:20–09:30
//	B01 calls B001 at 09:30 (waited 20), serves 09:30–09:40
//	10:00 A003 issued, A01 calls it at 10:05 (waited 5), no-show at 10:07
func TestQueueFigures(t *testing.T) {
	day := time.Date(2026, 9, 30, 0, 0, 0, 0, clock.Shanghai)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	clk := clock.At(at(8, 0))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(at(8, 0))
		svc, as := hall(t, st, clk)
		hallCode := demo.DistrictHall
		for _, c := range []*queue.Category{
			{HallCode: hallCode, Code: "A", Name: "企业开办", Prefix: "A", Hours: queue.DefaultHours(), DailyCap: 100},
			{HallCode: hallCode, Code: "B", Name: "不动产登记", Prefix: "B", Hours: queue.DefaultHours(), DailyCap: 100},
		} {
			wantQueueCode(t, "category "+c.Code, svc.CreateCategory(as["admin"], c), "")
		}
		must := func(what string, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		_, err := svc.SetWindowCategories(as["admin"], hallCode, "A01", []string{"A"})
		must("A01 categories", err)
		_, err = svc.SetWindowCategories(as["admin"], hallCode, "B01", []string{"B"})
		must("B01 categories", err)
		_, err = svc.Resume(as["shouli"], hallCode, "A01")
		must("open A01", err)
		_, err = svc.Resume(as["chujian"], hallCode, "B01")
		must("open B01", err)
		take := func(h, m int, cat string) {
			clk.Set(at(h, m))
			_, err := svc.TakeTicket(as["anonymous"], service.TicketRequest{Hall: hallCode, Category: cat})
			must("take "+cat, err)
		}
		serve := func(clerk, window string, h, m int) {
			clk.Set(at(h, m))
			_, err := svc.CallNext(as[clerk], hallCode, window)
			must("call", err)
			_, err = svc.Start(as[clerk], hallCode, window)
			must("start", err)
			clk.Advance(10 * time.Minute)
			_, err = svc.FinishVisit(as[clerk], hallCode, window)
			must("finish", err)
		}
		take(9, 0, "A")
		take(9, 5, "A")
		take(9, 10, "B")
		serve("shouli", "A01", 9, 10)
		serve("shouli", "A01", 9, 20)
		serve("chujian", "B01", 9, 30)
		take(10, 0, "A")
		clk.Set(at(10, 5))
		_, err = svc.CallNext(as["shouli"], hallCode, "A01")
		must("call A003", err)
		clk.Set(at(10, 7))
		_, err = svc.NoShow(as["shouli"], hallCode, "A01", queue.ReasonAbsent)
		must("no-show", err)
		clk.Set(at(16, 0))

		f, err := svc.QueueFigures(as["jiandu"], hallCode, calendar.Date{}, calendar.Date{})
		must("figures", err)
		want := func(what string, got service.FigureRow, issued, served, noShows int, waitAvg, waitP90, svcAvg, svcP90 float64) {
			t.Helper()
			if got.Issued != issued || got.Served != served || got.NoShows != noShows ||
				got.WaitAvg != waitAvg || got.WaitP90 != waitP90 || got.ServiceAvg != svcAvg || got.ServiceP90 != svcP90 {
				t.Errorf("%s: got issued %d served %d no-shows %d wait %.3f/%.3f service %.3f/%.3f; want %d %d %d %.3f/%.3f %.3f/%.3f",
					what, got.Issued, got.Served, got.NoShows, got.WaitAvg, got.WaitP90, got.ServiceAvg, got.ServiceP90,
					issued, served, noShows, waitAvg, waitP90, svcAvg, svcP90)
			}
		}
		want("total", f.Total, 4, 3, 1, 12.5, 20, 10, 10)
		if len(f.ByWindow) != 2 || f.ByWindow[0].Key != "A01" || f.ByWindow[1].Key != "B01" {
			t.Fatalf("windows %+v", f.ByWindow)
		}
		want("A01", f.ByWindow[0], 0, 2, 1, 10, 15, 10, 10)
		want("B01", f.ByWindow[1], 0, 1, 0, 20, 20, 10, 10)
		if len(f.ByCategory) != 2 || f.ByCategory[0].Key != "A" || f.ByCategory[0].Label != "企业开办" {
			t.Fatalf("categories %+v", f.ByCategory)
		}
		want("category A", f.ByCategory[0], 3, 2, 1, 10, 15, 10, 10)
		want("category B", f.ByCategory[1], 1, 1, 0, 20, 20, 10, 10)
		if len(f.ByHour) != 2 || f.ByHour[0].Key != "09" || f.ByHour[1].Key != "10" || f.ByHour[0].Label != "09:00–10:00" {
			t.Fatalf("hours %+v", f.ByHour)
		}
		want("09h", f.ByHour[0], 3, 3, 0, 15, 20, 10, 10)
		want("10h", f.ByHour[1], 1, 0, 1, 5, 5, 0, 0)

		// Another period holds nothing; the hall's clerks may look, others not.
		next := calendar.DateOf(day).AddDays(1)
		empty, err := svc.QueueFigures(as["shouli"], hallCode, next, next)
		must("next day", err)
		want("next day", empty.Total, 0, 0, 0, 0, 0, 0, 0)
		for _, tc := range []struct {
			as   string
			want apperr.Code
		}{{"admin", ""}, {"chujian", ""}, {"shouli2", apperr.Forbidden}, {"shenpi", apperr.Forbidden}, {"anonymous", apperr.Unauthorized}} {
			_, err := svc.QueueFigures(as[tc.as], hallCode, calendar.Date{}, calendar.Date{})
			wantQueueCode(t, "figures as "+tc.as, err, tc.want)
		}
		d := calendar.DateOf(day)
		_, err = svc.QueueFigures(as["jiandu"], hallCode, d, d.AddDays(-1))
		wantQueueCode(t, "to before from", err, apperr.Invalid)
		_, err = svc.QueueFigures(as["jiandu"], hallCode, d, d.AddDays(service.QueueFigureMaxDays))
		wantQueueCode(t, "too long", err, apperr.Invalid)
		_, err = svc.QueueFigures(as["jiandu"], "NOPE", d, d)
		wantQueueCode(t, "unknown hall", err, apperr.Invalid)
	})
}
