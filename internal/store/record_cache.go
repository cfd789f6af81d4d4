package store

import (
	"sync/atomic"

	"github.com/onewindow/onewindow/internal/supervision"
)

// Every fold of a case (rollup_log.go) reads its supervision record
// (sv_cases.record, JSON) and decodes it before folding the case's new
// events in. So the store keeps the record each fold wrote, folded, for
// the cases folded last, and a fold that reads back the very text its
// case's last fold on this node wrote takes the folded record instead of
// decoding it.
//
// The text read is the key, not the case's version: whatever wrote the
// row (another node, a rebuild folding with other working hours, a fold
// rolled back after it wrote, alone or in a failed savepoint of a group
// commit), the record is used only when the row holds the text it was
// encoded to, and so when decoding that text would give it. So an entry
// needs no publishing on commit: one whose fold rolled back is never read
// back, and is replaced by the next fold of its case.

// recordCacheSlots is how many cases' records the store keeps: a slot
// per case id modulo its size, the case changed last in it kept.
const recordCacheSlots = 4096

// recordCache holds the folded records. Safe for concurrent use: an entry
// is never changed once stored, and neither is its record.
type recordCache struct {
	slots        [recordCacheSlots]atomic.Pointer[foldedRecord]
	hits, misses atomic.Int64
}

// foldedRecord is a case's record as a change wrote it: raw is the text
// stored in sv_cases.record, record what it decodes to.
type foldedRecord struct {
	caseID int64
	raw    string
	record *supervision.Record
}

func (c *recordCache) slot(caseID int64) *atomic.Pointer[foldedRecord] {
	return &c.slots[uint64(caseID)%recordCacheSlots]
}

// get returns the record raw decodes to for the case, if its last change
// on this store wrote exactly raw. The caller must not change it.
func (c *recordCache) get(caseID int64, raw string) (*supervision.Record, bool) {
	if e := c.slot(caseID).Load(); e != nil && e.caseID == caseID && e.raw == raw {
		c.hits.Add(1)
		return e.record, true
	}
	c.misses.Add(1)
	return nil, false
}

// put keeps r, written as raw, for the case's next change; r must not be
// changed afterwards. A closed case changes seldom: its slot is freed.
func (c *recordCache) put(caseID int64, raw string, r *supervision.Record) {
	slot := c.slot(caseID)
	if r.Closed() {
		if e := slot.Load(); e != nil && e.caseID == caseID {
			slot.CompareAndSwap(e, nil)
		}
		return
	}
	slot.Store(&foldedRecord{caseID: caseID, raw: raw, record: r})
}

// RecordCacheStats are the hits and misses of the case records kept in
// memory since the store opened.
type RecordCacheStats struct {
	// Hits counts the changes that found their case's record kept,
	// Misses those that decoded it.
	Hits, Misses int64
}

// RecordCacheStats returns the hits and misses of the folded records kept
// in memory (record_cache.go).
func (s *Store) RecordCacheStats() RecordCacheStats {
	return RecordCacheStats{Hits: s.records.hits.Load(), Misses: s.records.misses.Load()}
}
