package export

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// Stream writes every row in order, across several batches, in both
// formats, with the cells escaped and typed as Row does; the slice of
// cells is reused by the reader between rows, as an export does.
func TestStreamWritesEveryRowInOrder(t *testing.T) {
	const n = 3*BatchRows + 17
	at := time.Date(2026, 3, 2, 1, 5, 0, 0, time.UTC) // 09:05 in Asia/Shanghai
	read := func(emit func([]any) error) error {
		cells := make([]any, 0, 5)
		for i := range n {
			cells = append(cells[:0], fmt.Sprintf("=r%d", i), i, at, "", i%2 == 0)
			if err := emit(cells); err != nil {
				return err
			}
		}
		return nil
	}
	header := []string{"文字", "数", "时间", "空", "是否"}

	var b bytes.Buffer
	w, err := New(CSV, &b, "表", header)
	if err != nil {
		t.Fatal(err)
	}
	if got, readErr, writeErr := Stream(context.Background(), w, read); got != n || readErr != nil || writeErr != nil {
		t.Fatalf("Stream = %d, %v, %v; want %d rows", got, readErr, writeErr, n)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	lines, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != n+1 {
		t.Fatalf("%d lines, want %d", len(lines), n+1)
	}
	for i, l := range lines[1:] {
		want := []string{fmt.Sprintf("'=r%d", i), fmt.Sprint(i), "2026-03-02 09:05", "", map[bool]string{true: "是", false: "否"}[i%2 == 0]}
		if strings.Join(l, "|") != strings.Join(want, "|") {
			t.Fatalf("line %d = %q, want %q", i+1, l, want)
		}
	}

	b.Reset()
	w, err = New(XLSX, &b, "表", header)
	if err != nil {
		t.Fatal(err)
	}
	if got, readErr, writeErr := Stream(context.Background(), w, read); got != n || readErr != nil || writeErr != nil {
		t.Fatalf("Stream = %d, %v, %v; want %d rows", got, readErr, writeErr, n)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("表")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 {
		t.Fatalf("%d rows, want %d", len(rows), n+1)
	}
	for i, r := range rows[1:] {
		yes := map[bool]string{true: "是", false: "否"}[i%2 == 0]
		if len(r) != 5 || r[0] != fmt.Sprintf("'=r%d", i) || r[1] != fmt.Sprint(i) || r[2] != "2026-03-02 09:05" || r[3] != "" || r[4] != yes {
			t.Fatalf("row %d = %q", i+2, r)
		}
	}
	// The empty text is no cell at all; the time a number with its format.
	if v, _ := f.GetCellValue("表", "D2"); v != "" {
		t.Errorf("D2 = %q, want empty", v)
	}
	if typ, _ := f.GetCellType("表", "C2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("C2 type = %v, want a number", typ)
	}
}

// failingWriter fails its writes after the first few rows.
type failingWriter struct {
	bytes.Buffer
	left int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.left--; f.left < 0 {
		return 0, errors.New("disk full")
	}
	return f.Buffer.Write(p)
}

// When the writing fails, the reading is told to stop (emit errs) and
// Stream returns the writing's error, not the reading's; a reading error
// is returned as it is.
func TestStreamStopsOnErrors(t *testing.T) {
	w, err := New(CSV, &failingWriter{left: 1}, "表", []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	line := []any{strings.Repeat("x", 1000)}
	emitted := 0
	_, readErr, writeErr := Stream(context.Background(), w, func(emit func([]any) error) error {
		for range 1_000_000 {
			if err := emit(line); err != nil {
				return err
			}
			emitted++
		}
		return nil
	})
	if writeErr == nil || !strings.Contains(writeErr.Error(), "disk full") || readErr != nil {
		t.Fatalf("Stream errors = %v, %v; want the writing's", readErr, writeErr)
	}
	if emitted >= 1_000_000 {
		t.Error("the reading went on to the end after the writing failed")
	}

	w, err = New(XLSX, &bytes.Buffer{}, "表", []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	bad := errors.New("query failed")
	n, readErr, writeErr := Stream(context.Background(), w, func(emit func([]any) error) error {
		if err := emit([]any{"one"}); err != nil {
			return err
		}
		return bad
	})
	if readErr != bad || writeErr != nil || n != 1 {
		t.Fatalf("Stream = %d, %v, %v; want 1 row and the reading's error", n, readErr, writeErr)
	}
}

// The parallel deflate's chunks make one stream that inflates to the
// input, whatever the sizes of the writes and of the whole.
func TestParallelDeflateRoundTrip(t *testing.T) {
	for _, size := range []int{0, 1, deflateChunk - 1, deflateChunk, 3*deflateChunk + 12345} {
		in := make([]byte, size)
		for i := range in {
			in[i] = `<row r="1"><c>江川区</c></row>`[i*7%31] ^ byte(i>>13)
		}
		var z bytes.Buffer
		d := newParallelDeflate(&z)
		for p := in; len(p) > 0; {
			k := min(len(p), 1+len(p)%70001)
			if _, err := d.Write(p[:k]); err != nil {
				t.Fatal(err)
			}
			p = p[k:]
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(flate.NewReader(&z))
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if !bytes.Equal(out, in) {
			t.Fatalf("size %d: inflated %d bytes, not the input", size, len(out))
		}
	}
}

// writeSizes records the sizes of the writes it gets.
type writeSizes struct{ n, largest, total int }

func (w *writeSizes) Write(p []byte) (int, error) {
	w.n++
	w.largest = max(w.largest, len(p))
	w.total += len(p)
	return len(p), nil
}

// A workbook reaches its writer in small pieces as it is compressed, never
// assembled whole in memory first (excelize's own WriteTo would hand it
// over in one write of the whole file).
func TestWorkbookIsNotBufferedWhole(t *testing.T) {
	var out writeSizes
	w, err := New(XLSX, &out, "表", []string{"文字", "数"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50_000 {
		if err := w.Row([]any{fmt.Sprintf("第%d行：江川区政务服务中心", i*7919%100_003), i}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if out.total < 200_000 || out.n < 20 || out.largest > 256<<10 {
		t.Errorf("the workbook came in %d writes of at most %d bytes (%d in all): want many small ones", out.n, out.largest, out.total)
	}
}

// tempFiles lists the files in dir (the test's own temporary directory,
// where excelize keeps a sheet beyond 16 MB).
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// An xlsx export that fails midway leaves no temporary file behind:
// excelize keeps a sheet past 16 MB in one until the file is closed, and
// a failed export is never closed. Stream aborts the writer when the
// reading fails (the query, the client gone) or the writing does; a
// workbook whose output fails while it is written out (Close) removes
// its files too.
func TestFailedExportLeavesNoTempFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)                      // os.TempDir, where excelize creates them
	long := strings.Repeat("江川区政务服务中心综合窗口", 100) // 3,900 bytes a cell
	const rows = 6000                            // about 24 MB of sheet XML
	header := []string{"文字", "数"}

	// The rows do reach a temporary file (else this test could not fail).
	w, err := New(XLSX, io.Discard, "表", header)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if err := w.Row([]any{long, i}); err != nil {
			t.Fatal(err)
		}
	}
	if len(tempFiles(t, dir)) == 0 {
		t.Fatal("excelize kept 24 MB of sheet without a temporary file: the test below proves nothing")
	}
	w.Abort()
	if left := tempFiles(t, dir); len(left) > 0 {
		t.Fatalf("Abort left %q", left)
	}

	// The reading fails after the rows: Stream returns its error and the
	// export ends there, without Close.
	w, err = New(XLSX, io.Discard, "表", header)
	if err != nil {
		t.Fatal(err)
	}
	gone := errors.New("client went away")
	n, readErr, writeErr := Stream(context.Background(), w, func(emit func([]any) error) error {
		for i := range rows {
			if err := emit([]any{long, i}); err != nil {
				return err
			}
		}
		return gone
	})
	if readErr != gone || writeErr != nil || n != rows {
		t.Fatalf("Stream = %d, %v, %v; want %d rows and the reading's error", n, readErr, writeErr, rows)
	}
	if left := tempFiles(t, dir); len(left) > 0 {
		t.Errorf("a failed Stream left %q", left)
	}
	if err := w.Close(); err == nil {
		t.Error("Close after the failed Stream wrote a file")
	}

	// The output fails after two writes, while the workbook is written out.
	w, err = New(XLSX, &failingWriter{left: 2}, "表", header)
	if err != nil {
		t.Fatal(err)
	}
	n, readErr, writeErr = Stream(context.Background(), w, func(emit func([]any) error) error {
		for i := range rows {
			if err := emit([]any{long, i}); err != nil {
				return err
			}
		}
		return nil
	})
	if n != rows || readErr != nil || writeErr != nil {
		t.Fatalf("Stream = %d, %v, %v", n, readErr, writeErr)
	}
	if err := w.Close(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Close = %v, want the output's error", err)
	}
	if left := tempFiles(t, dir); len(left) > 0 {
		t.Errorf("a failed Close left %q", left)
	}
}

// Once the output fails, the deflate says so at its next write: excelize
// stops copying the sheet in instead of compressing the rest for no one.
func TestParallelDeflateStopsOnOutputError(t *testing.T) {
	d := newParallelDeflate(&failingWriter{left: 0})
	chunk := bytes.Repeat([]byte(`<row r="1"><c>江川区</c></row>`), deflateChunk/32)
	var err error
	for i := 0; i < 200 && err == nil; i++ {
		_, err = d.Write(chunk)
		if err == nil {
			time.Sleep(time.Millisecond) // let the first chunks reach the output
		}
	}
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("200 chunks written after the output failed; Write = %v", err)
	}
	if err := d.Close(); err == nil {
		t.Error("Close = nil after the output failed")
	}
}
