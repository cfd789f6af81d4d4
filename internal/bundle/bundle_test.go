package bundle_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/bundle"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
)

// cal is the calendar the hall runs on: the State Council's published years.
var cal = calendar.New(calendar.Published(2020, 2027), calendar.DefaultSettings())

// The restaurant bundle's items (DESIGN.md: 开办餐饮店): the business
// registration first, the food and hygiene licences after it, the outdoor
// sign in parallel.
const (
	registration = "SCJG-XK-003" // 个体工商户设立登记: instant, SCJG
	foodLicence  = "SCJG-XK-001" // 食品经营许可（新办）: promised, SCJG
	hygiene      = "WSJK-XK-001" // 公共场所卫生许可（新办）: promised, WSJK
	outdoorSign  = "CGJ-XK-002"  // 设置大型户外广告审批: promised, CGJ
)

// at returns the wall time in Asia/Shanghai.
func at(year int, month time.Month, day, hour, min int) time.Time {
	return time.Date(year, month, day, hour, min, 0, 0, clock.Shanghai)
}

// items returns the demo handbook by item code.
func items() map[string]*catalog.Item {
	out := map[string]*catalog.Item{}
	for _, it := range demo.Load().Items {
		out[it.Code] = &it
	}
	return out
}

// restaurant is a valid template.
func restaurant() *bundle.Template {
	return &bundle.Template{
		Code: "YJS-KBCYD", Name: "开办餐饮店", LeadDepartment: "SCJG", PromisedDays: 15,
		Fields: []bundle.Field{
			{Key: "shop_name", Label: "店铺名称", Required: true},
			{Key: "shop_address", Label: "经营地址", Required: true},
			{Key: "seats", Label: "座位数"},
		},
		Members: []bundle.Member{
			{ItemCode: registration},
			{ItemCode: foodLicence, After: []string{registration}},
			{ItemCode: hygiene, After: []string{registration}},
			{ItemCode: outdoorSign},
		},
	}
}

// wantFields fails unless err is Invalid and names every field (and no
// other).
func wantFields(t testing.TB, err error, fields ...string) {
	t.Helper()
	if apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("error %v, want invalid naming %v", err, fields)
	}
	var got []string
	for _, f := range apperr.FieldsOf(err) {
		if !slices.Contains(got, f.Field) {
			got = append(got, f.Field)
		}
	}
	slices.Sort(got)
	want := slices.Clone(fields)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("error %v names fields %v, want %v", err, got, want)
	}
}

func TestTemplateValidate(t *testing.T) {
	catalogItems := items()
	tests := []struct {
		name   string
		change func(tp *bundle.Template)
		fields []string // nil: valid
		says   string   // part of the message
	}{
		{"the restaurant template", func(*bundle.Template) {}, nil, ""},
		{"all in parallel", func(tp *bundle.Template) {
			for i := range tp.Members {
				tp.Members[i].After = nil
			}
		}, nil, ""},
		{"a chain of three", func(tp *bundle.Template) {
			tp.Members[3].After = []string{foodLicence}
		}, nil, ""},
		{"two prerequisites", func(tp *bundle.Template) {
			tp.Members[2].After = []string{registration, foodLicence}
		}, nil, ""},
		{"no form fields", func(tp *bundle.Template) { tp.Fields = nil }, nil, ""},
		{"an unknown item", func(tp *bundle.Template) {
			tp.Members = append(tp.Members, bundle.Member{ItemCode: "XXX-XK-999"})
		}, []string{"members"}, "XXX-XK-999"},
		{"a member twice", func(tp *bundle.Template) {
			tp.Members = append(tp.Members, bundle.Member{ItemCode: outdoorSign})
		}, []string{"members"}, outdoorSign},
		{"a prerequisite outside the bundle", func(tp *bundle.Template) {
			tp.Members[3].After = []string{"GHZY-XK-001"}
		}, []string{"members"}, "GHZY-XK-001"},
		{"a prerequisite that is no item at all", func(tp *bundle.Template) {
			tp.Members[3].After = []string{"XXX-XK-999"}
		}, []string{"members"}, "XXX-XK-999"},
		{"a member after itself", func(tp *bundle.Template) {
			tp.Members[3].After = []string{outdoorSign}
		}, []string{"members"}, outdoorSign},
		{"a cycle of two", func(tp *bundle.Template) {
			tp.Members[0].After = []string{foodLicence} // registration after food, food after registration
		}, []string{"members"}, "成环"},
		{"a cycle of three", func(tp *bundle.Template) {
			tp.Members[0].After = []string{outdoorSign}
			tp.Members[3].After = []string{hygiene}
		}, []string{"members"}, "成环"},
		{"a lead department owning no member", func(tp *bundle.Template) { tp.LeadDepartment = "GHZY" }, []string{"lead_department"}, "牵头部门"},
		{"no lead department", func(tp *bundle.Template) { tp.LeadDepartment = "" }, []string{"lead_department"}, "牵头部门"},
		{"one member", func(tp *bundle.Template) {
			tp.Members = []bundle.Member{{ItemCode: foodLicence}}
		}, []string{"members"}, "两个"},
		{"no member", func(tp *bundle.Template) { tp.Members = nil }, []string{"members", "lead_department"}, ""},
		{"no code", func(tp *bundle.Template) { tp.Code = "" }, []string{"code"}, ""},
		{"a Chinese code", func(tp *bundle.Template) { tp.Code = "开办餐饮店" }, []string{"code"}, ""},
		{"a code of 33 characters", func(tp *bundle.Template) { tp.Code = strings.Repeat("A", 33) }, []string{"code"}, ""},
		{"no name", func(tp *bundle.Template) { tp.Name = "" }, []string{"name"}, ""},
		{"a name of 101 characters", func(tp *bundle.Template) { tp.Name = strings.Repeat("店", 101) }, []string{"name"}, ""},
		{"no promise", func(tp *bundle.Template) { tp.PromisedDays = 0 }, []string{"promised_days"}, ""},
		{"a promise beyond the maximum", func(tp *bundle.Template) { tp.PromisedDays = catalog.MaxDays + 1 }, []string{"promised_days"}, ""},
		{"a field key with spaces", func(tp *bundle.Template) { tp.Fields[2].Key = "seat count" }, []string{"fields"}, "seat count"},
		{"a field key in capitals", func(tp *bundle.Template) { tp.Fields[2].Key = "Seats" }, []string{"fields"}, "Seats"},
		{"a field key twice", func(tp *bundle.Template) { tp.Fields[2].Key = "shop_name" }, []string{"fields"}, "shop_name"},
		{"a field without a label", func(tp *bundle.Template) { tp.Fields[2].Label = "" }, []string{"fields"}, "seats"},
		{"several problems at once", func(tp *bundle.Template) {
			tp.Name, tp.LeadDepartment = "", "GHZY"
			tp.Members = append(tp.Members, bundle.Member{ItemCode: "XXX-XK-999"})
		}, []string{"name", "lead_department", "members"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp := restaurant()
			tt.change(tp)
			err := tp.Validate(catalogItems)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("Validate = %v, want ok", err)
				}
				return
			}
			wantFields(t, err, tt.fields...)
			if !strings.Contains(errorText(err), tt.says) {
				t.Errorf("Validate says %q, want it to name %q", errorText(err), tt.says)
			}
		})
	}
	// BUG (reported, not asserted): a one-character code such as "x" or a
	// lower-case code with underscores passes, because the code is also
	// matched against the form fields' key pattern after ToLower; the
	// message promises 2 to 32 upper-case letters, digits or hyphens.
}

// TestDemoBundles: the demo district's joint applications hold against its
// handbook.
func TestDemoBundles(t *testing.T) {
	d := demo.Load()
	if len(d.Bundles) == 0 {
		t.Fatal("the demo district has no bundle")
	}
	for _, tp := range d.Bundles {
		if err := tp.Validate(items()); err != nil {
			t.Errorf("demo bundle %s: %v (%v)", tp.Code, err, apperr.FieldsOf(err))
		}
	}
}

// errorText joins an error's message and its fields' messages.
func errorText(err error) string {
	parts := []string{apperr.MessageOf(err)}
	for _, f := range apperr.FieldsOf(err) {
		parts = append(parts, f.Message)
	}
	return strings.Join(parts, "\n")
}

func TestTemplateMembers(t *testing.T) {
	tp := restaurant()
	if m := tp.Member(foodLicence); m.ItemCode != foodLicence || !slices.Equal(m.After, []string{registration}) {
		t.Errorf("Member(%s) = %+v", foodLicence, m)
	}
	if m := tp.Member("GHZY-XK-001"); m.ItemCode != "" || m.After != nil {
		t.Errorf("Member of an item outside = %+v, want the zero member", m)
	}
}

func TestCheckForm(t *testing.T) {
	tests := []struct {
		name   string
		form   map[string]string
		want   map[string]string
		fields []string // nil: valid
	}{
		{"filled in", map[string]string{"shop_name": "味香小馆", "shop_address": "江川区滨河路18号", "seats": "40"},
			map[string]string{"shop_name": "味香小馆", "shop_address": "江川区滨河路18号", "seats": "40"}, nil},
		{"trimmed, an empty optional field left out", map[string]string{"shop_name": "  味香小馆 ", "shop_address": "\t江川区滨河路18号\n", "seats": "  "},
			map[string]string{"shop_name": "味香小馆", "shop_address": "江川区滨河路18号"}, nil},
		{"an unknown field left blank is ignored", map[string]string{"shop_name": "味香小馆", "shop_address": "江川区滨河路18号", "owner": " "},
			map[string]string{"shop_name": "味香小馆", "shop_address": "江川区滨河路18号"}, nil},
		{"200 characters", map[string]string{"shop_name": strings.Repeat("味", 200), "shop_address": "江川区滨河路18号"},
			map[string]string{"shop_name": strings.Repeat("味", 200), "shop_address": "江川区滨河路18号"}, nil},
		{"a required field missing", map[string]string{"shop_address": "江川区滨河路18号"}, nil, []string{"form.shop_name"}},
		{"a required field blank", map[string]string{"shop_name": "   ", "shop_address": "江川区滨河路18号"}, nil, []string{"form.shop_name"}},
		{"nothing", nil, nil, []string{"form.shop_name", "form.shop_address"}},
		{"an unknown field", map[string]string{"shop_name": "味香小馆", "shop_address": "江川区滨河路18号", "owner": "王建国"}, nil, []string{"form.owner"}},
		{"201 characters", map[string]string{"shop_name": "味香小馆", "shop_address": strings.Repeat("路", 201)}, nil, []string{"form.shop_address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := restaurant().CheckForm(tt.form)
			if tt.fields != nil {
				wantFields(t, err, tt.fields...)
				return
			}
			if err != nil {
				t.Fatalf("CheckForm = %v, want ok", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("CheckForm = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	applicantParty := company()
	form := map[string]string{"shop_name": "味香小馆"}
	for _, tt := range []struct {
		now  time.Time
		days int
		due  time.Time
	}{
		{at(2026, 3, 2, 10, 0), 15, at(2026, 3, 23, 17, 0)},   // three weeks and a day
		{at(2026, 3, 6, 18, 30), 1, at(2026, 3, 9, 17, 0)},    // Friday evening: Monday
		{at(2026, 9, 28, 10, 0), 10, at(2026, 10, 16, 17, 0)}, // over National Day, with the working Saturday 10-10
		{at(2026, 12, 31, 9, 0), 2, at(2027, 1, 5, 17, 0)},    // over New Year's Day
	} {
		tp := restaurant()
		tp.PromisedDays = tt.days
		b := bundle.New(tp, applicantParty, casework.Online, form, cal, tt.now)
		if !b.DueBy.Equal(tt.due) {
			t.Errorf("New at %s with %d days: due_by %s, want %s", tt.now, tt.days, b.DueBy, tt.due)
		}
		if b.TemplateCode != tp.Code || b.Name != tp.Name || b.LeadDepartment != "SCJG" || b.Channel != casework.Online ||
			b.Applicant != applicantParty || !reflect.DeepEqual(b.Form, form) || b.State != bundle.Open || !b.ReceivedAt.Equal(tt.now) {
			t.Errorf("New = %+v", b)
		}
	}
	if bundle.Open.Label() != "办理中" || bundle.Done.Label() != "已办结" {
		t.Errorf("labels %q %q", bundle.Open.Label(), bundle.Done.Label())
	}
}

func TestEnded(t *testing.T) {
	ended := []casework.State{casework.Delivered, casework.Archived, casework.Withdrawn, casework.Terminated}
	for _, s := range casework.States {
		if got := bundle.Ended(s); got != slices.Contains(ended, s) {
			t.Errorf("Ended(%s) = %v", s, got)
		}
	}
}

// The members' cases, made through the real intake and transitions.

var (
	intakeClerk = casework.Actor{Username: "zhangsl", Role: org.RoleIntake, HallCode: demo.DistrictHall, Desk: "window:JC-ZWZX"}
	systemActor = casework.Actor{System: true, Desk: "system"}
)

func company() casework.Party {
	return casework.Party{Kind: casework.Entity, Name: "江川区味香餐饮有限公司", IDType: identity.CreditCode, IDNumber: "91320120MA1XK5T2QF", Phone: "13912345678", Address: "江川区滨河路18号"}
}

func person() casework.Party {
	return casework.Party{Kind: casework.Person, Name: "王建国", IDType: identity.ResidentID, IDNumber: "11010519491231002X", Phone: "13912345678"}
}

// member takes in a case for item at now, with every required material,
// numbered number, waiting for the prerequisites.
func member(t testing.TB, code, number string, now time.Time, after ...string) *casework.Case {
	t.Helper()
	it := items()[code]
	var mats []casework.MaterialInput
	for _, m := range it.Materials {
		if m.Required {
			mats = append(mats, casework.MaterialInput{Code: m.Code, Status: casework.Provided})
		}
	}
	party := company()
	if code == registration {
		party = person()
	}
	c, _, _, err := casework.NewCase(casework.Intake{ItemCode: code, Channel: casework.AtWindow, Applicant: party, Materials: mats},
		it, intakeClerk, casework.Env{Cal: cal, Now: now})
	if err != nil {
		t.Fatalf("intake of %s: %v", code, err)
	}
	c.Number, c.BundleNumber = number, "YJS202603020001"
	c.Wait(after)
	return c
}

// apply takes action on c, or fails the test.
func apply(t testing.TB, c *casework.Case, action casework.Action, in casework.Input, a casework.Actor, now time.Time) {
	t.Helper()
	if _, _, err := casework.Apply(c, action, in, a, casework.Env{Cal: cal, Now: now}); err != nil {
		t.Fatalf("%s on %s (%s): %v", action, c.Number, c.State, err)
	}
}

// restaurantBundle is a bundle of the restaurant template at t0 with its
// four member cases, the registration not yet decided.
func restaurantBundle(t testing.TB, t0 time.Time) (*bundle.Bundle, map[string]*casework.Case) {
	t.Helper()
	tp := restaurant()
	b := bundle.New(tp, company(), casework.AtWindow, map[string]string{"shop_name": "味香小馆"}, cal, t0)
	b.Number = "YJS202603020001"
	cases := map[string]*casework.Case{}
	for i, m := range tp.Members {
		number := "2026030200000" + string(rune('1'+i))
		c := member(t, m.ItemCode, number, t0, m.After...)
		cases[number] = c
		b.Members = append(b.Members, bundle.MemberCase{ItemCode: m.ItemCode, ItemName: c.ItemName, Department: c.DepartmentCode, CaseNumber: number, After: m.After})
	}
	return b, cases
}

// caseOf returns the bundle's case of item.
func caseOf(b *bundle.Bundle, cases map[string]*casework.Case, code string) *casework.Case {
	for _, m := range b.Members {
		if m.ItemCode == code {
			return cases[m.CaseNumber]
		}
	}
	return nil
}

func TestProgress(t *testing.T) {
	t0 := at(2026, 3, 2, 9, 30)
	t1 := t0.Add(time.Hour)
	decide := func(outcome casework.Outcome) func(t testing.TB, b *bundle.Bundle, cases map[string]*casework.Case) {
		return func(t testing.TB, b *bundle.Bundle, cases map[string]*casework.Case) {
			in := casework.Input{Confirm: true, Outcome: outcome, ResultDocument: "营业执照 92320120MA1XK5T2QF"}
			if outcome == casework.Deny {
				in.Reason, in.ResultDocument = "经营场所不符合要求", "不予登记通知书 第1号"
			}
			apply(t, caseOf(b, cases, registration), casework.ActDecide, in, intakeClerk, t1)
		}
	}
	openStep := func(code string) bundle.Step {
		return bundle.Step{CaseNumber: code, Action: casework.ActOpen, Prerequisite: registration}
	}
	terminateStep := func(code string) bundle.Step {
		return bundle.Step{CaseNumber: code, Action: casework.ActTerminate, Prerequisite: registration,
			Reason: "前置事项「个体工商户设立登记」未获准予，本事项终止办理"}
	}
	// Case numbers by member: 1 registration, 2 food licence, 3 hygiene, 4 outdoor sign.
	tests := []struct {
		name   string
		change func(t testing.TB, b *bundle.Bundle, cases map[string]*casework.Case)
		steps  []bundle.Step
	}{
		{"the prerequisite still in progress", func(testing.TB, *bundle.Bundle, map[string]*casework.Case) {}, nil},
		{"the prerequisite approved", decide(casework.Approve), []bundle.Step{openStep("20260302000002"), openStep("20260302000003")}},
		{"the prerequisite approved and delivered", func(t testing.TB, b *bundle.Bundle, cases map[string]*casework.Case) {
			decide(casework.Approve)(t, b, cases)
			apply(t, caseOf(b, cases, registration), casework.ActDeliver,
				casework.Input{Signer: "王建国", SignerIDType: identity.ResidentID, SignerIDNumber: "11010519491231002X"}, intakeClerk, t1.Add(time.Minute))
		}, []bundle.Step{openStep("20260302000002"), openStep("20260302000003")}},
		{"the prerequisite denied", decide(casework.Deny), []bundle.Step{terminateStep("20260302000002"), terminateStep("20260302000003")}},
		{"the prerequisite withdrawn undecided", func(t testing.TB, b *bundle.Bundle, cases map[string]*casework.Case) {
			apply(t, caseOf(b, cases, registration), casework.ActWithdraw, casework.Input{Reason: "暂不开店"}, intakeClerk, t1)
		}, []bundle.Step{terminateStep("20260302000002"), terminateStep("20260302000003")}},
		{"approved, one waiting member already opened", func(t testing.TB, b *bundle.Bundle, cases map[string]*casework.Case) {
			decide(casework.Approve)(t, b, cases)
			apply(t, caseOf(b, cases, foodLicence), casework.ActOpen, casework.Input{Prerequisite: registration}, systemActor, t1.Add(time.Minute))
		}, []bundle.Step{openStep("20260302000003")}},
		{"denied, one waiting member already terminated", func(t testing.TB, b *bundle.Bundle, cases map[string]*casework.Case) {
			decide(casework.Deny)(t, b, cases)
			apply(t, caseOf(b, cases, hygiene), casework.ActTerminate,
				casework.Input{Reason: "前置事项未获准予", Prerequisite: registration}, systemActor, t1.Add(time.Minute))
		}, []bundle.Step{terminateStep("20260302000002")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, cases := restaurantBundle(t, t0)
			tt.change(t, b, cases)
			steps, done := b.Progress(cases)
			if !reflect.DeepEqual(steps, tt.steps) {
				t.Errorf("steps = %+v\nwant    %+v", steps, tt.steps)
			}
			if done {
				t.Error("done with members still open")
			}
		})
	}
}

func TestProgressDone(t *testing.T) {
	t0 := at(2026, 3, 2, 9, 30)
	t1 := t0.Add(time.Hour)
	// ended brings every member to an end: the registration delivered, the
	// food licence terminated, the hygiene licence withdrawn and the sign
	// archived after a denial.
	ended := func(t testing.TB) (*bundle.Bundle, map[string]*casework.Case) {
		b, cases := restaurantBundle(t, t0)
		reg := caseOf(b, cases, registration)
		apply(t, reg, casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Approve, ResultDocument: "营业执照"}, intakeClerk, t1)
		apply(t, reg, casework.ActDeliver, casework.Input{Signer: "王建国", SignerIDType: identity.ResidentID, SignerIDNumber: "11010519491231002X"}, intakeClerk, t1)
		apply(t, caseOf(b, cases, foodLicence), casework.ActTerminate, casework.Input{Reason: "前置事项终止", Prerequisite: registration}, systemActor, t1)
		apply(t, caseOf(b, cases, hygiene), casework.ActOpen, casework.Input{Prerequisite: registration}, systemActor, t1)
		apply(t, caseOf(b, cases, hygiene), casework.ActWithdraw, casework.Input{Reason: "暂不经营"}, intakeClerk, t1)
		sign := caseOf(b, cases, outdoorSign)
		rev := casework.Actor{Username: "rev-cgj", Role: org.RoleReviewer, DepartmentCode: "CGJ", Desk: "api"}
		issuance := casework.Actor{Username: "liuyf", Role: org.RoleIssuance, HallCode: demo.DistrictHall, Desk: "window:JC-ZWZX"}
		for _, step := range []struct {
			action casework.Action
			in     casework.Input
			by     casework.Actor
		}{
			{casework.ActAccept, casework.Input{}, rev},
			{casework.ActHandover, casework.Input{}, rev},
			{casework.ActDecide, casework.Input{Confirm: true, Outcome: casework.Deny, Reason: "设置位置不符合规划", ResultDocument: "不予许可决定书 第2号"}, rev},
			{casework.ActSubmitResult, casework.Input{}, rev},
			{casework.ActAcceptResult, casework.Input{}, issuance},
			{casework.ActDeliver, casework.Input{Signer: "王建国", SignerIDType: identity.ResidentID, SignerIDNumber: "11010519491231002X"}, issuance},
			{casework.ActArchive, casework.Input{}, issuance},
		} {
			apply(t, sign, step.action, step.in, step.by, t1)
		}
		return b, cases
	}
	b, cases := ended(t)
	for code, want := range map[string]casework.State{registration: casework.Delivered, foodLicence: casework.Terminated, hygiene: casework.Withdrawn, outdoorSign: casework.Archived} {
		if got := caseOf(b, cases, code).State; got != want {
			t.Fatalf("%s is %s, want %s", code, got, want)
		}
	}
	if steps, done := b.Progress(cases); !done || len(steps) != 0 {
		t.Errorf("every member ended: steps %+v done %v, want none and done", steps, done)
	}
	// One member short of its end, or missing, keeps the bundle open.
	for _, tt := range []struct {
		name   string
		change func(b *bundle.Bundle, cases map[string]*casework.Case)
	}{
		{"the sign decided but not delivered", func(b *bundle.Bundle, cases map[string]*casework.Case) {
			caseOf(b, cases, outdoorSign).State = casework.ResultReady
		}},
		{"the registration decided but not delivered", func(b *bundle.Bundle, cases map[string]*casework.Case) {
			caseOf(b, cases, registration).State = casework.Decided
		}},
		{"a member's case not found", func(b *bundle.Bundle, cases map[string]*casework.Case) {
			delete(cases, b.Members[3].CaseNumber)
		}},
	} {
		b, cases := ended(t)
		tt.change(b, cases)
		if _, done := b.Progress(cases); done {
			t.Errorf("%s: done", tt.name)
		}
	}
}

func TestBundleWarning(t *testing.T) {
	b := bundle.New(restaurant(), company(), casework.AtWindow, nil, cal, at(2026, 3, 2, 10, 0)) // due 2026-03-23 17:00
	tests := []struct {
		name  string
		now   time.Time
		state bundle.State
		want  calendar.Warning
	}{
		{"at intake", at(2026, 3, 2, 10, 0), bundle.Open, calendar.WarningNone},
		{"two working days left", at(2026, 3, 19, 10, 0), bundle.Open, calendar.WarningNone},
		{"one working day left", at(2026, 3, 20, 10, 0), bundle.Open, calendar.WarningYellow},
		{"the weekend before", at(2026, 3, 22, 10, 0), bundle.Open, calendar.WarningYellow},
		{"the last day at close", at(2026, 3, 23, 17, 0), bundle.Open, calendar.WarningYellow},
		{"a minute late", at(2026, 3, 23, 17, 1), bundle.Open, calendar.WarningRed},
		{"a week late", at(2026, 3, 30, 10, 0), bundle.Open, calendar.WarningRed},
		{"done, late", at(2026, 3, 30, 10, 0), bundle.Done, calendar.WarningNone},
		{"done, on its last day", at(2026, 3, 23, 10, 0), bundle.Done, calendar.WarningNone},
	}
	for _, tt := range tests {
		b.State = tt.state
		if got := b.Warning(cal, tt.now); got != tt.want {
			t.Errorf("%s: Warning = %s, want %s", tt.name, got, tt.want)
		}
	}
}
