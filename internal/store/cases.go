package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/queue"
)

// The statements of every transition (prepared once on SQLite).
const (
	nextCounterQuery = `INSERT INTO counters (name, value) VALUES ($1, 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`
	itemRefQuery    = `SELECT id, department_id FROM items WHERE code = $1 AND version = $2`
	insertCaseQuery = `INSERT INTO cases (number, check_code, item_id, department_id, hall_code, kind, state, version,
		applicant_name, applicant_id, received_at, updated_at, next_due, supply_by, last_seq, last_hash, data,
		account_id, bundle_number, agent_user, pickup_hall, policy_version, applicant_phone, received_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id`
	// insertCaseQueryPG inserts a case whose id numberCaseQueryPG took:
	// it needs no answer, so it waits in the transaction's batch
	// (pg_batch.go).
	insertCaseQueryPG = `INSERT INTO cases (id, number, check_code, item_id, department_id, hall_code, kind, state, version,
		applicant_name, applicant_id, received_at, updated_at, next_due, supply_by, last_seq, last_hash, data,
		account_id, bundle_number, agent_user, pickup_hall, policy_version, applicant_phone, received_by)
		OVERRIDING SYSTEM VALUE
		VALUES ($23, $1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`
	// numberCaseQueryPG takes the day's next case number (serials.go) and
	// the new case's id in one statement.
	numberCaseQueryPG = `WITH n AS (` + nextCounterQuery + `) SELECT n.value, nextval(pg_get_serial_sequence('cases', 'id')) FROM n`
	insertNoticeQuery = `INSERT INTO notifications (case_id, account_id, recipient, recipient_sealed, subject, body, created_at, next_attempt_at, kind)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)`
	loadCaseQuery   = `SELECT id, check_code, version, last_seq, last_hash, data FROM cases WHERE number = $1`
	updateCaseQuery = `UPDATE cases SET state = $1, version = $2, updated_at = $3, next_due = $4, supply_by = $5,
		last_seq = $6, last_hash = $7, data = $8, hall_code = $11, pickup_hall = $12, applicant_phone = $13, received_by = $14
		WHERE id = $9 AND version = $10`
	// updateCaseQueryPG is the update failing by itself when the version
	// has moved on (a division by zero: no row updated), so that it can
	// wait in the transaction's batch (pg_batch.go) and still stop the
	// transaction before its COMMIT: see versionMoved.
	updateCaseQueryPG = `WITH u AS (` + updateCaseQuery + ` RETURNING 1) SELECT 1 / COUNT(*) FROM u`
	// insertEventQuery gives the event its feed position: on SQLite the
	// one writer makes the largest so far plus one commit order; on
	// PostgreSQL (insertEventQueryPG) the column's sequence and the
	// writing transaction's id do, see event_feed.go.
	insertEventQuery = `INSERT INTO case_events (case_id, seq, type, actor, role, desk, at, from_state, to_state, details, prev_hash, hash, deadlines, position)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, (SELECT COALESCE(MAX(position), 0) + 1 FROM case_events))`
	insertEventQueryPG = `INSERT INTO case_events (case_id, seq, type, actor, role, desk, at, from_state, to_state, details, prev_hash, hash, deadlines)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`
	insertDocumentQuery = `INSERT INTO case_documents (case_id, kind, title, event_seq, created_at, data, number) VALUES ($1, $2, $3, $4, $5, $6, $7)`
)

// caseNumber formats the n-th case of a day: the date then six digits, so
// numbers sort by date and are never reused.
func caseNumber(day time.Time, n int64) string {
	return day.In(clock.Shanghai).Format("20060102") + fmt.Sprintf("%06d", n)
}

// nextCounter increments a named counter atomically and returns its value.
func (s *Store) nextCounter(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var v int64
	err := s.rowTx(ctx, tx, nextCounterQuery, name).Scan(&v)
	return v, err
}

// OpenedFunc returns what the first event of a new case makes, once the
// store has given the case its number in the transaction that saves it
// (the texts print the number). The use case passes casework.Opened: the
// store persists what it returns and decides none of it.
type OpenedFunc func(c *casework.Case, ev *casework.Event) casework.Change

// CreateCase saves a case just taken in: it gives the case its number (the
// day's next), seals and appends the intake event, and stores what opened
// says the event makes (documents, notice), all in one transaction.
func (s *Store) CreateCase(ctx context.Context, c *casework.Case, ev *casework.Event, opened OpenedFunc) error {
	ctx = pipelined(ctx)
	prep := s.prepareCase(ctx, c)
	return s.update(ctx, func(tx *sql.Tx) error { return s.createCasePrepared(ctx, tx, c, ev, opened, prep) })
}

// casePrep is what a new case's write needs that does not depend on what
// its transaction finds (the day's number): worked out on the caller's
// goroutine before the write is queued, so that SQLite's one committer
// (group_commit.go), which every write of the node waits for, spends its
// time on the statements. Each part left zero is worked out in the
// transaction as before.
type casePrep struct {
	itemID, deptID int64  // the item version's row, read committed (0: not known yet)
	applicantID    string // the keyed hash of the applicant's ID number
	phone          string // the applicant_phone column (casePhone)
	hashed         bool   // applicantID and phone are set
	// data is the case's JSON with numberPlaceholder as its number, which
	// the JSON starts with (Number is Case's first field): the number is
	// copied over it once the transaction has taken it.
	data []byte
}

// numberPlaceholder stands for a new case's number in casePrep.data: as
// long as a number (caseNumber: 8 digits of the date, 6 of the day's
// count), so that the number takes its place byte for byte.
const numberPlaceholder = "00000000000000"

// jsonNumberHead is how a case's JSON starts: its number comes first.
const jsonNumberHead = `{"number":"`

// itemRefKey is an item version: Store.itemRefs caches the (id,
// department) of item versions read committed, which are never updated
// or removed (a new version is a new row).
type itemRefKey struct {
	code    string
	version int
}

// prepareCase works out c's casePrep outside the transaction. It never
// fails: a part it cannot work out is left to the transaction.
func (s *Store) prepareCase(ctx context.Context, c *casework.Case) *casePrep {
	p := &casePrep{}
	key := itemRefKey{c.ItemCode, c.ItemVersion}
	if ref, ok := s.itemRefs.Load(key); ok {
		r := ref.([2]int64)
		p.itemID, p.deptID = r[0], r[1]
	} else if err := s.row(ctx, itemRefQuery, c.ItemCode, c.ItemVersion).Scan(&p.itemID, &p.deptID); err == nil {
		s.itemRefs.Store(key, [2]int64{p.itemID, p.deptID})
	} else {
		p.itemID, p.deptID = 0, 0 // not committed yet (or not at all): the transaction reads it
	}
	var err error
	if p.applicantID, err = s.hash(hashID, c.Applicant.IDNumber); err == nil {
		if p.phone, err = s.casePhone(c); err == nil {
			p.hashed = true
		}
	}
	p.data = unnumberedJSON(c)
	return p
}

// unnumberedJSON is c's JSON as a new case (version 1) with
// numberPlaceholder as its number, or nil if its JSON does not start with
// the number.
func unnumberedJSON(c *casework.Case) []byte {
	number, version := c.Number, c.Version
	c.Number, c.Version = numberPlaceholder, 1
	b, err := json.Marshal(c)
	c.Number, c.Version = number, version
	if err != nil || !bytes.HasPrefix(b, []byte(jsonNumberHead+numberPlaceholder+`"`)) {
		return nil
	}
	return b
}

// numberedJSON is unnumbered (unnumberedJSON) with number in the
// placeholder's place, in a copy; false if number is not as long.
func numberedJSON(unnumbered []byte, number string) ([]byte, bool) {
	if unnumbered == nil || len(number) != len(numberPlaceholder) {
		return nil, false
	}
	b := make([]byte, len(unnumbered))
	copy(b, unnumbered)
	copy(b[len(jsonNumberHead):], number)
	return b, true
}

// createCase numbers and inserts a case with its first event and what
// opened makes of it (documents, notice) in tx.
func (s *Store) createCase(ctx context.Context, tx *sql.Tx, c *casework.Case, ev *casework.Event, opened OpenedFunc) error {
	return s.createCasePrepared(ctx, tx, c, ev, opened, nil)
}

// createCasePrepared is createCase with what prep (nil: nothing) already
// worked out.
func (s *Store) createCasePrepared(ctx context.Context, tx *sql.Tx, c *casework.Case, ev *casework.Event, opened OpenedFunc, prep *casePrep) error {
	if prep == nil {
		prep = &casePrep{}
	}
	itemID, deptID := prep.itemID, prep.deptID
	var err error
	if itemID == 0 {
		err = s.rowTx(ctx, tx, itemRefQuery, c.ItemCode, c.ItemVersion).Scan(&itemID, &deptID)
		if err != nil {
			return notFound(err, "未知的事项："+c.ItemCode)
		}
	}
	day := "case:" + c.ReceivedAt.In(clock.Shanghai).Format("20060102")
	var n int64
	if s.serials != nil {
		// PostgreSQL: the number and the id with it, outside tx (serials.go),
		// so that the case's insert needs no answer.
		err = s.serials.QueryRowContext(ctx, numberCaseQueryPG, day).Scan(&n, &c.ID)
	} else {
		n, err = s.nextSerial(ctx, tx, day)
	}
	if err != nil {
		return err
	}
	c.Number, c.Version = caseNumber(c.ReceivedAt, n), 1
	ev.Seal(c.Number, nil)
	var data string
	if b, ok := numberedJSON(prep.data, c.Number); ok {
		data, err = s.sealBlob(sealCaseData, b)
	} else {
		data, err = s.sealCase(c)
	}
	if err != nil {
		return err
	}
	applicantID, phone := prep.applicantID, prep.phone
	if !prep.hashed {
		if applicantID, err = s.hash(hashID, c.Applicant.IDNumber); err != nil {
			return err
		}
		if phone, err = s.casePhone(c); err != nil {
			return err
		}
	}
	args := []any{c.Number, c.CheckCode, itemID, deptID, c.HallCode, string(c.Kind), string(c.State),
		c.Applicant.Name, applicantID, stamp(c.ReceivedAt), stamp(c.NextDue()), stamp(supplyDue(c)),
		ev.Seq, ev.Hash, data, dbNull(c.AccountID), nullText(c.BundleNumber), nullText(c.AgentUser),
		c.DeskHall(casework.PickupHall), c.DeadlinePolicy().Version, phone, c.ReceivedBy}
	if s.serials != nil {
		_, err = s.execTx(ctx, tx, insertCaseQueryPG, append(args, c.ID)...)
	} else {
		err = s.rowTx(ctx, tx, insertCaseQuery, args...).Scan(&c.ID)
	}
	if err != nil {
		return err
	}
	if b := bulkOf(ctx); b != nil {
		b.writes.create(c.ID) // its later rows wait for the batch's end
	}
	if err := s.insertEvent(ctx, tx, c, ev); err != nil {
		return err
	}
	if err := s.syncTrip(ctx, tx, c); err != nil {
		return err
	}
	if err := s.rollUp(ctx, tx, c, ev); err != nil {
		return err
	}
	if err := s.writeCaseLedger(ctx, tx, c, ev); err != nil {
		return err
	}
	made := opened(c, ev)
	if err := s.insertNotice(ctx, tx, c.ID, made.Notice); err != nil {
		return err
	}
	if err := referenceFiles(ctx, tx, holderCase, c.ID, caseFiles(c), ev.At); err != nil {
		return err
	}
	return s.insertDocuments(ctx, tx, c.ID, made.Documents)
}

// insertNotice queues a notice to the applicant, if the step sends one, in
// the step's transaction: the outbox the dispatcher sends from. The
// recipient is kept as a keyed hash (to find it) and sealed (to send it).
func (s *Store) insertNotice(ctx context.Context, tx *sql.Tx, caseID int64, m *casework.Message) error {
	if quiet(ctx) {
		return nil // generated history: see WithoutNotices
	}
	if m == nil {
		return nil
	}
	to, err := s.hash(hashPhone, m.To)
	if err != nil {
		return err
	}
	sealedTo, err := s.seal(sealRecipient, m.To)
	if err != nil {
		return err
	}
	if _, err := s.execTx(ctx, tx, insertNoticeQuery, caseID, dbNull(m.AccountID), to, sealedTo, m.Subject, m.Body, stamp(m.At), m.Kind); err != nil {
		return err
	}
	s.enqueued(tx, NotificationOutbox)
	return nil
}

// sealCase returns the case as the data column keeps it: its JSON, sealed
// (the applicant's and agent's ID numbers and phones, the delivery phone
// and the shared form are all in it).
func (s *Store) sealCase(c *casework.Case) (string, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	return s.sealBlob(sealCaseData, b)
}

// openCase reads a case's data column into c; the columns kept beside the
// JSON (id, check code, version) are the caller's to set.
func (s *Store) openCase(data string, c *casework.Case) error {
	b, err := s.openBlob(sealCaseData, data)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, c); err != nil {
		return apperr.Wrap(err, "case data")
	}
	return nil
}

// nullText is an optional text: empty is NULL.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// supplyDue is what the supply_by column keeps: the time after which the
// case lapses, as the applicant was told in writing (casework.LapseAt),
// for the sweep to find; NULL while nothing warned of a lapse.
func supplyDue(c *casework.Case) time.Time { return c.LapseAt() }

// insertEvent appends ev to case c with the deadlines still running after
// it (the event feed tells them), and queues its webhook deliveries in the
// same transaction. A case a batch created keeps its events for the
// batch's end (case_batch_writes.go): generated history is not sent to
// department systems.
func (s *Store) insertEvent(ctx context.Context, tx *sql.Tx, c *casework.Case, ev *casework.Event) error {
	args := []any{c.ID, ev.Seq, string(ev.Type), ev.Actor, ev.Role, ev.Desk, stamp(ev.At), string(ev.From), string(ev.To),
		string(ev.Details), ev.PrevHash, ev.Hash, deadlinesJSON(c)}
	if w := deferred(ctx, c.ID); w != nil {
		w.events = append(w.events, args...)
		return nil
	}
	q := insertEventQuery
	if s.dialect == Postgres {
		q = insertEventQueryPG
	}
	if _, err := s.execTx(ctx, tx, q, args...); err != nil {
		return err
	}
	s.enqueued(tx, EventFeed)
	s.appended(tx, string(ev.Type))
	return s.queueWebhooks(ctx, tx, c, ev)
}

// insertDocuments stores the documents with their data sealed: a printed
// document shows the applicant's phone and the signer's details.
//
// A document the domain gave a number series (a written decision) gets the
// series' next number here, from its counter in the same transaction, so
// numbers are never given twice and a rolled-back step uses none.
func (s *Store) insertDocuments(ctx context.Context, tx *sql.Tx, caseID int64, docs []casework.Document) error {
	for i := range docs {
		d := &docs[i]
		if d.Series != "" {
			n, err := s.nextCounter(ctx, tx, "doc:"+d.Series)
			if err != nil {
				return err
			}
			d.Numbered(n)
		}
		data, err := s.sealBlob(sealDocumentData, d.Data)
		if err != nil {
			return err
		}
		args := []any{caseID, string(d.Kind), d.Title, d.EventSeq, stamp(d.CreatedAt), data, nullText(d.Number)}
		if w := deferred(ctx, caseID); w != nil {
			w.docs = append(w.docs, args...)
			continue
		}
		if _, err = s.execTx(ctx, tx, insertDocumentQuery, args...); err != nil {
			return err
		}
	}
	return nil
}

// ChangeFunc changes a case in place and returns the change: the event
// recording it, the documents it made and the notice it sends; an error
// changes nothing.
type ChangeFunc func(c *casework.Case) (casework.Change, error)

// UpdateCase loads the case, lets change alter it, and writes the new case,
// its event (sealed onto the case's chain), its documents and its notice
// in one transaction. If another change committed in between, the write finds
// the version moved on and nothing is written: a conflict, never a lost
// update.
func (s *Store) UpdateCase(ctx context.Context, number string, change ChangeFunc) (*casework.Case, error) {
	ctx = pipelined(ctx) // its statements in batches on PostgreSQL: pg_batch.go
	var out *casework.Case
	err := s.update(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.updateCaseTx(ctx, tx, number, change)
		return err
	})
	return out, err
}

// UpdateCaseSteps changes a case by each of changes in turn, each its own
// event on the case's chain, all in one transaction: a flow of several
// steps (an instant case decided, handed over and archived at the window)
// is recorded whole or not at all.
func (s *Store) UpdateCaseSteps(ctx context.Context, number string, changes ...ChangeFunc) (*casework.Case, error) {
	ctx = pipelined(ctx) // its statements in batches on PostgreSQL: pg_batch.go
	var out *casework.Case
	err := s.update(ctx, func(tx *sql.Tx) error {
		for _, change := range changes {
			var err error
			if out, err = s.updateCaseTx(ctx, tx, number, change); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// UpdateCaseAtVisit changes a case as UpdateCase does and links it to the
// clerk's visit (link) in the same transaction: the window taking in the
// paper of an online application. It returns the ticket linked, or nil.
func (s *Store) UpdateCaseAtVisit(ctx context.Context, number string, change ChangeFunc, link *VisitLink) (*casework.Case, *queue.Ticket, error) {
	ctx = pipelined(ctx) // its statements in batches on PostgreSQL: pg_batch.go
	var out *casework.Case
	var t *queue.Ticket
	err := s.update(ctx, func(tx *sql.Tx) error {
		var err error
		if out, err = s.updateCaseTx(ctx, tx, number, change); err != nil {
			return err
		}
		t, err = s.linkVisitTx(ctx, tx, link, out.Number)
		return err
	})
	return out, t, err
}

// updateCaseTx is UpdateCase's work in tx.
func (s *Store) updateCaseTx(ctx context.Context, tx *sql.Tx, number string, change ChangeFunc) (*casework.Case, error) {
	var out *casework.Case
	err := func() error {
		var c *casework.Case
		var prev *casework.Event
		bulk := bulkOf(ctx)
		if lc := bulk.liveCase(number); lc != nil {
			c, prev = lc.c, &lc.last // a batch's case, as its last change left it
		} else {
			var err error
			if c, prev, err = s.loadCase(s.rowTx(ctx, tx, loadCaseQuery, number), number); err != nil {
				return err
			}
		}
		files := caseFiles(c)
		ch, err := change(c)
		if err != nil {
			return err
		}
		ev, docs := ch.Event, ch.Documents
		// A case keeps every file it was ever given: those a change adds
		// are referenced, none is let go.
		if err := referenceFiles(ctx, tx, holderCase, c.ID, newFiles(files, caseFiles(c)), ev.At); err != nil {
			return err
		}
		ev.Seal(c.Number, prev)
		oldVersion := c.Version
		c.Version++
		data, err := s.sealCase(c)
		if err != nil {
			return err
		}
		phone, err := s.casePhone(c)
		if err != nil {
			return err
		}
		args := []any{string(c.State), c.Version, stamp(ev.At), stamp(c.NextDue()), stamp(supplyDue(c)),
			ev.Seq, ev.Hash, data, c.ID, oldVersion, c.HallCode, c.DeskHall(casework.PickupHall), phone, c.ReceivedBy}
		if w := deferred(ctx, c.ID); w != nil {
			w.updates[c.ID] = args // a batch's case: its last row is written at the end
		} else if s.dialect == Postgres {
			if _, err := s.execTx(withOutcome(ctx, nil, versionMoved(number)), tx, updateCaseQueryPG, args...); err != nil {
				return err
			}
		} else {
			res, err := s.execTx(ctx, tx, updateCaseQuery, args...)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return caseMoved(number)
			}
		}
		if err := s.insertEvent(ctx, tx, c, ev); err != nil {
			return err
		}
		if err := s.syncTrip(ctx, tx, c); err != nil {
			return err
		}
		if err := s.rollUp(ctx, tx, c, ev); err != nil {
			return err
		}
		if err := s.writeCaseLedger(ctx, tx, c, ev); err != nil {
			return err
		}
		if err := s.insertNotice(ctx, tx, c.ID, ch.Notice); err != nil {
			return err
		}
		for i := range docs {
			docs[i].EventSeq = ev.Seq
		}
		if err := s.insertDocuments(ctx, tx, c.ID, docs); err != nil {
			return err
		}
		bulk.keep(c, ev)
		out = c
		return nil
	}()
	if err != nil {
		bulkOf(ctx).forget(number) // a change refused mid-way may have touched the case
	}
	return out, err
}

// caseMoved is the answer to a change of a case whose version moved on
// since it was read: another change committed in between.
func caseMoved(number string) error {
	return apperr.New(apperr.Conflict, "办件 %s 已被他人同时修改，请刷新后重试", number)
}

// versionMoved translates updateCaseQueryPG's error: its division by zero
// says no row had the version read.
func versionMoved(number string) func(error) error {
	return func(err error) error {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "22012" {
			return caseMoved(number)
		}
		return err
	}
}

// loadCase reads a case and the end of its event chain (seq and hash).
func (s *Store) loadCase(row *sql.Row, number string) (*casework.Case, *casework.Event, error) {
	var c casework.Case
	var last casework.Event
	var data string
	err := row.Scan(&c.ID, &c.CheckCode, &c.Version, &last.Seq, &last.Hash, &data)
	if err != nil {
		return nil, nil, notFound(err, casework.UnknownCase(number).Message)
	}
	id, check, version := c.ID, c.CheckCode, c.Version
	if err := s.openCase(data, &c); err != nil {
		return nil, nil, fmt.Errorf("case %s: %w", number, err)
	}
	c.ID, c.CheckCode, c.Version = id, check, version
	return &c, &last, nil
}

// Case returns the case with number.
func (s *Store) Case(ctx context.Context, number string) (*casework.Case, error) {
	c, _, err := s.loadCase(s.row(ctx, loadCaseQuery, number), number)
	return c, err
}

// CaseEvents returns the case's events in order, with their hashes.
func (s *Store) CaseEvents(ctx context.Context, number string) ([]casework.Event, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT e.seq, e.type, e.actor, e.role, e.desk, e.at, e.from_state, e.to_state, e.details, e.prev_hash, e.hash
		FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.number = $1 ORDER BY e.seq`, number)
	if err != nil {
		return nil, mapErr(err, "case events")
	}
	defer rows.Close()
	var out []casework.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, mapErr(err, "scan event")
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err(), "case events")
}

func scanEvent(row interface{ Scan(...any) error }, extra ...any) (casework.Event, error) {
	var e casework.Event
	var typ, from, to, details string
	dest := append([]any{&e.Seq, &typ, &e.Actor, &e.Role, &e.Desk, timeDest{&e.At}, &from, &to, &details, &e.PrevHash, &e.Hash}, extra...)
	if err := row.Scan(dest...); err != nil {
		return e, err
	}
	e.Type, e.From, e.To, e.Details = casework.Action(typ), casework.State(from), casework.State(to), json.RawMessage(details)
	return e, nil
}

// CaseDocuments returns the case's documents in the order they were made.
func (s *Store) CaseDocuments(ctx context.Context, number string) ([]casework.Document, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT d.kind, d.title, d.event_seq, d.created_at, d.data, COALESCE(d.number, '')
		FROM case_documents d JOIN cases c ON c.id = d.case_id WHERE c.number = $1 ORDER BY d.id`, number)
	if err != nil {
		return nil, mapErr(err, "case documents")
	}
	defer rows.Close()
	var out []casework.Document
	for rows.Next() {
		var d casework.Document
		var kind, data string
		if err := rows.Scan(&kind, &d.Title, &d.EventSeq, timeDest{&d.CreatedAt}, &data, &d.Number); err != nil {
			return nil, mapErr(err, "scan document")
		}
		b, err := s.openBlob(sealDocumentData, data)
		if err != nil {
			return nil, err
		}
		d.Kind, d.Data = casework.DocKind(kind), json.RawMessage(b)
		out = append(out, d)
	}
	return out, mapErr(rows.Err(), "case documents")
}

// CaseFilter narrows a work list.
type CaseFilter struct {
	States     []casework.State
	Department string
	Hall       string
	Query      string    // number prefix, applicant name part, or a full ID number
	DueBefore  time.Time // only cases with a running deadline before this (warnings)
	Page, Size int       // Page from 1

	Phone        string    // the applicant's whole phone (casework.PhoneKey), found by its hash
	ReceivedFrom time.Time // received at or after this …
	ReceivedTo   time.Time // … and before this (zero: open)
	Item         string    // the item's code, any version
	ReceivedBy   string    // the username of the clerk who received the case

	Bundle      string // the members of a bundle
	AccountID   int64  // an applicant account's own cases …
	ApplicantID string // … and the window cases in its holder's ID number
	Agent       string // the cases an agent may act on
}

// Cases returns a page of the cases matching f, the most urgent first
// (earliest running deadline; cases with none after), and the total count.
func (s *Store) Cases(ctx context.Context, f CaseFilter) ([]casework.Case, int, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if len(f.States) > 0 {
		var ps []string
		for _, st := range f.States {
			ps = append(ps, arg(string(st)))
		}
		where = append(where, "c.state IN ("+strings.Join(ps, ", ")+")")
	}
	if f.Department != "" {
		where = append(where, "d.code = "+arg(f.Department))
	}
	if f.Hall != "" {
		where = append(where, "c.hall_code = "+arg(f.Hall))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := arg(likeEscape(q) + "%")
		name := arg("%" + likeEscape(q) + "%")
		id, err := s.hash(hashID, strings.ToUpper(q)) // a full ID number, found by its hash
		if err != nil {
			return nil, 0, err
		}
		where = append(where, fmt.Sprintf(`(c.number LIKE %s ESCAPE '\' OR c.applicant_name LIKE %s ESCAPE '\' OR c.applicant_id = %s)`, like, name, arg(id)))
	}
	if !f.DueBefore.IsZero() {
		where = append(where, "c.next_due IS NOT NULL AND c.next_due <= "+arg(stamp(f.DueBefore)))
	}
	if f.Phone != "" {
		phone, err := s.hash(hashPhone, casework.PhoneKey(f.Phone))
		if err != nil {
			return nil, 0, err
		}
		if phone == "" {
			phone = "-" // no phone in what was typed: nothing matches
		}
		where = append(where, "c.applicant_phone = "+arg(phone))
	}
	if !f.ReceivedFrom.IsZero() {
		where = append(where, "c.received_at >= "+arg(stamp(f.ReceivedFrom)))
	}
	if !f.ReceivedTo.IsZero() {
		where = append(where, "c.received_at < "+arg(stamp(f.ReceivedTo)))
	}
	if f.Item != "" {
		where = append(where, "c.item_id IN (SELECT id FROM items WHERE code = "+arg(f.Item)+")")
	}
	if f.ReceivedBy != "" {
		where = append(where, "c.received_by = "+arg(f.ReceivedBy))
	}
	if f.Bundle != "" {
		where = append(where, "c.bundle_number = "+arg(f.Bundle))
	}
	if f.AccountID != 0 {
		// The account's online cases, and window cases in its holder's ID
		// (the service checks the phone too).
		own := "c.account_id = " + arg(f.AccountID)
		if f.ApplicantID != "" {
			id, err := s.hash(hashID, f.ApplicantID)
			if err != nil {
				return nil, 0, err
			}
			own = "(" + own + " OR (c.account_id IS NULL AND c.applicant_id = " + arg(id) + "))"
		}
		where = append(where, own)
	}
	if f.Agent != "" {
		// Cases the agent applied for, and those of the accounts that
		// authorised the agent (the service checks scope and expiry).
		a := arg(f.Agent)
		where = append(where, "(c.agent_user = "+a+" OR c.account_id IN (SELECT account_id FROM authorisations WHERE agent = "+a+" AND revoked_at IS NULL))")
	}
	clause := ""
	if len(where) > 0 {
		clause = " WHERE " + strings.Join(where, " AND ")
	}
	from := ` FROM cases c JOIN departments d ON d.id = c.department_id`
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*)`+from+clause, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err, "count cases")
	}
	if f.Size <= 0 || f.Size > 200 {
		f.Size = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	limit, offset := arg(f.Size), arg((f.Page-1)*f.Size)
	rows, err := s.read.QueryContext(ctx, `SELECT c.id, c.check_code, c.version, c.data`+from+clause+`
		ORDER BY CASE WHEN c.next_due IS NULL THEN 1 ELSE 0 END, c.next_due, c.number
		LIMIT `+limit+` OFFSET `+offset, args...)
	if err != nil {
		return nil, 0, mapErr(err, "list cases")
	}
	defer rows.Close()
	var out []casework.Case
	for rows.Next() {
		var c casework.Case
		var id int64
		var check, data string
		var version int
		if err := rows.Scan(&id, &check, &version, &data); err != nil {
			return nil, 0, mapErr(err, "scan case")
		}
		if err := s.openCase(data, &c); err != nil {
			return nil, 0, err
		}
		c.ID, c.CheckCode, c.Version = id, check, version
		out = append(out, c)
	}
	return out, total, mapErr(rows.Err(), "list cases")
}

// LapsedCases returns the numbers of cases whose deferred materials are
// still missing after the time the applicant was told in writing the case
// would then end (the supply_by column: supplyDue), before now.
func (s *Store) LapsedCases(ctx context.Context, now time.Time, limit int) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT number FROM cases WHERE supply_by IS NOT NULL AND supply_by < $1 ORDER BY supply_by LIMIT $2`,
		stamp(now), limit)
	if err != nil {
		return nil, mapErr(err, "lapsed cases")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, mapErr(err, "scan number")
		}
		out = append(out, n)
	}
	return out, mapErr(rows.Err(), "lapsed cases")
}

// ChainReport is the outcome of checking every case's event chain.
type ChainReport struct {
	Cases  int              `json:"cases"`
	Events int              `json:"events"`
	Breaks []casework.Break `json:"breaks"`
}

// VerifyChains recomputes every case's event chain and reports each broken
// link, and any case whose recorded last event is not its chain's end.
func (s *Store) VerifyChains(ctx context.Context) (*ChainReport, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT e.seq, e.type, e.actor, e.role, e.desk, e.at, e.from_state, e.to_state, e.details, e.prev_hash, e.hash,
			c.number, c.last_seq, c.last_hash
		FROM case_events e JOIN cases c ON c.id = e.case_id ORDER BY e.case_id, e.seq`)
	if err != nil {
		return nil, mapErr(err, "events")
	}
	defer rows.Close()
	rep := &ChainReport{}
	var number, lastHash string
	var lastSeq int
	var chain []casework.Event
	flush := func() {
		if number == "" {
			return
		}
		rep.Cases++
		rep.Breaks = append(rep.Breaks, casework.VerifyChain(number, chain)...)
		if end := chain[len(chain)-1]; end.Seq != lastSeq || end.Hash != lastHash {
			rep.Breaks = append(rep.Breaks, casework.Break{Number: number, Seq: end.Seq,
				Reason: fmt.Sprintf("the case records event %d as its last, the chain ends at %d", lastSeq, end.Seq)})
		}
	}
	for rows.Next() {
		var n, lh string
		var ls int
		e, err := scanEvent(rows, &n, &ls, &lh)
		if err != nil {
			return nil, mapErr(err, "scan event")
		}
		if n != number {
			flush()
			number, lastSeq, lastHash, chain = n, ls, lh, chain[:0]
		}
		chain = append(chain, e)
		rep.Events++
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err, "events")
	}
	flush()
	// A case with no event at all has lost its intake record.
	var orphans []string
	orows, err := s.read.QueryContext(ctx, `SELECT number FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id)`)
	if err != nil {
		return nil, mapErr(err, "cases without events")
	}
	defer orows.Close()
	for orows.Next() {
		var n string
		if err := orows.Scan(&n); err != nil {
			return nil, mapErr(err, "scan number")
		}
		orphans = append(orphans, n)
	}
	for _, n := range orphans {
		rep.Cases++
		rep.Breaks = append(rep.Breaks, casework.Break{Number: n, Seq: 1, Reason: "the case has no events: its record was removed"})
	}
	return rep, mapErr(orows.Err(), "cases without events")
}
