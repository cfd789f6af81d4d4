package service_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/ledger"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// historyNow is where the generated history of these tests ends.
var historyNow = time.Date(2026, 9, 30, 16, 0, 0, 0, clock.Shanghai)

// historyFrom is where it starts: nine months of intakes.
var historyFrom = time.Date(2026, 1, 1, 0, 0, 0, 0, clock.Shanghai)

// generated is a demo hall with n generated cases.
func generated(t *testing.T, st *store.Store, n int) (*service.Service, map[string]context.Context, *service.HistoryReport) {
	t.Helper()
	svc, as := hall(t, st, clock.At(historyNow))
	rep, err := svc.GenerateHistory(as["system"], service.HistoryOptions{Cases: n, From: historyFrom, To: historyNow, Seed: 7, Batch: 60})
	if err != nil {
		t.Fatal(err)
	}
	return svc, as, rep
}

var wholeHistory = ledger.Filter{From: calendar.DateOf(historyFrom), To: calendar.DateOf(historyNow)}

// allCases returns the whole case ledger of f as ctx's user reads it.
func allCases(t *testing.T, svc *service.Service, ctx context.Context, f ledger.Filter) []ledger.CaseEntry {
	t.Helper()
	var out []ledger.CaseEntry
	for page := 1; ; page++ {
		p, err := svc.Ledgers().Page(ctx, service.LedgerRequest{Kind: ledger.Cases, Filter: f, Page: page, Size: 500})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Cases...)
		if len(out) >= p.Total || len(p.Cases) == 0 {
			if len(out) != p.Total {
				t.Fatalf("pages hold %d entries, total says %d", len(out), p.Total)
			}
			return out
		}
	}
}

// The generator writes through the domain's transitions: every case's
// record is a sound hash chain, its figures agree with the ledger, and the
// story has what a hall's year has: returns, pauses, late steps, ratings.
func TestGenerateHistory(t *testing.T) {
	storetest.Each(t, clock.At(historyNow), func(t *testing.T, st *store.Store) {
		svc, as, rep := generated(t, st, 240)
		if rep.Cases != 240 || rep.Events < 240*3 || rep.Ratings == 0 || rep.Returned == 0 || rep.Paused == 0 || rep.Late == 0 || rep.Open == 0 {
			t.Fatalf("report = %+v: want returns, pauses, late steps, open cases and ratings", rep)
		}
		chains, err := svc.VerifyAudit(as["admin"])
		if err != nil {
			t.Fatal(err)
		}
		if chains.Cases != 240 || chains.Events != rep.Events || len(chains.Breaks) != 0 {
			t.Fatalf("chains = %d cases, %d events, breaks %v; report %+v", chains.Cases, chains.Events, chains.Breaks, rep)
		}
		entries := allCases(t, svc, as["jiandu"], wholeHistory)
		if len(entries) != 240 {
			t.Fatalf("case ledger holds %d cases, want 240", len(entries))
		}
		days, err := svc.CalendarYear(as["system"], 2026, "")
		if err != nil {
			t.Fatal(err)
		}
		working := map[calendar.Date]bool{}
		for _, d := range days {
			working[d.Date] = d.Working
		}
		depts, halls, items := map[string]bool{}, map[string]bool{}, map[string]bool{}
		handovers, deliveries, lateByEvent := 0, 0, 0
		for _, e := range entries {
			depts[e.Department], halls[e.Hall], items[e.ItemCode] = true, true, true
			if e.ReceivedAt.Before(historyFrom) || e.ReceivedAt.After(historyNow) || !working[calendar.DateOf(e.ReceivedAt)] || e.ReceivedAt.Hour() < 9 || e.ReceivedAt.Hour() >= 17 {
				t.Errorf("%s taken in at %s: outside the period's working hours", e.Number, e.ReceivedAt)
			}
			v, err := svc.Case(as["jiandu"], e.Number)
			if err != nil {
				t.Fatal(err)
			}
			// Late, told independently: an event recorded a step done
			// after its deadline, or a deadline runs red now.
			late := v.Warning == calendar.WarningRed
			for _, ev := range v.Events {
				var d struct {
					OnTime *bool `json:"on_time"`
				}
				_ = json.Unmarshal(ev.Details, &d)
				if d.OnTime != nil && !*d.OnTime {
					late = true
					lateByEvent++
				}
				if ev.Type == casework.ActHandover {
					handovers++
				}
				if !ev.At.After(historyNow) && (ev.Type == casework.ActDeliver || ev.Type == casework.ActConfirmDelivery) {
					deliveries++
				}
			}
			if e.Late != late {
				t.Errorf("%s: ledger says late=%v, the events and warning say %v", e.Number, e.Late, late)
			}
			if e.State != v.Case.State || !e.DecidedAt.Equal(v.Case.DecidedAt.Truncate(time.Microsecond)) || e.Applicant != v.Case.Applicant.Name {
				t.Errorf("%s: ledger %+v disagrees with the case", e.Number, e)
			}
		}
		if len(depts) < 5 || len(halls) < 3 || len(items) < 15 {
			t.Errorf("spread over %d departments, %d halls, %d items: want the district's breadth", len(depts), len(halls), len(items))
		}
		if lateByEvent == 0 {
			t.Error("no step was done late")
		}
		for kind, want := range map[ledger.Kind]int{ledger.Handovers: handovers, ledger.Deliveries: deliveries, ledger.Ratings: rep.Ratings} {
			p, err := svc.Ledgers().Page(as["jiandu"], service.LedgerRequest{Kind: kind, Filter: wholeHistory})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != want {
				t.Errorf("%s ledger holds %d, the events say %d", kind, p.Total, want)
			}
		}
	})
}

// Every filter keeps exactly the entries it names, on both databases, and
// the period counts whole days with both ends included.
func TestLedgerFilters(t *testing.T) {
	storetest.Each(t, clock.At(historyNow), func(t *testing.T, st *store.Store) {
		svc, as, _ := generated(t, st, 160)
		ctx := as["jiandu"]
		all := allCases(t, svc, ctx, wholeHistory)
		pick := all[len(all)/2]
		day := calendar.DateOf(pick.ReceivedAt)
		cases := []struct {
			name string
			f    func(*ledger.Filter)
			keep func(ledger.CaseEntry) bool
		}{
			{"department", func(f *ledger.Filter) { f.Department = pick.Department }, func(e ledger.CaseEntry) bool { return e.Department == pick.Department }},
			{"item", func(f *ledger.Filter) { f.Item = pick.ItemCode }, func(e ledger.CaseEntry) bool { return e.ItemCode == pick.ItemCode }},
			{"hall", func(f *ledger.Filter) { f.Hall = pick.Hall }, func(e ledger.CaseEntry) bool { return e.Hall == pick.Hall }},
			{"state", func(f *ledger.Filter) { f.States = []casework.State{casework.Archived, casework.Accepted} },
				func(e ledger.CaseEntry) bool { return e.State == casework.Archived || e.State == casework.Accepted }},
			{"late", func(f *ledger.Filter) { f.LateOnly = true }, func(e ledger.CaseEntry) bool { return e.Late }},
			{"one day", func(f *ledger.Filter) { f.From, f.To = day, day }, func(e ledger.CaseEntry) bool { return calendar.DateOf(e.ReceivedAt) == day }},
			{"from the day", func(f *ledger.Filter) { f.From = day }, func(e ledger.CaseEntry) bool { return !calendar.DateOf(e.ReceivedAt).Before(day) }},
			{"to the day", func(f *ledger.Filter) { f.To = day }, func(e ledger.CaseEntry) bool { return !calendar.DateOf(e.ReceivedAt).After(day) }},
			{"department and late", func(f *ledger.Filter) { f.Department, f.LateOnly = pick.Department, true },
				func(e ledger.CaseEntry) bool { return e.Department == pick.Department && e.Late }},
		}
		for _, c := range cases {
			f := wholeHistory
			c.f(&f)
			got := allCases(t, svc, ctx, f)
			var want []string
			for _, e := range all {
				if c.keep(e) {
					want = append(want, e.Number)
				}
			}
			var numbers []string
			for _, e := range got {
				numbers = append(numbers, e.Number)
			}
			if len(want) == 0 || len(want) == len(all) && c.name != "from the day" && c.name != "to the day" {
				t.Errorf("%s: the filter keeps %d of %d: not a test of it", c.name, len(want), len(all))
			}
			if !slices.Equal(numbers, want) {
				t.Errorf("%s: ledger lists %d cases %v, want %d %v", c.name, len(numbers), numbers, len(want), want)
			}
		}
		// The other ledgers filter by department too.
		for _, kind := range []ledger.Kind{ledger.Handovers, ledger.Deliveries, ledger.Ratings} {
			f := wholeHistory
			f.Department = pick.Department
			p, err := svc.Ledgers().Page(ctx, service.LedgerRequest{Kind: kind, Filter: f, Size: 500})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range append(append(depsOf(p.Handovers), depsOfD(p.Deliveries)...), depsOfR(p.Ratings)...) {
				if d != pick.Department {
					t.Errorf("%s ledger of %s lists an entry of %s", kind, pick.Department, d)
				}
			}
		}
	})
}

func depsOf(es []ledger.HandoverEntry) (out []string) {
	for _, e := range es {
		out = append(out, e.Department)
	}
	return out
}

func depsOfD(es []ledger.DeliveryEntry) (out []string) {
	for _, e := range es {
		out = append(out, e.Department)
	}
	return out
}

func depsOfR(es []ledger.RatingEntry) (out []string) {
	for _, e := range es {
		out = append(out, e.Department)
	}
	return out
}

// Who reads which ledger, and who sees ID numbers in full.
func TestLedgerAccessAndMasking(t *testing.T) {
	storetest.Each(t, clock.At(historyNow), func(t *testing.T, st *store.Store) {
		svc, as, _ := generated(t, st, 60)
		l := svc.Ledgers()
		for _, who := range []string{"shouli", "chujian", "shenpi", "daiban", "anonymous"} {
			_, err := l.Page(as[who], service.LedgerRequest{Kind: ledger.Cases, Filter: wholeHistory})
			want := apperr.Forbidden
			if who == "anonymous" {
				want = apperr.Unauthorized
			}
			if apperr.CodeOf(err) != want {
				t.Errorf("%s reads the ledger: %v, want %s", who, err, want)
			}
		}
		all := allCases(t, svc, as["admin"], wholeHistory)
		if len(all) != 60 {
			t.Fatalf("admin reads %d cases, want 60", len(all))
		}
		for _, e := range all {
			if !strings.Contains(e.IDNumber, "********") || len([]rune(e.IDNumber)) != 18 {
				t.Fatalf("%s: ID number %q not masked", e.Number, e.IDNumber)
			}
		}
		// The department admin of SCJG reads SCJG only, and may reveal.
		own := allCases(t, svc, as["bumen"], wholeHistory)
		scjg := 0
		for _, e := range all {
			if e.Department == "SCJG" {
				scjg++
			}
		}
		if len(own) != scjg || scjg == 0 {
			t.Fatalf("bumen reads %d cases, SCJG has %d", len(own), scjg)
		}
		f := wholeHistory
		f.Department = "GHZY"
		if _, err := l.Page(as["bumen"], service.LedgerRequest{Kind: ledger.Cases, Filter: f}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("bumen reads GHZY's ledger: %v", err)
		}
		if _, err := l.Page(as["jiandu"], service.LedgerRequest{Kind: ledger.Cases, Filter: wholeHistory, RevealIDs: true}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("a supervisor reveals ID numbers: %v", err)
		}
		p, err := l.Page(as["bumen"], service.LedgerRequest{Kind: ledger.Cases, Filter: wholeHistory, RevealIDs: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Cases {
			c, err := st.Case(context.Background(), e.Number)
			if err != nil {
				t.Fatal(err)
			}
			if e.IDNumber != c.Applicant.IDNumber || strings.Contains(e.IDNumber, "*") {
				t.Errorf("%s revealed as %q, the case holds %q", e.Number, e.IDNumber, c.Applicant.IDNumber)
			}
		}
		// Bad filters change nothing and say which field.
		bad := []service.LedgerRequest{
			{Kind: ledger.Cases, Filter: ledger.Filter{From: calendar.DateOf(historyNow), To: calendar.DateOf(historyFrom)}},
			{Kind: ledger.Ratings, Filter: ledger.Filter{From: wholeHistory.From, To: wholeHistory.To, LateOnly: true}},
			{Kind: ledger.Handovers, Filter: ledger.Filter{From: wholeHistory.From, To: wholeHistory.To, States: []casework.State{casework.Archived}}},
			{Kind: ledger.Cases, Filter: ledger.Filter{From: wholeHistory.From, To: wholeHistory.To, States: []casework.State{"lost"}}},
			{Kind: ledger.Cases, Filter: ledger.Filter{From: calendar.Date{Year: 2020, Month: 1, Day: 1}, To: wholeHistory.To}},
			{Kind: "archive", Filter: wholeHistory},
		}
		for _, r := range bad {
			if _, err := l.Page(as["jiandu"], r); apperr.CodeOf(err) != apperr.Invalid || len(apperr.FieldsOf(err)) == 0 {
				t.Errorf("%+v: %v, want invalid with a field", r, err)
			}
		}
	})
}

// The exports: CSV with a BOM, xlsx read back, every cell that could start
// a formula escaped, ID numbers masked, one row per entry.
func TestLedgerExports(t *testing.T) {
	storetest.Each(t, clock.At(historyNow), func(t *testing.T, st *store.Store) {
		svc, as, _ := generated(t, st, 60)
		l := svc.Ledgers()
		// A rating whose text would be a formula.
		var rated string
		for _, e := range allCases(t, svc, as["jiandu"], wholeHistory) {
			if e.State != casework.Archived {
				continue
			}
			if _, err := st.CaseRating(context.Background(), e.Number); !apperr.Is(err, apperr.NotFound) {
				continue
			}
			c, err := st.Case(context.Background(), e.Number)
			if err != nil {
				t.Fatal(err)
			}
			_, err = svc.RateCase(context.Background(), e.Number, c.CheckCode,
				rating.Input{Level: 2, Channel: rating.PC, Text: "=HYPERLINK(\"http://x\",\"点此\")", Tags: []rating.Tag{"等候时间长"}})
			if err != nil {
				t.Fatal(err)
			}
			rated = e.Number
			break
		}
		if rated == "" {
			t.Fatal("no archived case to rate")
		}
		r := service.LedgerRequest{Kind: ledger.Ratings, Filter: ledger.Filter{From: wholeHistory.From, To: wholeHistory.To.AddDays(1)}}
		var b bytes.Buffer
		n, err := l.Export(as["jiandu"], r, export.CSV, &b)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(b.String(), export.BOM) {
			t.Fatal("CSV without BOM")
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), export.BOM))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != n+1 || strings.Join(recs[0], ",") != strings.Join(ledger.Columns(ledger.Ratings), ",") {
			t.Fatalf("%d records for %d entries, header %q", len(recs), n, recs[0])
		}
		found := false
		for _, rec := range recs[1:] {
			if rec[8] == rated {
				found = rec[13] == "'=HYPERLINK(\"http://x\",\"点此\")" && rec[2] == "不满意" && rec[14] == "待整改"
				if !found {
					t.Errorf("rating row %q: text not escaped or wrong", rec)
				}
			}
			for _, cell := range rec {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("cell %q starts a formula", cell)
				}
			}
		}
		if !found {
			t.Errorf("the rating of %s is not in the export", rated)
		}

		// The case ledger as a workbook, masked.
		b.Reset()
		n, err = l.Export(as["admin"], service.LedgerRequest{Kind: ledger.Cases, Filter: wholeHistory}, export.XLSX, &b)
		if err != nil || n != 60 {
			t.Fatalf("xlsx export: %d rows, %v", n, err)
		}
		wb, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		rows, err := wb.GetRows("办件台账")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 61 || rows[0][6] != "证件号码" {
			t.Fatalf("workbook has %d rows, header %q", len(rows), rows[0])
		}
		for _, row := range rows[1:] {
			if !strings.Contains(row[6], "********") {
				t.Errorf("ID number %q unmasked in the workbook", row[6])
			}
		}
		// A refused export writes nothing.
		b.Reset()
		if _, err := l.Export(as["shouli"], service.LedgerRequest{Kind: ledger.Cases, Filter: wholeHistory}, export.CSV, &b); apperr.CodeOf(err) != apperr.Forbidden || b.Len() != 0 {
			t.Errorf("intake clerk's export: %v, %d bytes written", err, b.Len())
		}
	})
}

// Cases written before the case ledger existed get their ledger rows at
// start (FillCaseLedger), the same rows the changes themselves write.
func TestFillCaseLedger(t *testing.T) {
	storetest.Each(t, clock.At(historyNow), func(t *testing.T, st *store.Store) {
		svc, as, _ := generated(t, st, 40)
		before := allCases(t, svc, as["jiandu"], wholeHistory)
		// As a database from before migration 22 is: cases without rows,
		// and the fill not yet done.
		if _, err := st.DB().Exec(`DELETE FROM case_ledger`); err != nil {
			t.Fatal(err)
		}
		if _, err := st.DB().Exec(`DELETE FROM counters WHERE name = 'case_ledger:filled'`); err != nil {
			t.Fatal(err)
		}
		if got := allCases(t, svc, as["jiandu"], wholeHistory); len(got) != 0 {
			t.Fatalf("without ledger rows the ledger lists %d cases", len(got))
		}
		n, err := st.FillCaseLedger(context.Background())
		if err != nil || n != 40 {
			t.Fatalf("FillCaseLedger = %d, %v; want 40", n, err)
		}
		after := allCases(t, svc, as["jiandu"], wholeHistory)
		if !reflect.DeepEqual(before, after) {
			t.Errorf("filled ledger differs:\nbefore %+v\nafter  %+v", before, after)
		}
		if n, err := st.FillCaseLedger(context.Background()); err != nil || n != 0 {
			t.Errorf("second fill = %d, %v; want nothing to do", n, err)
		}
		// Once done, it does not look again: a later start costs nothing.
		if _, err := st.DB().Exec(`DELETE FROM case_ledger`); err != nil {
			t.Fatal(err)
		}
		if n, err := st.FillCaseLedger(context.Background()); err != nil || n != 0 {
			t.Errorf("fill after done = %d, %v; want no search", n, err)
		}
	})
}
