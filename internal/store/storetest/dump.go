package storetest

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/internal/store"
)

// Cell is one value of a database dump, as text.
type Cell struct {
	Table, Column string
	Row           int // the row's position in the table's dump, from 0
	Text          string
}

func (c Cell) String() string { return fmt.Sprintf("%s.%s (row %d)", c.Table, c.Column, c.Row) }

// Dump reads every column of every row of every table of st's database,
// as an attacker holding a copy of the database would: text, binary
// (page sessions) and numbers alike, as text.
func Dump(t testing.TB, st *store.Store) []Cell {
	t.Helper()
	ctx := context.Background()
	db := st.DB()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if st.Dialect() == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		t.Fatalf("dump: list tables: %v", err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) < 10 {
		t.Fatalf("dump: only %d tables: %v", len(tables), tables)
	}
	var out []Cell
	for _, table := range tables {
		// The columns by name: a statement cached before a migration must
		// not be reused after it.
		cq := `SELECT name FROM pragma_table_info($1) ORDER BY cid`
		if st.Dialect() == store.Postgres {
			cq = `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`
		}
		crows, err := db.QueryContext(ctx, cq, table)
		if err != nil {
			t.Fatalf("dump %s columns: %v", table, err)
		}
		var names []string
		for crows.Next() {
			var n string
			if err := crows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			names = append(names, `"`+n+`"`)
		}
		crows.Close()
		rows, err := db.QueryContext(ctx, `SELECT `+strings.Join(names, ", ")+` FROM "`+table+`"`)
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for r := 0; rows.Next(); r++ {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("dump %s: %v", table, err)
			}
			for i, v := range vals {
				var text string
				switch x := v.(type) {
				case nil:
					continue
				case string:
					text = x
				case []byte:
					text = string(x)
				case time.Time:
					text = x.Format(time.RFC3339Nano)
				default:
					text = fmt.Sprint(x)
				}
				out = append(out, Cell{Table: table, Column: cols[i], Row: r, Text: text})
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		rows.Close()
	}
	return out
}

// Revealing returns the forms of secret (an ID number or a phone number)
// that tell it to whoever reads them: the value itself, in either case,
// reversed, split the way people write phone numbers, and the value
// encoded (hex, base64 in every alphabet) or hashed without a key (MD5,
// SHA-1, SHA-256: an ID or phone number is found again from such a hash by
// trying every possible one).
func Revealing(secret string) []string {
	forms := []string{secret, strings.ToLower(secret), reverse(secret)}
	if len(secret) == 11 { // a mobile number: 138 0013 8000, 138-0013-8000
		forms = append(forms, secret[:3]+" "+secret[3:7]+" "+secret[7:], secret[:3]+"-"+secret[3:7]+"-"+secret[7:])
	}
	b := []byte(secret)
	forms = append(forms, hex.EncodeToString(b), strings.ToUpper(hex.EncodeToString(b)))
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		forms = append(forms, enc.EncodeToString(b))
	}
	m, s1, s256 := md5.Sum(b), sha1.Sum(b), sha256.Sum256(b)
	for _, sum := range [][]byte{m[:], s1[:], s256[:]} {
		forms = append(forms, hex.EncodeToString(sum), strings.ToUpper(hex.EncodeToString(sum)),
			base64.StdEncoding.EncodeToString(sum), base64.RawURLEncoding.EncodeToString(sum))
	}
	return forms
}

func reverse(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

// encodedRun finds runs of text that may be base64 or hex encodings.
var encodedRun = regexp.MustCompile(`[A-Za-z0-9+/_=-]{12,}`)

// Leak is a secret found in a dump.
type Leak struct {
	Cell   Cell
	Secret string
	Form   string // "clear", or how it was hidden
}

// Leaks returns every place of the dump that reveals one of secrets: in one
// of its Revealing forms, or inside a run of base64 or hex that decodes to
// text holding it (a record encoded rather than sealed).
func Leaks(cells []Cell, secrets []string) []Leak {
	var out []Leak
	for _, c := range cells {
		decoded := decodedRuns(c.Text)
		for _, s := range secrets {
			if s == "" {
				continue
			}
			for _, f := range Revealing(s) {
				if strings.Contains(c.Text, f) {
					out = append(out, Leak{Cell: c, Secret: s, Form: f})
					break
				}
			}
			for _, d := range decoded {
				if strings.Contains(d, s) {
					out = append(out, Leak{Cell: c, Secret: s, Form: "encoded"})
					break
				}
			}
		}
	}
	return out
}

// decodedRuns decodes every base64 or hex run of text, at every alignment
// base64 allows, keeping what decodes.
func decodedRuns(text string) []string {
	var out []string
	for _, run := range encodedRun.FindAllString(text, -1) {
		if b, err := hex.DecodeString(run); err == nil {
			out = append(out, string(b))
		}
		for off := range 4 {
			if off >= len(run) {
				break
			}
			r := strings.TrimRight(run[off:], "=")
			for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
				if b, err := enc.DecodeString(r[:len(r)/4*4]); err == nil {
					out = append(out, string(b))
				}
			}
		}
	}
	return out
}
