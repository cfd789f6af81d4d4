package page

// Reading an application from the intake form, which the window's intake,
// one-thing bundles and the agent's desk share.

import (
	"net/url"
	"slices"
	"strings"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
)

// FieldID is the id of the element a field's message points to:
// "applicant.id_number" → "applicant-id_number". Fields that have no input
// of their own point to the section they belong to.
func FieldID(field string) string {
	switch field {
	case "item_code":
		return "intake-form"
	case "agent.kind":
		return "agent"
	}
	return strings.ReplaceAll(field, ".", "-")
}

// PartyFromForm reads the applicant's or agent's fields.
func PartyFromForm(f url.Values, prefix string) casework.Party {
	p := casework.Party{
		Kind: casework.PartyKind(f.Get(prefix + ".kind")), Name: f.Get(prefix + ".name"),
		IDType: identity.IDType(f.Get(prefix + ".id_type")), IDNumber: f.Get(prefix + ".id_number"),
		Phone: f.Get(prefix + ".phone"), Address: f.Get(prefix + ".address"),
	}
	if p.Kind == casework.Entity && p.IDType == "" {
		p.IDType = identity.CreditCode
	}
	return p
}

// MaterialsFromForm reads every "material.<code>" mark, in code order:
// provided and deferred ones as the service takes them, "missing" (not
// brought) left out, anything else passed on for the service to refuse.
func MaterialsFromForm(f url.Values) (marks []casework.MaterialInput, deferred bool) {
	var codes []string
	for k := range f {
		if code, ok := strings.CutPrefix(k, "material."); ok {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	for _, code := range codes {
		status := casework.MaterialStatus(f.Get("material." + code))
		if status == casework.Missing || status == "" {
			continue
		}
		deferred = deferred || status == casework.Deferred
		marks = append(marks, casework.MaterialInput{Code: code, Status: status})
	}
	return marks, deferred
}

// IntakeFromForm builds the application the form describes.
func IntakeFromForm(code string, f url.Values) casework.Intake {
	in := casework.Intake{ItemCode: code, Channel: casework.Channel(f.Get("channel")), Applicant: PartyFromForm(f, "applicant")}
	if in.Channel == "" {
		in.Channel = casework.AtWindow
	}
	if f.Get("has_agent") != "" {
		agent := PartyFromForm(f, "agent")
		agent.Kind = casework.Person // an agent is always a natural person
		in.Agent = &agent
	}
	var deferred bool
	in.Materials, deferred = MaterialsFromForm(f)
	if deferred {
		in.DeferralDue = strings.TrimSpace(f.Get("deferral_due")) // "" is the item's limit
	}
	switch m := casework.DeliveryMethod(f.Get("delivery.method")); m {
	case "", casework.Pickup:
	case casework.Mail:
		in.Delivery = &casework.Delivery{Method: m, Recipient: f.Get("delivery.recipient"), Phone: f.Get("delivery.phone"), Address: f.Get("delivery.address")}
	default:
		in.Delivery = &casework.Delivery{Method: m}
	}
	in.PickupHall = strings.TrimSpace(f.Get("pickup_hall")) // "" collects at the intake hall
	return in
}

// FieldMessage is one message of the error summary, linked to its field.
type FieldMessage struct {
	Href, Message string
}
