package casework_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
)

// actionFields lists the body fields each action reads (the API's
// POST /cases/{number}/{action}); whatever else a body carries must change
// nothing.
var actionFields = map[casework.Action][]string{
	casework.ActAccept:           nil,
	casework.ActReturn:           {"reason", "corrections", "correction_reasons"},
	casework.ActResubmit:         {"materials"},
	casework.ActSupply:           {"materials"},
	casework.ActHandover:         nil,
	casework.ActPause:            {"pause_type", "reason"},
	casework.ActResume:           nil,
	casework.ActExtend:           {"days", "reason"},
	casework.ActApproveExtension: {"reason"},
	casework.ActRejectExtension:  {"reason"},
	casework.ActDecide:           {"outcome", "reason", "result_document", "confirm"},
	casework.ActRefuseAcceptance: {"reason", "confirm"},
	casework.ActSubmitResult:     {"collect_items", "result_document"},
	casework.ActRefuseResult:     {"reason"},
	casework.ActAcceptResult:     nil,
	casework.ActDeliver:          {"signer", "signer_id_type", "signer_id_number", "agent_user"},
	casework.ActMail:             {"carrier", "tracking_number"},
	casework.ActConfirmDelivery:  nil,
	casework.ActArchive:          nil,
	casework.ActWithdraw:         {"reason"},
	casework.ActTerminate:        {"reason"},
	casework.ActPassPreReview:    {"reason"},
	casework.ActFailPreReview:    {"reason", "correction_reasons"},
	casework.ActResubmitOnline:   {"files"},
	casework.ActCompleteIntake:   nil,
	casework.ActOpen:             {"prerequisite"},
	casework.ActLapse:            nil,
	casework.ActStartProcedure:   {"procedure", "reason", "days"},
	casework.ActFinishProcedure:  {"conclusion", "attachments"},
	casework.ActPropose:          {"outcome", "reason"},
	casework.ActCheck:            {"reason"},
	casework.ActSendBack:         {"reason"},
	// The street's initial review (委托初审).
	casework.ActPassInitialReview:   {"reason"},
	casework.ActReturnInitialReview: {"reason", "corrections", "correction_reasons"},
}

// systemFields lists the fields an action reads from the system only.
var systemFields = map[casework.Action][]string{
	casework.ActWithdraw:  {"prerequisite"},
	casework.ActTerminate: {"prerequisite"},
}

// applyTarget is a case on which an actor may take an action now.
type applyTarget struct {
	f fixture
	a casework.Actor
}

var (
	applyTargetsOnce sync.Once
	applyTargets     map[casework.Action][]applyTarget
)

// targetsFor returns, per action, every fixture and actor for which the
// table allows it: the fuzzed body then meets only the action's own checks.
func targetsFor(t testing.TB) map[casework.Action][]applyTarget {
	applyTargetsOnce.Do(func() {
		applyTargets = map[casework.Action][]applyTarget{}
		for _, f := range append(promisedFixtures(t), instantFixtures(t)...) {
			for _, a := range actorsFor(f.c.DepartmentCode) {
				for _, action := range casework.Allowed(f.c, a, env(f.now)) {
					applyTargets[action] = append(applyTargets[action], applyTarget{f, a})
				}
			}
		}
	})
	return applyTargets
}

// FuzzApplyInput sends any body to every action, on a case in a state in
// which the actor may take it, through the apply path. A body is either
// refused (invalid input, naming a field, the case untouched) or accepted
// with everything the action's rules demand of it; the fields the action
// does not read change nothing.
func FuzzApplyInput(f *testing.F) {
	targets := targetsFor(f)
	actions := casework.Actions()
	for _, a := range actions {
		if len(targets[a]) == 0 {
			f.Fatalf("no fixture on which %s may be taken", a)
		}
		if _, ok := actionFields[a]; !ok {
			f.Fatalf("actionFields does not list the fields of %s", a)
		}
	}
	f.Fuzz(func(t *testing.T, name string, pick uint8, body []byte) {
		action := casework.Action(name)
		if !action.Valid() { // a mutated name still picks an action
			sum := 0
			for _, b := range []byte(name) {
				sum += int(b)
			}
			action = actions[sum%len(actions)]
		}
		list := targets[action]
		target := list[int(pick)%len(list)]
		var in casework.Input
		if json.Unmarshal(body, &in) != nil {
			return // the API answers 422 before any rule is asked
		}
		c := cloneCase(target.f.c)
		before := cloneCase(c)
		e := env(target.f.now)
		ev, docs, err := casework.Apply(c, action, in, target.a, e)
		if err != nil {
			if ev != nil || docs != nil {
				t.Fatalf("%s refused (%v) but returned an event or documents", action, err)
			}
			if !reflect.DeepEqual(c, before) {
				t.Fatalf("%s refused (%v) but changed the case", action, err)
			}
			if !apperr.Is(err, apperr.Invalid) || len(apperr.FieldsOf(err)) == 0 || apperr.MessageOf(err) == "" {
				t.Fatalf("%s, allowed by the table, refused a body with %v (code %s, fields %v): want an invalid input naming its field",
					action, err, apperr.CodeOf(err), apperr.FieldsOf(err))
			}
		} else {
			checkApplied(t, action, in, target, before, c, ev)
		}

		// The fields the action does not read change nothing.
		own := ownFields(t, action, target.a, body)
		c2 := cloneCase(target.f.c)
		ev2, docs2, err2 := casework.Apply(c2, action, own, target.a, e)
		if (err == nil) != (err2 == nil) || apperr.CodeOf(err) != apperr.CodeOf(err2) {
			t.Fatalf("%s: with the whole body %v, with only its own fields %v", action, err, err2)
		}
		if !reflect.DeepEqual(c, c2) || !reflect.DeepEqual(ev, ev2) || !reflect.DeepEqual(docs, docs2) {
			t.Fatalf("%s: fields it does not read changed the outcome:\n body %s\n own  %+v", action, body, own)
		}
	})
}

// ownFields decodes only the body's fields the action reads. The body's
// keys are kept in their order, duplicates and case variants included,
// since encoding/json matches keys without regard to case and the last one
// wins.
func ownFields(t *testing.T, action casework.Action, a casework.Actor, body []byte) casework.Input {
	fields := actionFields[action]
	if a.System {
		fields = append(slices.Clone(fields), systemFields[action]...)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var kept bytes.Buffer
	kept.WriteByte('{')
	if tok, err := dec.Token(); err != nil || tok == nil {
		return casework.Input{} // null: no fields at all
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("a body that decodes into Input: %v", err)
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			t.Fatalf("a body that decodes into Input: %v", err)
		}
		if !slices.ContainsFunc(fields, func(f string) bool { return strings.EqualFold(f, key) }) {
			continue
		}
		if kept.Len() > 1 {
			kept.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		kept.Write(k)
		kept.WriteByte(':')
		kept.Write(value)
	}
	kept.WriteByte('}')
	var in casework.Input
	if err := json.Unmarshal(kept.Bytes(), &in); err != nil {
		t.Fatalf("own fields %s: %v", kept.Bytes(), err)
	}
	return in
}

// checkApplied asserts what the rules demand of an accepted body.
func checkApplied(t *testing.T, action casework.Action, in casework.Input, target applyTarget, before, c *casework.Case, ev *casework.Event) {
	t.Helper()
	row, ok := rowIn(action, before.Kind, target.a, before.State)
	if !ok {
		t.Fatalf("%s succeeded in %s where the table has no row", action, before.State)
	}
	want := row.To
	if want == "" {
		want = before.State
	}
	if c.State != want || ev.Type != action || ev.From != before.State || ev.To != c.State {
		t.Fatalf("%s: state %s, event %s %s→%s; want %s→%s", action, c.State, ev.Type, ev.From, ev.To, before.State, want)
	}
	var details map[string]any
	if err := json.Unmarshal(ev.Details, &details); err != nil {
		t.Fatalf("%s: event details %q: %v", action, ev.Details, err)
	}
	reason, _ := details["reason"].(string)
	if reason != strings.TrimSpace(reason) || utf8.RuneCountInString(reason) > 1000 {
		t.Fatalf("%s recorded the reason %q", action, reason)
	}
	needsReason := func(why string) {
		if reason == "" {
			t.Fatalf("%s accepted without a reason (%s): %+v", action, why, in)
		}
	}
	for key := range details {
		if key == "prerequisite" && !target.a.System {
			t.Fatalf("%s by %s recorded a prerequisite, which only the system names: %v", action, target.a.Role, details)
		}
	}

	switch action {
	case casework.ActReturn:
		codes := stringsOf(details["corrections"])
		if len(codes) == 0 && reason == "" {
			t.Fatalf("return accepted with neither materials nor a reason")
		}
		checkCodes(t, action, codes, c)
		for code, why := range in.CorrectionReasons {
			if why = strings.TrimSpace(why); why != "" && (!slices.Contains(codes, code) || utf8.RuneCountInString(why) > 200) {
				t.Fatalf("return accepted the reason %q for %q", why, code)
			}
		}
		for _, code := range codes {
			if strings.TrimSpace(in.CorrectionReasons[code]) == "" {
				needsReason("a material without its own reason")
			}
		}
	case casework.ActResubmit:
		checkCodes(t, action, stringsOf(details["materials"]), c)
		if len(in.Materials) == 0 {
			t.Fatalf("resubmit accepted without materials")
		}
	case casework.ActSupply:
		codes := stringsOf(details["materials"])
		checkCodes(t, action, codes, c)
		for _, code := range codes {
			if before.Materials[materialIndex(before, code)].Status != casework.Deferred {
				t.Fatalf("supply accepted %s, which was not deferred", code)
			}
		}
		if len(codes) == 0 {
			t.Fatalf("supply accepted without materials")
		}
	case casework.ActPause:
		if !slices.Contains(casework.PauseTypes, in.PauseType) {
			t.Fatalf("pause accepted the type %q", in.PauseType)
		}
		needsReason("pause")
	case casework.ActExtend:
		if in.Days < 1 || in.Days > casework.MaxExtensionDays {
			t.Fatalf("extend accepted %d days", in.Days)
		}
		needsReason("extend")
	case casework.ActRejectExtension, casework.ActRefuseResult, casework.ActWithdraw, casework.ActTerminate:
		needsReason(string(action))
	case casework.ActDecide:
		if c.Outcome != casework.Approve && c.Outcome != casework.Deny {
			t.Fatalf("decide accepted the outcome %q", in.Outcome)
		}
		if c.Outcome == casework.Deny {
			needsReason("a denial")
		}
		if d := c.ResultDocument; d == "" || d != strings.TrimSpace(d) || utf8.RuneCountInString(d) > 200 {
			t.Fatalf("decide accepted the result document %q", d)
		}
	case casework.ActSubmitResult:
		for _, s := range c.CollectItems {
			if s == "" || s != strings.TrimSpace(s) || utf8.RuneCountInString(s) > 100 {
				t.Fatalf("submit-result accepted the item to collect %q", s)
			}
		}
	case casework.ActDeliver:
		signer, _ := details["signer"].(string)
		if signer == "" || signer != strings.TrimSpace(signer) || utf8.RuneCountInString(signer) > 100 {
			t.Fatalf("deliver accepted the signer %q", signer)
		}
		number := identity.NormalizeResidentID(in.SignerIDNumber)
		if in.SignerIDType != identity.ResidentID {
			number = strings.ToUpper(strings.TrimSpace(in.SignerIDNumber))
			if in.SignerIDType == identity.CreditCode {
				number = identity.NormalizeCreditCode(in.SignerIDNumber)
			}
		}
		if err := identity.Validate(in.SignerIDType, number); err != nil {
			t.Fatalf("deliver accepted the signer's ID %q %q: %v", in.SignerIDType, in.SignerIDNumber, err)
		}
		if len(number) >= 8 && strings.Contains(string(ev.Details), number) {
			t.Fatalf("deliver recorded the signer's ID number unmasked: %s", ev.Details)
		}
	case casework.ActMail:
		if c.Carrier == "" || c.Carrier != strings.TrimSpace(c.Carrier) || utf8.RuneCountInString(c.Carrier) > 50 {
			t.Fatalf("mail accepted the carrier %q", c.Carrier)
		}
		if n := len(c.Tracking); n < 6 || n > 40 || strings.ContainsFunc(c.Tracking, unicode.IsSpace) {
			t.Fatalf("mail accepted the tracking number %q", c.Tracking)
		}
	case casework.ActFailPreReview:
		reasons := 0
		for code, why := range in.CorrectionReasons {
			if why = strings.TrimSpace(why); why != "" {
				reasons++
				if materialIndex(c, code) < 0 || utf8.RuneCountInString(why) > 200 {
					t.Fatalf("fail-prereview accepted the reason %q for %q", why, code)
				}
			}
		}
		if reasons == 0 {
			needsReason("no reason per material")
		}
	case casework.ActResubmitOnline:
		if len(in.Files) == 0 {
			t.Fatalf("resubmit-online accepted no files")
		}
		for code, files := range in.Files {
			i := materialIndex(c, code)
			if i < 0 || len(files) > casework.MaxFilesPerMaterial || (c.Materials[i].PaperOnly && len(files) > 0) ||
				(c.Materials[i].Required && len(files) == 0) {
				t.Fatalf("resubmit-online accepted %d file(s) for %q", len(files), code)
			}
		}
	case casework.ActOpen:
		if !slices.Contains(before.WaitingFor, in.Prerequisite) || slices.Contains(c.WaitingFor, in.Prerequisite) {
			t.Fatalf("open accepted the prerequisite %q of a case waiting for %v", in.Prerequisite, before.WaitingFor)
		}
	}
}

// checkCodes fails unless codes are distinct materials of the case.
func checkCodes(t *testing.T, action casework.Action, codes []string, c *casework.Case) {
	t.Helper()
	seen := map[string]bool{}
	for _, code := range codes {
		if materialIndex(c, code) < 0 || seen[code] {
			t.Fatalf("%s accepted the materials %q: each must be a distinct material of the handbook", action, codes)
		}
		seen[code] = true
	}
}

func materialIndex(c *casework.Case, code string) int {
	return slices.IndexFunc(c.Materials, func(m casework.CaseMaterial) bool { return m.Code == code })
}

func stringsOf(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
