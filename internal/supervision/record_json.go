package supervision

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/casework"
)

// EncodeJSON returns what json.Marshal(r) returns, byte for byte, written
// without reflection: every case change stores its record so
// (sv_cases.record), and the reflecting encoder cost several times more.
// A value it does not write itself (a time json refuses, a string to
// escape) makes it hand the whole record to json.Marshal.
func (r *Record) EncodeJSON() ([]byte, error) {
	e := recordEncoder{b: make([]byte, 0, 1024)}
	e.record(r)
	if e.odd {
		return json.Marshal(r)
	}
	return e.b, nil
}

// recordEncoder writes a record's JSON as encoding/json does: fields in
// their order, omitempty and omitzero as tagged, times as RFC 3339 with
// nanoseconds.
type recordEncoder struct {
	b   []byte
	odd bool // a value to leave to encoding/json
}

func (e *recordEncoder) record(r *Record) {
	e.b = append(e.b, `{"intake":`...)
	e.time(r.Intake)
	e.b = append(e.b, `,"intake_by":`...)
	e.str(r.IntakeBy)
	if len(r.Steps) > 0 {
		e.b = append(e.b, `,"steps":[`...)
		for i, s := range r.Steps {
			e.comma(i)
			e.step(s)
		}
		e.b = append(e.b, ']')
	}
	if len(r.Hold) > 0 {
		e.b = append(e.b, `,"hold":[`...)
		for i, h := range r.Hold {
			e.comma(i)
			e.b = append(e.b, `{"d":`...)
			e.str(h.Day)
			e.b = append(e.b, `,"h":`...)
			e.str(string(h.Holder))
			e.b = append(e.b, `,"m":`...)
			e.b = strconv.AppendInt(e.b, h.Minutes, 10)
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, ']')
	}
	if len(r.Returns) > 0 {
		e.b = append(e.b, `,"returns":[`...)
		for i, ret := range r.Returns {
			e.comma(i)
			e.ret(ret)
		}
		e.b = append(e.b, ']')
	}
	if r.Decision != nil {
		e.decision(r.Decision)
	}
	if len(r.Refusals) > 0 {
		e.b = append(e.b, `,"refusals":[`...)
		for i, t := range r.Refusals {
			e.comma(i)
			e.time(t)
		}
		e.b = append(e.b, ']')
	}
	if len(r.Trips) > 0 {
		e.b = append(e.b, `,"trips":[`...)
		for i, t := range r.Trips {
			e.comma(i)
			e.trip(t)
		}
		e.b = append(e.b, ']')
	}
	if p := r.Pickup; p != nil {
		e.b = append(e.b, `,"pickup":{"at":`...)
		e.time(p.At)
		e.b = append(e.b, `,"hall":`...)
		e.str(p.Hall)
		e.b = append(e.b, '}')
	}
	e.b = append(e.b, `,"state":`...)
	e.str(string(r.State))
	if r.Holder != "" {
		e.b = append(e.b, `,"holder":`...)
		e.str(string(r.Holder))
	}
	if !r.Since.IsZero() {
		e.b = append(e.b, `,"since":`...)
		e.time(r.Since)
	}
	e.flag(`,"paused":true`, r.Paused)
	e.flag(`,"prereview_pass":true`, r.PreReviewPass)
	e.flag(`,"in_transit":true`, r.InTransit)
	e.flag(`,"result_travels":true`, r.ResultTravels)
	e.flag(`,"receipt_travels":true`, r.ReceiptTravels)
	if r.Result != "" {
		e.b = append(e.b, `,"result":`...)
		e.str(r.Result)
	}
	if !r.Accepted.IsZero() {
		e.b = append(e.b, `,"accepted":`...)
		e.time(r.Accepted)
	}
	if r.PausedDays != 0 {
		e.b = append(e.b, `,"paused_days":`...)
		e.b = strconv.AppendInt(e.b, int64(r.PausedDays), 10)
	}
	e.b = append(e.b, '}')
}

func (e *recordEncoder) ret(ret Return) {
	e.b = append(e.b, `{"at":`...)
	e.time(ret.At)
	e.b = append(e.b, `,"by":`...)
	e.str(ret.By)
	if len(ret.Materials) > 0 {
		e.b = append(e.b, `,"m":[`...)
		for j, m := range ret.Materials {
			e.comma(j)
			e.str(m)
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, '}')
}

func (e *recordEncoder) decision(d *Decision) {
	e.b = append(e.b, `,"decision":{"at":`...)
	e.time(d.At)
	e.b = append(e.b, `,"by":`...)
	e.str(d.By)
	e.b = append(e.b, `,"used":`...)
	e.b = strconv.AppendInt(e.b, int64(d.Used), 10)
	e.b = append(e.b, `,"promised":`...)
	e.b = strconv.AppendInt(e.b, int64(d.Promised), 10)
	e.b = append(e.b, `,"early":`...)
	e.b = strconv.AppendBool(e.b, d.Early)
	e.b = append(e.b, `,"first":`...)
	e.b = strconv.AppendBool(e.b, d.FirstDay)
	e.flag(`,"denied":true`, d.Denied)
	e.b = append(e.b, '}')
}

func (e *recordEncoder) trip(t Trip) {
	e.b = append(e.b, `{"s":`...)
	e.time(t.Start)
	if !t.End.IsZero() {
		e.b = append(e.b, `,"e":`...)
		e.time(t.End)
	}
	if t.Minutes != 0 {
		e.b = append(e.b, `,"m":`...)
		e.b = strconv.AppendInt(e.b, t.Minutes, 10)
	}
	e.b = append(e.b, '}')
}

func (e *recordEncoder) step(s Step) {
	e.b = append(e.b, `{"k":`...)
	e.str(string(s.Kind))
	e.b = append(e.b, `,"o":`...)
	e.b = strconv.AppendInt(e.b, int64(s.Ord), 10)
	e.b = append(e.b, `,"d":`...)
	e.time(s.Due)
	if !s.Done.IsZero() {
		e.b = append(e.b, `,"t":`...)
		e.time(s.Done)
	}
	e.flag(`,"l":true`, s.Late)
	if s.By != "" {
		e.b = append(e.b, `,"b":`...)
		e.str(s.By)
	}
	if s.Answer != "" {
		e.b = append(e.b, `,"a":`...)
		e.str(string(s.Answer))
	}
	e.flag(`,"p":true`, s.Paused)
	e.b = append(e.b, '}')
}

func (e *recordEncoder) comma(i int) {
	if i > 0 {
		e.b = append(e.b, ',')
	}
}

func (e *recordEncoder) flag(field string, on bool) {
	if on {
		e.b = append(e.b, field...)
	}
}

// time writes t as time.Time's MarshalJSON does; one it would refuse or
// might write otherwise (a year outside 0–9999, an offset of a day or
// more, or in seconds) is odd.
func (e *recordEncoder) time(t time.Time) {
	if y := t.Year(); y < 0 || y > 9999 {
		e.odd = true
		return
	}
	if _, off := t.Zone(); off%60 != 0 || off <= -24*3600 || off >= 24*3600 {
		e.odd = true
		return
	}
	e.b = append(e.b, '"')
	e.b = t.AppendFormat(e.b, time.RFC3339Nano)
	e.b = append(e.b, '"')
}

// str writes s quoted; one with anything encoding/json escapes or
// replaces (a control byte, a quote, a backslash, <, > or &, U+2028,
// U+2029, bytes that are not UTF-8) is odd.
func (e *recordEncoder) str(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				e.odd = true
				return
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r == '\u2028' || r == '\u2029' {
			e.odd = true
			return
		}
		i += n
	}
	e.b = append(e.b, '"')
	e.b = append(e.b, s...)
	e.b = append(e.b, '"')
}

// DecodeJSON sets r to the record data holds, as json.Unmarshal into a
// zero Record does, parsed without reflection for the form EncodeJSON
// and json.Marshal write (no spaces, no escapes, no nulls, known keys
// once each); anything else is left to json.Unmarshal.
func (r *Record) DecodeJSON(data []byte) error {
	d := recordDecoder{b: data}
	*r = Record{}
	d.record(r)
	if d.bad || d.i != len(d.b) {
		*r = Record{}
		return json.Unmarshal(data, r)
	}
	return nil
}

// recordDecoder reads what recordEncoder writes. Anything it does not
// expect sets bad, and the caller starts again with encoding/json.
type recordDecoder struct {
	b   []byte
	i   int
	bad bool
}

func (d *recordDecoder) byte(c byte) bool {
	if d.bad || d.i >= len(d.b) || d.b[d.i] != c {
		d.bad = true
		return false
	}
	d.i++
	return true
}

// more reads the ',' before the next element, or the closing end.
func (d *recordDecoder) more(end byte) bool {
	if d.bad || d.i >= len(d.b) {
		d.bad = true
		return false
	}
	switch d.b[d.i] {
	case ',':
		d.i++
		return true
	case end:
		d.i++
		return false
	}
	d.bad = true
	return false
}

// object reads {"key":value,…}, field calling value's reader for each key.
func (d *recordDecoder) object(field func(key string)) {
	if !d.byte('{') {
		return
	}
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		return
	}
	for {
		key := d.raw()
		if !d.byte(':') {
			return
		}
		field(string(key))
		if d.bad || !d.more('}') {
			return
		}
	}
}

// array reads […], elem reading each element.
func (d *recordDecoder) array(elem func()) {
	if !d.byte('[') {
		return
	}
	if d.i < len(d.b) && d.b[d.i] == ']' {
		d.i++
		return
	}
	for {
		elem()
		if d.bad || !d.more(']') {
			return
		}
	}
}

// raw reads a string without escapes and returns its bytes, unquoted.
func (d *recordDecoder) raw() []byte {
	if !d.byte('"') {
		return nil
	}
	start := d.i
	for ; d.i < len(d.b); d.i++ {
		switch c := d.b[d.i]; {
		case c == '"':
			s := d.b[start:d.i]
			d.i++
			if !utf8.Valid(s) {
				d.bad = true
			}
			return s
		case c == '\\' || c < 0x20:
			d.bad = true
			return nil
		}
	}
	d.bad = true
	return nil
}

func (d *recordDecoder) str() string { return string(d.raw()) }

func (d *recordDecoder) bool() bool {
	switch {
	case d.bad:
	case len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "true":
		d.i += 4
		return true
	case len(d.b)-d.i >= 5 && string(d.b[d.i:d.i+5]) == "false":
		d.i += 5
		return false
	}
	d.bad = true
	return false
}

// int reads an integer of at most 18 digits (no overflow to check).
func (d *recordDecoder) int() int64 {
	if d.bad {
		return 0
	}
	neg := d.i < len(d.b) && d.b[d.i] == '-'
	if neg {
		d.i++
	}
	start := d.i
	var n int64
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		n = n*10 + int64(d.b[d.i]-'0')
		d.i++
	}
	digits := d.i - start
	if digits == 0 || digits > 18 || digits > 1 && d.b[start] == '0' {
		d.bad = true
		return 0
	}
	if d.i < len(d.b) && (d.b[d.i] == '.' || d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		d.bad = true // json would refuse a fraction for an integer
		return 0
	}
	if neg {
		return -n
	}
	return n
}

// time reads a time as time.Time's UnmarshalJSON does, for the shape
// MarshalJSON writes: 2006-01-02T15:04:05[.fraction](Z|±07:00).
func (d *recordDecoder) time() time.Time {
	s := d.raw()
	if d.bad {
		return time.Time{}
	}
	ok := len(s) >= 20
	for i := 0; ok && i < 19; i++ {
		switch i {
		case 4, 7:
			ok = s[i] == '-'
		case 10:
			ok = s[i] == 'T'
		case 13, 16:
			ok = s[i] == ':'
		default:
			ok = s[i] >= '0' && s[i] <= '9'
		}
	}
	rest := s[min(19, len(s)):]
	if ok && rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		ok = n > 1 && n <= 10
		rest = rest[n:]
	}
	if ok {
		switch {
		case len(rest) == 1:
			ok = rest[0] == 'Z'
		case len(rest) == 6:
			ok = (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' && rest[1] >= '0' && rest[1] <= '1' &&
				rest[2] >= '0' && rest[2] <= '9' && rest[4] >= '0' && rest[4] <= '5' && rest[5] >= '0' && rest[5] <= '9'
		default:
			ok = false
		}
	}
	if !ok {
		d.bad = true
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, string(s))
	if err != nil {
		d.bad = true
	}
	return t
}

func (d *recordDecoder) record(r *Record) {
	var seen uint32
	d.object(func(key string) {
		bit := uint32(0)
		switch key {
		case "intake":
			bit, r.Intake = 1<<0, d.time()
		case "intake_by":
			bit, r.IntakeBy = 1<<1, d.str()
		case "steps":
			bit, r.Steps = 1<<2, make([]Step, 0, 8)
			d.array(func() { r.Steps = append(r.Steps, d.step()) })
		case "hold":
			bit, r.Hold = 1<<3, make([]HoldDay, 0, 8)
			d.array(func() { r.Hold = append(r.Hold, d.holdDay()) })
		case "returns":
			bit, r.Returns = 1<<4, []Return{}
			d.array(func() { r.Returns = append(r.Returns, d.ret()) })
		case "decision":
			bit, r.Decision = 1<<5, d.decision()
		case "refusals":
			bit, r.Refusals = 1<<6, []time.Time{}
			d.array(func() { r.Refusals = append(r.Refusals, d.time()) })
		case "trips":
			bit, r.Trips = 1<<7, []Trip{}
			d.array(func() { r.Trips = append(r.Trips, d.trip()) })
		case "pickup":
			bit, r.Pickup = 1<<8, d.pickup()
		case "state":
			bit, r.State = 1<<9, casework.State(d.str())
		case "holder":
			bit, r.Holder = 1<<10, Holder(d.str())
		case "since":
			bit, r.Since = 1<<11, d.time()
		case "paused":
			bit, r.Paused = 1<<12, d.bool()
		case "prereview_pass":
			bit, r.PreReviewPass = 1<<13, d.bool()
		case "in_transit":
			bit, r.InTransit = 1<<14, d.bool()
		case "result_travels":
			bit, r.ResultTravels = 1<<15, d.bool()
		case "receipt_travels":
			bit, r.ReceiptTravels = 1<<16, d.bool()
		case "result":
			bit, r.Result = 1<<17, d.str()
		case "accepted":
			bit, r.Accepted = 1<<18, d.time()
		case "paused_days":
			bit, r.PausedDays = 1<<19, int(d.int())
		default:
			d.bad = true
		}
		if seen&bit != 0 {
			d.bad = true // json.Unmarshal merges a repeated object: left to it
		}
		seen |= bit
	})
}

func (d *recordDecoder) holdDay() HoldDay {
	var h HoldDay
	d.object(func(key string) {
		switch key {
		case "d":
			h.Day = d.str()
		case "h":
			h.Holder = Holder(d.str())
		case "m":
			h.Minutes = d.int()
		default:
			d.bad = true
		}
	})
	return h
}

func (d *recordDecoder) ret() Return {
	var ret Return
	d.object(func(key string) {
		switch key {
		case "at":
			ret.At = d.time()
		case "by":
			ret.By = d.str()
		case "m":
			ret.Materials = []string{}
			d.array(func() { ret.Materials = append(ret.Materials, d.str()) })
		default:
			d.bad = true
		}
	})
	return ret
}

func (d *recordDecoder) decision() *Decision {
	dec := &Decision{}
	d.object(func(key string) {
		switch key {
		case "at":
			dec.At = d.time()
		case "by":
			dec.By = d.str()
		case "used":
			dec.Used = int(d.int())
		case "promised":
			dec.Promised = int(d.int())
		case "early":
			dec.Early = d.bool()
		case "first":
			dec.FirstDay = d.bool()
		case "denied":
			dec.Denied = d.bool()
		default:
			d.bad = true
		}
	})
	return dec
}

func (d *recordDecoder) trip() Trip {
	var t Trip
	d.object(func(key string) {
		switch key {
		case "s":
			t.Start = d.time()
		case "e":
			t.End = d.time()
		case "m":
			t.Minutes = d.int()
		default:
			d.bad = true
		}
	})
	return t
}

func (d *recordDecoder) pickup() *Pickup {
	p := &Pickup{}
	d.object(func(key string) {
		switch key {
		case "at":
			p.At = d.time()
		case "hall":
			p.Hall = d.str()
		default:
			d.bad = true
		}
	})
	return p
}

func (d *recordDecoder) step() Step {
	var s Step
	d.object(func(key string) {
		switch key {
		case "k":
			s.Kind = Kind(d.str())
		case "o":
			s.Ord = int(d.int())
		case "d":
			s.Due = d.time()
		case "t":
			s.Done = d.time()
		case "l":
			s.Late = d.bool()
		case "b":
			s.By = d.str()
		case "a":
			s.Answer = Answer(d.str())
		case "p":
			s.Paused = d.bool()
		default:
			d.bad = true
		}
	})
	return s
}
