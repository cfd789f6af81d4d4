package casework_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
)

// phoneRule restates the intake's telephone rule: a mobile number or a
// landline with its area code and an optional extension.
var phoneRule = regexp.MustCompile(`^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$`)

// intakeFields are the fields an intake refusal may name.
var intakeFields = []string{"channel", "materials", "deferral_due", "delivery.method", "delivery.address", "delivery.phone"}

// FuzzIntakeBody decodes any body as the intake API does (POST /cases) and
// takes it in at the front desk, on a Monday morning, for the demo item it
// names. A body is either refused (invalid input naming known fields, no
// case) or makes a case that keeps every intake rule: the handbook's
// materials only and every required one, deferral only where allowed and
// within its limit, valid identities and telephones, mail only for
// promised items, ID numbers masked in the record and the documents.
func FuzzIntakeBody(f *testing.F) {
	items := map[string]*catalog.Item{}
	for _, it := range demo.Load().Items {
		items[it.Code] = &it
	}
	now := at(2026, 3, 2, 9, 30)
	f.Fuzz(func(t *testing.T, body []byte) {
		var in casework.Intake
		if json.Unmarshal(body, &in) != nil {
			return // the API answers 422 before any rule is asked
		}
		item, ok := items[in.ItemCode]
		if !ok {
			return // the service answers 422 naming item_code
		}
		c, ev, docs, err := casework.NewCase(in, cloneItem(item), intakeClerk, env(now))
		if err != nil {
			if c != nil || ev != nil || docs != nil {
				t.Fatalf("a refused intake (%v) returned a case", err)
			}
			if !apperr.Is(err, apperr.Invalid) || len(apperr.FieldsOf(err)) == 0 {
				t.Fatalf("intake refused with %v (code %s): want invalid input naming fields", err, apperr.CodeOf(err))
			}
			for _, fe := range apperr.FieldsOf(err) {
				known := slices.Contains(intakeFields, fe.Field) || strings.HasPrefix(fe.Field, "applicant.") || strings.HasPrefix(fe.Field, "agent.")
				if !known || fe.Message == "" {
					t.Fatalf("intake refusal names the field %q (%q)", fe.Field, fe.Message)
				}
			}
			return
		}
		checkIntake(t, in, item, c, ev)
		c.Number, c.CheckCode = caseNumber, "123456"
		for _, d := range casework.IntakeDocuments(c) {
			for _, id := range []string{c.Applicant.IDNumber, agentIDOf(c)} {
				if len(id) >= 8 && strings.Contains(string(d.Data), id) {
					t.Fatalf("%s shows the ID number %s unmasked", d.Kind, id)
				}
			}
		}
	})
}

func agentIDOf(c *casework.Case) string {
	if c.Agent == nil {
		return ""
	}
	return c.Agent.IDNumber
}

// cloneItem copies an item, so that a case cannot reach the shared one.
func cloneItem(it *catalog.Item) *catalog.Item {
	out := *it
	out.Materials = slices.Clone(it.Materials)
	out.ApplicantKinds = slices.Clone(it.ApplicantKinds)
	out.CollectAtIssuance = slices.Clone(it.CollectAtIssuance)
	return &out
}

// checkIntake asserts the intake rules of an accepted body.
func checkIntake(t *testing.T, in casework.Intake, item *catalog.Item, c *casework.Case, ev *casework.Event) {
	t.Helper()
	if c.State != casework.Received || c.ItemCode != item.Code || c.Kind != item.Kind || c.DepartmentCode != item.DepartmentCode {
		t.Fatalf("new case %s %s %s %s for item %s", c.State, c.ItemCode, c.Kind, c.DepartmentCode, item.Code)
	}
	if ev.Type != casework.ActIntake || ev.To != casework.Received || !json.Valid(ev.Details) {
		t.Fatalf("intake event %+v", ev)
	}
	switch c.Channel {
	case casework.AtWindow:
	case casework.ByMail:
		if item.Kind != catalog.Promised {
			t.Fatalf("an instant item taken in by mail")
		}
	default:
		t.Fatalf("accepted the channel %q", c.Channel)
	}

	checkParty(t, "applicant", c.Applicant)
	hasKind := func(k catalog.ApplicantKind) bool { return slices.Contains(item.ApplicantKinds, k) }
	if c.Applicant.Kind == casework.Person && !hasKind(catalog.NaturalPerson) {
		t.Fatalf("a person applied for %s, which is for organisations", item.Code)
	}
	if c.Applicant.Kind == casework.Entity && !slices.ContainsFunc(item.ApplicantKinds, func(k catalog.ApplicantKind) bool { return k != catalog.NaturalPerson }) {
		t.Fatalf("an organisation applied for %s, which is for people", item.Code)
	}
	if (in.Agent == nil) != (c.Agent == nil) {
		t.Fatalf("agent given %v, recorded %v", in.Agent, c.Agent)
	}
	if c.Agent != nil {
		checkParty(t, "agent", *c.Agent)
		if c.Agent.Kind != casework.Person {
			t.Fatalf("an organisation accepted as the agent")
		}
	}
	for _, id := range []string{c.Applicant.IDNumber, agentIDOf(c)} {
		if len(id) >= 8 && strings.Contains(string(ev.Details), id) {
			t.Fatalf("the intake event records the ID number %s unmasked: %s", id, ev.Details)
		}
	}

	// Materials: the handbook's only (R15), each once, every required one,
	// deferred only where the handbook allows.
	given := map[string]casework.MaterialStatus{}
	for _, m := range in.Materials {
		if _, dup := given[m.Code]; dup {
			t.Fatalf("accepted the material %s twice", m.Code)
		}
		spec, ok := item.Material(m.Code)
		if !ok {
			t.Fatalf("accepted %s, which the handbook of %s does not list", m.Code, item.Code)
		}
		if m.Status != casework.Provided && m.Status != casework.Deferred {
			t.Fatalf("accepted the material status %q", m.Status)
		}
		if m.Status == casework.Deferred && !spec.Deferrable {
			t.Fatalf("accepted %s deferred, which may not be", m.Code)
		}
		given[m.Code] = m.Status
	}
	if len(c.Materials) != len(item.Materials) {
		t.Fatalf("the case lists %d materials, the handbook %d", len(c.Materials), len(item.Materials))
	}
	deferred := false
	for i, spec := range item.Materials {
		m := c.Materials[i]
		want, ok := given[spec.Code]
		if !ok {
			want = casework.Missing
		}
		if m.Code != spec.Code || m.Status != want {
			t.Fatalf("material %d is %s %s, want %s %s", i, m.Code, m.Status, spec.Code, want)
		}
		if spec.Required && m.Status == casework.Missing {
			t.Fatalf("taken in without the required %s", spec.Code)
		}
		deferred = deferred || m.Status == casework.Deferred
	}

	// Deferral: a working day after today, within the item's limit.
	due := c.Deadlines.SupplyBy
	if !deferred {
		if !due.IsZero() || in.DeferralDue != "" {
			t.Fatalf("no material deferred, yet a supply date %v (asked %q)", due, in.DeferralDue)
		}
	} else {
		day := calendar.DateOf(due)
		latest := cal.AddWorkingDays(c.ReceivedAt, item.DeferralDays)
		if item.DeferralDays == 0 || due.IsZero() || !day.After(calendar.DateOf(c.ReceivedAt)) || !cal.IsWorkingDay(day) || due.After(latest) {
			t.Fatalf("deferred materials due %v (limit %d working days, latest %v)", due, item.DeferralDays, latest)
		}
		if in.DeferralDue != "" && day.String() != in.DeferralDue {
			t.Fatalf("asked %q, due %v", in.DeferralDue, due)
		}
	}

	// Delivery: pickup, or mail of a promised item to an address.
	switch d := c.Delivery; d.Method {
	case casework.Pickup:
	case casework.Mail:
		n := utf8.RuneCountInString(d.Address)
		if item.Kind != catalog.Promised || n < 5 || n > 200 || d.Address != strings.TrimSpace(d.Address) || !phoneRule.MatchString(d.Phone) || d.Recipient == "" {
			t.Fatalf("accepted mail delivery %+v for a %s item", d, item.Kind)
		}
	default:
		t.Fatalf("accepted the delivery method %q", d.Method)
	}
	if item.Kind == catalog.Promised && !c.Deadlines.AcceptBy.Equal(cal.AddWorkingDays(c.ReceivedAt, 2)) {
		t.Fatalf("accept_by %v", c.Deadlines.AcceptBy)
	}
}

// checkParty asserts a recorded applicant or agent keeps the rules.
func checkParty(t *testing.T, field string, p casework.Party) {
	t.Helper()
	if p.Kind != casework.Person && p.Kind != casework.Entity {
		t.Fatalf("%s: accepted the kind %q", field, p.Kind)
	}
	if p.Name == "" || p.Name != strings.TrimSpace(p.Name) || utf8.RuneCountInString(p.Name) > 100 {
		t.Fatalf("%s: accepted the name %q", field, p.Name)
	}
	if (p.Kind == casework.Entity) != (p.IDType == identity.CreditCode) {
		t.Fatalf("%s: a %s with an ID of type %s", field, p.Kind, p.IDType)
	}
	if err := identity.Validate(p.IDType, p.IDNumber); err != nil {
		t.Fatalf("%s: accepted the ID %s %q: %v", field, p.IDType, p.IDNumber, err)
	}
	if !phoneRule.MatchString(p.Phone) {
		t.Fatalf("%s: accepted the telephone %q", field, p.Phone)
	}
	if p.Address != strings.TrimSpace(p.Address) || utf8.RuneCountInString(p.Address) > 200 {
		t.Fatalf("%s: accepted the address %q", field, p.Address)
	}
}
