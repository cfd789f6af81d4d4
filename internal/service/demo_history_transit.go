package service

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/network"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/store"
)

// Generated history's paper that travels (issue 15 item 2, for item 6's
// per-hall transit time): a promised case taken in with paper at a street
// or community hall sends its paper on the hall's transit run (its
// cut-off and run times, on the calendar) in a batch (交接批次) of that
// run: prepared before the run, signed out at the run time by the hall's
// clerk, signed in at the district hall when the courier arrives, and
// the case's paper-arrive recorded then, as the district clerk's sign-in
// records it. The department's handover clock runs from the arrival. A
// run whose courier arrives after the end of the story is left on the
// road (在途); paper whose run leaves after it waits at the hall.

// runKey is one run of one hall's paper.
type runKey struct {
	from string
	run  time.Time
}

// couriers carry the generated runs.
var couriers = []string{"王师傅", "李师傅", "张师傅", "刘师傅", "陈师傅"}

// historyNetwork reads where each hall's paper travels and the halls'
// transit scopes.
func (s *Service) historyNetwork(ctx context.Context, g *history) error {
	halls, err := s.store.Halls(ctx)
	if err != nil {
		return err
	}
	district := ""
	for _, h := range halls {
		if h.Level == org.District && district == "" {
			district = h.Code
		}
	}
	for _, h := range halls {
		if network.Travels(h.Level) && district != "" && h.Code != district {
			g.paperTo[h.Code] = district
		}
		sc, err := s.scopeOf(ctx, h.Code)
		if err != nil {
			return err
		}
		g.scopes[h.Code] = sc
	}
	return nil
}

// travelTime is how long a run's courier takes, the same for every case
// of the run: 20 to 89 minutes.
func travelTime(from string, run time.Time) time.Duration {
	n := run.YearDay()*37 + int(run.Weekday())*5 + len(from)*11
	for _, r := range from {
		n += int(r)
	}
	return time.Duration(20+n%70) * time.Minute
}

// travel carries the case's waiting paper on its run and records its
// arrival at the district hall, when the story gets that far.
func (l *life) travel() {
	if l.err != nil || l.ended || !l.c.PaperInTransit() {
		return
	}
	g, t := l.g, *l.c.Transit
	run := g.scopes[t.From].RunFor(g.cal, t.Since)
	arrive := run.Add(travelTime(t.From, run))
	if run.After(g.end) {
		l.ended = true // the paper waits at the hall for its run
		return
	}
	b, err := g.runBatch(l.b, t, run, arrive)
	if err != nil {
		l.err = err
		return
	}
	entry := network.Entry{Case: l.c.Number, Trip: t.Trip, Item: l.c.ItemName, Department: l.c.DepartmentCode,
		Applicant: l.c.Applicant.Masked().Name, ReceivedAt: l.c.ReceivedAt}
	for _, m := range l.c.Materials {
		if m.Paper && (m.Status == casework.Provided || m.Status == casework.Supplied) {
			entry.Materials = append(entry.Materials, casework.MaterialLine{Code: m.Code, Name: m.Name, Originals: m.Originals,
				Copies: m.Copies, Paper: true, Status: string(m.Status)})
		}
	}
	if err := l.b.JoinTransitBatch(b, entry); err != nil {
		l.err = err
		return
	}
	b.Entries = append(b.Entries, entry)
	if arrive.After(g.end) {
		l.ended = true // on the road when the story ends
		return
	}
	clerk := g.runClerk(t.To, run) // the same clerk signs the whole batch in, and the story's dice are not thrown
	l.change(arrive, string(casework.ActPaperArrive), func(c *casework.Case, env casework.Env) (casework.Change, error) {
		return casework.ArrivePaper(c, b.Number, t.Trip, clerk, env)
	})
}

// runBatch returns the batch of the run of t's hall, numbered when the
// first case joins it: signed out at the run, and signed in at arrive
// unless that is past the end of the story.
func (g *history) runBatch(cb *store.CaseBatch, t casework.Transit, run, arrive time.Time) (*network.Batch, error) {
	k := runKey{t.From, run}
	if b := g.runs[k]; b != nil {
		return b, nil
	}
	sender, receiver := g.clerkName(t.From, run), g.clerkName(t.To, run)
	prepared := run.Add(-30 * time.Minute)
	b := &network.Batch{Cargo: network.Paper, From: t.From, To: t.To, Run: run, State: network.InTransit,
		PreparedAt: prepared, PreparedBy: sender, OutAt: run, OutBy: sender, Courier: couriers[run.YearDay()%len(couriers)]}
	if !arrive.After(g.end) {
		b.State, b.InAt, b.InBy = network.Arrived, arrive, receiver
	}
	if err := cb.CreateTransitBatch(b); err != nil {
		return nil, err
	}
	g.runs[k] = b
	g.order = append(g.order, k)
	return b, nil
}

// runUser is the intake clerk of hall who signs a run's batch.
func (g *history) runUser(hall string, run time.Time) org.User {
	users := g.intake[hall]
	if len(users) == 0 {
		return org.User{}
	}
	return users[run.YearDay()%len(users)]
}

// clerkName names the clerk of hall who signs a run's batch.
func (g *history) clerkName(hall string, run time.Time) string { return g.runUser(hall, run).Name }

// runClerk is that clerk acting (the district hall's signs the batch in).
func (g *history) runClerk(hall string, run time.Time) casework.Actor {
	u := g.runUser(hall, run)
	return casework.Actor{Username: u.Username, Role: u.Role, HallCode: u.HallCode, Desk: historyDesk + ":" + u.HallCode}
}

// saveRuns writes the batches of the transaction's runs whole, with their
// entries' trips linked, and forgets them: the next transaction's cases
// travel in batches of their own.
func (g *history) saveRuns(cb *store.CaseBatch) error {
	for _, k := range g.order {
		b := g.runs[k]
		if len(b.Entries) == 0 {
			continue
		}
		if err := cb.SaveTransitBatch(b); err != nil {
			return err
		}
	}
	clear(g.runs)
	g.order = g.order[:0]
	return nil
}
