package service_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/export"
	"github.com/onewindow/onewindow/internal/ledger"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/supervision"
)

// The supervision-notice ledger (督办单台账) lists every notice opened in the
// period with its state now, filtered by department, hall and state, people
// named; it exports like the other ledgers.
func TestNoticeLedger(t *testing.T) {
	clk := clock.At(sh("2026-09-30 09:30"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		svc, as, n := supervisedHall(t, clk, st)
		sv := svc.Supervision()
		// 10-16: the sweep opens one on B's acceptance, answered in time;
		// two by hand on A, never answered (escalated on 10-21).
		if rep, err := sv.Sweep(as["system"]); err != nil || rep.Opened != 1 {
			t.Fatalf("sweep: %v %+v", err, rep)
		}
		list, err := sv.Notices(as["jiandu"], service.NoticeQuery{})
		if err != nil || list.Total != 1 {
			t.Fatal(err)
		}
		if _, err := sv.ReplyNotice(as["bumen"], list.Notices[0].ID, supervision.Reply{Explanation: "节后积压", Measures: "=增派人员"}); err != nil {
			t.Fatal(err)
		}
		for _, reason := range []string{"审批决定超期，请说明原因", "再次督办"} {
			if _, err := sv.OpenNotice(as["jiandu"], n["A"], reason); err != nil {
				t.Fatal(err)
			}
		}
		clk.Set(sh("2026-10-21 09:00"))
		if rep, err := sv.Sweep(as["system"]); err != nil || rep.Escalated != 2 {
			t.Fatalf("escalation: %v %+v", err, rep)
		}
		// 10-21: one more by hand on C, open.
		if _, err := sv.OpenNotice(as["jiandu"], n["C"], "退回补正后久未重新提交，请跟进"); err != nil {
			t.Fatal(err)
		}
		october := ledger.Filter{From: calendar.Date{Year: 2026, Month: 10, Day: 1}, To: calendar.Date{Year: 2026, Month: 10, Day: 31}}
		read := func(who string, f ledger.Filter) []ledger.NoticeEntry {
			t.Helper()
			p, err := svc.Ledgers().Page(as[who], service.LedgerRequest{Kind: ledger.Notices, Filter: f})
			if err != nil {
				t.Fatalf("%s reads %+v: %v", who, f, err)
			}
			if p.Total != len(p.Notices) {
				t.Fatalf("total %d, %d entries", p.Total, len(p.Notices))
			}
			return p.Notices
		}
		all := read("jiandu", october)
		if len(all) != 4 {
			t.Fatalf("%d notices in October, want 4: %+v", len(all), all)
		}
		byState := map[ledger.NoticeState][]string{}
		for _, e := range all {
			byState[e.State] = append(byState[e.State], e.Number)
			if e.DepartmentName != "江川区市场监督管理局" || e.ItemName == "" || e.HallName == "" || e.ReplyBy.IsZero() {
				t.Errorf("entry %+v: department, item, hall or deadline missing", e)
			}
		}
		if !slices.Equal(byState[ledger.NoticeAnswered], []string{n["B"]}) || len(byState[ledger.NoticeOverdue]) != 2 ||
			!slices.Equal(byState[ledger.NoticeOpen], []string{n["C"]}) {
			t.Errorf("states %v", byState)
		}
		sweep := all[0]
		if sweep.Origin != supervision.BySweep || sweep.OpenedBy != "系统" || sweep.RepliedBy != "陈丽华" || sweep.StepLabel == "" ||
			sweep.RepliedLate || sweep.Measures != "=增派人员" {
			t.Errorf("sweep notice %+v", sweep)
		}
		if hand := all[1]; hand.Origin != supervision.ByHand || hand.OpenedBy != "赵敏" || hand.EscalatedAt.IsZero() || hand.State != ledger.NoticeOverdue {
			t.Errorf("hand notice %+v", hand)
		}
		// Filters: each state, two at once, the department and the hall.
		for _, tc := range []struct {
			states []ledger.NoticeState
			want   int
		}{
			{[]ledger.NoticeState{ledger.NoticeOpen}, 1},
			{[]ledger.NoticeState{ledger.NoticeAnswered}, 1},
			{[]ledger.NoticeState{ledger.NoticeOverdue}, 2},
			{[]ledger.NoticeState{ledger.NoticeEscalated}, 2},
			{[]ledger.NoticeState{ledger.NoticeOpen, ledger.NoticeAnswered}, 2},
		} {
			f := october
			f.NoticeStates = tc.states
			if got := read("jiandu", f); len(got) != tc.want {
				t.Errorf("states %v: %d notices, want %d", tc.states, len(got), tc.want)
			}
		}
		f := october
		f.Department = "GHZY"
		if got := read("jiandu", f); len(got) != 0 {
			t.Errorf("GHZY has %d notices", len(got))
		}
		f = october
		f.Hall = all[0].Hall
		if got := read("jiandu", f); len(got) != 4 {
			t.Errorf("the intake hall has %d notices, want 4", len(got))
		}
		f.Hall = "NOPE"
		if got := read("jiandu", f); len(got) != 0 {
			t.Errorf("an unknown hall has %d notices", len(got))
		}
		if got := read("bumen", october); len(got) != 4 {
			t.Errorf("SCJG's admin reads %d notices, want 4", len(got))
		}
		// The period is the opening day: September holds none.
		if got := read("jiandu", ledger.Filter{From: calendar.Date{Year: 2026, Month: 9, Day: 1}, To: calendar.Date{Year: 2026, Month: 9, Day: 30}}); len(got) != 0 {
			t.Errorf("September has %d notices", len(got))
		}
		// Refusals: the wrong role, another department, unknown states,
		// notice states on another ledger.
		if _, err := svc.Ledgers().Page(as["shenpi"], service.LedgerRequest{Kind: ledger.Notices, Filter: october}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a reviewer reads the notice ledger: %v", err)
		}
		f = october
		f.Department = "GHZY"
		if _, err := svc.Ledgers().Page(as["bumen"], service.LedgerRequest{Kind: ledger.Notices, Filter: f}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("SCJG's admin reads GHZY's notices: %v", err)
		}
		f = october
		f.NoticeStates = []ledger.NoticeState{"lost"}
		if _, err := svc.Ledgers().Page(as["jiandu"], service.LedgerRequest{Kind: ledger.Notices, Filter: f}); len(apperr.FieldsOf(err)) == 0 {
			t.Errorf("an unknown notice state: %v", err)
		}
		f.NoticeStates = []ledger.NoticeState{ledger.NoticeOpen}
		if _, err := svc.Ledgers().Page(as["jiandu"], service.LedgerRequest{Kind: ledger.Cases, Filter: f}); len(apperr.FieldsOf(err)) == 0 {
			t.Errorf("a notice state on the case ledger: %v", err)
		}
		// The export: one row per notice, the header the columns, text
		// escaped, names not usernames.
		var b bytes.Buffer
		rows, err := svc.Ledgers().Export(as["jiandu"], service.LedgerRequest{Kind: ledger.Notices, Filter: october}, export.CSV, &b)
		if err != nil || rows != 4 {
			t.Fatalf("export: %d rows, %v", rows, err)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), export.BOM))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 5 || !slices.Equal(recs[0], ledger.Columns(ledger.Notices)) {
			t.Fatalf("%d records, header %q", len(recs), recs[0])
		}
		if rec := recs[1]; rec[1] != n["B"] || rec[9] != "系统" || rec[11] != "已回复" || rec[13] != "陈丽华" || rec[15] != "'=增派人员" {
			t.Errorf("first row %q", rec)
		}
		if strings.Contains(b.String(), "jiandu") || strings.Contains(b.String(), "bumen") {
			t.Error("a username in the export")
		}
	})
}
