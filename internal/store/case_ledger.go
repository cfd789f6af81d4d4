package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/identity"
)

// upsertCaseLedgerQuery writes a case's ledger row; late_steps adds up.
const upsertCaseLedgerQuery = `INSERT INTO case_ledger (case_id, channel, applicant_id_masked, accepted_at, decide_by,
	decided_at, delivered_at, outcome, returns, pauses, extended, late_steps)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
	ON CONFLICT (case_id) DO UPDATE SET channel = excluded.channel, applicant_id_masked = excluded.applicant_id_masked,
	accepted_at = excluded.accepted_at, decide_by = excluded.decide_by, decided_at = excluded.decided_at,
	delivered_at = excluded.delivered_at, outcome = excluded.outcome, returns = excluded.returns,
	pauses = excluded.pauses, extended = excluded.extended, late_steps = case_ledger.late_steps + excluded.late_steps`

// lateMark is how an event's details record a step done after its deadline.
var lateMark = []byte(`"on_time":false`)

// writeCaseLedger keeps the case's ledger row (migration 22) in the
// transaction of its change ev.
func (s *Store) writeCaseLedger(ctx context.Context, tx *sql.Tx, c *casework.Case, ev *casework.Event) error {
	late := 0
	if bytes.Contains(ev.Details, lateMark) {
		late = 1
	}
	if w := deferred(ctx, c.ID); w != nil {
		w.ledgerRow(c.ID, caseLedgerArgs(c, late))
		return nil
	}
	_, err := s.execTx(ctx, tx, upsertCaseLedgerQuery, caseLedgerArgs(c, late)...)
	return err
}

func caseLedgerArgs(c *casework.Case, lateSteps int) []any {
	extended := c.Extension != nil && c.Extension.State == casework.ExtensionApproved
	return []any{c.ID, string(c.Channel), identity.Mask(c.Applicant.IDNumber), stamp(c.AcceptedAt), stamp(c.Deadlines.DecideBy),
		stamp(c.DecidedAt), stamp(c.DeliveredAt), string(c.Outcome), c.Returns, len(c.Pauses), extended, lateSteps}
}

// FillCaseLedger writes the ledger row of every case that has none (cases
// written before migration 22), from the case and its events, and returns
// how many it wrote. serve runs it at start; it is a no-op once done.
// Once every case has its row the counter caseLedgerFilled says so, and
// later starts skip the search (every new case gets its row as it is
// written).
func (s *Store) FillCaseLedger(ctx context.Context) (int, error) {
	var done int
	err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM counters WHERE name = $1`, caseLedgerFilled).Scan(&done)
	if err != nil || done > 0 {
		return 0, mapErr(err, "case ledger counter")
	}
	total := 0
	for {
		n, err := s.fillCaseLedgerBatch(ctx, 500)
		total += n
		if err != nil {
			return total, err
		}
		if n == 0 {
			return total, s.update(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ($1, 1) ON CONFLICT (name) DO NOTHING`, caseLedgerFilled)
				return err
			})
		}
	}
}

// caseLedgerFilled names the counter FillCaseLedger sets when it is done.
const caseLedgerFilled = "case_ledger:filled"

func (s *Store) fillCaseLedgerBatch(ctx context.Context, limit int) (int, error) {
	n := 0
	err := s.update(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT c.id, c.data,
			(SELECT COUNT(*) FROM case_events e WHERE e.case_id = c.id AND `+lateOnTime+`)
			FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_ledger l WHERE l.case_id = c.id) ORDER BY c.id LIMIT $1`, limit)
		if err != nil {
			return err
		}
		type pending struct {
			c    casework.Case
			late int
		}
		var todo []pending
		for rows.Next() {
			var p pending
			var id int64
			var data string
			if err := rows.Scan(&id, &data, &p.late); err != nil {
				rows.Close()
				return err
			}
			if err := s.openCase(data, &p.c); err != nil {
				rows.Close()
				return fmt.Errorf("case %d: %w", id, err)
			}
			p.c.ID = id
			todo = append(todo, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, p := range todo {
			if _, err := tx.ExecContext(ctx, upsertCaseLedgerQuery, caseLedgerArgs(&p.c, p.late)...); err != nil {
				return err
			}
		}
		n = len(todo)
		return nil
	})
	return n, mapErr(err, "fill case ledger")
}
