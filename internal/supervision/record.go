package supervision

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
)

// Facts are what a case's events do not repeat but the figures need: they
// never change over a case's life.
type Facts struct {
	Instant      bool // 即办件: decided at the window, held by the intake desk
	PromisedDays int  // the promised limit in working days (承诺时限)
	// PickupHall is the hall whose issuance desk hands the result over
	// (the case's pickup hall, the intake hall unless another was chosen).
	PickupHall string
}

// Env is what folding events needs of the world.
type Env struct {
	Cal   *calendar.Calendar
	Hours Hours
}

// Return is one return of the case for correction (R5 answered by return).
type Return struct {
	At        time.Time `json:"at"`
	By        string    `json:"by"`
	Materials []string  `json:"m,omitempty"` // codes of the materials to correct or supply
}

// Decision is the efficiency facts of the case's decision.
type Decision struct {
	At       time.Time `json:"at"`
	By       string    `json:"by"`
	Used     int       `json:"used"`     // working days from acceptance to decision, pauses not counted
	Promised int       `json:"promised"` // the promised limit
	Early    bool      `json:"early"`    // 提前办结: decided before the last working day of the limit in force
	FirstDay bool      `json:"first"`    // decided by the close of the first working day after acceptance
	Denied   bool      `json:"denied,omitempty"`
}

// Record is a case folded from its events: its timed steps, its holding
// time by day and holder, its returns and its decision. It is what the
// rollups count; Fold of the same events always gives the same Record.
type Record struct {
	Intake   time.Time      `json:"intake"`    // the first event: intake at a desk or an online submission
	IntakeBy string         `json:"intake_by"` // the clerk who took it in ("" online)
	Steps    []Step         `json:"steps,omitempty"`
	Hold     []HoldDay      `json:"hold,omitempty"`
	Returns  []Return       `json:"returns,omitempty"`
	Decision *Decision      `json:"decision,omitempty"`
	Refusals []time.Time    `json:"refusals,omitempty"` // results refused by the issuance desk (R9)
	Trips    []Trip         `json:"trips,omitempty"`    // the paper's journeys to the district hall (moves.go)
	Pickup   *Pickup        `json:"pickup,omitempty"`   // the result collected at a hall
	State    casework.State `json:"state"`

	// What the holder of the next hours depends on.
	Holder        Holder    `json:"holder,omitempty"`
	Since         time.Time `json:"since,omitzero"`
	Paused        bool      `json:"paused,omitempty"`
	PreReviewPass bool      `json:"prereview_pass,omitempty"`
	// InTransit is set while paper taken in at a street or community hall
	// travels to the district hall (casework.Transit): transit holds the
	// case until the batch arrives.
	InTransit bool `json:"in_transit,omitempty"`
	// ResultTravels and ReceiptTravels are set while the result travels
	// from the district hall to a street or community pickup hall, and
	// while the signed receipt travels back: transit holds the case then.
	ResultTravels  bool      `json:"result_travels,omitempty"`
	ReceiptTravels bool      `json:"receipt_travels,omitempty"`
	Result         string    `json:"result,omitempty"` // submitted, refused, accepted, mailed
	Accepted       time.Time `json:"accepted,omitzero"`
	PausedDays     int       `json:"paused_days,omitempty"`
}

// Clone returns a copy of r that shares nothing with it: folding an event
// into the copy leaves r as it was.
func (r *Record) Clone() *Record {
	c := *r
	c.Steps = slices.Clone(r.Steps)
	c.Hold = slices.Clone(r.Hold)
	c.Returns = slices.Clone(r.Returns)
	for i := range c.Returns {
		c.Returns[i].Materials = slices.Clone(c.Returns[i].Materials)
	}
	if r.Decision != nil {
		d := *r.Decision
		c.Decision = &d
	}
	c.Refusals = slices.Clone(r.Refusals)
	c.Trips = slices.Clone(r.Trips)
	if r.Pickup != nil {
		p := *r.Pickup
		c.Pickup = &p
	}
	return &c
}

// details are the fields of an event's details the figures read.
type details struct {
	OnTime      *bool              `json:"on_time"`
	Deadlines   casework.Deadlines `json:"deadlines"`
	PreReviewBy time.Time          `json:"prereview_by"`
	AcceptBy    time.Time          `json:"accept_by"`
	HandoverBy  time.Time          `json:"handover_by"`
	DecideBy    time.Time          `json:"decide_by"`
	CorrectBy   time.Time          `json:"correct_by"`
	ArchiveBy   time.Time          `json:"archive_by"`
	PausedDays  int                `json:"paused_days"`
	Corrections []string           `json:"corrections"`
	Reasons     map[string]string  `json:"correction_reasons"`
	Outcome     casework.Outcome   `json:"outcome"`
	PauseType   casework.PauseType `json:"pause_type"`
	// PaperTravels: the paper taken in by the event travels to the
	// district hall; Current: a transit step of the case's current trip.
	PaperTravels bool `json:"paper_travels"`
	Current      bool `json:"current"`
	// ResultTravels, ReceiptTravels: the result (submit-result) or the
	// receipt (deliver, confirm-delivery) the event hands over travels.
	ResultTravels  bool `json:"result_travels"`
	ReceiptTravels bool `json:"receipt_travels"`
}

// pause stops the case's clock: a pause, or a special procedure whose
// time is not counted.
func (r *Record) pause() {
	r.Paused = true
	r.setPaused(true)
}

// resume restarts it, decide_by moved on as the event says.
func (r *Record) resume(d details) {
	r.Paused = false
	r.PausedDays += d.PausedDays
	r.setPaused(false)
	r.move(Decide, d.DecideBy)
}

// FoldAll folds a case's events, in order, into a new Record.
func FoldAll(events []casework.Event, f Facts, env Env) *Record {
	r := &Record{}
	for i := range events {
		r.Fold(&events[i], f, env)
	}
	return r
}

// Fold applies one event to the record: it closes the steps the event
// takes, opens those it sets, moves the deadline in force, and charges the
// working hours since the previous event to the holder of that time.
func (r *Record) Fold(ev *casework.Event, f Facts, env Env) {
	var d details
	_ = json.Unmarshal(ev.Details, &d) // a malformed detail counts as none
	at := ev.At
	if r.Intake.IsZero() {
		r.Intake = at
		if ev.Type == casework.ActIntake {
			r.IntakeBy = ev.Actor
		}
	}
	if !r.Since.IsZero() && r.Holder != NoHolder {
		r.charge(r.Holder, r.Since, at, env)
	}
	onTime := d.OnTime == nil || *d.OnTime
	wasInTransit := r.InTransit
	switch ev.Type {
	case casework.ActIntake:
		r.InTransit = d.PaperTravels
		r.open(Accept, d.Deadlines.AcceptBy)
		r.open(Handover, d.Deadlines.HandoverBy)
		r.open(Supply, d.Deadlines.SupplyBy)
	case casework.ActSubmit:
		r.open(PreReview, d.PreReviewBy)
	case casework.ActResubmitOnline:
		r.PreReviewPass = false
		r.open(PreReview, d.PreReviewBy)
	case casework.ActPassPreReview:
		r.PreReviewPass = true
		r.close(PreReview, ev, onTime, Done)
	case casework.ActFailPreReview:
		r.close(PreReview, ev, onTime, Done)
	case casework.ActCompleteIntake:
		r.InTransit = d.PaperTravels
		r.open(Accept, d.AcceptBy)
		r.open(Handover, d.HandoverBy)
	case casework.ActOpen:
		r.open(Accept, d.AcceptBy)
	case casework.ActAccept:
		if ev.From == casework.Submitted {
			r.close(PreReview, ev, onTime, Done)
		} else {
			r.close(Accept, ev, onTime, Done)
		}
		r.Accepted = at
		r.open(Decide, d.DecideBy)
	case casework.ActRefuseAcceptance:
		// A decision not to accept answers the acceptance (R5) or the
		// fully online pre-review (R14) in time or late, as a return does.
		if ev.From == casework.Submitted {
			r.close(PreReview, ev, onTime, Done)
		} else {
			r.close(Accept, ev, onTime, Done)
		}
	case casework.ActReturn:
		r.close(Accept, ev, onTime, Returned)
		r.Returns = append(r.Returns, Return{At: at, By: ev.Actor, Materials: returnMaterials(d)})
	case casework.ActResubmit:
		r.InTransit = r.InTransit || d.PaperTravels
		r.open(Accept, d.AcceptBy)
		r.open(Handover, d.HandoverBy)
	case casework.ActSupply:
		r.InTransit = r.InTransit || d.PaperTravels
		r.close(Supply, ev, onTime, Done)
		r.open(Handover, d.HandoverBy)
	case casework.ActHandover:
		r.close(Handover, ev, onTime, Done)
	case casework.ActPaperArrive:
		if d.Current {
			r.InTransit = false
			r.open(Handover, d.HandoverBy) // R6 from the arrival
		}
	case casework.ActPaperSendBack:
		r.InTransit = r.InTransit || d.Current
	case casework.ActPause:
		r.pause()
	case casework.ActResume:
		r.resume(d)
	case casework.ActStartProcedure:
		if d.PauseType != "" { // a special procedure whose time is not counted
			r.pause()
		}
	case casework.ActFinishProcedure:
		if !d.DecideBy.IsZero() { // it stopped the clock: its finish resumed it
			r.resume(d)
		}
	case casework.ActApproveExtension:
		r.move(Decide, d.DecideBy)
	case casework.ActDecide:
		r.decide(ev, d, f, env)
	case casework.ActRefuseResult:
		r.Result = "refused"
		r.Refusals = append(r.Refusals, at)
		r.open(Correct, d.CorrectBy)
	case casework.ActSubmitResult:
		r.close(Correct, ev, onTime, Done)
		r.Result = "submitted"
		r.ResultTravels = d.ResultTravels
	case casework.ActResultArrive:
		r.ResultTravels = r.ResultTravels && !d.Current
	case casework.ActResultSendBack:
		r.ResultTravels = r.ResultTravels || d.Current
	case casework.ActReceiptArrive:
		if d.Current {
			r.ReceiptTravels = false
			r.open(Archive, d.ArchiveBy) // R12 from the receipt's arrival
		}
	case casework.ActReceiptSendBack:
		r.ReceiptTravels = r.ReceiptTravels || d.Current
	case casework.ActAcceptResult:
		r.Result = "accepted"
	case casework.ActMail:
		r.Result = "mailed"
	case casework.ActDeliver, casework.ActConfirmDelivery:
		r.ReceiptTravels = d.ReceiptTravels
		r.open(Archive, d.ArchiveBy) // none while the receipt travels
	case casework.ActArchive:
		r.close(Archive, ev, onTime, Done)
	}
	r.trackTrip(wasInTransit, at)
	r.trackPickup(ev, f)
	r.State = ev.To
	r.cancelStopped(at)
	r.Holder, r.Since = r.holder(f), at
	if r.Holder == NoHolder {
		r.Since = time.Time{}
	}
}

func returnMaterials(d details) []string {
	codes := slices.Clone(d.Corrections)
	for code, why := range d.Reasons {
		if why != "" && !slices.Contains(codes, code) {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	return codes
}

// decide closes the decision step and records its efficiency facts.
func (r *Record) decide(ev *casework.Event, d details, f Facts, env Env) {
	i := r.openIndex(Decide)
	if i < 0 {
		return // an instant case: decided at the window, no deadline
	}
	due := r.Steps[i].Due
	r.close(Decide, ev, d.OnTime == nil || *d.OnTime, Done)
	dec := &Decision{At: ev.At, By: ev.Actor, Promised: f.PromisedDays, Denied: d.Outcome == casework.Deny}
	if !r.Accepted.IsZero() && env.Cal != nil {
		dec.Used = max(env.Cal.WorkingDaysBetween(r.Accepted, ev.At)-r.PausedDays, 0)
		dec.FirstDay = !ev.At.After(env.Cal.AddWorkingDays(r.Accepted, 1))
	}
	dec.Early = calendar.DateOf(ev.At).Before(calendar.DateOf(due))
	r.Decision = dec
}

// open starts a step of kind due at due (none when due is zero). An open
// step of the same kind is replaced: the newer deadline is the one in force.
func (r *Record) open(k Kind, due time.Time) {
	if due.IsZero() {
		return
	}
	if i := r.openIndex(k); i >= 0 {
		r.Steps[i].Due = due
		return
	}
	ord := 1
	for _, s := range r.Steps {
		if s.Kind == k {
			ord++
		}
	}
	r.Steps = append(r.Steps, Step{Kind: k, Ord: ord, Due: due})
}

// move sets the deadline in force of the open step of kind k.
func (r *Record) move(k Kind, due time.Time) {
	if i := r.openIndex(k); i >= 0 && !due.IsZero() {
		r.Steps[i].Due = due
	}
}

func (r *Record) setPaused(p bool) {
	if i := r.openIndex(Decide); i >= 0 {
		r.Steps[i].Paused = p
	}
}

// close ends the open step of kind k as the event took it.
func (r *Record) close(k Kind, ev *casework.Event, onTime bool, a Answer) {
	i := r.openIndex(k)
	if i < 0 {
		return
	}
	s := &r.Steps[i]
	s.Done, s.By, s.Answer = ev.At, ev.Actor, a
	s.Late = !onTime
	if ev.Actor == "system" {
		s.By = ""
	}
	s.Paused = false
}

func (r *Record) openIndex(k Kind) int {
	for i := len(r.Steps) - 1; i >= 0; i-- {
		if r.Steps[i].Kind == k && !r.Steps[i].Closed() {
			return i
		}
	}
	return -1
}

// runs reports whether a step of kind k still runs in the record's state
// (casework's OpenDeadlines, read from the record).
func (r *Record) runs(k Kind) bool {
	s := r.State
	switch k {
	case PreReview:
		return s == casework.Submitted
	case Accept:
		return s == casework.Received
	case Handover:
		return s == casework.Received || s == casework.Accepted || s == casework.Decided
	case Supply:
		return !s.Closed()
	case Decide:
		return s == casework.Accepted
	case Correct:
		return s == casework.Decided
	case Archive:
		return s == casework.Delivered
	}
	return false
}

// cancelStopped ends the open steps the state no longer runs: a step whose
// deadline had already passed was missed and counts late; one still in
// time is dropped, as its deadline never came.
func (r *Record) cancelStopped(at time.Time) {
	out := r.Steps[:0]
	for _, s := range r.Steps {
		if !s.Closed() && !r.runs(s.Kind) {
			if !at.After(s.Due) {
				continue
			}
			s.Done, s.Late, s.Answer, s.Paused = at, true, Cancelled, false
		}
		out = append(out, s)
	}
	r.Steps = out
}

// Closed reports whether the case has ended: no step runs, no one holds it.
func (r *Record) Closed() bool { return r.State.Closed() }
