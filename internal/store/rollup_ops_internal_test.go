package store

import (
	"slices"
	"strings"
	"testing"
)

func TestCombineOpsShiftsEachOpsPlaceholders(t *testing.T) {
	ops := []svOp{
		{`UPDATE sv_steps SET by_user = $2 WHERE case_id = $1`, []any{7, "a"}},
		{`DELETE FROM sv_hold WHERE case_id = $1 AND day = $2`, []any{7, "2026-10-08"}},
		{`INSERT INTO sv_rollup (n, shard) VALUES ($1::BIGINT, $2::SMALLINT), ($3::BIGINT, $4::SMALLINT)`, []any{1, 3, 2, 3}},
	}
	q, args := combineOps(ops)
	want := `WITH w0 AS (UPDATE sv_steps SET by_user = $2 WHERE case_id = $1), ` +
		`w1 AS (DELETE FROM sv_hold WHERE case_id = $3 AND day = $4) ` +
		`INSERT INTO sv_rollup (n, shard) VALUES ($5::BIGINT, $6::SMALLINT), ($7::BIGINT, $8::SMALLINT)`
	if q != want {
		t.Errorf("combined:\n%s\nwant:\n%s", q, want)
	}
	if !slices.Equal(args, []any{7, "a", 7, "2026-10-08", 1, 3, 2, 3}) {
		t.Errorf("args %v", args)
	}
	// One op goes as it is.
	if q, args := combineOps(ops[:1]); q != ops[0].query || len(args) != 2 {
		t.Errorf("one op: %s %v", q, args)
	}
}

func TestShiftPlaceholdersLeavesTheRestAlone(t *testing.T) {
	var b strings.Builder
	shiftPlaceholders(&b, `SELECT $1, $10, '$', $9::INT, x$ FROM t WHERE a = $2`, 10)
	if got, want := b.String(), `SELECT $11, $20, '$', $19::INT, x$ FROM t WHERE a = $12`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
