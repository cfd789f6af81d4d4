package service

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/store"
)

// The queue's figures (issue 5 item 6): waiting time, service time,
// tickets issued, served and not shown, per window, category and hour, for
// a hall and a period. They are computed here from the tickets' records,
// not in SQL, so that both databases give the same minutes.
//
// The rules of attribution:
//   - a ticket counts in the period of the day it was issued, in its
//     (final) category, and in the hour of the day it was issued (Beijing
//     time), for every measure;
//   - waiting time is issue → first call, counted at the window that
//     called first;
//   - service time is each start → the finish that follows it, counted at
//     the window that finished; a ticket with a finish is served there;
//   - each no-show event counts once, at the window that marked it;
//   - a window has no "issued" figure: tickets are issued to categories.
//
// p90 is the nearest-rank 90th percentile: the smallest duration that at
// least 90 % of the durations do not exceed.

// QueueFigureMaxDays bounds a period, so one request cannot read years.
const QueueFigureMaxDays = 366

// FigureRow is one line of the figures: a window, a category, an hour, or
// the whole hall. Minutes are exact (not rounded).
type FigureRow struct {
	Key                    string // window number, category code, hour "09"; "" for the total
	Label                  string
	Issued                 int
	Called                 int // tickets whose waiting time is known
	Served                 int
	NoShows                int
	WaitAvg, WaitP90       float64 // minutes
	ServiceAvg, ServiceP90 float64 // minutes
	waits, services        []time.Duration
}

// QueueFigures is a hall's figures for a period.
type QueueFigures struct {
	Hall       string
	From, To   calendar.Date
	Total      FigureRow
	ByWindow   []FigureRow // by window number
	ByCategory []FigureRow // by category code
	ByHour     []FigureRow // by hour of issue
}

// mayReadQueueFigures allows the roles whose menu holds the queue figures
// (org.WorkQueueFigures): supervisors and admins at any hall, the hall's
// own intake and issuance clerks at theirs.
func mayReadQueueFigures(ctx context.Context, hall string) error {
	a, err := requireIn(ctx, org.WorkQueueFigures, "查看排队统计")
	if err != nil {
		return err
	}
	if a.Is(org.RoleIntake, org.RoleIssuance) && a.User.HallCode != hall {
		return apperr.New(apperr.Forbidden, "只能查看本大厅的排队统计")
	}
	return nil
}

// QueueFigures computes a hall's queue figures for the tickets issued
// from day from to day to (both included; a zero from or to means today).
func (s *Hall) QueueFigures(ctx context.Context, hall string, from, to calendar.Date) (*QueueFigures, error) {
	if err := mayReadQueueFigures(ctx, hall); err != nil {
		return nil, err
	}
	if err := s.knownHall(ctx, hall); err != nil {
		return nil, err
	}
	today := calendar.DateOf(s.clock.Now())
	if from.IsZero() {
		from = today
	}
	if to.IsZero() {
		to = today
	}
	if to.Before(from) {
		return nil, apperr.Field("to", "截止日期不能早于起始日期")
	}
	if from.AddDays(QueueFigureMaxDays - 1).Before(to) {
		return nil, apperr.Field("to", fmt.Sprintf("统计期间至多 %d 天", QueueFigureMaxDays))
	}
	recs, err := s.store.TicketRecords(ctx, hall, from, to)
	if err != nil {
		return nil, err
	}
	cats, err := s.store.Categories(ctx, hall)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, c := range cats {
		names[c.Code] = c.Name
	}
	wins, err := s.store.Windows(ctx, hall)
	if err != nil {
		return nil, err
	}
	winNames := map[string]string{}
	for _, w := range wins {
		winNames[w.Number] = w.Name
	}
	f := figuresOf(recs)
	f.Hall, f.From, f.To = hall, from, to
	for i := range f.ByCategory {
		f.ByCategory[i].Label = names[f.ByCategory[i].Key]
	}
	for i := range f.ByWindow {
		f.ByWindow[i].Label = winNames[f.ByWindow[i].Key]
	}
	return f, nil
}

// figuresOf applies the rules of attribution to the records.
func figuresOf(recs []store.TicketRecord) *QueueFigures {
	total := &FigureRow{Label: "合计"}
	byWin, byCat, byHour := map[string]*FigureRow{}, map[string]*FigureRow{}, map[string]*FigureRow{}
	row := func(m map[string]*FigureRow, key string) *FigureRow {
		r, ok := m[key]
		if !ok {
			r = &FigureRow{Key: key}
			m[key] = r
		}
		return r
	}
	for _, rec := range recs {
		t := rec.Ticket
		hour := fmt.Sprintf("%02d", t.IssuedAt.In(clock.Shanghai).Hour())
		shared := []*FigureRow{total, row(byCat, t.Category), row(byHour, hour)}
		for _, r := range shared {
			r.Issued++
		}
		called := false
		var started time.Time
		for _, e := range rec.Events {
			switch e.Type {
			case queue.ActCall:
				if !called {
					called = true
					wait := e.At.Sub(t.IssuedAt)
					for _, r := range append(shared, row(byWin, e.Window)) {
						r.Called++
						r.waits = append(r.waits, wait)
					}
				}
			case queue.ActStart:
				started = e.At
			case queue.ActFinish:
				if !started.IsZero() {
					for _, r := range append(shared, row(byWin, e.Window)) {
						r.services = append(r.services, e.At.Sub(started))
					}
					started = time.Time{}
				}
				for _, r := range append(shared, row(byWin, e.Window)) {
					r.Served++
				}
			case queue.ActNoShow:
				for _, r := range append(shared, row(byWin, e.Window)) {
					r.NoShows++
				}
			case queue.ActTransfer:
				started = time.Time{} // service at that window ended without a finish
			}
		}
	}
	f := &QueueFigures{Total: *total.done()}
	for _, m := range []struct {
		from map[string]*FigureRow
		to   *[]FigureRow
	}{{byWin, &f.ByWindow}, {byCat, &f.ByCategory}, {byHour, &f.ByHour}} {
		keys := make([]string, 0, len(m.from))
		for k := range m.from {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		*m.to = []FigureRow{}
		for _, k := range keys {
			*m.to = append(*m.to, *m.from[k].done())
		}
	}
	for i := range f.ByHour {
		var h int
		fmt.Sscanf(f.ByHour[i].Key, "%d", &h)
		f.ByHour[i].Label = fmt.Sprintf("%02d:00–%02d:00", h, h+1)
	}
	return f
}

// done computes the row's averages and p90s from its durations.
func (r *FigureRow) done() *FigureRow {
	r.WaitAvg, r.WaitP90 = avgP90(r.waits)
	r.ServiceAvg, r.ServiceP90 = avgP90(r.services)
	r.waits, r.services = nil, nil
	return r
}

// avgP90 returns the mean and the nearest-rank 90th percentile of ds in
// minutes; both 0 when there are none.
func avgP90(ds []time.Duration) (avg, p90 float64) {
	if len(ds) == 0 {
		return 0, 0
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	var sum time.Duration
	for _, d := range sorted {
		sum += d
	}
	rank := int(math.Ceil(0.9 * float64(len(sorted))))
	return sum.Minutes() / float64(len(sorted)), sorted[rank-1].Minutes()
}
