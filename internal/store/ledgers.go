package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/ledger"
	"github.com/onewindow/onewindow/internal/rating"
)

// LedgerQuery asks for a ledger's entries: those the filter keeps, in the
// order the ledger lists them (by the time of their event), Limit of them
// from Offset (Limit 0: every one). Now is the moment a running deadline
// is measured against (the case ledger's late flag).
type LedgerQuery struct {
	Filter        ledger.Filter
	Now           time.Time
	Limit, Offset int
	RevealIDs     bool // the case ledger's ID numbers in full, not masked
}

// ledgerSQL builds a ledger's statement: its select list and joins, the
// filter's conditions and the order.
type ledgerSQL struct {
	where []string
	args  []any
}

func (b *ledgerSQL) arg(v any) string {
	b.args = append(b.args, v)
	return fmt.Sprintf("$%d", len(b.args))
}

func (b *ledgerSQL) add(cond string) { b.where = append(b.where, cond) }

// common adds the conditions every ledger shares: the period on the
// event's time column, the department, the item and the hall.
func (b *ledgerSQL) common(f ledger.Filter, at, department, hall, itemID string) {
	from, until := f.Span()
	b.add(at + " >= " + b.arg(stamp(from)))
	b.add(at + " < " + b.arg(stamp(until)))
	if f.Department != "" {
		b.add(department + " = " + b.arg(f.Department))
	}
	if f.Hall != "" {
		b.add(hall + " = " + b.arg(f.Hall))
	}
	if f.Item != "" {
		b.add(itemID + " IN (SELECT id FROM items WHERE code = " + b.arg(f.Item) + ")")
	}
}

func (b *ledgerSQL) clause() string { return " WHERE " + strings.Join(b.where, " AND ") }

// page returns the LIMIT and OFFSET of q, if any.
func (b *ledgerSQL) page(q LedgerQuery) string {
	if q.Limit <= 0 {
		return ""
	}
	return " LIMIT " + b.arg(q.Limit) + " OFFSET " + b.arg(max(q.Offset, 0))
}

// lateOnTime is the condition that an event recorded a step done after
// its deadline (its details say "on_time":false).
const lateOnTime = `e.details LIKE '%"on_time":false%'`

// caseLate is true for a case that missed a deadline: one of its events
// recorded a step done late (counted in its ledger row), or one of its
// deadlines is running past now.
func caseLate(now string) string {
	return `(l.late_steps > 0 OR (c.next_due IS NOT NULL AND c.next_due < ` + now + `))`
}

const caseLedgerFrom = ` FROM cases c JOIN case_ledger l ON l.case_id = c.id JOIN departments dp ON dp.id = c.department_id
	JOIN items i ON i.id = c.item_id LEFT JOIN halls h ON h.code = c.hall_code`

func (s *Store) caseLedgerSQL(q LedgerQuery) *ledgerSQL {
	b := &ledgerSQL{}
	f := q.Filter
	b.common(f, "c.received_at", "dp.code", "c.hall_code", "c.item_id")
	if len(f.States) > 0 {
		var ps []string
		for _, st := range f.States {
			ps = append(ps, b.arg(string(st)))
		}
		b.add("c.state IN (" + strings.Join(ps, ", ") + ")")
	}
	if f.LateOnly {
		b.add(caseLate(b.arg(stamp(q.Now))))
	}
	return b
}

// CaseLedger calls each with every entry of the case ledger q asks for,
// one at a time as the rows arrive: the ledger is never held whole. The
// entry is reused between calls. The applicant's ID number is masked,
// unless q.RevealIDs: then it is read from the case, in full.
func (s *Store) CaseLedger(ctx context.Context, q LedgerQuery, each func(*ledger.CaseEntry) error) error {
	query, args := s.caseLedgerQuery(q)
	if s.dialect == Postgres {
		f := q.Filter
		whole := q.Limit <= 0 && f.Department == "" && f.Item == "" && f.Hall == "" && len(f.States) == 0 && !f.LateOnly
		return s.caseLedgerPG(ctx, query, args, q.RevealIDs, whole, each)
	}
	return s.caseLedgerRows(ctx, query, args, q.RevealIDs, each)
}

// caseLedgerQuery returns the case ledger's statement for q and its
// arguments.
func (s *Store) caseLedgerQuery(q LedgerQuery) (string, []any) {
	b := s.caseLedgerSQL(q)
	late := caseLate(b.arg(stamp(q.Now)))
	data := "''"
	if q.RevealIDs {
		data = "c.data"
	}
	query := `SELECT c.number, i.code, i.name, dp.code, dp.name, c.hall_code, COALESCE(h.name, ''), l.channel, c.applicant_name,
		l.applicant_id_masked, c.state, c.received_at, l.accepted_at, l.decide_by, l.decided_at, l.outcome, l.delivered_at,
		l.returns, l.pauses, l.extended, CASE WHEN ` + late + ` THEN 1 ELSE 0 END, ` + data +
		caseLedgerFrom + b.clause() + ` ORDER BY c.received_at, c.number` + b.page(q)
	return query, b.args
}

// caseLedgerRows reads the case ledger's rows through database/sql
// (SQLite's way; on PostgreSQL caseLedgerPG's).
func (s *Store) caseLedgerRows(ctx context.Context, query string, args []any, reveal bool, each func(*ledger.CaseEntry) error) error {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return mapErr(err, "case ledger")
	}
	defer rows.Close()
	var e ledger.CaseEntry
	var sealed string
	var late01 int
	for rows.Next() {
		e = ledger.CaseEntry{}
		if err := rows.Scan(&e.Number, &e.ItemCode, &e.ItemName, &e.Department, &e.DepartmentName, &e.Hall, &e.HallName,
			&e.Channel, &e.Applicant, &e.IDNumber, &e.State, ledgerTime{&e.ReceivedAt}, ledgerTime{&e.AcceptedAt},
			ledgerTime{&e.DecideBy}, ledgerTime{&e.DecidedAt}, &e.Outcome, ledgerTime{&e.DeliveredAt},
			&e.Returns, &e.Paused, &e.Extended, &late01, &sealed); err != nil {
			return mapErr(err, "scan case ledger")
		}
		e.Late = late01 == 1
		if reveal {
			if e.IDNumber, err = s.caseIDNumber(sealed); err != nil {
				return fmt.Errorf("case %s: %w", e.Number, err)
			}
		}
		if err := each(&e); err != nil {
			return err
		}
	}
	return mapErr(rows.Err(), "case ledger")
}

// ledgerTime scans a time as timeDest does, but reads SQLite's text in
// stampLayout digit by digit instead of through time.Parse: the case
// ledger's five times a row were a tenth of an export's reading.
type ledgerTime struct{ T *time.Time }

// Scan implements sql.Scanner.
func (d ledgerTime) Scan(src any) error {
	if s, ok := src.(string); ok {
		if t, ok := parseStamp(s); ok {
			*d.T = t
			return nil
		}
	}
	return timeDest(d).Scan(src)
}

// parseStamp reads s written in stampLayout (2006-01-02T15:04:05.000000Z)
// as a time in Asia/Shanghai; ok is false for any other text.
func parseStamp(s string) (t time.Time, ok bool) {
	if len(s) != len(stampLayout) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
		s[19] != '.' || s[26] != 'Z' {
		return t, false
	}
	num := func(from, to int) int {
		n := 0
		for i := from; i < to; i++ {
			c := s[i] - '0'
			if c > 9 {
				ok = false
				return 0
			}
			n = n*10 + int(c)
		}
		return n
	}
	ok = true
	y, mo, d, h, mi, sec, us := num(0, 4), num(5, 7), num(8, 10), num(11, 13), num(14, 16), num(17, 19), num(20, 26)
	if !ok || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, us*1000, time.UTC).In(clock.Shanghai), true
}

// caseIDNumber reads the applicant's ID number out of a case's sealed JSON.
func (s *Store) caseIDNumber(data string) (string, error) {
	plain, err := s.openBlob(sealCaseData, data)
	if err != nil {
		return "", err
	}
	var c struct {
		Applicant struct {
			IDNumber string `json:"id_number"`
		} `json:"applicant"`
	}
	if err := json.Unmarshal(plain, &c); err != nil {
		return "", apperr.Wrap(err, "case data")
	}
	return c.Applicant.IDNumber, nil
}

// CountCaseLedger returns how many entries the case ledger of q holds.
func (s *Store) CountCaseLedger(ctx context.Context, q LedgerQuery) (int, error) {
	b := s.caseLedgerSQL(q)
	return s.countLedger(ctx, caseLedgerFrom+b.clause(), b.args)
}

func (s *Store) countLedger(ctx context.Context, from string, args []any) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&n)
	return n, mapErr(err, "count ledger")
}

// A document ledger lists one kind of case document (handover sheets,
// delivery receipts) with the event that made it and its case.
const documentLedgerFrom = ` FROM case_documents d JOIN cases c ON c.id = d.case_id
	JOIN case_events e ON e.case_id = d.case_id AND e.seq = d.event_seq
	JOIN departments dp ON dp.id = c.department_id LEFT JOIN halls h ON h.code = `

func documentLedgerSQL(q LedgerQuery, kind casework.DocKind, hall string) *ledgerSQL {
	b := &ledgerSQL{}
	b.add("d.kind = " + b.arg(string(kind)))
	b.common(q.Filter, "d.created_at", "dp.code", hall, "c.item_id")
	return b
}

// documentLedger calls each with every document of kind in q's ledger,
// opened, with its case's columns; hall is the case's hall column the
// ledger names (intake or pickup).
func (s *Store) documentLedger(ctx context.Context, q LedgerQuery, kind casework.DocKind, hall string,
	each func(number, dept, deptName, hall, hallName, actor string, late bool, data []byte) error) error {
	b := documentLedgerSQL(q, kind, hall)
	query := `SELECT c.number, dp.code, dp.name, ` + hall + `, COALESCE(h.name, ''), e.actor,
		CASE WHEN ` + lateOnTime + ` THEN 1 ELSE 0 END, d.data` + documentLedgerFrom + hall + b.clause() +
		` ORDER BY d.created_at, d.id` + b.page(q)
	rows, err := s.read.QueryContext(ctx, query, b.args...)
	if err != nil {
		return mapErr(err, string(kind)+" ledger")
	}
	defer rows.Close()
	for rows.Next() {
		var number, dept, deptName, hallCode, hallName, actor, data string
		var late int
		if err := rows.Scan(&number, &dept, &deptName, &hallCode, &hallName, &actor, &late, &data); err != nil {
			return mapErr(err, "scan "+string(kind)+" ledger")
		}
		plain, err := s.openBlob(sealDocumentData, data)
		if err != nil {
			return err
		}
		if err := each(number, dept, deptName, hallCode, hallName, actor, late == 1, plain); err != nil {
			return err
		}
	}
	return mapErr(rows.Err(), string(kind)+" ledger")
}

// HandoverLedger calls each with every handover sheet of q's ledger (by the
// time the papers were signed for), one at a time. People are named by
// username: naming them is the caller's.
func (s *Store) HandoverLedger(ctx context.Context, q LedgerQuery, each func(*ledger.HandoverEntry) error) error {
	return s.documentLedger(ctx, q, casework.HandoverSheet, "c.hall_code",
		func(number, dept, deptName, hall, hallName, actor string, late bool, data []byte) error {
			var h casework.HandoverData
			if err := json.Unmarshal(data, &h); err != nil {
				return apperr.Wrap(err, "handover sheet of "+number)
			}
			return each(&ledger.HandoverEntry{Number: number, ItemName: h.Item, Department: dept, DepartmentName: deptName,
				Hall: hall, HallName: hallName, ReceivedAt: h.ReceivedAt, ReceivedBy: h.ReceivedBy,
				Materials: ledger.MaterialsText(h.Materials), Cutoff: h.Cutoff, SignedAt: h.SignedAt, SignedBy: actor, OnTime: !late})
		})
}

// CountHandoverLedger returns how many entries the handover ledger of q holds.
func (s *Store) CountHandoverLedger(ctx context.Context, q LedgerQuery) (int, error) {
	b := documentLedgerSQL(q, casework.HandoverSheet, "c.hall_code")
	return s.countLedger(ctx, documentLedgerFrom+"c.hall_code"+b.clause(), b.args)
}

// DeliveryLedger calls each with every delivery receipt of q's ledger (by
// the time of delivery), one at a time; the hall is the case's pickup hall.
func (s *Store) DeliveryLedger(ctx context.Context, q LedgerQuery, each func(*ledger.DeliveryEntry) error) error {
	return s.documentLedger(ctx, q, casework.DeliveryReceipt, "c.pickup_hall",
		func(number, dept, deptName, hall, hallName, actor string, _ bool, data []byte) error {
			var r casework.ReceiptOfDelivery
			if err := json.Unmarshal(data, &r); err != nil {
				return apperr.Wrap(err, "delivery receipt of "+number)
			}
			return each(&ledger.DeliveryEntry{Number: number, ItemName: r.Item, Department: dept, DepartmentName: deptName,
				Hall: hall, HallName: hallName, Applicant: r.Applicant.Name, Document: r.Document, Method: r.Method,
				Signer: r.Signer, SignerID: r.SignerID, Carrier: r.Carrier, Tracking: r.Tracking,
				Collected: strings.Join(r.CollectItems, "、"), DeliveredAt: r.At, By: actor})
		})
}

// CountDeliveryLedger returns how many entries the delivery ledger of q holds.
func (s *Store) CountDeliveryLedger(ctx context.Context, q LedgerQuery) (int, error) {
	b := documentLedgerSQL(q, casework.DeliveryReceipt, "c.pickup_hall")
	return s.countLedger(ctx, documentLedgerFrom+"c.pickup_hall"+b.clause(), b.args)
}

const ratingLedgerFrom = ` FROM ratings r LEFT JOIN cases c ON c.id = r.case_id LEFT JOIN items i ON i.id = c.item_id
	LEFT JOIN departments dp ON dp.code = r.department LEFT JOIN halls h ON h.code = r.hall_code
	LEFT JOIN rectifications rc ON rc.rating_id = r.id`

func ratingLedgerSQL(q LedgerQuery) *ledgerSQL {
	b := &ledgerSQL{}
	b.common(q.Filter, "r.created_at", "r.department", "r.hall_code", "c.item_id")
	return b
}

// RatingLedger calls each with every rating of q's ledger, one at a time.
// The clerk is named by username: naming is the caller's. The rater's
// phone is never read.
func (s *Store) RatingLedger(ctx context.Context, q LedgerQuery, each func(*ledger.RatingEntry) error) error {
	b := ratingLedgerSQL(q)
	query := `SELECT r.id, r.created_at, r.level, r.channel, r.hall_code, COALESCE(h.name, ''), r.window_number, r.clerk,
		r.department, COALESCE(dp.name, ''), COALESCE(c.number, ''), COALESCE(i.name, ''), r.real_name, r.rater_name,
		r.tags, r.text, COALESCE(rc.state, '')` + ratingLedgerFrom + b.clause() + ` ORDER BY r.created_at, r.id` + b.page(q)
	rows, err := s.read.QueryContext(ctx, query, b.args...)
	if err != nil {
		return mapErr(err, "rating ledger")
	}
	defer rows.Close()
	for rows.Next() {
		var e ledger.RatingEntry
		var tags, rect string
		if err := rows.Scan(&e.ID, timeDest{&e.CreatedAt}, &e.Level, &e.Channel, &e.Hall, &e.HallName, &e.Window, &e.Clerk,
			&e.Department, &e.DepartmentName, &e.CaseNumber, &e.ItemName, &e.RealName, &e.Rater, &tags, &e.Text, &rect); err != nil {
			return mapErr(err, "scan rating ledger")
		}
		if err := json.Unmarshal([]byte(tags), &e.Tags); err != nil {
			return apperr.Wrap(err, "rating tags")
		}
		if e.Tags == nil {
			e.Tags = []rating.Tag{}
		}
		e.Rectification = rating.State(rect)
		if err := each(&e); err != nil {
			return err
		}
	}
	return mapErr(rows.Err(), "rating ledger")
}

// CountRatingLedger returns how many entries the rating ledger of q holds.
func (s *Store) CountRatingLedger(ctx context.Context, q LedgerQuery) (int, error) {
	b := ratingLedgerSQL(q)
	return s.countLedger(ctx, ratingLedgerFrom+b.clause(), b.args)
}
