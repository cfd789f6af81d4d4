package supervision

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
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
		e.b = append(e.b, ']')
	}
	if d := r.Decision; d != nil {
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
		if d.Denied {
			e.b = append(e.b, `,"denied":true`...)
		}
		e.b = append(e.b, '}')
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
