package service

import (
	"context"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/supervision"
)

// supervisionStore is what the supervision area needs of the store, and
// nothing more.
type supervisionStore interface {
	Sums(ctx context.Context, q store.FigureQuery, metrics []supervision.Metric, prefix string) (map[string]map[supervision.Metric]int64, error)
	Overdue(ctx context.Context, q store.FigureQuery, now time.Time) (map[string]map[supervision.Kind]int64, error)
	Steps(ctx context.Context, f store.StepFilter) ([]store.StepCase, int, error)
	HoldCases(ctx context.Context, q store.FigureQuery, groupKey string, holder supervision.Holder, limit, offset int) ([]store.HoldCase, int, error)
	IntakeCases(ctx context.Context, q store.FigureQuery, groupKey string, limit, offset int) ([]string, int, error)
	CaseRecord(ctx context.Context, number string) (*supervision.Record, supervision.Dims, error)
	RedCases(ctx context.Context, from, to string, now time.Time) (map[string]int64, error)
	RedSteps(ctx context.Context, from, to string, now time.Time) ([]store.StepCase, error)
	LateNotices(ctx context.Context, from, to string, now time.Time) ([]supervision.Notice, error)
	UnansweredNotices(ctx context.Context, from, to string, now time.Time) (map[string]int64, error)
	OverdueWithoutNotice(ctx context.Context, now time.Time, limit int) ([]store.OverdueStep, error)
	OpenSweepNotice(ctx context.Context, caseID int64, n *supervision.Notice) (bool, error)
	OpenHandNotice(ctx context.Context, caseID int64, n *supervision.Notice) error
	Notice(ctx context.Context, id int64) (*supervision.Notice, error)
	Notices(ctx context.Context, f store.NoticeFilter) ([]supervision.Notice, int, error)
	UpdateNotice(ctx context.Context, id int64, change store.NoticeChange) (*supervision.Notice, error)
	EscalateNotices(ctx context.Context, now time.Time) (int, error)
	SupervisionSettings(ctx context.Context) (supervision.Settings, error)
	SaveSupervisionSettings(ctx context.Context, set supervision.Settings, by string) error
	RebuildRollups(ctx context.Context) (*store.RebuildReport, error)
	CasesWithoutRollups(ctx context.Context) (int, error)
	RatingRates(ctx context.Context, from, to time.Time, g rating.GroupBy) ([]rating.Rate, error)
	HallRatingRates(ctx context.Context, from, to time.Time, hall string) ([]rating.Rate, error)
	PickupSums(ctx context.Context, from, to, department string) (map[string]int64, error)
	Moves(ctx context.Context, f store.MoveFilter) ([]store.MoveCase, int, error)
	Case(ctx context.Context, number string) (*casework.Case, error)
	Departments(ctx context.Context) ([]org.Department, error)
	Halls(ctx context.Context) ([]org.Hall, error)
	Items(ctx context.Context, f store.ItemFilter) ([]catalog.Item, error)
	UserNames(ctx context.Context, usernames []string) (map[string]string, error)
}

// Supervision is the supervision and assessment area (督查考核, R17): the
// figures of punctuality, holding time, efficiency and assessment, the
// supervision notices and the settings. Supervisors and the bureau's
// admins see every department; a department admin sees their own.
type Supervision struct {
	store    supervisionStore
	clock    clock.Clock
	calendar func(ctx context.Context) (*calendar.Calendar, error)

	mu       sync.Mutex
	settings *supervision.Settings
	readAt   time.Time
}

// settingsTTL is how long a node trusts the settings it read: another
// node's edit counts within it.
const settingsTTL = 30 * time.Second

// Supervision returns the supervision area.
func (s *Service) Supervision() *Supervision { return s.sv }

func newSupervision(st supervisionStore, clk clock.Clock, cal func(ctx context.Context) (*calendar.Calendar, error)) *Supervision {
	return &Supervision{store: st, clock: clk, calendar: cal}
}

// foldEnv is what the store's rollups fold with: the cached calendar and
// the working hours of the settings.
func (v *Supervision) foldEnv(ctx context.Context) (supervision.Env, error) {
	cal, err := v.calendar(ctx)
	if err != nil {
		return supervision.Env{}, err
	}
	set, err := v.currentSettings(ctx)
	if err != nil {
		return supervision.Env{}, err
	}
	return supervision.Env{Cal: cal, Hours: set.Hours}, nil
}

func (v *Supervision) currentSettings(ctx context.Context) (supervision.Settings, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := time.Now()
	if v.settings != nil && now.Sub(v.readAt) < settingsTTL {
		return *v.settings, nil
	}
	set, err := v.store.SupervisionSettings(ctx)
	if err != nil {
		return set, err
	}
	v.settings, v.readAt = &set, now
	return set, nil
}

// Period is the period and grouping of a figure request.
type Period struct {
	From       string               `json:"from"`  // 2026-01-01
	To         string               `json:"to"`    // 2026-12-31, included
	Group      supervision.Grouping `json:"group"` // department, item, hall, user, month
	Department string               `json:"department,omitempty"`
	Key        string               `json:"key,omitempty"` // narrows item, hall and user groupings to one
	// Hall narrows the figures to the cases taken in at one hall (a hall
	// manager's are always their own hall's); grouped by department,
	// hall or month only.
	Hall string `json:"hall,omitempty"`
}

// scope checks who may read figures and narrows a department admin to
// their own department and a hall manager to their own hall.
func (v *Supervision) scope(ctx context.Context, p *Period) (*Actor, error) {
	a, err := require(ctx, "查看督查考核统计", org.RoleSupervisor, org.RoleAdmin, org.RoleDeptAdmin, org.RoleHallManager)
	if err != nil {
		return nil, err
	}
	if a.Is(org.RoleDeptAdmin) {
		if p.Department != "" && p.Department != a.User.DepartmentCode {
			return nil, apperr.New(apperr.Forbidden, "部门管理员只能查看本部门的统计")
		}
		p.Department = a.User.DepartmentCode
	}
	if err := scopeHall(a, p); err != nil {
		return nil, err
	}
	return a, nil
}

// check validates the period: real dates, from not after to, at most
// three years, and a known grouping.
func (p *Period) check() error {
	var c apperr.Collector
	from, errF := calendar.ParseDate(p.From)
	to, errT := calendar.ParseDate(p.To)
	c.Check(errF == nil, "from", "开始日期须为 YYYY-MM-DD")
	c.Check(errT == nil, "to", "结束日期须为 YYYY-MM-DD")
	if errF == nil && errT == nil {
		c.Check(!to.Before(from), "to", "结束日期不能早于开始日期")
		c.Check(!to.After(from.AddDays(3*366)), "to", "统计期间最长三年")
	}
	if p.Group == "" {
		p.Group = supervision.ByDepartment
	}
	c.Check(p.Group.Valid(), "group", "分组须为 department、item、hall、user 或 month")
	if p.Hall != "" {
		c.Check(p.Group == supervision.ByDepartment || p.Group == supervision.ByHall || p.Group == supervision.ByMonth,
			"group", "限定大厅时按部门（department）、大厅（hall）或月份（month）分组")
	}
	if err := c.Err("统计条件有误"); err != nil {
		return err
	}
	p.From, p.To = from.String(), to.String()
	return nil
}

func (p Period) query() store.FigureQuery {
	return store.FigureQuery{From: p.From, To: p.To, Group: p.Group, Department: p.Department, Key: p.Key, Hall: p.Hall}
}

// drill is the API query listing the cases behind one figure.
func (p Period) drill(path, key string, extra ...string) string {
	q := url.Values{}
	q.Set("from", p.From)
	q.Set("to", p.To)
	q.Set("group", string(p.Group))
	q.Set("key", key)
	if p.Department != "" {
		q.Set("department", p.Department)
	}
	if p.Hall != "" {
		q.Set("hall", p.Hall)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return "/api/v1/supervision/" + path + "?" + q.Encode()
}

// labels names a grouping's keys for people: departments, items and halls
// by name, staff by real name, months as they are.
func (v *Supervision) labels(ctx context.Context, g supervision.Grouping, keys []string) (map[string]string, error) {
	out := map[string]string{}
	switch g {
	case supervision.ByDepartment:
		ds, err := v.store.Departments(ctx)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			out[d.Code] = d.Name
		}
	case supervision.ByHall:
		hs, err := v.store.Halls(ctx)
		if err != nil {
			return nil, err
		}
		for _, h := range hs {
			out[h.Code] = h.Name
		}
	case supervision.ByItem:
		is, err := v.store.Items(ctx, store.ItemFilter{})
		if err != nil {
			return nil, err
		}
		for _, it := range is {
			out[it.Code] = it.Name
		}
	case supervision.ByUser:
		names, err := v.store.UserNames(ctx, keys)
		if err != nil {
			return nil, err
		}
		out = names
	case supervision.ByMonth:
		for _, k := range keys {
			out[k] = k
		}
	}
	for _, k := range keys {
		if out[k] == "" {
			out[k] = "未指定"
			if g != supervision.ByUser && k != "" {
				out[k] = k
			}
		}
	}
	return out, nil
}

// Rate is a share from 0 to 1; nil when there was nothing to count.
type Rate = *float64

func rateOf(num, den int64) Rate {
	if den == 0 {
		return nil
	}
	r := float64(num) / float64(den)
	return &r
}

// StepFigure is one step kind's punctuality in a row.
type StepFigure struct {
	Step  supervision.Kind `json:"step"`
	Label string           `json:"label"`
	supervision.Punctuality
	Rate  Rate   `json:"rate"`
	Cases string `json:"cases" doc:"列出这些办件的接口地址"`
}

// PunctualityRow is one group's punctuality.
type PunctualityRow struct {
	Key   string       `json:"key"`
	Label string       `json:"label"`
	Steps []StepFigure `json:"steps"`
	supervision.Punctuality
	Rate Rate `json:"rate"`
	// OnTimeCompletion is 按时办结率: the decision step's rate.
	OnTimeCompletion Rate   `json:"on_time_completion"`
	Cases            string `json:"cases"`
}

func stepMetrics() []supervision.Metric {
	var ms []supervision.Metric
	for _, k := range supervision.Kinds {
		ms = append(ms, supervision.StepMetric(k, false), supervision.StepMetric(k, true))
	}
	return ms
}

// Punctuality returns, per group, every step's count on time, late and
// open and overdue, with rates; steps belong to the period their deadline
// in force falls in.
func (v *Supervision) Punctuality(ctx context.Context, p Period) ([]PunctualityRow, error) {
	if _, err := v.scope(ctx, &p); err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	return v.punctuality(ctx, p)
}

// punctuality computes the figures of a scoped and checked period.
func (v *Supervision) punctuality(ctx context.Context, p Period) ([]PunctualityRow, error) {
	now := v.clock.Now()
	sums, err := v.store.Sums(ctx, p.query(), stepMetrics(), "")
	if err != nil {
		return nil, err
	}
	over, err := v.store.Overdue(ctx, p.query(), now)
	if err != nil {
		return nil, err
	}
	keys := unionKeys(sums, over)
	labels, err := v.labels(ctx, p.Group, keys)
	if err != nil {
		return nil, err
	}
	var out []PunctualityRow
	for _, k := range keys {
		row := PunctualityRow{Key: k, Label: labels[k], Cases: p.drill("steps", k)}
		for _, kind := range supervision.Kinds {
			f := StepFigure{Step: kind, Label: kind.Label(), Cases: p.drill("steps", k, "step", string(kind))}
			f.OnTime = sums[k][supervision.StepMetric(kind, false)]
			f.Late = sums[k][supervision.StepMetric(kind, true)]
			f.Overdue = over[k][kind]
			f.Rate = rateOf(f.OnTime, f.Counted())
			row.Punctuality.Add(f.Punctuality)
			if kind == supervision.Decide {
				row.OnTimeCompletion = f.Rate
			}
			row.Steps = append(row.Steps, f)
		}
		row.Rate = rateOf(row.OnTime, row.Counted())
		out = append(out, row)
	}
	return out, nil
}

func unionKeys[A, B any](a map[string]A, b map[string]B) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// StepList is a drill-down: the steps behind a figure.
type StepList struct {
	Total int              `json:"total"`
	Steps []store.StepCase `json:"steps"`
}

// StepQuery selects a drill-down of steps.
type StepQuery struct {
	Period
	GroupKey string
	Step     supervision.Kind   // "" every kind
	Kinds    []supervision.Kind // several kinds (部门协同配合: R5, R6, R9); with Step, both
	Status   supervision.Status // "" every counted status
	ByDone   bool               // by the day the step was taken
	Returned bool               // acceptance steps answered by a return
	Decided  bool               // decision steps taken by a decision (not missed)
	Any      bool               // running steps too
	Limit    int
	Offset   int
}

// Steps lists the steps behind a figure: the drill-down of every
// punctuality number, of decisions and returns.
func (v *Supervision) Steps(ctx context.Context, q StepQuery) (*StepList, error) {
	if _, err := v.scope(ctx, &q.Period); err != nil {
		return nil, err
	}
	if err := q.check(); err != nil {
		return nil, err
	}
	if err := q.hallKey(q.GroupKey); err != nil {
		return nil, err
	}
	for _, k := range append([]supervision.Kind{q.Step}, q.Kinds...) {
		if k != "" && !k.Valid() {
			return nil, apperr.Field("step", "未知的环节："+string(k))
		}
	}
	switch q.Status {
	case "", supervision.OnTime, supervision.Late, supervision.Overdue, supervision.Running, supervision.Red:
	default:
		return nil, apperr.Field("status", "状态须为 on_time、late、overdue、running 或 red")
	}
	f := store.StepFilter{FigureQuery: q.query(), GroupKey: q.GroupKey, Status: q.Status, ByDone: q.ByDone, Any: q.Any,
		Now: v.clock.Now(), Limit: q.Limit, Offset: q.Offset}
	if q.Step != "" {
		f.Kinds = []supervision.Kind{q.Step}
	}
	for _, k := range q.Kinds {
		if k != "" && !slices.Contains(f.Kinds, k) {
			f.Kinds = append(f.Kinds, k)
		}
	}
	if q.Returned {
		ret := supervision.Returned
		f.Answer = &ret
		f.Kinds = []supervision.Kind{supervision.Accept}
	}
	if q.Decided {
		done := supervision.Done
		f.Answer = &done
		f.Kinds = []supervision.Kind{supervision.Decide}
	}
	steps, total, err := v.store.Steps(ctx, f)
	if err != nil {
		return nil, err
	}
	return &StepList{Total: total, Steps: steps}, nil
}

// HoldingRow is one group's holding time, in working minutes per holder.
type HoldingRow struct {
	Key     string        `json:"key"`
	Label   string        `json:"label"`
	Holders []HolderShare `json:"holders"`
	Minutes int64         `json:"minutes"`
}

// HolderShare is one holder's minutes in a row.
type HolderShare struct {
	Holder  supervision.Holder `json:"holder"`
	Label   string             `json:"label"`
	Minutes int64              `json:"minutes"`
	Hours   string             `json:"hours"`
	Share   Rate               `json:"share"`
	Cases   string             `json:"cases"`
}

// Holding returns, per group, the working hours each holder held cases:
// the hours of the period's days (closed stretches: a stretch is counted
// when the event ending it is recorded). Not grouped by person.
func (v *Supervision) Holding(ctx context.Context, p Period) ([]HoldingRow, error) {
	if _, err := v.scope(ctx, &p); err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	if p.Group == supervision.ByUser {
		return nil, apperr.Field("group", "停留时长按部门、事项、大厅或月份分组，不按人员分组")
	}
	sums, err := v.store.Sums(ctx, p.query(), nil, "hold.")
	if err != nil {
		return nil, err
	}
	keys := unionKeys(sums, map[string]int{})
	labels, err := v.labels(ctx, p.Group, keys)
	if err != nil {
		return nil, err
	}
	var out []HoldingRow
	for _, k := range keys {
		row := HoldingRow{Key: k, Label: labels[k]}
		for _, h := range supervision.Holders {
			row.Minutes += sums[k][supervision.HoldMetric(h)]
		}
		for _, h := range supervision.Holders {
			m := sums[k][supervision.HoldMetric(h)]
			row.Holders = append(row.Holders, HolderShare{Holder: h, Label: h.Label(), Minutes: m, Hours: supervision.HoursText(m),
				Share: rateOf(m, row.Minutes), Cases: p.drill("holding/cases", k, "holder", string(h))})
		}
		out = append(out, row)
	}
	return out, nil
}

// HoldList is the drill-down of a holding figure.
type HoldList struct {
	Total int              `json:"total"`
	Cases []store.HoldCase `json:"cases"`
}

// HoldingCases lists the cases behind a holding figure, most minutes first.
func (v *Supervision) HoldingCases(ctx context.Context, p Period, key string, holder supervision.Holder, limit, offset int) (*HoldList, error) {
	if _, err := v.scope(ctx, &p); err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	if err := p.hallKey(key); err != nil {
		return nil, err
	}
	if holder != "" && !holder.Valid() {
		return nil, apperr.Field("holder", "未知的停留方："+string(holder))
	}
	cases, total, err := v.store.HoldCases(ctx, p.query(), key, holder, limit, offset)
	if err != nil {
		return nil, err
	}
	return &HoldList{Total: total, Cases: cases}, nil
}

// CaseSupervision is one case's timed steps and holding bar.
type CaseSupervision struct {
	Number   string                `json:"number"`
	Steps    []CaseStep            `json:"steps"`
	Bar      []supervision.Bar     `json:"holding"`
	Holder   supervision.Holder    `json:"holder,omitempty" doc:"当前停留方"`
	Dims     supervision.Dims      `json:"dims"`
	Decision *supervision.Decision `json:"decision,omitempty" doc:"审批决定的效能：已用与承诺工作日、是否提前办结"`
}

// CaseStep is one timed step of a case with its status now.
type CaseStep struct {
	supervision.Step
	Label       string             `json:"label"`
	Status      supervision.Status `json:"status"`
	StatusLabel string             `json:"status_label"`
}

// Case returns a case's steps and its holding bar up to now: what the case
// page draws. Department admins see their own department's cases.
func (v *Supervision) Case(ctx context.Context, number string) (*CaseSupervision, error) {
	p := Period{}
	a, err := v.scope(ctx, &p)
	if err != nil {
		return nil, err
	}
	r, dims, err := v.store.CaseRecord(ctx, number)
	if err != nil {
		return nil, err
	}
	if a.Is(org.RoleDeptAdmin) && dims.Department != a.User.DepartmentCode ||
		a.Is(org.RoleHallManager) && dims.Hall != a.User.HallCode {
		return nil, casework.UnknownCase(number)
	}
	env, err := v.foldEnv(ctx)
	if err != nil {
		return nil, err
	}
	now := v.clock.Now()
	out := &CaseSupervision{Number: number, Bar: r.BarAt(now, env), Holder: r.Holder, Dims: dims, Decision: r.Decision}
	for _, st := range r.Steps {
		s := st.StatusAt(now)
		out.Steps = append(out.Steps, CaseStep{Step: st, Label: st.Kind.Label(), Status: s, StatusLabel: s.Label()})
	}
	return out, nil
}

// Rebuild recomputes every rollup from the events (onewindow stats
// rebuild); for the system and the bureau's admins.
func (v *Supervision) Rebuild(ctx context.Context) (*store.RebuildReport, error) {
	if _, err := require(ctx, "重建督查统计", org.RoleAdmin); err != nil {
		return nil, err
	}
	return v.store.RebuildRollups(ctx)
}

// Settings returns the supervision settings.
func (v *Supervision) Settings(ctx context.Context) (supervision.Settings, error) {
	if _, err := require(ctx, "查看督查设置", org.RoleSupervisor, org.RoleAdmin, org.RoleDeptAdmin, org.RoleHallManager); err != nil {
		return supervision.Settings{}, err
	}
	return v.store.SupervisionSettings(ctx)
}

// SaveSettings checks and stores the settings; for the bureau's admins.
func (v *Supervision) SaveSettings(ctx context.Context, set supervision.Settings) error {
	a, err := require(ctx, "修改督查设置", org.RoleAdmin)
	if err != nil {
		return err
	}
	if err := set.Validate(); err != nil {
		return err
	}
	if err := v.store.SaveSupervisionSettings(ctx, set, a.Name()); err != nil {
		return err
	}
	v.mu.Lock()
	v.settings = nil
	v.mu.Unlock()
	return nil
}
