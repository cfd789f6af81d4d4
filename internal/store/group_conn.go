package store

import (
	"context"
	"database/sql/driver"
	"sync/atomic"

	"modernc.org/sqlite"
)

// The SQLite driver interrupts a statement whose context ends
// (sqlite3_interrupt), and SQLite answers an interrupt inside a
// transaction by rolling back the WHOLE transaction: in a group
// (group_commit.go) one client hanging up would undo its neighbours'
// writes. So while a group transaction holds the writer, the writer's
// connection runs every statement without its context's cancellation
// (context.WithoutCancel: its values are kept). A write whose context
// ended before it started is not run; database/sql still refuses the
// next statement of a write whose context ended (ctx.Err()), which
// fails that write alone.

// writerConnector opens the SQLite writer's connection through the
// driver, wrapped so that, while *grouped is set, no statement is
// interrupted.
type writerConnector struct {
	base    driver.Connector
	grouped *atomic.Bool
}

func newWriterConnector(dsn string, grouped *atomic.Bool) (driver.Connector, error) {
	base, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return &writerConnector{base: base, grouped: grouped}, nil
}

func (c *writerConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &writerConn{conn: conn, grouped: c.grouped}, nil
}

func (c *writerConnector) Driver() driver.Driver { return c.base.Driver() }

// The driver's connection does all of these.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type sqliteStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// writerConn is the writer's connection.
type writerConn struct {
	conn    driver.Conn
	grouped *atomic.Bool
}

// uncancelled returns ctx without its cancellation while a group runs.
func uncancelled(grouped *atomic.Bool, ctx context.Context) context.Context {
	if grouped.Load() && ctx.Done() != nil {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (c *writerConn) sqlite() sqliteConn { return c.conn.(sqliteConn) }

func (c *writerConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *writerConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.sqlite().PrepareContext(uncancelled(c.grouped, ctx), query)
	if err != nil {
		return nil, err
	}
	return &writerStmt{stmt: st.(sqliteStmt), grouped: c.grouped}, nil
}

func (c *writerConn) Close() error { return c.conn.Close() }

func (c *writerConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *writerConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.sqlite().BeginTx(uncancelled(c.grouped, ctx), opts)
}

func (c *writerConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.sqlite().ExecContext(uncancelled(c.grouped, ctx), query, args)
}

func (c *writerConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.sqlite().QueryContext(uncancelled(c.grouped, ctx), query, args)
}

func (c *writerConn) Ping(ctx context.Context) error { return c.sqlite().Ping(ctx) }

func (c *writerConn) ResetSession(ctx context.Context) error { return c.sqlite().ResetSession(ctx) }

func (c *writerConn) IsValid() bool { return c.sqlite().IsValid() }

// writerStmt is a statement prepared on the writer.
type writerStmt struct {
	stmt    sqliteStmt
	grouped *atomic.Bool
}

func (s *writerStmt) Close() error  { return s.stmt.Close() }
func (s *writerStmt) NumInput() int { return s.stmt.NumInput() }

//lint:ignore SA1019 driver.Stmt requires them; database/sql calls the context forms
func (s *writerStmt) Exec(args []driver.Value) (driver.Result, error) { return s.stmt.Exec(args) }

//lint:ignore SA1019 as above
func (s *writerStmt) Query(args []driver.Value) (driver.Rows, error) { return s.stmt.Query(args) }

func (s *writerStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.stmt.ExecContext(uncancelled(s.grouped, ctx), args)
}

func (s *writerStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.stmt.QueryContext(uncancelled(s.grouped, ctx), args)
}
