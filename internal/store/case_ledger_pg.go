package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/ledger"
)

// streamPlan asks PostgreSQL, for the transaction, for a plan that
// streams: no sort (a plan that yields the rows in order, as an index
// does, wins over one that sorts unless none exists), no parallel
// workers, no JIT compilation.
const streamPlan = `SELECT set_config('enable_sort', 'off', true), set_config('max_parallel_workers_per_gather', '0', true),
	set_config('jit', 'off', true)`

// caseLedgerPG reads the case ledger's rows on PostgreSQL for CaseLedger,
// through pgx itself, and if stream, in a read-only transaction under
// streamPlan.
//
// The plan: PostgreSQL plans for the least total cost, and for a whole
// period's case ledger that was reading cases and case_ledger whole,
// hashing, and sorting on two parallel workers (an external merge): the
// first row came after the server's last (≈ 170–210 ms for 24,000 rows
// here), while the export's two goroutines waited, and then the server
// had taken the cores they needed. Walking cases_received (received_at,
// number, …) in order with a lookup of each case's ledger row yields the
// rows in the ledger's order: the first at once, the rest as the export
// takes them, on one server process. (SQLite's plan walks the same index
// already.) CaseLedger asks for it for a whole period's ledger only, and
// not for a page: a filter by department, item, hall, state or lateness
// keeps a part of the period, which an index of its own finds and a
// sort orders cheaply, where the walk in order would read the whole
// period's cases to keep that part.
//
// The reading: through database/sql every column of every row was made
// a driver.Value (a new string for each text, a time.Time for each time)
// and then copied into its destination: about half of the reading
// goroutine's 2.6–3.4 µs of CPU per row. Here each row's raw
// values are decoded in place: the times from PostgreSQL's binary format
// (microseconds since 2000), the counts from theirs, and the texts that
// repeat from row to row (item, department, hall, channel, state,
// outcome) are made strings once per export, not once per row.
//
// Errors of the database are mapped as mapErr does; each's are returned
// as they are.
func (s *Store) caseLedgerPG(ctx context.Context, query string, args []any, reveal, stream bool, each func(*ledger.CaseEntry) error) error {
	conn, err := s.read.Conn(ctx)
	if err != nil {
		return mapErr(err, "case ledger")
	}
	defer conn.Close()
	var callerErr error // each's, or the ID number's
	err = conn.Raw(func(dc any) error {
		pc, ok := pgxConn(dc)
		if !ok {
			return fmt.Errorf("case ledger: not a pgx connection: %T", dc)
		}
		var q interface {
			Query(context.Context, string, ...any) (pgx.Rows, error)
		} = pc
		if stream {
			tx, err := pc.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
			if err != nil {
				return err
			}
			defer tx.Rollback(context.WithoutCancel(ctx)) // it wrote nothing
			if _, err := tx.Exec(ctx, streamPlan); err != nil {
				return err
			}
			q = tx
		}
		rows, err := q.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		d := rowDecoder{fields: rows.FieldDescriptions(), types: pc.TypeMap(), seen: map[string]string{}}
		if len(d.fields) != 22 {
			return fmt.Errorf("case ledger: %d columns", len(d.fields))
		}
		var e ledger.CaseEntry
		for rows.Next() {
			v := rows.RawValues()
			e = ledger.CaseEntry{Number: string(v[0]), ItemCode: d.same(v[1]), ItemName: d.same(v[2]),
				Department: d.same(v[3]), DepartmentName: d.same(v[4]), Hall: d.same(v[5]), HallName: d.same(v[6]),
				Channel: casework.Channel(d.same(v[7])), Applicant: string(v[8]), IDNumber: string(v[9]),
				State: casework.State(d.same(v[10])), Outcome: casework.Outcome(d.same(v[15]))}
			var late int
			if err := d.times(v, 11, &e.ReceivedAt, &e.AcceptedAt, &e.DecideBy, &e.DecidedAt); err != nil {
				return err
			}
			if err := d.times(v, 16, &e.DeliveredAt); err != nil {
				return err
			}
			if err := d.ints(v, 17, &e.Returns, &e.Paused); err != nil {
				return err
			}
			if err := d.ints(v, 20, &late); err != nil {
				return err
			}
			if e.Extended, err = d.bool(19, v[19]); err != nil {
				return err
			}
			e.Late = late == 1
			if reveal {
				if e.IDNumber, err = s.caseIDNumber(string(v[21])); err != nil {
					callerErr = fmt.Errorf("case %s: %w", e.Number, err)
					return callerErr
				}
			}
			if callerErr = each(&e); callerErr != nil {
				return callerErr
			}
		}
		return rows.Err()
	})
	if callerErr != nil {
		return callerErr
	}
	return mapErr(err, "case ledger")
}

// pgxConn returns the pgx connection under one of the pool's database/sql
// connections.
func pgxConn(dc any) (*pgx.Conn, bool) {
	switch c := dc.(type) {
	case *pipeConn:
		return c.Conn.Conn(), true
	case *stdlib.Conn:
		return c.Conn(), true
	}
	return nil, false
}

// rowDecoder decodes a result's raw values: binary where PostgreSQL sent
// the binary format of the types below, pgx's own decoding otherwise.
type rowDecoder struct {
	fields []pgconn.FieldDescription
	types  *pgtype.Map
	seen   map[string]string // the repeating texts, each made a string once
}

// maxSeen bounds the texts a decoder keeps.
const maxSeen = 4096

// same returns b as a string, the same string for the same text.
func (d *rowDecoder) same(b []byte) string {
	if s, ok := d.seen[string(b)]; ok { // no allocation: the lookup's conversion is not kept
		return s
	}
	s := string(b)
	if len(d.seen) < maxSeen {
		d.seen[s] = s
	}
	return s
}

// pgEpoch is where PostgreSQL's binary times count from.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// times decodes the timestamptz columns from column i on into ts.
func (d *rowDecoder) times(v [][]byte, i int, ts ...*time.Time) (err error) {
	for k, t := range ts {
		if *t, err = d.time(i+k, v[i+k]); err != nil {
			return err
		}
	}
	return nil
}

// ints decodes the integer columns from column i on into ns.
func (d *rowDecoder) ints(v [][]byte, i int, ns ...*int) (err error) {
	for k, n := range ns {
		if *n, err = d.int(i+k, v[i+k]); err != nil {
			return err
		}
	}
	return nil
}

// time decodes column i's timestamptz in Asia/Shanghai, as timeDest
// scans it; NULL is the zero time.
func (d *rowDecoder) time(i int, b []byte) (time.Time, error) {
	if b == nil {
		return time.Time{}, nil
	}
	f := d.fields[i]
	if f.Format == pgx.BinaryFormatCode && f.DataTypeOID == pgtype.TimestamptzOID && len(b) == 8 {
		us := int64(binary.BigEndian.Uint64(b))
		if us != math.MaxInt64 && us != math.MinInt64 { // ±infinity: left to pgx
			return pgEpoch.Add(time.Duration(us) * time.Microsecond).In(clock.Shanghai), nil
		}
	}
	var t time.Time
	if err := d.types.Scan(f.DataTypeOID, f.Format, b, &t); err != nil {
		return t, fmt.Errorf("case ledger column %s: %w", f.Name, err)
	}
	return t.In(clock.Shanghai), nil
}

// int decodes column i's integer.
func (d *rowDecoder) int(i int, b []byte) (int, error) {
	f := d.fields[i]
	if f.Format == pgx.BinaryFormatCode && f.DataTypeOID == pgtype.Int4OID && len(b) == 4 {
		return int(int32(binary.BigEndian.Uint32(b))), nil
	}
	var n int
	if err := d.types.Scan(f.DataTypeOID, f.Format, b, &n); err != nil {
		return 0, fmt.Errorf("case ledger column %s: %w", f.Name, err)
	}
	return n, nil
}

// bool decodes column i's boolean.
func (d *rowDecoder) bool(i int, b []byte) (bool, error) {
	f := d.fields[i]
	if f.Format == pgx.BinaryFormatCode && f.DataTypeOID == pgtype.BoolOID && len(b) == 1 {
		return b[0] != 0, nil
	}
	var v bool
	if err := d.types.Scan(f.DataTypeOID, f.Format, b, &v); err != nil {
		return false, fmt.Errorf("case ledger column %s: %w", f.Name, err)
	}
	return v, nil
}
