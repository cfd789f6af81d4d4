package pdf_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/internal/pdf"
)

func TestDocumentReadsBackAndIsWellFormed(t *testing.T) {
	d := pdf.New("材料补齐补正通知书 20261202000001")
	d.Heading("材料补齐补正通知书")
	d.Text("办件编号：20261202000001")
	d.Text(strings.Repeat("营业执照副本须加盖公章；", 40)) // wraps over several lines
	d.Right("2026年12月2日")
	d.Link("网页版：https://zwfw.example.gov.cn/n/AB12?view=page", "https://zwfw.example.gov.cn/n/AB12?view=page")
	for i := range 80 { // a second page
		d.Text(fmt.Sprintf("第 %d 行", i+1))
	}
	b := d.Bytes()

	text := pdf.Text(b)
	for _, want := range []string{"材料补齐补正通知书\n", "办件编号：20261202000001\n", "2026年12月2日\n", "第 80 行\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q", want)
		}
	}
	if got := strings.Count(strings.ReplaceAll(text, "\n", ""), "营业执照副本须加盖公章；"); got != 40 {
		t.Errorf("the wrapped paragraph reads back %d times, want 40", got)
	}
	for _, l := range strings.Split(text, "\n") {
		ems := 0.0
		for _, r := range l {
			ems += map[bool]float64{true: 0.5, false: 1}[r < 128]
		}
		if ems > 43.9 { // (595 - 2×56) / 11 points
			t.Errorf("a line of %.1f em runs past the margin: %q", ems, l)
		}
	}
	if !bytes.HasPrefix(b, []byte("%PDF-1.7\n")) || !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		t.Error("not a PDF file")
	}
	if !bytes.Contains(b, []byte("/S /URI /URI (https://zwfw.example.gov.cn/n/AB12?view=page)")) {
		t.Error("no link to the printable page")
	}
	if n := bytes.Count(b, []byte("/Type /Page ")); n < 2 {
		t.Errorf("%d pages, want more than one", n)
	}

	// The cross-reference table points at each object, and startxref at it.
	m := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(b[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	rows := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(b[xref:], -1)
	if len(rows) == 0 {
		t.Fatal("no objects in the xref table")
	}
	for i, r := range rows {
		off, _ := strconv.Atoi(string(r[1]))
		if want := fmt.Sprintf("%d 0 obj\n", i+1); !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Errorf("xref row %d points at %q, want %q", i+1, b[off:off+10], want)
		}
	}
	// Stream lengths are exact.
	for _, s := range regexp.MustCompile(`(?s)<< /Length (\d+) >>\nstream\n(.*?)endstream`).FindAllSubmatch(b, -1) {
		if n, _ := strconv.Atoi(string(s[1])); n != len(s[2]) {
			t.Errorf("stream /Length %d, its bytes %d", n, len(s[2]))
		}
	}
}

func TestCharactersBeyondTheBMP(t *testing.T) {
	d := pdf.New("𠀀")
	d.Text("a𠀀b")
	if got := pdf.Text(d.Bytes()); got != "a?b\n" {
		t.Errorf("text %q", got)
	}
}
