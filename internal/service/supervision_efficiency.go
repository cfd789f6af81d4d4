package service

import (
	"context"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/supervision"
)

// EfficiencyRow is one group's efficiency (效能).
type EfficiencyRow struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	// Decisions of promised cases in the period (by decision day), the
	// working days they used (pauses not counted) and were promised.
	Decisions     int64    `json:"decisions"`
	DecisionCases string   `json:"decision_cases"`
	DaysUsed      int64    `json:"days_used"`
	DaysPromised  int64    `json:"days_promised"`
	AvgDaysUsed   *float64 `json:"avg_days_used"`
	AvgPromised   *float64 `json:"avg_days_promised"`
	UsedShare     Rate     `json:"used_share" doc:"已用工作日 ÷ 承诺工作日"`
	// Early is 提前办结: decided before the last working day of the limit.
	Early     int64 `json:"early"`
	EarlyRate Rate  `json:"early_rate"`
	// FirstDay: decided by the close of the first working day after acceptance.
	FirstDay     int64 `json:"first_day"`
	FirstDayRate Rate  `json:"first_day_rate"`
	Denied       int64 `json:"denied"`
	// Intakes and returns (by their day), returns per 100 intakes.
	Intakes        int64    `json:"intakes"`
	IntakeCases    string   `json:"intake_cases"`
	Returns        int64    `json:"returns"`
	ReturnCases    string   `json:"return_cases"`
	ReturnsPer100  *float64 `json:"returns_per_100"`
	ResultRefusals int64    `json:"result_refusals" doc:"出件窗口拒收结果次数（按更正期限所在日计）"`
	RefusalCases   string   `json:"refusal_cases"`
	Corrections    int64    `json:"corrections" doc:"已更正的结果（按时与超时）"`
}

// ReturnReason is one of the most common reasons of returns.
type ReturnReason struct {
	Material string `json:"material"` // code, "-" for a reason without a material
	Name     string `json:"name"`
	Item     string `json:"item,omitempty"`
	Count    int64  `json:"count"`
}

// Efficiency is the efficiency table and the period's top return reasons.
type Efficiency struct {
	Rows          []EfficiencyRow `json:"rows"`
	ReturnReasons []ReturnReason  `json:"return_reasons"`
}

var efficiencyMetrics = []supervision.Metric{
	supervision.MetricIntake, supervision.MetricReturn, supervision.MetricDecision, supervision.MetricDenied,
	supervision.MetricDaysUsed, supervision.MetricDaysPromised, supervision.MetricEarly, supervision.MetricFirstDay,
	supervision.MetricResultRefusal, supervision.StepMetric(supervision.Correct, false), supervision.StepMetric(supervision.Correct, true),
}

// Efficiency returns, per group, working days used against promised, the
// early-completion and first-day rates, returns per 100 intakes, result
// refusals and corrections, and the period's most common return reasons.
func (v *Supervision) Efficiency(ctx context.Context, p Period) (*Efficiency, error) {
	if _, err := v.scope(ctx, &p); err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	return v.efficiency(ctx, p)
}

// efficiency computes the figures of a scoped and checked period.
func (v *Supervision) efficiency(ctx context.Context, p Period) (*Efficiency, error) {
	sums, err := v.store.Sums(ctx, p.query(), efficiencyMetrics, "return_reason:")
	if err != nil {
		return nil, err
	}
	keys := unionKeys(sums, map[string]int{})
	labels, err := v.labels(ctx, p.Group, keys)
	if err != nil {
		return nil, err
	}
	out := &Efficiency{}
	reasons := map[string]int64{}
	for _, k := range keys {
		m := sums[k]
		r := EfficiencyRow{Key: k, Label: labels[k],
			Decisions: m[supervision.MetricDecision], DaysUsed: m[supervision.MetricDaysUsed], DaysPromised: m[supervision.MetricDaysPromised],
			Early: m[supervision.MetricEarly], FirstDay: m[supervision.MetricFirstDay], Denied: m[supervision.MetricDenied],
			Intakes: m[supervision.MetricIntake], Returns: m[supervision.MetricReturn], ResultRefusals: m[supervision.MetricResultRefusal],
			Corrections:   m[supervision.StepMetric(supervision.Correct, false)] + m[supervision.StepMetric(supervision.Correct, true)],
			DecisionCases: p.drill("steps", k, "decided", "true", "by", "done"),
			IntakeCases:   p.drill("intakes", k),
			ReturnCases:   p.drill("steps", k, "returned", "true", "by", "done"),
			RefusalCases:  p.drill("steps", k, "step", "correct", "any", "true"),
		}
		r.AvgDaysUsed, r.AvgPromised = avg(r.DaysUsed, r.Decisions), avg(r.DaysPromised, r.Decisions)
		r.UsedShare = rateOf(r.DaysUsed, r.DaysPromised)
		r.EarlyRate, r.FirstDayRate = rateOf(r.Early, r.Decisions), rateOf(r.FirstDay, r.Decisions)
		if r.Intakes > 0 {
			x := float64(r.Returns) * 100 / float64(r.Intakes)
			r.ReturnsPer100 = &x
		}
		for metric, n := range m {
			if code, ok := metric.ReturnReason(); ok {
				reasons[code] += n
			}
		}
		out.Rows = append(out.Rows, r)
	}
	out.ReturnReasons, err = v.topReasons(ctx, reasons, 10)
	return out, err
}

func avg(sum, n int64) *float64 {
	if n == 0 {
		return nil
	}
	x := float64(sum) / float64(n)
	return &x
}

// topReasons names the most common return reasons by the materials'
// handbook names.
func (v *Supervision) topReasons(ctx context.Context, counts map[string]int64, n int) ([]ReturnReason, error) {
	items, err := v.store.Items(ctx, store.ItemFilter{})
	if err != nil {
		return nil, err
	}
	names, owner := map[string]string{}, map[string]string{}
	for _, it := range items {
		for _, m := range it.Materials {
			if _, ok := names[m.Code]; !ok {
				names[m.Code], owner[m.Code] = m.Name, it.Name
			}
		}
	}
	var out []ReturnReason
	for code, c := range counts {
		name := names[code]
		if code == "-" {
			name = "其他（未指明材料）"
		} else if name == "" {
			name = code
		}
		out = append(out, ReturnReason{Material: code, Name: name, Item: owner[code], Count: c})
	}
	slices.SortFunc(out, func(a, b ReturnReason) int {
		if a.Count != b.Count {
			return int(b.Count - a.Count)
		}
		return strings.Compare(a.Material, b.Material)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// IntakeList is the drill-down of an intake count.
type IntakeList struct {
	Total   int      `json:"total"`
	Numbers []string `json:"numbers"`
}

// Intakes lists the cases taken in within a group of the period.
func (v *Supervision) Intakes(ctx context.Context, p Period, key string, limit, offset int) (*IntakeList, error) {
	if _, err := v.scope(ctx, &p); err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	if err := p.hallKey(key); err != nil {
		return nil, err
	}
	nums, total, err := v.store.IntakeCases(ctx, p.query(), key, limit, offset)
	if err != nil {
		return nil, err
	}
	return &IntakeList{Total: total, Numbers: nums}, nil
}
