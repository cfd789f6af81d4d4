package page

import (
	"slices"

	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
)

// CallBar is the window's calling bar that stays on top of a desk page
// (intake, issuance): the window the clerk works at, the ticket at it and
// the buttons it allows now. Its buttons post to the window console's
// actions; callbar.js sends them in the background so that a half-filled
// form on the page is never lost.
type CallBar struct {
	Window   string // the window's number
	Open     bool   // open for calling
	Ticket   string // the ticket at the window, "" for none
	Category string
	State    string // the ticket's state, in words
	Call     bool   // the next ticket may be called
	Recall   bool
	Start    bool
	Finish   bool
	Back     string // the page the bar is on, where a post without script returns
}

// NewCallBar describes w for the bar on the page at back.
func NewCallBar(w *service.WindowView, back string) *CallBar {
	b := &CallBar{Window: w.Window.Number, Open: w.Window.Open, Back: back}
	busy := false
	if t := w.Ticket; t != nil && t.Ticket != nil {
		st := t.Ticket.State
		if st == queue.Called || st == queue.Serving {
			busy = true
			b.Ticket, b.Category, b.State = t.Ticket.Number, t.CategoryName, st.Label()
			b.Recall = slices.Contains(t.Allowed, queue.ActRecall)
			b.Start = slices.Contains(t.Allowed, queue.ActStart)
			b.Finish = slices.Contains(t.Allowed, queue.ActFinish)
		}
	}
	b.Call = b.Open && !busy
	return b
}
