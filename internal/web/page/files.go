package page

// Uploaded files as downloads, for the applicant and for the desks.

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/casework"
)

// WriteFile writes an uploaded file as a download: its own type, never
// sniffed or run, under the name it was uploaded with.
func WriteFile(w http.ResponseWriter, r *http.Request, h *Kit, rc io.ReadCloser, f casework.FileRef) {
	defer rc.Close()
	hd := w.Header()
	hd.Set("Content-Type", f.Type)
	hd.Set("Content-Disposition", attachment(f.Name))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cache-Control", "private, no-store")
	if f.Size > 0 {
		hd.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	}
	if _, err := io.Copy(w, rc); err != nil {
		h.Log.Warn("send file", "err", err, "request_id", h.RequestID(r))
	}
}

// attachment is a Content-Disposition for name: an ASCII fallback and the
// UTF-8 name (RFC 5987, RFC 6266).
func attachment(name string) string {
	var fallback, encoded strings.Builder
	for _, c := range name {
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' {
			fallback.WriteRune(c)
		} else {
			fallback.WriteByte('_')
		}
	}
	for _, b := range []byte(name) {
		if isAttrChar(b) {
			encoded.WriteByte(b)
		} else {
			fmt.Fprintf(&encoded, "%%%02X", b)
		}
	}
	return `attachment; filename="` + fallback.String() + `"; filename*=UTF-8''` + encoded.String()
}

// isAttrChar reports whether b may stand unencoded in an RFC 5987 value.
func isAttrChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}
