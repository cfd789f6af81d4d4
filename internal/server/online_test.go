package server_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/service"
)

// onlineCaseBody is a case as the API shows it, with its pre-review.
type onlineCaseBody struct {
	caseBody
	Channel   string
	PreReview *struct {
		Passed  bool
		Reason  string
		Reasons map[string]string
	} `json:"pre_review"`
}

// onlineApplicant registers an applicant on the desk's service, as the
// online hall does, with the company of the case tests as its profile;
// it returns the signed-in context.
func onlineApplicant(t *testing.T, d *caseDesk, phone string) context.Context {
	t.Helper()
	ctx := context.Background()
	if err := d.svc.SendCode(ctx, phone, applicant.Register); err != nil {
		t.Fatalf("send code: %v", err)
	}
	m, _ := d.svc.Sender().(*notify.Log).Last(phone)
	code := regexp.MustCompile(`\d{6}`).FindString(m.Body)
	acc, err := d.svc.Register(ctx, service.Registration{Phone: phone, Code: code, Password: "Window2026hall"})
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	me := service.WithAccount(ctx, acc)
	p := applicant.Profile{Kind: casework.Entity, Name: "江川区味来餐饮管理有限公司", IDType: identity.CreditCode, IDNumber: companyCode}
	if _, err := d.svc.UpdateProfile(me, p, acc.Version); err != nil {
		t.Fatalf("profile: %v", err)
	}
	if acc, err = d.svc.AccountByID(ctx, acc.ID); err != nil {
		t.Fatal(err)
	}
	return service.WithRequest(service.WithAccount(ctx, acc), service.Request{ID: "t", Channel: "web"})
}

// submitFoodLicence applies online for SCJG-XK-001 with a PDF for every
// required material.
func submitFoodLicence(t *testing.T, d *caseDesk, me context.Context) string {
	t.Helper()
	files := map[string][]casework.FileRef{}
	for _, m := range requiredMaterials(t, "SCJG-XK-001") {
		content := []byte("%PDF-1.4\n%" + m.Code + "\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		f, err := d.svc.UploadFile(me, m.Code+".pdf", bytes.NewReader(content))
		if err != nil {
			t.Fatalf("upload %s: %v", m.Code, err)
		}
		files[m.Code] = []casework.FileRef{f}
	}
	v, err := d.svc.SubmitOnline(me, service.OnlineDraft{ItemCode: "SCJG-XK-001", Files: files})
	if err != nil {
		t.Fatalf("submit online: %v", err)
	}
	return v.Case.Number
}

// TestOnlineApplicationsThroughTheAPI: a department pre-reviews online
// applications through the API (R13), and the intake desk completes a
// passed one.
func TestOnlineApplicationsThroughTheAPI(t *testing.T) {
	eachDesk(t, "2026-09-30T15:00:00+08:00", func(t *testing.T, d *caseDesk) {
		blobs, err := blob.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		d.svc.Use(blobs, nil)
		me := onlineApplicant(t, d, "13900000009")
		failing := submitFoodLicence(t, d, me)
		passing := submitFoodLicence(t, d, me)

		// While submitted: the pre-review deadline, and what SCJG's
		// reviewer may do.
		c := decodeAs[onlineCaseBody](t, d.get(t, "shenpi", "/api/v1/cases/"+failing))
		if c.State != casework.Submitted || c.Channel != "online" || c.Deadlines["prereview_by"] != "2026-10-09T17:00:00+08:00" || !c.running("prereview_by") {
			t.Errorf("submitted case: %s %s, deadlines %v, running %+v", c.State, c.Channel, c.Deadlines, c.OpenDeadlines)
		}
		if want := []string{"pass-prereview", "fail-prereview"}; !slices.Equal(c.AllowedActions, want) {
			t.Errorf("shenpi is offered %q, want %q", c.AllowedActions, want)
		}
		if len(c.Events) != 1 || c.Events[0].Type != "submit" || c.Events[0].To != "submitted" {
			t.Errorf("events %+v", c.Events)
		}
		if got := d.caseOf(t, "shouli", failing).AllowedActions; len(got) != 0 {
			t.Errorf("the intake desk is offered %q before the pre-review", got)
		}
		// GHZY's reviewer neither reads nor pre-reviews SCJG's case.
		wantRefusal(t, d.get(t, "shenpi2", "/api/v1/cases/"+failing), http.StatusForbidden, "forbidden")
		for _, action := range []casework.Action{casework.ActPassPreReview, casework.ActFailPreReview} {
			wantRefusal(t, d.act(t, "shenpi2", failing, action, casework.Input{Reason: "越权"}), http.StatusForbidden, "forbidden")
		}
		wantRefusal(t, d.act(t, "shouli", failing, casework.ActPassPreReview, casework.Input{}), http.StatusForbidden, "forbidden")
		p := wantRefusal(t, d.act(t, "shouli", failing, casework.ActCompleteIntake, casework.Input{}), http.StatusConflict, "conflict")
		if p.State != "submitted" {
			t.Errorf("409 names state %q", p.State)
		}
		wantRefusal(t, d.act(t, "shouli", failing, casework.ActResubmitOnline, casework.Input{}), http.StatusForbidden, "forbidden")
		before := d.caseOf(t, "admin", failing)

		// Failed with a reason per material.
		d.at("2026-10-08T10:00:00+08:00")
		r := d.act(t, "shenpi", failing, casework.ActFailPreReview, map[string]any{"correction_reasons": map[string]string{"M99": "不存在的材料"}})
		wantRefusal(t, r, http.StatusUnprocessableEntity, "invalid")
		sameAs(t, before, d.caseOf(t, "admin", failing), "fail naming a material outside the handbook")
		r = d.act(t, "shenpi", failing, casework.ActFailPreReview, map[string]any{
			"reason": "申请材料需修改", "correction_reasons": map[string]string{"M01": "申请书未加盖公章"},
		})
		mustStatus(t, r, http.StatusOK)
		if got := decodeAs[onlineCaseBody](t, r); got.State != casework.RejectedOnline || got.PreReview == nil || got.PreReview.Passed ||
			got.PreReview.Reasons["M01"] != "申请书未加盖公章" || got.PreReview.Reason != "申请材料需修改" {
			t.Errorf("after failing: %s %+v", got.State, got.PreReview)
		}
		c = decodeAs[onlineCaseBody](t, d.get(t, "shenpi", "/api/v1/cases/"+failing))
		last := c.Events[len(c.Events)-1]
		if last.Type != "fail-prereview" || last.Actor != "shenpi" || last.To != "rejected_online" || last.Details["on_time"] != true {
			t.Errorf("last event %+v", last)
		}
		if reasons, _ := last.Details["correction_reasons"].(map[string]any); reasons["M01"] != "申请书未加盖公章" {
			t.Errorf("event details %v", last.Details)
		}
		if c.running("prereview_by") || len(c.AllowedActions) != 0 {
			t.Errorf("after failing: running %+v, offered %q", c.OpenDeadlines, c.AllowedActions)
		}

		// The agent the applicant authorised may resubmit it, but only
		// with files that were uploaded: the API is no way around the
		// online hall's file checks.
		if _, err := d.svc.Authorise(me, service.AuthorisationInput{Agent: "daiban", Until: "2026-12-31"}); err != nil {
			t.Fatal(err)
		}
		if got := d.caseOf(t, "daiban", failing).AllowedActions; !slices.Contains(got, "resubmit-online") {
			t.Errorf("the authorised agent is offered %q", got)
		}
		t.Run("resubmit-online with a file never uploaded", func(t *testing.T) {
			ghost := strings.Repeat("0", 64)
			r := d.act(t, "daiban", failing, casework.ActResubmitOnline, map[string]any{"files": map[string]any{
				"M01": []map[string]any{{"name": "M01.pdf", "type": "application/pdf", "size": 10, "sha256": ghost, "key": "2026/10/08/" + ghost}},
			}})
			if r.status == http.StatusOK {
				t.Errorf("accepted a file that was never uploaded: %s", r.body)
				return
			}
			wantRefusal(t, r, http.StatusUnprocessableEntity, "invalid")
		})

		// Passed, then the paper taken in at the window in the morning.
		c = decodeAs[onlineCaseBody](t, d.get(t, "shenpi", "/api/v1/cases/"+passing))
		r = d.act(t, "shenpi", passing, casework.ActPassPreReview, map[string]any{"reason": "电子材料齐全", "version": c.Version})
		mustStatus(t, r, http.StatusOK)
		if got := decodeAs[onlineCaseBody](t, r); got.State != casework.Submitted || got.PreReview == nil || !got.PreReview.Passed || got.Version != c.Version+1 {
			t.Errorf("after passing: %s %+v v%d", got.State, got.PreReview, got.Version)
		}
		wantRefusal(t, d.act(t, "shenpi", passing, casework.ActFailPreReview, casework.Input{Reason: "改主意了"}), http.StatusConflict, "conflict")
		if got := d.caseOf(t, "shouli", passing).AllowedActions; !slices.Equal(got, []string{"complete-intake"}) {
			t.Errorf("the intake desk is offered %q after the pass", got)
		}
		d.at("2026-10-08T10:30:00+08:00")
		got := d.mustAct(t, "shouli", passing, casework.ActCompleteIntake, nil)
		if got.State != casework.Received {
			t.Fatalf("after intake: %s", got.State)
		}
		wantDeadlines(t, got, map[string]string{
			"prereview_by": "2026-10-09T17:00:00+08:00",
			"accept_by":    "2026-10-10T17:00:00+08:00", // 10-09, then Saturday 10-10 (a working day)
			"handover_by":  "2026-10-08T15:00:00+08:00", // taken in before 12:00
		})
		if !got.running("accept_by") || !got.running("handover_by") || got.running("prereview_by") {
			t.Errorf("running after intake: %+v", got.OpenDeadlines)
		}
		if !slices.ContainsFunc(got.Documents, func(doc struct{ Kind string }) bool { return doc.Kind == "receipt_notice" }) {
			t.Errorf("no receipt notice: %+v", got.Documents)
		}
		if !slices.Contains(d.caseOf(t, "shenpi", passing).AllowedActions, "accept") {
			t.Errorf("the reviewer may not accept the case taken in")
		}
		wantRefusal(t, d.act(t, "shouli", passing, casework.ActCompleteIntake, casework.Input{}), http.StatusConflict, "conflict")
	})
}
