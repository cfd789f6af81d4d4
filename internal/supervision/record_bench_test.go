package supervision_test

import (
	"encoding/json"
	"testing"

	"github.com/onewindow/onewindow/internal/supervision"
)

// BenchmarkChange measures what a case change does to the case's record in
// the rollups, per event of lifecycle(): decode the stored record, fold the
// event into a copy, diff the two records' entries and encode the copy.
func BenchmarkChange(b *testing.B) {
	events := lifecycle()
	facts := supervision.Facts{PromisedDays: 5}
	raws := make([][]byte, len(events))
	recs := make([]*supervision.Record, len(events))
	r := &supervision.Record{}
	for i := range events {
		r.Fold(&events[i], facts, env)
		recs[i] = r.Clone()
		raws[i], _ = json.Marshal(r)
	}
	b.Run("decode", func(b *testing.B) {
		for i := range b.N {
			var r supervision.Record
			if err := json.Unmarshal(raws[i%len(raws)], &r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode-own", func(b *testing.B) {
		for i := range b.N {
			var r supervision.Record
			if err := r.DecodeJSON(raws[i%len(raws)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode", func(b *testing.B) {
		for i := range b.N {
			if _, err := json.Marshal(recs[i%len(recs)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode-own", func(b *testing.B) {
		for i := range b.N {
			if _, err := recs[i%len(recs)].EncodeJSON(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("clone+fold", func(b *testing.B) {
		for i := range b.N {
			j := i % (len(recs) - 1)
			recs[j].Clone().Fold(&events[j+1], facts, env)
		}
	})
	b.Run("entries", func(b *testing.B) {
		for i := range b.N {
			recs[i%len(recs)].Entries()
		}
	})
	b.Run("diff", func(b *testing.B) {
		es := make([]map[supervision.EntryKey]int64, len(recs))
		for i := range recs {
			es[i] = recs[i].Entries()
		}
		b.ResetTimer()
		for i := range b.N {
			j := i % (len(recs) - 1)
			supervision.Diff(es[j], es[j+1])
		}
	})
	b.Logf("record sizes: first %d, last %d bytes", len(raws[0]), len(raws[len(raws)-1]))
}
