package service_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// residentID returns a valid resident ID (GB 11643 check digit) numbered n.
func residentID(n int) string {
	body := fmt.Sprintf("11010519800101%03d", n%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

var (
	friday   = time.Date(2026, 2, 13, 8, 0, 0, 0, clock.Shanghai) // the day before the working Saturday
	saturday = calendar.Date{Year: 2026, Month: 2, Day: 14}       // 春节调休: a working Saturday
	holiday  = calendar.Date{Year: 2026, Month: 2, Day: 17}       // 春节
)

func TestAppointments(t *testing.T) {
	clk := clock.At(friday)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(friday)
		svc, as := hall(t, st, clk)
		if err := svc.LoadDemoQueue(as["system"]); err != nil {
			t.Fatal(err)
		}
		pub := as["anonymous"]
		hallCode := demo.DistrictHall

		// Slots on the working Saturday, none on the holiday.
		slots, err := svc.AppointmentSlots(pub, hallCode, "A", saturday)
		wantQueueCode(t, "slots", err, "")
		if len(slots) != 11 || slots[0].Label() != "09:00–09:30" || slots[4].Label() != "11:00–11:30" || slots[5].Label() != "13:30–14:00" ||
			slots[0].Remaining != 5 || !slots[0].Open {
			t.Fatalf("Saturday slots %+v", slots)
		}
		if hs, err := svc.AppointmentSlots(pub, hallCode, "A", holiday); err != nil || len(hs) != 0 {
			t.Fatalf("holiday slots %v %v", hs, err)
		}
		days, _ := svc.AppointmentDays(pub, hallCode)
		if len(days) == 0 || days[1] != saturday || days[2] == holiday {
			t.Fatalf("days %v", days)
		}
		_, _, err = svc.Book(pub, service.BookingRequest{Hall: hallCode, Category: "A", Date: holiday, Slot: "09:00", Name: "张三", IDNumber: residentID(1), Phone: "13800138000"})
		wantQueueCode(t, "book a holiday", err, apperr.Invalid)
		_, _, err = svc.Book(pub, service.BookingRequest{Hall: hallCode, Category: "A", Date: saturday, Slot: "09:00", Name: "张三", IDNumber: "110105194912310021", Phone: "138"})
		wantQueueCode(t, "bad ID and phone", err, apperr.Invalid)

		book := func(n int, slot string) (*service.BookingView, string, error) {
			return svc.Book(pub, service.BookingRequest{Hall: hallCode, Category: "A", Date: saturday, Slot: slot,
				Name: fmt.Sprintf("申请人%d", n), IDNumber: residentID(n), Phone: "13800138000"})
		}
		codes := map[int]string{}
		for n := 1; n <= 4; n++ {
			v, code, err := book(n, "09:00")
			wantQueueCode(t, "book", err, "")
			codes[n] = code
			if v.IDMasked != "110105********"+residentID(n)[14:] || v.PhoneMasked != "138****8000" || v.State != "booked" {
				t.Fatalf("booking %+v", v)
			}
		}

		// Five at once for the last seat: exactly one wins.
		var wg sync.WaitGroup
		var mu sync.Mutex
		won, full := 0, 0
		for n := 10; n < 15; n++ {
			wg.Go(func() {
				v, code, err := book(n, "09:00")
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
					codes[n] = code
					_ = v
				case apperr.Is(err, apperr.Conflict):
					full++
				default:
					t.Errorf("concurrent booking: %v", err)
				}
			})
		}
		wg.Wait()
		if won != 1 || full != 4 {
			t.Fatalf("last seat: %d won, %d refused", won, full)
		}
		slots, _ = svc.AppointmentSlots(pub, hallCode, "A", saturday)
		if slots[0].Remaining != 0 || slots[0].Open {
			t.Fatalf("full slot %+v", slots[0])
		}

		// One booking per ID per day, in any slot.
		_, _, err = book(1, "10:00")
		wantQueueCode(t, "second booking of one ID", err, apperr.Conflict)

		// Cancelling frees the seat; a code cancels once.
		_, err = svc.CancelByCode(pub, "nonsense")
		wantQueueCode(t, "unknown code", err, apperr.NotFound)
		c, err := svc.CancelByCode(pub, codes[2])
		wantQueueCode(t, "cancel", err, "")
		if c.State != "cancelled" {
			t.Fatalf("cancelled %+v", c)
		}
		_, err = svc.CancelByCode(pub, codes[2])
		wantQueueCode(t, "cancel twice", err, apperr.Conflict)
		slots, _ = svc.AppointmentSlots(pub, hallCode, "A", saturday)
		if slots[0].Remaining != 1 {
			t.Fatalf("after cancel %+v", slots[0])
		}
		_, code20, err := book(20, "09:00")
		wantQueueCode(t, "book the freed seat", err, "")
		// The cancelled ID may book again that day.
		_, code2, err := book(2, "10:00")
		wantQueueCode(t, "rebook after cancel", err, "")
		// A clerk of another hall may not cancel.
		v3, _ := svc.BookingByCode(pub, codes[3])
		_, err = svc.CancelBooking(as["shouli2"], v3.ID)
		wantQueueCode(t, "clerk of another hall", err, apperr.Forbidden)
		_, err = svc.CancelBooking(as["shouli"], v3.ID)
		wantQueueCode(t, "clerk cancels", err, "")

		// Saturday: a normal ticket first, then check-in.
		clk.Set(saturday.At(9, 5))
		normal, err := svc.TakeTicket(pub, service.TicketRequest{Hall: hallCode, Category: "A"})
		wantQueueCode(t, "normal ticket", err, "")
		v1, err := svc.CheckIn(pub, hallCode, codes[1], "")
		wantQueueCode(t, "check in in the window", err, "")
		if v1.Ticket.Ticket.Priority != queue.Appointment || v1.Token == "" || v1.Booking.State != "checked_in" || v1.Booking.TicketID != v1.Ticket.Ticket.ID {
			t.Fatalf("check-in %+v %+v", v1.Booking, v1.Ticket.Ticket)
		}
		// The booking's phone goes with its ticket, for the queue text.
		due, err := st.TicketsToText(t.Context(), hallCode, saturday)
		if err != nil {
			t.Fatal(err)
		}
		phoned := false
		for _, d := range due {
			phoned = phoned || (d.Ticket.ID == v1.Ticket.Ticket.ID && d.Ticket.Phone == "13800138000")
		}
		if !phoned {
			t.Errorf("the checked-in ticket carries no phone: %+v", due)
		}
		_, err = svc.CheckIn(pub, hallCode, codes[1], "")
		wantQueueCode(t, "check in twice", err, apperr.Conflict)
		_, err = svc.CheckIn(pub, hallCode, code2, "")
		wantQueueCode(t, "too early for 10:00", err, apperr.Conflict)

		// The appointment ticket is called before the older normal one.
		_, err = svc.Resume(as["shouli"], hallCode, "A01")
		wantQueueCode(t, "resume", err, "")
		w, err := svc.CallNext(as["shouli"], hallCode, "A01")
		wantQueueCode(t, "call", err, "")
		if w.Ticket.Ticket.ID != v1.Ticket.Ticket.ID || w.Ticket.Ticket.ID == normal.Ticket.ID {
			t.Fatalf("called %s, want the appointment %s", w.Ticket.Ticket.Number, v1.Ticket.Ticket.Number)
		}

		// By ID number, 15 minutes after the start at the latest.
		clk.Set(saturday.At(9, 15))
		v4, err := svc.CheckIn(pub, hallCode, "", residentID(4))
		wantQueueCode(t, "check in by ID", err, "")
		if v4.Ticket.Ticket.Priority != queue.Appointment {
			t.Fatalf("by ID %+v", v4.Ticket.Ticket)
		}
		clk.Set(saturday.At(9, 16))
		_, err = svc.CheckIn(pub, hallCode, code20, "")
		wantQueueCode(t, "too late", err, apperr.Conflict)

		// Not checked in by the slot's end: a no-show, counted per person.
		n, err := svc.NoShowCount(as["shouli"], residentID(20))
		if err != nil || n != 0 {
			t.Fatalf("no-shows before the end: %d %v", n, err)
		}
		clk.Set(saturday.At(9, 30))
		n, err = svc.NoShowCount(as["shouli"], residentID(20))
		if err != nil || n != 1 {
			t.Fatalf("no-shows after the end: %d %v", n, err)
		}
		if _, err := svc.NoShowCount(pub, residentID(20)); !apperr.Is(err, apperr.Unauthorized) {
			t.Fatalf("public no-show count: %v", err)
		}
		b20, _ := svc.BookingByCode(pub, code20)
		if !b20.NoShow || b20.NoShows != 1 || b20.StateLabel != "爽约" {
			t.Fatalf("no-show booking %+v", b20)
		}
		if b1, _ := svc.BookingByCode(pub, codes[1]); b1.NoShow || b1.NoShows != 0 {
			t.Fatalf("checked-in booking %+v", b1)
		}
		list, err := svc.HallBookings(as["shouli"], hallCode, saturday)
		if err != nil || len(list) != 7 {
			t.Fatalf("hall bookings %d %v", len(list), err)
		}
	})
}
