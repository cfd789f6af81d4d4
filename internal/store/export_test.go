package store

import (
	"context"
	"database/sql"

	"github.com/onewindow/onewindow/internal/ledger"
	"github.com/onewindow/onewindow/internal/supervision"
)

// Update runs fn as a write of the store, as its methods do (tests).
func (s *Store) Update(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.update(ctx, fn)
}

// Queued is how many writes wait for the group committer (tests).
func (s *Store) Queued() int {
	if g := s.gc.committer.Load(); g != nil {
		return len(g.queue)
	}
	return 0
}

// Enqueued notes that tx left work in o, as the outbox writers do (tests).
func (s *Store) Enqueued(tx *sql.Tx, o Outbox) { s.enqueued(tx, o) }

// AddRollup adds n to metric's cells of department on day in tx, as a
// change's supervision rollup does (tests).
func (s *Store) AddRollup(ctx context.Context, tx *sql.Tx, department, day string, metric supervision.Metric, n int64) error {
	return s.addRollup(ctx, tx, []dimEntry{{dims: supervision.Dims{Department: department, Item: "I", Hall: "H"},
		Entry: supervision.Entry{Day: day, Metric: metric, User: "u", N: n}}})
}

// UpdatePipelined runs fn as a case write does: on PostgreSQL its
// statements go in batches (pg_batch.go) (tests).
func (s *Store) UpdatePipelined(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.update(pipelined(ctx), fn)
}

// WithOutcome is withOutcome (tests).
func WithOutcome(ctx context.Context, counted func(rows int64), translate func(err error) error) context.Context {
	return withOutcome(ctx, counted, translate)
}

// CaseLedgerThroughSQL reads the case ledger as CaseLedger does, but
// through database/sql on either database (tests: PostgreSQL's own
// reader must read the same entries).
func (s *Store) CaseLedgerThroughSQL(ctx context.Context, q LedgerQuery, each func(*ledger.CaseEntry) error) error {
	query, args := s.caseLedgerQuery(q)
	return s.caseLedgerRows(ctx, query, args, q.RevealIDs, each)
}

// CaseRecordQueries are the statements CaseRecord reads a case's record
// with (tests).
var CaseRecordQueries = []string{caseRowQuery + ` WHERE ` + caseNumberWhere, svFoldedQuery, foldEventsQuery}

// EncodeLogCells encodes rows as the cells of a supervision log row
// (rollup_log.go) (tests).
func EncodeLogCells(rows []RollupRow) []byte {
	sums := map[rollupCell]int64{}
	for _, r := range rows {
		sums[rollupCell{r.Dim, r.Grain, r.Day, r.Department, r.Key, r.Metric}] += r.N
	}
	return encodeCells(sums)
}

// LogFoldRows is logFoldRows (tests).
const LogFoldRows = logFoldRows

// UnkeptFolds returns how many cases folds have read the events of from
// the database, not from memory (fold_events.go).
func (s *Store) UnkeptFolds() int64 { return s.folder.unkept.Load() }

// DropKeptEvents forgets the events kept for the folds.
func (s *Store) DropKeptEvents() {
	s.kept.mu.Lock()
	defer s.kept.mu.Unlock()
	s.kept.byCase, s.kept.n = nil, 0
}

// Unfolded returns how many case changes wait for a fold and the number
// of the last one's event: sv_log's case rows on PostgreSQL, the events
// after the position folded on SQLite (rollup_log.go).
func (s *Store) Unfolded(ctx context.Context) (n, seq int, err error) {
	q := `SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM sv_log WHERE case_id IS NOT NULL`
	if s.dialect != Postgres {
		q = `SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM case_events WHERE position > (SELECT position FROM sv_fold)`
	}
	err = s.read.QueryRowContext(ctx, q).Scan(&n, &seq)
	return n, seq, err
}

// CaseFactsBothWays returns a case's groupings and facts as a fold reads
// them from the case's columns (loadLogRow) and as a change logs them
// from the case itself (caseLogRow).
func (s *Store) CaseFactsBothWays(ctx context.Context, number string) (fromColumns, fromCase [2]any, err error) {
	r, err := loadLogRow(ctx, s.read, caseNumberWhere, number)
	if err != nil {
		return fromColumns, fromCase, err
	}
	c, last, err := s.loadCase(s.row(ctx, loadCaseQuery, number), number)
	if err != nil {
		return fromColumns, fromCase, err
	}
	l := caseLogRow(c, last.Seq)
	return [2]any{r.dims(), r.facts()}, [2]any{l.dims(), l.facts()}, nil
}

// MigrateDownTo rolls the schema back to version (tests of a migration's
// Down).
func (s *Store) MigrateDownTo(ctx context.Context, version int64) error {
	p, err := s.provider()
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, version)
	return err
}
