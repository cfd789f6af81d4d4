package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL every statement database/sql runs is a round trip: a case
// transition made about fifteen (BEGIN, the case, its update, the event,
// the webhook deliveries, the supervision rows one by one, the ledger, the
// notice, the rollup cells, COMMIT), each waiting on the network and on
// two processes' scheduling. So the pool's connections send the
// statements of a pipelined transaction (the store's case writes opt in
// with pipelined) in batches, one round trip each:
//
//   - a statement run for its effect only (Exec) waits in the connection's
//     queue: database/sql gets a result whose rows affected are counted
//     when its batch runs (asking for them sends the batch at once);
//   - BEGIN is held back and sent with the first batch;
//   - a query (it needs its rows) first sends the queue, then runs: every
//     statement still runs in the order the store wrote it, so a read sees
//     every write before it. The plain reads of the hot path listed in
//     quietReads (the case, the item, the case's supervision record, the
//     clerk's windows) run at once when no queued statement names a table
//     they read: nothing they could see is waiting. Under READ COMMITTED
//     (PostgreSQL's default, the store's) every statement reads what is
//     committed when it starts, and these take no lock, so running one
//     before the queued writes (or before BEGIN) reads what it would have
//     read after them;
//   - COMMIT goes in the last batch, with the queue: a transaction that
//     reads a case and changes it makes three round trips in all (the
//     case, its supervision record, then every write and COMMIT).
//
// A change read before its transaction's writes stays safe because every
// write of a case is checked against the version it read (cases.go): a
// change committed in between makes the update fail, and the whole
// transaction with it.
//
// What changes is when a failing statement's error is seen: at the next
// query or at the commit, not at its Exec. On PostgreSQL a failed
// statement aborts the transaction, so nothing written after it could
// have been kept anyway; the error (mapped by mapErr as before) fails the
// write, and the transaction is rolled back. A statement whose rows
// affected decide an answer tells them through withOutcome instead of
// asking at once, and one whose error means something particular (the
// case update's version check, see cases.go) translates it there.

// quietReads are the plain SELECTs (no lock, no side effect) that may run
// ahead of a pipelined transaction's queue, with the tables each reads
// (the words after its FROMs and JOINs, taken from its text so that they
// follow its changes): it waits for the queue only if a queued statement
// names one of them.
var quietReads = readTables(loadCaseQuery, itemRefQuery, clerkWindowsQuery)

func readTables(queries ...string) map[string][]string {
	m := map[string][]string{}
	for _, q := range queries {
		if up := strings.ToUpper(q); !strings.HasPrefix(strings.TrimSpace(up), "SELECT") || strings.Contains(up, " FOR ") {
			continue // a write, or a read that locks (FOR UPDATE, FOR SHARE): never ahead
		}
		words := strings.Fields(strings.NewReplacer("(", " ", ")", " ", ",", " ").Replace(q))
		for i, w := range words[:len(words)-1] {
			if strings.EqualFold(w, "FROM") || strings.EqualFold(w, "JOIN") {
				m[q] = append(m[q], words[i+1])
			}
		}
	}
	return m
}

// mayRunAhead reports whether query may run before the queued statements:
// it is a quiet read and none of them names a table it reads.
func (p *pipe) mayRunAhead(query string) bool {
	tables, ok := quietReads[query]
	if !ok {
		return false
	}
	for _, q := range p.queue {
		for _, t := range tables {
			if namesTable(q.sql, t) {
				return false
			}
		}
	}
	return true
}

// namesTable reports whether the statement sql has the word table in it
// (case_events does not name cases; a false alarm only costs a batch).
func namesTable(sql, table string) bool {
	for i := 0; ; {
		j := strings.Index(sql[i:], table)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(table)
		if (j == 0 || !identChar(sql[j-1])) && (end == len(sql) || !identChar(sql[end])) {
			return true
		}
		i = end
	}
}

func identChar(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

type pipelinedKey struct{}

// pipelined returns ctx under which a write transaction begun on
// PostgreSQL sends its statements in batches (see above).
func pipelined(ctx context.Context) context.Context {
	return context.WithValue(ctx, pipelinedKey{}, true)
}

// outcome is what a statement tells when its batch has run.
type outcome struct {
	counted   func(rows int64)      // the rows it affected, if it succeeded
	translate func(err error) error // its error, as the store means it
}

type outcomeKey struct{}

// withOutcome returns ctx under which a statement run on PostgreSQL calls
// counted with the rows it affected and passes its error through
// translate, when it runs: at once, or in its batch. Either may be nil.
// SQLite's connections ignore it: there the caller reads the result.
func withOutcome(ctx context.Context, counted func(rows int64), translate func(err error) error) context.Context {
	return context.WithValue(ctx, outcomeKey{}, &outcome{counted, translate})
}

func outcomeOf(ctx context.Context) *outcome {
	o, _ := ctx.Value(outcomeKey{}).(*outcome)
	return o
}

// tell applies o to a statement's result.
func (o *outcome) tell(rows int64, err error) error {
	if o == nil {
		return err
	}
	if err != nil {
		if o.translate != nil {
			return o.translate(err)
		}
		return err
	}
	if o.counted != nil {
		o.counted(rows)
	}
	return nil
}

// pipeConnector makes connections that pipeline (pipeConn).
type pipeConnector struct{ driver.Connector }

func (p pipeConnector) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := p.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pipeConn{Conn: c.(*stdlib.Conn)}, nil
}

// pipeConn is pgx's database/sql connection with a queue for the
// transaction in progress, if it is pipelined. database/sql uses a
// connection from one goroutine at a time.
type pipeConn struct {
	*stdlib.Conn
	p *pipe
}

// pipe is a pipelined transaction's state.
type pipe struct {
	ctx    context.Context // the transaction's, for its COMMIT
	begun  bool            // BEGIN sent
	direct bool            // a statement was prepared: the rest run one by one
	queue  []*queued
	err    error // the first error: the transaction is lost
}

// queued is a statement waiting for its batch.
type queued struct {
	sql  string
	args []any
	res  *queuedResult
	out  *outcome
}

// queuedResult is the result database/sql gets for a queued statement.
type queuedResult struct {
	c    *pipeConn
	ctx  context.Context
	done bool
	rows int64
	err  error
}

func (r *queuedResult) LastInsertId() (int64, error) {
	return 0, errors.New("LastInsertId is not supported by PostgreSQL")
}

// RowsAffected sends the batch the statement waits in, if it is not sent
// yet, and returns the rows the statement affected.
func (r *queuedResult) RowsAffected() (int64, error) {
	if !r.done {
		if r.c.p == nil {
			return 0, errors.New("the statement's transaction ended before it ran")
		}
		if err := r.c.flush(r.ctx, false); err != nil {
			return 0, err
		}
	}
	return r.rows, r.err
}

// BeginTx begins a pipelined transaction if ctx asks for one (and the
// options are the defaults); else as pgx does.
func (c *pipeConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if on, _ := ctx.Value(pipelinedKey{}).(bool); !on || opts.Isolation != 0 || opts.ReadOnly {
		return c.Conn.BeginTx(ctx, opts)
	}
	if c.Conn.Conn().IsClosed() {
		return nil, driver.ErrBadConn
	}
	c.p = &pipe{ctx: ctx}
	return pipeTx{c}, nil
}

// ExecContext queues the statement in a pipelined transaction; else runs
// it, telling its outcome.
func (c *pipeConn) ExecContext(ctx context.Context, query string, argsV []driver.NamedValue) (driver.Result, error) {
	p := c.p
	if p == nil || p.direct {
		res, err := c.Conn.ExecContext(ctx, query, argsV)
		var rows int64
		if err == nil {
			rows, _ = res.RowsAffected()
		}
		if err := outcomeOf(ctx).tell(rows, err); err != nil {
			return nil, err
		}
		return res, nil
	}
	if p.err != nil {
		return nil, p.err
	}
	args := make([]any, 0, len(argsV))
	for i, v := range argsV {
		if _, mode := v.Value.(pgx.QueryExecMode); mode && i == 0 {
			// pgx's batches take the connection's mode (statements
			// prepared and cached), not a statement's own: it runs so.
			continue
		}
		args = append(args, v.Value)
	}
	r := &queuedResult{c: c, ctx: ctx}
	p.queue = append(p.queue, &queued{sql: query, args: args, res: r, out: outcomeOf(ctx)})
	return r, nil
}

// QueryContext sends the queue of a pipelined transaction (with its BEGIN)
// and runs the query; a quiet read runs ahead of the queue if it may.
func (c *pipeConn) QueryContext(ctx context.Context, query string, argsV []driver.NamedValue) (driver.Rows, error) {
	if p := c.p; p != nil && p.err != nil {
		return nil, p.err
	} else if p != nil && !p.direct && !p.mayRunAhead(query) {
		if err := c.flush(ctx, false); err != nil {
			return nil, err
		}
	}
	return c.Conn.QueryContext(ctx, query, argsV)
}

// PrepareContext sends the queue and runs the rest of the transaction one
// statement at a time: a prepared statement runs past the queue. (The
// store prepares nothing on PostgreSQL; this keeps the order if it did.)
func (c *pipeConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if p := c.p; p != nil && !p.direct {
		if err := c.flush(ctx, false); err != nil {
			return nil, err
		}
		p.direct = true
	}
	return c.Conn.PrepareContext(ctx, query)
}

// Prepare is PrepareContext without a context.
func (c *pipeConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// flush sends BEGIN (if not sent yet), the queue and, if commit, COMMIT
// as one batch, and tells each statement its outcome. The first error
// (translated by its statement's outcome) is returned and kept: the
// transaction is lost.
func (c *pipeConn) flush(ctx context.Context, commit bool) error {
	p := c.p
	if p.err != nil {
		return p.err
	}
	if p.begun && len(p.queue) == 0 && !commit {
		return nil
	}
	b := &pgx.Batch{}
	if !p.begun {
		b.Queue("BEGIN")
	}
	for _, q := range p.queue {
		b.Queue(q.sql, q.args...)
	}
	if commit {
		b.Queue("COMMIT")
	}
	queue, begin := p.queue, !p.begun
	p.queue, p.begun = nil, true
	br := c.Conn.Conn().SendBatch(ctx, b)
	var first error
	if begin {
		if _, err := br.Exec(); err != nil {
			first = err
		}
	}
	for _, q := range queue {
		tag, err := br.Exec()
		q.res.done = true
		if first != nil {
			q.res.err = first // not run: the transaction was already lost
			continue
		}
		q.res.rows, q.res.err = tag.RowsAffected(), err
		if err := q.out.tell(tag.RowsAffected(), err); err != nil {
			first = err
			q.res.err = err
		}
	}
	if commit && first == nil {
		tag, err := br.Exec()
		switch {
		case err != nil:
			first = err
		case tag.String() != "COMMIT": // a transaction already aborted answers ROLLBACK
			first = fmt.Errorf("commit: the transaction was rolled back (%s)", tag)
		}
	}
	if err := br.Close(); err != nil && first == nil {
		first = err
	}
	p.err = first
	return first
}

// pipeTx ends a pipelined transaction.
type pipeTx struct{ c *pipeConn }

// Commit sends what is queued and COMMIT in one batch; a transaction that
// wrote nothing has nothing to commit.
func (t pipeTx) Commit() error {
	c := t.c
	p := c.p
	if p == nil {
		return errors.New("commit: the transaction has ended")
	}
	defer func() { c.p = nil }()
	if p.err != nil {
		c.rollback(p)
		return p.err
	}
	if !p.begun && len(p.queue) == 0 {
		return nil
	}
	if err := c.flush(p.ctx, true); err != nil {
		c.rollback(p)
		return err
	}
	return nil
}

// Rollback drops the queue and rolls back what was sent.
func (t pipeTx) Rollback() error {
	c := t.c
	p := c.p
	if p == nil {
		return nil // ended already
	}
	c.p = nil
	for _, q := range p.queue {
		q.res.done, q.res.err = true, errors.New("rolled back before it ran")
	}
	return c.rollback(p)
}

// rollback ends the transaction on the server, if it was begun there.
func (c *pipeConn) rollback(p *pipe) error {
	if !p.begun {
		return nil
	}
	_, err := c.Conn.Conn().Exec(context.Background(), "ROLLBACK")
	if err != nil && !pgconn.SafeToRetry(err) {
		return err
	}
	return nil
}
