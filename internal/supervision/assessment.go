package supervision

import (
	"math"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Indicator is one measure of the annual assessment (年度综合考核).
type Indicator string

// The indicators of the plan: 按时办结率, 群众满意率, 差评整改率, 政务服务效能
// and 部门协同配合.
const (
	OnTimeIndicator        Indicator = "on_time"       // the decision step's rate (按时办结率)
	SatisfactionIndicator  Indicator = "satisfaction"  // satisfied ratings ÷ ratings
	RectificationIndicator Indicator = "rectification" // real-name bad ratings rectified ÷ real-name bad ratings
	EfficiencyIndicator    Indicator = "efficiency"    // 1 − working days used ÷ promised days
	CoordinationIndicator  Indicator = "coordination"  // the rate of the steps a department owes the hall: R5, R6, R9
)

// Indicators lists them in the bulletin's order.
var Indicators = []Indicator{OnTimeIndicator, SatisfactionIndicator, RectificationIndicator, EfficiencyIndicator, CoordinationIndicator}

// Label returns the indicator's Chinese name.
func (i Indicator) Label() string {
	switch i {
	case OnTimeIndicator:
		return "按时办结率"
	case SatisfactionIndicator:
		return "群众满意率"
	case RectificationIndicator:
		return "差评整改率"
	case EfficiencyIndicator:
		return "政务服务效能"
	case CoordinationIndicator:
		return "部门协同配合"
	}
	return string(i)
}

// CoordinationSteps are the steps a department owes the hall's desks.
var CoordinationSteps = []Kind{Accept, Handover, Correct}

// Weights are the points of each indicator; they sum to 100.
type Weights map[Indicator]int

// DefaultWeights returns the default weights.
func DefaultWeights() Weights {
	return Weights{OnTimeIndicator: 30, SatisfactionIndicator: 25, RectificationIndicator: 15, EfficiencyIndicator: 15, CoordinationIndicator: 15}
}

// Validate checks that every indicator has a weight from 0 to 100, none
// other is named, and they sum to 100.
func (w Weights) Validate() error {
	var c apperr.Collector
	sum := 0
	for k, v := range w {
		known := false
		for _, i := range Indicators {
			known = known || i == k
		}
		c.Check(known, "weights."+string(k), "未知的考核指标："+string(k))
		c.Check(v >= 0 && v <= 100, "weights."+string(k), "权重须在 0 到 100 之间")
		sum += v
	}
	for _, i := range Indicators {
		_, ok := w[i]
		c.Check(ok, "weights."+string(i), "请填写「"+i.Label()+"」的权重")
	}
	c.Check(sum == 100, "weights", "各项权重之和须为 100")
	return c.Err("考核权重设置有误")
}

// Value is an indicator's value for one department or person: a share from
// 0 to 1, and whether there was anything to measure.
type Value struct {
	Value float64 `json:"value"`
	OK    bool    `json:"measured"`
}

// Scored is one indicator's value and points.
type Scored struct {
	Indicator Indicator `json:"indicator"`
	Label     string    `json:"label"`
	Value     float64   `json:"value"`
	Measured  bool      `json:"measured"`
	Weight    int       `json:"weight"`
	Points    float64   `json:"points"`
}

// Score weighs the values: an indicator's points are its weight times its
// value. An indicator with nothing to measure (no decisions, no ratings)
// scores its full weight: nothing went wrong that the period can show.
func Score(values map[Indicator]Value, w Weights) (float64, []Scored) {
	total := 0.0
	var out []Scored
	for _, i := range Indicators {
		v := values[i]
		pts := float64(w[i])
		if v.OK {
			pts = float64(w[i]) * v.Value
		}
		pts = math.Round(pts*100) / 100
		total += pts
		out = append(out, Scored{Indicator: i, Label: i.Label(), Value: v.Value, Measured: v.OK, Weight: w[i], Points: pts})
	}
	return math.Round(total*100) / 100, out
}

// Card is a department's yellow or red card (黄牌/红牌) for a month.
type Card string

// Cards.
const (
	NoCard     Card = ""
	YellowCard Card = "yellow"
	RedCard    Card = "red"
)

// Label returns the card's Chinese name.
func (c Card) Label() string {
	switch c {
	case YellowCard:
		return "黄牌"
	case RedCard:
		return "红牌"
	}
	return "无"
}

// Thresholds say when a department earns a card in a month: so many cases
// that turned red (a deadline passed), or so many notices left unanswered
// past their reply deadline. Red is checked first.
type Thresholds struct {
	YellowRedCases   int `json:"yellow_red_cases"`
	RedRedCases      int `json:"red_red_cases"`
	YellowUnanswered int `json:"yellow_unanswered"`
	RedUnanswered    int `json:"red_unanswered"`
}

// DefaultThresholds returns the default card thresholds.
func DefaultThresholds() Thresholds {
	return Thresholds{YellowRedCases: 3, RedRedCases: 10, YellowUnanswered: 1, RedUnanswered: 3}
}

// Validate checks the thresholds: each at least 1, red above yellow.
func (t Thresholds) Validate() error {
	var c apperr.Collector
	c.Check(t.YellowRedCases >= 1, "thresholds.yellow_red_cases", "黄牌的红色办件数须至少为 1")
	c.Check(t.RedRedCases > t.YellowRedCases, "thresholds.red_red_cases", "红牌的红色办件数须大于黄牌的")
	c.Check(t.YellowUnanswered >= 1, "thresholds.yellow_unanswered", "黄牌的逾期未回复督办单数须至少为 1")
	c.Check(t.RedUnanswered > t.YellowUnanswered, "thresholds.red_unanswered", "红牌的逾期未回复督办单数须大于黄牌的")
	return c.Err("黄牌红牌阈值设置有误")
}

// CardFor returns the card of a month with redCases cases turned red and
// unanswered notices unanswered past their deadline.
func (t Thresholds) CardFor(redCases, unanswered int64) Card {
	switch {
	case redCases >= int64(t.RedRedCases) || unanswered >= int64(t.RedUnanswered):
		return RedCard
	case redCases >= int64(t.YellowRedCases) || unanswered >= int64(t.YellowUnanswered):
		return YellowCard
	}
	return NoCard
}

// Settings are the bureau admin's settings of supervision.
type Settings struct {
	Weights    Weights    `json:"weights"`
	Thresholds Thresholds `json:"thresholds"`
	ReplyDays  int        `json:"reply_days"` // working days a department has to answer a notice
	Hours      Hours      `json:"hours"`      // working hours holding time counts
}

// DefaultSettings returns the defaults: reply within 2 working days, hours
// 09:00–17:00.
func DefaultSettings() Settings {
	return Settings{Weights: DefaultWeights(), Thresholds: DefaultThresholds(), ReplyDays: 2, Hours: DefaultHours()}
}

// Validate checks every setting.
func (s Settings) Validate() error {
	var c apperr.Collector
	for _, err := range []error{s.Weights.Validate(), s.Thresholds.Validate(), s.Hours.Validate()} {
		for _, f := range apperr.FieldsOf(err) {
			c.Add(f.Field, f.Message)
		}
	}
	c.Check(s.ReplyDays >= 1 && s.ReplyDays <= 30, "reply_days", "督办回复期限须为 1 至 30 个工作日")
	return c.Err("督查设置有误")
}
