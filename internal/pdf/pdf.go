// Package pdf writes the plain PDF of a printed notice: A4 pages of
// Chinese text, headings, right-aligned signature lines and links, with
// nothing but the standard library.
//
// The text is set in STSong-Light, one of the standard Chinese fonts
// (Adobe-GB1) every PDF reader supplies, addressed through the UniGB-UCS2-H
// encoding, so no font is embedded and a notice of a page is a few
// kilobytes. Widths follow the font's metrics in the simplest form: a
// Chinese character is one em, anything in ASCII half an em. Content
// streams are left uncompressed: they are small, and their text can be
// read back (Text) to check what a document says.
package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// A4 in points, and the margins.
const (
	pageWidth  = 595.0
	pageHeight = 842.0
	margin     = 56.0 // about 2 cm
)

// Font sizes in points.
const (
	sizeHeading = 18.0
	sizeText    = 11.0
	sizeSmall   = 9.0
)

// align is where a line sits between the margins.
type align int

const (
	left align = iota
	center
	right
)

type line struct {
	text  string
	size  float64
	align align
	url   string // a link over the line, or ""
	gap   float64
}

// Doc is a document being written; its zero value is not usable: New.
type Doc struct {
	title string
	lines []line
}

// New starts a document with a title (the reader's window title).
func New(title string) *Doc { return &Doc{title: title} }

// Heading adds a centred heading.
func (d *Doc) Heading(text string) { d.add(text, sizeHeading, center, "") }

// Center adds centred text.
func (d *Doc) Center(text string) { d.add(text, sizeText, center, "") }

// Text adds a paragraph, wrapped at the margins; line breaks in text start
// new lines.
func (d *Doc) Text(text string) { d.add(text, sizeText, left, "") }

// Small adds a paragraph in small print.
func (d *Doc) Small(text string) { d.add(text, sizeSmall, left, "") }

// Right adds right-aligned text (signatures, dates).
func (d *Doc) Right(text string) { d.add(text, sizeText, right, "") }

// Link adds a paragraph that opens url when clicked.
func (d *Doc) Link(text, url string) { d.add(text, sizeSmall, left, url) }

// Gap adds an empty line.
func (d *Doc) Gap() { d.lines = append(d.lines, line{gap: sizeText}) }

func (d *Doc) add(text string, size float64, a align, url string) {
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		for _, l := range wrap(para, size, pageWidth-2*margin) {
			d.lines = append(d.lines, line{text: l, size: size, align: a, url: url})
		}
	}
}

// width is the width of s at size: one em a Chinese character, half an em
// anything in ASCII.
func width(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		if r < utf8.RuneSelf {
			w += size / 2
		} else {
			w += size
		}
	}
	return w
}

// wrap breaks s into lines no wider than max, between any two characters
// (Chinese has no spaces to wait for).
func wrap(s string, size, max float64) []string {
	if s == "" {
		return []string{""}
	}
	var out []string
	var cur strings.Builder
	w := 0.0
	for _, r := range s {
		rw := width(string(r), size)
		if w+rw > max && cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
			w = 0
		}
		cur.WriteRune(r)
		w += rw
	}
	return append(out, cur.String())
}

// page is one page's content stream and links.
type page struct {
	content bytes.Buffer
	links   []string // annotation dictionaries
}

// layout sets the lines on pages.
func (d *Doc) layout() []*page {
	var pages []*page
	var p *page
	y := 0.0
	for _, l := range d.lines {
		h := l.size * 1.6
		if l.gap > 0 {
			h = l.gap
		}
		if p == nil || y-h < margin {
			p = &page{}
			pages = append(pages, p)
			y = pageHeight - margin
		}
		y -= h
		if l.gap > 0 || l.text == "" {
			continue
		}
		x := margin
		switch l.align {
		case center:
			x = (pageWidth - width(l.text, l.size)) / 2
		case right:
			x = pageWidth - margin - width(l.text, l.size)
		}
		fmt.Fprintf(&p.content, "BT /F1 %.1f Tf %.2f %.2f Td <%s> Tj ET\n", l.size, x, y, ucs2(l.text))
		if l.url != "" {
			p.links = append(p.links, fmt.Sprintf("<< /Type /Annot /Subtype /Link /Rect [%.2f %.2f %.2f %.2f] /Border [0 0 0] /A << /S /URI /URI %s >> >>",
				x, y-l.size*0.25, x+width(l.text, l.size), y+l.size, literal(l.url)))
		}
	}
	if len(pages) == 0 {
		pages = append(pages, &page{})
	}
	return pages
}

// ucs2 is s in hex, two bytes a character (UniGB-UCS2-H); a character
// beyond the BMP, which the encoding cannot name, becomes "?".
func ucs2(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0xFFFF {
			r = '?'
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	return b.String()
}

// literal is s as a PDF literal string (ASCII).
func literal(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`, "\r", "", "\n", "")
	return "(" + r.Replace(s) + ")"
}

// utf16Text is s as a PDF text string: UTF-16BE with its byte order mark.
func utf16Text(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, r := range s {
		if r > 0xFFFF {
			r -= 0x10000
			fmt.Fprintf(&b, "%04X%04X", 0xD800+(r>>10), 0xDC00+(r&0x3FF))
			continue
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	return b.String() + ">"
}

// Bytes returns the document as a PDF file.
func (d *Doc) Bytes() []byte {
	pages := d.layout()
	var objs []string // objs[i] is object i+1
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	catalog := add("") // filled once the pages are known
	pagesObj := add("")
	font := add("")
	cid := add("")
	desc := add(`<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>`)
	objs[cid-1] = fmt.Sprintf(`<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor %d 0 R /DW 1000 /W [1 95 500] >>`, desc)
	objs[font-1] = fmt.Sprintf(`<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H /Encoding /UniGB-UCS2-H /DescendantFonts [%d 0 R] >>`, cid)
	var kids []string
	for _, p := range pages {
		stream := add(fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", p.content.Len(), p.content.String()))
		annots := ""
		if len(p.links) > 0 {
			annots = " /Annots [" + strings.Join(p.links, " ") + "]"
		}
		pg := add(fmt.Sprintf(`<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.0f %.0f] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R%s >>`,
			pagesObj, pageWidth, pageHeight, font, stream, annots))
		kids = append(kids, fmt.Sprintf("%d 0 R", pg))
	}
	objs[pagesObj-1] = fmt.Sprintf(`<< /Type /Pages /Kids [%s] /Count %d >>`, strings.Join(kids, " "), len(kids))
	objs[catalog-1] = fmt.Sprintf(`<< /Type /Catalog /Pages %d 0 R /Lang (zh-CN) >>`, pagesObj)
	info := add(fmt.Sprintf(`<< /Title %s /Producer (OneWindow) >>`, utf16Text(d.title)))

	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, catalog, info, xref)
	return b.Bytes()
}
