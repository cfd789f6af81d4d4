package store_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/ledger"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// The case ledger's entries carry every column as the case wrote it, on
// both databases; on PostgreSQL, its own reader (pgx's raw values, binary
// times and counts, texts made strings once) reads exactly what
// database/sql reads, masked or revealed, paged or whole.
func TestCaseLedgerReaders(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		ledgerCase := func(item string, at time.Time, details string, change func(c *casework.Case)) *casework.Case {
			t.Helper()
			c := &casework.Case{
				ItemCode: item, ItemVersion: 1, ItemName: item, DepartmentCode: item[:4],
				Kind: catalog.Promised, PromisedDays: 5, State: casework.Received, Channel: casework.AtWindow, HallCode: demo.DistrictHall,
				Applicant: casework.Party{Kind: casework.Person, Name: "王秀兰", IDNumber: "320120199001011234"},
				Delivery:  casework.Delivery{Method: casework.Pickup}, CheckCode: "123456",
				ReceivedAt: at, ReceivedBy: "shouli", Deadlines: casework.Deadlines{AcceptBy: at.AddDate(0, 0, 2)},
			}
			if change != nil {
				change(c)
			}
			ev := &casework.Event{Type: casework.ActIntake, Actor: "shouli", Role: "intake", Desk: "web", At: at,
				To: c.State, Details: json.RawMessage(details)}
			must(t, st.CreateCase(ctx, c, ev, casework.Opened))
			return c
		}
		open := ledgerCase("SCJG-XK-001", start, `{}`, nil)
		done := ledgerCase("GHZY-XK-001", start.Add(time.Hour), `{"on_time":false}`, func(c *casework.Case) {
			c.State, c.Channel, c.Outcome, c.Returns = casework.Archived, casework.ByMail, casework.Deny, 2
			c.AcceptedAt = start.Add(2 * time.Hour)
			c.Deadlines.DecideBy = start.AddDate(0, 0, 9).Add(-time.Microsecond)
			c.DecidedAt = start.AddDate(0, 0, 3)
			c.DeliveredAt = start.AddDate(0, 0, 4).Add(17 * time.Minute)
			c.Pauses = []casework.Pause{{Type: "expert", From: start, Days: 3}}
			c.Extension = &casework.Extension{State: casework.ExtensionApproved, Days: 5}
		})
		day := calendar.DateOf(start)
		q := store.LedgerQuery{Filter: ledger.Filter{From: day, To: day}, Now: start.AddDate(0, 0, 1)}
		read := func(f func(q store.LedgerQuery) ([]ledger.CaseEntry, error), q store.LedgerQuery) []ledger.CaseEntry {
			t.Helper()
			got, err := f(q)
			must(t, err)
			return got
		}
		collect := func(through func(store.LedgerQuery, func(*ledger.CaseEntry) error) error) func(store.LedgerQuery) ([]ledger.CaseEntry, error) {
			return func(q store.LedgerQuery) ([]ledger.CaseEntry, error) {
				var got []ledger.CaseEntry
				err := through(q, func(e *ledger.CaseEntry) error {
					got = append(got, *e)
					return nil
				})
				return got, err
			}
		}
		own := collect(func(q store.LedgerQuery, each func(*ledger.CaseEntry) error) error {
			return st.CaseLedger(ctx, q, each)
		})
		plain := collect(func(q store.LedgerQuery, each func(*ledger.CaseEntry) error) error {
			return st.CaseLedgerThroughSQL(ctx, q, each)
		})

		got := read(own, q)
		if len(got) != 2 || got[0].Number != open.Number || got[1].Number != done.Number {
			t.Fatalf("case ledger = %+v, want %s then %s", got, open.Number, done.Number)
		}
		o, d := got[0], got[1]
		shanghai := func(at time.Time) bool { return at.Location() == clock.Shanghai }
		if o.State != casework.Received || !o.ReceivedAt.Equal(start.Truncate(time.Microsecond)) || !shanghai(o.ReceivedAt) ||
			!o.AcceptedAt.IsZero() || !o.DecideBy.IsZero() || !o.DecidedAt.IsZero() || !o.DeliveredAt.IsZero() ||
			o.Outcome != "" || o.Returns != 0 || o.Paused != 0 || o.Extended || o.Late || o.IDNumber != "320120********1234" ||
			o.Department != "SCJG" || o.DepartmentName == "" || o.Hall != demo.DistrictHall || o.HallName == "" ||
			o.ItemCode != "SCJG-XK-001" || o.ItemName == "" || o.Channel != casework.AtWindow || o.Applicant != "王秀兰" {
			t.Errorf("open case's entry = %+v", o)
		}
		if d.State != casework.Archived || d.Channel != casework.ByMail || d.Outcome != casework.Deny || d.Returns != 2 ||
			d.Paused != 1 || !d.Extended || !d.Late || d.Department != "GHZY" ||
			!d.AcceptedAt.Equal(start.Add(2*time.Hour).Truncate(time.Microsecond)) || !shanghai(d.AcceptedAt) ||
			!d.DecideBy.Equal(start.AddDate(0, 0, 9).Add(-time.Microsecond).Truncate(time.Microsecond)) ||
			!d.DecidedAt.Equal(start.AddDate(0, 0, 3).Truncate(time.Microsecond)) ||
			!d.DeliveredAt.Equal(start.AddDate(0, 0, 4).Add(17*time.Minute).Truncate(time.Microsecond)) || !shanghai(d.DeliveredAt) {
			t.Errorf("finished case's entry = %+v", d)
		}

		for _, q := range []store.LedgerQuery{q, {Filter: q.Filter, Now: q.Now, RevealIDs: true}, {Filter: q.Filter, Now: q.Now, Limit: 1, Offset: 1},
			{Filter: ledger.Filter{From: day, To: day, Department: "GHZY"}, Now: q.Now}} {
			got, want := read(own, q), read(plain, q)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%+v: the store's reader read\n%+v\ndatabase/sql reads\n%+v", q, got, want)
			}
			if q.Filter.Department != "" && (len(got) != 1 || got[0].Number != done.Number) {
				t.Errorf("GHZY's: %+v", got)
			}
			if q.RevealIDs && (len(got) != 2 || got[0].IDNumber != "320120199001011234") {
				t.Errorf("revealed: %+v", got)
			}
		}
	})
}
