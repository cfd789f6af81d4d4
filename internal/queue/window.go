package queue

import (
	"slices"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Window is a hall window's queue state: the categories it serves, whether
// it is open, the clerk signed in at it and the ticket at it.
type Window struct {
	HallCode string `json:"hall_code"`
	Number   string `json:"number"`
	// Categories are the category codes the window calls from; empty means
	// every category of the hall.
	Categories []string `json:"categories"`
	Open       bool     `json:"open" doc:"是否开放叫号（暂停的窗口不能叫号）"`
	// Clerk is the username signed in at the window: the one who opened it
	// (resumed it) last. Only that clerk acts at the window.
	Clerk string `json:"clerk,omitempty"`
	// Current is the ticket called to the window and not yet finished,
	// no-show or transferred; 0 for none.
	Current int64 `json:"current,omitempty"`
	// Streak counts the window's consecutive priority calls (see Pick).
	Streak  int `json:"-"`
	Version int `json:"-"`
}

// Serves reports whether the window calls tickets of category.
func (w *Window) Serves(category string) bool {
	return len(w.Categories) == 0 || slices.Contains(w.Categories, category)
}

// CheckClerk refuses anyone but the clerk signed in at the open window.
func (w *Window) CheckClerk(username string) error {
	if !w.Open {
		return apperr.New(apperr.Conflict, "%s窗口已暂停，请先恢复（开窗）", w.Number)
	}
	if w.Clerk != username {
		return apperr.New(apperr.Forbidden, "%s窗口由 %s 登录使用，只有该工作人员可在此窗口操作", w.Number, w.Clerk)
	}
	return nil
}

// SignedIn reports whether username is the clerk signed in at w (open or
// paused): the clerk who acts at the window and whose service its rating
// pad rates.
func (w *Window) SignedIn(username string) bool { return username != "" && w.Clerk == username }

// Serving reports whether t is the visit username is serving at w: w's
// current ticket, in service, with username signed in at w (open or
// paused). A case the clerk takes in during that visit is linked to it.
func (w *Window) Serving(t *Ticket, username string) bool {
	return t != nil && w.Clerk == username && w.Current == t.ID && t.State == Serving
}

// Pause stops the window calling; the clerk stays signed in at it.
func (w *Window) Pause(username string) error {
	if err := w.CheckClerk(username); err != nil {
		return err
	}
	w.Open = false
	return nil
}

// Resume opens the window for calling with username signed in at it. A
// paused window may be taken over by another clerk of the hall.
func (w *Window) Resume(username string) error {
	if w.Open {
		if w.Clerk == username {
			return apperr.New(apperr.Conflict, "%s窗口已在叫号中", w.Number)
		}
		return apperr.New(apperr.Conflict, "%s窗口正由 %s 使用，须其暂停后才能接替", w.Number, w.Clerk)
	}
	w.Open, w.Clerk = true, username
	return nil
}

// Pick chooses the next ticket a window calls, from the head of each class:
// priority is the longest-queued ticket of any priority class (nil if
// none waits), normal the longest-queued normal ticket (nil if none). streak
// is the window's count of consecutive priority calls, limit the fairness
// limit K. It returns the ticket to call and the window's new streak.
//
// The rule:
//  1. If only one class has a waiting ticket, call it.
//  2. While streak < K, call the priority ticket (priorities go first).
//  3. Once streak >= K (K priority calls in a row), call the normal ticket
//     if it has queued longer than the priority ticket (its QueuedAt is
//     earlier; equal times go to the priority ticket); otherwise the
//     priority ticket, which has waited longer, still goes first.
//  4. A normal call resets the streak to 0; a priority call adds one.
//
// So a normal ticket never waits behind more than K priority tickets that
// came after it, and a priority ticket never waits behind a normal ticket
// that came after it. "Queued" is the issue time, kept across transfers,
// or the time of a late arrival's requeue.
func Pick(priority, normal *Ticket, streak, limit int) (*Ticket, int) {
	switch {
	case priority == nil && normal == nil:
		return nil, streak
	case priority == nil:
		return normal, 0
	case normal == nil:
		return priority, streak + 1
	case streak >= limit && normal.QueuedAt.Before(priority.QueuedAt):
		return normal, 0
	}
	return priority, streak + 1
}

// Ahead reports whether waiting ticket o is called before t by the order
// the policy starts from (priority classes first, then by queue time, then
// by number of issue). It ignores the fairness limit, so a normal ticket's
// count ahead is an upper bound.
func Ahead(o, t *Ticket) bool {
	if o.Priority.IsPriority() != t.Priority.IsPriority() {
		return o.Priority.IsPriority()
	}
	if !o.QueuedAt.Equal(t.QueuedAt) {
		return o.QueuedAt.Before(t.QueuedAt)
	}
	return o.ID < t.ID
}
