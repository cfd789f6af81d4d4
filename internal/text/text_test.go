package text_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/text"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        string
		multiline bool
		want      text.Kind // 0: clean
		rune      rune
		offset    int
	}{
		{"plain Chinese", "江川区味来餐饮管理有限公司", false, 0, 0, 0},
		{"empty", "", false, 0, 0, 0},
		{"spaces are text", "  张 三  ", false, 0, 0, 0},
		{"emoji with a joiner", "👩\u200d💻", false, 0, 0, 0},
		{"a written U+FFFD is text", "a\ufffdb", false, 0, 0, 0},
		{"NUL", "adm\x00in", false, text.Control, 0, 3},
		{"NUL in multi-line text too", "第一行\n\x00", true, text.Control, 0, 10},
		{"escape", "a\x1b[31m", false, text.Control, 0x1b, 1},
		{"DEL", "a\x7f", false, text.Control, 0x7f, 1},
		{"C1 control", "a\u0085b", false, text.Control, 0x85, 1},
		{"newline in a single line", "张三\n李四", false, text.Control, '\n', 6},
		{"tab in a single line", "a\tb", false, text.Control, '\t', 1},
		{"carriage return in a single line", "a\rb", false, text.Control, '\r', 1},
		{"lines in multi-line text", "第一行\r\n第二行\n\t缩进", true, 0, 0, 0},
		{"right-to-left override", "invoice\u202efdp.exe", false, text.Bidi, 0x202e, 7},
		{"left-to-right embedding", "\u202aabc", false, text.Bidi, 0x202a, 0},
		{"first strong isolate", "张三\u2068", false, text.Bidi, 0x2068, 6},
		{"pop directional isolate", "\u2069", true, text.Bidi, 0x2069, 0},
		{"right-to-left mark", "a\u200fb", false, text.Bidi, 0x200f, 1},
		{"Arabic letter mark", "a\u061cb", false, text.Bidi, 0x061c, 1},
		{"line separator", "a\u2028b", true, text.Invisible, 0x2028, 1},
		{"byte order mark", "\ufeffabc", false, text.Invisible, 0xfeff, 0},
		{"noncharacter", "a\uffffb", false, text.Invisible, 0xffff, 1},
		{"invalid UTF-8", "张\xff三", false, text.InvalidUTF8, utf8.RuneError, 3},
		{"a lone continuation byte", "\x80", false, text.InvalidUTF8, utf8.RuneError, 0},
		{"an encoded surrogate", "\xed\xa0\x80", false, text.InvalidUTF8, utf8.RuneError, 0},
		{"truncated sequence", "ab\xe5\xbc", false, text.InvalidUTF8, utf8.RuneError, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := text.Check(tc.in, tc.multiline)
			if tc.want == 0 {
				if f != nil {
					t.Fatalf("Check(%q) = %+v, want clean", tc.in, f)
				}
				return
			}
			if f == nil {
				t.Fatalf("Check(%q) clean, want kind %d", tc.in, tc.want)
			}
			if f.Kind != tc.want || f.Rune != tc.rune || f.Offset != tc.offset {
				t.Errorf("Check(%q) = %+v, want kind %d rune %U at %d", tc.in, f, tc.want, tc.rune, tc.offset)
			}
			if f.Message() == "" || strings.Contains(f.Message(), "U+") {
				t.Errorf("message %q: want Chinese words without code points", f.Message())
			}
			if tc.want != text.InvalidUTF8 && !strings.Contains(f.Error(), "U+") {
				t.Errorf("error %q does not name the code point", f.Error())
			}
		})
	}
}

func TestIdentifier(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want text.Kind
	}{
		{"SCJG-XK-001", 0},
		{"20260930000001", 0},
		{"YJS202609300001", 0},
		{"shou.li_2", 0},
		{"", 0},
		{" CGJ-XK-001", text.Space},
		{"CGJ-XK-001 ", text.Space},
		{"CGJ XK", text.Space},
		{"CGJ-XK-001\t", text.Space},
		{"CGJ-XK-001\n", text.Space},
		{"CGJ-XK-001\u00a0", text.Space},
		{"CGJ-XK-001\u3000", text.Space},
		{"CGJ\u2003XK", text.Space},
		{"CGJ-XK-001\x00", text.Control},
		{"CGJ\u200bXK", text.Invisible},
		{"CGJ\u00adXK", text.Invisible},
		{"CGJ\u202eXK", text.Bidi},
		{"CGJ\xffXK", text.InvalidUTF8},
	} {
		f := text.Identifier(tc.in)
		switch {
		case tc.want == 0 && f != nil:
			t.Errorf("Identifier(%q) = %+v, want clean", tc.in, f)
		case tc.want != 0 && (f == nil || f.Kind != tc.want):
			t.Errorf("Identifier(%q) = %+v, want kind %d", tc.in, f, tc.want)
		}
	}
}

// Check never passes text the database or a screen would take badly, and
// never refuses clean text: every rune either passes or is named.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"张三", "a\x00b", "\u202e", "\xff", "第一行\n第二行"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		fault := text.Check(s, multiline)
		if fault == nil {
			if !utf8.ValidString(s) {
				t.Fatalf("%q passed but is not UTF-8", s)
			}
			for _, r := range s {
				if r == 0 || r == 0x202e || (!multiline && r == '\n') {
					t.Fatalf("%q passed with %U", s, r)
				}
			}
			return
		}
		if fault.Offset < 0 || fault.Offset >= len(s) {
			t.Fatalf("%q: offset %d out of range", s, fault.Offset)
		}
		if id := text.Identifier(s); id == nil {
			t.Fatalf("%q refused as text (%+v) but clean as an identifier", s, fault)
		}
	})
}
