package service_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/service"
)

// TestViewsCarryTheWords: a case's view carries its running deadlines with
// their warning and words, the warning's rank and words and the state in
// words, as the domain computes them at the service's now; pages and the
// API read them from there. A passed pre-review reads as passed in the
// view, the timeline and the public progress alike.
func TestViewsCarryTheWords(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 15:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		n := h.submit(t, h.demo, service.OnlineDraft{ItemCode: "SCJG-XK-001"}).Case.Number
		// prereview_by is 10-09 17:00: 10-08 and 10-09 after the holiday.
		v := h.caseAs(t, h.as["shenpi"], n)
		if v.StateLabel != "待预审" || v.WarningRank != 2 || v.WarningLabel != "正常" || v.DueWords != "剩余 2 个工作日" {
			t.Errorf("submitted: state %q, rank %d %q, due %q", v.StateLabel, v.WarningRank, v.WarningLabel, v.DueWords)
		}
		if len(v.Running) != 1 || v.Running[0].Name != "prereview_by" || v.Running[0].Label != "预审期限" ||
			v.Running[0].Words != "剩余 2 个工作日" || v.Running[0].Warning != calendar.WarningNone || v.Next() != &v.Running[0] {
			t.Errorf("submitted: running %+v", v.Running)
		}
		if len(v.Deadlines) != 1 || !v.Deadlines[0].Running {
			t.Errorf("submitted: deadlines %+v", v.Deadlines)
		}

		h.at("2026-10-08 10:00")
		v = h.caseAs(t, h.as["shenpi"], n)
		if v.Warning != calendar.WarningYellow || v.WarningRank != 1 || v.WarningLabel != "临近期限" ||
			v.Running[0].Words != "剩余 1 个工作日" || v.Running[0].Warning != calendar.WarningYellow {
			t.Errorf("the day before: %s rank %d %q, running %+v", v.Warning, v.WarningRank, v.WarningLabel, v.Running)
		}
		page, err := h.svc.Cases(h.as["shenpi"], service.CaseFilter{States: []casework.State{casework.Submitted}})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(page.Cases, func(x *service.CaseView) bool { return x.Case.Number == n })
		if i < 0 || page.Cases[i].DueWords != "剩余 1 个工作日" || page.Cases[i].WarningRank != 1 {
			t.Errorf("the work list's view of %s lacks its words: %+v", n, page.Cases)
		}

		h.act(t, "shenpi", n, casework.ActPassPreReview)
		v = h.caseAs(t, h.as["shenpi"], n)
		if v.StateLabel != "预审通过，待收件" || len(v.Running) != 0 || v.Next() != nil || v.DueWords != "—" {
			t.Errorf("passed: state %q, running %+v, due %q", v.StateLabel, v.Running, v.DueWords)
		}
		if len(v.Deadlines) != 1 || v.Deadlines[0].Running || v.Deadlines[0].Words != "" {
			t.Errorf("passed: the pre-review deadline still stands: %+v", v.Deadlines)
		}
		tl, err := h.svc.CaseTimeline(h.demo, n)
		if err != nil {
			t.Fatal(err)
		}
		if tl.View.StateLabel != "预审通过，待收件" || !strings.Contains(tl.View.StateWords, "已通过网上预审") {
			t.Errorf("the applicant's view: %q, %q", tl.View.StateLabel, tl.View.StateWords)
		}
		p, err := h.svc.Progress(h.demo, n, tl.CheckCode)
		if err != nil {
			t.Fatal(err)
		}
		next := strings.Join(p.Next, " ")
		if strings.Contains(p.StateWords, "等待预审") || !strings.Contains(p.StateWords, "已通过网上预审") ||
			strings.Contains(next, "告知网上预审结果") || !strings.Contains(next, "综合受理窗口") {
			t.Errorf("progress of a passed pre-review: %q, next %q", p.StateWords, next)
		}
	})
}

// TestOnlineItems: the service lists and opens for online application
// exactly the items casework.OnlineApplicable allows.
func TestOnlineItems(t *testing.T) {
	eachOnlineHall(t, shanghai("2026-09-30 15:00"), service.DefaultConfig(), func(t *testing.T, h *onlineHall) {
		items, err := h.svc.OnlineItems(h.demo, "")
		if err != nil {
			t.Fatal(err)
		}
		all, err := h.svc.Items(h.demo, service.ItemFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for i := range all {
			if casework.OnlineApplicable(&all[i]) {
				want = append(want, all[i].Code)
			}
		}
		var got []string
		for _, it := range items {
			got = append(got, it.Code)
		}
		if len(got) == 0 || !slices.Equal(got, want) || slices.Contains(got, "SCJG-XK-003") {
			t.Errorf("online items %v, want %v (never the instant SCJG-XK-003)", got, want)
		}
		if it, err := h.svc.OnlineItem(h.demo, "SCJG-XK-001"); err != nil || it.Code != "SCJG-XK-001" {
			t.Errorf("OnlineItem(SCJG-XK-001) = %v, %v", it, err)
		}
		_, err = h.svc.OnlineItem(h.demo, "SCJG-XK-003") // instant, though marked fully online
		wantErr(t, "an instant item online", err, apperr.Conflict, "")
		_, err = h.svc.OnlineItem(h.demo, "SCJG-XK-999")
		wantErr(t, "an unknown item online", err, apperr.NotFound, "")
	})
}
