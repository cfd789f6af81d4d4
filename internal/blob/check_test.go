package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Minimal files of each allowed type, built from their formats' signatures
// rather than from the package's table.
var (
	pdfBytes  = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	jpegBytes = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}, 0xFF, 0xD9)
	pngBytes  = append([]byte{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A},
		0x00, 0x00, 0x00, 0x0D, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0)
)

// wantInvalid fails unless err is an Invalid error on "file" whose message
// contains want.
func wantInvalid(t *testing.T, err error, want string) {
	t.Helper()
	fields := apperr.FieldsOf(err)
	if !apperr.Is(err, apperr.Invalid) || len(fields) != 1 || fields[0].Field != "file" ||
		fields[0].Message != apperr.MessageOf(err) || !strings.Contains(apperr.MessageOf(err), want) {
		t.Errorf("got %v (fields %v), want invalid file containing %q", err, fields, want)
	}
}

// checkCase is an upload and what Check (and Receive) make of it.
type checkCase struct {
	name     string // the upload's name
	content  []byte
	declared string
	lim      Limits
	wantType string // "" when refused
	wantErr  string
}

// checkCases are the uploads Check and Receive must judge alike.
func checkCases() []checkCase {
	small := Limits{MaxBytes: 1 << 20, Types: []string{PDF, JPEG, PNG}}
	pdfOnly := Limits{MaxBytes: 20 << 20, Types: []string{PDF}}
	return []checkCase{
		{"申请表.pdf", pdfBytes, "application/pdf", DefaultLimits(), PDF, ""},
		{"身份证正面.jpg", jpegBytes, "image/jpeg", DefaultLimits(), JPEG, ""},
		{"photo.JPEG", jpegBytes, "", DefaultLimits(), JPEG, ""},
		{"营业执照.png", pngBytes, "image/png", DefaultLimits(), PNG, ""},
		{"  营业执照.PNG \t", pngBytes, "", DefaultLimits(), PNG, ""},
		// The browser's type is not trusted either way: the bytes decide.
		{"scan.png", pngBytes, "image/jpeg", DefaultLimits(), PNG, ""},
		{"scan.pdf", pdfBytes, "application/octet-stream", DefaultLimits(), PDF, ""},
		{"scan.pdf", []byte("hello, not a pdf\n"), "application/pdf", DefaultLimits(), "", "文件「scan.pdf」的内容不是允许的类型（PDF、JPG、PNG）"},

		{"x.pdf", pngBytes, "application/pdf", DefaultLimits(), "", "文件「x.pdf」的扩展名与内容不符（内容为 PNG 图片）"},
		{"x.png", jpegBytes, "", DefaultLimits(), "", "文件「x.png」的扩展名与内容不符（内容为 JPG 图片）"},
		{"x.jpg", pdfBytes, "", DefaultLimits(), "", "文件「x.jpg」的扩展名与内容不符（内容为 PDF 文件）"},
		{"x.txt", pdfBytes, "", DefaultLimits(), "", "文件「x.txt」的扩展名与内容不符（内容为 PDF 文件）"},
		{"scan", pdfBytes, "", DefaultLimits(), "", "文件「scan」没有扩展名（内容为 PDF 文件，请以 .pdf 结尾）"},
		{"note.pdf", []byte("just some text\n"), "text/plain", DefaultLimits(), "", "文件「note.pdf」的内容不是允许的类型（PDF、JPG、PNG）"},
		{"page.pdf", []byte("<html><body>hi</body></html>"), "", DefaultLimits(), "", "的内容不是允许的类型"},
		{"a.gif", []byte("GIF89a\x01\x00\x01\x00"), "image/gif", DefaultLimits(), "", "文件「a.gif」的内容不是允许的类型（PDF、JPG、PNG）"},
		{"x.png", pngBytes, "", pdfOnly, "", "文件「x.png」的内容不是允许的类型（PDF）"},
		// A PDF signature somewhere other than the start is not a PDF.
		{"x.pdf", append([]byte(" \n"), pdfBytes...), "", DefaultLimits(), "", "的内容不是允许的类型"},

		{"big.pdf", append(append([]byte{}, pdfBytes...), make([]byte, 20<<20)...), "", DefaultLimits(), "", "文件「big.pdf」超过 20 MB 的上限"},
		{"big.pdf", append(append([]byte{}, pdfBytes...), make([]byte, 1<<20)...), "", small, "", "文件「big.pdf」超过 1 MB 的上限"},
		{"empty.pdf", nil, "application/pdf", DefaultLimits(), "", "文件「empty.pdf」是空的"},
		{"empty.pdf", []byte{}, "", DefaultLimits(), "", "是空的"},

		{"../x.pdf", pdfBytes, "", DefaultLimits(), "", "文件名不能包含路径（「../x.pdf」中有“/”）"},
		{"..", pdfBytes, "", DefaultLimits(), "", "文件名不能包含路径"},
		{"x..pdf", pdfBytes, "", DefaultLimits(), "", "文件名不能包含路径（「x..pdf」中有“..”）"},
		{"a/b.pdf", pdfBytes, "", DefaultLimits(), "", "文件名不能包含路径（「a/b.pdf」中有“/”）"},
		{`a\b.pdf`, pdfBytes, "", DefaultLimits(), "", "文件名不能包含路径（「a\\b.pdf」中有“\\”）"},
		{`C:\Users\me\x.pdf`, pdfBytes, "", DefaultLimits(), "", "文件名不能包含路径"},
		{"x\x00.pdf", pdfBytes, "", DefaultLimits(), "", "文件名不能包含控制字符"},
		{"x\n.pdf", pdfBytes, "", DefaultLimits(), "", "文件名不能包含控制字符"},
		{"invoice\u202Egnp.pdf", pdfBytes, "", DefaultLimits(), "", "文件名不能包含控制字符"},
		{"x\xff.pdf", pdfBytes, "", DefaultLimits(), "", "文件名的编码无法识别"},
		{"", pdfBytes, "", DefaultLimits(), "", "文件名不能为空"},
		{"   ", pdfBytes, "", DefaultLimits(), "", "文件名不能为空"},
		{strings.Repeat("长", 117) + ".pdf", pdfBytes, "", DefaultLimits(), "", "文件名不能超过 120 个字"},
		{strings.Repeat("长", 116) + ".pdf", pdfBytes, "", DefaultLimits(), PDF, ""},
	}
}

func TestCheck(t *testing.T) {
	tests := checkCases()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Check(tt.name, tt.content, tt.declared, tt.lim)
			if tt.wantErr != "" {
				wantInvalid(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			sum := sha256.Sum256(tt.content)
			want := File{Name: strings.TrimSpace(tt.name), Type: tt.wantType, Size: int64(len(tt.content)), SHA256: hex.EncodeToString(sum[:])}
			if f != want {
				t.Errorf("got %+v, want %+v", f, want)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		content []byte
		want    string
	}{
		{pdfBytes, PDF},
		{jpegBytes, JPEG},
		{pngBytes, PNG},
		{[]byte("plain words"), "text/plain"},
		{[]byte{0x00, 0x01, 0x02}, "application/octet-stream"},
	}
	for _, tt := range tests {
		if got := Detect(tt.content); got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.content[:min(len(tt.content), 8)], got, tt.want)
		}
	}
	// Cut signatures are not the formats they start like.
	for _, cut := range [][]byte{pngBytes[:7], jpegBytes[:2], pdfBytes[:4]} {
		if got := Detect(cut); got == PNG || got == JPEG || got == PDF {
			t.Errorf("Detect(%q) = %q, want none of the allowed types", cut, got)
		}
	}
}

func TestFormatMB(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{20 << 20, "20 MB"},
		{1 << 20, "1 MB"},
		{1<<20 + 1<<19, "1.5 MB"},
		{100 << 10, "0.1 MB"},
		{1, "0.01 MB"},
	}
	for _, tt := range tests {
		if got := formatMB(tt.n); got != tt.want {
			t.Errorf("formatMB(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestReadLimited(t *testing.T) {
	t.Run("fits", func(t *testing.T) {
		for _, size := range []int{0, 1, 1000} {
			got, err := ReadLimited(bytes.NewReader(make([]byte, size)), 1000)
			if err != nil || len(got) != size {
				t.Errorf("size %d: got %d bytes, %v", size, len(got), err)
			}
		}
	})
	t.Run("too large is refused without reading it all", func(t *testing.T) {
		// An endless body: only max+1 bytes may be read.
		r := &countingReader{r: neverEnding{}}
		_, err := ReadLimited(r, 20<<20)
		wantInvalid(t, err, "上传的文件超过 20 MB 的上限")
		if r.n != 20<<20+1 {
			t.Errorf("read %d bytes, want %d", r.n, 20<<20+1)
		}
	})
	t.Run("one byte over", func(t *testing.T) {
		_, err := ReadLimited(bytes.NewReader(make([]byte, 1001)), 1000)
		wantInvalid(t, err, "超过")
	})
	t.Run("http.MaxBytesReader refused first", func(t *testing.T) {
		rec := httptest.NewRecorder()
		body := http.MaxBytesReader(rec, io.NopCloser(bytes.NewReader(make([]byte, 100))), 10)
		_, err := ReadLimited(body, 1000)
		wantInvalid(t, err, "超过 0.01 MB 的上限")
	})
	t.Run("cut short", func(t *testing.T) {
		_, err := ReadLimited(iotest.ErrReader(io.ErrUnexpectedEOF), 1000)
		wantInvalid(t, err, "文件没有传完")
	})
	t.Run("other read errors are internal", func(t *testing.T) {
		_, err := ReadLimited(iotest.ErrReader(errors.New("disk on fire")), 1000)
		if !apperr.Is(err, apperr.Internal) {
			t.Errorf("got %v, want internal", err)
		}
	})
}

// neverEnding yields zero bytes forever.
type neverEnding struct{}

func (neverEnding) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestKey(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	tests := []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC), "2026/11/25/" + sum},
		// 16:30 UTC is already the next day in Shanghai.
		{time.Date(2026, 11, 25, 16, 30, 0, 0, time.UTC), "2026/11/26/" + sum},
		{time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("CST", 8*3600)), "2026/01/02/" + sum},
	}
	for _, tt := range tests {
		got := Key(tt.now, sum)
		if got != tt.want {
			t.Errorf("Key(%s) = %q, want %q", tt.now, got, tt.want)
		}
		if !ValidKey(got) {
			t.Errorf("Key(%s) = %q is not a valid key", tt.now, got)
		}
	}
}
