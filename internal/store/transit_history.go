package store

import (
	"encoding/json"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/network"
)

// Transit batches of generated history (`onewindow demo generate`): the
// story numbers a run's batch when its first case joins it (the number
// goes into the arrival event), takes each case's trip off the waiting
// list as it joins, and saves the batch whole when the story's batch of
// cases ends.

// CreateTransitBatch numbers t as CreateBatch numbers a batch (JJ, the
// day it was prepared, the day's next number) and saves it as it stands.
func (b *CaseBatch) CreateTransitBatch(t *network.Batch) error {
	n, err := b.s.nextCounter(b.ctx, b.tx, "batch:"+t.PreparedAt.In(clock.Shanghai).Format("20060102"))
	if err != nil {
		return err
	}
	t.Number, t.Version = batchNumber(t.PreparedAt, n), 1
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	err = b.tx.QueryRowContext(b.ctx, `INSERT INTO transit_batches (number, cargo, from_hall, to_hall, run_at, state, prepared_at, version, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		t.Number, string(t.Cargo), t.From, t.To, stamp(t.Run), string(t.State), stamp(t.PreparedAt), t.Version, string(data)).Scan(&t.ID)
	return mapErr(err, "create generated batch")
}

// JoinTransitBatch takes the trip of entry e off the waiting list into
// batch t, as CreateBatch takes its entries': a trip taken already (or
// superseded) is a conflict.
func (b *CaseBatch) JoinTransitBatch(t *network.Batch, e network.Entry) error {
	res, err := b.tx.ExecContext(b.ctx, `UPDATE transit_trips SET batch_id = $1
		WHERE case_number = $2 AND trip = $3 AND from_hall = $4 AND batch_id IS NULL AND superseded = 0`, t.ID, e.Case, e.Trip, t.From)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.Conflict, "办件 %s 的第 %d 次交接不在待交接材料中", e.Case, e.Trip)
	}
	return nil
}

// SaveTransitBatch writes t (created by CreateTransitBatch) as it now
// stands: its entries and signatures.
func (b *CaseBatch) SaveTransitBatch(t *network.Batch) error {
	t.Version++
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	_, err = b.tx.ExecContext(b.ctx, `UPDATE transit_batches SET state = $1, version = $2, data = $3 WHERE id = $4`,
		string(t.State), t.Version, string(data), t.ID)
	return mapErr(err, "save generated batch")
}
