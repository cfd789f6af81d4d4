package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/sealed"
)

// The case search's columns beside the sealed case (migration 31):
// applicant_phone, the keyed hash of the applicant's phone (PhoneKey
// form), and received_by, the clerk who received the case. Every insert
// and update of a case writes both; IndexCaseSearch fills them in for the
// cases written before they existed.

// casePhone is the applicant_phone column of c: the keyed hash of the
// applicant's phone, "" for none.
func (s *Store) casePhone(c *casework.Case) (string, error) {
	return s.hash(hashPhone, casework.PhoneKey(c.Applicant.Phone))
}

// indexBatch is how many cases one transaction of IndexCaseSearch fills.
const indexBatch = 200

// IndexCaseSearch fills the search columns of every case written before
// migration 31 (applicant_phone still NULL), opening each case's sealed
// JSON; it returns how many it filled. It runs in short transactions and
// is idempotent: a case done, or changed meanwhile (every change writes
// the columns), is not touched again, and a later call costs one indexed
// query. `serve` calls it at start, before serving. It needs the data key.
func (s *Store) IndexCaseSearch(ctx context.Context) (int, error) {
	if s.pii == nil {
		return 0, sealed.ErrNoKey
	}
	total := 0
	for {
		n, more, err := s.indexCaseSearchBatch(ctx)
		total += n
		if err != nil || !more {
			return total, err
		}
	}
}

// indexCaseSearchBatch fills one batch; more reports whether a full batch
// was read (there may be more).
func (s *Store) indexCaseSearchBatch(ctx context.Context) (n int, more bool, err error) {
	err = s.update(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, data FROM cases WHERE applicant_phone IS NULL ORDER BY id LIMIT `+fmt.Sprint(indexBatch))
		if err != nil {
			return err
		}
		type pending struct {
			id    int64
			phone string
			clerk string
		}
		var todo []pending
		for rows.Next() {
			var id int64
			var data string
			if err := rows.Scan(&id, &data); err != nil {
				rows.Close()
				return err
			}
			var c casework.Case
			if err := s.openCase(data, &c); err != nil {
				rows.Close()
				return fmt.Errorf("case %d: %w", id, err)
			}
			phone, err := s.casePhone(&c)
			if err != nil {
				rows.Close()
				return err
			}
			todo = append(todo, pending{id: id, phone: phone, clerk: c.ReceivedBy})
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, p := range todo {
			res, err := tx.ExecContext(ctx, `UPDATE cases SET applicant_phone = $1, received_by = $2
				WHERE id = $3 AND applicant_phone IS NULL`, p.phone, p.clerk, p.id)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 1 {
				n++
			}
		}
		more = len(todo) == indexBatch
		return nil
	})
	return n, more, mapErr(err, "index case search")
}
