package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
)

// DeskLimit is the most cases one desk query returns. A desk's open cases
// are a few hundred at most; the limit only keeps a runaway list from
// filling a page.
const DeskLimit = 2000

// DeskFilter selects the cases a work desk sorts into its tabs.
type DeskFilter struct {
	States     []casework.State // required: a desk never lists every case
	Department string           // "" for every department
	PickupHall string           // "" for every hall: the cases collected at this hall
}

// DeskCases returns the cases in one of f.States (of f.Department), the
// most urgent first, at most DeskLimit of them. The sub-states a desk's
// tabs turn on (paused, papers pending, extension, result) live in the
// case's JSON, so the caller sorts the cases into tabs; the SQL narrows by
// state and department, which the indexes serve.
func (s *Store) DeskCases(ctx context.Context, f DeskFilter) ([]casework.Case, error) {
	if len(f.States) == 0 {
		return nil, apperr.Field("state", "请指定办件状态")
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	ps := make([]string, len(f.States))
	for i, st := range f.States {
		ps[i] = arg(string(st))
	}
	where := "c.state IN (" + strings.Join(ps, ", ") + ")"
	if f.Department != "" {
		where += " AND d.code = " + arg(f.Department)
	}
	if f.PickupHall != "" {
		where += " AND c.pickup_hall = " + arg(f.PickupHall)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT c.id, c.check_code, c.version, c.data
		FROM cases c JOIN departments d ON d.id = c.department_id
		WHERE `+where+`
		ORDER BY CASE WHEN c.next_due IS NULL THEN 1 ELSE 0 END, c.next_due, c.number
		LIMIT `+arg(DeskLimit), args...)
	if err != nil {
		return nil, mapErr(err, "desk cases")
	}
	return s.scanCases(rows)
}

// CasesByNumber returns the cases with the given numbers, in that order.
// A number that names no case is a NotFound error that names it.
func (s *Store) CasesByNumber(ctx context.Context, numbers []string) ([]casework.Case, error) {
	if len(numbers) == 0 {
		return nil, nil
	}
	args := make([]any, len(numbers))
	ps := make([]string, len(numbers))
	for i, n := range numbers {
		args[i], ps[i] = n, fmt.Sprintf("$%d", i+1)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT c.id, c.check_code, c.version, c.data FROM cases c
		WHERE c.number IN (`+strings.Join(ps, ", ")+`)`, args...)
	if err != nil {
		return nil, mapErr(err, "cases by number")
	}
	found, err := s.scanCases(rows)
	if err != nil {
		return nil, err
	}
	byNumber := make(map[string]casework.Case, len(found))
	for _, c := range found {
		byNumber[c.Number] = c
	}
	out := make([]casework.Case, 0, len(numbers))
	for _, n := range numbers {
		c, ok := byNumber[n]
		if !ok {
			return nil, casework.UnknownCase(n)
		}
		out = append(out, c)
	}
	return out, nil
}

// scanCases reads rows of (id, check_code, version, data) and closes them.
func (s *Store) scanCases(rows *sql.Rows) ([]casework.Case, error) {
	defer rows.Close()
	var out []casework.Case
	for rows.Next() {
		var c casework.Case
		var id int64
		var check, data string
		var version int
		if err := rows.Scan(&id, &check, &version, &data); err != nil {
			return nil, mapErr(err, "scan case")
		}
		if err := s.openCase(data, &c); err != nil {
			return nil, err
		}
		c.ID, c.CheckCode, c.Version = id, check, version
		out = append(out, c)
	}
	return out, mapErr(rows.Err(), "scan cases")
}

// LatestDocuments returns, for each of numbers that has one, the latest
// document of kind (the handover sheet of the last handover, say), keyed
// by case number.
func (s *Store) LatestDocuments(ctx context.Context, numbers []string, kind casework.DocKind) (map[string]casework.Document, error) {
	out := map[string]casework.Document{}
	if len(numbers) == 0 {
		return out, nil
	}
	args := []any{string(kind)}
	ps := make([]string, len(numbers))
	for i, n := range numbers {
		args = append(args, n)
		ps[i] = fmt.Sprintf("$%d", i+2)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT c.number, d.kind, d.title, d.event_seq, d.created_at, d.data
		FROM case_documents d JOIN cases c ON c.id = d.case_id
		WHERE d.kind = $1 AND c.number IN (`+strings.Join(ps, ", ")+`)
		ORDER BY d.id`, args...)
	if err != nil {
		return nil, mapErr(err, "latest documents")
	}
	defer rows.Close()
	for rows.Next() {
		var number, kind, data string
		var d casework.Document
		if err := rows.Scan(&number, &kind, &d.Title, &d.EventSeq, timeDest{&d.CreatedAt}, &data); err != nil {
			return nil, mapErr(err, "scan document")
		}
		b, err := s.openBlob(sealDocumentData, data)
		if err != nil {
			return nil, err
		}
		d.Kind, d.Data = casework.DocKind(kind), json.RawMessage(b)
		out[number] = d // ordered by id: the last one wins
	}
	return out, mapErr(rows.Err(), "latest documents")
}

// UserNames returns the display names of the staff accounts named by
// usernames, keyed by username; unknown usernames are left out.
func (s *Store) UserNames(ctx context.Context, usernames []string) (map[string]string, error) {
	out := map[string]string{}
	if len(usernames) == 0 {
		return out, nil
	}
	args := make([]any, len(usernames))
	ps := make([]string, len(usernames))
	for i, u := range usernames {
		args[i], ps[i] = u, fmt.Sprintf("$%d", i+1)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT username, name FROM users WHERE username IN (`+strings.Join(ps, ", ")+`)`, args...)
	if err != nil {
		return nil, mapErr(err, "user names")
	}
	defer rows.Close()
	for rows.Next() {
		var u, n string
		if err := rows.Scan(&u, &n); err != nil {
			return nil, mapErr(err, "scan user name")
		}
		out[u] = n
	}
	return out, mapErr(rows.Err(), "user names")
}
