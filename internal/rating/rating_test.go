package rating_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/rating"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, clock.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func cal() *calendar.Calendar {
	return calendar.New(calendar.Published(2026, 2027), calendar.DefaultSettings())
}

func TestLevels(t *testing.T) {
	tests := []struct {
		l          rating.Level
		valid, bad bool
		label      string
	}{
		{0, false, false, ""}, {1, true, true, "非常不满意"}, {2, true, true, "不满意"},
		{3, true, false, "基本满意"}, {4, true, false, "满意"}, {5, true, false, "非常满意"}, {6, false, false, ""},
	}
	for _, tc := range tests {
		if tc.l.Valid() != tc.valid || tc.l.Bad() != tc.bad || tc.l.Label() != tc.label {
			t.Errorf("level %d: valid %v bad %v label %q", tc.l, tc.l.Valid(), tc.l.Bad(), tc.l.Label())
		}
	}
	if len(rating.Levels) != 5 {
		t.Errorf("levels %v", rating.Levels)
	}
}

func TestInputValidate(t *testing.T) {
	ok := rating.Input{Level: 5, Channel: rating.Pad}
	tests := []struct {
		name     string
		edit     func(in *rating.Input)
		channels []rating.Channel
		field    string // "" valid
	}{
		{"plain", func(*rating.Input) {}, rating.VisitChannels, ""},
		{"tags", func(in *rating.Input) { in.Tags = []rating.Tag{"服务热情", "等候时间长"} }, rating.VisitChannels, ""},
		{"unknown tag", func(in *rating.Input) { in.Tags = []rating.Tag{"很好"} }, rating.VisitChannels, "tags"},
		{"tag twice", func(in *rating.Input) { in.Tags = []rating.Tag{"服务热情", "服务热情"} }, rating.VisitChannels, "tags"},
		{"too many tags", func(in *rating.Input) { in.Tags = rating.Tags()[:9] }, rating.VisitChannels, "tags"},
		{"level 0", func(in *rating.Input) { in.Level = 0 }, rating.VisitChannels, "level"},
		{"level 6", func(in *rating.Input) { in.Level = 6 }, rating.VisitChannels, "level"},
		{"500 chars", func(in *rating.Input) { in.Text = strings.Repeat("好", 500) }, rating.VisitChannels, ""},
		{"501 chars", func(in *rating.Input) { in.Text = strings.Repeat("好", 501) }, rating.VisitChannels, "text"},
		{"pad online", func(*rating.Input) {}, rating.CaseChannels, "channel"},
		{"unknown channel", func(in *rating.Input) { in.Channel = "fax" }, rating.VisitChannels, "channel"},
		{"real name", func(in *rating.Input) { in.RealName, in.Name, in.Phone = true, "李明", "13912345678" }, rating.VisitChannels, ""},
		{"real name landline", func(in *rating.Input) { in.RealName, in.Name, in.Phone = true, "李明", "0591-87654321" }, rating.VisitChannels, ""},
		{"real name no phone", func(in *rating.Input) { in.RealName, in.Name = true, "李明" }, rating.VisitChannels, "phone"},
		{"real name no name", func(in *rating.Input) { in.RealName, in.Phone = true, "13912345678" }, rating.VisitChannels, "name"},
		{"anonymous with phone", func(in *rating.Input) { in.Phone = "13912345678" }, rating.VisitChannels, "real_name"},
	}
	for _, tc := range tests {
		in := ok
		tc.edit(&in)
		err := in.Validate(tc.channels)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		fields := apperr.FieldsOf(err)
		if !apperr.Is(err, apperr.Invalid) || len(fields) == 0 || fields[0].Field != tc.field {
			t.Errorf("%s: %v (%v), want invalid %s", tc.name, err, fields, tc.field)
		}
	}
}

func TestMasked(t *testing.T) {
	r := rating.New(rating.Input{Level: 1, Channel: rating.PC, RealName: true, Name: "欧阳明", Phone: "13912345678"}, at("2026-09-30 10:00"))
	m := r.Masked()
	if m.Name != "欧**" || m.Phone != "139****5678" || r.Phone != "13912345678" {
		t.Errorf("masked %q %q, original %q", m.Name, m.Phone, r.Phone)
	}
	anon := rating.New(rating.Input{Level: 5, Channel: rating.PC, Name: "x"}, at("2026-09-30 10:00"))
	if anon.Name != "" || anon.Tags == nil {
		t.Errorf("anonymous rating keeps %q, tags %v", anon.Name, anon.Tags)
	}
}

func TestAddition(t *testing.T) {
	s := rating.DefaultSettings()
	r := rating.New(rating.Input{Level: 3, Channel: rating.PC}, at("2026-09-30 10:00"))
	tests := []struct {
		name string
		in   rating.AdditionInput
		now  time.Time
		code apperr.Code
	}{
		{"within the period", rating.AdditionInput{Text: "后来补充：窗口解释清楚"}, at("2026-10-07 10:00"), ""},
		{"tags only", rating.AdditionInput{Tags: []rating.Tag{"一次办好"}}, at("2026-10-01 10:00"), ""},
		{"one minute late", rating.AdditionInput{Text: "晚了"}, at("2026-10-07 10:01"), apperr.Conflict},
		{"nothing to add", rating.AdditionInput{Text: "  "}, at("2026-10-01 10:00"), apperr.Invalid},
		{"unknown tag", rating.AdditionInput{Tags: []rating.Tag{"好"}}, at("2026-10-01 10:00"), apperr.Invalid},
	}
	for _, tc := range tests {
		a, err := r.Add(tc.in, s, tc.now)
		if apperr.CodeOf(err) != tc.code {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.code)
		}
		if err == nil && (a.CreatedAt != tc.now || a.Tags == nil) {
			t.Errorf("%s: addition %+v", tc.name, a)
		}
	}
	r.Addition = &rating.Addition{Text: "已追加"}
	if _, err := r.Add(rating.AdditionInput{Text: "再追加"}, s, at("2026-10-01 10:00")); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("second addition: %v", err)
	}
}

func TestOpenRectificationDeadline(t *testing.T) {
	c, s := cal(), rating.DefaultSettings()
	tests := []struct {
		rated string
		want  string
	}{
		// 10/1–10/7 National Day; 10/10 (Saturday) is a working day:
		// 10/8, 10/9, 10/10, 10/12, 10/13.
		{"2026-09-30 14:00", "2026-10-13 17:00"},
		{"2026-09-30 08:00", "2026-10-13 17:00"}, // the rating's own day never counts
		{"2026-10-03 11:00", "2026-10-13 17:00"}, // during the holiday: the same five days
		{"2026-09-25 18:30", "2026-10-09 17:00"}, // Fri evening: 9/28, 9/29, 9/30, 10/8, 10/9
	}
	for _, tc := range tests {
		r := rating.New(rating.Input{Level: rating.Dissatisfied, Channel: rating.Pad}, at(tc.rated))
		r.Department = "SCJG"
		x, ev := rating.OpenRectification(r, c, s)
		if x == nil || !x.Deadline.Equal(at(tc.want)) {
			t.Errorf("rated %s: deadline %v, want %s", tc.rated, x.Deadline, tc.want)
			continue
		}
		if x.State != rating.Open || x.Department != "SCJG" || ev.Action != rating.ActOpen || ev.Seq != 1 || x.LastSeq != 1 {
			t.Errorf("opened %+v, event %+v", x, ev)
		}
	}
	for _, l := range []rating.Level{3, 4, 5} {
		if x, _ := rating.OpenRectification(rating.New(rating.Input{Level: l, Channel: rating.Pad}, at("2026-09-30 14:00")), c, s); x != nil {
			t.Errorf("level %d opened a rectification", l)
		}
	}
}

func TestStatusOverdueAndWarning(t *testing.T) {
	c := cal()
	due := at("2026-10-13 17:00")
	tests := []struct {
		state rating.State
		now   string
		want  rating.State
		warn  calendar.Warning
	}{
		{rating.Open, "2026-10-08 09:00", rating.Open, calendar.WarningNone},
		{rating.Open, "2026-10-12 09:00", rating.Open, calendar.WarningYellow},
		{rating.InProgress, "2026-10-13 16:59", rating.InProgress, calendar.WarningYellow},
		{rating.Open, "2026-10-13 17:01", rating.Overdue, calendar.WarningRed},
		{rating.InProgress, "2026-10-20 09:00", rating.Overdue, calendar.WarningRed},
		{rating.Done, "2026-10-20 09:00", rating.Done, calendar.WarningNone},
		{rating.Explained, "2026-10-20 09:00", rating.Explained, calendar.WarningNone},
		{rating.Appealed, "2026-10-20 09:00", rating.Appealed, calendar.WarningNone},
		{rating.Upheld, "2026-10-20 09:00", rating.Upheld, calendar.WarningNone},
	}
	for _, tc := range tests {
		x := &rating.Rectification{State: tc.state, Deadline: due}
		if got := x.Status(at(tc.now)); got != tc.want {
			t.Errorf("%s at %s: status %s, want %s", tc.state, tc.now, got, tc.want)
		}
		if got := x.Warning(c, at(tc.now)); got != tc.warn {
			t.Errorf("%s at %s: warning %s, want %s", tc.state, tc.now, got, tc.warn)
		}
	}
	if rating.Overdue.Label() != "整改超期" || rating.Open.Label() != "待整改" || rating.InProgress.Label() != "整改中" ||
		rating.Done.Label() != "整改完成" || rating.Explained.Label() != "无法整改" {
		t.Error("state labels")
	}
}

var (
	deptAdmin  = rating.Actor{Username: "bumen", Role: org.RoleDeptAdmin, Department: "SCJG"}
	reviewer   = rating.Actor{Username: "shenpi", Role: org.RoleReviewer, Department: "SCJG"}
	otherDept  = rating.Actor{Username: "shenpi2", Role: org.RoleReviewer, Department: "GHZY"}
	supervisor = rating.Actor{Username: "jiandu", Role: org.RoleSupervisor}
	admin      = rating.Actor{Username: "admin", Role: org.RoleAdmin}
	clerk      = rating.Actor{Username: "shouli", Role: org.RoleIntake}
	system     = rating.Actor{System: true, Username: "system"}
)

func TestTransitionTable(t *testing.T) {
	full := rating.StepInput{Note: "已核实", FollowUp: rating.ByPhone, FollowUpResult: "申请人表示认可"}
	tests := []struct {
		from   rating.State
		dept   string // "" assigned to a window
		action rating.Action
		actor  rating.Actor
		to     rating.State
		code   apperr.Code
	}{
		{rating.Open, "SCJG", rating.ActVerify, deptAdmin, rating.InProgress, ""},
		{rating.Open, "SCJG", rating.ActVerify, reviewer, rating.InProgress, ""},
		{rating.Open, "SCJG", rating.ActVerify, otherDept, "", apperr.Forbidden},
		{rating.Open, "SCJG", rating.ActVerify, admin, "", apperr.Forbidden},
		{rating.Open, "SCJG", rating.ActVerify, supervisor, "", apperr.Forbidden},
		{rating.Open, "SCJG", rating.ActVerify, system, "", apperr.Forbidden},
		{rating.Open, "", rating.ActVerify, admin, rating.InProgress, ""},
		{rating.Open, "", rating.ActVerify, clerk, "", apperr.Forbidden},
		{rating.Open, "", rating.ActVerify, deptAdmin, "", apperr.Forbidden},
		{rating.Open, "SCJG", rating.ActRectify, deptAdmin, "", apperr.Conflict},
		{rating.Open, "SCJG", rating.ActExplain, deptAdmin, "", apperr.Conflict},
		{rating.InProgress, "SCJG", rating.ActRectify, deptAdmin, rating.Confirming, ""},
		{rating.InProgress, "SCJG", rating.ActExplain, deptAdmin, rating.Confirming, ""},
		{rating.InProgress, "", rating.ActRectify, admin, rating.Confirming, ""},
		// Nobody closes their own rectification: the supervisor confirms (or
		// the bureau's admin, for a department's), or sends it back.
		{rating.Confirming, "SCJG", rating.ActConfirm, supervisor, rating.Done, ""},
		{rating.Confirming, "SCJG", rating.ActConfirm, admin, rating.Done, ""},
		{rating.Confirming, "SCJG", rating.ActConfirm, deptAdmin, "", apperr.Forbidden},
		{rating.Confirming, "SCJG", rating.ActConfirm, reviewer, "", apperr.Forbidden},
		{rating.Confirming, "", rating.ActConfirm, supervisor, rating.Done, ""},
		{rating.Confirming, "", rating.ActConfirm, admin, "", apperr.Forbidden},
		{rating.Confirming, "SCJG", rating.ActSendBack, supervisor, rating.InProgress, ""},
		{rating.Confirming, "SCJG", rating.ActSendBack, deptAdmin, "", apperr.Forbidden},
		{rating.Confirming, "SCJG", rating.ActRectify, deptAdmin, "", apperr.Conflict},
		{rating.Confirming, "SCJG", rating.ActAppeal, deptAdmin, "", apperr.Conflict},
		{rating.InProgress, "SCJG", rating.ActConfirm, supervisor, "", apperr.Conflict},
		{rating.InProgress, "SCJG", rating.ActVerify, deptAdmin, "", apperr.Conflict},
		{rating.Open, "SCJG", rating.ActAppeal, deptAdmin, rating.Appealed, ""},
		{rating.InProgress, "", rating.ActAppeal, admin, rating.Appealed, ""},
		{rating.InProgress, "SCJG", rating.ActAppeal, supervisor, "", apperr.Forbidden},
		{rating.Done, "SCJG", rating.ActAppeal, deptAdmin, "", apperr.Conflict},
		{rating.Appealed, "SCJG", rating.ActUphold, supervisor, rating.Upheld, ""},
		{rating.Appealed, "SCJG", rating.ActReject, supervisor, rating.InProgress, ""},
		{rating.Appealed, "SCJG", rating.ActUphold, deptAdmin, "", apperr.Forbidden},
		{rating.Appealed, "SCJG", rating.ActReject, admin, "", apperr.Forbidden},
		{rating.Appealed, "SCJG", rating.ActRectify, deptAdmin, "", apperr.Conflict},
		{rating.InProgress, "SCJG", rating.ActUphold, supervisor, "", apperr.Conflict},
		{rating.Upheld, "SCJG", rating.ActReject, supervisor, "", apperr.Conflict},
		{rating.Explained, "SCJG", rating.ActRectify, deptAdmin, "", apperr.Conflict},
		{rating.Open, "SCJG", "close", deptAdmin, "", apperr.Invalid},
	}
	now := at("2026-10-09 10:00")
	for _, tc := range tests {
		x := &rating.Rectification{ID: 1, State: tc.from, Department: tc.dept, RealName: true, LastSeq: 3, Deadline: at("2026-10-13 17:00")}
		if tc.from == rating.Confirming {
			x.Proposed = rating.Done
		}
		ev, err := x.Apply(tc.action, full, tc.actor, now)
		name := string(tc.from) + " " + string(tc.action) + " by " + tc.actor.Username
		if apperr.CodeOf(err) != tc.code {
			t.Errorf("%s: %v, want %q", name, err, tc.code)
			continue
		}
		if err != nil {
			if x.State != tc.from || x.LastSeq != 3 || len(x.Events) != 0 {
				t.Errorf("%s: refused but changed: %+v", name, x)
			}
			continue
		}
		if x.State != tc.to || ev.Seq != 4 || ev.From != tc.from || ev.To != tc.to || ev.Actor != tc.actor.Username || !ev.At.Equal(now) || ev.Note != "已核实" {
			t.Errorf("%s: state %s, event %+v", name, x.State, ev)
		}
		if x.State.Closed() != !x.ClosedAt.IsZero() {
			t.Errorf("%s: closed at %v in %s", name, x.ClosedAt, x.State)
		}
	}
	// Every table row is reachable from a stored state, and Allowed agrees
	// with the table.
	x := &rating.Rectification{State: rating.InProgress, Department: "SCJG"}
	if got := x.Allowed(deptAdmin); !slices.Equal(got, []rating.Action{rating.ActRectify, rating.ActExplain, rating.ActAppeal}) {
		t.Errorf("allowed in progress to the department: %v", got)
	}
	if got := x.Allowed(supervisor); len(got) != 0 {
		t.Errorf("allowed in progress to the supervisor: %v", got)
	}
	x.State = rating.Appealed
	if got := x.Allowed(supervisor); !slices.Equal(got, []rating.Action{rating.ActUphold, rating.ActReject}) {
		t.Errorf("allowed appealed to the supervisor: %v", got)
	}
}

func TestStepInput(t *testing.T) {
	now := at("2026-10-09 10:00")
	tests := []struct {
		name     string
		realName bool
		action   rating.Action
		in       rating.StepInput
		field    string
	}{
		{"verify without note", true, rating.ActVerify, rating.StepInput{}, "note"},
		{"rectify real-name without follow-up", true, rating.ActRectify, rating.StepInput{Note: "已整改"}, "follow_up"},
		{"rectify real-name without result", true, rating.ActRectify, rating.StepInput{Note: "已整改", FollowUp: rating.ByVisit}, "follow_up_result"},
		{"rectify anonymous without follow-up", false, rating.ActRectify, rating.StepInput{Note: "已整改"}, ""},
		{"explain real-name by letter", true, rating.ActExplain, rating.StepInput{Note: "法定材料", FollowUp: "letter", FollowUpResult: "x"}, "follow_up"},
		{"appeal without reason", false, rating.ActAppeal, rating.StepInput{Note: " "}, "note"},
	}
	for _, tc := range tests {
		from := rating.InProgress
		if tc.action == rating.ActVerify {
			from = rating.Open
		}
		x := &rating.Rectification{State: from, Department: "SCJG", RealName: tc.realName}
		_, err := x.Apply(tc.action, tc.in, deptAdmin, now)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if f := apperr.FieldsOf(err); !apperr.Is(err, apperr.Invalid) || len(f) == 0 || f[0].Field != tc.field {
			t.Errorf("%s: %v, want invalid %s", tc.name, err, tc.field)
		}
	}
}

func TestRates(t *testing.T) {
	tests := []struct {
		r          rating.Rate
		sat, rect  float64
		satOK, rOK bool
	}{
		{rating.Rate{}, 0, 0, false, false},
		{rating.Rate{Total: 4, Bad: 1, RealNameBad: 1, RealNameRectified: 0}, 0.75, 0, true, true},
		{rating.Rate{Total: 3, Bad: 0}, 1, 0, true, false},
		{rating.Rate{Total: 5, Bad: 3, RealNameBad: 2, RealNameRectified: 1}, 0.4, 0.5, true, true},
	}
	for _, tc := range tests {
		sat, satOK := tc.r.Satisfaction()
		rect, rOK := tc.r.Rectification()
		if sat != tc.sat || satOK != tc.satOK || rect != tc.rect || rOK != tc.rOK {
			t.Errorf("%+v: satisfaction %v %v, rectification %v %v", tc.r, sat, satOK, rect, rOK)
		}
	}
	for _, g := range []rating.GroupBy{rating.ByDepartment, rating.ByWindow, rating.ByClerk, rating.ByHall} {
		if !g.Valid() {
			t.Errorf("%s invalid", g)
		}
	}
	if rating.GroupBy("item").Valid() {
		t.Error("item grouping valid")
	}
}

// TestConfirmation: the rated party's report waits for the supervisor with
// the outcome it proposes, its deadline no longer running; the
// supervisor's confirmation closes it as proposed (and only then does it
// count as rectified), a sending back needs a reason and reopens it.
func TestConfirmation(t *testing.T) {
	full := rating.StepInput{Note: "已核实", FollowUp: rating.ByPhone, FollowUpResult: "申请人表示认可"}
	x := &rating.Rectification{ID: 1, State: rating.InProgress, Department: "SCJG", RealName: true, LastSeq: 2, Deadline: at("2026-10-13 17:00")}
	if _, err := x.Apply(rating.ActExplain, full, deptAdmin, at("2026-10-09 10:00")); err != nil {
		t.Fatal(err)
	}
	if x.State != rating.Confirming || x.Proposed != rating.Explained || x.State.Rectified() || x.State.Closed() || !x.ClosedAt.IsZero() {
		t.Fatalf("after the report: %+v", x)
	}
	if x.Status(at("2026-10-20 09:00")) != rating.Confirming || x.Warning(cal(), at("2026-10-20 09:00")) != calendar.WarningNone {
		t.Errorf("a report waiting past the deadline reads %s", x.Status(at("2026-10-20 09:00")))
	}
	if got := x.Allowed(deptAdmin); len(got) != 0 {
		t.Errorf("the department may still %v", got)
	}
	if got := x.Allowed(supervisor); !slices.Equal(got, []rating.Action{rating.ActConfirm, rating.ActSendBack}) {
		t.Errorf("the supervisor may %v", got)
	}
	if _, err := x.Apply(rating.ActSendBack, rating.StepInput{}, supervisor, at("2026-10-09 11:00")); !apperr.Is(err, apperr.Invalid) || apperr.FieldsOf(err)[0].Field != "note" {
		t.Errorf("sent back without a reason: %v", err)
	}
	ev, err := x.Apply(rating.ActSendBack, rating.StepInput{Note: "回访记录不全"}, supervisor, at("2026-10-09 11:00"))
	if err != nil || x.State != rating.InProgress || x.Proposed != "" || ev.To != rating.InProgress {
		t.Fatalf("sent back: %+v, %v", x, err)
	}
	if _, err := x.Apply(rating.ActRectify, full, deptAdmin, at("2026-10-09 14:00")); err != nil || x.Proposed != rating.Done {
		t.Fatalf("reported again: %+v, %v", x, err)
	}
	ev, err = x.Apply(rating.ActConfirm, rating.StepInput{}, supervisor, at("2026-10-09 15:00"))
	if err != nil || x.State != rating.Done || !x.State.Rectified() || !x.ClosedAt.Equal(at("2026-10-09 15:00")) || x.Proposed != "" || ev.To != rating.Done || ev.Action != rating.ActConfirm {
		t.Errorf("confirmed: %+v, %v", x, err)
	}
	if rating.Confirming.Label() != "待督查确认" {
		t.Errorf("label %q", rating.Confirming.Label())
	}
}
