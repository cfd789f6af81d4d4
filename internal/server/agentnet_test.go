package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/service"
)

// TestAgentNetworkAPI: through the API, the street agent's intake through
// him puts the case on his work list with his next step and the deadline
// in Beijing time; the reminder sweep tells him on the working day before
// (the National Day eve for a deadline after it); he writes his service
// log; the street's agent manager hands the applicant to another agent
// and is refused outside the team; a clerk has no work list.
func TestAgentNetworkAPI(t *testing.T) {
	eachDesk(t, "2026-09-29T10:00:00+08:00", func(t *testing.T, d *caseDesk) {
		if err := d.svc.LoadDemoAgentIntakes(service.AsSystem(t.Context()), demo.AgentIntakes()); err != nil {
			t.Fatal(err)
		}
		in := foodLicence("M04")
		in.AgentUser = "daiban"
		c := d.take(t, in) // taken in by shouli at the district hall, through 孙磊

		r := d.get(t, "daiban", "/api/v1/agent/worklist")
		mustStatus(t, r, http.StatusOK)
		wl := decodeAs[service.AgentWorkList](t, r)
		if len(wl.Cases) != 1 || wl.Cases[0].Number != c.Number || !wl.Cases[0].Next.Act ||
			!strings.Contains(wl.Cases[0].Next.Words, "补齐容缺材料") || wl.AgentName != "孙磊" {
			t.Fatalf("work list %+v", wl)
		}
		if !strings.Contains(string(r.body), `"accept_by"`) || !strings.Contains(string(r.body), "+08:00") {
			t.Errorf("the deadlines are not in Beijing time: %s", r.body)
		}
		mustStatus(t, d.get(t, "shouli", "/api/v1/agent/worklist"), http.StatusForbidden)

		// The reminder: accept_by is 2026-10-08 17:00, reminded from the
		// start of 2026-09-30, once (with the demo's community case's).
		d.at("2026-09-30T08:00:00+08:00")
		for _, want := range []int{2, 0} {
			if n, err := d.svc.SweepAgentReminders(t.Context()); err != nil || n != want {
				t.Fatalf("sweep: %d %v, want %d", n, err, want)
			}
		}
		wl = decodeAs[service.AgentWorkList](t, d.get(t, "daiban", "/api/v1/agent/worklist"))
		if len(wl.Reminders) != 1 || wl.Reminders[0].CaseNumber != c.Number || !strings.Contains(wl.Reminders[0].Text, "受理期限将于 2026-10-08 17:00 截止") {
			t.Errorf("reminders %+v", wl.Reminders)
		}

		// The service log of the demo restaurant, whom 孙磊 carries.
		if len(wl.Applicants) != 1 {
			t.Fatalf("applicants %+v", wl.Applicants)
		}
		acc := wl.Applicants[0].AccountID
		logPath := fmt.Sprintf("/api/v1/agent/applicants/%d/log", acc)
		r = d.post(t, "daiban", logPath, map[string]string{"text": "电话提醒补交规章制度目录"})
		mustStatus(t, r, http.StatusCreated)
		r = d.post(t, "daiban", logPath, map[string]string{"text": ""})
		mustStatus(t, r, http.StatusUnprocessableEntity)
		mustStatus(t, d.post(t, "daiban3", logPath, map[string]string{"text": "电话"}), http.StatusNotFound)
		r = d.get(t, "daibanguanli", fmt.Sprintf("/api/v1/agent/applicants/%d", acc))
		mustStatus(t, r, http.StatusOK)
		if page := decodeAs[service.AgentApplicant](t, r); len(page.Log) != 1 || page.Log[0].AgentName != "孙磊" {
			t.Errorf("the applicant's page %+v", page)
		}

		// Hand-overs.
		mustStatus(t, d.post(t, "daibanguanli", "/api/v1/agent/assignments", map[string]any{"account_id": acc, "agent": "shouli", "reason": "休假"}), http.StatusUnprocessableEntity)
		mustStatus(t, d.post(t, "daiban", "/api/v1/agent/assignments", map[string]any{"account_id": acc, "agent": "daiban2", "reason": "休假"}), http.StatusForbidden)
		r = d.post(t, "daibanguanli", "/api/v1/agent/assignments", map[string]any{"account_id": acc, "agent": "daiban3", "reason": "由社区代办员就近承办"})
		mustStatus(t, r, http.StatusCreated)
		wl = decodeAs[service.AgentWorkList](t, d.get(t, "daiban3", "/api/v1/agent/worklist"))
		if len(wl.Applicants) != 2 {
			t.Errorf("林秀英 carries %+v", wl.Applicants)
		}
		mustStatus(t, d.post(t, "daiban", logPath, map[string]string{"text": "电话"}), http.StatusNotFound)
		team := decodeAs[service.AgentTeam](t, d.get(t, "daibanguanli", "/api/v1/agent/team"))
		if len(team.Assignments) != 1 || team.Assignments[0].ToName != "林秀英" || team.HallName != "江川区滨河街道为民服务中心" {
			t.Errorf("team %+v", team)
		}
	})
}
