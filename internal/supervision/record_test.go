package supervision_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/supervision"
)

// TestDayIsTheCalendarsDate: Day, written without fmt, names the date
// calendar.Date does, in Asia/Shanghai, whatever the time's location.
func TestDayIsTheCalendarsDate(t *testing.T) {
	times := []time.Time{
		{}, time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9, 3, 4, 5, 6, 7, 0, time.UTC),
		time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 15, 59, 59, 0, time.UTC),
		time.Date(2027, 1, 1, 0, 0, 0, 0, clock.Shanghai), time.Date(9999, 12, 31, 15, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 17, 0, 0, 0, time.UTC), time.Date(-5, 6, 7, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 7, 9, 23, 30, 0, 0, time.FixedZone("", -10*3600)),
	}
	for d := time.Date(1999, 12, 20, 3, 0, 0, 0, time.UTC); d.Year() < 2031; d = d.Add(37 * time.Hour) {
		times = append(times, d)
	}
	for _, tm := range times {
		if got, want := supervision.Day(tm), calendar.DateOf(tm).String(); got != want {
			t.Errorf("Day(%s) = %q, want %q", tm, got, want)
		}
	}
}

// TestMetricsNamedOnce: the step and holding metrics made once name what
// they always named.
func TestMetricsNamedOnce(t *testing.T) {
	for _, k := range append(supervision.Kinds, "unknown") {
		if got := supervision.StepMetric(k, false); string(got) != string(k)+".on_time" {
			t.Errorf("StepMetric(%s, on time) = %q", k, got)
		}
		if got := supervision.StepMetric(k, true); string(got) != string(k)+".late" {
			t.Errorf("StepMetric(%s, late) = %q", k, got)
		}
	}
	for _, h := range append(supervision.Holders, "unknown") {
		if got := supervision.HoldMetric(h); string(got) != "hold."+string(h) {
			t.Errorf("HoldMetric(%s) = %q", h, got)
		}
	}
}

// TestEncodeJSONIsMarshal: the record's own encoder writes what
// json.Marshal writes, byte for byte, for the records of a case's life
// and for records with every field filled at random (a field added to
// Record and not to EncodeJSON fails it), odd strings and times included;
// what it writes decodes back to the same record.
func TestEncodeJSONIsMarshal(t *testing.T) {
	check := func(what string, r *supervision.Record) {
		t.Helper()
		want, werr := json.Marshal(r)
		got, gerr := r.EncodeJSON()
		if (werr != nil) != (gerr != nil) || string(got) != string(want) {
			t.Fatalf("%s:\nEncodeJSON   %s (%v)\njson.Marshal %s (%v)", what, got, gerr, want, werr)
		}
		if werr != nil {
			return
		}
		var back supervision.Record
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("%s: %s does not decode: %v", what, got, err)
		}
		again, _ := back.EncodeJSON()
		if want, _ := json.Marshal(&back); string(again) != string(want) {
			t.Fatalf("%s: decoded and encoded again:\nEncodeJSON   %s\njson.Marshal %s", what, again, want)
		}
	}
	check("empty", &supervision.Record{})
	events := lifecycle()
	var r supervision.Record
	for i := range events {
		r.Fold(&events[i], supervision.Facts{PromisedDays: 5, PickupHall: "JC-ZWZX"}, env)
		check(string(events[i].Type), &r)
	}
	rnd := rand.New(rand.NewPCG(12, 3))
	for i := range 3000 {
		var r supervision.Record
		fill(rnd, reflect.ValueOf(&r).Elem(), i < 1000)
		check(fmt.Sprintf("random record %d", i), &r)
	}
}

var (
	oddStrings = []string{"", "shenpi", "M02", "JC-ZWZX", "李四", "a<b", "a&b", "x>y", `q"q`, `b\s`, "tab\t", "nl\n",
		"\u2028", "\u2029", "\xff", "ok\xe4\xb8", "\x7f", "é"}
	oddZones = []*time.Location{time.UTC, clock.Shanghai, time.FixedZone("", -7*3600), time.FixedZone("", 5*3600+30*60),
		time.FixedZone("", 3600+17), time.FixedZone("", 25*3600)}
)

// fill sets v at random; plain, every field is set (no zero values) and
// strings and times are ordinary ones.
func fill(rnd *rand.Rand, v reflect.Value, plain bool) {
	if v.Type() == reflect.TypeFor[time.Time]() {
		switch {
		case !plain && rnd.IntN(8) == 0:
			v.Set(reflect.ValueOf(time.Time{}))
		case !plain && rnd.IntN(30) == 0:
			v.Set(reflect.ValueOf(time.Date(10000+rnd.IntN(3)-2, 1, 1, 0, 0, 0, 0, time.UTC)))
		default:
			zone := oddZones[rnd.IntN(2)]
			if !plain {
				zone = oddZones[rnd.IntN(len(oddZones))]
			}
			ns := rnd.IntN(1_000_000_000)
			if rnd.IntN(2) == 0 {
				ns = 0
			}
			v.Set(reflect.ValueOf(time.Date(2020+rnd.IntN(10), time.Month(1+rnd.IntN(12)), 1+rnd.IntN(28), rnd.IntN(24), rnd.IntN(60), rnd.IntN(60), ns, zone)))
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		switch {
		case plain:
			v.SetString(oddStrings[1+rnd.IntN(4)])
		default:
			v.SetString(oddStrings[rnd.IntN(len(oddStrings))])
		}
	case reflect.Bool:
		v.SetBool(plain || rnd.IntN(2) == 0)
	case reflect.Int, reflect.Int64:
		n := rnd.Int64N(2000) - 500
		if n == 0 || !plain && rnd.IntN(4) == 0 {
			n = map[bool]int64{true: 1, false: 0}[plain]
		}
		v.SetInt(n)
	case reflect.Slice:
		n := rnd.IntN(4)
		if plain {
			n++
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fill(rnd, s.Index(i), plain)
		}
		if n > 0 || rnd.IntN(2) == 0 {
			v.Set(s) // else nil
		}
	case reflect.Pointer:
		if plain || rnd.IntN(3) > 0 {
			p := reflect.New(v.Type().Elem())
			fill(rnd, p.Elem(), plain)
			v.Set(p)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			fill(rnd, v.Field(i), plain)
		}
	default:
		panic("fill: a field of kind " + v.Kind().String() + ": teach fill and EncodeJSON")
	}
}

// TestDecodeJSONIsUnmarshal: the record's own decoder gives what
// json.Unmarshal gives, error or record, for what EncodeJSON writes, for
// records as older versions wrote them and for odd or broken text.
func TestDecodeJSONIsUnmarshal(t *testing.T) {
	check := func(what string, data []byte) {
		t.Helper()
		var want, got supervision.Record
		werr := json.Unmarshal(data, &want)
		gerr := got.DecodeJSON(data)
		w, _ := json.Marshal(&want)
		g, _ := json.Marshal(&got)
		if (werr != nil) != (gerr != nil) || string(w) != string(g) {
			t.Fatalf("%s: %s\nDecodeJSON     %s (%v)\njson.Unmarshal %s (%v)", what, data, g, gerr, w, werr)
		}
	}
	events := lifecycle()
	var r supervision.Record
	for i := range events {
		r.Fold(&events[i], supervision.Facts{PromisedDays: 5, PickupHall: "JC-ZWZX"}, env)
		data, _ := r.EncodeJSON()
		check(string(events[i].Type), data)
	}
	rnd := rand.New(rand.NewPCG(7, 11))
	for i := range 3000 {
		var r supervision.Record
		fill(rnd, reflect.ValueOf(&r).Elem(), i < 1000)
		data, err := json.Marshal(&r)
		if err != nil {
			continue // a time json refuses
		}
		check(fmt.Sprintf("random record %d", i), data)
		// Cut short, or a byte changed: an error or a record, as json says.
		check(fmt.Sprintf("random record %d cut", i), data[:rnd.IntN(len(data))])
		broken := []byte(string(data))
		const odd = `{}[]:,"\ 0-.tTZ+`
		broken[rnd.IntN(len(broken))] = odd[rnd.IntN(len(odd))]
		check(fmt.Sprintf("random record %d changed", i), broken)
	}
	for _, s := range []string{
		// as written before the moves (no trips, no pickup) and before the
		// steps' short names had every field
		`{"intake":"2026-09-30T14:00:00+08:00","intake_by":"shouli","steps":[{"k":"accept","o":1,"d":"2026-10-09T17:00:00+08:00"}],"state":"received","holder":"department","since":"2026-09-30T14:00:00+08:00"}`,
		// fields in another order, spaces, escapes, nulls, unknown and repeated keys, a key in capitals
		`{"state":"received","intake_by":"shouli","intake":"2026-09-30T14:00:00+08:00"}`,
		`{ "intake": "2026-09-30T14:00:00+08:00", "state": "received" }`,
		`{"intake_by":"sh\u006fuli","state":"received"}`,
		`{"intake_by":"a\"b","result":"\\"}`,
		`{"steps":null,"decision":null,"intake":null}`,
		`{"unknown":1,"state":"received"}`,
		`{"decision":{"at":"2026-10-20T10:00:00+08:00","used":3},"decision":{"by":"shenpi"}}`,
		`{"pickup":{"hall":"A"},"pickup":{"at":"2026-10-20T10:00:00Z"}}`,
		`{"State":"received","Intake_By":"x"}`,
		`{"steps":[{"k":"accept","o":1,"o":2,"d":"2026-10-09T17:00:00Z"}]}`,
		`{"steps":[],"hold":[],"returns":[{"at":"2026-10-09T17:00:00Z","by":"x","m":[]}],"refusals":[],"trips":[{}]}`,
		// numbers and times json refuses or reads its own way
		`{"paused_days":1.5}`, `{"paused_days":1e2}`, `{"paused_days":-0}`, `{"paused_days":007}`,
		`{"paused_days":123456789012345678901}`, `{"decision":{"used":-9223372036854775808}}`,
		`{"intake":"2026-09-30 14:00:00Z"}`, `{"intake":"2026-09-30T14:00:00,5Z"}`, `{"intake":"2026-09-30T24:00:00Z"}`,
		`{"intake":"2026-09-30T14:00:00+24:00"}`, `{"intake":"2026-09-30T14:00:00+08:60"}`, `{"intake":"2026-02-30T14:00:00Z"}`,
		`{"intake":"2026-09-30T14:00:00.1234567891Z"}`, `{"intake":"2026-09-30T14:00:00.Z"}`, `{"intake":"2026-09-30T14:00:00z"}`,
		`{"paused":tru}`, `{"paused":true,}`, `{}`, `{}x`, ``, `[]`, `"x"`, `{"state":"received"`, `{"intake_by":"` + "\xff" + `"}`,
	} {
		check("literal", []byte(s))
	}
}
