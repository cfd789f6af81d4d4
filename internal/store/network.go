package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/network"
)

// The street and community network (issue 15 items 1 and 2): the halls'
// scopes in versions, the trips of travelling paper and the batches that
// carry it.

const scopeColumns = `SELECT s.data, s.version, s.published_at, s.published_by FROM hall_scopes s `

func scanScope(row interface{ Scan(...any) error }) (network.Scope, error) {
	var sc network.Scope
	var data string
	var version int
	var at time.Time
	var by string
	if err := row.Scan(&data, &version, timeDest{&at}, &by); err != nil {
		return sc, err
	}
	if err := json.Unmarshal([]byte(data), &sc); err != nil {
		return sc, fmt.Errorf("hall scope: %w", err)
	}
	sc.Version, sc.PublishedAt, sc.PublishedBy = version, at, by
	return sc, nil
}

// hallScopeQuery finds one hall's scope in force: every intake asks it
// (prepared once on SQLite).
const hallScopeQuery = scopeColumns + `WHERE s.hall_code = $1 ORDER BY s.version DESC LIMIT 1`

// HallScope returns the scope in force (the highest version) of hall, and
// false when the hall has none published. It reads and decodes one row.
func (s *Store) HallScope(ctx context.Context, hall string) (network.Scope, bool, error) {
	sc, err := scanScope(s.row(ctx, hallScopeQuery, hall))
	if errors.Is(err, sql.ErrNoRows) {
		return network.Scope{}, false, nil
	}
	if err != nil {
		return network.Scope{}, false, mapErr(err, "hall scope")
	}
	return sc, true, nil
}

// HallScopeVersions returns every published version of a hall's scope,
// newest first.
func (s *Store) HallScopeVersions(ctx context.Context, hall string) ([]network.Scope, error) {
	rows, err := s.read.QueryContext(ctx, scopeColumns+`WHERE s.hall_code = $1 ORDER BY s.version DESC`, hall)
	if err != nil {
		return nil, err
	}
	return collectScopes(rows)
}

func collectScopes(rows *sql.Rows) ([]network.Scope, error) {
	defer rows.Close()
	var out []network.Scope
	for rows.Next() {
		sc, err := scanScope(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

// PublishHallScope stores sc as the next version of its hall's scope, in
// force from now on. baseVersion is the version the edit was made on: if
// another was published since, it is a conflict and nothing is written.
// On success sc carries its version and publication time.
func (s *Store) PublishHallScope(ctx context.Context, sc *network.Scope, baseVersion int) error {
	now := s.clock.Now()
	return s.update(ctx, func(tx *sql.Tx) error {
		var current int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM hall_scopes WHERE hall_code = $1`, sc.Hall).Scan(&current); err != nil {
			return err
		}
		if current != baseVersion {
			return apperr.New(apperr.Conflict, "该大厅的事项范围已被他人修改（当前为第 %d 版，您编辑的是第 %d 版），请刷新后重试", current, baseVersion)
		}
		out := *sc
		out.Version, out.PublishedAt = current+1, now
		data, err := json.Marshal(out)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO hall_scopes (hall_code, version, data, published_at, published_by) VALUES ($1, $2, $3, $4, $5)`,
			sc.Hall, current+1, string(data), stamp(now), sc.PublishedBy)
		if err != nil {
			if err = mapErr(err, "publish hall scope"); apperr.Is(err, apperr.Conflict) {
				return apperr.New(apperr.Conflict, "该大厅的事项范围已被他人修改，请刷新后重试")
			}
			return err
		}
		sc.Version, sc.PublishedAt = out.Version, now
		return nil
	})
}

// syncTrip keeps the case's transit trips in step with the case, in the
// transaction of its change: a trip the change started (of its paper, its
// result or its receipt) waits for a batch, and any older trip of the same
// cargo still waiting is superseded by it.
func (s *Store) syncTrip(ctx context.Context, tx *sql.Tx, c *casework.Case) error {
	for _, j := range []struct {
		cargo network.Cargo
		t     *casework.Transit
	}{{network.Paper, c.Transit}, {network.Result, c.ResultTransit}, {network.Receipt, c.ReceiptTransit}} {
		t := j.t
		if t == nil || !t.ArrivedAt.IsZero() {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE transit_trips SET superseded = 1 WHERE case_id = $1 AND cargo = $2 AND trip < $3 AND batch_id IS NULL AND superseded = 0`,
			c.ID, string(j.cargo), t.Trip); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO transit_trips (case_id, cargo, trip, case_number, from_hall, to_hall, since)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (case_id, cargo, trip) DO NOTHING`,
			c.ID, string(j.cargo), t.Trip, c.Number, t.From, t.To, stamp(t.Since)); err != nil {
			return err
		}
	}
	return nil
}

// Trip is one case's paper waiting at the hall that took it in for a
// batch to carry it.
type Trip struct {
	Cargo network.Cargo // paper, result or receipt
	Case  string        // the case number
	Trip  int           // the case's trip
	From  string        // the hall the paper waits at
	To    string        // the hall it goes to
	Since time.Time     // taken in (or sent back) at
}

// WaitingTrips returns the cargo waiting at hall for a batch (paper,
// results and receipts), oldest first.
func (s *Store) WaitingTrips(ctx context.Context, hall string) ([]Trip, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT cargo, case_number, trip, from_hall, to_hall, since FROM transit_trips
		WHERE from_hall = $1 AND batch_id IS NULL AND superseded = 0 ORDER BY since, case_number`, hall)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Trip
	for rows.Next() {
		var t Trip
		var cargo string
		if err := rows.Scan(&cargo, &t.Case, &t.Trip, &t.From, &t.To, timeDest{&t.Since}); err != nil {
			return nil, err
		}
		t.Cargo = network.Cargo(cargo)
		out = append(out, t)
	}
	return out, rows.Err()
}

// TripBatch returns the batch that took a case's trip of cargo, nil while
// the trip still waits for one.
func (s *Store) TripBatch(ctx context.Context, number string, cargo network.Cargo, trip int) (*network.Batch, error) {
	b, err := scanBatch(s.read.QueryRowContext(ctx, `SELECT b.id, b.version, b.data FROM transit_trips t JOIN transit_batches b ON b.id = t.batch_id
		WHERE t.case_number = $1 AND t.cargo = $2 AND t.trip = $3`, number, string(cargo), trip))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return b, err
}

// batchNumber formats the n-th batch of a day: JJ, the date, three digits.
func batchNumber(day time.Time, n int64) string {
	return "JJ" + day.In(clock.Shanghai).Format("20060102") + fmt.Sprintf("%03d", n)
}

// CreateBatch numbers and saves a prepared batch and takes its entries'
// trips off the waiting list, in one transaction. A trip another batch
// took in between (or a newer trip superseded) is a conflict, and nothing
// is written.
func (s *Store) CreateBatch(ctx context.Context, b *network.Batch) error {
	return s.update(ctx, func(tx *sql.Tx) error {
		n, err := s.nextCounter(ctx, tx, "batch:"+b.PreparedAt.In(clock.Shanghai).Format("20060102"))
		if err != nil {
			return err
		}
		b.Number, b.Version = batchNumber(b.PreparedAt, n), 1
		data, err := json.Marshal(b)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO transit_batches (number, cargo, from_hall, to_hall, run_at, state, prepared_at, version, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			b.Number, string(b.Cargo), b.From, b.To, stamp(b.Run), string(b.State), stamp(b.PreparedAt), b.Version, string(data)).Scan(&b.ID)
		if err != nil {
			return mapErr(err, "create batch")
		}
		for _, e := range b.Entries {
			res, err := tx.ExecContext(ctx, `UPDATE transit_trips SET batch_id = $1
				WHERE case_number = $2 AND cargo = $3 AND trip = $4 AND from_hall = $5 AND batch_id IS NULL AND superseded = 0`, b.ID, e.Case, string(b.Cargo), e.Trip, b.From)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return apperr.New(apperr.Conflict, "办件 %s 的%s已编入其他批次或已有新的待交接%s，请刷新后重新组批", e.Case, b.Cargo.Label(), b.Cargo.Label())
			}
		}
		return nil
	})
}

const batchColumns = `SELECT id, version, data FROM transit_batches `

func scanBatch(row interface{ Scan(...any) error }) (*network.Batch, error) {
	var b network.Batch
	var id int64
	var version int
	var data string
	if err := row.Scan(&id, &version, &data); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(data), &b); err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	b.ID, b.Version = id, version
	return &b, nil
}

// TransitBatch returns the batch numbered number.
func (s *Store) TransitBatch(ctx context.Context, number string) (*network.Batch, error) {
	b, err := scanBatch(s.read.QueryRowContext(ctx, batchColumns+`WHERE number = $1`, number))
	if err != nil {
		return nil, notFound(err, "没有批次 "+number)
	}
	return b, nil
}

// BatchFilter selects batches: those leaving or reaching a hall ("" for
// every hall), in the states given (all when none), newest run first.
type BatchFilter struct {
	Hall   string
	Cargo  network.Cargo // "" for every cargo
	States []network.BatchState
	Limit  int
}

// TransitBatches returns the batches f selects.
func (s *Store) TransitBatches(ctx context.Context, f BatchFilter) ([]network.Batch, error) {
	q, args := batchColumns+`WHERE 1 = 1`, []any{}
	if f.Hall != "" {
		args = append(args, f.Hall)
		q += fmt.Sprintf(` AND (from_hall = $%d OR to_hall = $%d)`, len(args), len(args))
	}
	if f.Cargo != "" {
		args = append(args, string(f.Cargo))
		q += fmt.Sprintf(` AND cargo = $%d`, len(args))
	}
	if len(f.States) > 0 {
		q += ` AND state IN (`
		for i, st := range f.States {
			args = append(args, string(st))
			if i > 0 {
				q += `, `
			}
			q += fmt.Sprintf(`$%d`, len(args))
		}
		q += `)`
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	q += fmt.Sprintf(` ORDER BY run_at DESC, number DESC LIMIT %d`, limit)
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []network.Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *b)
	}
	return out, rows.Err()
}

// BatchChange changes a batch and returns the changes of the cases it
// carries that go with it (by case number), nil for none.
type BatchChange func(b *network.Batch) (map[string]ChangeFunc, error)

// UpdateBatch changes batch number by change and each case by the change
// it returns, all in one transaction: signed in, the batch and the arrival
// (or send-back) of every case it carries are written whole or not at all.
// A batch changed by another since it was read is a conflict.
func (s *Store) UpdateBatch(ctx context.Context, number string, change BatchChange) (*network.Batch, error) {
	var out *network.Batch
	err := s.update(ctx, func(tx *sql.Tx) error {
		b, err := scanBatch(tx.QueryRowContext(ctx, batchColumns+`WHERE number = $1`, number))
		if err != nil {
			return notFound(err, "没有批次 "+number)
		}
		cases, err := change(b)
		if err != nil {
			return err
		}
		old := b.Version
		b.Version++
		data, err := json.Marshal(b)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE transit_batches SET state = $1, version = $2, data = $3 WHERE id = $4 AND version = $5`,
			string(b.State), b.Version, string(data), b.ID, old)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "批次 %s 已被他人同时修改，请刷新后重试", number)
		}
		numbers := make([]string, 0, len(cases))
		for n := range cases {
			numbers = append(numbers, n)
		}
		slices.Sort(numbers)
		for _, n := range numbers {
			if _, err := s.updateCaseTx(ctx, tx, n, cases[n]); err != nil {
				return err
			}
		}
		out = b
		return nil
	})
	return out, err
}
