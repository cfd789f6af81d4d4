package service_test

import (
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/service"
)

// TestDeadlinePolicyUseCases: only the bureau admin publishes, a refused
// edit writes nothing, and every way a case is made — desk intake, a
// bundle's members, an online submission — takes the version in force,
// while a case made before keeps its own through later steps.
func TestDeadlinePolicyUseCases(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 11:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		edit := service.PolicyEdit{BaseVersion: 1, AcceptDays: 3, PreReviewDays: 3, CorrectDays: 2, ArchiveDays: 2,
			Split: "13:00", HandoverSameDay: "16:30", HandoverNextDay: "09:30", Note: "按新方案调整"}
		before := h.submit(t, h.demo, service.OnlineDraft{ItemCode: "SCJG-XK-001"})
		sameTime(t, "prereview_by under version 1", before.Case.Deadlines.PreReviewBy, "2026-10-09 17:00")

		for _, who := range []string{"shouli", "bumen", "jiandu", "anonymous"} {
			if _, err := h.svc.PublishDeadlinePolicy(h.as[who], edit); err == nil || !(apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.Unauthorized)) {
				t.Errorf("%s publishes: %v; want refused", who, err)
			}
		}
		bad := edit
		bad.Split, bad.ArchiveDays = "午时", 0
		_, err := h.svc.PublishDeadlinePolicy(h.as["admin"], bad)
		wantErr(t, "an unreadable split and no archiving days", err, apperr.Invalid, "split")
		wantFieldErr(t, err, "archive_days", "归档期限须为 1 至 10 个工作日")
		if cur, err := h.svc.DeadlinePolicy(h.as["anonymous"]); err != nil || cur.Version != 1 {
			t.Fatalf("after refusals the policy in force is %+v, %v", cur, err)
		}

		p, err := h.svc.PublishDeadlinePolicy(h.as["admin"], edit)
		if err != nil || p.Version != 2 {
			t.Fatalf("publish: %+v, %v", p, err)
		}
		// The desks state the limits of the policy in force.
		for desk, want := range map[service.Desk]string{service.DeptDesk: "收件后 3 个工作日内受理", service.IssuanceDesk: "部门须 2 个工作日内更正"} {
			who := map[service.Desk]string{service.DeptDesk: "shenpi", service.IssuanceDesk: "chujian"}[desk]
			page, err := h.svc.DeskCases(h.as[who], desk, "", "")
			if err != nil {
				t.Fatalf("%s desk: %v", desk, err)
			}
			if !strings.Contains(page.Tab.Hint, want) || strings.Contains(page.Tab.Hint, "{") {
				t.Errorf("%s desk's hint after publishing: %q, want %q", desk, page.Tab.Hint, want)
			}
		}
		all, err := h.svc.DeadlinePolicies(h.as["jiandu"])
		if err != nil || len(all) != 2 || all[0].Version != 2 || all[0].PublisherName != "刘志强" {
			t.Errorf("versions as the supervisor: %+v, %v", all, err)
		}

		// Online, after version 2: three working days to pre-review.
		after := h.submit(t, h.demo, service.OnlineDraft{ItemCode: "SCJG-XK-001"})
		if after.Case.Policy != *p {
			t.Errorf("online case after publishing keeps %+v", after.Case.Policy)
		}
		sameTime(t, "prereview_by under version 2", after.Case.Deadlines.PreReviewBy, "2026-10-10 17:00")
		// A bundle taken in at the desk: every member keeps version 2.
		v, err := h.svc.IntakeBundle(h.as["shouli"], restaurantIntake(t, h))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range v.Cases {
			if c.Case.Policy.Version != 2 {
				t.Errorf("bundle member %s keeps policy version %d", c.Case.ItemCode, c.Case.Policy.Version)
			}
			if !c.Case.Deadlines.HandoverBy.IsZero() {
				sameTime(t, c.Case.ItemCode+" handover_by (11:00 is morning)", c.Case.Deadlines.HandoverBy, "2026-09-30 16:30")
			}
		}

		// The case submitted before still runs under version 1: failed and
		// corrected after the holiday, it gets two working days again, the
		// later one three.
		h.at("2026-10-08 09:00")
		files := h.files(t, h.demo, "SCJG-XK-001")
		for _, n := range []string{before.Case.Number, after.Case.Number} {
			if _, err := h.svc.Act(h.as["shenpi"], n, casework.ActFailPreReview, casework.Input{Reason: "营业执照扫描件不清晰"}, 0); err != nil {
				t.Fatal(err)
			}
		}
		again, err := h.svc.ResubmitOnline(h.demo, before.Case.Number, map[string][]casework.FileRef{"M01": files["M01"]}, 0)
		if err != nil {
			t.Fatal(err)
		}
		sameTime(t, "prereview_by of the earlier case, resubmitted", again.Case.Deadlines.PreReviewBy, "2026-10-10 17:00")
		again, err = h.svc.ResubmitOnline(h.demo, after.Case.Number, map[string][]casework.FileRef{"M01": files["M01"]}, 0)
		if err != nil {
			t.Fatal(err)
		}
		sameTime(t, "prereview_by of the later case, resubmitted", again.Case.Deadlines.PreReviewBy, "2026-10-12 17:00")
	})
}
