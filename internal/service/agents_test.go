package service_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
)

// TestAgentsActForApplicants follows an agent (代办员, R18) acting on
// applicants' mandates: in scope, until the last day, until revoked; what
// the agent may read; and collecting a result for an applicant.
func TestAgentsActForApplicants(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 10:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		agent := h.as["daiban"]
		p, pc := h.applicant(t, residentPhone, resident(residentName, residentIDCard))
		q, qc := h.applicant(t, "13700000002", resident("王芳", residentID(8)))
		r, rc := h.applicant(t, otherPhone, company(otherCompany, otherCredit))

		// What a mandate must be.
		for _, tc := range []struct {
			name  string
			in    service.AuthorisationInput
			field string
		}{
			{"a clerk as agent", service.AuthorisationInput{Agent: "shouli", Until: "2026-10-09"}, "agent"},
			{"an unknown agent", service.AuthorisationInput{Agent: "nobody", Until: "2026-10-09"}, "agent"},
			{"no last day", service.AuthorisationInput{Agent: "daiban"}, "until"},
			{"a last day gone", service.AuthorisationInput{Agent: "daiban", Until: "2026-09-29"}, "until"},
			{"more than a year", service.AuthorisationInput{Agent: "daiban", Until: "2027-10-01"}, "until"},
			{"a bad date", service.AuthorisationInput{Agent: "daiban", Until: "9.10.2026"}, "until"},
			{"an unknown item", service.AuthorisationInput{Agent: "daiban", Until: "2026-10-09", Items: []string{"NOPE-001"}}, "items"},
		} {
			_, err := h.svc.Authorise(pc, tc.in)
			wantErr(t, tc.name, err, apperr.Invalid, tc.field)
		}
		_, err := h.svc.Authorise(agent, service.AuthorisationInput{Agent: "daiban", Until: "2026-10-09"})
		wantErr(t, "an agent authorises themself", err, apperr.Unauthorized, "")

		_, err = h.svc.Authorise(pc, service.AuthorisationInput{Agent: " daiban ", Until: "2026-10-09"})
		wantErr(t, "an agent's username with blanks", err, apperr.Invalid, "agent")
		m1, err := h.svc.Authorise(pc, service.AuthorisationInput{Agent: "daiban", Items: []string{"CGJ-XK-003"}, Until: "2026-10-09"})
		if err != nil {
			t.Fatalf("authorise: %v", err)
		}
		if m1.ID == 0 || m1.Agent != "daiban" || m1.AgentName != "孙磊" || m1.Applicant != residentName || m1.Until.String() != "2026-10-09" || !slices.Equal(m1.Items, []string{"CGJ-XK-003"}) {
			t.Errorf("mandate %+v", m1)
		}
		if _, err := h.svc.Authorise(qc, service.AuthorisationInput{Agent: "daiban", Items: []string{"GHZY-XK-002"}, Until: "2026-12-31"}); err != nil {
			t.Fatal(err)
		}

		// The agent applies for P, in P's name.
		v, err := h.svc.SubmitOnline(agent, service.OnlineDraft{ItemCode: "CGJ-XK-003", AccountID: p.ID, Files: h.files(t, agent, "CGJ-XK-003")})
		if err != nil {
			t.Fatalf("the agent applies for P: %v", err)
		}
		byAgent := v.Case.Number
		c := v.Case
		if c.AgentUser != "daiban" || c.AccountID != p.ID || c.Applicant.Name != residentName || c.Applicant.Phone != residentPhone ||
			c.HallCode != demo.BinheHall || c.State != casework.Submitted {
			t.Errorf("the agent's case: agent %q account %d applicant %q %q hall %q state %s",
				c.AgentUser, c.AccountID, c.Applicant.Name, c.Applicant.Phone, c.HallCode, c.State)
		}
		va := h.caseAs(t, agent, byAgent)
		ev, det := lastEvent(t, va)
		if ev.Type != casework.ActSubmit || ev.Actor != "daiban" || ev.Role != string(org.RoleAgent) || ev.Desk != "web:agent" || det["on_behalf_of"] != residentName {
			t.Errorf("submission event %s by %s (%s) at %s, details %v", ev.Type, ev.Actor, ev.Role, ev.Desk, det)
		}
		if _, err := h.svc.Case(pc, byAgent); err != nil {
			t.Errorf("P reads the case the agent made: %v", err)
		}
		if notes, _ := h.st.CaseNotifications(t.Context(), byAgent); len(notes) != 1 || notes[0].Recipient != residentPhone || notes[0].AccountID != p.ID {
			t.Errorf("the submission notice goes to %+v, want P", notes)
		}

		// Not for an item out of scope, nor for an applicant without a
		// mandate, nor with no applicant named.
		_, err = h.svc.SubmitOnline(agent, service.OnlineDraft{ItemCode: "GHZY-XK-002", AccountID: p.ID, Files: h.files(t, agent, "GHZY-XK-002")})
		wantErr(t, "an item out of scope", err, apperr.Forbidden, "")
		if !strings.Contains(apperr.MessageOf(err), "GHZY-XK-002") {
			t.Errorf("the refusal does not name the item: %v", err)
		}
		_, err = h.svc.SubmitOnline(agent, service.OnlineDraft{ItemCode: "CGJ-XK-003", AccountID: q.ID, Files: h.files(t, agent, "CGJ-XK-003")})
		wantErr(t, "Q's mandate covers another item", err, apperr.Forbidden, "")
		if !strings.Contains(apperr.MessageOf(err), "CGJ-XK-003") {
			t.Errorf("the refusal does not name the item: %v", err)
		}
		_, err = h.svc.SubmitOnline(agent, service.OnlineDraft{ItemCode: "CGJ-XK-003", AccountID: r.ID, Files: h.files(t, agent, "CGJ-XK-003")})
		wantErr(t, "an applicant without a mandate", err, apperr.Forbidden, "")
		_, err = h.svc.SubmitOnline(agent, service.OnlineDraft{ItemCode: "CGJ-XK-003", Files: h.files(t, agent, "CGJ-XK-003")})
		wantErr(t, "no applicant named", err, apperr.Forbidden, "")

		// What the agent reads: P's own case (the mandate covers it), not
		// Q's (the mandate covers another item) nor R's (none).
		own := h.submit(t, pc, service.OnlineDraft{ItemCode: "CGJ-XK-003"}).Case.Number
		own2 := h.submit(t, pc, service.OnlineDraft{ItemCode: "CGJ-XK-003"}).Case.Number
		qCase := h.submit(t, qc, service.OnlineDraft{ItemCode: "CGJ-XK-003"}).Case.Number
		rCase := h.submit(t, rc, service.OnlineDraft{ItemCode: "CGJ-XK-003"}).Case.Number
		if v, err := h.svc.Case(agent, own); err != nil || v.Case.Applicant.IDNumber != identity.Mask(residentIDCard) {
			t.Errorf("the agent reads P's case: %v", err)
		}
		for _, n := range []string{qCase, rCase} {
			_, err := h.svc.Case(agent, n)
			wantErr(t, "the agent reads another applicant's case", err, apperr.NotFound, "") // not there (issue 10, defect 12)
		}
		mine, err := h.svc.MyCases(agent)
		if err != nil {
			t.Fatal(err)
		}
		var numbers []string
		for _, v := range mine {
			numbers = append(numbers, v.Case.Number)
		}
		slices.Sort(numbers)
		if want := []string{byAgent, own, own2}; !slices.Equal(numbers, want) {
			t.Errorf("the agent's cases %q, want %q", numbers, want)
		}
		ms, err := h.svc.Authorisations(agent)
		if err != nil || len(ms) != 3 { // P's, Q's and the demo company's
			t.Errorf("the agent's mandates: %v, %d", err, len(ms))
		}
		ms, err = h.svc.Authorisations(pc)
		if err != nil || len(ms) != 1 || ms[0].ID != m1.ID {
			t.Errorf("P's mandates: %v %+v", err, ms)
		}
		_, err = h.svc.Authorisations(h.as["shouli"])
		wantErr(t, "mandates for a clerk", err, apperr.Forbidden, "")

		// Collecting the result for an applicant.
		h.at("2026-10-08 09:00")
		for _, n := range []string{own, own2, qCase} {
			h.walk(t, n, "chengguan", casework.ActAccept, casework.ActDecide, casework.ActSubmitResult, casework.ActAcceptResult)
		}
		collect := casework.Input{Signer: "孙磊", SignerIDType: identity.ResidentID, SignerIDNumber: residentID(9), AgentUser: "daiban"}
		_, err = h.svc.Act(h.as["chujian"], qCase, casework.ActDeliver, collect, 0)
		wantErr(t, "the agent collects without a mandate for the item", err, apperr.Invalid, "agent_user")
		if v := h.caseAs(t, h.as["chujian"], qCase); v.Case.State != casework.ResultReady {
			t.Errorf("a refused pickup changed the case to %s", v.Case.State)
		}
		if _, err := h.svc.Act(h.as["chujian"], own, casework.ActDeliver, collect, 0); err != nil {
			t.Fatalf("the agent collects P's result: %v", err)
		}
		vo := h.caseAs(t, pc, own)
		ev, det = lastEvent(t, vo)
		if vo.Case.State != casework.Delivered || ev.Type != casework.ActDeliver || det["agent"] != "daiban" || det["for"] != residentName || det["signer"] != "孙磊" {
			t.Errorf("delivery to the agent: %s, event %s %v", vo.Case.State, ev.Type, det)
		}
		// An agent whose account was deactivated collects nothing more.
		t.Run("a deactivated agent collects", func(t *testing.T) {
			if err := h.svc.SetActive(h.as["admin"], "daiban", false); err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := h.svc.SetActive(h.as["admin"], "daiban", true); err != nil {
					t.Fatal(err)
				}
			}()
			_, err := h.svc.Act(h.as["chujian"], own2, casework.ActDeliver, collect, 0)
			wantErr(t, "a deactivated agent collects", err, apperr.Invalid, "agent_user")
		})
		tl, err := h.svc.CaseTimeline(pc, own)
		if err != nil || !slices.ContainsFunc(tl.Entries, func(e service.TimelineEntry) bool {
			return e.Text == "您授权的代办员代您领取了办理结果。"
		}) {
			t.Errorf("P's timeline does not tell the agent collected: %v %+v", err, tl)
		}

		// After the last day the mandate is over.
		h.at("2026-10-10 09:00")
		_, err = h.svc.SubmitOnline(agent, service.OnlineDraft{ItemCode: "CGJ-XK-003", AccountID: p.ID, Files: h.files(t, agent, "CGJ-XK-003")})
		wantErr(t, "after the last day", err, apperr.Forbidden, "")
		if !strings.Contains(apperr.MessageOf(err), "到期") {
			t.Errorf("the refusal does not say the mandate ended: %v", err)
		}
		_, err = h.svc.Case(agent, own)
		wantErr(t, "the agent reads P's case after the mandate", err, apperr.NotFound, "") // no longer his to see: not there
		if _, err := h.svc.Case(agent, byAgent); err != nil {
			t.Errorf("the agent reads the case he applied for: %v", err)
		}
		_, err = h.svc.Act(agent, byAgent, casework.ActWithdraw, casework.Input{Reason: "代为撤回"}, 0)
		wantErr(t, "the agent withdraws after the mandate", err, apperr.Forbidden, "")
		if mine, err := h.svc.MyCases(agent); err != nil || len(mine) != 1 || mine[0].Case.Number != byAgent {
			t.Errorf("the agent's cases after the mandate ended: %v, %d", err, len(mine))
		}

		// Renewed for every item, then revoked.
		m2, err := h.svc.Authorise(pc, service.AuthorisationInput{Agent: "daiban", Until: "2026-10-20"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.SubmitOnline(agent, service.OnlineDraft{ItemCode: "GHZY-XK-002", AccountID: p.ID, Files: h.files(t, agent, "GHZY-XK-002")}); err != nil {
			t.Fatalf("the agent applies under the renewed mandate: %v", err)
		}
		wantErr(t, "Q revokes P's mandate", h.svc.RevokeAuthorisation(qc, m2.ID), apperr.NotFound, "")
		if err := h.svc.RevokeAuthorisation(pc, m2.ID); err != nil {
			t.Fatalf("revoke: %v", err)
		}
		wantErr(t, "revoke twice", h.svc.RevokeAuthorisation(pc, m2.ID), apperr.NotFound, "")
		_, err = h.svc.SubmitOnline(agent, service.OnlineDraft{ItemCode: "GHZY-XK-002", AccountID: p.ID, Files: h.files(t, agent, "GHZY-XK-002")})
		wantErr(t, "after revocation", err, apperr.Forbidden, "")
		ms, _ = h.svc.Authorisations(pc)
		if len(ms) != 2 || ms[0].ID != m2.ID || ms[0].RevokedAt.IsZero() || !ms[1].RevokedAt.IsZero() {
			t.Errorf("P's mandates after revoking: %+v", ms)
		}
	})
}
