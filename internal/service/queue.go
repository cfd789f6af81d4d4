package service

import (
	"context"
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/broadcast"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/store"
)

// The hall's queue (取号、叫号): categories and settings kept by the bureau
// admin, tickets taken at the kiosk, and the actions of the clerk signed in
// at a window.
//
// Taking a ticket and following one are public: a kiosk is an unattended
// device in the hall, where a stored token could be taken from it, and the
// ticket's QR code is followed on the applicant's own phone. Nothing is
// rate-limited yet; the server's middleware is the place for it.

// TicketView is a ticket as its viewer sees it: the ID number masked, the
// count of waiting tickets ahead, and for staff its record and cases.
type TicketView struct {
	Ticket       *queue.Ticket
	CategoryName string
	Ahead        int
	Allowed      []queue.Action
	Events       []queue.TicketEvent // staff only
	Cases        []string            // staff only
}

// WindowView is a window's queue state after an action, with the ticket
// acted on (nil for pause and resume).
type WindowView struct {
	Window *queue.Window
	Ticket *TicketView
	// ClerkName is the real name of the clerk signed in at the window
	// (QueueWindow only).
	ClerkName string
}

// TicketRequest is what a kiosk sends.
type TicketRequest struct {
	Hall     string
	Category string
	IDNumber string // optional resident ID, to link the visit to the applicant's cases
	Phone    string // optional mobile number, texted when the ticket's turn is near
	Priority queue.Priority
}

// CreateCategory adds a service category to a hall (bureau admins only).
func (s *Hall) CreateCategory(ctx context.Context, c *queue.Category) error {
	a, err := require(ctx, "设置取号类别", org.RoleAdmin)
	if err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if err := s.store.CreateCategory(ctx, c); err != nil {
		return err
	}
	s.log.Info("queue category added", "hall", c.HallCode, "code", c.Code, "by", a.Name(), "request_id", RequestFrom(ctx).ID)
	return nil
}

// Categories lists a hall's categories (public: the kiosk shows them).
func (s *Hall) Categories(ctx context.Context, hall string) ([]queue.Category, error) {
	if err := s.knownHall(ctx, hall); err != nil {
		return nil, err
	}
	return s.store.Categories(ctx, hall)
}

// QueueSettings returns a hall's queue settings.
func (s *Hall) QueueSettings(ctx context.Context, hall string) (queue.Settings, error) {
	return s.store.QueueSettings(ctx, hall)
}

// SetQueueSettings sets a hall's fairness limit and recall limit (bureau
// admins only).
func (s *Hall) SetQueueSettings(ctx context.Context, hall string, set queue.Settings) error {
	a, err := require(ctx, "修改排队设置", org.RoleAdmin)
	if err != nil {
		return err
	}
	if err := set.Validate(); err != nil {
		return err
	}
	return s.store.SetQueueSettings(ctx, hall, set, a.Name())
}

// SetWindowCategories sets the categories a window calls from (bureau
// admins only); none means every category of the hall.
func (s *Hall) SetWindowCategories(ctx context.Context, hall, number string, cats []string) (*queue.Window, error) {
	if _, err := require(ctx, "设置窗口的叫号类别", org.RoleAdmin); err != nil {
		return nil, err
	}
	return s.store.SetWindowCategories(ctx, hall, number, cats)
}

// TakeTicket issues a ticket at a kiosk (public): on a working day of the
// hall's calendar, inside the category's issuing hours, within its daily
// cap, and at most one open ticket per ID number per hall per day.
func (s *Hall) TakeTicket(ctx context.Context, req TicketRequest) (*TicketView, error) {
	if err := s.throttle(ctx, s.guard.ticket); err != nil {
		return nil, err
	}
	if req.Category == "" {
		return nil, apperr.Field("category", "请选择取号类别")
	}
	c, err := s.store.Category(ctx, req.Hall, req.Category)
	if err != nil {
		return nil, err
	}
	cal, err := s.Calendar(ctx, req.Hall)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if err := c.CheckIssuing(cal, now); err != nil {
		return nil, err
	}
	t, err := queue.NewTicket(c, req.IDNumber, req.Priority, now)
	if err != nil {
		return nil, err
	}
	if t.Phone, err = queue.NormalizePhone(req.Phone); err != nil {
		return nil, err
	}
	actor := "kiosk"
	if a := ActorFrom(ctx); a != nil {
		actor = a.Name()
	}
	ahead, err := s.store.CreateTicket(ctx, c, t, actor)
	if err != nil {
		return nil, err
	}
	t.Mask()
	return &TicketView{Ticket: t, CategoryName: c.Name, Ahead: ahead, Allowed: queue.Allowed(t.State)}, nil
}

// Ticket returns a ticket (public, ID masked); staff of any role also see
// its record and linked cases.
func (s *Hall) Ticket(ctx context.Context, id int64) (*TicketView, error) {
	t, ahead, err := s.store.Ticket(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := s.ticketView(ctx, t)
	if err != nil {
		return nil, err
	}
	v.Ahead = ahead
	return v, nil
}

func (s *Hall) ticketView(ctx context.Context, t *queue.Ticket) (*TicketView, error) {
	t.Mask()
	v := &TicketView{Ticket: t, Allowed: queue.Allowed(t.State)}
	if c, err := s.store.Category(ctx, t.HallCode, t.Category); err == nil {
		v.CategoryName = c.Name
	}
	if ActorFrom(ctx) == nil {
		return v, nil
	}
	var err error
	if v.Events, err = s.store.TicketEvents(ctx, t.ID); err != nil {
		return nil, err
	}
	if v.Cases, err = s.store.TicketCases(ctx, t.ID); err != nil {
		return nil, err
	}
	return v, nil
}

// WaitingCount is the number of waiting tickets of one category, as the
// kiosk, the board and the API show it.
type WaitingCount = queue.WaitingCount

// Waiting returns the day's waiting count per category of a hall (public:
// the kiosk and the board show it).
func (s *Hall) Waiting(ctx context.Context, hall string) ([]WaitingCount, error) {
	if err := s.knownHall(ctx, hall); err != nil {
		return nil, err
	}
	return s.store.WaitingCounts(ctx, hall, calendar.DateOf(s.clock.Now()))
}

// windowClerk returns the name of the clerk acting at a window of hall: an
// intake or issuance clerk of that hall, or the system.
func windowClerk(ctx context.Context, hall string) (string, error) {
	a, err := requireIn(ctx, org.WorkWindow, "在窗口叫号")
	if err != nil {
		return "", err
	}
	if !a.System && a.User.HallCode != hall {
		return "", apperr.New(apperr.Forbidden, "您属于大厅 %s，不能操作大厅 %s 的窗口", a.User.HallCode, hall)
	}
	return a.Name(), nil
}

// CallNext calls the next ticket to the window by the priority policy
// (queue.Pick). The window must be open with the acting clerk signed in at
// it, and hold no ticket still called or in service.
func (s *Hall) CallNext(ctx context.Context, hall, number string) (*WindowView, error) {
	clerk, err := windowClerk(ctx, hall)
	if err != nil {
		return nil, err
	}
	w, t, err := s.store.CallNext(ctx, hall, number, clerk, s.clock.Now(), func(w *queue.Window, cur *queue.Ticket) error {
		if err := w.CheckClerk(clerk); err != nil {
			return err
		}
		if cur != nil {
			return apperr.New(apperr.Conflict, "本窗口的%s号尚未处理完（%s），请先办结、过号或转办", cur.Number, cur.State.Label())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.textNearTickets(ctx, hall) // the tickets behind the one called moved up
	v, err := s.windowView(ctx, w, t)
	if err == nil {
		s.announce(ctx, broadcast.Call, v)
	}
	return v, err
}

func (s *Hall) windowView(ctx context.Context, w *queue.Window, t *queue.Ticket) (*WindowView, error) {
	out := &WindowView{Window: w}
	if t != nil {
		v, err := s.ticketView(ctx, t)
		if err != nil {
			return nil, err
		}
		out.Ticket = v
	}
	return out, nil
}

// atWindow performs action on the window's current ticket.
func (s *Hall) atWindow(ctx context.Context, hall, number string, action queue.Action, in queue.Input) (*WindowView, error) {
	clerk, err := windowClerk(ctx, hall)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	w, t, err := s.store.AtWindow(ctx, hall, number, now, windowStep(clerk, number, action, in, now))
	if err != nil {
		return nil, err
	}
	return s.windowView(ctx, w, t)
}

// windowStep is action on the current ticket of window number, by the
// clerk signed in at it.
func windowStep(clerk, number string, action queue.Action, in queue.Input, now time.Time) store.WindowChange {
	in.Window = number
	return func(w *queue.Window, cur *queue.Ticket, set queue.Settings) (*queue.TicketEvent, error) {
		if err := w.CheckClerk(clerk); err != nil {
			return nil, err
		}
		if cur == nil {
			return nil, apperr.New(apperr.Conflict, "%s窗口当前没有已叫的号，请先叫号", number)
		}
		ev, err := queue.Apply(cur, action, in, clerk, set, now)
		if err != nil {
			return nil, err
		}
		if !cur.State.Open() || cur.State == queue.Waiting {
			w.Current = 0 // finished, no-show or transferred away
		}
		return ev, nil
	}
}

// Recall calls the window's ticket again (at most the hall's MaxRecalls times).
func (s *Hall) Recall(ctx context.Context, hall, number string) (*WindowView, error) {
	v, err := s.atWindow(ctx, hall, number, queue.ActRecall, queue.Input{})
	if err == nil {
		s.announce(ctx, broadcast.Recall, v)
	}
	return v, err
}

// NoShow marks the window's called ticket as not come, with a preset reason.
func (s *Hall) NoShow(ctx context.Context, hall, number string, reason queue.NoShowReason) (*WindowView, error) {
	v, err := s.atWindow(ctx, hall, number, queue.ActNoShow, queue.Input{Reason: reason})
	if err == nil {
		s.announce(ctx, broadcast.NoShow, v)
	}
	return v, err
}

// Start begins service of the window's called ticket.
func (s *Hall) Start(ctx context.Context, hall, number string) (*WindowView, error) {
	return s.atWindow(ctx, hall, number, queue.ActStart, queue.Input{})
}

// Transfer sends the window's ticket back to waiting at another window of
// the hall or in another category, keeping its original queue time.
func (s *Hall) Transfer(ctx context.Context, hall, number, toWindow, toCategory string) (*WindowView, error) {
	if toWindow != "" {
		ws, err := s.store.Windows(ctx, hall)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(ws, func(w org.Window) bool { return w.Number == toWindow }) {
			return nil, apperr.Field("to_window", "大厅 "+hall+" 没有 "+toWindow+" 窗口")
		}
	}
	if toCategory != "" {
		if _, err := s.store.Category(ctx, hall, toCategory); err != nil {
			if apperr.Is(err, apperr.NotFound) {
				return nil, apperr.Field("to_category", apperr.MessageOf(err))
			}
			return nil, err
		}
	}
	return s.atWindow(ctx, hall, number, queue.ActTransfer, queue.Input{ToWindow: toWindow, ToCategory: toCategory})
}

// Pause stops the window calling; its current ticket stays with it.
func (s *Hall) Pause(ctx context.Context, hall, number string) (*WindowView, error) {
	return s.windowOnly(ctx, hall, number, (*queue.Window).Pause)
}

// Resume opens the window for calling, with the acting clerk signed in at
// it (taking over a paused window from another clerk).
func (s *Hall) Resume(ctx context.Context, hall, number string) (*WindowView, error) {
	return s.windowOnly(ctx, hall, number, (*queue.Window).Resume)
}

func (s *Hall) windowOnly(ctx context.Context, hall, number string, change func(w *queue.Window, clerk string) error) (*WindowView, error) {
	clerk, err := windowClerk(ctx, hall)
	if err != nil {
		return nil, err
	}
	w, _, err := s.store.AtWindow(ctx, hall, number, s.clock.Now(), func(w *queue.Window, _ *queue.Ticket, _ queue.Settings) (*queue.TicketEvent, error) {
		return nil, change(w, clerk)
	})
	if err != nil {
		return nil, err
	}
	return &WindowView{Window: w}, nil
}

// Requeue puts a no-show ticket whose holder arrived late back in the
// queue, once, at the back of its priority class (a clerk of the hall).
func (s *Hall) Requeue(ctx context.Context, id int64) (*TicketView, error) {
	return s.changeTicket(ctx, id, queue.ActRequeue)
}

// Cancel withdraws a ticket that is not being served (a clerk of the hall).
func (s *Hall) Cancel(ctx context.Context, id int64) (*TicketView, error) {
	return s.changeTicket(ctx, id, queue.ActCancel)
}

func (s *Hall) changeTicket(ctx context.Context, id int64, action queue.Action) (*TicketView, error) {
	a, err := requireIn(ctx, org.WorkWindow, "处理排队号")
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	t, err := s.store.UpdateTicket(ctx, id, ticketStep(a, action, now))
	if err != nil {
		return nil, err
	}
	if action == queue.ActCancel {
		s.textNearTickets(ctx, t.HallCode) // the tickets behind it moved up
	}
	return s.ticketView(ctx, t)
}

// ticketStep is action on a ticket away from a window, by a clerk of its
// hall.
func ticketStep(a *Actor, action queue.Action, now time.Time) store.TicketChange {
	return func(t *queue.Ticket, set queue.Settings) (*queue.TicketEvent, error) {
		if !a.System && a.User.HallCode != t.HallCode {
			return nil, apperr.New(apperr.Forbidden, "只能处理本大厅的排队号")
		}
		if action == queue.ActCancel && t.State == queue.Called {
			return nil, apperr.New(apperr.Conflict, "%s号已叫到窗口，请在窗口办结、过号或转办", t.Number)
		}
		return queue.Apply(t, action, queue.Input{}, a.Name(), set, now)
	}
}

// LinkCase records that a case was taken in during the ticket's visit: the
// ticket must be in service or done, and each case links once.
func (s *Hall) LinkCase(ctx context.Context, ticketID int64, caseNumber string) (*TicketView, error) {
	a, err := requireIn(ctx, org.WorkWindow, "关联办件")
	if err != nil {
		return nil, err
	}
	if caseNumber == "" {
		return nil, apperr.Field("case_number", "请填写办件编号")
	}
	now := s.clock.Now()
	t, err := s.store.LinkTicketCase(ctx, ticketID, caseNumber, a.Name(), func(t *queue.Ticket, set queue.Settings) (*queue.TicketEvent, error) {
		if !a.System && a.User.HallCode != t.HallCode {
			return nil, apperr.New(apperr.Forbidden, "只能处理本大厅的排队号")
		}
		return queue.Apply(t, queue.ActLinkCase, queue.Input{CaseNumber: caseNumber}, a.Name(), set, now)
	})
	if err != nil {
		return nil, err
	}
	return s.ticketView(ctx, t)
}
