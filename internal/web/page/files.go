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

// Previewable reports whether a file of content type typ opens inside a
// page (a reviewer's preview beside the checklist): PDFs and images.
func Previewable(typ string) bool {
	switch typ {
	case "application/pdf", "image/png", "image/jpeg":
		return true
	}
	return false
}

// PreviewFile sends a previewable file to be shown inside this site's own
// page (an iframe of the case page): inline, framed by this origin only,
// loading nothing. An image is sandboxed as well; a PDF cannot be (the
// browser's viewer does not open in a sandbox), and runs no script under
// default-src 'none'. Anything else is sent as WriteFile sends it.
func PreviewFile(w http.ResponseWriter, r *http.Request, h *Kit, rc io.ReadCloser, f casework.FileRef) {
	if !Previewable(f.Type) {
		WriteFile(w, r, h, rc, f)
		return
	}
	defer rc.Close()
	hd := w.Header()
	hd.Set("Content-Type", f.Type)
	hd.Set("Content-Disposition", "inline"+strings.TrimPrefix(attachment(f.Name), "attachment"))
	hd.Set("X-Content-Type-Options", "nosniff")
	csp := "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
	if f.Type != "application/pdf" {
		csp += "; sandbox"
	}
	hd.Set("Content-Security-Policy", csp)
	hd.Set("X-Frame-Options", "SAMEORIGIN")
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
