package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/store/storetest"
)

// TestCaseRecordFindsTheCaseByIndex: the case page's holding bar reads
// one case's supervision record; it must find it through an index, not
// by reading every case's record (sv_cases has no index on the number:
// the read went through the whole table, a million records on a
// year's database).
func TestCaseRecordFindsTheCaseByIndex(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			st := storetest.Open(t, d, nil)
			ctx := context.Background()
			conn, err := st.DB().Conn(ctx)
			must(t, err)
			defer conn.Close()
			explain := "EXPLAIN QUERY PLAN "
			if d == store.Postgres {
				// The tables are empty: without this PostgreSQL reads them
				// whole whatever indexes there are.
				_, err := conn.ExecContext(ctx, "SET enable_seqscan = off")
				must(t, err)
				defer conn.ExecContext(ctx, "RESET enable_seqscan")
				explain = "EXPLAIN "
			}
			var plan []string
			for i, q := range store.CaseRecordQueries {
				plan = append(plan, readPlan(t, conn, explain+q, [][]any{{"202612030001"}, {int64(7)}, {int64(7), 3}}[i]...)...)
			}
			text := strings.Join(plan, "\n")
			for _, line := range plan {
				// SQLite: "SCAN v" (every record read, maybe through an
				// index's order); PostgreSQL: a sequential scan, or an
				// index read whole with the number as its filter.
				l := strings.TrimSpace(line)
				if (strings.HasPrefix(l, "SCAN") && l != "SCAN CONSTANT ROW") || strings.Contains(line, "Seq Scan") ||
					strings.Contains(line, "Filter: (number") {
					t.Errorf("the case's record is not found by an index:\n%s", text)
					break
				}
			}
			if !strings.Contains(text, "cases") {
				t.Errorf("no plan read: %q", text)
			}
			t.Logf("plan:\n%s", text)
		})
	}
}

// readPlan returns the lines of the plan an EXPLAIN statement reads.
func readPlan(t *testing.T, conn *sql.Conn, explain string, args ...any) []string {
	t.Helper()
	rows, err := conn.QueryContext(t.Context(), explain, args...)
	must(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	must(t, err)
	var plan []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		must(t, rows.Scan(ptrs...))
		for _, v := range vals {
			switch v := v.(type) {
			case string:
				plan = append(plan, v)
			case []byte:
				plan = append(plan, string(v))
			}
		}
	}
	must(t, rows.Err())
	return plan
}
