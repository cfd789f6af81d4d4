package casework_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/org"
)

// The street's initial review (委托初审, issue 15 item 4): actors and a
// case of an item marked for it, taken in at 滨河街道.
var (
	binheClerk          = casework.Actor{Username: "shouli2", Name: "吴婷", Role: org.RoleIntake, HallCode: demo.BinheHall, Desk: "window:" + demo.BinheHall}
	streetReviewerActor = casework.Actor{Username: "chushen", Name: "陈静", Role: org.RoleStreetReviewer, HallCode: demo.BinheHall, Desk: "web:" + demo.BinheHall}
	otherStreetReviewer = casework.Actor{Username: "chushen2", Name: "赵磊", Role: org.RoleStreetReviewer, HallCode: demo.XinqiaoHall, Desk: "web:" + demo.XinqiaoHall}
)

const binheName = "江川区滨河街道为民服务中心"

// streetEnv is the environment of an intake at 滨河街道, whose reviewer
// does the initial review of the items delegated so.
func streetEnv(now time.Time) casework.Env {
	e := env(now)
	e.InitialReviewAt.Code, e.InitialReviewAt.Name = demo.BinheHall, binheName
	return e
}

// takeInAtStreet starts a history of a SCJG-XK-001 case, the item marked
// for an initial review of days working days, taken in at 滨河街道 at now.
func takeInAtStreet(t testing.TB, days int, now time.Time) *history {
	t.Helper()
	it := item(t, promisedItem)
	it.InitialReviewDays = days
	c, ev, docs, err := casework.NewCase(promisedIntake(), it, binheClerk, streetEnv(now))
	if err != nil {
		t.Fatalf("intake at the street at %s: %v", now, err)
	}
	c.Number = caseNumber
	return &history{t: t, c: c, now: now, events: []*casework.Event{ev}, docs: [][]casework.Document{docs}}
}

// The initial review is due the item's working days after intake, the
// intake's day not counted; after hours, on a Friday or a holiday's eve
// the days start after the days off. The applicant's acceptance deadline
// (R5) stays that of any intake.
func TestInitialReviewDeadline(t *testing.T) {
	tests := []struct {
		name string
		days int
		at   time.Time
		want time.Time
	}{
		{"Monday morning, one day", 1, at(2026, 3, 2, 9, 30), at(2026, 3, 3, 17, 0)},
		{"Monday after hours, one day", 1, at(2026, 3, 2, 18, 30), at(2026, 3, 3, 17, 0)},
		{"Friday 16:59, one day: Monday", 1, at(2026, 3, 6, 16, 59), at(2026, 3, 9, 17, 0)},
		{"Friday 17:01, one day: Monday", 1, at(2026, 3, 6, 17, 1), at(2026, 3, 9, 17, 0)},
		{"Friday, two days: Tuesday", 2, at(2026, 3, 6, 10, 0), at(2026, 3, 10, 17, 0)},
		{"Saturday, one day: Monday", 1, at(2026, 3, 7, 10, 0), at(2026, 3, 9, 17, 0)},
		{"National Day eve, one day: after the holiday", 1, at(2026, 9, 30, 14, 59), at(2026, 10, 8, 17, 0)},
		{"National Day eve, two days", 2, at(2026, 9, 30, 16, 0), at(2026, 10, 9, 17, 0)},
		{"a holiday, one day", 1, at(2026, 10, 3, 10, 0), at(2026, 10, 8, 17, 0)},
	}
	for _, tt := range tests {
		h := takeInAtStreet(t, tt.days, tt.at)
		c := h.c
		if got := c.Deadlines.InitialReviewBy; !got.Equal(tt.want) {
			t.Errorf("%s: initial_review_by %s, want %s", tt.name, got, tt.want)
		}
		if want := cal.AddWorkingDays(tt.at, c.DeadlinePolicy().AcceptDays); !c.Deadlines.AcceptBy.Equal(want) {
			t.Errorf("%s: accept_by %s moved, want %s (R5 from intake)", tt.name, c.Deadlines.AcceptBy, want)
		}
		if !slices.ContainsFunc(c.OpenDeadlines(), func(d casework.Due) bool { return d.Name == "initial_review_by" }) {
			t.Errorf("%s: initial_review_by does not run: %v", tt.name, c.OpenDeadlines())
		}
		// A day past it is red.
		if w := c.Warning(cal, tt.want.Add(time.Minute)); w != "red" {
			t.Errorf("%s: a minute past initial_review_by the warning is %q", tt.name, w)
		}
	}
}

// A case of an item without the mark, or taken in elsewhere than at a
// street, has no initial review; an instant item never has one.
func TestNoInitialReview(t *testing.T) {
	now := at(2026, 3, 2, 9, 30)
	if c := takeInAtStreet(t, 0, now).c; c.InitialReview != nil || !c.Deadlines.InitialReviewBy.IsZero() {
		t.Errorf("an unmarked item has an initial review: %+v", c.InitialReview)
	}
	it := item(t, promisedItem)
	it.InitialReviewDays = 1
	c, _, _, err := casework.NewCase(promisedIntake(), it, intakeClerk, env(now)) // the district hall
	if err != nil {
		t.Fatal(err)
	}
	if c.InitialReview != nil {
		t.Errorf("a district hall intake has an initial review: %+v", c.InitialReview)
	}
	if got := casework.Allowed(c, reviewer("SCJG"), env(now)); !slices.Contains(got, casework.ActAccept) {
		t.Errorf("the department may not accept a case without an initial review: %v", got)
	}
}

// The flow: the department waits for the street; only the reviewer of the
// street that took the case in reviews it; the pass records the reviewer
// and the opinion; the acceptance names both people.
func TestInitialReviewFlow(t *testing.T) {
	t0 := at(2026, 3, 2, 9, 30)
	h := takeInAtStreet(t, 1, t0)
	c := h.c
	rev := reviewer("SCJG")
	rev.Name = "王建国"
	e := env(t0.Add(time.Hour))
	if c.StateLabel() != "已收件（待街道初审）" || !strings.Contains(c.Awaits(), binheName+"初审") {
		t.Errorf("pending reads %q / %q", c.StateLabel(), c.Awaits())
	}
	for _, action := range []casework.Action{casework.ActAccept, casework.ActReturn, casework.ActRefuseAcceptance} {
		before := cloneCase(c)
		_, _, err := casework.Apply(c, action, validInput(action), rev, e)
		if apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(apperr.MessageOf(err), binheName+"初审通过后，部门方可受理") {
			t.Errorf("%s before the initial review: %v", action, err)
		}
		if c.Version != before.Version || c.State != before.State {
			t.Errorf("%s refused changed the case", action)
		}
	}
	// Another street's reviewer: 403 naming both streets.
	_, _, err := casework.Apply(c, casework.ActPassInitialReview, casework.Input{}, otherStreetReviewer, e)
	if hr := (*casework.HallRefusal)(nil); !errors.As(err, &hr) {
		t.Fatalf("another street's reviewer: %v", err)
	} else if msg := apperr.MessageOf(hr.Named(hallNames)); !strings.Contains(msg, binheName) || !strings.Contains(msg, hallNames(demo.XinqiaoHall)) || apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("another street's reviewer is told %q", msg)
	}
	// The intake clerk and the department may not do the initial review.
	for _, a := range []casework.Actor{binheClerk, rev} {
		if _, _, err := casework.Apply(c, casework.ActPassInitialReview, casework.Input{}, a, e); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("%s passes the initial review: %v", a.Role, err)
		}
	}
	if got := casework.Allowed(c, streetReviewerActor, e); !slices.Equal(got, []casework.Action{casework.ActPassInitialReview, casework.ActReturnInitialReview}) {
		t.Errorf("the street reviewer may %v", got)
	}
	h.do(casework.ActPassInitialReview, casework.Input{}, streetReviewerActor)
	ev := h.lastEvent()
	d := details(t, ev)
	if ev.From != casework.Received || ev.To != casework.Received || d["reason"] != casework.DefaultInitialOpinion || d["on_time"] != true ||
		d["initial_review_hall"] != binheName {
		t.Errorf("the pass recorded %s → %s %v", ev.From, ev.To, d)
	}
	if got := casework.Describe(c, *ev); !strings.Contains(got, "街道为民服务中心受部门委托初审") || strings.Contains(got, "陈静") {
		t.Errorf("the applicant reads %q", got)
	}
	if ir := c.InitialReview; ir.By != "chushen" || ir.ByName != "陈静" || ir.PassedAt.IsZero() || ir.Opinion != casework.DefaultInitialOpinion {
		t.Errorf("the initial review after the pass: %+v", ir)
	}
	if c.StateAfter(*ev) != "已收件（初审通过）" || c.StateLabel() != "已收件" {
		t.Errorf("after the pass: %q, %q", c.StateAfter(*ev), c.StateLabel())
	}
	if slices.ContainsFunc(c.OpenDeadlines(), func(d casework.Due) bool { return d.Name == "initial_review_by" }) {
		t.Error("initial_review_by still runs after the pass")
	}
	if _, _, err := casework.Apply(c, casework.ActPassInitialReview, casework.Input{}, streetReviewerActor, e); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("a second pass: %v", err)
	}
	h.do(casework.ActAccept, casework.Input{}, rev)
	want := "初审：陈静（" + binheName + "）；受理：王建国"
	if got := details(t, h.lastEvent())["initial_review"]; got != want {
		t.Errorf("the acceptance records %q, want %q", got, want)
	}
}

// 初审退回 returns the case with a correction notice as the department's
// return does; the corrected resubmission is reviewed again, due anew.
func TestInitialReviewReturn(t *testing.T) {
	t0 := at(2026, 3, 6, 16, 0) // a Friday
	h := takeInAtStreet(t, 1, t0)
	late := at(2026, 3, 9, 17, 30) // Monday, past 17:00
	h.doAt(late, casework.ActReturnInitialReview, validInput(casework.ActReturn), streetReviewerActor)
	c := h.c
	ev := h.lastEvent()
	if c.State != casework.Returned || ev.Type != casework.ActReturnInitialReview || details(t, ev)["on_time"] != false {
		t.Fatalf("the initial return: %s, %v", c.State, details(t, ev))
	}
	docs := h.docs[len(h.docs)-1]
	if len(docs) != 1 || docs[0].Kind != casework.CorrectionNotice || !strings.Contains(string(docs[0].Data), "本件由"+binheName+"受部门委托初审") {
		t.Fatalf("the initial return's notice: %+v", docs)
	}
	if c.InitialReview.Returns != 1 || !c.Deadlines.AcceptBy.IsZero() {
		t.Errorf("after the return: %+v, accept_by %s", c.InitialReview, c.Deadlines.AcceptBy)
	}
	resubmit := at(2026, 3, 10, 9, 0)
	h.doAt(resubmit, casework.ActResubmit, validInput(casework.ActResubmit), binheClerk)
	if !c.InitialReviewPending() || c.InitialReview.Round != 2 || !c.Deadlines.InitialReviewBy.Equal(at(2026, 3, 11, 17, 0)) {
		t.Errorf("the resubmission's initial review: %+v due %s", c.InitialReview, c.Deadlines.InitialReviewBy)
	}
	if _, _, err := casework.Apply(c, casework.ActAccept, casework.Input{}, reviewer("SCJG"), env(resubmit)); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("accepted before the second initial review: %v", err)
	}
}

// atDistrict places the history's case's desks at the district hall; its
// initial review stays the street's.
func atDistrict(h *history) *history {
	h.c.HallCode, h.c.PickupHall = demo.DistrictHall, demo.DistrictHall
	return h
}
