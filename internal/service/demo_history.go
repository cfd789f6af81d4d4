package service

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/network"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/store"
)

// HistoryOptions says what history GenerateHistory makes.
type HistoryOptions struct {
	Cases    int       // how many cases
	From, To time.Time // intakes fall on working days in [From, To); To is also where the story stops
	Seed     uint64    // the same seed on the same database makes the same history
	Batch    int       // cases written per transaction (default 1000)
	// Progress, if set, is told after each batch how many cases are done.
	Progress func(done int)
}

// HistoryReport counts what GenerateHistory made.
type HistoryReport struct {
	Cases      int           `json:"cases"`
	Events     int           `json:"events"`
	Ratings    int           `json:"ratings"`
	Returned   int           `json:"returned"`
	Paused     int           `json:"paused"`
	Extended   int           `json:"extended"`
	Late       int           `json:"late"` // cases with at least one step done after its deadline
	Open       int           `json:"open"` // cases the story left unfinished at To
	Staff      int           `json:"staff"`
	Took       time.Duration `json:"took"`
	CasesPerS  float64       `json:"cases_per_second"`
	EventsPerS float64       `json:"events_per_second"`
}

// historyDesk is the desk generated events record: they came through no
// real desk, and the record says so.
const historyDesk = "demo"

// GenerateHistory fills the database with made-up cases spread over the
// period: across the catalog's items, their departments and the district's
// halls, on working days, with returns, deferred materials, paper
// handovers (a second one for supplied paper), pauses, extensions, refused
// results, pickups and mail, archiving, ratings (bad ones open their
// rectification), withdrawals and terminations, some steps late. Every
// change goes through the same domain transitions (casework.NewCase,
// casework.Apply, rating.New) and the same store writes as a real one, so
// every figure derived from events agrees with the cases; only the commits
// are shared, by batches of cases. Generated changes send no notices.
// Staff accounts the story needs and the district lacks are added,
// inactive (nobody can sign in with them).
func (s *Service) GenerateHistory(ctx context.Context, opt HistoryOptions) (*HistoryReport, error) {
	if _, err := require(ctx, "生成演示历史数据", org.RoleAdmin); err != nil {
		return nil, err
	}
	if opt.Cases < 0 || opt.Cases > 10_000_000 {
		return nil, apperr.Field("cases", "办件数须在 0 至 10000000 之间")
	}
	if !opt.From.Before(opt.To) {
		return nil, apperr.Field("from", "起始时间须早于截止时间")
	}
	if opt.Batch <= 0 {
		opt.Batch = 1000
	}
	started := time.Now()
	g, err := s.newHistory(ctx, opt)
	if err != nil {
		return nil, err
	}
	ctx = store.WithoutNotices(ctx)
	for done := 0; done < opt.Cases; {
		n := min(opt.Batch, opt.Cases-done)
		err := s.store.Batch(ctx, func(b *store.CaseBatch) error {
			for range n {
				if err := g.story(b, g.intakes[done]); err != nil {
					return err
				}
				done++
			}
			return g.saveRuns(b)
		})
		if err != nil {
			return nil, fmt.Errorf("generated case %d: %w", done+1, err)
		}
		if opt.Progress != nil {
			opt.Progress(done)
		}
	}
	// The statistics and the rollups' pages as a bulk load leaves them are
	// the first figures' cost: settle them now.
	if err := s.store.Settle(ctx); err != nil {
		return nil, err
	}
	r := g.rep
	r.Took = time.Since(started)
	if secs := r.Took.Seconds(); secs > 0 {
		r.CasesPerS, r.EventsPerS = float64(r.Cases)/secs, float64(r.Events)/secs
	}
	s.log.Info("history generated", "cases", r.Cases, "events", r.Events, "ratings", r.Ratings, "took", r.Took)
	return &r, nil
}

// history is one run of the generator.
type history struct {
	rnd      *rand.Rand
	cal      *calendar.Calendar
	rating   rating.Settings
	end      time.Time
	items    []*catalog.Item
	halls    []string              // intake halls, the district's hall most often
	pickupAt map[string]string     // intake hall → hall whose issuance desk hands out
	intake   map[string][]org.User // hall → intake clerks
	issuance map[string][]org.User // hall → issuance clerks
	review   map[string][]org.User // department → reviewers
	admins   map[string][]org.User // department → department admins
	intakes  []time.Time           // every case's intake moment, in order
	// The street network: where each hall's paper travels ("" when it
	// does not), the halls' transit cut-offs and runs, and the batches of
	// the runs the current transaction's cases travel on
	// (demo_history_transit.go).
	paperTo map[string]string
	scopes  map[string]network.Scope
	runs    map[runKey]*network.Batch
	order   []runKey
	rep     HistoryReport
}

func (s *Service) newHistory(ctx context.Context, opt HistoryOptions) (*history, error) {
	cal, err := s.districtCalendar(ctx)
	if err != nil {
		return nil, err
	}
	g := &history{rnd: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)), cal: cal, rating: s.ratingSettings(), end: opt.To,
		pickupAt: map[string]string{}, paperTo: map[string]string{}, scopes: map[string]network.Scope{}, runs: map[runKey]*network.Batch{}}
	items, err := s.store.Items(ctx, store.ItemFilter{})
	if err != nil {
		return nil, err
	}
	for i := range items {
		g.items = append(g.items, &items[i])
	}
	if len(g.items) == 0 {
		return nil, apperr.New(apperr.Conflict, "事项目录为空，无法生成办件")
	}
	if err := s.historyStaff(ctx, g); err != nil {
		return nil, err
	}
	if err := s.historyNetwork(ctx, g); err != nil {
		return nil, err
	}
	// Working days of the period, each as likely as any other.
	var days []calendar.Date
	for d := calendar.DateOf(opt.From); d.At(9, 0).Before(opt.To); d = d.AddDays(1) {
		if cal.IsWorkingDay(d) {
			days = append(days, d)
		}
	}
	if len(days) == 0 {
		return nil, apperr.Field("from", "所选期间没有工作日")
	}
	for range opt.Cases {
		d := days[g.rnd.IntN(len(days))]
		t := d.At(9, 0).Add(time.Duration(g.rnd.Int64N(int64(7*time.Hour + 50*time.Minute))))
		if t.Before(opt.From) {
			t = opt.From
		}
		if !t.Before(opt.To) {
			t = opt.To.Add(-time.Minute)
		}
		g.intakes = append(g.intakes, t)
	}
	slices.SortFunc(g.intakes, func(a, b time.Time) int { return a.Compare(b) })
	return g, nil
}

// historyStaff finds the clerks, reviewers and department admins the story
// needs, adding (inactive) accounts where the district has none.
func (s *Service) historyStaff(ctx context.Context, g *history) error {
	users, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return err
	}
	depts, err := s.store.Departments(ctx)
	if err != nil {
		return err
	}
	g.intake, g.issuance, g.review, g.admins = map[string][]org.User{}, map[string][]org.User{}, map[string][]org.User{}, map[string][]org.User{}
	place := func(u org.User) {
		switch u.Role {
		case org.RoleIntake:
			g.intake[u.HallCode] = append(g.intake[u.HallCode], u)
		case org.RoleIssuance:
			g.issuance[u.HallCode] = append(g.issuance[u.HallCode], u)
		case org.RoleReviewer:
			g.review[u.DepartmentCode] = append(g.review[u.DepartmentCode], u)
		case org.RoleDeptAdmin:
			g.admins[u.DepartmentCode] = append(g.admins[u.DepartmentCode], u)
		}
	}
	for _, u := range users {
		place(u)
	}
	var hash string
	add := func(username string, role org.Role, dept, hall string) error {
		if hash == "" {
			key, err := randomKey("")
			if err != nil {
				return err
			}
			if hash, err = org.HashPassword(key); err != nil {
				return apperr.Wrap(err, "hash password")
			}
		}
		u := org.User{Username: username, Name: demo.PersonName(g.rnd), Role: role, DepartmentCode: dept, HallCode: hall, PasswordHash: hash}
		if err := s.store.CreateUser(ctx, &u); err != nil {
			return err
		}
		g.rep.Staff++
		place(u)
		return nil
	}
	hallUsers := func(m map[string][]org.User, role org.Role, prefix, hall string, i int) error {
		if len(m[hall]) > 0 {
			return nil
		}
		return add(fmt.Sprintf("%s%02d", prefix, i+1), role, "", hall)
	}
	for i, h := range halls {
		weight := 1
		if h.Level == org.District {
			weight = 6
		}
		for range weight {
			g.halls = append(g.halls, h.Code)
		}
		if err := hallUsers(g.intake, org.RoleIntake, "gen-sl", h.Code, i); err != nil {
			return err
		}
		// A community station hands results out at its street's center.
		pickup := h.Code
		if h.Level == org.Community && h.ParentCode != "" {
			pickup = h.ParentCode
		}
		g.pickupAt[h.Code] = pickup
		if err := hallUsers(g.issuance, org.RoleIssuance, "gen-cj", pickup, i); err != nil {
			return err
		}
	}
	for _, d := range depts {
		if len(g.review[d.Code]) == 0 {
			if err := add("gen-sp-"+d.Code, org.RoleReviewer, d.Code, ""); err != nil {
				return err
			}
		}
		if len(g.admins[d.Code]) == 0 {
			if err := add("gen-bm-"+d.Code, org.RoleDeptAdmin, d.Code, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *history) pick(users []org.User) casework.Actor {
	u := users[g.rnd.IntN(len(users))]
	desk := historyDesk
	if u.HallCode != "" {
		desk += ":" + u.HallCode
	}
	return casework.Actor{Username: u.Username, Role: u.Role, DepartmentCode: u.DepartmentCode, HallCode: u.HallCode, Desk: desk}
}

func (g *history) chance(p float64) bool { return g.rnd.Float64() < p }

// moment returns a random working-hours moment days working days after
// from (0: later the same working day, or the next one's if from is past
// closing), always after from.
func (g *history) moment(from time.Time, days int) time.Time {
	d := calendar.DateOf(from)
	if !g.cal.IsWorkingDay(d) {
		d = g.cal.NextWorkingDay(d)
	}
	for range days {
		d = g.cal.NextWorkingDay(d)
	}
	start, end := d.At(9, 0), d.At(17, 0)
	if start.Before(from) {
		start = from
	}
	if end.Sub(start) < 10*time.Minute {
		d = g.cal.NextWorkingDay(d)
		start, end = d.At(9, 0), d.At(17, 0)
	}
	return start.Add(time.Minute + time.Duration(g.rnd.Int64N(int64(end.Sub(start)-time.Minute))))
}

// soon returns a moment minutes after from (same sitting at the desk).
func (g *history) soon(from time.Time, minutes int) time.Time {
	return from.Add(time.Duration(1+g.rnd.IntN(minutes)) * time.Minute)
}

// onTime returns a moment after from by due; late, one after due. A due
// that has already passed makes it late either way.
func (g *history) onTime(from, due time.Time, late bool) time.Time {
	if late || !from.Before(due) {
		base := due
		if from.After(base) {
			base = from
		}
		return g.moment(base, g.rnd.IntN(4))
	}
	span := g.cal.WorkingDaysBetween(from, due)
	t := g.moment(from, g.rnd.IntN(span+1))
	if t.After(due) {
		t = due.Add(-time.Duration(1+g.rnd.IntN(30)) * time.Minute)
		if !t.After(from) {
			t = from.Add(time.Minute)
		}
	}
	return t
}

// applicant makes up who applies for item.
func (g *history) applicant(item *catalog.Item) casework.Party {
	person := slices.Contains(item.ApplicantKinds, catalog.NaturalPerson)
	if person && (len(item.ApplicantKinds) == 1 || g.chance(0.6)) {
		return casework.Party{Kind: casework.Person, Name: demo.PersonName(g.rnd), IDType: identity.ResidentID,
			IDNumber: demo.ResidentID(g.rnd), Phone: demo.Mobile(g.rnd), Address: demo.Address(g.rnd)}
	}
	return casework.Party{Kind: casework.Entity, Name: demo.FirmName(g.rnd), IDType: identity.CreditCode,
		IDNumber: demo.CreditCode(g.rnd), Phone: demo.Mobile(g.rnd), Address: demo.Address(g.rnd)}
}

func demoName(g *history) string { return demo.PersonName(g.rnd) }
func demoID(g *history) string   { return demo.ResidentID(g.rnd) }
