package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

func wantQueueCode(t *testing.T, what string, err error, want apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != want {
		t.Fatalf("%s: error %v (code %q), want %q", what, err, got, want)
	}
}

func TestQueueKioskAndWindow(t *testing.T) {
	clk := clock.At(start) // 2026-09-30 09:00, a Wednesday
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		hallCode := demo.DistrictHall
		a := &queue.Category{HallCode: hallCode, Code: "A", Name: "企业开办", Prefix: "A", Items: []string{"SCJG-001"}, Hours: queue.DefaultHours(), DailyCap: 100}
		b := &queue.Category{HallCode: hallCode, Code: "B", Name: "不动产登记", Prefix: "B", Hours: queue.DefaultHours(), DailyCap: 100}
		wantQueueCode(t, "category by a clerk", svc.CreateCategory(as["shouli"], a), apperr.Forbidden)
		wantQueueCode(t, "category by admin", svc.CreateCategory(as["admin"], a), "")
		wantQueueCode(t, "second category", svc.CreateCategory(as["admin"], b), "")
		wantQueueCode(t, "bad category", svc.CreateCategory(as["admin"], &queue.Category{HallCode: hallCode, Code: "C"}), apperr.Invalid)

		// The kiosk is public; the ID is masked in the output.
		kiosk := as["anonymous"]
		v, err := svc.TakeTicket(kiosk, service.TicketRequest{Hall: hallCode, Category: "A", IDNumber: "11010519491231002X", Priority: queue.Elderly})
		wantQueueCode(t, "take", err, "")
		if v.Ticket.Number != "A001" || v.Ticket.IDMasked != "110105********002X" || v.Ahead != 0 || v.CategoryName != "企业开办" {
			t.Fatalf("ticket %+v", v.Ticket)
		}
		_, err = svc.TakeTicket(kiosk, service.TicketRequest{Hall: hallCode, Category: "B", IDNumber: "11010519491231002x"})
		wantQueueCode(t, "second open ticket of one ID", err, apperr.Conflict)
		_, err = svc.TakeTicket(kiosk, service.TicketRequest{Hall: hallCode, Category: "A", IDNumber: "110105194912310021"})
		wantQueueCode(t, "bad ID", err, apperr.Invalid)
		_, err = svc.TakeTicket(kiosk, service.TicketRequest{Hall: hallCode, Category: "Z"})
		wantQueueCode(t, "unknown category", err, apperr.NotFound)
		normal, err := svc.TakeTicket(kiosk, service.TicketRequest{Hall: hallCode, Category: "A"})
		wantQueueCode(t, "take normal", err, "")
		if normal.Ticket.Number != "A002" || normal.Ahead != 1 {
			t.Fatalf("normal ticket %s with %d ahead", normal.Ticket.Number, normal.Ahead)
		}
		pub, err := svc.Ticket(kiosk, v.Ticket.ID)
		wantQueueCode(t, "public ticket", err, "")
		if pub.Events != nil || pub.Ticket.IDMasked != "110105********002X" {
			t.Errorf("public view %+v", pub)
		}

		// The window: paused until a clerk of the hall opens it.
		_, err = svc.CallNext(as["shouli"], hallCode, "A01")
		wantQueueCode(t, "call at a paused window", err, apperr.Conflict)
		_, err = svc.Resume(as["shouli2"], hallCode, "A01")
		wantQueueCode(t, "clerk of another hall", err, apperr.Forbidden)
		_, err = svc.Resume(as["jiandu"], hallCode, "A01")
		wantQueueCode(t, "supervisor", err, apperr.Forbidden)
		_, err = svc.Resume(as["shouli"], hallCode, "Z99")
		wantQueueCode(t, "unknown window", err, apperr.NotFound)
		_, err = svc.Resume(as["shouli"], hallCode, "A01")
		wantQueueCode(t, "resume", err, "")
		_, err = svc.CallNext(as["chujian"], hallCode, "A01")
		wantQueueCode(t, "another clerk at the window", err, apperr.Forbidden)

		w, err := svc.CallNext(as["shouli"], hallCode, "A01")
		wantQueueCode(t, "call", err, "")
		if w.Ticket.Ticket.Number != "A001" || w.Ticket.Ticket.State != queue.Called || w.Window.Current != w.Ticket.Ticket.ID {
			t.Fatalf("called %+v at %+v", w.Ticket.Ticket, w.Window)
		}
		_, err = svc.CallNext(as["shouli"], hallCode, "A01")
		if !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), "A001") {
			t.Fatalf("call with a ticket at the window: %v", err)
		}
		for range 2 {
			_, err = svc.Recall(as["shouli"], hallCode, "A01")
			wantQueueCode(t, "recall", err, "")
		}
		_, err = svc.Recall(as["shouli"], hallCode, "A01")
		wantQueueCode(t, "third recall", err, apperr.Conflict)
		_, err = svc.NoShow(as["shouli"], hallCode, "A01", "whatever")
		wantQueueCode(t, "no-show reason", err, apperr.Invalid)
		w, err = svc.NoShow(as["shouli"], hallCode, "A01", queue.ReasonAbsent)
		wantQueueCode(t, "no-show", err, "")
		if w.Window.Current != 0 || w.Ticket.Ticket.State != queue.NoShow {
			t.Fatalf("after no-show %+v %+v", w.Window, w.Ticket.Ticket)
		}
		_, err = svc.Start(as["shouli"], hallCode, "A01")
		wantQueueCode(t, "start with no ticket", err, apperr.Conflict)

		// The late arrival is requeued once, behind A002.
		clk.Advance(10 * time.Minute)
		_, err = svc.Requeue(as["jiandu"], v.Ticket.ID)
		wantQueueCode(t, "requeue by a supervisor", err, apperr.Forbidden)
		rq, err := svc.Requeue(as["shouli"], v.Ticket.ID)
		wantQueueCode(t, "requeue", err, "")
		if rq.Ticket.State != queue.Waiting || rq.Ticket.Requeues != 1 {
			t.Fatalf("requeued %+v", rq.Ticket)
		}
		w, _ = svc.CallNext(as["shouli"], hallCode, "A01")
		if w.Ticket.Ticket.Number != "A001" {
			t.Fatalf("priority class first: called %s", w.Ticket.Ticket.Number)
		}
		// Start, transfer to category B: waiting again, issue time kept.
		_, err = svc.FinishVisit(as["shouli"], hallCode, "A01")
		wantQueueCode(t, "finish before start", err, apperr.Conflict)
		_, err = svc.Start(as["shouli"], hallCode, "A01")
		wantQueueCode(t, "start", err, "")
		_, err = svc.Transfer(as["shouli"], hallCode, "A01", "", "Q")
		wantQueueCode(t, "transfer to an unknown category", err, apperr.Invalid)
		w, err = svc.Transfer(as["shouli"], hallCode, "A01", "", "B")
		wantQueueCode(t, "transfer", err, "")
		moved := w.Ticket.Ticket
		if moved.State != queue.Waiting || moved.Category != "B" || !moved.IssuedAt.Equal(start) || w.Window.Current != 0 {
			t.Fatalf("transferred %+v", moved)
		}

		// A second window serving B only calls it, serves and finishes.
		_, err = svc.SetWindowCategories(as["admin"], hallCode, "A02", []string{"B"})
		wantQueueCode(t, "window categories", err, "")
		_, err = svc.Resume(as["chujian"], hallCode, "A02")
		wantQueueCode(t, "resume A02", err, "")
		w, err = svc.CallNext(as["chujian"], hallCode, "A02")
		wantQueueCode(t, "call at A02", err, "")
		if w.Ticket.Ticket.ID != moved.ID {
			t.Fatalf("A02 called %s", w.Ticket.Ticket.Number)
		}
		_, _ = svc.Start(as["chujian"], hallCode, "A02")
		fv, err := svc.FinishVisit(as["chujian"], hallCode, "A02")
		wantQueueCode(t, "finish", err, "")
		if fv.Ticket.Ticket.State != queue.Done {
			t.Fatalf("finished %+v", fv.Ticket.Ticket)
		}
		// Link a case taken in during the visit.
		c, err := svc.Intake(as["shouli"], deskApplication(false))
		wantQueueCode(t, "intake", err, "")
		_, err = svc.LinkCase(as["shouli"], moved.ID, "2099")
		wantQueueCode(t, "link an unknown case", err, apperr.Invalid)
		lv, err := svc.LinkCase(as["shouli"], moved.ID, c.Case.Number)
		wantQueueCode(t, "link", err, "")
		if len(lv.Cases) != 1 || lv.Cases[0] != c.Case.Number {
			t.Fatalf("linked %v", lv.Cases)
		}
		_, err = svc.LinkCase(as["shouli"], moved.ID, c.Case.Number)
		wantQueueCode(t, "link twice", err, apperr.Conflict)
		_, err = svc.LinkCase(as["shouli"], normal.Ticket.ID, c.Case.Number)
		wantQueueCode(t, "link a waiting ticket", err, apperr.Conflict)

		staff, err := svc.Ticket(as["shouli"], moved.ID)
		wantQueueCode(t, "staff view", err, "")
		var types []string
		for _, e := range staff.Events {
			types = append(types, string(e.Type))
		}
		if got := strings.Join(types, " "); got != "issue call recall recall no_show requeue call start transfer call start finish link_case" {
			t.Errorf("events: %s", got)
		}

		// Pause: no calling until resumed.
		_, err = svc.Pause(as["shouli"], hallCode, "A01")
		wantQueueCode(t, "pause", err, "")
		_, err = svc.CallNext(as["shouli"], hallCode, "A01")
		wantQueueCode(t, "call at a paused window", err, apperr.Conflict)
		counts, err := svc.Waiting(kiosk, hallCode)
		wantQueueCode(t, "waiting", err, "")
		if len(counts) != 2 || counts[0].Waiting != 1 || counts[1].Waiting != 0 {
			t.Errorf("waiting %+v", counts)
		}
	})
}

func TestQueueIssuingDays(t *testing.T) {
	clk := clock.At(start)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(start)
		svc, as := hall(t, st, clk)
		a := &queue.Category{HallCode: demo.DistrictHall, Code: "A", Name: "企业开办", Prefix: "A", Hours: queue.DefaultHours(), DailyCap: 100}
		wantQueueCode(t, "category", svc.CreateCategory(as["admin"], a), "")
		req := service.TicketRequest{Hall: demo.DistrictHall, Category: "A"}
		tests := []struct {
			at   time.Time
			want apperr.Code
		}{
			{time.Date(2026, 2, 14, 9, 30, 0, 0, clock.Shanghai), ""},              // 调休 working Saturday
			{time.Date(2026, 2, 17, 9, 30, 0, 0, clock.Shanghai), apperr.Conflict}, // 春节
			{time.Date(2026, 10, 1, 9, 30, 0, 0, clock.Shanghai), apperr.Conflict}, // 国庆
			{time.Date(2026, 9, 30, 12, 0, 0, 0, clock.Shanghai), apperr.Conflict}, // lunch
			{time.Date(2026, 9, 30, 16, 29, 0, 0, clock.Shanghai), ""},             // last minute
		}
		for _, tc := range tests {
			clk.Set(tc.at)
			_, err := svc.TakeTicket(as["anonymous"], req)
			wantQueueCode(t, tc.at.String(), err, tc.want)
		}
	})
}
