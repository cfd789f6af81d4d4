package store_test

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// step is a window change applying action to the current ticket.
func step(action queue.Action) store.WindowChange {
	return func(w *queue.Window, cur *queue.Ticket, set queue.Settings) (*queue.TicketEvent, error) {
		if cur == nil {
			return nil, apperr.New(apperr.Conflict, "no ticket at %s", w.Number)
		}
		ev, err := queue.Apply(cur, action, queue.Input{Window: w.Number}, "shouli", set, start)
		if err == nil && !cur.State.Open() {
			w.Current = 0
		}
		return ev, err
	}
}

// serving opens window A01 for shouli and serves a ticket of category a.
func serving(t *testing.T, st *store.Store, a *queue.Category) *queue.Ticket {
	t.Helper()
	open(t, st, "A01", "shouli")
	tk, _, err := take(t, st, a, "", queue.Normal, start)
	must(t, err)
	_, _, err = st.CallNext(t.Context(), demo.DistrictHall, "A01", "shouli", start, func(*queue.Window, *queue.Ticket) error { return nil })
	must(t, err)
	_, _, err = st.AtWindow(t.Context(), demo.DistrictHall, "A01", start, step(queue.ActStart))
	must(t, err)
	return tk
}

// Finishing a visit, its rating token and the pad's waiting token are one
// write: when the token cannot be stored, the ticket stays in service and
// the pad waits for nothing.
func TestFinishVisitIsOneTransaction(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		a, _ := queueHall(t, st)
		tk := serving(t, st, a)
		pass := func(hash string) store.VisitPass {
			return store.VisitPass{Token: store.VisitToken{Hash: hash, HallCode: demo.DistrictHall, Window: "A01", Clerk: "shouli",
				IssuedAt: start, ExpiresAt: start.Add(time.Hour)}, Plain: "rv_" + hash, PadUntil: start.Add(10 * time.Minute)}
		}
		// A token with this hash exists already: the finish fails whole.
		must(t, st.CreateVisitToken(t.Context(), store.VisitToken{Hash: "taken", TicketID: "T-0", HallCode: demo.DistrictHall,
			Window: "A01", Clerk: "shouli", IssuedAt: start, ExpiresAt: start.Add(time.Hour)}))
		_, _, err := st.FinishVisit(t.Context(), demo.DistrictHall, "A01", start, step(queue.ActFinish), pass("taken"))
		wantCode(t, err, apperr.Conflict)
		got, _, err := st.Ticket(t.Context(), tk.ID)
		must(t, err)
		if got.State != queue.Serving {
			t.Fatalf("ticket %s after a failed finish", got.State)
		}
		_, err = st.RatingPad(t.Context(), demo.DistrictHall, "A01")
		wantCode(t, err, apperr.NotFound)

		w, done, err := st.FinishVisit(t.Context(), demo.DistrictHall, "A01", start, step(queue.ActFinish), pass("fresh"))
		must(t, err)
		if done.State != queue.Done || w.Current != 0 {
			t.Fatalf("finished %s, window holds %d", done.State, w.Current)
		}
		vt, err := st.VisitToken(t.Context(), "fresh")
		must(t, err)
		if vt.TicketID != strconv.FormatInt(tk.ID, 10) {
			t.Errorf("token of ticket %q", vt.TicketID)
		}
		pad, err := st.RatingPad(t.Context(), demo.DistrictHall, "A01")
		must(t, err)
		if pad.PendingToken != "rv_fresh" || !pad.PendingExpires.Equal(start.Add(10*time.Minute)) {
			t.Errorf("pad waits for %q until %v", pad.PendingToken, pad.PendingExpires)
		}
		// Nothing is in service any more: a second finish writes nothing.
		_, _, err = st.FinishVisit(t.Context(), demo.DistrictHall, "A01", start, step(queue.ActFinish), pass("again"))
		wantCode(t, err, apperr.Conflict)
		_, err = st.VisitToken(t.Context(), "again")
		wantCode(t, err, apperr.NotFound)
	})
}

// A case taken in is linked to the visit the link picks in the same
// transaction; a link refused takes the case back with it; no visit
// picked leaves the case unlinked. Ticket actions find a ticket by its
// number of the day.
func TestTakeInLinksTheVisit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		a, _ := queueHall(t, st)
		tk := serving(t, st, a)
		newCase := func() (*casework.Case, *casework.Event) {
			c := &casework.Case{
				ItemCode: "SCJG-XK-001", ItemVersion: 1, ItemName: "x", DepartmentCode: "SCJG",
				Kind: catalog.Promised, PromisedDays: 5, State: casework.Received, Channel: casework.AtWindow, HallCode: demo.DistrictHall,
				Applicant: casework.Party{Kind: casework.Entity, Name: "江川区味来餐饮管理有限公司"},
				Delivery:  casework.Delivery{Method: casework.Pickup}, CheckCode: "123456", ReceivedAt: start, ReceivedBy: "shouli",
			}
			return c, &casework.Event{Type: casework.ActIntake, Actor: "shouli", Role: "intake", Desk: "web", At: start,
				To: casework.Received, Details: json.RawMessage(`{}`)}
		}
		link := func(pick bool, fail error) *store.VisitLink {
			return &store.VisitLink{Hall: demo.DistrictHall, Clerk: "shouli",
				Pick: func(w *queue.Window, t *queue.Ticket) bool { return pick && w.Serving(t, "shouli") },
				Change: func(t *queue.Ticket, set queue.Settings, number string) (*queue.TicketEvent, error) {
					if fail != nil {
						return nil, fail
					}
					return queue.Apply(t, queue.ActLinkCase, queue.Input{CaseNumber: number}, "shouli", set, start)
				}}
		}
		cases := func() []string {
			cs, err := st.TicketCases(t.Context(), tk.ID)
			must(t, err)
			return cs
		}
		c, ev := newCase()
		_, err := st.TakeIn(t.Context(), c, ev, casework.Opened, link(true, apperr.New(apperr.Conflict, "refused")))
		wantCode(t, err, apperr.Conflict)
		if _, err := st.Case(t.Context(), c.Number); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("case %s saved though its link was refused: %v", c.Number, err)
		}
		c, ev = newCase()
		got, err := st.TakeIn(t.Context(), c, ev, casework.Opened, link(false, nil))
		must(t, err)
		if got != nil || len(cases()) != 0 {
			t.Errorf("linked to %+v without a visit picked: %v", got, cases())
		}
		c, ev = newCase()
		got, err = st.TakeIn(t.Context(), c, ev, casework.Opened, link(true, nil))
		must(t, err)
		if got == nil || got.ID != tk.ID || len(cases()) != 1 || cases()[0] != c.Number {
			t.Errorf("linked to %+v: %v, want %s", got, cases(), c.Number)
		}

		// The numbered ticket: today's A001 of the hall; no other.
		day := calendar.DateOf(start)
		noop := func(t *queue.Ticket, _ queue.Settings) (*queue.TicketEvent, error) {
			return nil, apperr.New(apperr.Conflict, "seen %s", t.Number)
		}
		_, err = st.UpdateTicketNumbered(t.Context(), demo.DistrictHall, day, tk.Number, noop)
		if !apperr.Is(err, apperr.Conflict) || apperr.MessageOf(err) != "seen "+tk.Number {
			t.Errorf("numbered ticket: %v", err)
		}
		_, err = st.UpdateTicketNumbered(t.Context(), demo.BinheHall, day, tk.Number, noop)
		wantCode(t, err, apperr.NotFound)
		_, err = st.UpdateTicketNumbered(t.Context(), demo.DistrictHall, day.AddDays(1), tk.Number, noop)
		wantCode(t, err, apperr.NotFound)
	})
}
