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
	"archive/zip"

	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"strconv"
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

// Percent is a share from 0 to 1 shown as a percentage: a number with the
// format 0.00% in a workbook, "93.75%" in CSV.
type Percent float64

// cellText returns a cell's value as text (CSV), escaped.
func cellText(v any) string {
	switch v.(type) {
	case nil, time.Time, int, int64, float64, Percent, bool:
		return Text(v)
	}
	return Escape(Text(v))
}

// Text returns a cell's value as a person reads it: as CSV writes it, but
// without the formula escape (a page is no spreadsheet): times in Asia/Shanghai,
// yes and no as 是 and 否, shares as percentages.
func Text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.In(clock.Shanghai).Format(TimeLayout)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case Percent:
		return strconv.FormatFloat(float64(v)*100, 'f', 2, 64) + "%"
	case bool:
		if v {
			return "是"
		}
		return "否"
	}
	return fmt.Sprint(v)
}

// The yes and no of a cell, boxed once: a bool cell costs no allocation.
var (
	yesCell any = "是"
	noCell  any = "否"
)

// cellValue returns a cell's value as the workbook keeps it: numbers as
// numbers (shares and times as numbers with their format, in c, which the
// result points to), everything else as escaped text; an empty text or
// the zero time is nil (no cell at all). It allocates only where a new
// value must be boxed (an escaped text, a time's number): a text that
// needs no escape and a number are handed on as they came.
func (b *Workbook) cellValue(v any, c *excelize.Cell) any {
	switch s := v.(type) {
	case string:
		if s == "" {
			return nil
		}
		if e := Escape(s); len(e) != len(s) {
			return e
		}
		return v
	case int, int64, float64:
		return v
	case bool:
		if s {
			return yesCell
		}
		return noCell
	case Percent:
		*c = excelize.Cell{StyleID: b.pct, Value: float64(s)}
		return c
	case time.Time:
		if s.IsZero() {
			return nil
		}
		// A date-time number in Asia/Shanghai: Excel sorts and filters it
		// as a time, and it costs no text escaping.
		*c = excelize.Cell{StyleID: b.time, Value: excelTime(s)}
		return c
	case nil:
		return nil
	}
	if t := cellText(v); t != "" {
		return t
	}
	return nil
}

// Writer takes a table's rows one by one. Close finishes the file; Abort
// drops it unfinished. Every writer must end with one of them (a workbook
// keeps its sheet in temporary files until then): `defer w.Abort()` after
// New is the safe pattern, as Abort after Close does nothing.
type Writer interface {
	// Row writes one row. Cells may be strings, ints, floats, Percents,
	// bools (是/否) and times (Asia/Shanghai, to the minute; the zero time
	// is empty); nil is an empty cell.
	Row(cells []any) error
	// Rows returns how many rows (without the header) were written.
	Rows() int
	// Close finishes the file and writes what is left of it out.
	Close() error
	// Abort gives up the file: nothing more is written to the output
	// (what was written stays incomplete) and what the writer holds is
	// freed, a workbook's temporary files removed. It does nothing after
	// Close or Abort.
	Abort()
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
	done bool // closed or aborted
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
	c.line = c.prepareText(c.line, cells)
	return c.write(c.line)
}

// prepareText sets line to the row's cells as escaped text (safe on any
// goroutine).
func (c *csvWriter) prepareText(line []string, cells []any) []string {
	line = line[:0]
	for _, v := range cells {
		line = append(line, cellText(v))
	}
	return line
}

func (c *csvWriter) prepare(r *prepared, cells []any) { r.text = c.prepareText(r.text, cells) }

func (c *csvWriter) write(line []string) error {
	c.rows++
	return c.w.Write(line)
}

func (c *csvWriter) writePrepared(r *prepared) error { return c.write(r.text) }

func (c *csvWriter) Rows() int { return c.rows }

func (c *csvWriter) Close() error {
	if c.done {
		return errEnded
	}
	c.done = true
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.buf.Flush()
}

// Abort drops what is buffered: nothing more is written.
func (c *csvWriter) Abort() { c.done = true }

// errEnded is Close's error on a writer already closed or aborted.
var errEnded = errors.New("export: the file was already closed or aborted")

// Workbook is an .xlsx file of several sheets, written one after another,
// each row by row through excelize's StreamWriter: a sheet is finished
// when the next one starts, and the file is written out by Close. Cells
// are escaped and typed as in New. Close or Abort must end it: excelize
// keeps a sheet beyond 16 MB in a temporary file until then.
type Workbook struct {
	out    io.Writer
	file   *excelize.File
	bold   int
	pct    int
	time   int
	sheet  *xlsxWriter // the sheet being written
	sheets int
	ended  bool // closed or aborted: the temporary files are gone
}

// NewWorkbook returns an empty workbook that Close writes to w.
func NewWorkbook(w io.Writer) (*Workbook, error) {
	f := excelize.NewFile()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		f.Close()
		return nil, err
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		f.Close()
		return nil, err
	}
	tm, err := f.NewStyle(&excelize.Style{CustomNumFmt: &timeFormat})
	if err != nil {
		f.Close()
		return nil, err
	}
	// The zip goes straight to w: excelize's WriteTo would assemble the
	// whole compressed file in a bytes.Buffer first (WriteToBuffer) and
	// hand us that buffer to write to; a year's workbook would sit in
	// memory (about 90 bytes a row), and the memory grow with the rows.
	// Its buffer stays empty, and what it copies from it to w is nothing.
	// (It patches zip64 local headers in that buffer for parts over 4 GB;
	// a sheet stops at 1,048,576 rows, far below that.)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return fastZip(w) })
	return &Workbook{out: w, file: f, bold: bold, pct: pct, time: tm}, nil
}

// Sheet finishes the sheet before, if any, and starts the next one, named
// name (made valid: at most 31 characters, none of : \ / ? * [ ]), whose
// first row is header, bold and frozen. Its writer's Close finishes the
// sheet only; the workbook's Close writes the file.
func (b *Workbook) Sheet(name string, header []string) (Writer, error) {
	if err := b.endSheet(); err != nil {
		return nil, err
	}
	name = sheetName(name)
	if b.sheets == 0 {
		if err := b.file.SetSheetName("Sheet1", name); err != nil {
			return nil, err
		}
	} else if _, err := b.file.NewSheet(name); err != nil {
		return nil, err
	}
	b.sheets++
	sw, err := b.file.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	if len(header) > 0 {
		if err := sw.SetColWidth(1, len(header), 18); err != nil {
			return nil, err
		}
	}
	// The header stays in view while scrolling.
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = excelize.Cell{StyleID: b.bold, Value: Escape(h)}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return nil, err
	}
	b.sheet = &xlsxWriter{book: b, sw: sw}
	return b.sheet, nil
}

// endSheet finishes the sheet being written, if any.
func (b *Workbook) endSheet() error {
	if b.sheet == nil {
		return nil
	}
	x := b.sheet
	b.sheet = nil
	return x.flush()
}

// Close finishes the last sheet and writes the workbook out; it removes
// the temporary files of the sheets whatever happens.
func (b *Workbook) Close() error {
	if b.ended {
		return errEnded
	}
	b.ended = true
	defer b.file.Close() // removes the streams' temporary files
	if err := b.endSheet(); err != nil {
		return err
	}
	if b.sheets == 0 {
		if _, err := b.Sheet("Sheet1", nil); err != nil {
			return err
		}
		if err := b.endSheet(); err != nil {
			return err
		}
	}
	_, err := b.file.WriteTo(b.out)
	return err
}

// Abort drops the workbook unwritten: nothing is written to its output,
// and the sheets' temporary files are removed. It does nothing after
// Close or Abort.
func (b *Workbook) Abort() {
	if b.ended {
		return
	}
	b.ended = true
	b.sheet = nil
	_ = b.file.Close() // removes the streams' temporary files
}

// xlsxWriter writes one sheet of a workbook. As the writer New returns (a
// workbook of one sheet) it owns the workbook, and Close writes the file.
type xlsxWriter struct {
	book    *Workbook
	sw      *excelize.StreamWriter
	owns    bool
	flushed bool
	rows    int
	row     prepared // Row's own
}

func newXLSX(w io.Writer, sheet string, header []string) (*xlsxWriter, error) {
	b, err := NewWorkbook(w)
	if err != nil {
		return nil, err
	}
	s, err := b.Sheet(sheet, header)
	if err != nil {
		b.Abort()
		return nil, err
	}
	x := s.(*xlsxWriter)
	x.owns = true
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
	x.prepare(&x.row, cells)
	return x.writePrepared(&x.row)
}

// prepare sets r to the values SetRow takes for cells: typed and escaped,
// the numbers with a format pointing into r's own cells (safe on any
// goroutine: it reads nothing of the sheet but the workbook's style ids).
func (x *xlsxWriter) prepare(r *prepared, cells []any) {
	if cap(r.vals) < len(cells) {
		r.vals = make([]any, len(cells))
		r.cells = make([]excelize.Cell, len(cells))
	}
	r.vals = r.vals[:len(cells)]
	for i, v := range cells {
		r.vals[i] = x.book.cellValue(v, &r.cells[i])
	}
}

func (x *xlsxWriter) writePrepared(r *prepared) error {
	x.rows++
	return x.sw.SetRow("A"+strconv.Itoa(x.rows+1), r.vals)
}

func (x *xlsxWriter) Rows() int { return x.rows }

func (x *xlsxWriter) flush() error {
	if x.flushed {
		return nil
	}
	x.flushed = true
	return x.sw.Flush()
}

// Abort gives up the whole workbook (see Workbook.Abort): a sheet left
// unfinished cannot make a valid file.
func (x *xlsxWriter) Abort() { x.book.Abort() }

// Close finishes the sheet; for the writer New returned, it writes the
// workbook out too.
func (x *xlsxWriter) Close() error {
	if x.owns {
		return x.book.Close()
	}
	if x.book.sheet == x {
		return x.book.endSheet()
	}
	return x.flush()
}

// timeFormat shows a time cell as TimeLayout does in CSV.
var timeFormat = "yyyy-mm-dd hh:mm"

// fastZip is the workbook's zip writer: deflate at klauspost/compress's
// fastest level, which compresses a ledger's repetitive XML nearly as well
// as the default level in a third of the time (the deflate of the
// finished sheet was a third of an export's CPU), on every core at once
// (parallelDeflate): excelize deflates the sheet only after its last row,
// when the reading is done and its core idle.
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return newParallelDeflate(out), nil
	})
	return zw
}

// excelTime is t in Asia/Shanghai to the minute as a spreadsheet's
// date-time serial number: days since 1899-12-30 and the day's fraction.
func excelTime(t time.Time) float64 {
	t = t.In(clock.Shanghai)
	y, m, d := t.Date()
	h, mi, _ := t.Clock()
	days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(excelEpoch).Hours() / 24
	return days + float64(h*60+mi)/1440
}

var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
