package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

func TestLogCellsRoundTrip(t *testing.T) {
	names := []string{"", "department", "item", "2026-03", "2026-03-09", "SCJG", "审批.on_time", "return_reason:M01"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		want := map[rollupCell]int64{}
		for range r.IntN(40) {
			var f [6]string
			for j := range f {
				f[j] = names[r.IntN(len(names))]
			}
			want[rollupCell{f[0], f[1], f[2], f[3], f[4], f[5]}] += r.Int64N(2000) - 1000
		}
		got := map[rollupCell]int64{}
		if err := decodeCells(encodeCells(want), func(c rollupCell, n int64) { got[c] += n }); err != nil {
			t.Fatal(err)
		}
		for c, n := range want {
			if n != 0 && got[c] != n {
				t.Fatalf("cell %v: %d after the round trip, want %d", c, got[c], n)
			}
			delete(got, c)
		}
		if len(got) != 0 {
			t.Fatalf("cells that were not encoded: %v", got)
		}
	}
	if encodeCells(map[rollupCell]int64{{dim: "d"}: 0}) != nil {
		t.Error("zero cells encode to something")
	}
	for _, bad := range [][]byte{{0xff}, {0x01, 0x09, 'a'}, {0x00}} {
		if err := decodeCells(bad, func(rollupCell, int64) {}); err == nil {
			t.Errorf("%x decodes", bad)
		}
	}
}

// TestSupervisionReadersSettleTheLog: every exported method of the store
// whose own SQL reads a supervision table folds the log first
// (settleLog), or the figures it reads miss the changes still logged.
func TestSupervisionReadersSettleTheLog(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	reads := regexp.MustCompile(`(?i)\b(FROM|JOIN)\s+sv_(steps|hold|moves|rollup|cases)\b`)
	checked := 0
	for _, p := range pkgs {
		for name, f := range p.Files {
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || fn.Recv == nil || !fn.Name.IsExported() || fn.Body == nil {
					continue
				}
				var readsSV, settles bool
				ast.Inspect(fn.Body, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.BasicLit:
						if n.Kind == token.STRING && reads.MatchString(n.Value) {
							readsSV = true
						}
					case *ast.SelectorExpr:
						if n.Sel.Name == "settleLog" {
							settles = true
						}
					}
					return true
				})
				if readsSV {
					checked++
					if !settles {
						t.Errorf("%s: %s reads the supervision tables without folding the log first", name, fn.Name.Name)
					}
				}
			}
		}
	}
	if checked < 8 {
		t.Errorf("only %d readers found: the check no longer sees them", checked)
	}
}
