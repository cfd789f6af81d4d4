package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// searchCase saves a case of item received by clerk at at, with the
// applicant's phone.
func searchCase(t *testing.T, st *store.Store, item, clerk, phone string, at time.Time) *casework.Case {
	t.Helper()
	c := saveDeskCase(t, st, item, casework.Received, at, at.AddDate(0, 0, 2))
	if c.ReceivedBy != "shouli" || c.Applicant.Phone != "" {
		t.Fatalf("saveDeskCase changed: %+v", c)
	}
	// saveDeskCase knows no phone nor clerk: change them as a step does.
	got, err := st.UpdateCase(t.Context(), c.Number, func(c *casework.Case) (casework.Change, error) {
		c.Applicant.Phone, c.ReceivedBy = phone, clerk
		return casework.Change{Event: &casework.Event{Type: casework.ActSupply, Actor: clerk, Role: "intake", Desk: "web", At: at,
			From: c.State, To: c.State, Details: []byte(`{}`)}}, nil
	})
	must(t, err)
	return got
}

func numbersOf(cs []casework.Case) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Number)
	}
	slices.Sort(out)
	return out
}

// TestCaseSearch finds cases by the applicant's phone (by its keyed hash:
// the phone is nowhere in clear), the day received, the item (any
// version), the receiving clerk, and these together with the older
// filters.
func TestCaseSearch(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		day := func(n int) time.Time { return start.AddDate(0, 0, n) }
		a := searchCase(t, st, "SCJG-XK-001", "shouli", "138 1234 5678", day(0))
		b := searchCase(t, st, "SCJG-XK-001", "shouli2", "0571-88886666", day(1))
		c := searchCase(t, st, "GHZY-XK-001", "shouli", "13812345678", day(2))
		d := searchCase(t, st, "GHZY-XK-001", "shouli2", "", day(3))

		find := func(f store.CaseFilter) []string {
			t.Helper()
			got, total, err := st.Cases(ctx, f)
			must(t, err)
			if total != len(got) {
				t.Errorf("%+v: total %d, listed %d", f, total, len(got))
			}
			return numbersOf(got)
		}
		want := func(what string, got []string, cases ...*casework.Case) {
			t.Helper()
			var w []string
			for _, c := range cases {
				w = append(w, c.Number)
			}
			slices.Sort(w)
			if !slices.Equal(got, w) {
				t.Errorf("%s: %v, want %v", what, got, w)
			}
		}
		want("phone as typed with spaces", find(store.CaseFilter{Phone: "+86 138-1234-5678"}), a, c)
		want("landline", find(store.CaseFilter{Phone: "057188886666"}), b)
		want("a phone nobody gave", find(store.CaseFilter{Phone: "13900000000"}))
		want("part of a phone", find(store.CaseFilter{Phone: "5678"}))
		want("received from the second day", find(store.CaseFilter{ReceivedFrom: day(1)}), b, c, d)
		want("received on days 1 and 2", find(store.CaseFilter{ReceivedFrom: day(1), ReceivedTo: day(3)}), b, c)
		want("item", find(store.CaseFilter{Item: "GHZY-XK-001"}), c, d)
		want("clerk", find(store.CaseFilter{ReceivedBy: "shouli2"}), b, d)
		want("clerk, item and phone", find(store.CaseFilter{ReceivedBy: "shouli", Item: "GHZY-XK-001", Phone: "13812345678"}), c)
		want("department and clerk", find(store.CaseFilter{Department: "SCJG", ReceivedBy: "shouli2"}), b)
		want("state and period", find(store.CaseFilter{States: []casework.State{casework.Received}, ReceivedTo: day(1)}), a)

		// The phone is kept as a keyed hash only.
		for _, l := range storetest.Leaks(storetest.Dump(t, st), []string{"13812345678", "057188886666"}) {
			if l.Cell.Table == "cases" {
				t.Errorf("%s reveals %s (as %q)", l.Cell, l.Secret, l.Form)
			}
		}
	})
}

// TestIndexCaseSearch fills the search columns of cases written before
// they existed (NULL), once: a second run finds nothing to do, and a case
// changed since keeps what its change wrote.
func TestIndexCaseSearch(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		must(t, st.Load(ctx, demoSeed(), "test"))
		a := searchCase(t, st, "SCJG-XK-001", "shouli", "13812345678", start)
		b := searchCase(t, st, "GHZY-XK-001", "shouli2", "", start)
		// As migration 31 leaves the cases written before it.
		if _, err := st.DB().ExecContext(ctx, `UPDATE cases SET applicant_phone = NULL, received_by = NULL`); err != nil {
			t.Fatal(err)
		}
		if got, _, err := st.Cases(ctx, store.CaseFilter{Phone: "13812345678"}); err != nil || len(got) != 0 {
			t.Fatalf("before indexing the phone finds %d cases, %v", len(got), err)
		}
		n, err := st.IndexCaseSearch(ctx)
		if err != nil || n != 2 {
			t.Fatalf("IndexCaseSearch = %d, %v; want 2", n, err)
		}
		if n, err := st.IndexCaseSearch(ctx); err != nil || n != 0 {
			t.Errorf("a second run = %d, %v; want 0", n, err)
		}
		got, _, err := st.Cases(ctx, store.CaseFilter{Phone: "13812345678"})
		must(t, err)
		if slices.Compare(numbersOf(got), []string{a.Number}) != 0 {
			t.Errorf("by phone after indexing: %v", numbersOf(got))
		}
		got, _, err = st.Cases(ctx, store.CaseFilter{ReceivedBy: "shouli2"})
		must(t, err)
		if slices.Compare(numbersOf(got), []string{b.Number}) != 0 {
			t.Errorf("by clerk after indexing: %v", numbersOf(got))
		}
	})
}
