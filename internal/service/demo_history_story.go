package service

import (
	"bytes"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/store"
)

// life is one generated case on its way: each step happens at its moment
// unless that moment is past the end of the story, where the case stays.
type life struct {
	g    *history
	b    *store.CaseBatch
	c    *casework.Case
	t    time.Time // the moment of the last step
	late bool      // a step was done after its deadline
	// ended is set once a step's moment falls past the end of the story:
	// the case stays where it is, and no later step may happen either.
	ended bool
	err   error
}

// act takes action at moment at, through the domain's transition; it
// reports whether the step happened.
func (l *life) act(at time.Time, action casework.Action, in casework.Input, a casework.Actor) bool {
	return l.change(at, string(action), func(c *casework.Case, env casework.Env) (casework.Change, error) {
		return casework.Step(c, action, in, a, env)
	})
}

// change makes the change step (named what) at moment at; it reports
// whether it happened.
func (l *life) change(at time.Time, what string, step func(c *casework.Case, env casework.Env) (casework.Change, error)) bool {
	if l.err != nil || l.ended {
		return false
	}
	if at.After(l.g.end) {
		l.ended = true
		return false
	}
	env := casework.Env{Cal: l.g.cal, Now: at, District: demo.DistrictName}
	var ev *casework.Event
	c, err := l.b.UpdateCase(l.c.Number, func(c *casework.Case) (casework.Change, error) {
		ch, err := step(c, env)
		ev = ch.Event
		return ch, err
	})
	if err != nil {
		l.err = fmt.Errorf("%s %s at %s: %w", l.c.Number, what, at.Format(time.RFC3339), err)
		return false
	}
	if ev != nil && bytes.Contains(ev.Details, []byte(`"on_time":false`)) {
		l.late = true
	}
	l.c, l.t = c, at
	l.g.rep.Events++
	return true
}

// story generates one case taken in at t0, and its life up to the end.
func (g *history) story(b *store.CaseBatch, t0 time.Time) error {
	item := g.items[g.rnd.IntN(len(g.items))]
	hall := g.halls[g.rnd.IntN(len(g.halls))]
	clerk := g.pick(g.intake[hall])
	in := casework.Intake{ItemCode: item.Code, Channel: casework.AtWindow, Applicant: g.applicant(item)}
	deferring := item.Kind == catalog.Promised && item.HasDeferrable() && g.chance(0.12)
	for _, m := range item.Materials {
		switch {
		case m.Deferrable && deferring:
			in.Materials = append(in.Materials, casework.MaterialInput{Code: m.Code, Status: casework.Deferred})
		case m.Required || g.chance(0.5):
			in.Materials = append(in.Materials, casework.MaterialInput{Code: m.Code, Status: casework.Provided})
		}
	}
	if item.Kind == catalog.Promised {
		if g.chance(0.04) {
			in.Channel = casework.ByMail
		}
		if g.chance(0.15) {
			in.Delivery = &casework.Delivery{Method: casework.Mail, Address: in.Applicant.Address}
		}
	}
	in.PickupHall = g.pickupAt[hall]
	c, ev, _, err := casework.NewCase(in, item, clerk, casework.Env{Cal: g.cal, Now: t0, PaperTo: g.paperTo[hall]})
	if err != nil {
		return fmt.Errorf("intake of %s: %w", item.Code, err)
	}
	c.CheckCode = checkCode()
	if err := b.CreateCase(c, ev); err != nil {
		return err
	}
	g.rep.Cases++
	g.rep.Events++
	l := &life{g: g, b: b, c: c, t: t0}
	if item.Kind == catalog.Instant {
		l.instant(clerk)
	} else {
		l.promised(clerk)
	}
	if l.err != nil {
		return l.err
	}
	if !l.c.State.Closed() {
		g.rep.Open++
	}
	if l.late {
		g.rep.Late++
	}
	return nil
}

// instant is an instant case's one visit: decided, handed over and
// archived at the window.
func (l *life) instant(clerk casework.Actor) {
	g := l.g
	decider := clerk
	if !l.c.Delegated {
		decider = g.pick(g.review[l.c.DepartmentCode])
	}
	if !l.act(g.soon(l.t, 20), casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: l.document()}, decider) {
		return
	}
	if !l.act(g.soon(l.t, 10), casework.ActDeliver, l.signer(), clerk) {
		return
	}
	if l.act(g.soon(l.t, 60), casework.ActArchive, casework.Input{}, clerk) {
		l.rate(l.t)
	}
}

// promised is a promised case's life: handover, deferred materials, a
// return, acceptance, pauses and extensions, the decision, the result at
// the issuance desk, delivery, archiving and a rating.
func (l *life) promised(clerk casework.Actor) {
	g := l.g
	dept := l.c.DepartmentCode
	reviewer := func() casework.Actor { return g.pick(g.review[dept]) }
	issuer := g.pick(g.issuance[l.c.DeskHall(casework.PickupHall)])
	l.handover(reviewer)
	if g.chance(0.01) {
		l.act(g.moment(l.t, g.rnd.IntN(2)), casework.ActWithdraw, casework.Input{Reason: "申请人申请撤回"}, clerk)
		return
	}
	if g.chance(0.08) { // returned for correction, resubmitted
		codes := []string{l.c.Materials[g.rnd.IntN(len(l.c.Materials))].Code}
		at := g.onTime(l.t, l.c.Deadlines.AcceptBy, g.chance(0.05))
		if !l.act(at, casework.ActReturn, casework.Input{Reason: "材料内容不完整，请补正后重新提交", Corrections: codes}, reviewer()) {
			return
		}
		g.rep.Returned++
		if !l.act(g.moment(l.t, 1+g.rnd.IntN(5)), casework.ActResubmit, casework.Input{Materials: codes}, clerk) {
			return
		}
		l.handover(reviewer)
	}
	if l.c.DeferredOutstanding() {
		if g.chance(0.1) { // the pledge lapses: the system ends the case
			l.act(g.moment(l.c.Deadlines.SupplyBy, 0), casework.ActLapse, casework.Input{}, casework.Actor{System: true, Desk: "system"})
			return
		}
		var codes []string
		for _, m := range l.c.Materials {
			if m.Status == casework.Deferred {
				codes = append(codes, m.Code)
			}
		}
		if !l.act(g.onTime(l.t, l.c.Deadlines.SupplyBy, g.chance(0.05)), casework.ActSupply, casework.Input{Materials: codes}, clerk) {
			return
		}
		l.handover(reviewer) // a second sheet for the supplied paper
	}
	if !l.act(g.onTime(l.t, l.c.Deadlines.AcceptBy, g.chance(0.04)), casework.ActAccept, casework.Input{}, reviewer()) {
		return
	}
	l.handover(reviewer)
	if g.chance(0.01) {
		l.act(g.moment(l.t, 1+g.rnd.IntN(3)), casework.ActTerminate, casework.Input{Reason: "申请人不再具备许可条件"}, reviewer())
		return
	}
	if g.chance(0.06) {
		types := casework.PauseTypes
		in := casework.Input{PauseType: types[g.rnd.IntN(len(types))], Reason: "依法需要现场核查或技术审查，期间不计入办理时限"}
		if !l.act(g.moment(l.t, g.rnd.IntN(3)), casework.ActPause, in, reviewer()) {
			return
		}
		g.rep.Paused++
		if !l.act(g.moment(l.t, 1+g.rnd.IntN(6)), casework.ActResume, casework.Input{}, reviewer()) {
			return
		}
	}
	if g.chance(0.03) {
		if !l.act(g.moment(l.t, g.rnd.IntN(2)), casework.ActExtend, casework.Input{Days: 5 + g.rnd.IntN(6), Reason: "情况复杂，需延长审查期限"}, reviewer()) {
			return
		}
		if !l.act(g.moment(l.t, 1), casework.ActApproveExtension, casework.Input{}, g.pick(g.admins[dept])) {
			return
		}
		g.rep.Extended++
	}
	decision := casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: l.document()}
	if g.chance(0.05) {
		decision = casework.Input{Confirm: true, Outcome: casework.Deny, Reason: "不符合法定条件", ResultDocument: "不予许可决定书"}
	}
	if !l.act(g.onTime(l.t, l.c.Deadlines.DecideBy, g.chance(0.07)), casework.ActDecide, decision, reviewer()) {
		return
	}
	if !l.act(g.moment(l.t, g.rnd.IntN(2)), casework.ActSubmitResult, casework.Input{}, reviewer()) {
		return
	}
	if g.chance(0.03) {
		if !l.act(g.soon(l.t, 120), casework.ActRefuseResult, casework.Input{Reason: "结果文书与办件信息不一致"}, issuer) {
			return
		}
		if !l.act(g.onTime(l.t, l.c.Deadlines.CorrectBy, g.chance(0.1)), casework.ActSubmitResult, casework.Input{}, reviewer()) {
			return
		}
	}
	if !l.act(g.soon(l.t, 90), casework.ActAcceptResult, casework.Input{}, issuer) {
		return
	}
	if l.c.Delivery.Method == casework.Mail {
		mail := casework.Input{Carrier: "EMS", Tracking: fmt.Sprintf("11%011d", g.rnd.IntN(100_000_000_000))}
		if !l.act(g.soon(l.t, 120), casework.ActMail, mail, issuer) ||
			!l.act(g.moment(l.t, 1+g.rnd.IntN(3)), casework.ActConfirmDelivery, casework.Input{}, issuer) {
			return
		}
	} else if !l.act(g.moment(l.t, g.rnd.IntN(6)), casework.ActDeliver, l.signer(), issuer) {
		return
	}
	delivered := l.t
	if !l.act(g.onTime(l.t, l.c.Deadlines.ArchiveBy, g.chance(0.05)), casework.ActArchive, casework.Input{}, issuer) {
		return
	}
	l.rate(g.moment(delivered, g.rnd.IntN(3)))
}

// handover has the department sign for paper waiting to be handed over,
// mostly by the cut-off.
func (l *life) handover(reviewer func() casework.Actor) {
	l.travel() // paper taken in at a street or community hall goes on its run first
	if l.err != nil || l.ended || !l.c.PaperPending() {
		return
	}
	l.act(l.g.onTime(l.t, l.c.Deadlines.HandoverBy, l.g.chance(0.05)), casework.ActHandover, casework.Input{}, reviewer())
}

// document names the result of the case's item, with a number.
func (l *life) document() string {
	return fmt.Sprintf("%s（江川字〔%d〕第%05d号）", l.c.ItemName, l.t.Year(), l.g.rnd.IntN(100000))
}

// signer is who signs the delivery receipt: the applicant, or a firm's
// staff member.
func (l *life) signer() casework.Input {
	a := l.c.Applicant
	if a.Kind == casework.Person {
		return casework.Input{Signer: a.Name, SignerIDType: identity.ResidentID, SignerIDNumber: a.IDNumber}
	}
	return casework.Input{Signer: demoName(l.g), SignerIDType: identity.ResidentID, SignerIDNumber: demoID(l.g)}
}

// rate has a third of applicants rate the case online at moment at; a
// bad rating opens its rectification, as a real one does.
func (l *life) rate(at time.Time) {
	g := l.g
	if l.err != nil || l.ended || at.After(g.end) || !g.chance(0.35) {
		return
	}
	levels := []rating.Level{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 3, 2, 1}
	in := rating.Input{Level: levels[g.rnd.IntN(len(levels))], Channel: rating.CaseChannels[g.rnd.IntN(len(rating.CaseChannels))]}
	tags := rating.GoodTags
	if in.Level.Bad() {
		tags = rating.BadTags
		in.Text = "等待时间较长，希望改进"
	}
	in.Tags = []rating.Tag{tags[g.rnd.IntN(len(tags))]}
	if g.chance(0.6) {
		in.RealName, in.Name, in.Phone = true, l.c.Applicant.Name, l.c.Applicant.Phone
	}
	r := rating.New(in, at)
	r.CaseNumber, r.HallCode, r.Clerk, r.Department = l.c.Number, l.c.HallCode, l.c.ReceivedBy, l.c.DepartmentCode
	key, err := randomKey("ra_")
	if err != nil {
		l.err = err
		return
	}
	r.KeyHash = tokenHash(key)
	x, ev := rating.OpenRectification(r, g.cal, g.rating)
	if err := l.b.CreateRating(r, x, ev); err != nil {
		l.err = fmt.Errorf("rating of %s: %w", l.c.Number, err)
		return
	}
	g.rep.Ratings++
}
