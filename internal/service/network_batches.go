package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/network"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// WaitingPaper is the cargo waiting at a hall for its transit run (paper,
// results, receipts), by cargo, destination and run: what the next
// batches would carry.
type WaitingPaper struct {
	Hall    org.Hall
	Transit string // the hall's transit rule for paper in words
	// Results and Receipts state the hall's rule for the results it sends
	// (the district hall) or the receipts it sends back (a street or
	// community hall); "" where none leave.
	Results, Receipts string
	Groups            []WaitingGroup
}

// WaitingGroup is the cargo for one destination on one run.
type WaitingGroup struct {
	Cargo   network.Cargo
	To      string
	ToName  string
	Run     time.Time
	Entries []network.Entry
}

// BatchView is a batch as a page or the API shows it: the hall and
// people named, its totals.
type BatchView struct {
	network.Batch
	FromName, ToName              string
	PreparedName, OutName, InName string
	Counts                        network.Counts
	ProblemWords                  []string // each problem in words, for the sheet
	CanSignOut, CanSignIn         bool     // for the viewer
}

// clerk returns the signed-in clerk who works at a hall's desks (intake
// or issuance), refusing every other role: only they move paper.
func (s *Network) clerk(ctx context.Context, what string) (*Actor, error) {
	return require(ctx, what, org.RoleIntake, org.RoleIssuance)
}

// handles reports whether a clerk of role moves cargo: paper is the
// intake desk's (and, as before results travelled, the issuance desk's
// too); results and receipts are the issuance desk's alone.
func handles(role org.Role, cargo network.Cargo) bool {
	switch cargo {
	case network.Result, network.Receipt:
		return role == org.RoleIssuance
	}
	return role == org.RoleIntake || role == org.RoleIssuance
}

// refuseCargo is the 403 of a clerk whose desk does not move cargo.
func refuseCargo(role org.Role, cargo network.Cargo) error {
	if handles(role, cargo) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "%s的交接由综合出件窗口办理，%s不能办理", cargo.Label(), role.Label())
}

// WaitingAtMyHall returns the cargo waiting at the clerk's hall for a
// transit run, grouped by cargo, destination and run (the hall's
// cut-off): the cargo given, or every cargo the clerk's desk moves when
// cargo is "".
func (s *Network) WaitingAtMyHall(ctx context.Context, cargo network.Cargo) (*WaitingPaper, error) {
	a, err := s.clerk(ctx, "查看待交接的材料")
	if err != nil {
		return nil, err
	}
	hall := a.User.HallCode
	if hall == "" {
		return nil, apperr.New(apperr.Forbidden, "您的账号未指定所在大厅，不能办理材料交接")
	}
	if cargo != "" {
		if !cargo.Valid() {
			return nil, apperr.Field("cargo", "交接物须为 paper（纸质申请材料）、result（办理结果）或 receipt（送达回执）")
		}
		if err := refuseCargo(a.User.Role, cargo); err != nil {
			return nil, err
		}
	}
	w, err := s.waiting(ctx, hall)
	if err != nil {
		return nil, err
	}
	w.Groups = slices.DeleteFunc(w.Groups, func(g WaitingGroup) bool {
		return cargo != "" && g.Cargo != cargo || !handles(a.User.Role, g.Cargo)
	})
	return w, nil
}

// waiting returns everything waiting at hall for a run. Every cargo
// leaves on the sending hall's runs under its cut-off: results on the
// district hall's, receipts on the street's, as paper does.
func (s *Network) waiting(ctx context.Context, hall string) (*WaitingPaper, error) {
	p, err := s.hallPlan(ctx, hall)
	if err != nil {
		return nil, err
	}
	cal, err := s.districtCalendar(ctx)
	if err != nil {
		return nil, err
	}
	trips, err := s.store.WaitingTrips(ctx, hall)
	if err != nil {
		return nil, err
	}
	names := s.hallNames(ctx)
	w := &WaitingPaper{Hall: p.Hall, Transit: p.Scope.TransitWords()}
	if p.PaperTo == "" {
		w.Results = p.Scope.ResultWords()
	} else {
		w.Receipts = p.Scope.ReceiptWords()
	}
	for _, t := range trips {
		e, err := s.entry(ctx, t)
		if err != nil {
			return nil, err
		}
		run := p.Scope.RunFor(cal, t.Since)
		i := len(w.Groups) - 1
		for ; i >= 0; i-- {
			if w.Groups[i].Cargo == t.Cargo && w.Groups[i].To == t.To && w.Groups[i].Run.Equal(run) {
				break
			}
		}
		if i < 0 {
			w.Groups = append(w.Groups, WaitingGroup{Cargo: t.Cargo, To: t.To, ToName: nameOr(names, t.To), Run: run})
			i = len(w.Groups) - 1
		}
		w.Groups[i].Entries = append(w.Groups[i].Entries, e)
	}
	return w, nil
}

func nameOr(names func(string) string, code string) string {
	if names != nil {
		if n := names(code); n != "" {
			return n
		}
	}
	return code
}

// entry returns a waiting trip's entry: the case's paper with its counts,
// or its result document, or its signed delivery receipt.
func (s *Network) entry(ctx context.Context, t store.Trip) (network.Entry, error) {
	c, err := s.store.Case(ctx, t.Case)
	if err != nil {
		return network.Entry{}, err
	}
	e := network.Entry{Case: c.Number, Trip: t.Trip, Item: c.ItemName, Department: c.DepartmentCode,
		Applicant: c.Applicant.Masked().Name, ReceivedAt: c.ReceivedAt}
	switch t.Cargo {
	case network.Result:
		e.Materials = []casework.MaterialLine{{Code: network.ResultCode, Name: "办理结果：" + c.ResultDocument, Originals: 1, Paper: true}}
		return e, nil
	case network.Receipt:
		e.Materials = []casework.MaterialLine{{Code: network.ReceiptCode, Name: "送达回执（申请人签收）", Originals: 1, Paper: true}}
		return e, nil
	}
	for _, m := range c.Materials {
		if m.Paper && (m.Status == casework.Provided || m.Status == casework.Supplied) {
			e.Materials = append(e.Materials, casework.MaterialLine{Code: m.Code, Name: m.Name, Originals: m.Originals, Copies: m.Copies, Paper: true, Status: string(m.Status)})
		}
	}
	return e, nil
}

// PrepareBatchInput asks for the batch of the cargo (paper when "")
// waiting at the clerk's hall for one destination, on the run due next
// (every run due by then included: cargo that missed an earlier run goes
// now).
type PrepareBatchInput struct {
	Cargo   network.Cargo
	To      string
	Confirm bool
}

// PrepareBatch makes the batch (交接批次) of the paper waiting at the
// clerk's hall for in.To, numbered, with its printable sheet: the paper of
// every run due by the next one. Only the sending hall's clerks prepare.
func (s *Network) PrepareBatch(ctx context.Context, in PrepareBatchInput) (*BatchView, error) {
	a, err := s.clerk(ctx, "组批交接材料")
	if err != nil {
		return nil, err
	}
	if !in.Confirm {
		return nil, apperr.Field("confirm", "请确认组批")
	}
	hall := a.User.HallCode
	if hall == "" {
		return nil, apperr.New(apperr.Forbidden, "您的账号未指定所在大厅，不能办理材料交接")
	}
	cargo := in.Cargo
	if cargo == "" {
		cargo = network.Paper
	}
	if !cargo.Valid() {
		return nil, apperr.Field("cargo", "交接物须为 paper（纸质申请材料）、result（办理结果）或 receipt（送达回执）")
	}
	if err := refuseCargo(a.User.Role, cargo); err != nil {
		return nil, err
	}
	w, err := s.waiting(ctx, hall)
	if err != nil {
		return nil, err
	}
	w.Groups = slices.DeleteFunc(w.Groups, func(g WaitingGroup) bool { return g.Cargo != cargo })
	now := s.clock.Now()
	var entries []network.Entry
	var next, run time.Time // the first run still to come; the batch's
	for _, g := range w.Groups {
		if g.To == in.To && g.Run.After(now) && (next.IsZero() || g.Run.Before(next)) {
			next = g.Run
		}
	}
	for _, g := range w.Groups {
		if g.To == in.To && (next.IsZero() || !g.Run.After(next)) {
			entries = append(entries, g.Entries...)
			if g.Run.After(run) {
				run = g.Run
			}
		}
	}
	if len(entries) == 0 {
		return nil, apperr.New(apperr.Conflict, "本大厅没有送往该大厅的待交接%s", cargo.Label())
	}
	b, err := network.NewBatch(cargo, hall, in.To, run, entries, now, a.Name())
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateBatch(ctx, b); err != nil {
		return nil, err
	}
	s.log.Info("batch prepared", "batch", b.Number, "cargo", cargo, "from", hall, "to", in.To, "cases", len(entries), "by", a.Name(), "request_id", RequestFrom(ctx).ID)
	return s.batchView(ctx, b, a)
}

// SignOutInput is the sending hall's signature of a batch leaving, with
// the courier who carries it.
type SignOutInput struct {
	Courier string
	Confirm bool
}

// SignOutBatch records the batch leaving the clerk's hall (签出): only a
// clerk of the sending hall.
func (s *Network) SignOutBatch(ctx context.Context, number string, in SignOutInput) (*BatchView, error) {
	a, err := s.clerk(ctx, "签出交接批次")
	if err != nil {
		return nil, err
	}
	if !in.Confirm {
		return nil, apperr.Field("confirm", "请确认签出")
	}
	now := s.clock.Now()
	b, err := s.store.UpdateBatch(ctx, number, func(b *network.Batch) (map[string]store.ChangeFunc, error) {
		if err := s.atHall(ctx, a, b.From, b, "签出"); err != nil {
			return nil, err
		}
		if err := refuseCargo(a.User.Role, b.Cargo); err != nil {
			return nil, err
		}
		return nil, b.SignOut(now, a.Name(), in.Courier)
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("batch signed out", "batch", number, "by", a.Name(), "request_id", RequestFrom(ctx).ID)
	return s.batchView(ctx, b, a)
}

// SignInInput is the receiving hall's signature of a batch arrived, with
// the paper found missing or damaged.
type SignInInput struct {
	Problems []network.Problem
	Confirm  bool
}

// SignInBatch records the batch's arrival at the clerk's hall (签收):
// every case whose paper arrived whole starts its department's handover
// clock (R6) now; a case with paper missing or damaged is recorded
// against the batch and its paper sent back to the hall that took it in.
// The batch and every case change in one transaction. Only a clerk of the
// receiving hall signs in.
func (s *Network) SignInBatch(ctx context.Context, number string, in SignInInput) (*BatchView, error) {
	a, err := s.clerk(ctx, "签收交接批次")
	if err != nil {
		return nil, err
	}
	if !in.Confirm {
		return nil, apperr.Field("confirm", "请确认签收")
	}
	env, err := s.env(ctx)
	if err != nil {
		return nil, err
	}
	u := a.User
	actor := casework.Actor{Username: u.Username, Name: u.Name, Role: u.Role, HallCode: u.HallCode, Desk: RequestFrom(ctx).Channel + ":" + u.HallCode}
	b, err := s.store.UpdateBatch(ctx, number, func(b *network.Batch) (map[string]store.ChangeFunc, error) {
		if err := s.atHall(ctx, a, b.To, b, "签收"); err != nil {
			return nil, err
		}
		if err := refuseCargo(a.User.Role, b.Cargo); err != nil {
			return nil, err
		}
		arrived, back, err := b.SignIn(env.Now, a.Name(), in.Problems)
		if err != nil {
			return nil, err
		}
		arrive, sendBack := arrivalSteps(b.Cargo)
		changes := make(map[string]store.ChangeFunc, len(b.Entries))
		for _, e := range arrived {
			changes[e.Case] = func(c *casework.Case) (casework.Change, error) {
				return arrive(c, b.Number, e.Trip, actor, env)
			}
		}
		for _, e := range back {
			words := problemWords(b, e.Case)
			changes[e.Case] = func(c *casework.Case) (casework.Change, error) {
				return sendBack(c, b.Number, e.Trip, words, actor, env)
			}
		}
		return changes, nil
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("batch signed in", "batch", number, "problems", len(in.Problems), "by", a.Name(), "request_id", RequestFrom(ctx).ID)
	return s.batchView(ctx, b, a)
}

// arrivalSteps returns the case steps of a batch of cargo signed in: the
// arrival of what came whole, the send-back of what came missing or
// damaged.
func arrivalSteps(cargo network.Cargo) (
	arrive func(*casework.Case, string, int, casework.Actor, casework.Env) (casework.Change, error),
	sendBack func(*casework.Case, string, int, string, casework.Actor, casework.Env) (casework.Change, error),
) {
	switch cargo {
	case network.Result:
		return casework.ArriveResult, casework.SendBackResult
	case network.Receipt:
		return casework.ArriveReceipt, casework.SendBackReceipt
	}
	return casework.ArrivePaper, casework.SendBackPaper
}

// atHall refuses a clerk of another hall than hall, naming both halls.
func (s *Network) atHall(ctx context.Context, a *Actor, hall string, b *network.Batch, what string) error {
	if a.User.HallCode == hall {
		return nil
	}
	names := s.hallNames(ctx)
	mine := "您的账号未指定所在大厅"
	if a.User.HallCode != "" {
		mine = "本窗口所在的" + nameOr(names, a.User.HallCode)
	}
	return apperr.New(apperr.Forbidden, "批次 %s 由%s%s，%s不能%s", b.Number, nameOr(names, hall), what, mine, what)
}

func problemWords(b *network.Batch, number string) string {
	var out []string
	for _, p := range b.Problems {
		if p.Case != number {
			continue
		}
		name := p.Material
		for _, e := range b.Entries {
			for _, m := range e.Materials {
				if e.Case == number && m.Code == p.Material {
					name = m.Name
				}
			}
		}
		w := "「" + name + "」" + p.Kind.Label()
		if p.Note != "" {
			w += "（" + p.Note + "）"
		}
		out = append(out, w)
	}
	return strings.Join(out, "；")
}

// Batch returns one batch: for the clerks of its two halls, their hall
// managers, the bureau admin and supervisors.
func (s *Network) Batch(ctx context.Context, number string) (*BatchView, error) {
	a, err := require(ctx, "查看交接批次", org.RoleIntake, org.RoleIssuance, org.RoleHallManager, org.RoleAdmin, org.RoleSupervisor)
	if err != nil {
		return nil, err
	}
	b, err := s.store.TransitBatch(ctx, number)
	if err != nil {
		return nil, err
	}
	if u := a.User; u != nil && u.HallCode != "" && (u.Role.WorksAtHall() || u.Role == org.RoleHallManager) && u.HallCode != b.From && u.HallCode != b.To {
		return nil, apperr.New(apperr.Forbidden, "该批次不经过您所在的大厅")
	}
	return s.batchView(ctx, b, a)
}

// Batches returns the batches leaving or reaching the viewer's hall
// (every hall's for the bureau admin and supervisors), newest run first:
// those in state and of cargo ("" for any); a clerk sees only the cargo
// their desk moves.
func (s *Network) Batches(ctx context.Context, state network.BatchState, cargo network.Cargo) ([]BatchView, error) {
	a, err := require(ctx, "查看交接批次", org.RoleIntake, org.RoleIssuance, org.RoleHallManager, org.RoleAdmin, org.RoleSupervisor)
	if err != nil {
		return nil, err
	}
	f := store.BatchFilter{}
	if u := a.User; u != nil && (u.Role.WorksAtHall() || u.Role == org.RoleHallManager) {
		if u.HallCode == "" {
			return nil, apperr.New(apperr.Forbidden, "您的账号未指定所在大厅，不能办理材料交接")
		}
		f.Hall = u.HallCode
	}
	if state != "" {
		f.States = []network.BatchState{state}
	}
	if cargo != "" && !cargo.Valid() {
		return nil, apperr.Field("cargo", "交接物须为 paper（纸质申请材料）、result（办理结果）或 receipt（送达回执）")
	}
	f.Cargo = cargo
	list, err := s.store.TransitBatches(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]BatchView, 0, len(list))
	for i := range list {
		if u := a.User; u != nil && u.Role.WorksAtHall() && !handles(u.Role, list[i].Cargo) {
			continue
		}
		v, err := s.batchView(ctx, &list[i], a)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// batchView names the batch's halls and people for the viewer a.
func (s *Network) batchView(ctx context.Context, b *network.Batch, a *Actor) (*BatchView, error) {
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	people := make(map[string]string, len(users))
	for _, u := range users {
		people[u.Username] = u.Name
	}
	person := func(username string) string {
		if n := people[username]; n != "" {
			return n
		}
		return username
	}
	halls := s.hallNames(ctx)
	v := &BatchView{Batch: *b, FromName: nameOr(halls, b.From), ToName: nameOr(halls, b.To),
		PreparedName: person(b.PreparedBy), OutName: person(b.OutBy), InName: person(b.InBy), Counts: b.Counts()}
	if b.OutBy == "" {
		v.OutName = ""
	}
	if b.InBy == "" {
		v.InName = ""
	}
	for _, p := range b.Problems {
		v.ProblemWords = append(v.ProblemWords, p.Case+"："+problemWords(&network.Batch{Problems: []network.Problem{p}, Entries: b.Entries}, p.Case))
	}
	if u := a.User; u != nil && u.Role.WorksAtHall() {
		v.CanSignOut = b.State == network.Prepared && u.HallCode == b.From && handles(u.Role, b.Cargo)
		v.CanSignIn = b.State == network.InTransit && u.HallCode == b.To && handles(u.Role, b.Cargo)
	}
	return v, nil
}
