package store

import (
	"context"
	"strings"

	"github.com/onewindow/onewindow/internal/ledger"
	"github.com/onewindow/onewindow/internal/supervision"
)

// The supervision-notice ledger (督办单台账): every notice opened in the
// period, with its case's item and intake hall.
const noticeLedgerFrom = ` FROM sv_notices n JOIN cases c ON c.id = n.case_id JOIN items i ON i.id = c.item_id
	LEFT JOIN departments dp ON dp.code = n.department LEFT JOIN halls h ON h.code = c.hall_code`

func noticeLedgerSQL(q LedgerQuery) *ledgerSQL {
	b := &ledgerSQL{}
	b.common(q.Filter, "n.opened_at", "n.department", "c.hall_code", "c.item_id")
	if len(q.Filter.NoticeStates) > 0 {
		var alts []string
		for _, st := range q.Filter.NoticeStates {
			switch st {
			case ledger.NoticeOpen:
				alts = append(alts, "(n.replied_at IS NULL AND n.reply_by >= "+b.arg(stamp(q.Now))+")")
			case ledger.NoticeAnswered:
				alts = append(alts, "n.replied_at IS NOT NULL")
			case ledger.NoticeOverdue:
				alts = append(alts, "(n.replied_at IS NULL AND n.reply_by < "+b.arg(stamp(q.Now))+")")
			case ledger.NoticeEscalated:
				alts = append(alts, "n.escalated_at IS NOT NULL")
			}
		}
		if len(alts) > 0 {
			b.add("(" + strings.Join(alts, " OR ") + ")")
		}
	}
	return b
}

// NoticeLedger calls each with every supervision notice of q's ledger (by
// the time it was opened), one at a time. People are named by username
// and the state is left for the caller to read at its time.
func (s *Store) NoticeLedger(ctx context.Context, q LedgerQuery, each func(*ledger.NoticeEntry) error) error {
	b := noticeLedgerSQL(q)
	query := `SELECT n.id, n.number, i.name, n.department, COALESCE(dp.name, ''), c.hall_code, COALESCE(h.name, ''),
		n.origin, n.step, n.reason, n.opened_at, n.opened_by, n.reply_by, n.replied_at, n.replied_by, n.explanation,
		n.measures, n.escalated_at` + noticeLedgerFrom + b.clause() + ` ORDER BY n.opened_at, n.id` + b.page(q)
	rows, err := s.read.QueryContext(ctx, query, b.args...)
	if err != nil {
		return mapErr(err, "notice ledger")
	}
	defer rows.Close()
	for rows.Next() {
		var e ledger.NoticeEntry
		var origin, step string
		if err := rows.Scan(&e.ID, &e.Number, &e.ItemName, &e.Department, &e.DepartmentName, &e.Hall, &e.HallName,
			&origin, &step, &e.Reason, timeDest{&e.OpenedAt}, &e.OpenedBy, timeDest{&e.ReplyBy}, timeDest{&e.RepliedAt},
			&e.RepliedBy, &e.Explanation, &e.Measures, timeDest{&e.EscalatedAt}); err != nil {
			return mapErr(err, "scan notice ledger")
		}
		e.Origin, e.Step = supervision.Origin(origin), supervision.Kind(step)
		if e.Step != "" {
			e.StepLabel = e.Step.Label()
		}
		e.RepliedLate = !e.RepliedAt.IsZero() && e.RepliedAt.After(e.ReplyBy)
		if err := each(&e); err != nil {
			return err
		}
	}
	return mapErr(rows.Err(), "notice ledger")
}

// CountNoticeLedger returns how many entries the notice ledger of q holds.
func (s *Store) CountNoticeLedger(ctx context.Context, q LedgerQuery) (int, error) {
	b := noticeLedgerSQL(q)
	return s.countLedger(ctx, noticeLedgerFrom+b.clause(), b.args)
}
