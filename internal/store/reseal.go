package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/sealed"
)

// sealedPlace is one place personal data are sealed in: columns of a table
// that the one-time sealing of clear rows and a key rotation read and
// rewrite together. cols[0] holds the sealed value (or sealed record).
type sealedPlace struct {
	table  string
	cols   []string
	legacy string // the SQL condition of a row still in clear (written before migration 16)
	reseal func(s *Store, v []string) ([]string, error)
}

// name is the place's name in reports: "table.column".
func (p sealedPlace) name() string { return p.table + "." + p.cols[0] }

// pending selects the rows still to seal: in clear, or sealed under another
// key than the one whose prefix pattern is $2.
func (p sealedPlace) pending() string {
	return "(" + p.legacy + ") OR (" + p.cols[0] + " <> '' AND " + p.cols[0] + " NOT LIKE $2)"
}

// hashedCol is a column a record's clear row kept a value in, which now
// holds its keyed hash.
type hashedCol struct{ col, kind string }

// recordPlace is a whole JSON record sealed in column col of table, with
// the columns beside it that held clear values for searching.
func recordPlace(table, col, purpose string, hashed ...hashedCol) sealedPlace {
	cols := []string{col}
	for _, h := range hashed {
		cols = append(cols, h.col)
	}
	return sealedPlace{table: table, cols: cols, legacy: col + " NOT LIKE 'enc1:%'",
		reseal: func(s *Store, v []string) ([]string, error) {
			out := append([]string(nil), v...)
			if sealed.IsSealed(v[0]) {
				b, err := s.openBlob(purpose, v[0])
				if err != nil {
					return nil, err
				}
				out[0], err = s.sealBlob(purpose, b)
				return out, err
			}
			// In clear: seal the record, and hash the values kept beside it.
			var err error
			if out[0], err = s.sealBlob(purpose, []byte(v[0])); err != nil {
				return nil, err
			}
			for i, h := range hashed {
				if out[i+1], err = s.hash(h.kind, v[i+1]); err != nil {
					return nil, err
				}
			}
			return out, nil
		}}
}

// valuePlace is a single value sealed in column sealedCol beside column
// clearCol, which held it in clear and now holds its keyed hash of kind
// (or nothing, for kind "").
func valuePlace(table, sealedCol, clearCol, purpose, kind string) sealedPlace {
	return sealedPlace{table: table, cols: []string{sealedCol, clearCol},
		legacy: sealedCol + " = '' AND " + clearCol + " <> ''",
		reseal: func(s *Store, v []string) ([]string, error) {
			if v[0] != "" {
				plain, err := s.open(purpose, v[0])
				if err != nil {
					return nil, err
				}
				v0, err := s.seal(purpose, plain)
				return []string{v0, v[1]}, err
			}
			v0, err := s.seal(purpose, v[1])
			if err != nil {
				return nil, err
			}
			v1 := ""
			if kind != "" {
				if v1, err = s.hash(kind, v[1]); err != nil {
					return nil, err
				}
			}
			return []string{v0, v1}, nil
		}}
}

// sealedOnlyPlace is a single value that was never kept in clear: only
// values sealed under an older key are sealed anew.
func sealedOnlyPlace(table, sealedCol, purpose string) sealedPlace {
	return sealedPlace{table: table, cols: []string{sealedCol}, legacy: "1 = 0",
		reseal: func(s *Store, v []string) ([]string, error) {
			plain, err := s.open(purpose, v[0])
			if err != nil {
				return nil, err
			}
			v0, err := s.seal(purpose, plain)
			return []string{v0}, err
		}}
}

// sealedPlaces lists every place personal data are sealed in, but the page
// sessions (resealed on their own: their data is binary).
var sealedPlaces = []sealedPlace{
	recordPlace("cases", "data", sealCaseData, hashedCol{"applicant_id", hashID}),
	recordPlace("case_documents", "data", sealDocumentData),
	recordPlace("drafts", "data", sealDraftData),
	recordPlace("bundles", "data", sealBundleData),
	recordPlace("webhook_subscriptions", "secrets", sealWebhookSecrets),
	recordPlace("accounts", "data", sealAccountData, hashedCol{"phone", hashPhone}, hashedCol{"id_number", hashID}),
	valuePlace("intake_attempts", "applicant_id_sealed", "applicant_id", sealAttemptID, hashID),
	valuePlace("tickets", "id_number_sealed", "id_number", sealTicketID, hashID),
	sealedOnlyPlace("tickets", "phone_sealed", sealTicketPhone),
	valuePlace("appointments", "id_number_sealed", "id_number", sealBookingID, hashID),
	valuePlace("appointments", "phone_sealed", "phone", sealBookingPhone, ""),
	valuePlace("ratings", "rater_phone_sealed", "rater_phone", sealRaterPhone, ""),
	valuePlace("notifications", "recipient_sealed", "recipient", sealRecipient, hashPhone),
}

// resealBatch is how many rows one transaction reseals: short
// transactions, so that a rotation on a serving database never holds the
// SQLite writer long.
const resealBatch = 200

// ResealReport tells what a reseal did: values sealed anew per place.
type ResealReport struct {
	Resealed map[string]int `json:"resealed"`
	Total    int            `json:"total"`
}

// Reseal seals every value of personal data under the current data key:
// values in clear (rows written before migration 16) and values sealed
// under an older key, which the ring must still hold. It also seals the
// index key anew. It works in short transactions and may run while nodes
// serve: a row changed meanwhile is left to the node that changed it.
// KeyUsage tells afterwards whether anything is left under another key.
func (s *Store) Reseal(ctx context.Context) (*ResealReport, error) {
	if s.pii == nil {
		return nil, sealed.ErrNoKey
	}
	rep := &ResealReport{Resealed: map[string]int{}}
	pattern := sealed.Prefix + s.pii.CurrentID() + ":%"
	for _, p := range sealedPlaces {
		n, err := s.resealPlace(ctx, p, pattern)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", p.name(), err)
		}
		if n > 0 {
			rep.Resealed[p.name()] += n
			rep.Total += n
		}
	}
	n, err := s.resealSessions(ctx)
	if err != nil {
		return rep, fmt.Errorf("sessions: %w", err)
	}
	if n > 0 {
		rep.Resealed["sessions.data"], rep.Total = n, rep.Total+n
	}
	v, err := s.pii.SealIndexKey(sealIndexKey)
	if err != nil {
		return rep, err
	}
	_, err = s.write.ExecContext(ctx, `UPDATE personal_data_keys SET value = $1, updated_at = $2 WHERE name = 'index'`, v, stamp(s.clock.Now()))
	return rep, mapErr(err, "seal the index key")
}

func (s *Store) resealPlace(ctx context.Context, p sealedPlace, pattern string) (int, error) {
	sel := `SELECT id, ` + strings.Join(p.cols, ", ") + ` FROM ` + p.table +
		` WHERE id > $1 AND (` + p.pending() + `) ORDER BY id LIMIT ` + fmt.Sprint(resealBatch)
	var set, cas []string
	for i, c := range p.cols {
		set = append(set, fmt.Sprintf("%s = $%d", c, i+1))
		cas = append(cas, fmt.Sprintf("%s = $%d", c, len(p.cols)+2+i))
	}
	// The old values guard the write: a row changed since it was read
	// keeps its change.
	upd := `UPDATE ` + p.table + ` SET ` + strings.Join(set, ", ") +
		fmt.Sprintf(` WHERE id = $%d AND `, len(p.cols)+1) + strings.Join(cas, " AND ")
	type row struct {
		id   int64
		vals []string
	}
	var last int64
	total := 0
	for {
		var batch []row
		err := s.update(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, sel, last, pattern)
			if err != nil {
				return err
			}
			for rows.Next() {
				r := row{vals: make([]string, len(p.cols))}
				dest := []any{&r.id}
				for i := range r.vals {
					dest = append(dest, &r.vals[i])
				}
				if err := rows.Scan(dest...); err != nil {
					rows.Close()
					return err
				}
				batch = append(batch, r)
			}
			if err := rows.Close(); err != nil {
				return err
			}
			for _, r := range batch {
				nv, err := p.reseal(s, r.vals)
				if err != nil {
					return fmt.Errorf("row %d: %w", r.id, err)
				}
				args := make([]any, 0, 2*len(p.cols)+1)
				for _, v := range nv {
					args = append(args, v)
				}
				args = append(args, r.id)
				for _, v := range r.vals {
					args = append(args, v)
				}
				res, err := tx.ExecContext(ctx, upd, args...)
				if err != nil {
					return fmt.Errorf("row %d: %w", r.id, err)
				}
				if n, _ := res.RowsAffected(); n == 1 {
					total++
				}
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		if len(batch) == 0 {
			return total, nil
		}
		last = batch[len(batch)-1].id
		if len(batch) < resealBatch {
			return total, nil
		}
	}
}

// resealSessions seals every page session under the current key. A session
// that does not open (in clear, or under a key no longer held) is deleted:
// its holder signs in again.
func (s *Store) resealSessions(ctx context.Context) (int, error) {
	prefix := []byte(sealed.Prefix + s.pii.CurrentID() + ":")
	last, total := "", 0
	for {
		type row struct {
			token string
			data  []byte
		}
		var batch []row
		err := s.update(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT token, data FROM sessions WHERE token > $1 ORDER BY token LIMIT `+fmt.Sprint(resealBatch), last)
			if err != nil {
				return err
			}
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.token, &r.data); err != nil {
					rows.Close()
					return err
				}
				batch = append(batch, r)
			}
			if err := rows.Close(); err != nil {
				return err
			}
			for _, r := range batch {
				if strings.HasPrefix(string(r.data), string(prefix)) {
					continue
				}
				plain, err := s.pii.Open(sealSessionData, string(r.data))
				if err != nil {
					if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token = $1 AND data = $2`, r.token, r.data); err != nil {
						return err
					}
					continue
				}
				v, err := s.sealBlob(sealSessionData, plain)
				if err != nil {
					return err
				}
				res, err := tx.ExecContext(ctx, `UPDATE sessions SET data = $1 WHERE token = $2 AND data = $3`, []byte(v), r.token, r.data)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 1 {
					total++
				}
			}
			return nil
		})
		if err != nil || len(batch) < resealBatch {
			return total, err
		}
		last = batch[len(batch)-1].token
	}
}

// SealClearData seals, once, the personal data a database migrated from
// before migration 16 holds in clear, and records that it did: later calls
// cost one query. `serve` calls it at start, before serving.
func (s *Store) SealClearData(ctx context.Context) (*ResealReport, error) {
	if s.pii == nil {
		return nil, sealed.ErrNoKey
	}
	var done string
	err := s.write.QueryRowContext(ctx, `SELECT value FROM personal_data_keys WHERE name = 'clear_sealed'`).Scan(&done)
	if err == nil {
		return &ResealReport{Resealed: map[string]int{}}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, mapErr(err, "personal data keys")
	}
	rep, err := s.Reseal(ctx)
	if err != nil {
		return rep, err
	}
	now := s.clock.Now()
	_, err = s.write.ExecContext(ctx, `INSERT INTO personal_data_keys (name, value, updated_at) VALUES ('clear_sealed', $1, $2)
		ON CONFLICT (name) DO NOTHING`, now.UTC().Format(time.RFC3339), stamp(now))
	return rep, mapErr(err, "record the sealing")
}

// KeyUsage counts, per place, the values sealed under each data key id and
// those still in clear (under "clear"). It needs no key: a rotation is
// done when every count is under the current key.
func (s *Store) KeyUsage(ctx context.Context) (map[string]map[string]int, error) {
	out := map[string]map[string]int{}
	for _, p := range sealedPlaces {
		m := map[string]int{}
		rows, err := s.read.QueryContext(ctx, `SELECT substr(`+p.cols[0]+`, 1, 14), COUNT(*) FROM `+p.table+
			` WHERE `+p.cols[0]+` LIKE 'enc1:%' GROUP BY substr(`+p.cols[0]+`, 1, 14)`)
		if err != nil {
			return nil, mapErr(err, p.name())
		}
		for rows.Next() {
			var prefix string
			var n int
			if err := rows.Scan(&prefix, &n); err != nil {
				rows.Close()
				return nil, mapErr(err, p.name())
			}
			m[sealed.KeyIDOf(prefix)] += n
		}
		if err := rows.Close(); err != nil {
			return nil, mapErr(err, p.name())
		}
		var clear int
		if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+p.table+` WHERE `+p.legacy).Scan(&clear); err != nil {
			return nil, mapErr(err, p.name())
		}
		if clear > 0 {
			m["clear"] = clear
		}
		out[p.name()] = m
	}
	return out, nil
}
