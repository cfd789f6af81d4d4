package supervision

import (
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/casework"
)

// A case's moves between halls, for the per-hall figures (issue 15 item
// 6): the trips its paper makes from a street or community hall to the
// district hall (大厅间交接), and the result collected at a hall (领取).
// Both are derived from the events like every other figure.

// Trip is one journey of a case's paper from the hall that took it in to
// the district hall: it starts when the paper starts travelling (intake,
// a supply or a resubmission at a street) and ends when a batch brings it
// in (paper-arrive of the current trip). A trip whose paper was sent back
// goes on until the paper finally arrives. Minutes are the working minutes
// the transit held the case during the trip (supervision.Transit).
type Trip struct {
	Start   time.Time `json:"s"`
	End     time.Time `json:"e,omitzero"`
	Minutes int64     `json:"m,omitempty"`
}

// Arrived reports whether the trip has ended.
func (t Trip) Arrived() bool { return !t.End.IsZero() }

// Pickup is the result handed over at a hall's issuance desk against the
// delivery receipt (not a mailed result).
type Pickup struct {
	At   time.Time `json:"at"`
	Hall string    `json:"hall"`
}

// The metrics of the moves. Trips are counted on the day they arrive,
// with their minutes and their bucket of working hours (for the 90th
// percentile); pickups on the day of handover, under the metric naming
// the pickup hall (the rollup's hall is the intake hall, and a result can
// be collected at another).
const (
	MetricTransit        Metric = "transit"         // trips arrived
	MetricTransitMinutes Metric = "transit_minutes" // their transit minutes, summed
	transitHoursPrefix          = "transit_h:"
	pickupPrefix                = "pickup:"
)

// TransitBuckets is the last bucket of the trips' working hours: a trip of
// more hours is counted in it.
const TransitBuckets = 80

// TransitBucket is the metric of trips that took up to h working hours
// (h = the minutes rounded up to whole hours, at most TransitBuckets).
func TransitBucket(minutes int64) Metric {
	h := min((minutes+59)/60, TransitBuckets)
	return Metric(transitHoursPrefix + strconv.FormatInt(h, 10))
}

// TransitHours returns the hours of a transit bucket metric.
func (m Metric) TransitHours() (int64, bool) {
	s, ok := strings.CutPrefix(string(m), transitHoursPrefix)
	if !ok {
		return 0, false
	}
	h, err := strconv.ParseInt(s, 10, 64)
	return h, err == nil
}

// TransitHoursPrefix is the prefix of the transit buckets' metrics.
const TransitHoursPrefix = transitHoursPrefix

// PickupPrefix is the prefix of the pickups' metrics.
const PickupPrefix = pickupPrefix

// PickupMetric is the metric of results collected at hall.
func PickupMetric(hall string) Metric { return Metric(pickupPrefix + hall) }

// PickupHall returns the hall of a pickup metric.
func (m Metric) PickupHall() (string, bool) {
	return strings.CutPrefix(string(m), pickupPrefix)
}

// Percentile returns the smallest bucket's hours that hold at least the
// share p (0–1) of the counted trips: the percentile to the whole hour
// above it. ok is false when no trip was counted.
func Percentile(buckets map[int64]int64, p float64) (hours int64, ok bool) {
	var total int64
	for _, n := range buckets {
		total += n
	}
	if total == 0 {
		return 0, false
	}
	need := int64(p*float64(total) + 0.999999)
	var seen int64
	for h := int64(0); h <= TransitBuckets; h++ {
		seen += buckets[h]
		if seen >= need {
			return h, true
		}
	}
	return TransitBuckets, true
}

// trackTrip starts or ends a trip when the paper starts or stops
// travelling (was is InTransit before the event).
func (r *Record) trackTrip(was bool, at time.Time) {
	switch {
	case !was && r.InTransit:
		r.Trips = append(r.Trips, Trip{Start: at})
	case was && !r.InTransit:
		if i := len(r.Trips) - 1; i >= 0 && !r.Trips[i].Arrived() {
			r.Trips[i].End = at
		}
	}
}

// addTripMinutes adds transit minutes to the trip under way.
func (r *Record) addTripMinutes(m int64) {
	if i := len(r.Trips) - 1; i >= 0 && !r.Trips[i].Arrived() {
		r.Trips[i].Minutes += m
	}
}

// trackPickup records a result handed over at the pickup hall.
func (r *Record) trackPickup(ev *casework.Event, f Facts) {
	if ev.Type == casework.ActDeliver && f.PickupHall != "" {
		r.Pickup = &Pickup{At: ev.At, Hall: f.PickupHall}
	}
}

// moveEntries adds the counts of the case's moves.
func (r *Record) moveEntries(add func(day string, m Metric, user string, n int64)) {
	for _, t := range r.Trips {
		if !t.Arrived() {
			continue
		}
		day := Day(t.End)
		add(day, MetricTransit, "", 1)
		add(day, MetricTransitMinutes, "", t.Minutes)
		add(day, TransitBucket(t.Minutes), "", 1)
	}
	if p := r.Pickup; p != nil {
		add(Day(p.At), PickupMetric(p.Hall), "", 1)
	}
}

// MoveKind names a kind of move a drill-down lists.
type MoveKind string

// The moves.
const (
	MoveTransit MoveKind = "transit" // a trip arrived at the district hall
	MovePickup  MoveKind = "pickup"  // a result collected
)

// Valid reports whether k is a move kind.
func (k MoveKind) Valid() bool { return k == MoveTransit || k == MovePickup }

// Move is one row of the moves a drill-down lists: a trip (by its arrival
// day, at the intake hall) or a pickup (by its day, at the pickup hall).
type Move struct {
	Kind    MoveKind
	Ord     int
	Hall    string
	At      time.Time
	Minutes int64
}

// Moves returns the case's arrived trips and its pickup; intakeHall is the
// hall its trips leave from.
func (r *Record) Moves(intakeHall string) []Move {
	var out []Move
	for i, t := range r.Trips {
		if t.Arrived() {
			out = append(out, Move{Kind: MoveTransit, Ord: i + 1, Hall: intakeHall, At: t.End, Minutes: t.Minutes})
		}
	}
	if p := r.Pickup; p != nil {
		out = append(out, Move{Kind: MovePickup, Ord: 1, Hall: p.Hall, At: p.At})
	}
	return out
}

// The ratings given at each hall (满意率 per hall), counted in the hall
// rollup rows (key: the hall where the rating was given, department: the
// rating's) on the rating's day, in the rating's own transaction; a rating
// whose appeal is upheld is taken out again.
const (
	MetricRating    Metric = "rating"     // ratings
	MetricRatingBad Metric = "rating_bad" // of which bad (不满意, 非常不满意)
)
