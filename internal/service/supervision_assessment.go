package service

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/supervision"
)

// AssessmentRow is one department's or window clerk's score.
type AssessmentRow struct {
	Key        string              `json:"key"`
	Label      string              `json:"label"`
	Score      float64             `json:"score"`
	Rank       int                 `json:"rank"`
	Indicators []AssessedIndicator `json:"indicators"`
}

// AssessedIndicator is one indicator's value, points and the cases behind it.
type AssessedIndicator struct {
	supervision.Scored
	Cases string `json:"cases,omitempty"`
}

// Assessment scores each department (group=department) or window clerk
// (group=user) for the period with the admin's weights: 按时办结率 (the
// decision step's rate; for a clerk, the rate of every step they took),
// satisfaction and real-name bad-rating rectification from the ratings,
// efficiency (1 − days used ÷ promised) and coordination (the rate of the
// steps a department owes the desks: R5, R6, R9).
func (v *Supervision) Assessment(ctx context.Context, p Period) ([]AssessmentRow, error) {
	if _, err := v.scope(ctx, &p); err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	if p.Group != supervision.ByDepartment && p.Group != supervision.ByUser {
		return nil, apperr.Field("group", "考核按部门（department）或窗口人员（user）评分")
	}
	return v.assessment(ctx, p)
}

// assessment scores a scoped and checked period grouped by department or
// user.
func (v *Supervision) assessment(ctx context.Context, p Period) ([]AssessmentRow, error) {
	set, err := v.currentSettings(ctx)
	if err != nil {
		return nil, err
	}
	punct, err := v.punctuality(ctx, p)
	if err != nil {
		return nil, err
	}
	eff, err := v.efficiency(ctx, p)
	if err != nil {
		return nil, err
	}
	rates, err := v.ratings(ctx, p)
	if err != nil {
		return nil, err
	}
	values := map[string]map[supervision.Indicator]supervision.Value{}
	val := func(k string) map[supervision.Indicator]supervision.Value {
		if values[k] == nil {
			values[k] = map[supervision.Indicator]supervision.Value{}
		}
		return values[k]
	}
	labels := map[string]string{}
	for _, r := range punct {
		labels[r.Key] = r.Label
		onTime := r.OnTimeCompletion
		if p.Group == supervision.ByUser {
			onTime = r.Rate
		}
		val(r.Key)[supervision.OnTimeIndicator] = value(onTime)
		var co supervision.Punctuality
		for _, f := range r.Steps {
			for _, k := range supervision.CoordinationSteps {
				if f.Step == k {
					co.Add(f.Punctuality)
				}
			}
		}
		if p.Group == supervision.ByDepartment {
			val(r.Key)[supervision.CoordinationIndicator] = value(rateOf(co.OnTime, co.Counted()))
		}
	}
	for _, r := range eff.Rows {
		labels[r.Key] = r.Label
		if r.UsedShare != nil {
			val(r.Key)[supervision.EfficiencyIndicator] = supervision.Value{Value: max(0, 1-*r.UsedShare), OK: true}
		} else {
			val(r.Key)
		}
	}
	for _, r := range rates {
		if sat, ok := r.Satisfaction(); ok {
			val(r.Key)[supervision.SatisfactionIndicator] = supervision.Value{Value: sat, OK: true}
		}
		if rec, ok := r.Rectification(); ok {
			val(r.Key)[supervision.RectificationIndicator] = supervision.Value{Value: rec, OK: true}
		}
	}
	var missing []string
	for k := range values {
		if labels[k] == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		more, err := v.labels(ctx, p.Group, missing)
		if err != nil {
			return nil, err
		}
		for _, k := range missing {
			labels[k] = more[k]
		}
	}
	var out []AssessmentRow
	for _, k := range sortedKeys(values) {
		score, scored := supervision.Score(values[k], set.Weights)
		row := AssessmentRow{Key: k, Label: labels[k], Score: score}
		for _, s := range scored {
			ai := AssessedIndicator{Scored: s}
			switch s.Indicator {
			case supervision.OnTimeIndicator:
				ai.Cases = p.drill("steps", k, "step", "decide")
				if p.Group == supervision.ByUser {
					ai.Cases = p.drill("steps", k)
				}
			case supervision.EfficiencyIndicator:
				ai.Cases = p.drill("steps", k, "decided", "true", "by", "done")
			case supervision.SatisfactionIndicator, supervision.RectificationIndicator:
				ai.Cases = "/api/v1/ratings/rates?from=" + p.From + "&to=" + p.To
			}
			row.Indicators = append(row.Indicators, ai)
		}
		out = append(out, row)
	}
	rank(out)
	return out, nil
}

func value(r Rate) supervision.Value {
	if r == nil {
		return supervision.Value{}
	}
	return supervision.Value{Value: *r, OK: true}
}

func sortedKeys[T any](m map[string]T) []string {
	return unionKeys(m, map[string]int{})
}

// rank numbers the rows by score, highest first; equal scores share a rank.
func rank(rows []AssessmentRow) {
	for i := range rows {
		rows[i].Rank = 1
		for j := range rows {
			if rows[j].Score > rows[i].Score {
				rows[i].Rank++
			}
		}
	}
}

// ratings reads the satisfaction and rectification rates of the period by
// department or clerk.
func (v *Supervision) ratings(ctx context.Context, p Period) ([]rating.Rate, error) {
	from, _ := calendar.ParseDate(p.From)
	to, _ := calendar.ParseDate(p.To)
	g := rating.GroupBy("department")
	if p.Group == supervision.ByUser {
		g = rating.GroupBy("clerk")
	}
	var rates []rating.Rate
	var err error
	if p.Hall != "" { // the ratings given at the hall, per department
		rates, err = v.store.HallRatingRates(ctx, from.At(0, 0), to.AddDays(1).At(0, 0), p.Hall)
	} else {
		rates, err = v.store.RatingRates(ctx, from.At(0, 0), to.AddDays(1).At(0, 0), g)
	}
	if err != nil {
		return nil, err
	}
	var out []rating.Rate
	for _, r := range rates {
		if p.Department != "" && p.Group == supervision.ByDepartment && r.Key != p.Department {
			continue
		}
		if p.Key != "" && r.Key != p.Key {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

// CardRow is one department's card for a month.
type CardRow struct {
	Department string           `json:"department"`
	Label      string           `json:"label"`
	RedCases   int64            `json:"red_cases" doc:"当月有期限超期（超时办理或超期未办）的办件数"`
	Unanswered int64            `json:"unanswered_notices" doc:"当月督办单逾期未回复（或逾期才回复）的张数"`
	Card       supervision.Card `json:"card" enum:",yellow,red"`
	CardLabel  string           `json:"card_label"`
	Cases      string           `json:"cases"`
	Notices    string           `json:"notices"`
}

// Cards returns each department's yellow or red card (黄牌/红牌) of a month
// (2026-01), by the admin's thresholds.
func (v *Supervision) Cards(ctx context.Context, month, department string) ([]CardRow, error) {
	p := Period{Department: department}
	a, err := v.scope(ctx, &p)
	if err != nil {
		return nil, err
	}
	if a.Is(org.RoleHallManager) { // a card is a department's, over every hall
		return nil, apperr.New(apperr.Forbidden, "黄牌红牌按部门评定，大厅负责人不能查看")
	}
	m, err := monthPeriod(month)
	if err != nil {
		return nil, err
	}
	p.From, p.To, p.Group = m.From, m.To, supervision.ByDepartment
	return v.cards(ctx, p)
}

// monthPeriod is the period of a month (2026-01), grouped by department.
func monthPeriod(month string) (Period, error) {
	first, err := time.ParseInLocation("2006-01", month, clock.Shanghai)
	if err != nil {
		return Period{}, apperr.Field("month", "月份须为 YYYY-MM，如 2026-11")
	}
	return Period{From: first.Format(time.DateOnly), To: first.AddDate(0, 1, -1).Format(time.DateOnly), Group: supervision.ByDepartment}, nil
}

// cards computes the cards of a scoped month's period (one department's
// when Department is set).
func (v *Supervision) cards(ctx context.Context, p Period) ([]CardRow, error) {
	set, err := v.currentSettings(ctx)
	if err != nil {
		return nil, err
	}
	now := v.clock.Now()
	red, err := v.store.RedCases(ctx, p.From, p.To, now)
	if err != nil {
		return nil, err
	}
	unanswered, err := v.store.UnansweredNotices(ctx, p.From, p.To, now)
	if err != nil {
		return nil, err
	}
	labels, err := v.labels(ctx, supervision.ByDepartment, nil)
	if err != nil {
		return nil, err
	}
	var out []CardRow
	for _, d := range unionKeys(red, unanswered) {
		if p.Department != "" && d != p.Department {
			continue
		}
		c := set.Thresholds.CardFor(red[d], unanswered[d])
		out = append(out, CardRow{Department: d, Label: labels[d], RedCases: red[d], Unanswered: unanswered[d], Card: c, CardLabel: c.Label(),
			Cases:   p.drill("steps", d, "status", string(supervision.Red)),
			Notices: "/api/v1/supervision/notices?department=" + d + "&from=" + p.From + "&to=" + p.To})
	}
	return out, nil
}
