package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
)

// TestAdminPolicy: the bureau admin sees the policy in force, publishes a
// new version through the form (a refused form publishes nothing and keeps
// what was typed), and only the cases taken in afterwards follow it. Other
// roles may not open the page.
func TestAdminPolicy(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		ctx := t.Context()
		admin := h.signIn(t, "admin")
		admin.get("/admin").want(t, http.StatusOK, `href="/admin/policy"`)
		p := admin.get("/admin/policy")
		p.want(t, http.StatusOK, "现行第 1 版", `name="accept_days" value="2"`, `name="split" type="time" value="12:00"`,
			`value="15:00"`, `value="10:00"`, "系统初始", "12:00 前收件的，当日 15:00 前交接", "发布为第 2 版")

		before, err := h.svc.Intake(h.as["shouli"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}

		form := url.Values{"base_version": {"1"}, "accept_days": {"0"}, "prereview_days": {"3"}, "correct_days": {"两"},
			"archive_days": {"2"}, "split": {"13:00"}, "handover_same_day": {"12:30"}, "handover_next_day": {"9:30"}, "note": {"按新方案调整"}}
		p = admin.post("/admin/policy", form)
		p.want(t, http.StatusUnprocessableEntity, "期限规则有误，未发布", `>按新方案调整</textarea>`, `value="两"`)
		p.wantNear(t, `id="accept_days"`, "受理期限须为 1 至 20 个工作日")
		p.wantNear(t, `id="correct_days"`, "结果更正期限须为 1 至 10 个工作日")
		p.wantNear(t, `id="handover_same_day"`, "不能早于上下午分界 13:00")
		if cur, _ := h.svc.DeadlinePolicy(ctx); cur.Version != 1 {
			t.Fatalf("a refused form published version %d", cur.Version)
		}

		form.Set("accept_days", "3")
		form.Set("correct_days", "2")
		form.Set("handover_same_day", "16:30")
		h.clk.Advance(time.Hour)
		p = admin.follow(t, "/admin/policy", form)
		p.want(t, http.StatusOK, "已发布第 2 版期限规则", "现行第 2 版", "刘志强", "按新方案调整",
			"13:00 前收件的，当日 16:30 前交接；13:00 后收件的，下一个工作日 09:30 前交接。", "发布为第 3 版")
		p.wantNot(t, ">admin<")
		cur, err := h.svc.DeadlinePolicy(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := casework.Policy{Version: 2, AcceptDays: 3, PreReviewDays: 3, CorrectDays: 2, ArchiveDays: 2,
			Split: calendar.Clock(13, 0), HandoverSameDay: calendar.Clock(16, 30), HandoverNextDay: calendar.Clock(9, 30)}
		if cur.Policy != want || cur.PublishedBy != "admin" || cur.Note != "按新方案调整" {
			t.Fatalf("published %+v; want %+v", cur, want)
		}

		// A second tab still on version 1 is told, and nothing is written.
		admin.post("/admin/policy", form).want(t, http.StatusConflict, "期限规则已被他人修改（当前为第 2 版，您编辑的是第 1 版）")

		// The case taken in before keeps version 1; a new one takes version 2:
		// on the eve of National Day at 10:00, accept_by is the third working
		// day (Saturday 10-10) and the morning's papers are due at 16:30.
		after, err := h.svc.Intake(h.as["shouli"], foodLicence())
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := h.svc.Case(h.as["shouli"], before.Case.Number); got.Case.DeadlinePolicy().Version != 1 ||
			!got.Case.Deadlines.AcceptBy.Equal(time.Date(2026, 10, 9, 17, 0, 0, 0, clock.Shanghai)) {
			t.Errorf("the earlier case: policy %d, accept_by %s", got.Case.DeadlinePolicy().Version, got.Case.Deadlines.AcceptBy)
		}
		if c := after.Case; c.Policy != want || !c.Deadlines.AcceptBy.Equal(time.Date(2026, 10, 10, 17, 0, 0, 0, clock.Shanghai)) ||
			!c.Deadlines.HandoverBy.Equal(time.Date(2026, 9, 30, 16, 30, 0, 0, clock.Shanghai)) {
			t.Errorf("the new case: policy %+v, accept_by %s, handover_by %s", c.Policy, c.Deadlines.AcceptBy, c.Deadlines.HandoverBy)
		}
		// The receipt notice states the new case's own limit.
		if docs := after.Documents; len(docs) == 0 || !strings.Contains(string(docs[0].Data), "部门将在 3 个工作日内决定是否受理") {
			t.Errorf("the receipt notice of the new case does not state 3 working days")
		}
		// The paper handover desk states the rule in force.
		h.signIn(t, "shenpi").get("/handover").want(t, http.StatusOK, "13:00 前收件的，当日 16:30 前交接")

		// Department admins and supervisors may not open or post the form.
		for _, who := range []string{"bumen", "jiandu", "shouli"} {
			b := h.signIn(t, who)
			b.get("/admin/policy").want(t, http.StatusForbidden, "无权")
			form.Set("base_version", "2")
			b.post("/admin/policy", form).want(t, http.StatusForbidden, "无权")
		}
		if cur, _ := h.svc.DeadlinePolicy(ctx); cur.Version != 2 {
			t.Errorf("someone other than the bureau admin published version %d", cur.Version)
		}
	})
}
