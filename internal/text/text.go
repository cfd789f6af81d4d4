// Package text holds the rules every piece of text typed or sent into
// OneWindow obeys, whatever field it fills: valid UTF-8, no control
// characters (a multi-line field keeps its line breaks and tabs), and no
// bidirectional formatting characters that would make a name or a reason
// read differently on screen than it is stored (U+202E and its kin). It
// also holds the one rule every identifier (a code, a number, a username)
// obeys: no whitespace or invisible character anywhere in it.
//
// The package is pure: it knows nothing of HTTP or SQL. The server applies
// Check to every input at the edge; the domain packages build their
// identifier parsers on Identifier.
package text

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Kind says what is wrong with a text.
type Kind int

// The kinds of fault, in the order Check looks for them.
const (
	InvalidUTF8 Kind = iota + 1 // bytes that are not UTF-8
	Control                     // C0, DEL or C1 control characters (U+0000 …)
	Bidi                        // bidirectional embedding, override, isolate or mark
	Invisible                   // a line or paragraph separator, a BOM or another character no one types
	Space                       // whitespace, in an identifier
)

// Fault is the first thing wrong with a text: what, which character and
// where (the byte offset).
type Fault struct {
	Kind   Kind
	Rune   rune // the offending character; utf8.RuneError for invalid UTF-8
	Offset int
}

// Error says in Chinese what is wrong, naming the character's code point
// so that whoever sent it can find it.
func (f *Fault) Error() string {
	if f.Kind == InvalidUTF8 {
		return f.Message()
	}
	return fmt.Sprintf("%s（U+%04X）", f.Message(), f.Rune)
}

// Message says in Chinese what is wrong, in words a clerk or an applicant
// reads (no code points), to follow the name of what is wrong: "姓名" +
// "含有不可见的控制字符".
func (f *Fault) Message() string {
	switch f.Kind {
	case InvalidUTF8:
		return "含有无法识别的文字编码（须为 UTF-8）"
	case Control:
		return "含有不可见的控制字符"
	case Bidi:
		return "含有改变文字方向的不可见字符"
	case Invisible:
		return "含有不可见的特殊字符"
	case Space:
		return "不能含有空格等空白字符（包括首尾）"
	}
	return "含有不允许的字符"
}

// Check returns the first fault of s, or nil when s is clean. multiline
// says whether s is multi-line text (a reason, a note): there a line feed,
// a carriage return and a tab are ordinary; anywhere else they are
// control characters like the rest.
func Check(s string, multiline bool) *Fault {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return &Fault{Kind: InvalidUTF8, Rune: r, Offset: i}
			}
			continue // a real U+FFFD, written as such
		}
		if k := kindOf(r, multiline); k != 0 {
			return &Fault{Kind: k, Rune: r, Offset: i}
		}
	}
	return nil
}

// Valid reports whether s is clean single-line text.
func Valid(s string) bool { return Check(s, false) == nil }

// Identifier returns the first fault of s as an identifier: everything
// Check refuses, and whitespace anywhere (a leading space or a trailing
// tab is how a code slips past a lookup that trims). An empty s is no
// fault of this kind; the identifier's own rule decides.
func Identifier(s string) *Fault {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return &Fault{Kind: InvalidUTF8, Rune: r, Offset: i}
			}
		}
		if unicode.IsSpace(r) {
			return &Fault{Kind: Space, Rune: r, Offset: i}
		}
		if k := kindOf(r, false); k != 0 {
			return &Fault{Kind: k, Rune: r, Offset: i}
		}
		if unicode.Is(unicode.Cf, r) { // any other format character: zero-width joiners, soft hyphens …
			return &Fault{Kind: Invisible, Rune: r, Offset: i}
		}
	}
	return nil
}

// kindOf classifies one character; 0 means it is allowed in text.
func kindOf(r rune, multiline bool) Kind {
	switch {
	case r == '\n' || r == '\r' || r == '\t':
		if multiline {
			return 0
		}
		return Control
	case r < 0x20 || r >= 0x7f && r <= 0x9f:
		return Control
	case isBidi(r):
		return Bidi
	case r == '\u2028' || r == '\u2029' || r == '\ufeff' || r >= 0xfff9 && r <= 0xfffb:
		// Line and paragraph separators break lines where none was
		// typed; a BOM or an interlinear annotation is never typed.
		return Invisible
	case r&0xfffe == 0xfffe || r >= 0xfdd0 && r <= 0xfdef:
		return Invisible // noncharacters
	}
	return 0
}

// isBidi reports whether r is a bidirectional formatting character: the
// embeddings and overrides (U+202A–U+202E), the isolates (U+2066–U+2069)
// and the implicit marks (U+200E, U+200F, U+061C), which can make text
// display in an order other than the one it is stored in.
func isBidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}
