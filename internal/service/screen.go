package service

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/supervision"
)

// HallScreen is a hall's figures of today for its big screen (大屏): counts
// only, nothing about a person, so that the screen is public like the
// display board.
type HallScreen struct {
	Hall       string    `json:"hall"`
	HallName   string    `json:"hall_name"`
	Day        string    `json:"day"`
	At         time.Time `json:"at"`
	Intakes    int64     `json:"intakes" doc:"今日收件"`
	InProgress int       `json:"in_progress" doc:"在办件（已收件、已受理、已决定未出件）"`
	Red        int       `json:"red" doc:"红色预警：在办期限已过"`
	Yellow     int       `json:"yellow" doc:"黄色预警：期限将至（不含红色）"`
	Ratings    int       `json:"ratings" doc:"今日评价数"`
	// Satisfaction is today's satisfied ratings ÷ ratings; nil without ratings.
	Satisfaction Rate `json:"satisfaction"`
	Waiting      int  `json:"waiting" doc:"排队等候人数"`
}

// inProgress are the states a hall is still working on.
var inProgress = []casework.State{casework.Received, casework.Accepted, casework.Decided}

// HallScreen returns a hall's figures of today (public, like the board):
// the cases taken in today, those in progress, red and yellow warnings,
// today's satisfaction and the tickets waiting.
func (s *Hall) HallScreen(ctx context.Context, hall string) (*HallScreen, error) {
	h, err := s.Board(ctx, hall)
	if err != nil {
		return nil, err
	}
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	today := calendar.DateOf(env.Now)
	out := &HallScreen{Hall: h.Code, HallName: h.Name, Day: today.String(), At: env.Now}
	sums, err := s.store.Sums(ctx, store.FigureQuery{From: today.String(), To: today.String(), Group: supervision.ByHall, Key: hall},
		[]supervision.Metric{supervision.MetricIntake}, "")
	if err != nil {
		return nil, err
	}
	out.Intakes = sums[hall][supervision.MetricIntake]
	count := func(f store.CaseFilter) (int, error) {
		f.Hall, f.Page, f.Size = hall, 1, 1
		_, n, err := s.store.Cases(ctx, f)
		return n, err
	}
	if out.InProgress, err = count(store.CaseFilter{States: inProgress}); err != nil {
		return nil, err
	}
	if out.Red, err = count(store.CaseFilter{DueBefore: env.Now}); err != nil {
		return nil, err
	}
	yellowOrRed, err := count(store.CaseFilter{DueBefore: env.Cal.AddWorkingDays(env.Now, env.Cal.Settings().YellowDays)})
	if err != nil {
		return nil, err
	}
	out.Yellow = yellowOrRed - out.Red
	rates, err := s.store.RatingRates(ctx, today.At(0, 0), today.AddDays(1).At(0, 0), rating.ByHall)
	if err != nil {
		return nil, err
	}
	for _, r := range rates {
		if r.Key == hall {
			out.Ratings = r.Total
			if sat, ok := r.Satisfaction(); ok {
				out.Satisfaction = &sat
			}
		}
	}
	waiting, err := s.store.WaitingCounts(ctx, hall, today)
	if err != nil {
		return nil, err
	}
	for _, w := range waiting {
		out.Waiting += w.Waiting
	}
	return out, nil
}
