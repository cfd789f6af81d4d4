package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/onewindow/onewindow/internal/clock"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "",
		"张三":                "张三",
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+86 139":           "'+86 139",
		"-2+3":              "'-2+3",
		"@SUM(A1)":          "'@SUM(A1)",
		"\t=1":              "'\t=1",
		"\r=1":              "'\r=1",
		"a=1":               "a=1",
		"20261202000001":    "20261202000001",
		"'already quoted":   "'already quoted",
		"３２０１":              "３２０１",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

var evil = []any{"=cmd|' /C calc'!A0", 3, time.Date(2026, 3, 2, 9, 5, 0, 0, clock.Shanghai), true, "普通文字"}

func TestCSVHasBOMAndEscapes(t *testing.T) {
	var b bytes.Buffer
	w, err := New(CSV, &b, "台账", []string{"内容", "次数", "时间", "超期", "备注"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Row(evil); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "\xEF\xBB\xBF") {
		t.Fatalf("no UTF-8 BOM: % x", b.Bytes()[:3])
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"'=cmd|' /C calc'!A0", "3", "2026-03-02 09:05", "是", "普通文字"}
	if len(recs) != 2 || strings.Join(recs[1], "|") != strings.Join(want, "|") {
		t.Fatalf("rows = %q, want header and %q", recs, want)
	}
	if w.Rows() != 1 {
		t.Errorf("Rows() = %d, want 1", w.Rows())
	}
}

func TestXLSXEscapesAndKeepsNumbers(t *testing.T) {
	var b bytes.Buffer
	w, err := New(XLSX, &b, "办件台账", []string{"=header", "次数", "时间", "超期", "备注"})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := w.Row(evil); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetName(0); got != "办件台账" {
		t.Errorf("sheet = %q", got)
	}
	rows, err := f.GetRows("办件台账")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "'=header" || rows[1][0] != "'=cmd|' /C calc'!A0" || rows[3][4] != "普通文字" {
		t.Fatalf("rows = %q", rows)
	}
	// No cell is a formula, and counts stay numbers.
	if formula, _ := f.GetCellFormula("办件台账", "A2"); formula != "" {
		t.Errorf("A2 holds formula %q", formula)
	}
	if typ, _ := f.GetCellType("办件台账", "B2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("B2 type = %v, want a number", typ)
	}
	if v, _ := f.GetCellValue("办件台账", "B2"); v != "3" {
		t.Errorf("B2 = %q", v)
	}
	// A time is a date-time number (sortable in Excel) shown in
	// Asia/Shanghai to the minute, as in CSV.
	if typ, _ := f.GetCellType("办件台账", "C2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("C2 type = %v, want a number", typ)
	}
	if v, _ := f.GetCellValue("办件台账", "C2"); v != "2026-03-02 09:05" {
		t.Errorf("C2 = %q, want 2026-03-02 09:05", v)
	}
	if v, _ := f.GetCellValue("办件台账", "C2", excelize.Options{RawCellValue: true}); !strings.HasPrefix(v, "46083.37") {
		t.Errorf("C2 raw = %q, want the serial of 2026-03-02 09:05 (46083.378…)", v)
	}
}

func TestFormats(t *testing.T) {
	for accept, want := range map[string]Format{
		XLSXType:                           XLSX,
		"text/csv; charset=utf-8":          CSV,
		"application/json, text/csv;q=0.5": CSV,
	} {
		if got, ok := FromAccept(accept); !ok || got != want {
			t.Errorf("FromAccept(%q) = %q, %v", accept, got, ok)
		}
	}
	for _, accept := range []string{"", "application/json", "*/*", "text/html"} {
		if f, ok := FromAccept(accept); ok {
			t.Errorf("FromAccept(%q) = %q, want none", accept, f)
		}
	}
	if _, err := ParseFormat("pdf"); err == nil {
		t.Error("ParseFormat(pdf) accepted")
	}
	if f, err := ParseFormat(" XLSX "); err != nil || f != XLSX {
		t.Errorf("ParseFormat(XLSX) = %q, %v", f, err)
	}
	if got := sheetName("a/b:c[d]"); got != "a_b_c_d_" {
		t.Errorf("sheetName = %q", got)
	}
}

// A workbook of several sheets: each its own header and rows, escaped,
// numbers and shares kept as numbers.
func TestWorkbookSheets(t *testing.T) {
	var b bytes.Buffer
	wb, err := NewWorkbook(&b)
	if err != nil {
		t.Fatal(err)
	}
	sheets := []struct {
		name   string
		header []string
		rows   [][]any
	}{
		{"排名", []string{"名次", "部门", "总分", "按时办结率"}, [][]any{{1, "市场监管局", 92.5, Percent(0.9375)}, {2, "=规划局", 80.25, nil}}},
		{"超期办件", []string{"部门", "办件编号"}, nil},
		{"黄红牌", []string{"部门", "牌"}, [][]any{{"市场监管局", "黄牌"}}},
	}
	for _, s := range sheets {
		w, err := wb.Sheet(s.name, s.header)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range s.rows {
			if err := w.Row(r); err != nil {
				t.Fatal(err)
			}
		}
		if w.Rows() != len(s.rows) {
			t.Errorf("%s: Rows() = %d", s.name, w.Rows())
		}
	}
	if err := wb.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "排名,超期办件,黄红牌" {
		t.Fatalf("sheets %q", got)
	}
	for _, s := range sheets {
		rows, err := f.GetRows(s.name)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(s.rows)+1 || strings.Join(rows[0], ",") != strings.Join(s.header, ",") {
			t.Errorf("%s: rows %q", s.name, rows)
		}
	}
	if v, _ := f.GetCellValue("排名", "B3"); v != "'=规划局" {
		t.Errorf("B3 = %q, want escaped", v)
	}
	if v, _ := f.GetCellValue("排名", "D2"); v != "93.75%" {
		t.Errorf("D2 = %q, want 93.75%%", v)
	}
	if v, _ := f.GetCellValue("排名", "D2", excelize.Options{RawCellValue: true}); v != "0.9375" {
		t.Errorf("D2 raw = %q, want the share as a number", v)
	}
	if v, _ := f.GetCellValue("排名", "C3"); v != "80.25" {
		t.Errorf("C3 = %q", v)
	}
	var c bytes.Buffer
	w, err := New(CSV, &c, "", []string{"率", "分"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Row([]any{Percent(0.5), 87.5}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(c.String(), "50.00%,87.5\r\n") {
		t.Errorf("CSV %q", c.String())
	}
}
