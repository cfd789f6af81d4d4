package blob

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/onewindow/onewindow/internal/apperr"
)

// signatures restates, from the formats themselves, the bytes each allowed
// type starts with and the extensions its files carry.
var signatures = map[string]struct {
	magic []byte
	exts  []string
}{
	PDF:  {[]byte("%PDF-"), []string{".pdf"}},
	JPEG: {[]byte{0xFF, 0xD8, 0xFF}, []string{".jpg", ".jpeg"}},
	PNG:  {[]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, []string{".png"}},
}

// FuzzCheck gives the upload check any name, bytes, declared type and
// limits. An upload is either refused (one invalid "file" error whose
// message carries no invisible character) or kept only if every rule
// holds: a bare, visible, UTF-8 name of at most 120 characters whose
// extension matches the type; a size within the limit; a type among those
// allowed, recognised by its magic bytes; the SHA-256 of exactly its bytes.
func FuzzCheck(f *testing.F) {
	f.Fuzz(func(t *testing.T, name string, content []byte, declared string, maxBytes int64, types uint8) {
		lim := Limits{MaxBytes: maxBytes}
		for i, ty := range []string{PDF, JPEG, PNG} {
			if types&(1<<i) != 0 {
				lim.Types = append(lim.Types, ty)
			}
		}
		file, err := Check(name, content, declared, lim)
		_, nameErr := CheckName(name)
		if err != nil {
			fields := apperr.FieldsOf(err)
			msg := apperr.MessageOf(err)
			if !apperr.Is(err, apperr.Invalid) || len(fields) != 1 || fields[0].Field != "file" || msg == "" {
				t.Fatalf("Check(%q) = %v (fields %v): want one invalid file error", name, err, fields)
			}
			if !utf8.ValidString(msg) || strings.ContainsFunc(msg, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }) {
				t.Fatalf("Check(%q) refuses with a message carrying invisible characters: %q", name, msg)
			}
			if nameErr != nil && apperr.MessageOf(nameErr) != msg {
				t.Fatalf("Check and CheckName refuse %q differently: %q, %q", name, msg, apperr.MessageOf(nameErr))
			}
			return
		}
		if nameErr != nil {
			t.Fatalf("Check kept %q, which CheckName refuses: %v", name, nameErr)
		}

		// The name.
		n := file.Name
		if n != strings.TrimSpace(name) || n == "" || !utf8.ValidString(n) || utf8.RuneCountInString(n) > MaxNameLen {
			t.Fatalf("kept the name %q as %q", name, n)
		}
		for _, r := range n {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				t.Fatalf("kept the name %q with the invisible %U", n, r)
			}
		}
		if strings.ContainsAny(n, `/\`) || strings.Contains(n, "..") {
			t.Fatalf("kept the name %q, which holds a path", n)
		}

		// The bytes.
		if file.Size != int64(len(content)) || file.Size == 0 || file.Size > lim.MaxBytes {
			t.Fatalf("kept %d bytes as size %d under a limit of %d", len(content), file.Size, lim.MaxBytes)
		}
		sig, known := signatures[file.Type]
		if !known || !slices.Contains(lim.Types, file.Type) || !bytes.HasPrefix(content, sig.magic) {
			t.Fatalf("kept %q as %s (allowed %v), starting %q", n, file.Type, lim.Types, content[:min(len(content), 8)])
		}
		if Detect(content) != file.Type {
			t.Fatalf("kept as %s what Detect calls %s", file.Type, Detect(content))
		}
		ext := ""
		if i := strings.LastIndexByte(n, '.'); i >= 0 {
			ext = strings.ToLower(n[i:])
		}
		if !slices.Contains(sig.exts, ext) {
			t.Fatalf("kept %q as %s: its extension does not say so", n, file.Type)
		}
		sum := sha256.Sum256(content)
		if file.SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("kept with the SHA-256 %s, not that of its bytes", file.SHA256)
		}
	})
}
