package service

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/onewindow/onewindow/internal/apiclient"
	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/store"
)

// CaseView is a case as one viewer sees it: ID numbers masked, the
// actions that viewer may take now, the warning and the running deadlines.
type CaseView struct {
	Case    *casework.Case
	Allowed []casework.Action
	// Refused are the actions the viewer's role may take on the case in
	// its state but not now, each with the reason (casework.Refused): the
	// case page greys them out with it instead of leaving them out.
	Refused []casework.Refusal
	Warning calendar.Warning
	Open    []casework.Due
	// The case as people read it, computed here so that no page fetches
	// the calendar or judges a warning: the warning's rank in red-first
	// order (calendar.Warning.Rank) and words, the state in words
	// (casework.Case.StateLabel, StateWords), every deadline set with
	// how each running one stands (Deadlines), the running ones (Running,
	// in Open's order) and the list's words for the case's time (DueWords).
	WarningRank  int
	WarningLabel string
	StateLabel   string
	StateWords   string
	Deadlines    []casework.DeadlineRow
	Running      []casework.DeadlineRow
	DueWords     string
	Events       []casework.Event    // filled by Case, not by Cases
	Documents    []casework.Document // filled by Case, not by Cases
	// Visit is the number of the queue ticket an intake linked the case
	// to (the visit the clerk was serving), "" when none.
	Visit string
	// Who received the case and pre-reviewed it, by their real names, and
	// the hall it was taken in at, by its name: filled by Case ("" when
	// unknown).
	ReceivedByName, PreReviewByName, HallName string
	// PickupHallName is the hall where the result is collected, by its
	// name; Journey says, in words, where the case's travelling paper,
	// result and receipt are (casework.Case.JourneyWords).
	PickupHallName string
	Journey        []string

	// names and hallName turn the usernames and hall codes of the record
	// into real names and hall names (filled by Case): see Name and
	// DeskWords.
	names    map[string]string
	hallName func(code string) string
}

// Name returns the real name of the person with username as the case's
// record names them (its events, its extension): 系统 for the system, the
// masked applicant as recorded, and — for anyone unknown, never the
// username itself.
func (v *CaseView) Name(username string) string {
	switch {
	case username == "system":
		return "系统"
	case strings.HasPrefix(username, "申请人"):
		return username
	case v.names[username] != "":
		return v.names[username]
	}
	return "—"
}

// ActorWords names who made event e as the record shows it: the person's
// real name and, when a department system acted for them, the system's
// name: 张三（经 不动产登记系统）.
func (v *CaseView) ActorWords(e casework.Event) string {
	name := v.Name(e.Actor)
	var d struct {
		Client string `json:"client"`
	}
	if json.Unmarshal(e.Details, &d) == nil && d.Client != "" {
		name += "（经 " + d.Client + "）"
	}
	return name
}

// DeskWords says through which desk an event of the case came, by the
// hall's name (casework.DeskWords).
func (v *CaseView) DeskWords(desk string) string { return casework.DeskWords(desk, v.hallName) }

// Next returns the case's earliest running deadline as people read it, or
// nil when none runs.
func (v *CaseView) Next() *casework.DeadlineRow {
	var next *casework.DeadlineRow
	for i, d := range v.Running {
		if next == nil || d.At.Before(next.At) {
			next = &v.Running[i]
		}
	}
	return next
}

// RunningRow returns the running deadline name as people read it, or nil.
func (v *CaseView) RunningRow(name string) *casework.DeadlineRow {
	for i, d := range v.Running {
		if d.Name == name {
			return &v.Running[i]
		}
	}
	return nil
}

// caseActor turns the signed-in account into the case's actor, with the
// desk the request came through.
func caseActor(ctx context.Context) (casework.Actor, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return casework.Actor{}, err
	}
	desk := RequestFrom(ctx).Channel
	if a.System {
		return casework.Actor{System: true, Desk: "system"}, nil
	}
	if acc := a.Account; acc != nil {
		return casework.Actor{Username: acc.Username(), Name: acc.Name, Role: org.RoleApplicant, AccountID: acc.ID, Desk: "online"}, nil
	}
	u := a.User
	if u.HallCode != "" {
		desk += ":" + u.HallCode
	}
	ca := casework.Actor{Username: u.Username, Name: u.Name, Role: u.Role, DepartmentCode: u.DepartmentCode, HallCode: u.HallCode, Desk: desk}
	if a.Client != nil {
		ca.Client = a.Client.Name
	}
	return ca, nil
}

// reader is who reads or acts on a case, with what the service knows of
// them beyond the actor: an applicant's account, an agent's
// authorisations.
type reader struct {
	casework.Actor
	account *applicant.Account
	mandate []applicant.Authorisation
}

// reader returns the case reader of ctx, loading an agent's authorisations.
func (s *Casework) reader(ctx context.Context) (reader, error) {
	a, err := caseActor(ctx)
	if err != nil {
		return reader{}, err
	}
	r := reader{Actor: a, account: AccountFrom(ctx)}
	if a.Role == org.RoleAgent && !a.System {
		if r.mandate, err = s.store.Authorisations(ctx, 0, a.Username); err != nil {
			return reader{}, err
		}
	}
	return r, nil
}

// mandateFor returns the agent's authorisation that covers the case's
// applicant and item now, or why none does.
func (r reader) mandateFor(c *casework.Case, now time.Time) (*applicant.Authorisation, error) {
	return applicant.Covering(r.mandate, c.AccountID, c.ItemCode, now)
}

// actingOn returns the actor for a change of c: an agent acts in the name
// of the applicant whose authorisation covers the case, and the event
// records both.
func (r reader) actingOn(c *casework.Case, now time.Time) casework.Actor {
	a := r.Actor
	if a.Role == org.RoleAgent {
		if m, err := r.mandateFor(c, now); err == nil {
			a.AccountID, a.OnBehalfOf = m.AccountID, c.Applicant.Name
		}
	}
	return a
}

// mayRead decides whether the reader may see the case: department roles see
// their own department's cases, applicants their own, agents those they
// applied for or hold a current authorisation for, everyone else every case.
// To an applicant or an agent, someone else's case is not there: the same
// NotFound, word for word, as a number that names no case, so that trying
// numbers tells nothing of other people's cases.
func (r reader) mayRead(c *casework.Case, now time.Time) error {
	a := r.Actor
	switch {
	case a.System:
		return nil
	case a.Role.NeedsDepartment() && a.DepartmentCode != c.DepartmentCode:
		return apperr.New(apperr.Forbidden, "只能查看本部门的办件（该办件属于 %s）", c.DepartmentCode)
	case a.Role == org.RoleApplicant:
		if r.account == nil || !r.account.Owns(c) {
			return casework.UnknownCase(c.Number)
		}
	case a.Role == org.RoleAgent:
		if c.AgentUser == a.Username {
			return nil
		}
		if _, err := r.mandateFor(c, now); err != nil {
			return casework.UnknownCase(c.Number)
		}
	}
	return nil
}

func (s *Casework) view(c *casework.Case, a casework.Actor, env casework.Env) *CaseView {
	masked := *c
	masked.Applicant = c.Applicant.Masked()
	if c.Agent != nil {
		agent := c.Agent.Masked()
		masked.Agent = &agent
	}
	if (a.Role == org.RoleApplicant || a.Role == org.RoleAgent) && !c.ResultFileVisible() {
		masked.Electronic = nil // until the issuance desk has taken it (electronic.go)
	}
	v := &CaseView{Case: &masked, Allowed: casework.Allowed(c, a, env), Refused: casework.Refused(c, a, env), Warning: c.Warning(env.Cal, env.Now), Open: c.OpenDeadlines()}
	v.WarningRank, v.WarningLabel = v.Warning.Rank(), v.Warning.Label()
	v.StateLabel, v.StateWords = c.StateLabel(), c.StateWords()
	v.Deadlines, v.DueWords = c.DeadlineRows(env.Cal, env.Now), c.DueWords(env.Cal, env.Now)
	for _, d := range v.Open {
		row := casework.RunningRow(env.Cal, env.Now, d)
		row.Consequence = c.DeadlineConsequence(d.Name)
		v.Running = append(v.Running, row)
	}
	return v
}

func (s *base) env(ctx context.Context) (casework.Env, error) {
	cal, err := s.districtCalendar(ctx)
	if err != nil {
		return casework.Env{}, err
	}
	return casework.Env{Cal: cal, Now: s.clock.Now()}, nil
}

// Intake takes in an application at the front desk (R1–R4, R15): only the
// handbook's materials, every required one present or (where the handbook
// allows) deferred with a pledge. The case gets its number and its receipt
// notice in the same transaction as its first event.
func (s *Casework) Intake(ctx context.Context, in casework.Intake) (*CaseView, error) {
	a, err := caseActor(ctx)
	if err != nil {
		return nil, err
	}
	if a.System || !a.Role.Sees(org.WorkIntake) {
		return nil, apperr.New(apperr.Forbidden, "只有综合受理窗口可以收件（一窗受理）")
	}
	env, err := s.intakeEnv(ctx)
	if err != nil {
		return nil, err
	}
	item, err := s.currentItem(ctx, in.ItemCode)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Field("item_code", "未知的事项："+in.ItemCode)
	}
	if err != nil {
		return nil, err
	}
	if err := s.checkPickupHall(ctx, &in); err != nil {
		return nil, err
	}
	if err := s.checkIntakeAgent(ctx, &in); err != nil {
		return nil, err
	}
	plan, err := s.intakeAtHall(ctx, a, item, &in, &env) // the hall's items, its transit, its pickup
	if err != nil {
		return nil, err
	}
	if err := s.initialReviewAt(ctx, plan, &env); err != nil { // 委托初审: initial_review.go
		return nil, err
	}
	c, ev, _, err := casework.NewCase(in, item, a, env)
	if err != nil {
		return nil, err
	}
	decidedHere(c, plan, item)
	c.CheckCode = checkCode()
	// The receipt documents the store saved are the answer's too: built
	// once, in the write (casework.Opened), not again for the answer.
	var made casework.Change
	opened := func(c *casework.Case, ev *casework.Event) casework.Change {
		made = casework.Opened(c, ev)
		return made
	}
	t, err := s.store.TakeIn(ctx, c, ev, opened, s.hall.visitLink(ctx, ActorFrom(ctx)))
	if err != nil {
		return nil, err
	}
	s.log.Info("case taken in", "number", c.Number, "item", c.ItemCode, "by", a.Username, "ticket", visitNumber(t), "request_id", RequestFrom(ctx).ID)
	v := s.view(c, a, env)
	docs := made.Documents
	if c.State == casework.Submitted { // Opened saves none for an online submission; the answer shows them as before
		docs = casework.IntakeDocuments(c)
	}
	v.Events, v.Documents, v.Visit = []casework.Event{*ev}, docs, visitNumber(t)
	return v, nil
}

// checkCode returns the six digits printed on the receipt that, with the
// case number, open the public progress page.
func checkCode() string {
	b := make([]byte, 6)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(10))
		b[i] = byte('0' + n.Int64())
	}
	return string(b)
}

// acting returns who is about to act on case number and the environment
// of the step (action names the step, for the written decisions' district:
// decisions.go). A supervisor reads and never acts.
func (s *Casework) acting(ctx context.Context, number string, action casework.Action) (reader, casework.Env, error) {
	if _, err := casework.ParseCaseNumber("number", number); err != nil {
		return reader{}, casework.Env{}, err
	}
	r, err := s.reader(ctx)
	if err != nil {
		return reader{}, casework.Env{}, err
	}
	if r.Actor.Role == org.RoleSupervisor {
		return reader{}, casework.Env{}, apperr.New(apperr.Forbidden, "监督人员只能查看，不能办理")
	}
	if err := needScope(ctx, apiclient.ScopeCasesAct); err != nil {
		return reader{}, casework.Env{}, err
	}
	env, err := s.env(ctx)
	if err != nil {
		return reader{}, casework.Env{}, err
	}
	s.writingEnv(ctx, action, &env)
	return r, env, nil
}

// actsOn checks, inside the change's transaction, that the reader may act
// on c as the version they saw (expectedVersion, 0 for any: a newer one is
// a stale page), and returns who acts.
func (r reader) actsOn(c *casework.Case, expectedVersion int, now time.Time) (casework.Actor, error) {
	if err := r.mayRead(c, now); err != nil {
		return casework.Actor{}, err
	}
	if expectedVersion != 0 && expectedVersion != c.Version {
		return casework.Actor{}, apperr.New(apperr.Conflict, "办件 %s 已被他人修改（当前第 %d 版，您看到的是第 %d 版），请刷新后重试", c.Number, c.Version, expectedVersion)
	}
	return r.actingOn(c, now), nil
}

// Act takes one action on a case. expectedVersion, if not 0, is the case
// version the actor saw; a newer one is a conflict (a stale page).
func (s *Casework) Act(ctx context.Context, number string, action casework.Action, in casework.Input, expectedVersion int) (*CaseView, error) {
	r, env, err := s.acting(ctx, number, action)
	if err != nil {
		return nil, err
	}
	a := r.Actor
	if action == casework.ActResubmitOnline {
		if err := s.online.verifyFiles(ctx, in.Files); err != nil {
			return nil, err
		}
	}
	if err := s.checkAttachments(ctx, action, in.Attachments); err != nil {
		return nil, err
	}
	if err := s.prepareResult(ctx, action, &in); err != nil { // electronic.go
		return nil, err
	}
	if action == casework.ActDeliver && in.AgentUser != "" {
		// The agent is checked and recorded under one name, as written.
		if in.AgentUser, err = org.ParseUsername("agent_user", in.AgentUser); err != nil {
			return nil, err
		}
		if err := s.online.checkCollector(ctx, number, in.AgentUser, env.Now); err != nil {
			return nil, err
		}
	}
	switch action {
	case casework.ActSubmitResult, casework.ActDeliver, casework.ActConfirmDelivery:
		// A result collected at a street or community hall travels there,
		// its receipt back (issue 15 item 3).
		if env.TransitHub, err = s.transitHub(ctx); err != nil {
			return nil, err
		}
	}
	var plan *hallPlan
	if action == casework.ActCompleteIntake && a.HallCode != "" {
		// The paper of an online application is taken in only at a hall
		// that takes its item in; from a street it travels.
		p, err := s.refreshedHallPlan(ctx, a.HallCode) // acting refreshed the caches
		if err != nil {
			return nil, err
		}
		plan, env.PaperTo = &p, p.PaperTo
	}
	var acting casework.Actor
	change := func(c *casework.Case) (casework.Change, error) {
		if acting, err = r.actsOn(c, expectedVersion, env.Now); err != nil {
			return casework.Change{}, err
		}
		if plan != nil && !plan.Scope.TakesIn(c.ItemCode) {
			return casework.Change{}, apperr.Field("item_code", plan.Hall.Name+"不收取「"+c.ItemName+"」（未下沉至本大厅），请引导申请人到可办理的大厅")
		}
		return casework.Step(c, action, in, acting, env)
	}
	var c *casework.Case
	var visit *queue.Ticket
	if action == casework.ActCompleteIntake {
		// The window takes the paper in: the case joins the clerk's visit.
		c, visit, err = s.store.UpdateCaseAtVisit(ctx, number, change, s.hall.visitLink(ctx, ActorFrom(ctx)))
	} else {
		c, err = s.store.UpdateCase(ctx, number, change)
	}
	if hr := (*casework.HallRefusal)(nil); errors.As(err, &hr) {
		return nil, hr.Named(s.hallNames(ctx)) // after the transaction: see HallRefusal
	}
	if err != nil {
		return nil, s.resultNotHere(ctx, number, action, err)
	}
	s.log.Info("case changed", "number", number, "action", action, "state", c.State, "by", a.Username, "request_id", RequestFrom(ctx).ID)
	if c.BundleNumber != "" && !a.System { // the system's own steps come from advancing the bundle
		s.advanceBundle(ctx, c.BundleNumber)
	}
	v := s.view(c, acting, env)
	v.Visit = visitNumber(visit)
	return v, nil
}

// Case returns one case with its events and documents.
func (s *Casework) Case(ctx context.Context, number string) (*CaseView, error) {
	if _, err := casework.ParseCaseNumber("number", number); err != nil {
		return nil, err
	}
	if err := needScope(ctx, apiclient.ScopeCasesRead); err != nil {
		return nil, err
	}
	r, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.store.Case(ctx, number)
	if err != nil {
		return nil, err
	}
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	if err := r.mayRead(c, env.Now); err != nil {
		return nil, err
	}
	v := s.view(c, r.actingOn(c, env.Now), env)
	if v.Events, err = s.store.CaseEvents(ctx, number); err != nil {
		return nil, err
	}
	if v.Documents, err = s.store.CaseDocuments(ctx, number); err != nil {
		return nil, err
	}
	if err := s.nameCasePeople(ctx, v); err != nil {
		return nil, err
	}
	return v, nil
}

// nameCasePeople fills the names a case page shows for who received the
// case, who pre-reviewed it and the hall it was taken in at: real names
// and the hall's name, never the username or the code ("" when unknown,
// e.g. an online applicant's account); also names the usernames of more.
func (s *Casework) nameCasePeople(ctx context.Context, v *CaseView, more ...string) error {
	c := v.Case
	users := append([]string{c.ReceivedBy}, casePeople(v)...)
	users = append(users, more...)
	if c.PreReview != nil {
		users = append(users, c.PreReview.By)
	}
	if x := c.Extension; x != nil {
		users = append(users, x.RequestedBy, x.DecidedBy)
	}
	for _, e := range v.Events {
		if !slices.Contains(users, e.Actor) {
			users = append(users, e.Actor)
		}
	}
	names, err := s.store.UserNames(ctx, users)
	if err != nil {
		return err
	}
	v.names = names
	v.ReceivedByName = names[c.ReceivedBy]
	if c.PreReview != nil {
		v.PreReviewByName = names[c.PreReview.By]
	}
	v.hallName = s.hallNames(ctx)
	if c.HallCode != "" && v.hallName != nil {
		v.HallName = v.hallName(c.HallCode)
	}
	if p := c.DeskHall(casework.PickupHall); p != "" && v.hallName != nil {
		v.PickupHallName = nameOr(v.hallName, p)
	}
	v.Journey = c.JourneyWords(func(code string) string { return nameOr(v.hallName, code) })
	return nil
}

// CaseFilter narrows a work list.
type CaseFilter struct {
	States     []casework.State
	Department string
	Warning    calendar.Warning // yellow: yellow or red; red: red only
	Query      string
	Page       int
	Bundle     string // the members of one bundle

	// The case search's fields (case_search.go).
	Phone    string        // the applicant's whole phone, as typed
	From, To calendar.Date // received on or after From, on or before To (zero: open)
	Item     string        // the item's code
	Clerk    string        // the username of the clerk who received the case
}

// CasePage is one page of a work list.
type CasePage struct {
	Cases []*CaseView
	Total int
	Page  int
	Size  int
}

// Cases returns a work list, red and yellow cases first. Department roles
// see their own department only.
func (s *Casework) Cases(ctx context.Context, f CaseFilter) (*CasePage, error) {
	if err := needScope(ctx, apiclient.ScopeCasesRead); err != nil {
		return nil, err
	}
	a, err := caseActor(ctx)
	if err != nil {
		return nil, err
	}
	if a.Role == org.RoleApplicant {
		return nil, apperr.New(apperr.Forbidden, "请在“我的办件”查看本人的办件")
	}
	if a.Role.NeedsDepartment() {
		if f.Department != "" && f.Department != a.DepartmentCode {
			return nil, apperr.New(apperr.Forbidden, "只能查看本部门的办件")
		}
		f.Department = a.DepartmentCode
	}
	for _, st := range f.States {
		if !validState(st) {
			return nil, apperr.Field("state", "未知的办件状态："+string(st))
		}
	}
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	sf := store.CaseFilter{States: f.States, Department: f.Department, Query: f.Query, Page: f.Page, Size: 50, Bundle: f.Bundle}
	if err := narrowSearch(f, &sf); err != nil {
		return nil, err
	}
	if a.Role == org.RoleAgent {
		sf.Agent = a.Username // the service below drops what the mandate no longer covers
	}
	switch f.Warning {
	case "", calendar.WarningNone:
	case calendar.WarningRed:
		sf.DueBefore = env.Now
	case calendar.WarningYellow:
		sf.DueBefore = env.Cal.AddWorkingDays(env.Now, env.Cal.Settings().YellowDays)
	default:
		return nil, apperr.Field("warning", "预警须为 yellow 或 red")
	}
	cases, total, err := s.store.Cases(ctx, sf)
	if err != nil {
		return nil, err
	}
	page := &CasePage{Total: total, Page: max(f.Page, 1), Size: 50}
	var r reader
	if a.Role == org.RoleAgent {
		if r, err = s.reader(ctx); err != nil {
			return nil, err
		}
	}
	for i := range cases {
		if a.Role == org.RoleAgent {
			if r.mayRead(&cases[i], env.Now) != nil {
				page.Total--
				continue
			}
			page.Cases = append(page.Cases, s.view(&cases[i], r.actingOn(&cases[i], env.Now), env))
			continue
		}
		page.Cases = append(page.Cases, s.view(&cases[i], a, env))
	}
	return page, nil
}

func validState(st casework.State) bool {
	for _, known := range casework.States {
		if st == known {
			return true
		}
	}
	return false
}

// SweepLapsed terminates every case whose deferred materials are overdue.
// Several nodes may sweep at once: each case's change is taken once, the
// others find it already done.
func (s *Casework) SweepLapsed(ctx context.Context) (int, error) {
	ctx = WithRequest(AsSystem(ctx), Request{ID: "sweep", Channel: "system"})
	numbers, err := s.store.LapsedCases(ctx, s.clock.Now(), 500)
	if err != nil {
		return 0, err
	}
	done := 0
	for _, n := range numbers {
		_, err := s.Act(ctx, n, casework.ActLapse, casework.Input{}, 0)
		switch {
		case err == nil:
			done++
			s.log.Info("case terminated: deferred materials lapsed", "number", n)
		case apperr.Is(err, apperr.Conflict):
			// Another node got there first, or the materials just arrived.
		default:
			return done, err
		}
	}
	return done, nil
}

// RunJobs runs the background work until ctx ends, and returns once all of
// it has stopped: the sweeps every interval, the notification outbox on its
// own tick and whenever a commit queues a notice.
func (s *Casework) RunJobs(ctx context.Context, interval time.Duration) {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { s.notifier.Run(ctx) })
	wg.Go(func() { s.online.runFileCollection(ctx, collectEvery) })
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.SweepLapsed(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("sweep lapsed deferrals", "err", err)
		}
		if err := s.SweepBundles(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("sweep bundles", "err", err)
		}
		s.expireAttempts(ctx)
		if n, err := s.agents.SweepAgentReminders(ctx); err != nil && ctx.Err() == nil { // nil-safe
			s.log.Error("sweep agents' reminders", "err", err)
		} else if n > 0 {
			s.log.Info("agents reminded", "reminders", n)
		}
		if rep, err := s.sv.Sweep(WithRequest(AsSystem(ctx), Request{ID: "sweep", Channel: "system"})); err != nil && ctx.Err() == nil {
			s.log.Error("sweep supervision notices", "err", err)
		} else if rep != nil && rep.Opened+rep.Escalated > 0 {
			s.log.Info("supervision notices", "opened", rep.Opened, "escalated", rep.Escalated)
		}

		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// VerifyAudit checks every case's event chain.
func (s *Casework) VerifyAudit(ctx context.Context) (*store.ChainReport, error) {
	if _, err := require(ctx, "核查办件记录", org.RoleAdmin, org.RoleSupervisor); err != nil {
		return nil, err
	}
	return s.store.VerifyChains(ctx)
}
