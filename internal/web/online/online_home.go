package online

import (
	"net/http"
	"time"

	"github.com/onewindow/onewindow/internal/bundle"
	"github.com/onewindow/onewindow/internal/calendar"
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
	cases, err := h.svc.MyCases(ctx)
	if err != nil {
		h.myFail(w, r, "我的办件", err)
		return
	}
	for _, cv := range cases {
		d.Cases = append(d.Cases, myCaseRow{V: cv, Due: nearestDue(cv)})
	}
	bundles, err := h.svc.MyBundleList(ctx)
	if err != nil {
		h.myFail(w, r, "我的办件", err)
		return
	}
	for _, x := range bundles {
		b := x.Bundle
		row := myBundleRow{B: b}
		if b.State == bundle.Open {
			row.Due = &myDue{Label: "一件事办结期限", At: b.DueBy, Words: x.DueWords, Warning: x.Warning}
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
	h.Render(w, r, http.StatusOK, "my_home", page.View{Title: "我的办件", Data: d})
}

// nearestDue returns the case's earliest running time limit as its view
// carries it, or nil.
func nearestDue(v *service.CaseView) *myDue {
	next := v.Next()
	if next == nil {
		return nil
	}
	return &myDue{Label: next.Label, At: next.At, Words: next.Words, Warning: next.Warning}
}
