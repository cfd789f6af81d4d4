package online

import (
	"net/http"
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/bundle"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// ---- 我的办件 ----

// myDue is a running time limit with its standing in words.
type myDue struct {
	Label   string
	At      time.Time
	Words   string
	Warning calendar.Warning
}

// myCaseRow is one case of the list.
type myCaseRow struct {
	V   *service.CaseView
	Due *myDue // the nearest running time limit
}

// myBundleRow is one joint application of the list.
type myBundleRow struct {
	B   bundle.Bundle
	Due *myDue
}

// myNotice is a notification sent about a case.
type myNotice struct {
	Number string
	At     time.Time
	Text   string
}

type myHomeData struct {
	Complete bool
	Cases    []myCaseRow
	Bundles  []myBundleRow
	Notices  []myNotice
	Drafts   int
}

func (h *Handlers) myHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	acc := service.AccountFrom(ctx)
	d := myHomeData{Complete: acc.Complete()}
	cal, err := h.svc.Calendar(ctx, "")
	if err != nil {
		h.myFail(w, r, "我的办件", err)
		return
	}
	now := h.svc.Now()
	cases, err := h.svc.MyCases(ctx)
	if err != nil {
		h.myFail(w, r, "我的办件", err)
		return
	}
	for _, cv := range cases {
		d.Cases = append(d.Cases, myCaseRow{V: cv, Due: nearestDue(cal, now, cv.Open)})
	}
	bundles, err := h.svc.MyBundles(ctx)
	if err != nil {
		h.myFail(w, r, "我的办件", err)
		return
	}
	for _, b := range bundles {
		row := myBundleRow{B: b}
		if b.State == bundle.Open {
			row.Due = &myDue{Label: "一件事办结期限", At: b.DueBy, Words: page.DueWords(cal, now, b.DueBy), Warning: cal.Warn(now, b.DueBy)}
		}
		d.Bundles = append(d.Bundles, row)
	}
	notices, err := h.svc.MyNotifications(ctx, 8)
	if err != nil {
		h.myFail(w, r, "我的办件", err)
		return
	}
	for _, n := range notices {
		d.Notices = append(d.Notices, myNotice{Number: n.CaseNumber, At: n.CreatedAt, Text: n.Body})
	}
	if drafts, err := h.svc.Drafts(ctx); err == nil {
		d.Drafts = len(drafts)
	}
	h.render(w, r, http.StatusOK, "my_home", view{Title: "我的办件", Data: d})
}

// nearestDue returns the earliest running time limit, or nil.
func nearestDue(cal *calendar.Calendar, now time.Time, open []casework.Due) *myDue {
	if len(open) == 0 {
		return nil
	}
	first := slices.MinFunc(open, func(a, b casework.Due) int { return a.At.Compare(b.At) })
	return &myDue{Label: deadlineName(first.Name), At: first.At, Words: page.DueWords(cal, now, first.At), Warning: cal.Warn(now, first.At)}
}
