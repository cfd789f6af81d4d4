package service

import (
	"context"
	"fmt"

	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/store"
)

// QueueNearKind is the notice kind of the text that tells a ticket's
// holder their turn is near (叫号提醒); its SMS template is the bureau
// admin's to word like every other (sms_templates.go).
const QueueNearKind = "queue_near"

// textNearTickets texts the holder of every waiting ticket of hall taken
// with a mobile number once the tickets ahead of it are down to the
// hall's TextAhead setting (queue.Settings.TextDue). Each ticket is texted
// at most once, whichever node finds it first (store.TextTicket). It runs
// after a change that moves the queue (a call, a cancellation) has
// committed: a failure here is logged and leaves the ticket to the next
// change, never undoing the call. It returns how many texts it queued.
func (s *Hall) textNearTickets(ctx context.Context, hall string) int {
	n, err := s.queueNearTexts(ctx, hall)
	if err != nil {
		s.log.Error("queue texts", "hall", hall, "err", err, "request_id", RequestFrom(ctx).ID)
	}
	return n
}

func (s *Hall) queueNearTexts(ctx context.Context, hall string) (int, error) {
	set, err := s.store.QueueSettings(ctx, hall)
	if err != nil || set.TextAhead == 0 {
		return 0, err
	}
	now := s.clock.Now()
	due, err := s.store.TicketsToText(ctx, hall, calendar.DateOf(now))
	if err != nil {
		return 0, err
	}
	queued := 0
	hallName := ""
	categories := map[string]string{}
	for _, d := range due {
		if !set.TextDue(d.Ahead) {
			continue
		}
		if hallName == "" {
			hallName = "政务服务大厅" // a hall code is no word for an applicant
			if names := s.hallNames(ctx); names != nil && names(hall) != "" {
				hallName = names(hall)
			}
		}
		t := d.Ticket
		cat, ok := categories[t.Category]
		if !ok {
			if c, err := s.store.Category(ctx, hall, t.Category); err == nil {
				cat = c.Name
			}
			categories[t.Category] = cat
		}
		ok, err := s.store.TextTicket(ctx, store.TicketText{TicketID: t.ID, To: t.Phone, Kind: QueueNearKind,
			Subject: "即将叫号", Body: queueNearBody(hallName, t.Number, cat, d.Ahead), At: now})
		if err != nil {
			return queued, err
		}
		if ok {
			queued++
			s.log.Info("queue text queued", "hall", hall, "ticket", t.Number, "ahead", d.Ahead,
				"to", applicant.MaskPhone(t.Phone), "request_id", RequestFrom(ctx).ID)
		}
	}
	return queued, nil
}

// queueNearBody is the standard text of the queue reminder, which the
// message template wraps ({{.Body}}).
func queueNearBody(hall, number, category string, ahead int) string {
	what := number + " 号"
	if category != "" {
		what += "（" + category + "）"
	}
	if ahead == 0 {
		return fmt.Sprintf("您在%s取的 %s即将叫到，请到大厅留意叫号屏，过号后须重新排队。", hall, what)
	}
	return fmt.Sprintf("您在%s取的 %s前面还有 %d 位，请回到大厅留意叫号屏，过号后须重新排队。", hall, what, ahead)
}
