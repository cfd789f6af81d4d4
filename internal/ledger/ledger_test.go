package ledger

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/supervision"
)

func date(y int, m time.Month, d int) calendar.Date { return calendar.Date{Year: y, Month: m, Day: d} }

func TestFilterValidate(t *testing.T) {
	ok := Filter{From: date(2026, 1, 1), To: date(2026, 12, 31)}
	for _, k := range Kinds {
		if err := ok.Validate(k); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
	cases := []struct {
		name  string
		kind  Kind
		f     Filter
		field string
	}{
		{"no from", Cases, Filter{To: date(2026, 1, 1)}, "from"},
		{"no to", Cases, Filter{From: date(2026, 1, 1)}, "to"},
		{"to before from", Cases, Filter{From: date(2026, 2, 1), To: date(2026, 1, 31)}, "to"},
		{"over two years", Cases, Filter{From: date(2024, 1, 1), To: date(2026, 1, 5)}, "to"},
		{"unknown state", Cases, Filter{From: ok.From, To: ok.To, States: []casework.State{"lost"}}, "state"},
		{"state on ratings", Ratings, Filter{From: ok.From, To: ok.To, States: []casework.State{casework.Archived}}, "state"},
		{"late on handovers", Handovers, Filter{From: ok.From, To: ok.To, LateOnly: true}, "late"},
		{"control character", Deliveries, Filter{From: ok.From, To: ok.To, Hall: "JC\n"}, "hall"},
	}
	for _, c := range cases {
		err := c.f.Validate(c.kind)
		found := false
		for _, fe := range apperr.FieldsOf(err) {
			found = found || fe.Field == c.field
		}
		if apperr.CodeOf(err) != apperr.Invalid || !found {
			t.Errorf("%s: %v, want invalid %s", c.name, err, c.field)
		}
	}
	// Exactly two years is allowed.
	if err := (&Filter{From: date(2024, 1, 1), To: date(2025, 12, 31)}).Validate(Cases); err != nil {
		t.Errorf("two years: %v", err)
	}
}

func TestSpanAndThisMonth(t *testing.T) {
	f := Filter{From: date(2026, 9, 30), To: date(2026, 9, 30)}
	from, until := f.Span()
	if want := time.Date(2026, 9, 30, 0, 0, 0, 0, clock.Shanghai); !from.Equal(want) {
		t.Errorf("from = %s", from)
	}
	if want := time.Date(2026, 10, 1, 0, 0, 0, 0, clock.Shanghai); !until.Equal(want) {
		t.Errorf("until = %s", until)
	}
	// 2026-03-01 00:30 in Shanghai is still February in UTC: the month is Shanghai's.
	a, b := ThisMonth(time.Date(2026, 2, 28, 16, 30, 0, 0, time.UTC))
	if a != date(2026, 3, 1) || b != date(2026, 3, 31) {
		t.Errorf("ThisMonth = %s … %s", a, b)
	}
	if a, b := ThisMonth(time.Date(2024, 2, 10, 12, 0, 0, 0, clock.Shanghai)); a != date(2024, 2, 1) || b != date(2024, 2, 29) {
		t.Errorf("leap February = %s … %s", a, b)
	}
}

func TestCellsMatchColumns(t *testing.T) {
	rows := map[Kind][]any{
		Cases:      (&CaseEntry{State: casework.Archived, Channel: casework.ByMail, Outcome: casework.Deny}).Cells(),
		Handovers:  (&HandoverEntry{}).Cells(),
		Deliveries: (&DeliveryEntry{Method: "mail"}).Cells(),
		Ratings:    (&RatingEntry{Level: 2, Channel: rating.PC, Tags: []rating.Tag{"态度不好", "等候时间长"}, Rectification: rating.Open}).Cells(),
		Notices:    (&NoticeEntry{Origin: supervision.BySweep, State: NoticeOverdue, StepLabel: "受理"}).Cells(),
	}
	if len(rows) != len(Kinds) {
		t.Errorf("%d ledgers checked, %d exist", len(rows), len(Kinds))
	}
	if n := rows[Notices]; n[5] != "超期自动开具" || n[6] != "受理" || n[11] != "逾期未回复" {
		t.Errorf("notice cells: %q", n)
	}
	for k, cells := range rows {
		if len(cells) != len(Columns(k)) {
			t.Errorf("%s: %d cells, %d columns", k, len(cells), len(Columns(k)))
		}
	}
	c := rows[Cases]
	if c[4] != "邮寄" || c[7] != "已归档" || c[12] != "不予" {
		t.Errorf("case cells name things in Chinese: %q", c)
	}
	r := rows[Ratings]
	if r[2] != "不满意" || r[3] != "电脑端" || r[12] != "态度不好、等候时间长" || r[14] != "待整改" {
		t.Errorf("rating cells: %q", r)
	}
	if d := rows[Deliveries]; d[6] != "邮寄" {
		t.Errorf("delivery method %q", d[6])
	}
	got := MaterialsText([]casework.MaterialLine{{Name: "营业执照", Originals: 1, Copies: 2}, {Name: "申请表", Originals: 1}, {Name: "照片"}})
	if want := "营业执照（原件1份，复印件2份）；申请表（原件1份）；照片"; got != want {
		t.Errorf("MaterialsText = %q, want %q", got, want)
	}
	replyBy := time.Date(2026, 10, 20, 17, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		replied, now time.Time
		want         NoticeState
	}{
		{time.Time{}, replyBy, NoticeOpen},
		{time.Time{}, replyBy.Add(time.Minute), NoticeOverdue},
		{replyBy.Add(time.Hour), replyBy.Add(2 * time.Hour), NoticeAnswered},
	} {
		if got := NoticeStateAt(tc.replied, replyBy, tc.now); got != tc.want {
			t.Errorf("NoticeStateAt(%v, %v) = %s, want %s", tc.replied, tc.now, got, tc.want)
		}
	}
	if _, err := ParseKind("nope"); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("ParseKind(nope) = %v", err)
	}
}
