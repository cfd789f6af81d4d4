// Command copypg copies every table of a OneWindow SQLite database into a
// PostgreSQL database migrated to the same schema version, with COPY: the
// way the 1,000,000-case PostgreSQL database of the "How fast" measurements
// is built from the SQLite one (see bench/million/README.md). It empties the
// PostgreSQL tables first. A column only PostgreSQL has (case_events.xid,
// the writing transaction's id, migration 38) is left out of the COPY, so
// that its default fills it. Measurement tooling, not part of the product.
//
//	go run ./bench/million/copypg -from /tmp/ow1m/ow1m.db -to postgres://postgres@127.0.0.1/ow1m
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"
)

func main() {
	from := flag.String("from", "", "the SQLite file")
	to := flag.String("to", "", "the PostgreSQL URL")
	flag.Parse()
	if *from == "" || *to == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(context.Background(), *from, *to); err != nil {
		log.Fatal(err)
	}
}

type column struct{ name, typ string }

func run(ctx context.Context, from, to string) error {
	src, err := sql.Open("sqlite", "file:"+from+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := pgx.Connect(ctx, to)
	if err != nil {
		return err
	}
	defer dst.Close(ctx)
	tables, err := pgTables(ctx, dst)
	if err != nil {
		return err
	}
	if _, err := dst.Exec(ctx, `SET session_replication_role = replica`); err != nil { // no foreign key checks while loading
		return err
	}
	if _, err := dst.Exec(ctx, `TRUNCATE `+strings.Join(tables, ", ")+` CASCADE`); err != nil {
		return err
	}
	for _, t := range tables {
		cols, err := pgColumns(ctx, dst, t)
		if err != nil {
			return err
		}
		started := time.Now()
		n, err := copyTable(ctx, src, dst, t, cols)
		if err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
		log.Printf("%s: %d rows in %s", t, n, time.Since(started).Round(time.Millisecond))
	}
	// Sequences follow the copied ids.
	rows, err := dst.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'public' AND (column_default LIKE 'nextval%' OR is_identity = 'YES')`)
	if err != nil {
		return err
	}
	var seqs [][2]string
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return err
		}
		seqs = append(seqs, [2]string{t, c})
	}
	rows.Close()
	for _, s := range seqs {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), GREATEST(COALESCE(MAX(%s), 0), 1)) FROM %s`, s[0], s[1], s[1], s[0])
		if _, err := dst.Exec(ctx, q); err != nil {
			return fmt.Errorf("sequence of %s.%s: %w", s[0], s[1], err)
		}
	}
	return nil
}

func pgTables(ctx context.Context, dst *pgx.Conn) ([]string, error) {
	rows, err := dst.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'goose_db_version' ORDER BY table_name`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func pgColumns(ctx context.Context, dst *pgx.Conn, table string) ([]column, error) {
	rows, err := dst.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (column, error) {
		var c column
		err := r.Scan(&c.name, &c.typ)
		return c, err
	})
}

// copyTable streams the SQLite table's rows into COPY, converting each
// value to what the PostgreSQL column takes.
func copyTable(ctx context.Context, src *sql.DB, dst *pgx.Conn, table string, cols []column) (int64, error) {
	var have int
	if err := src.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&have); err != nil || have == 0 {
		return 0, err
	}
	cols, err := sqliteHas(ctx, src, table, cols)
	if err != nil {
		return 0, err
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = `"` + c.name + `"`
	}
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(names, ", ")+` FROM `+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var convErr error
	source := pgx.CopyFromFunc(func() ([]any, error) {
		if !rows.Next() {
			return nil, rows.Err()
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out := make([]any, len(cols))
		for i, c := range cols {
			out[i], convErr = convert(vals[i], c.typ)
			if convErr != nil {
				return nil, fmt.Errorf("column %s: %w", c.name, convErr)
			}
		}
		return out, nil
	})
	plain := make([]string, len(cols))
	for i, c := range cols {
		plain[i] = c.name
	}
	return dst.CopyFrom(ctx, pgx.Identifier{table}, plain, source)
}

// sqliteHas returns the columns of cols the SQLite table has too. The
// others are PostgreSQL's own (case_events.xid: an xid8 defaulting to the
// writing transaction's id): COPY leaves them out and their defaults fill
// them. (Asking SQLite for a column it lacks would not fail: a
// double-quoted name that is no column is read as a string literal, and
// COPY then cannot encode "xid" as an xid8.)
func sqliteHas(ctx context.Context, src *sql.DB, table string, cols []column) ([]column, error) {
	rows, err := src.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		have[name] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var kept []column
	for _, c := range cols {
		if have[c.name] {
			kept = append(kept, c)
		} else {
			log.Printf("%s.%s: not in the SQLite table; left to its default", table, c.name)
		}
	}
	return kept, nil
}

var layouts = []string{"2006-01-02T15:04:05.000000Z", time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05", "2006-01-02"}

func convert(v any, typ string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch typ {
	case "boolean":
		switch x := v.(type) {
		case int64:
			return x != 0, nil
		case bool:
			return x, nil
		case string:
			return x == "1" || x == "true" || x == "t", nil
		}
	case "timestamp with time zone", "timestamp without time zone", "date":
		switch x := v.(type) {
		case time.Time:
			return x, nil
		case string:
			for _, l := range layouts {
				if t, err := time.Parse(l, x); err == nil {
					return t, nil
				}
			}
			return nil, fmt.Errorf("time %q", x)
		}
	case "bytea":
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	case "text", "character varying", "jsonb", "json":
		switch x := v.(type) {
		case []byte:
			return string(x), nil
		case string:
			return x, nil
		case int64:
			return fmt.Sprint(x), nil
		}
	case "bigint", "integer", "smallint":
		switch x := v.(type) {
		case int64:
			return x, nil
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		}
	case "double precision", "real":
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	}
	return v, nil
}
