package service

import (
	"context"
	"net/url"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/supervision"
)

// The per-hall figures (各大厅, issue 15 item 6): for every hall of the
// district — the district hall, the street centres, the community
// stations, in the order of the hall tree — the intake, the on-time rate
// of the steps of the cases taken in there, the transit time of their
// paper to the district hall, the results collected there and the
// satisfaction of the ratings given there. Each number carries the
// drill-down listing what it counts. Read from the rollups only, so a
// year of every hall costs a few small queries.

// HallFigures is one hall's row.
type HallFigures struct {
	Hall  string        `json:"hall"`
	Name  string        `json:"name"`
	Level org.HallLevel `json:"level,omitempty"`
	// LevelLabel names the level for people: 区级大厅, 街道, 社区.
	LevelLabel string `json:"level_label,omitempty"`
	Parent     string `json:"parent,omitempty" doc:"上级大厅编码"`
	Depth      int    `json:"depth" doc:"在大厅树中的层级：区 0，街道 1，社区 2"`

	Intake      int64  `json:"intake" doc:"期间内收件数（按收件日）"`
	IntakeCases string `json:"intake_cases"`

	supervision.Punctuality
	OnTimeRate Rate   `json:"on_time_rate" doc:"本大厅收件办件各限时环节的按时率：按时 ÷（按时 + 超时 + 超期未办）"`
	StepCases  string `json:"step_cases"`

	Transit TransitFigure `json:"transit"`

	Pickups     int64  `json:"pickups" doc:"在本大厅领取的结果数（按领取日；邮寄的不计）"`
	PickupCases string `json:"pickup_cases"`

	Ratings      int64  `json:"ratings" doc:"在本大厅作出的评价数（申诉成立的不计）"`
	Bad          int64  `json:"bad"`
	Satisfaction Rate   `json:"satisfaction" doc:"群众满意率：非差评 ÷ 评价数"`
	RatingCases  string `json:"rating_cases,omitempty" doc:"评价台账（大厅负责人不能查看台账时为空）"`
}

// TransitFigure is the transit of a hall's paper to the district hall:
// the trips that arrived in the period (by arrival day) and the working
// hours the transit held them.
type TransitFigure struct {
	Trips   int64 `json:"trips" doc:"期间内送达区政务服务中心的交接次数（按签收日）"`
	Minutes int64 `json:"minutes" doc:"这些交接在途的工作分钟数合计"`
	// Mean is the mean working minutes of a trip; nil without trips.
	Mean      *float64 `json:"mean_minutes" doc:"平均在途工作分钟数"`
	MeanHours string   `json:"mean_hours,omitempty"`
	// P90 is the 90th percentile, rounded up to the whole working hour.
	P90   *int64 `json:"p90_hours" doc:"90% 的交接在途不超过的工作小时数（取整到小时）"`
	Cases string `json:"cases"`
}

// hallFigureMetrics are the rollup metrics the per-hall figures read
// besides the transit buckets.
func hallFigureMetrics() []supervision.Metric {
	return append(stepMetrics(), supervision.MetricIntake, supervision.MetricTransit, supervision.MetricTransitMinutes,
		supervision.MetricRating, supervision.MetricRatingBad)
}

// Halls returns the per-hall figures of the period: every hall in the
// order of the hall tree, a hall manager's own hall only; a department
// admin's are their department's cases and ratings at each hall.
func (v *Supervision) Halls(ctx context.Context, p Period) ([]HallFigures, error) {
	p.Group, p.Key = supervision.ByHall, ""
	a, err := v.scope(ctx, &p)
	if err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	now := v.clock.Now()
	sums, err := v.store.Sums(ctx, p.query(), hallFigureMetrics(), supervision.TransitHoursPrefix)
	if err != nil {
		return nil, err
	}
	over, err := v.store.Overdue(ctx, p.query(), now)
	if err != nil {
		return nil, err
	}
	pickups, err := v.store.PickupSums(ctx, p.From, p.To, p.Department)
	if err != nil {
		return nil, err
	}
	halls, err := v.store.Halls(ctx)
	if err != nil {
		return nil, err
	}
	ledger := !a.Is(org.RoleHallManager) // who may read the rating ledger
	var out []HallFigures
	for _, h := range hallTree(halls) {
		if p.Hall != "" && h.hall.Code != p.Hall {
			continue
		}
		row := p.hallRow(h, sums[h.hall.Code], over[h.hall.Code], pickups[h.hall.Code])
		if ledger {
			q := url.Values{"from": {p.From}, "to": {p.To}, "hall": {h.hall.Code}}
			if p.Department != "" {
				q.Set("department", p.Department)
			}
			row.RatingCases = "/api/v1/ledgers/ratings?" + q.Encode()
		}
		out = append(out, row)
	}
	return out, nil
}

// hallRow computes one hall's figures from its rollup sums.
func (p Period) hallRow(h treeHall, sums map[supervision.Metric]int64, over map[supervision.Kind]int64, pickups int64) HallFigures {
	code := h.hall.Code
	row := HallFigures{Hall: code, Name: h.hall.Name, Level: h.hall.Level, LevelLabel: hallLevelLabel(h.hall.Level), Parent: h.hall.ParentCode, Depth: h.depth,
		Intake: sums[supervision.MetricIntake], IntakeCases: p.drill("intakes", code),
		StepCases: p.drill("steps", code), Pickups: pickups, PickupCases: p.drill("moves", code, "kind", string(supervision.MovePickup))}
	for _, k := range supervision.Kinds {
		row.OnTime += sums[supervision.StepMetric(k, false)]
		row.Late += sums[supervision.StepMetric(k, true)]
		row.Overdue += over[k]
	}
	row.OnTimeRate = rateOf(row.OnTime, row.Counted())
	row.Ratings, row.Bad = sums[supervision.MetricRating], sums[supervision.MetricRatingBad]
	row.Satisfaction = rateOf(row.Ratings-row.Bad, row.Ratings)
	t := TransitFigure{Trips: sums[supervision.MetricTransit], Minutes: sums[supervision.MetricTransitMinutes],
		Cases: p.drill("moves", code, "kind", string(supervision.MoveTransit))}
	if t.Trips > 0 {
		mean := float64(t.Minutes) / float64(t.Trips)
		t.Mean, t.MeanHours = &mean, supervision.HoursText(int64(mean+0.5))
		buckets := map[int64]int64{}
		for m, n := range sums {
			if h, ok := m.TransitHours(); ok {
				buckets[h] += n
			}
		}
		if h, ok := supervision.Percentile(buckets, 0.9); ok {
			t.P90 = &h
		}
	}
	row.Transit = t
	return row
}

// hallLevelLabel names a hall's level in the per-hall figures.
func hallLevelLabel(l org.HallLevel) string {
	switch l {
	case org.District:
		return "区政务服务中心"
	case org.Street:
		return "街道为民服务中心"
	case org.Community:
		return "社区便民服务站"
	}
	return ""
}

// treeHall is a hall in the hall tree's order, with its depth.
type treeHall struct {
	hall  org.Hall
	depth int
}

// hallTree orders halls as the tree reads: each hall followed by the halls
// under it (the district hall, a street centre and its communities, the
// next street …); a hall whose parent is unknown starts a tree of its own.
func hallTree(halls []org.Hall) []treeHall {
	known := map[string]bool{}
	children := map[string][]org.Hall{}
	for _, h := range halls {
		known[h.Code] = true
	}
	var roots []org.Hall
	for _, h := range halls { // halls come by level, then code
		if h.ParentCode == "" || !known[h.ParentCode] {
			roots = append(roots, h)
			continue
		}
		children[h.ParentCode] = append(children[h.ParentCode], h)
	}
	var out []treeHall
	var walk func(h org.Hall, depth int)
	walk = func(h org.Hall, depth int) {
		out = append(out, treeHall{h, depth})
		for _, c := range children[h.Code] {
			walk(c, depth+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	return out
}

// MoveList is the drill-down of a transit or pickup figure.
type MoveList struct {
	Total int              `json:"total"`
	Moves []store.MoveCase `json:"moves"`
}

// HallMoves lists what a hall's transit or pickup figure counts: the trips
// of the paper taken in at the hall that arrived at the district hall in
// the period, longest first, or the results collected at the hall. p's
// grouping is the hall, key its code.
func (v *Supervision) HallMoves(ctx context.Context, p Period, key string, kind supervision.MoveKind, limit, offset int) (*MoveList, error) {
	p.Group = supervision.ByHall
	if _, err := v.scope(ctx, &p); err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	if err := p.hallKey(key); err != nil {
		return nil, err
	}
	if !kind.Valid() {
		return nil, apperr.Field("kind", "明细类型须为 transit（交接在途）或 pickup（领取）")
	}
	if key == "" {
		return nil, apperr.Field("key", "请指明大厅")
	}
	moves, total, err := v.store.Moves(ctx, store.MoveFilter{Kind: kind, Hall: key, From: p.From, To: p.To, Department: p.Department,
		Limit: limit, Offset: offset})
	if err != nil {
		return nil, err
	}
	return &MoveList{Total: total, Moves: moves}, nil
}
