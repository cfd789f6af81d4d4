package service_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/demo"
	"github.com/onewindow/onewindow/internal/identity"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// renewalApplication is a food licence renewal (SCJG-XK-002, which the
// demo delegates to the street's initial review for 1 working day).
func renewalApplication() casework.Intake {
	in := casework.Intake{ItemCode: "SCJG-XK-002", Channel: casework.AtWindow,
		Applicant: casework.Party{Kind: casework.Entity, Name: progressCompany, IDType: identity.CreditCode, IDNumber: progressCredit, Phone: progressPhone}}
	for _, code := range []string{"M01", "M02", "M03", "M04"} {
		in.Materials = append(in.Materials, casework.MaterialInput{Code: code, Status: casework.Provided})
	}
	return in
}

func eventDetails(t *testing.T, v *service.CaseView, typ casework.Action) map[string]any {
	t.Helper()
	for i := len(v.Events) - 1; i >= 0; i-- {
		if v.Events[i].Type == typ {
			var d map[string]any
			if err := json.Unmarshal(v.Events[i].Details, &d); err != nil {
				t.Fatal(err)
			}
			return d
		}
	}
	t.Fatalf("no %s event", typ)
	return nil
}

// TestInitialReviewAtTheStreet: a delegated item taken in at 滨河街道 on a
// Friday afternoon waits for the street's initial review, due Monday
// 17:00, while R5 still counts from intake; the department is refused
// until the street passes it; another street's reviewer is refused by
// name; the acceptance names both people; a return is reviewed again on
// resubmission; a street without a reviewer, or the district hall, sends
// the case to the department as before.
func TestInitialReviewAtTheStreet(t *testing.T) {
	clk := clock.At(shAt("2026-12-04 16:00:00"))
	storetest.Each(t, clk, func(t *testing.T, st *store.Store) {
		clk.Set(shAt("2026-12-04 16:00:00")) // a Friday
		svc, as := hall(t, st, clk)
		street, reviewer, dept := as["shouli2"], as["chushen"], as["shenpi"]

		// The district hall and a street with no reviewer: no initial review.
		d, err := svc.Intake(as["shouli"], renewalApplication())
		if err != nil || d.Case.InitialReview != nil {
			t.Fatalf("district intake: %v %+v", err, d)
		}
		if err := svc.AddUser(as["admin"], &org.User{Username: "xq-shouli", Name: "林芳", Role: org.RoleIntake, HallCode: demo.XinqiaoHall}, hallPassword); err != nil {
			t.Fatal(err)
		}
		xqClerk := loginAs(t, svc, "xq-shouli")
		x, err := svc.Intake(xqClerk, renewalApplication())
		if err != nil || x.Case.InitialReview != nil {
			t.Fatalf("a street without a reviewer: %v %+v", err, x.Case.InitialReview)
		}

		v, err := svc.Intake(street, renewalApplication())
		if err != nil {
			t.Fatal(err)
		}
		c := v.Case
		if c.InitialReview == nil || c.InitialReview.Hall != demo.BinheHall ||
			!c.Deadlines.InitialReviewBy.Equal(shAt("2026-12-07 17:00:00")) || !c.Deadlines.AcceptBy.Equal(shAt("2026-12-08 17:00:00")) {
			t.Fatalf("street intake: %+v, deadlines %+v", c.InitialReview, c.Deadlines)
		}
		if v.RunningRow("initial_review_by") == nil || v.StateLabel != "已收件（待街道初审）" {
			t.Fatalf("running %+v, state %q", v.Running, v.StateLabel)
		}

		// The department waits.
		_, err = svc.Act(dept, c.Number, casework.ActAccept, casework.Input{}, 0)
		if apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(apperr.MessageOf(err), "江川区滨河街道为民服务中心初审通过后，部门方可受理") {
			t.Fatalf("accept before the initial review: %v", err)
		}
		// The clerk who took it in may not review it.
		_, err = svc.Act(street, c.Number, casework.ActPassInitialReview, casework.Input{}, 0)
		wantErrCode(t, err, apperr.Forbidden)
		// Nor another street's reviewer: both streets named.
		if err := svc.AddUser(as["admin"], &org.User{Username: "xq-chushen", Name: "何丽", Role: org.RoleStreetReviewer, HallCode: demo.DistrictHall}, hallPassword); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("a street reviewer of the district hall: %v", err)
		}
		if err := svc.AddUser(as["admin"], &org.User{Username: "xq-chushen", Name: "何丽", Role: org.RoleStreetReviewer, HallCode: demo.XinqiaoHall}, hallPassword); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Act(loginAs(t, svc, "xq-chushen"), c.Number, casework.ActPassInitialReview, casework.Input{}, 0)
		if msg := apperr.MessageOf(err); apperr.CodeOf(err) != apperr.Forbidden || !strings.Contains(msg, "江川区滨河街道为民服务中心初审") ||
			!strings.Contains(msg, "江川区新桥街道为民服务中心") || strings.Contains(msg, "JC-") {
			t.Fatalf("another street's reviewer: %v", err)
		}

		// The street's work list and desk.
		l, err := svc.InitialReviews(reviewer, "")
		if err != nil || len(l.Pending) != 1 || l.Pending[0].Case.Number != c.Number || l.Hall.Code != demo.BinheHall {
			t.Fatalf("the street's list: %v %+v", err, l)
		}
		if _, err := svc.InitialReviews(reviewer, demo.XinqiaoHall); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("another street's list: %v", err)
		}
		if _, err := svc.InitialReviews(street, ""); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("a clerk's list: %v", err)
		}
		if _, err := svc.InitialReviews(as["admin"], ""); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("the bureau's list without a hall: %v", err)
		}
		if l, err := svc.InitialReviews(as["jiandu"], demo.BinheHall); err != nil || len(l.Pending) != 1 {
			t.Fatalf("a supervisor's list: %v", err)
		}
		w, err := svc.MyWork(reviewer)
		if err != nil || w.Total != 1 || w.Cases[0].Case.Number != c.Number {
			t.Fatalf("the street reviewer's tasks: %v %+v", err, w)
		}

		clk.Set(shAt("2026-12-07 10:00:00"))
		p, err := svc.Act(reviewer, c.Number, casework.ActPassInitialReview, casework.Input{Reason: "材料齐全，原证在有效期内"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if ir := p.Case.InitialReview; ir.ByName != "陈静" || ir.Opinion != "材料齐全，原证在有效期内" || p.Case.State != casework.Received {
			t.Fatalf("after the pass: %+v", ir)
		}
		if l, _ := svc.InitialReviews(reviewer, ""); len(l.Pending) != 0 || len(l.Passed) != 1 {
			t.Fatalf("the list after the pass: %+v", l)
		}
		a, err := svc.Act(dept, c.Number, casework.ActAccept, casework.Input{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		a, _ = svc.Case(dept, c.Number)
		if got := eventDetails(t, a, casework.ActAccept)["initial_review"]; got != "初审：陈静（江川区滨河街道为民服务中心）；受理：王建国" {
			t.Fatalf("the acceptance records %v", got)
		}
		if d := eventDetails(t, a, casework.ActPassInitialReview); d["on_time"] != true {
			t.Fatalf("the pass records %v", d)
		}

		// 初审退回, then resubmission: the street reviews again.
		r, err := svc.Intake(street, renewalApplication())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(reviewer, r.Case.Number, casework.ActReturnInitialReview, casework.Input{}, 0); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("a return without reasons: %v", err)
		}
		ret, err := svc.Act(reviewer, r.Case.Number, casework.ActReturnInitialReview,
			casework.Input{CorrectionReasons: map[string]string{"M04": "声明未签字"}}, 0)
		if err != nil || ret.Case.State != casework.Returned {
			t.Fatalf("the initial return: %v", err)
		}
		clk.Set(shAt("2026-12-08 09:00:00"))
		re, err := svc.Act(street, r.Case.Number, casework.ActResubmit, casework.Input{Materials: []string{"M04"}}, 0)
		if err != nil || !re.Case.InitialReviewPending() || re.Case.InitialReview.Round != 2 ||
			!re.Case.Deadlines.InitialReviewBy.Equal(shAt("2026-12-09 17:00:00")) {
			t.Fatalf("the resubmission: %v %+v", err, re.Case.InitialReview)
		}
		_, err = svc.Act(dept, r.Case.Number, casework.ActAccept, casework.Input{}, 0)
		wantErrCode(t, err, apperr.Conflict) // before the second initial review
	})
}

// TestInitialReviewMarkIsTheBureaus: the bureau admin sets 委托初审 within
// the acceptance days (R5); a department admin's edit keeps it and may not
// change it.
func TestInitialReviewMarkIsTheBureaus(t *testing.T) {
	storetest.Each(t, clock.At(start), func(t *testing.T, st *store.Store) {
		svc, as := hall(t, st, clock.At(start))
		it, err := svc.Item(as["bumen"], "SCJG-XK-002", 0)
		if err != nil || it.InitialReviewDays != 1 {
			t.Fatalf("the demo's mark: %v %d", err, it.InitialReviewDays)
		}
		it.InitialReviewDays = 2
		wantErrCode(t, svc.SaveItem(as["bumen"], it, it.Version), apperr.Forbidden)
		it.InitialReviewDays = 0 // the department's form does not send it
		it.Conditions += "（2026年修订）"
		if err := svc.SaveItem(as["bumen"], it, it.Version); err != nil {
			t.Fatal(err)
		}
		if got, _ := svc.Item(as["admin"], "SCJG-XK-002", 0); got.InitialReviewDays != 1 || got.Version != 2 {
			t.Fatalf("after the department's edit: %d (version %d)", got.InitialReviewDays, got.Version)
		}
		it, _ = svc.Item(as["admin"], "SCJG-XK-002", 0)
		it.InitialReviewDays = 3
		err = svc.SaveItem(as["admin"], it, it.Version)
		if fe := apperr.FieldsOf(err); apperr.CodeOf(err) != apperr.Invalid || len(fe) != 1 || fe[0].Field != "initial_review_days" {
			t.Fatalf("beyond R5: %v", err)
		}
		it.InitialReviewDays = 2
		if err := svc.SaveItem(as["admin"], it, it.Version); err != nil {
			t.Fatal(err)
		}
		if got, _ := svc.Item(as["admin"], "SCJG-XK-002", 0); got.InitialReviewDays != 2 || got.Version != 3 {
			t.Fatalf("the bureau's edit: %d (version %d)", got.InitialReviewDays, got.Version)
		}
		if old, _ := svc.Item(as["admin"], "SCJG-XK-002", 1); old.InitialReviewDays != 1 {
			t.Fatalf("version 1 changed: %d", old.InitialReviewDays)
		}
		instant, _ := svc.Item(as["admin"], "RSJ-GG-001", 0)
		instant.InitialReviewDays = 1
		wantErrCode(t, svc.SaveItem(as["admin"], instant, instant.Version), apperr.Invalid)
	})
}

// loginAs signs in an account added with hallPassword.
func loginAs(t *testing.T, svc *service.Service, username string) context.Context {
	t.Helper()
	u, err := svc.Login(context.Background(), username, hallPassword)
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return service.WithUser(context.Background(), u)
}
