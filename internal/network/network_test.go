package network

import (
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
)

func cal() *calendar.Calendar {
	return calendar.New(calendar.Published(2026, 2026), calendar.DefaultSettings())
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, clock.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// TestRunFor: taken in before 15:00 → the next working day's 10:00 run,
// at the boundary, on a Friday, on a day off, on a holiday eve and before
// a weekend working day (调休).
func TestRunFor(t *testing.T) {
	s := DefaultScope("H")
	for _, tc := range []struct{ in, run string }{
		{"2026-12-02 14:59:59", "2026-12-03 10:00:00"}, // Wednesday, before the cut-off
		{"2026-12-02 15:00:00", "2026-12-04 10:00:00"}, // at the cut-off: a day later
		{"2026-12-02 08:00:00", "2026-12-03 10:00:00"}, // before opening
		{"2026-12-04 14:59:00", "2026-12-07 10:00:00"}, // Friday: Monday's run
		{"2026-12-04 15:00:00", "2026-12-08 10:00:00"}, // Friday after the cut-off: Tuesday's
		{"2026-12-05 10:00:00", "2026-12-08 10:00:00"}, // Saturday counts as Monday's intake
		{"2026-09-30 14:59:00", "2026-10-08 10:00:00"}, // National Day eve: the first day back
		{"2026-09-30 15:00:00", "2026-10-09 10:00:00"}, // the eve after the cut-off
		{"2026-10-03 11:00:00", "2026-10-09 10:00:00"}, // in the holiday
		{"2026-09-24 14:00:00", "2026-09-28 10:00:00"}, // Mid-Autumn eve (Thursday)
		{"2026-02-13 14:00:00", "2026-02-14 10:00:00"}, // Friday before a working Saturday (调休)
	} {
		if got := s.RunFor(cal(), at(tc.in)); !got.Equal(at(tc.run)) {
			t.Errorf("RunFor(%s) = %s, want %s", tc.in, got.In(clock.Shanghai), tc.run)
		}
	}
	// A hall with a later run than its cut-off sends the same day.
	s.Cutoff, s.Run = calendar.Clock(11, 0), calendar.Clock(14, 0)
	for _, tc := range []struct{ in, run string }{
		{"2026-12-02 10:59:00", "2026-12-02 14:00:00"},
		{"2026-12-02 11:00:00", "2026-12-03 14:00:00"},
		{"2026-12-04 11:30:00", "2026-12-07 14:00:00"},
	} {
		if got := s.RunFor(cal(), at(tc.in)); !got.Equal(at(tc.run)) {
			t.Errorf("same-day run: RunFor(%s) = %s, want %s", tc.in, got.In(clock.Shanghai), tc.run)
		}
	}
}

func items() map[string]*catalog.Item {
	return map[string]*catalog.Item{
		"P1": {Code: "P1", Name: "许可甲", Kind: catalog.Promised},
		"I1": {Code: "I1", Name: "证明乙", Kind: catalog.Instant, Delegated: true},
		"I2": {Code: "I2", Name: "证明丙", Kind: catalog.Instant},
	}
}

func TestScope(t *testing.T) {
	its := items()
	d := DefaultScope("D")
	if !d.TakesIn("P1") || !d.TakesIn("NEW") || !d.DecidesItem(its["I1"]) || d.DecidesItem(its["I2"]) {
		t.Fatal("the default scope takes in every item, new ones included, and decides every delegated one")
	}
	d.Version, d.Excluded = 2, []string{"P1"}
	if d.TakesIn("P1") || !d.TakesIn("NEW") {
		t.Fatal("an excluded item is refused, a new one taken in")
	}
	if d.DecidesItem(its["I1"]) {
		t.Fatal("a published scope decides only the items it lists")
	}
	if err := d.RefuseIntake("区中心", its["P1"]); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("refusal: %v", err)
	}
	c := Scope{Hall: "C", Version: 1, Items: []string{"I1", " I1", "P1"}, Decides: []string{"I1"}, Cutoff: calendar.Clock(15, 0), Run: calendar.Clock(10, 0)}
	c.Normalize()
	if len(c.Items) != 2 || c.TakesIn("I2") || !c.DecidesItem(its["I1"]) {
		t.Fatalf("community scope: %+v", c)
	}
	if err := c.Validate(org.Hall{Code: "C", Level: org.Community}, its); err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]Scope{
		"unknown item":      {Items: []string{"X"}},
		"no items":          {},
		"undelegated":       {AllItems: true, Decides: []string{"I2"}},
		"decided not taken": {Items: []string{"P1"}, Decides: []string{"I1"}},
		"district issues":   {AllItems: true},
	} {
		bad.Cutoff, bad.Run = calendar.Clock(15, 0), calendar.Clock(10, 0)
		level := org.Street
		if name == "district issues" {
			level = org.District
		}
		if err := bad.Validate(org.Hall{Level: level}, its); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%s: %v", name, err)
		}
	}
	if !Travels(org.Street) || !Travels(org.Community) || Travels(org.District) {
		t.Fatal("Travels")
	}
}

func TestBatch(t *testing.T) {
	now := at("2026-12-03 10:00:00")
	if _, err := NewBatch(Paper, "S", "D", now, nil, now, "u"); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatal("an empty batch is refused")
	}
	lines := []casework.MaterialLine{{Code: "M1", Name: "申请书", Originals: 1}, {Code: "M2", Name: "身份证复印件", Copies: 2}}
	b, err := NewBatch(Paper, "S", "D", now, []Entry{{Case: "2", Trip: 1, Materials: lines}, {Case: "1", Trip: 1, Materials: lines[:1]}}, now, "u")
	if err != nil {
		t.Fatal(err)
	}
	if b.Entries[0].Case != "1" || b.Counts() != (Counts{Cases: 2, Materials: 3, Originals: 2, Copies: 2}) {
		t.Fatalf("batch: %+v %+v", b.Entries, b.Counts())
	}
	if _, _, err := b.SignIn(now, "v", nil); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatal("a batch not signed out cannot be signed in")
	}
	if err := b.SignOut(now, "u", " "); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatal("the courier is named")
	}
	if err := b.SignOut(now, "u", "王师傅"); err != nil || b.State != InTransit {
		t.Fatal(err)
	}
	if err := b.SignOut(now, "u", "王师傅"); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatal("signed out twice")
	}
	for _, bad := range [][]Problem{{{Case: "9", Material: "M1", Kind: Missing}}, {{Case: "1", Material: "M2", Kind: Missing}}, {{Case: "2", Material: "M2", Kind: "lost"}}} {
		if _, _, err := b.SignIn(now, "v", bad); apperr.CodeOf(err) != apperr.Invalid || b.State != InTransit {
			t.Fatalf("bad problem %+v: %v", bad, err)
		}
	}
	arrived, back, err := b.SignIn(now, "v", []Problem{{Case: "2", Material: "M2", Kind: Damaged, Note: "水渍"}})
	if err != nil || len(arrived) != 1 || arrived[0].Case != "1" || len(back) != 1 || !b.Entries[1].SentBack || b.State != Arrived {
		t.Fatalf("sign-in: %v %+v %+v", err, arrived, back)
	}
}
