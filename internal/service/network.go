package service

import (
	"context"
	"slices"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/network"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// hallPlan is what the network says of one hall: the hall, its scope in
// force (published or the default) and where the paper taken in there
// goes ("" when it stays: the district hall).
type hallPlan struct {
	Hall    org.Hall
	Scope   network.Scope
	PaperTo string
}

// hallPlan returns the plan of hall code.
func (s *base) hallPlan(ctx context.Context, code string) (hallPlan, error) {
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return hallPlan{}, err
	}
	return s.planOf(ctx, code, halls)
}

// refreshedHallPlan is hallPlan from the cached halls, for a use case
// that refreshed the caches first (cachedHalls): an intake, an action.
func (s *base) refreshedHallPlan(ctx context.Context, code string) (hallPlan, error) {
	halls, err := s.cachedHalls(ctx)
	if err != nil {
		return hallPlan{}, err
	}
	return s.planOf(ctx, code, halls)
}

// planOf returns the plan of hall code among halls.
func (s *base) planOf(ctx context.Context, code string, halls []org.Hall) (hallPlan, error) {
	var p hallPlan
	var err error
	var district string
	for _, h := range halls {
		if h.Code == code {
			p.Hall = h
		}
		if h.Level == org.District && district == "" {
			district = h.Code
		}
	}
	if p.Hall.Code == "" {
		return hallPlan{}, apperr.New(apperr.NotFound, "未知的大厅：%s", code)
	}
	if p.Scope, err = s.scopeOf(ctx, code); err != nil {
		return hallPlan{}, err
	}
	if network.Travels(p.Hall.Level) && district != code {
		p.PaperTo = district
	}
	return p, nil
}

// transitHub maps every street and community hall to the district hall
// its results come from and its receipts go back to (casework.Env).
// Callers refresh the caches first (cachedHalls).
func (s *base) transitHub(ctx context.Context) (map[string]string, error) {
	halls, err := s.cachedHalls(ctx)
	if err != nil {
		return nil, err
	}
	var district string
	for _, h := range halls {
		if h.Level == org.District {
			district = h.Code
			break
		}
	}
	out := map[string]string{}
	for _, h := range halls {
		if network.Travels(h.Level) && district != "" && h.Code != district {
			out[h.Code] = district
		}
	}
	return out, nil
}

// scopeOf returns the scope in force at hall: its highest published
// version, else the default.
func (s *base) scopeOf(ctx context.Context, hall string) (network.Scope, error) {
	sc, ok, err := s.store.HallScope(ctx, hall)
	if err != nil {
		return network.Scope{}, err
	}
	if ok {
		return sc, nil
	}
	return network.DefaultScope(hall), nil
}

// intakeAtHall applies the hall's network rules to an intake of item by
// the clerk a: the hall must take the item in (事项下沉), a delegated
// instant item is decided here only if the hall decides it, paper taken
// in at a street or community hall travels (env.PaperTo), and a result is
// collected only at a hall that issues: a hall that does not sends the
// applicant to its parent hall, else to the district hall.
func (s *base) intakeAtHall(ctx context.Context, a casework.Actor, item *catalog.Item, in *casework.Intake, env *casework.Env) (*hallPlan, error) {
	if a.HallCode == "" {
		return nil, nil // refused by casework.NewCase with its own words
	}
	p, err := s.refreshedHallPlan(ctx, a.HallCode) // intakeEnv refreshed the caches
	if err != nil {
		return nil, err
	}
	if err := p.Scope.RefuseIntake(p.Hall.Name, item); err != nil {
		return nil, err
	}
	env.PaperTo = p.PaperTo
	if in != nil {
		if err := s.pickupAt(ctx, p, in); err != nil {
			return nil, err
		}
	}
	return &p, nil
}

// pickupAt settles where the result of an intake at p's hall is collected:
// a chosen hall must issue; with none chosen, the intake hall if it
// issues, else the nearest hall above it that does.
func (s *base) pickupAt(ctx context.Context, p hallPlan, in *casework.Intake) error {
	if in.PickupHall != "" {
		sc, err := s.scopeOf(ctx, in.PickupHall)
		if err != nil {
			return err
		}
		if !sc.Issues {
			return apperr.Field("pickup_hall", "所选大厅不出件，请选择其他领取大厅")
		}
		return nil
	}
	if p.Scope.Issues {
		return nil
	}
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return err
	}
	byCode := map[string]org.Hall{}
	for _, h := range halls {
		byCode[h.Code] = h
	}
	for code := p.Hall.ParentCode; code != ""; code = byCode[code].ParentCode {
		sc, err := s.scopeOf(ctx, code)
		if err != nil {
			return err
		}
		if sc.Issues {
			in.PickupHall = code
			return nil
		}
	}
	in.PickupHall = p.PaperTo
	return nil
}

// decidedHere clears the delegation of an instant case taken in at a hall
// that does not decide its item: the department decides it.
func decidedHere(c *casework.Case, p *hallPlan, item *catalog.Item) {
	if p != nil && c.Delegated && !p.Scope.DecidesItem(item) {
		c.Delegated = false
	}
}

// ScopeView is a hall's scope as the bureau admin edits it: the scope in
// force, its versions and the catalog to choose from.
type ScopeView struct {
	Hall     org.Hall
	Scope    network.Scope   // in force: Version 0 is the default, never published
	Versions []network.Scope // newest first
	Items    []catalog.Item  // the current catalog, by code
	// Transit states the hall's transit rule in words ("" for the
	// district hall, whose paper stays).
	Transit string
}

// HallScope returns hall's scope for the bureau admin's hall page (and
// for supervisors and the hall's manager to read).
func (s *Network) HallScope(ctx context.Context, hall string) (*ScopeView, error) {
	a, err := require(ctx, "查看大厅的事项范围", org.RoleAdmin, org.RoleSupervisor, org.RoleHallManager, org.RoleIntake, org.RoleIssuance)
	if err != nil {
		return nil, err
	}
	if u := a.User; u != nil && (u.Role == org.RoleHallManager || u.Role.WorksAtHall()) && u.HallCode != hall {
		return nil, apperr.New(apperr.Forbidden, "只能查看本大厅的事项范围")
	}
	p, err := s.hallPlan(ctx, hall)
	if err != nil {
		return nil, err
	}
	v := &ScopeView{Hall: p.Hall, Scope: p.Scope}
	if v.Versions, err = s.store.HallScopeVersions(ctx, hall); err != nil {
		return nil, err
	}
	if v.Items, err = s.store.Items(ctx, store.ItemFilter{}); err != nil {
		return nil, err
	}
	if p.PaperTo != "" {
		v.Transit = p.Scope.TransitWords()
	}
	return v, nil
}

// PublishScopeInput is an edit of a hall's scope, as the hall page's form
// and the API send it, and the version it was made on.
type PublishScopeInput struct {
	Hall        string   `json:"-"`
	BaseVersion int      `json:"base_version" doc:"在哪一版上修改（当前版本号，未发布过为 0）；其间他人已发布新版时拒绝（409）"`
	AllItems    bool     `json:"all_items" doc:"收取全区全部事项（含今后新增事项），除 excluded 所列"`
	Items       []string `json:"items,omitempty" doc:"all_items 为 false 时本大厅收取的事项编码"`
	Excluded    []string `json:"excluded,omitempty" doc:"all_items 为 true 时移除的事项编码"`
	Decides     []string `json:"decides,omitempty" doc:"本大厅窗口可当场办结的即办事项编码（须为部门已授权窗口办理的即办事项）"`
	Issues      bool     `json:"issues" doc:"本大厅是否出件"`
	Cutoff      string   `json:"cutoff" doc:"交接截止时间 HH:MM（默认 15:00）"`
	Run         string   `json:"run" doc:"交接班次时间 HH:MM（默认 10:00）"`
	Note        string   `json:"note,omitempty" maxLength:"200" doc:"发布说明"`
	Confirm     bool     `json:"confirm" doc:"确认发布（须为 true）"`
}

// scope reads the edit into a scope, with the fields it cannot read.
func (in PublishScopeInput) scope() (network.Scope, error) {
	sc := network.Scope{Hall: in.Hall, AllItems: in.AllItems, Items: in.Items, Excluded: in.Excluded, Decides: in.Decides,
		Issues: in.Issues, Note: in.Note}
	var c apperr.Collector
	var err error
	if sc.Cutoff, err = calendar.ParseTimeOfDay(in.Cutoff); err != nil {
		c.Add("cutoff", "交接截止时间须为 HH:MM，如 15:00")
	}
	if sc.Run, err = calendar.ParseTimeOfDay(in.Run); err != nil {
		c.Add("run", "交接班次时间须为 HH:MM，如 10:00")
	}
	return sc, c.Err("大厅事项范围有误，未发布")
}

// PublishHallScope publishes the next version of a hall's scope (bureau
// admin only): checked against the hall and the catalog, in force at once
// for every later intake. An edit of an older version than the one in
// force is a conflict.
func (s *Network) PublishHallScope(ctx context.Context, in PublishScopeInput) (*ScopeView, error) {
	a, err := require(ctx, "修改大厅的事项范围", org.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if !in.Confirm {
		return nil, apperr.Field("confirm", "请确认发布新的事项范围")
	}
	sc, err := in.scope()
	if err != nil {
		return nil, err
	}
	p, err := s.hallPlan(ctx, sc.Hall)
	if err != nil {
		return nil, err
	}
	items, err := s.store.Items(ctx, store.ItemFilter{})
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]*catalog.Item, len(items))
	for i := range items {
		byCode[items[i].Code] = &items[i]
	}
	sc.Normalize()
	if err := sc.Validate(p.Hall, byCode); err != nil {
		return nil, err
	}
	sc.PublishedBy = a.Name()
	if err := s.store.PublishHallScope(ctx, &sc, in.BaseVersion); err != nil {
		return nil, err
	}
	s.log.Info("hall scope published", "hall", sc.Hall, "version", sc.Version, "by", sc.PublishedBy, "request_id", RequestFrom(ctx).ID)
	return s.HallScope(ctx, sc.Hall)
}

// HallItems returns the current items the clerk's hall takes in, by
// code: what the intake page offers.
func (s *base) HallItems(ctx context.Context, hall string, items []catalog.Item) ([]catalog.Item, error) {
	sc, err := s.scopeOf(ctx, hall)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(items, func(it catalog.Item) bool { return !sc.TakesIn(it.Code) }), nil
}
