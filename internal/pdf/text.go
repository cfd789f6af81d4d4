package pdf

import (
	"regexp"
	"strconv"
	"strings"
)

var shown = regexp.MustCompile(`<([0-9A-F]*)> Tj`)

// Text returns the text a document written by this package shows, a line
// of the document a line of the result: for tests and checks, not a
// general PDF reader.
func Text(doc []byte) string {
	var b strings.Builder
	for _, m := range shown.FindAllSubmatch(doc, -1) {
		hex := string(m[1])
		for i := 0; i+4 <= len(hex); i += 4 {
			r, err := strconv.ParseUint(hex[i:i+4], 16, 16)
			if err != nil {
				continue
			}
			b.WriteRune(rune(r))
		}
		b.WriteByte('\n')
	}
	return b.String()
}
