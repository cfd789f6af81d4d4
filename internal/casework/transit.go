package casework

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
)

// The network's steps of a case's paper (R18): not rows of the table, as
// no person chooses them on the case; the batch signed in at the district
// hall takes them for every case it carries (service.Network).
const (
	ActPaperArrive   Action = "paper-arrive"    // the paper of a street case arrived at the district hall in a batch
	ActPaperSendBack Action = "paper-send-back" // the paper arrived missing or damaged and goes back to the street

	// Issue 15 item 3: the result travels from the district hall to the
	// pickup hall, the signed delivery receipt back to the district hall.
	ActResultArrive    Action = "result-arrive"     // the result arrived at the pickup hall in a batch
	ActResultSendBack  Action = "result-send-back"  // the result arrived missing or damaged and goes back to the district hall
	ActReceiptArrive   Action = "receipt-arrive"    // the delivery receipt arrived at the district hall: R12 runs from now
	ActReceiptSendBack Action = "receipt-send-back" // the receipt arrived missing or damaged and goes back to the pickup hall
)

// Transit is the journey of a case's paper from a street or community
// hall that took it in to the district hall, where the department signs
// for it (R6). While the paper travels, the handover clock does not run:
// it starts at the batch's arrival, as for paper taken in at the district
// hall. The applicant's deadlines (R5 and on) never move for it.
type Transit struct {
	From  string    `json:"from"`  // the hall the paper leaves
	To    string    `json:"to"`    // the hall it travels to
	Trip  int       `json:"trip"`  // 1 for the first journey, one more each time paper is sent again
	Since time.Time `json:"since"` // when the paper of this trip was taken in (or sent back)
	// Batch and ArrivedAt are set when the trip's batch is signed in.
	Batch     string    `json:"batch,omitempty"`
	ArrivedAt time.Time `json:"arrived_at,omitzero"`
	SentBack  int       `json:"sent_back,omitempty"` // times the paper came back missing or damaged
}

// PaperInTransit reports whether the case's paper is on its way to the
// district hall: taken in at a street or community hall and not yet
// signed in there.
func (c *Case) PaperInTransit() bool {
	return c.Transit != nil && c.Transit.ArrivedAt.IsZero()
}

// startTrip sends the paper taken in now on a new trip, when the case's
// paper travels: from is the hall that took it in, to the district hall.
func (c *Case) startTrip(from, to string, now time.Time) {
	c.Transit = nextTrip(c.Transit, from, to, now)
	c.Deadlines.HandoverBy, c.HandoverAt = time.Time{}, time.Time{}
}

// nextTrip returns the journey after last (nil for the first) from one
// hall to another, starting now; a later trip keeps the first's halls
// and the count of send-backs.
func nextTrip(last *Transit, from, to string, now time.Time) *Transit {
	trip, back := 1, 0
	if last != nil {
		trip, back = last.Trip+1, last.SentBack
		from, to = last.From, last.To
	}
	return &Transit{From: from, To: to, Trip: trip, Since: now, SentBack: back}
}

// ResultInTransit reports whether the case's result is on its way from
// the district hall to the pickup hall (or waits there for its batch).
func (c *Case) ResultInTransit() bool {
	return c.ResultTransit != nil && c.ResultTransit.ArrivedAt.IsZero()
}

// ReceiptInTransit reports whether the signed delivery receipt is on its
// way back from the pickup hall to the district hall.
func (c *Case) ReceiptInTransit() bool {
	return c.ReceiptTransit != nil && c.ReceiptTransit.ArrivedAt.IsZero()
}

// travelHub returns the hall the case's results come from and its
// receipts go back to when its pickup hall is a street or community hall
// (env.TransitHub), "" when nothing travels.
func (c *Case) travelHub(env Env) string {
	pickup := c.DeskHall(PickupHall)
	if hub := env.TransitHub[pickup]; hub != "" && hub != pickup {
		return hub
	}
	return ""
}

// ArrivePaper records that the paper of trip arrived at the district hall
// in batch: the department's handover clock (R6) starts now, as for paper
// taken in at the district hall now. The arrival of an earlier trip than
// the case's current one (more paper was taken in since) is recorded and
// starts nothing: the case waits for the newer paper.
func ArrivePaper(c *Case, batch string, trip int, a Actor, env Env) (Change, error) {
	if c.Transit == nil {
		return Change{}, apperr.New(apperr.Conflict, "办件 %s 的纸质材料不需要交接运送", c.Number)
	}
	now := env.Now
	details := map[string]any{"batch": batch, "trip": trip, "transit_since": c.Transit.Since}
	if trip == c.Transit.Trip && c.Transit.ArrivedAt.IsZero() {
		c.Transit.ArrivedAt, c.Transit.Batch = now, batch
		details["current"] = true
		if c.State == Received || c.State == Accepted || c.State == Decided {
			c.Deadlines.HandoverBy = c.DeadlinePolicy().HandoverBy(env.Cal, now)
			details["handover_by"] = c.Deadlines.HandoverBy
		}
	}
	return transitChange(c, ActPaperArrive, details, a, now), nil
}

// SendBackPaper records that paper of trip arrived missing or damaged
// (problems, in words) and goes back to the hall that took it in, to be
// made good and sent again on a new trip. The applicant's deadlines stay.
func SendBackPaper(c *Case, batch string, trip int, problems string, a Actor, env Env) (Change, error) {
	if c.Transit == nil {
		return Change{}, apperr.New(apperr.Conflict, "办件 %s 的纸质材料不需要交接运送", c.Number)
	}
	now := env.Now
	details := map[string]any{"batch": batch, "trip": trip, "reason": problems}
	if trip == c.Transit.Trip && c.Transit.ArrivedAt.IsZero() {
		c.startTrip("", "", now)
		c.Transit.SentBack++
		details["current"] = true
		details["paper_travels"] = true
	}
	return transitChange(c, ActPaperSendBack, details, a, now), nil
}

func transitChange(c *Case, action Action, details map[string]any, a Actor, now time.Time) Change {
	raw, _ := json.Marshal(details)
	actor := a.Username
	if a.System {
		actor = "system"
	}
	ev := &Event{Type: action, Actor: actor, Role: string(a.Role), Desk: a.Desk, At: now, From: c.State, To: c.State, Details: raw}
	return Change{Event: ev}
}

// ArriveResult records that the result of trip arrived at the pickup hall
// in batch: its issuance desk may now check and accept it. An earlier trip
// than the current one is recorded and changes nothing.
func ArriveResult(c *Case, batch string, trip int, a Actor, env Env) (Change, error) {
	if c.ResultTransit == nil {
		return Change{}, apperr.New(apperr.Conflict, "办件 %s 的办理结果不需要交接运送", c.Number)
	}
	t := c.ResultTransit
	details := map[string]any{"batch": batch, "trip": trip, "transit_since": t.Since, "to": t.To}
	if trip == t.Trip && t.ArrivedAt.IsZero() {
		t.ArrivedAt, t.Batch = env.Now, batch
		details["current"] = true
	}
	return transitChange(c, ActResultArrive, details, a, env.Now), nil
}

// SendBackResult records that the result of trip arrived missing or
// damaged (problems, in words) and goes back to the district hall, where
// it waits for the next run on a new trip.
func SendBackResult(c *Case, batch string, trip int, problems string, a Actor, env Env) (Change, error) {
	if c.ResultTransit == nil {
		return Change{}, apperr.New(apperr.Conflict, "办件 %s 的办理结果不需要交接运送", c.Number)
	}
	details := map[string]any{"batch": batch, "trip": trip, "reason": problems}
	if t := c.ResultTransit; trip == t.Trip && t.ArrivedAt.IsZero() {
		c.ResultTransit = nextTrip(t, "", "", env.Now)
		c.ResultTransit.SentBack++
		details["current"] = true
		details["result_travels"] = true
	}
	return transitChange(c, ActResultSendBack, details, a, env.Now), nil
}

// ArriveReceipt records that the signed delivery receipt of trip arrived
// back at the district hall in batch: the department's archiving clock
// (R12) starts now, as it starts at delivery for a case collected at the
// district hall. The applicant's deadlines are long met and never move.
func ArriveReceipt(c *Case, batch string, trip int, a Actor, env Env) (Change, error) {
	if c.ReceiptTransit == nil {
		return Change{}, apperr.New(apperr.Conflict, "办件 %s 的送达回执不需要交接运送", c.Number)
	}
	t := c.ReceiptTransit
	details := map[string]any{"batch": batch, "trip": trip, "transit_since": t.Since}
	if trip == t.Trip && t.ArrivedAt.IsZero() {
		t.ArrivedAt, t.Batch = env.Now, batch
		details["current"] = true
		if c.State == Delivered {
			c.Deadlines.ArchiveBy = env.Cal.AddWorkingDays(env.Now, c.DeadlinePolicy().ArchiveDays)
			details["archive_by"] = c.Deadlines.ArchiveBy
		}
	}
	return transitChange(c, ActReceiptArrive, details, a, env.Now), nil
}

// SendBackReceipt records that the receipt of trip arrived missing or
// damaged and goes back to the pickup hall, to be made good (a copy
// certified by the hall) and sent again on a new trip.
func SendBackReceipt(c *Case, batch string, trip int, problems string, a Actor, env Env) (Change, error) {
	if c.ReceiptTransit == nil {
		return Change{}, apperr.New(apperr.Conflict, "办件 %s 的送达回执不需要交接运送", c.Number)
	}
	details := map[string]any{"batch": batch, "trip": trip, "reason": problems}
	if t := c.ReceiptTransit; trip == t.Trip && t.ArrivedAt.IsZero() {
		c.ReceiptTransit = nextTrip(t, "", "", env.Now)
		c.ReceiptTransit.SentBack++
		details["current"] = true
		details["receipt_travels"] = true
	}
	return transitChange(c, ActReceiptSendBack, details, a, env.Now), nil
}

// JourneyWords says where the case's travelling paper, result and receipt
// are, one line each, halls named by name: what the case page shows.
func (c *Case) JourneyWords(name func(code string) string) []string {
	var out []string
	for _, j := range []struct {
		what string
		t    *Transit
	}{{"纸质材料", c.Transit}, {"办理结果", c.ResultTransit}, {"送达回执", c.ReceiptTransit}} {
		t := j.t
		if t == nil {
			continue
		}
		w := j.what + "：从" + name(t.From) + "送往" + name(t.To)
		if t.ArrivedAt.IsZero() {
			w += "，途中（" + t.Since.In(clock.Shanghai).Format("2006-01-02 15:04") + " 起待交接班次）"
		} else {
			w += "，已于 " + t.ArrivedAt.In(clock.Shanghai).Format("2006-01-02 15:04") + " 随交接批次 " + t.Batch + " 签收"
		}
		if t.SentBack > 0 {
			w += fmt.Sprintf("；曾因缺失或损毁退回 %d 次", t.SentBack)
		}
		out = append(out, w)
	}
	return out
}
