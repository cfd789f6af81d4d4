// Package export writes tables for people to open in a spreadsheet: the
// .xlsx workbook through excelize's streaming writer and CSV in UTF-8 with
// a byte-order mark (so that Excel reads the Chinese right). Rows arrive one
// at a time and leave at once (CSV) or go to the workbook's temporary file
// (xlsx), so a year's ledger never sits whole in memory.
//
// Every text cell is escaped against formula injection: a cell that starts
// with = + - @, a tab or a carriage return is written with a leading
// apostrophe, so that a spreadsheet shows it as text and never runs it.
package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"mime"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/clock"
)

// Format is a file format of an export.
type Format string

// The formats.
const (
	XLSX Format = "xlsx"
	CSV  Format = "csv"
)

// Media types of the formats.
const (
	XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	CSVType  = "text/csv"
)

// MediaType returns the format's Content-Type.
func (f Format) MediaType() string {
	if f == CSV {
		return CSVType + "; charset=utf-8"
	}
	return XLSXType
}

// ParseFormat reads a format's name (xlsx or csv).
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case XLSX, CSV:
		return f, nil
	}
	return "", apperr.Field("format", "导出格式须为 xlsx 或 csv")
}

// FromAccept returns the export format an Accept header asks for, if it
// names one of the formats' media types; ok is false otherwise (JSON, */*).
// The first of them listed wins; quality values are not weighed.
func FromAccept(accept string) (Format, bool) {
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case XLSXType:
			return XLSX, true
		case CSVType:
			return CSV, true
		}
	}
	return "", false
}

// Escape returns s safe to put in a spreadsheet cell: a leading apostrophe
// before a first character a spreadsheet could take for the start of a
// formula (= + - @) or that hides one (tab, carriage return).
func Escape(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// TimeLayout is how times appear in exports: Asia/Shanghai, to the minute.
const TimeLayout = "2006-01-02 15:04"

// cellText returns a cell's value as text (CSV), escaped.
func cellText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return Escape(v)
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.In(clock.Shanghai).Format(TimeLayout)
	case int, int64:
		return fmt.Sprint(v)
	case bool:
		if v {
			return "是"
		}
		return "否"
	}
	return Escape(fmt.Sprint(v))
}

// cellValue returns a cell's value as the workbook keeps it: numbers as
// numbers, everything else as escaped text.
func cellValue(v any) any {
	switch v := v.(type) {
	case int, int64:
		return v
	}
	return cellText(v)
}

// Writer takes a table's rows one by one. Close finishes the file; a
// writer that is not closed leaves an incomplete file.
type Writer interface {
	// Row writes one row. Cells may be strings, ints, bools (是/否) and
	// times (Asia/Shanghai, to the minute; the zero time is empty).
	Row(cells []any) error
	// Rows returns how many rows (without the header) were written.
	Rows() int
	Close() error
}

// New returns a writer of format f to w whose first row is header. sheet
// names the workbook's sheet (ignored by CSV).
func New(f Format, w io.Writer, sheet string, header []string) (Writer, error) {
	switch f {
	case CSV:
		return newCSV(w, header)
	case XLSX:
		return newXLSX(w, sheet, header)
	}
	return nil, apperr.Field("format", "导出格式须为 xlsx 或 csv")
}

// BOM is the UTF-8 byte-order mark that starts every CSV export.
const BOM = "\uFEFF"

type csvWriter struct {
	buf  *bufio.Writer
	w    *csv.Writer
	rows int
	line []string
}

func newCSV(w io.Writer, header []string) (*csvWriter, error) {
	buf := bufio.NewWriterSize(w, 64<<10)
	if _, err := buf.WriteString(BOM); err != nil {
		return nil, err
	}
	c := &csvWriter{buf: buf, w: csv.NewWriter(buf)}
	c.w.UseCRLF = true // what Excel writes and expects
	line := make([]string, len(header))
	for i, h := range header {
		line[i] = Escape(h)
	}
	return c, c.w.Write(line)
}

func (c *csvWriter) Row(cells []any) error {
	c.line = c.line[:0]
	for _, v := range cells {
		c.line = append(c.line, cellText(v))
	}
	c.rows++
	return c.w.Write(c.line)
}

func (c *csvWriter) Rows() int { return c.rows }

func (c *csvWriter) Close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.buf.Flush()
}

type xlsxWriter struct {
	out   io.Writer
	file  *excelize.File
	sw    *excelize.StreamWriter
	rows  int
	cells []any
}

func newXLSX(w io.Writer, sheet string, header []string) (*xlsxWriter, error) {
	f := excelize.NewFile()
	name := sheetName(sheet)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		f.Close()
		return nil, err
	}
	x := &xlsxWriter{out: w, file: f, sw: sw}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		f.Close()
		return nil, err
	}
	if len(header) > 0 {
		if err := sw.SetColWidth(1, len(header), 18); err != nil {
			f.Close()
			return nil, err
		}
	}
	// The header stays in view while scrolling.
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		f.Close()
		return nil, err
	}
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = excelize.Cell{StyleID: bold, Value: Escape(h)}
	}
	if err := sw.SetRow("A1", row); err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

// sheetName makes name a valid sheet name: at most 31 characters, none of
// : \ / ? * [ ].
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	if name == "" {
		name = "Sheet1"
	}
	return name
}

func (x *xlsxWriter) Row(cells []any) error {
	x.cells = x.cells[:0]
	for _, v := range cells {
		x.cells = append(x.cells, cellValue(v))
	}
	x.rows++
	cell, err := excelize.CoordinatesToCellName(1, x.rows+1)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, x.cells)
}

func (x *xlsxWriter) Rows() int { return x.rows }

func (x *xlsxWriter) Close() error {
	defer x.file.Close() // removes the stream's temporary files
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err := x.file.WriteTo(x.out)
	return err
}
