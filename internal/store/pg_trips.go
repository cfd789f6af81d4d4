package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"net"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// A round trip to PostgreSQL is the client writing and then waiting to
// read the answer: every statement database/sql runs costs one, a batch
// sent as one pipeline (pg_batch.go) costs one for all its statements.
// The store counts them on its connections (RoundTrips): the steadiest
// figure of what a change costs on PostgreSQL, whatever the machine's
// load.

// countingConn counts the round trips of one connection into trips: a
// read that follows a write.
type countingConn struct {
	net.Conn
	trips *atomic.Int64
	wrote atomic.Bool
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.wrote.Store(true)
	return c.Conn.Write(p)
}

func (c *countingConn) Read(p []byte) (int, error) {
	if c.wrote.Swap(false) {
		c.trips.Add(1)
	}
	return c.Conn.Read(p)
}

// pgConnector returns the connector of a PostgreSQL pool on dsn whose
// connections count their round trips into trips and, if pipelined, send
// the statements of the store's case transactions in batches (pg_batch.go).
func pgConnector(dsn string, trips *atomic.Int64, pipelined bool) (driver.Connector, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	dial := cfg.DialFunc
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &countingConn{Conn: c, trips: trips}, nil
	}
	c := stdlib.GetConnector(*cfg)
	if !pipelined {
		return c, nil
	}
	return pipeConnector{c}, nil
}

// openPostgresPool opens a pool on dsn, as pgConnector makes them.
func openPostgresPool(dsn string, trips *atomic.Int64, pipelined bool) (*sql.DB, error) {
	c, err := pgConnector(dsn, trips, pipelined)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

// RoundTrips returns how many round trips the store's connections have
// made to PostgreSQL so far (the pool and the day numbers' pool); 0 on
// SQLite, which has none.
func (s *Store) RoundTrips() int64 {
	if s.trips == nil {
		return 0
	}
	return s.trips.Load()
}
