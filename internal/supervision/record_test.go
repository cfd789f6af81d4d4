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
