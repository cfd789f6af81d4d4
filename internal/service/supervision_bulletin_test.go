package service_test

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
	"github.com/onewindow/onewindow/internal/supervision"
)

// The October bulletin of the hall across 国庆: A decided late, B's
// acceptance open past its deadline, D's correction late (C's missed
// handover was due in September); the sweep's notice on B answered late,
// the hand notice on A never.
func TestBulletinOfTheHoliday(t *testing.T) {
	clk := clock.At(sh("2026-09-30 09:30"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		svc, as, n := supervisedHall(t, clk, st)
		sv := svc.Supervision()
		if _, err := sv.Sweep(as["system"]); err != nil {
			t.Fatal(err)
		}
		if _, err := sv.OpenNotice(as["jiandu"], n["A"], "审批决定超期，请说明原因"); err != nil {
			t.Fatal(err)
		}
		clk.Set(sh("2026-10-21 09:00"))
		sweep, err := sv.Notices(as["jiandu"], service.NoticeQuery{Number: n["B"]})
		if err != nil || sweep.Total != 1 {
			t.Fatalf("B's notice: %v %+v", err, sweep)
		}
		if _, err := sv.ReplyNotice(as["bumen"], sweep.Notices[0].ID, supervision.Reply{Explanation: "节后积压", Measures: "增派人员"}); err != nil {
			t.Fatal(err)
		}
		b, err := sv.Bulletin(as["jiandu"], "2026-10")
		if err != nil {
			t.Fatal(err)
		}
		if b.Title != "2026年10月政务服务督查通报" || b.From != "2026-10-01" || b.To != "2026-10-31" || b.Complete {
			t.Errorf("bulletin %q %s–%s complete %v", b.Title, b.From, b.To, b.Complete)
		}
		tot := b.Totals
		if tot.Intakes != 0 || tot.Decisions != 2 || tot.Decide != (supervision.Punctuality{OnTime: 1, Late: 1}) ||
			tot.OnTimeCompletion == nil || *tot.OnTimeCompletion != 0.5 || tot.LateCases != 3 || tot.Unanswered != 2 ||
			tot.YellowCards != 1 || tot.RedCards != 0 {
			t.Errorf("totals %+v", tot)
		}
		if len(b.Late) != 1 || b.Late[0].Label != "江川区市场监督管理局" || b.Late[0].Count != 3 {
			t.Fatalf("late %+v", b.Late)
		}
		late := map[string]service.LateCase{}
		for _, c := range b.Late[0].List {
			late[c.Number] = c
		}
		if _, ok := late[n["C"]]; ok || len(late) != 3 {
			t.Errorf("late cases %v, want A, B and D", slices.Collect(maps.Keys(late)))
		}
		if s := late[n["B"]].Steps; len(s) != 1 || s[0].Step != supervision.Accept || s[0].Status != supervision.Overdue || !s[0].Done.IsZero() {
			t.Errorf("B's late steps %+v", s)
		}
		if s := late[n["A"]].Steps; len(s) != 1 || s[0].Step != supervision.Decide || s[0].Status != supervision.Late || s[0].By == "" || s[0].By == "shenpi" {
			t.Errorf("A's late steps %+v: want the decision, by the reviewer's real name", s)
		}
		if c := late[n["A"]]; c.Item == "" || c.Item == "SCJG-XK-001" || c.Link != "/cases/"+n["A"] {
			t.Errorf("A: item %q link %q", c.Item, c.Link)
		}
		status := map[string]string{}
		for _, u := range b.Unanswered {
			status[u.Number] = u.StatusLabel
			if u.OpenedBy == "jiandu" || u.OpenedBy == "system" || u.RepliedBy == "bumen" || u.DepartmentLabel == "SCJG" {
				t.Errorf("notice names a username or code: %+v", u)
			}
		}
		if status[n["A"]] != "逾期未回复" || status[n["B"]] != "逾期回复" {
			t.Errorf("notices %v", status)
		}
		if len(b.Ranking) != 1 || b.Ranking[0].Rank != 1 || b.Ranking[0].Label != "江川区市场监督管理局" || b.Ranking[0].Card != supervision.YellowCard {
			t.Errorf("ranking %+v", b.Ranking)
		}
		checkBulletin(t, sv, as["jiandu"], b)
		checkWorkbook(t, b)
	})
}

// A generated summer and autumn: every month's bulletin agrees with the
// drill-downs of the same month's figures, on several departments.
func TestBulletinMatchesDrillDowns(t *testing.T) {
	now := sh("2026-10-20 16:00")
	clk := clock.At(now)
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(now)
		svc, as := hall(t, st, clk)
		if _, err := svc.GenerateHistory(as["system"], service.HistoryOptions{Cases: 150, From: sh("2026-07-01 00:00"), To: now, Seed: 11, Batch: 75}); err != nil {
			t.Fatal(err)
		}
		sv := svc.Supervision()
		if _, err := sv.Sweep(as["system"]); err != nil {
			t.Fatal(err)
		}
		// The supervisor opens a notice on each department's first late case
		// of September; the market regulator answers after its deadline.
		sep, err := sv.Bulletin(as["jiandu"], "2026-09")
		if err != nil {
			t.Fatal(err)
		}
		var scjg int64
		for _, d := range sep.Late {
			nv, err := sv.OpenNotice(as["jiandu"], d.List[0].Number, "九月超期，请说明原因")
			if err != nil {
				t.Fatal(err)
			}
			if d.Department == "SCJG" {
				scjg = nv.ID
			}
		}
		clk.Set(sh("2026-10-26 10:00"))
		if scjg != 0 {
			if _, err := sv.ReplyNotice(as["bumen"], scjg, supervision.Reply{Explanation: "人手不足", Measures: "调整分工"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := sv.Sweep(as["system"]); err != nil {
			t.Fatal(err)
		}
		late, unanswered, departments := 0, 0, 0
		for _, month := range []string{"2026-07", "2026-08", "2026-09", "2026-10"} {
			b, err := sv.Bulletin(as["jiandu"], month)
			if err != nil {
				t.Fatal(err)
			}
			if b.Complete != (month != "2026-10") {
				t.Errorf("%s complete %v", month, b.Complete)
			}
			checkBulletin(t, sv, as["jiandu"], b)
			late += int(b.Totals.LateCases)
			unanswered += len(b.Unanswered)
			departments = max(departments, len(b.Ranking))
			if month == "2026-09" {
				checkWorkbook(t, b)
				rates, err := svc.Rates(as["jiandu"], sh("2026-09-01 00:00"), sh("2026-10-01 00:00"), rating.ByDepartment)
				if err != nil {
					t.Fatal(err)
				}
				total := 0
				for _, r := range rates {
					total += r.Total
				}
				if total == 0 || int64(total) != b.Totals.Ratings || b.Totals.Satisfaction == nil {
					t.Errorf("ratings: %d, bulletin %d (%v)", total, b.Totals.Ratings, b.Totals.Satisfaction)
				}
			}
		}
		if late == 0 || unanswered == 0 || departments < 2 {
			t.Errorf("the history lacks what the test checks: %d late cases, %d notices unanswered, at most %d departments ranked",
				late, unanswered, departments)
		}
	})
}

// checkBulletin checks that every number of the bulletin equals what the
// drill-downs of the same month's figures list.
func checkBulletin(t *testing.T, sv *service.Supervision, ctx context.Context, b *service.Bulletin) {
	t.Helper()
	month := service.Period{From: b.From, To: b.To, Group: supervision.ByMonth}
	dept := service.Period{From: b.From, To: b.To, Group: supervision.ByDepartment}
	count := func(q service.StepQuery) int64 {
		t.Helper()
		q.Limit = 1000
		l, err := sv.Steps(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return int64(l.Total)
	}
	tot := b.Totals
	in, err := sv.Intakes(ctx, month, b.Month, 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	if int64(in.Total) != tot.Intakes {
		t.Errorf("%s: %d intakes, the drill-down lists %d", b.Month, tot.Intakes, in.Total)
	}
	if n := count(service.StepQuery{Period: month, GroupKey: b.Month, Decided: true, ByDone: true}); n != tot.Decisions {
		t.Errorf("%s: %d decisions, the drill-down lists %d", b.Month, tot.Decisions, n)
	}
	for status, want := range map[supervision.Status]int64{supervision.OnTime: tot.Decide.OnTime, supervision.Late: tot.Decide.Late, supervision.Overdue: tot.Decide.Overdue} {
		if n := count(service.StepQuery{Period: month, GroupKey: b.Month, Step: supervision.Decide, Status: status}); n != want {
			t.Errorf("%s: decisions %s %d, the drill-down lists %d", b.Month, status, want, n)
		}
	}
	// The ranking is the month's assessment by department.
	scores, err := sv.Assessment(ctx, dept)
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != len(b.Ranking) {
		t.Errorf("%s: %d departments ranked, the assessment scores %d", b.Month, len(b.Ranking), len(scores))
	}
	for _, s := range scores {
		i := slices.IndexFunc(b.Ranking, func(r service.BulletinRank) bool { return r.Key == s.Key })
		if i < 0 || b.Ranking[i].Score != s.Score || b.Ranking[i].Rank != s.Rank || len(b.Ranking[i].Indicators) != 5 {
			t.Errorf("%s %s: assessment %+v, bulletin %+v", b.Month, s.Key, s, b.Ranking)
		}
		if i >= 0 && b.Ranking[i].Label == s.Key {
			t.Errorf("%s: department ranked by its code %q", b.Month, s.Key)
		}
	}
	for i := 1; i < len(b.Ranking); i++ {
		if b.Ranking[i].Rank < b.Ranking[i-1].Rank {
			t.Errorf("%s: ranking out of order: %+v", b.Month, b.Ranking)
		}
	}
	cards, err := sv.Cards(ctx, b.Month, "")
	if err != nil {
		t.Fatal(err)
	}
	byDept := map[string]service.CardRow{}
	for _, c := range cards {
		byDept[c.Department] = c
	}
	// Late cases: the distinct cases of the red steps' drill-down, as many
	// as the card counts.
	var sum int64
	for _, d := range b.Late {
		l, err := sv.Steps(ctx, service.StepQuery{Period: dept, GroupKey: d.Department, Status: supervision.Red, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		drilled := map[string]bool{}
		for _, s := range l.Steps {
			drilled[s.Number] = true
		}
		listed := map[string]bool{}
		for _, c := range d.List {
			listed[c.Number] = true
		}
		if int64(len(drilled)) != d.Count || int64(len(d.List)) != d.Count || !maps.Equal(drilled, listed) || byDept[d.Department].RedCases != d.Count {
			t.Errorf("%s %s: %d late cases listing %d; the drill-down has %d cases, the card %d", b.Month, d.Department, d.Count,
				len(d.List), len(drilled), byDept[d.Department].RedCases)
		}
		if !strings.Contains(d.Cases, "status=red") || d.Label == d.Department {
			t.Errorf("%s %s: link %q label %q", b.Month, d.Department, d.Cases, d.Label)
		}
		sum += d.Count
	}
	if sum != tot.LateCases {
		t.Errorf("%s: late cases %d, the departments' sum %d", b.Month, tot.LateCases, sum)
	}
	// Notices: unanswered past the deadline as the notice list's overdue
	// ones, answered late as its replied ones past their deadline; per
	// department what the card counts.
	perDept := map[string]int64{}
	for _, u := range b.Unanswered {
		perDept[u.Department]++
	}
	for d, c := range byDept {
		if perDept[d] != c.Unanswered {
			t.Errorf("%s %s: %d notices unanswered listed, the card counts %d", b.Month, d, perDept[d], c.Unanswered)
		}
	}
	overdue, err := sv.Notices(ctx, service.NoticeQuery{From: b.From, To: b.To, Status: supervision.NoticeOverdue, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	replied, err := sv.Notices(ctx, service.NoticeQuery{From: b.From, To: b.To, Status: supervision.NoticeReplied, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	want := overdue.Total
	for _, r := range replied.Notices {
		if r.RepliedAt.After(r.ReplyBy) {
			want++
		}
	}
	if int64(want) != tot.Unanswered || len(b.Unanswered) != want {
		t.Errorf("%s: %d notices unanswered in time (listed %d), the notice list has %d", b.Month, tot.Unanswered, len(b.Unanswered), want)
	}
	yellow, red := 0, 0
	for _, c := range cards {
		switch c.Card {
		case supervision.YellowCard:
			yellow++
		case supervision.RedCard:
			red++
		}
	}
	if yellow != tot.YellowCards || red != tot.RedCards || len(cards) != len(b.Cards) {
		t.Errorf("%s: cards %d yellow %d red, bulletin %d %d", b.Month, yellow, red, tot.YellowCards, tot.RedCards)
	}
}

// checkWorkbook opens the bulletin's workbook with excelize and checks its
// sheets, headings and rows.
func checkWorkbook(t *testing.T, b *service.Bulletin) {
	t.Helper()
	var buf bytes.Buffer
	if err := b.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{service.SheetSummary, service.SheetRanking, service.SheetLate, service.SheetCards, service.SheetUnanswered}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	read := func(sheet string) [][]string {
		t.Helper()
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	summary := read(service.SheetSummary)
	if len(summary) != 17 || summary[0][0] != "项目" || summary[1][1] != b.Title {
		t.Errorf("概况 %q", summary)
	}
	ranking := read(service.SheetRanking)
	if len(ranking) != len(b.Ranking)+1 || ranking[0][0] != "名次" || ranking[0][3] != "按时办结率" || len(ranking[0]) != 3+2*5+1 {
		t.Errorf("排名 %q", ranking)
	}
	for i, r := range b.Ranking {
		if ranking[i+1][1] != r.Label {
			t.Errorf("排名 row %d: %q, want %s", i+1, ranking[i+1], r.Label)
		}
	}
	lateRows := read(service.SheetLate)
	if int64(len(lateRows)) != b.Totals.LateCases+1 || lateRows[0][1] != "办件编号" {
		t.Errorf("超期办件: %d rows for %d late cases", len(lateRows), b.Totals.LateCases)
	}
	var numbers []string
	for _, d := range b.Late {
		for _, c := range d.List {
			numbers = append(numbers, c.Number)
		}
	}
	for i, r := range lateRows[1:] {
		if i < len(numbers) && (r[1] != numbers[i] || r[0] == "" || strings.Contains(r[0], "SCJG")) {
			t.Errorf("超期办件 row %d: %q, want case %s by department name", i+1, r, numbers[i])
		}
	}
	if cards := read(service.SheetCards); len(cards) != len(b.Cards)+1 || cards[0][3] != "黄牌红牌" {
		t.Errorf("黄红牌 %q", cards)
	}
	notices := read(service.SheetUnanswered)
	if len(notices) != len(b.Unanswered)+1 || notices[0][0] != "部门" {
		t.Errorf("未回复督办单 %q", notices)
	}
	for _, r := range notices[1:] {
		if r[5] == "system" || r[5] == "jiandu" {
			t.Errorf("未回复督办单 names a username: %q", r)
		}
	}
}

// Who reads the bulletin, and what a bad month gets.
func TestBulletinRefusals(t *testing.T) {
	clk := clock.At(sh("2026-09-30 09:30"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		svc, as, _ := supervisedHall(t, clk, st)
		sv := svc.Supervision()
		for user, code := range map[string]apperr.Code{"shenpi": apperr.Forbidden, "shouli": apperr.Forbidden, "chujian": apperr.Forbidden,
			"anonymous": apperr.Unauthorized} {
			if _, err := sv.Bulletin(as[user], "2026-10"); !apperr.Is(err, code) {
				t.Errorf("%s: %v, want %s", user, err, code)
			}
		}
		whole, err := sv.Bulletin(as["jiandu"], "2026-10")
		if err != nil {
			t.Fatal(err)
		}
		for _, user := range []string{"admin", "bumen"} {
			b, err := sv.Bulletin(as[user], "2026-10")
			if err != nil {
				t.Fatalf("%s: %v", user, err)
			}
			// The department admin reads the whole bulletin, as circulated.
			bt, wt := b.Totals, whole.Totals
			bt.OnTimeCompletion, wt.OnTimeCompletion = nil, nil
			if len(b.Ranking) != len(whole.Ranking) || bt != wt || len(b.Late) != len(whole.Late) {
				t.Errorf("%s reads %+v, the supervisor %+v", user, b.Totals, whole.Totals)
			}
		}
		for _, month := range []string{"", "2026-13", "2026-1", "26-10", "2026-10-01", "十月", "2026-11"} {
			_, err := sv.Bulletin(as["jiandu"], month)
			if f := apperr.FieldsOf(err); !apperr.Is(err, apperr.Invalid) || len(f) != 1 || f[0].Field != "month" {
				t.Errorf("month %q: %v (%+v)", month, err, f)
			}
		}
		// 2026-11 has not begun on 10-16; on 11-01 it has.
		clk.Set(time.Date(2026, 11, 1, 0, 0, 0, 0, clock.Shanghai))
		if b, err := sv.Bulletin(as["jiandu"], "2026-11"); err != nil || b.Complete {
			t.Errorf("the first day of November: %v", err)
		}
		if b, err := sv.Bulletin(as["jiandu"], "2026-10"); err != nil || !b.Complete {
			t.Errorf("October over: %v", err)
		}
	})
}
