package service

import (
	"context"
	"slices"

	"github.com/onewindow/onewindow/internal/apiclient"
	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/bundle"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// BundleTemplates lists the joint applications (一件事) on offer; public,
// like the handbook.
func (s *Casework) BundleTemplates(ctx context.Context) ([]bundle.Template, error) {
	return s.store.BundleTemplates(ctx)
}

// BundleTemplate returns one template.
func (s *Casework) BundleTemplate(ctx context.Context, code string) (*bundle.Template, error) {
	return s.store.BundleTemplate(ctx, code)
}

// SaveBundleTemplate adds or replaces a template (bureau admin), checked
// against the current catalog.
func (s *Casework) SaveBundleTemplate(ctx context.Context, t *bundle.Template) error {
	a, err := require(ctx, "维护一件事", org.RoleAdmin)
	if err != nil {
		return err
	}
	items, err := s.itemsOf(ctx, t)
	if err != nil {
		return err
	}
	if err := t.Validate(items); err != nil {
		return err
	}
	return s.store.SaveBundleTemplate(ctx, t, a.Name(), s.clock.Now())
}

// itemsOf returns the current version of the template's items that exist,
// by code.
func (s *Casework) itemsOf(ctx context.Context, t *bundle.Template) (map[string]*catalog.Item, error) {
	if _, err := s.districtCalendar(ctx); err != nil { // refreshes the item cache
		return nil, err
	}
	out := map[string]*catalog.Item{}
	for _, m := range t.Members {
		it, err := s.currentItem(ctx, m.ItemCode)
		switch {
		case err == nil:
			out[m.ItemCode] = it
		case !apperr.Is(err, apperr.NotFound):
			return nil, err
		}
	}
	return out, nil
}

// BundleMember is one member's part of a window intake: its materials.
type BundleMember struct {
	ItemCode    string
	Materials   []casework.MaterialInput
	DeferralDue string
}

// BundleIntake is a joint application taken in at the window on one form
// (一表式收件).
type BundleIntake struct {
	Template  string
	Applicant casework.Party
	Agent     *casework.Party
	Form      map[string]string
	Members   []BundleMember
	Delivery  *casework.Delivery
}

// bundleStart returns the template a new bundle is made of (an unknown one
// is bad input) and the moment it is made.
func (s *Casework) bundleStart(ctx context.Context, code string) (*bundle.Template, casework.Env, error) {
	t, err := s.store.BundleTemplate(ctx, code)
	if apperr.Is(err, apperr.NotFound) {
		return nil, casework.Env{}, apperr.Field("template", "未知的一件事："+code)
	}
	if err != nil {
		return nil, casework.Env{}, err
	}
	env, err := s.intakeEnv(ctx)
	return t, env, err
}

// BundleView is a bundle with its member cases as the viewer sees them.
type BundleView struct {
	Bundle   *bundle.Bundle
	Template *bundle.Template
	Cases    []*CaseView // in member order
	Warning  calendar.Warning
	// Visit is the number of the queue ticket an intake linked the
	// member cases to, "" when none.
	Visit string
	Standing
}

// Standing is how a bundle's time stands, as people read it: its
// warning's rank (red first) and words, and the words of its due date
// while it is open ("" once done).
type Standing struct {
	WarningRank  int
	WarningLabel string
	DueWords     string
}

// BundleRow is a bundle in a list, with how its time stands.
type BundleRow struct {
	Bundle  bundle.Bundle
	Warning calendar.Warning
	Standing
}

// bundleStanding returns how b's time stands at env's now.
func bundleStanding(b *bundle.Bundle, env casework.Env) (calendar.Warning, Standing) {
	w := b.Warning(env.Cal, env.Now)
	st := Standing{WarningRank: w.Rank(), WarningLabel: w.Label()}
	if b.State == bundle.Open {
		st.DueWords = env.Cal.DueWords(env.Now, b.DueBy)
	}
	return w, st
}

// bundleRows turns bundles into list rows, red first, each level in the
// order given.
func (s *Casework) bundleRows(ctx context.Context, bs []bundle.Bundle) ([]BundleRow, error) {
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]BundleRow, len(bs))
	for i := range bs {
		out[i].Bundle = bs[i]
		out[i].Warning, out[i].Standing = bundleStanding(&bs[i], env)
	}
	slices.SortStableFunc(out, func(a, b BundleRow) int { return calendar.RedFirst(a.Warning, b.Warning) })
	return out, nil
}

// BundleList is Bundles as list rows, red first, with how each one's time
// stands.
func (s *Casework) BundleList(ctx context.Context, state bundle.State) ([]BundleRow, error) {
	bs, err := s.Bundles(ctx, state)
	if err != nil {
		return nil, err
	}
	return s.bundleRows(ctx, bs)
}

// IntakeBundle takes in a joint application at the intake desk: one case
// per member, every one with the shared form and applicant, the ordered
// ones waiting for their prerequisites, all saved in one transaction.
func (s *Casework) IntakeBundle(ctx context.Context, in BundleIntake) (*BundleView, error) {
	a, err := caseActor(ctx)
	if err != nil {
		return nil, err
	}
	if a.System || a.Role != org.RoleIntake {
		return nil, apperr.New(apperr.Forbidden, "只有综合受理窗口可以收件（一窗受理）")
	}
	t, env, err := s.bundleStart(ctx, in.Template)
	if err != nil {
		return nil, err
	}
	var cases []*casework.Case
	var events []*casework.Event
	var errs apperr.Collector
	// Everything wrong is told in one go (art. 32): the form's fields and
	// every member's materials.
	form, err := t.CheckForm(in.Form)
	for _, f := range apperr.FieldsOf(err) {
		errs.Add(f.Field, f.Message)
	}
	for _, m := range t.Members {
		i := slices.IndexFunc(in.Members, func(x BundleMember) bool { return x.ItemCode == m.ItemCode })
		if i < 0 {
			errs.Add("members", "缺少事项的材料："+m.ItemCode)
			continue
		}
		item, err := s.currentItem(ctx, m.ItemCode)
		if err != nil {
			return nil, err
		}
		member := in.Members[i]
		c, ev, _, err := casework.NewCase(casework.Intake{
			ItemCode: m.ItemCode, Channel: casework.AtWindow, Applicant: in.Applicant, Agent: in.Agent,
			Materials: member.Materials, DeferralDue: member.DeferralDue, Delivery: in.Delivery, WaitFor: m.After,
		}, item, a, env)
		if err != nil {
			for _, f := range apperr.FieldsOf(err) {
				errs.Add(m.ItemCode+"."+f.Field, item.Name+"："+f.Message)
			}
			if len(apperr.FieldsOf(err)) == 0 {
				return nil, err
			}
			continue
		}
		c.Form = form
		c.CheckCode = checkCode()
		cases, events = append(cases, c), append(events, ev)
	}
	seen := map[string]bool{}
	for _, m := range in.Members {
		if !slices.ContainsFunc(t.Members, func(x bundle.Member) bool { return x.ItemCode == m.ItemCode }) {
			errs.Add("members", "该一件事不包含事项："+m.ItemCode)
		}
		if seen[m.ItemCode] {
			errs.Add("members", "事项重复："+m.ItemCode)
		}
		seen[m.ItemCode] = true
	}
	if err := errs.Err("一件事收件信息有误，未收件"); err != nil {
		return nil, err
	}
	b := bundle.New(t, cases[0].Applicant, casework.AtWindow, form, env.Cal, env.Now)
	b.Members = s.bundleMembers(t, cases)
	visit, err := s.store.TakeInBundle(ctx, b, cases, events, casework.Opened, s.hall.visitLink(ctx, ActorFrom(ctx)))
	if err != nil {
		return nil, err
	}
	s.log.Info("bundle taken in", "number", b.Number, "template", t.Code, "members", len(cases), "by", a.Username, "ticket", visitNumber(visit))
	v, err := s.Bundle(ctx, b.Number)
	if err != nil {
		return nil, err
	}
	v.Visit = visitNumber(visit)
	return v, nil
}

func (s *Casework) bundleMembers(t *bundle.Template, cases []*casework.Case) []bundle.MemberCase {
	out := make([]bundle.MemberCase, len(cases))
	for i, c := range cases {
		out[i] = bundle.MemberCase{ItemCode: c.ItemCode, ItemName: c.ItemName, Department: c.DepartmentCode, After: t.Member(c.ItemCode).After}
	}
	return out
}

// BundleOnline is a joint application made online: the shared form and
// each member's files.
type BundleOnline struct {
	Template  string
	Form      map[string]string
	Files     map[string]map[string][]casework.FileRef // item code → material code → files
	Delivery  *casework.Delivery
	AccountID int64 // an agent names the account acted for
	DraftID   int64 // the applicant's BundleDraft it came from, removed in the same transaction
}

// SubmitBundle submits a joint application online: one submitted case per
// member, pre-reviewed by each department in parallel; ordered members
// wait for their prerequisites before acceptance.
func (s *Casework) SubmitBundle(ctx context.Context, in BundleOnline) (*BundleView, error) {
	t, env, err := s.bundleStart(ctx, in.Template)
	if err != nil {
		return nil, err
	}
	var cases []*casework.Case
	var events []*casework.Event
	var errs apperr.Collector
	form, err := t.CheckForm(in.Form)
	for _, f := range apperr.FieldsOf(err) {
		errs.Add(f.Field, f.Message)
	}
	for code := range in.Files {
		if !slices.ContainsFunc(t.Members, func(x bundle.Member) bool { return x.ItemCode == code }) {
			errs.Add("files", "该一件事不包含事项："+code)
		}
	}
	var accountID int64
	draftID := in.DraftID
	for _, m := range t.Members {
		acc, actor, err := s.online.actingFor(ctx, in.AccountID, m.ItemCode, env.Now)
		if err != nil {
			return nil, err
		}
		accountID = acc.ID
		if actor.Account == nil {
			draftID = 0 // agents submit directly
		}
		item, err := s.online.onlineItem(ctx, m.ItemCode)
		if err != nil {
			return nil, err
		}
		a := onlineActor(ctx, acc, actor)
		pickup, err := s.onlinePickupHall(ctx, item)
		if err != nil {
			return nil, err
		}
		c, ev, err := casework.NewOnlineCase(casework.OnlineApplication{
			ItemCode: m.ItemCode, Applicant: acc.Party(), Files: in.Files[m.ItemCode], Delivery: in.Delivery, Form: form, WaitFor: m.After,
			PickupHall: pickup,
		}, item, a, env)
		if err != nil {
			for _, f := range apperr.FieldsOf(err) {
				errs.Add(m.ItemCode+"."+f.Field, item.Name+"："+f.Message)
			}
			if len(apperr.FieldsOf(err)) == 0 {
				return nil, err
			}
			continue
		}
		if err := s.online.checkFiles(ctx, c); err != nil {
			return nil, err
		}
		c.CheckCode = checkCode()
		cases, events = append(cases, c), append(events, ev)
	}
	if err := errs.Err("一件事网上申报信息有误，未提交"); err != nil {
		return nil, err
	}
	b := bundle.New(t, cases[0].Applicant, casework.Online, form, env.Cal, env.Now)
	b.AccountID = accountID
	b.Members = s.bundleMembers(t, cases)
	if err := s.store.CreateBundle(ctx, b, cases, events, draftID, casework.Opened); err != nil {
		return nil, err
	}
	s.log.Info("bundle submitted online", "number", b.Number, "template", t.Code, "members", len(cases))
	return s.Bundle(ctx, b.Number)
}

// Bundle returns a bundle with its member cases. The lead department sees
// the whole bundle; a member department sees the bundle and its own cases'
// details; desks, supervisors, the applicant and their agents see all.
func (s *Casework) Bundle(ctx context.Context, number string) (*BundleView, error) {
	if _, err := bundle.ParseNumber("number", number); err != nil {
		return nil, err
	}
	if err := needScope(ctx, apiclient.ScopeCasesRead); err != nil {
		return nil, err
	}
	r, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.store.Bundle(ctx, number)
	if err != nil {
		return nil, err
	}
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.store.BundleTemplate(ctx, b.TemplateCode)
	if err != nil {
		return nil, err
	}
	b.Applicant = b.Applicant.Masked()
	v := &BundleView{Bundle: b, Template: t}
	v.Warning, v.Standing = bundleStanding(b, env)
	lead := r.Role.NeedsDepartment() && r.DepartmentCode == b.LeadDepartment
	member := false
	for _, m := range b.Members {
		c, err := s.store.Case(ctx, m.CaseNumber)
		if err != nil {
			return nil, err
		}
		if lead {
			v.Cases = append(v.Cases, s.view(c, r.Actor, env))
			continue
		}
		if err := r.mayRead(c, env.Now); err != nil {
			if r.Role.NeedsDepartment() {
				// Another department's member: shown without acting on it.
				v.Cases = append(v.Cases, s.view(c, casework.Actor{Username: r.Username, Role: org.RoleSupervisor}, env))
				continue
			}
			if apperr.Is(err, apperr.NotFound) {
				// Someone else's bundle: not there, as an unknown number
				// is, and without naming the member case.
				return nil, bundle.UnknownBundle(number)
			}
			return nil, err
		}
		member = member || (r.Role.NeedsDepartment() && c.DepartmentCode == r.DepartmentCode)
		v.Cases = append(v.Cases, s.view(c, r.actingOn(c, env.Now), env))
	}
	if r.Role.NeedsDepartment() && !lead && !member {
		return nil, apperr.New(apperr.Forbidden, "只有牵头部门和参与部门可以查看该一件事")
	}
	return v, nil
}

// Bundles lists bundles: a department's (lead or member), an applicant's,
// or every one for the desks and supervisors.
func (s *Casework) Bundles(ctx context.Context, state bundle.State) ([]bundle.Bundle, error) {
	if err := needScope(ctx, apiclient.ScopeCasesRead); err != nil {
		return nil, err
	}
	a, err := caseActor(ctx)
	if err != nil {
		return nil, err
	}
	f := store.BundleFilter{State: state}
	switch {
	case a.Role == org.RoleApplicant:
		f.AccountID = a.AccountID
	case a.Role.NeedsDepartment():
		f.Department = a.DepartmentCode
	case a.Role == org.RoleAgent:
		return nil, apperr.New(apperr.Forbidden, "代办员请在“代办”页面查看")
	}
	bs, err := s.store.Bundles(ctx, f)
	for i := range bs {
		bs[i].Applicant = bs[i].Applicant.Masked()
	}
	return bs, err
}

// advanceBundle opens the members whose prerequisites were approved,
// terminates those whose prerequisites failed, and closes the bundle when
// every member has ended. Every step is its own transaction and is safe to
// repeat: the sweep runs it again for any bundle left half-way by a crash.
func (s *Casework) advanceBundle(ctx context.Context, number string) {
	if err := s.stepBundle(WithRequest(AsSystem(ctx), Request{ID: "bundle", Channel: "system"}), number); err != nil && ctx.Err() == nil {
		s.log.Error("advance bundle", "number", number, "err", err)
	}
}

func (s *Casework) stepBundle(ctx context.Context, number string) error {
	for range 10 { // a chain of openings settles within as many rounds as members
		b, err := s.store.Bundle(ctx, number)
		if err != nil || b.State == bundle.Done {
			return err
		}
		cases := map[string]*casework.Case{}
		for _, m := range b.Members {
			c, err := s.store.Case(ctx, m.CaseNumber)
			if err != nil {
				return err
			}
			cases[c.Number] = c
		}
		steps, done := b.Progress(cases)
		if done {
			err := s.store.CloseBundle(ctx, b, s.clock.Now())
			if apperr.Is(err, apperr.Conflict) {
				return nil // another node closed it
			}
			if err == nil {
				s.log.Info("bundle done", "number", number)
			}
			return err
		}
		if len(steps) == 0 {
			return nil
		}
		for _, st := range steps {
			_, err := s.Act(ctx, st.CaseNumber, st.Action, casework.Input{Prerequisite: st.Prerequisite, Reason: st.Reason}, 0)
			if err != nil && !apperr.Is(err, apperr.Conflict) && !apperr.Is(err, apperr.Invalid) {
				return err
			}
		}
	}
	return nil
}

// SweepBundles advances every open bundle: the repair for steps a crash
// interrupted.
func (s *Casework) SweepBundles(ctx context.Context) error {
	bs, err := s.store.Bundles(ctx, store.BundleFilter{State: bundle.Open, Limit: 500})
	if err != nil {
		return err
	}
	for _, b := range bs {
		if err := s.stepBundle(WithRequest(AsSystem(ctx), Request{ID: "bundle-sweep", Channel: "system"}), b.Number); err != nil {
			return err
		}
	}
	return nil
}
