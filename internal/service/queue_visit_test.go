package service_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// serveNext calls the next ticket to window and starts its service, as
// clerk; it returns the ticket.
func serveNext(t *testing.T, svc *service.Service, clerk context.Context, window string) *queue.Ticket {
	t.Helper()
	if _, err := svc.Resume(clerk, demo.DistrictHall, window); err != nil {
		t.Fatalf("resume %s: %v", window, err)
	}
	w, err := svc.CallNext(clerk, demo.DistrictHall, window)
	if err != nil {
		t.Fatalf("call at %s: %v", window, err)
	}
	if _, err := svc.Start(clerk, demo.DistrictHall, window); err != nil {
		t.Fatalf("start at %s: %v", window, err)
	}
	return w.Ticket.Ticket
}

// ticketRecord is a ticket's event types and linked cases, as staff see it.
func ticketRecord(t *testing.T, svc *service.Service, ctx context.Context, id int64) ([]queue.Action, []string) {
	t.Helper()
	v, err := svc.Ticket(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var types []queue.Action
	for _, e := range v.Events {
		types = append(types, e.Type)
	}
	return types, v.Cases
}

// A case taken in by a clerk serving a visit is linked to that visit's
// ticket by the intake itself (issue 11): at the window the clerk works at
// (service.WorkingAt), else at the first window the clerk serves a visit
// at; a clerk serving none links nothing, and a refused intake links
// nothing.
func TestIntakeLinksTheVisit(t *testing.T) {
	clk := clock.At(start.Add(30 * time.Minute))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start.Add(30 * time.Minute))
		svc, as := hall(t, st, clk)
		if err := svc.LoadDemoQueue(as["system"]); err != nil {
			t.Fatal(err)
		}
		// No visit yet: the intake links nothing.
		cv, err := svc.Intake(as["shouli"], deskApplication(false))
		wantQueueCode(t, "intake before any visit", err, "")
		if cv.Visit != "" {
			t.Fatalf("intake outside a visit linked to %s", cv.Visit)
		}
		for range 2 {
			if _, err := svc.TakeTicket(as["anonymous"], service.TicketRequest{Hall: demo.DistrictHall, Category: "A"}); err != nil {
				t.Fatal(err)
			}
		}
		first := serveNext(t, svc, as["shouli"], "A01")
		second := serveNext(t, svc, as["shouli"], "A02")

		// A refused intake changes no ticket.
		_, err = svc.Intake(as["shouli"], casework.Intake{ItemCode: "NOPE-1", Channel: casework.AtWindow})
		wantQueueCode(t, "refused intake", err, apperr.Invalid)
		if types, cases := ticketRecord(t, svc, as["shouli"], first.ID); len(cases) != 0 || slices.Contains(types, queue.ActLinkCase) {
			t.Fatalf("a refused intake linked %v (%v)", cases, types)
		}

		// At the window the console last opened.
		cv, err = svc.Intake(service.WorkingAt(as["shouli"], "A02"), deskApplication(false))
		wantQueueCode(t, "intake at A02", err, "")
		if cv.Visit != second.Number {
			t.Errorf("intake at A02 linked to %q, want %s", cv.Visit, second.Number)
		}
		if types, cases := ticketRecord(t, svc, as["shouli"], second.ID); !slices.Equal(cases, []string{cv.Case.Number}) || types[len(types)-1] != queue.ActLinkCase {
			t.Errorf("ticket %s: cases %v, events %v", second.Number, cases, types)
		}
		// Without a window named: the first window serving a visit.
		cv, err = svc.Intake(as["shouli"], deskApplication(false))
		wantQueueCode(t, "intake", err, "")
		if cv.Visit != first.Number {
			t.Errorf("intake linked to %q, want %s", cv.Visit, first.Number)
		}
		if _, cases := ticketRecord(t, svc, as["shouli"], first.ID); !slices.Equal(cases, []string{cv.Case.Number}) {
			t.Errorf("ticket %s: cases %v", first.Number, cases)
		}
		// A window named (A03) where the clerk serves nothing: no link.
		cv, err = svc.Intake(service.WorkingAt(as["shouli"], "A03"), deskApplication(false))
		wantQueueCode(t, "intake at A03", err, "")
		if cv.Visit != "" {
			t.Errorf("intake at A03 linked to %s", cv.Visit)
		}
		// A finished visit takes no more intakes.
		if _, err := svc.FinishVisit(as["shouli"], demo.DistrictHall, "A01"); err != nil {
			t.Fatal(err)
		}
		cv, err = svc.Intake(service.WorkingAt(as["shouli"], "A01"), deskApplication(false))
		wantQueueCode(t, "intake after finishing", err, "")
		if cv.Visit != "" {
			t.Errorf("intake after the visit linked to %s", cv.Visit)
		}
	})
}

// Finishing a visit prepares the window's rating pad in the same
// transaction; a refused finish issues no token and leaves the pad as it
// was (R16).
func TestFinishVisitPreparesThePad(t *testing.T) {
	clk := clock.At(start.Add(30 * time.Minute))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start.Add(30 * time.Minute))
		svc, as := hall(t, st, clk)
		if err := svc.LoadDemoQueue(as["system"]); err != nil {
			t.Fatal(err)
		}
		key, err := svc.PairPad(as["admin"], demo.DistrictHall, "A01")
		if err != nil {
			t.Fatal(err)
		}
		pending := func() string {
			t.Helper()
			p, err := svc.PadPending(context.Background(), demo.DistrictHall, "A01", key)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		if _, err := svc.TakeTicket(as["anonymous"], service.TicketRequest{Hall: demo.DistrictHall, Category: "A"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Resume(as["shouli"], demo.DistrictHall, "A01"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CallNext(as["shouli"], demo.DistrictHall, "A01"); err != nil {
			t.Fatal(err)
		}
		_, err = svc.FinishVisit(as["shouli"], demo.DistrictHall, "A01")
		wantQueueCode(t, "finish before start", err, apperr.Conflict)
		_, err = svc.FinishVisit(as["chujian"], demo.DistrictHall, "A01")
		wantQueueCode(t, "finish by another clerk", err, apperr.Forbidden)
		_, err = svc.FinishVisit(as["shouli"], demo.DistrictHall, "Z99")
		wantQueueCode(t, "finish at an unknown window", err, apperr.NotFound)
		if p := pending(); p != "" {
			t.Fatalf("a refused finish put %q on the pad", p)
		}
		if _, err := svc.Start(as["shouli"], demo.DistrictHall, "A01"); err != nil {
			t.Fatal(err)
		}
		fv, err := svc.FinishVisit(as["shouli"], demo.DistrictHall, "A01")
		wantQueueCode(t, "finish", err, "")
		if fv.Ticket.Ticket.State != queue.Done || fv.Window.Current != 0 || !fv.PadUntil.Equal(clk.Now().Add(service.PadWait)) {
			t.Fatalf("finished %+v at %+v, pad until %v", fv.Ticket.Ticket, fv.Window, fv.PadUntil)
		}
		token := pending()
		if token == "" {
			t.Fatal("nothing waits on the pad after the visit")
		}
		// The token is the visit's: a second token for it is refused.
		_, err = svc.RatingToken(as["shouli"], strconv.FormatInt(fv.Ticket.Ticket.ID, 10), "A01", "shouli", demo.DistrictHall)
		wantQueueCode(t, "a second token for the visit", err, apperr.Conflict)
	})
}

// The window's use cases admit exactly the roles org says work at the
// window, the ones whose menu shows it (issue 11: one place decides).
func TestWindowRolesFollowTheWorkspaces(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		for _, u := range demo.Load().Accounts {
			if u.HallCode != "" && u.HallCode != demo.DistrictHall {
				continue // another hall's clerk is refused for the hall
			}
			_, err := svc.QueueWindow(as[u.Username], demo.DistrictHall, "A01")
			if sees := u.Role.Sees(org.WorkWindow); sees != (err == nil) {
				t.Errorf("%s (%s): sees the window %v, the console answers %v", u.Username, u.Role, sees, err)
			}
		}
	})
}
