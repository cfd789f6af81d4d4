package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The Content-Security-Policy of every answer. Pages load their scripts
// and styles from /static/ only: no inline script, no inline style, no
// style attribute, no javascript: link (a test checks every page and
// template). Barcodes and QR codes are data: PNGs. Forms post to this
// origin only; nothing may frame a page but the display board, and that
// only where configured.
const (
	cspBase = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
	cspNoFraming = cspBase + "; frame-ancestors 'none'"
)

// securityHeaders sets the browser's protections on every answer, before
// the handler runs (a handler may tighten or widen its own, as the API
// docs page does for its one inline style): the Content-Security-Policy,
// no MIME sniffing, no framing (X-Frame-Options to match, for browsers
// without frame-ancestors), and a Referrer-Policy that keeps paths (case
// numbers, check codes) from leaving the site. Cookies set on a request
// that came over HTTPS are marked Secure.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	base := cspBase
	if s.cfg.IDCardBridge != "" {
		// The intake form reads the card through the bridge on the window's PC.
		base = strings.Replace(base, "connect-src 'self'", "connect-src 'self' "+s.cfg.IDCardBridge, 1)
	}
	noFraming := base + "; frame-ancestors 'none'"
	board := base + "; frame-ancestors " + strings.Join(s.boardAncestors(), " ")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		if isBoard(r) && len(s.cfg.BoardFrameAncestors) > 0 {
			// X-Frame-Options cannot name origins; frame-ancestors does,
			// and takes precedence where both are understood.
			h.Set("Content-Security-Policy", board)
		} else {
			h.Set("Content-Security-Policy", noFraming)
			h.Set("X-Frame-Options", "DENY")
		}
		if s.viaHTTPS(r) {
			w = &secureCookies{ResponseWriter: w}
		}
		next.ServeHTTP(w, r)
	})
}

// boardAncestors is the display board's frame-ancestors source list.
func (s *Server) boardAncestors() []string {
	if len(s.cfg.BoardFrameAncestors) == 0 {
		return []string{"'none'"}
	}
	return s.cfg.BoardFrameAncestors
}

// isBoard reports whether r asks for a display board page (/board/{hall}),
// the one page a hall may show inside another site's page.
func isBoard(r *http.Request) bool {
	rest, ok := strings.CutPrefix(r.URL.Path, "/board/")
	return ok && rest != "" && !strings.Contains(rest, "/")
}

// viaHTTPS reports whether the client reached this server over HTTPS: the
// connection is TLS, or a trusted proxy (--trusted-proxies) says so in
// X-Forwarded-Proto. Anyone else's X-Forwarded-Proto is ignored.
func (s *Server) viaHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	// Behind a TLS-terminating balancer: only a trusted proxy's word counts
	// (client.go), anyone else may write the header.
	return s.fromTrustedProxy(r) && strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https")
}

// secureCookies marks every cookie a handler sets Secure: the request came
// over HTTPS, so the cookie must never travel without it.
type secureCookies struct {
	http.ResponseWriter
	done bool
}

func (w *secureCookies) mark() {
	if w.done {
		return
	}
	w.done = true
	cookies := w.Header()["Set-Cookie"]
	for i, c := range cookies {
		if !hasAttribute(c, "Secure") {
			cookies[i] = c + "; Secure"
		}
	}
}

func (w *secureCookies) WriteHeader(code int) {
	w.mark()
	w.ResponseWriter.WriteHeader(code)
}

func (w *secureCookies) Write(b []byte) (int, error) {
	w.mark()
	return w.ResponseWriter.Write(b)
}

// Flush lets a stream (the board's events) go out as it is written.
func (w *secureCookies) Flush() {
	w.mark()
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *secureCookies) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// hasAttribute reports whether the Set-Cookie value c carries the
// attribute name.
func hasAttribute(c, name string) bool {
	for _, part := range strings.Split(c, ";")[1:] {
		attr, _, _ := strings.Cut(strings.TrimSpace(part), "=")
		if strings.EqualFold(attr, name) {
			return true
		}
	}
	return false
}

// ParseFrameAncestors reads the origins that may frame the display board,
// separated by commas or spaces: each 'self', or a scheme and a host with
// an optional port (https://screens.example.gov.cn, http://10.0.0.5:8080,
// https://*.example.gov.cn). Anything else is refused: a path, a query, a
// quote or a semicolon would change the policy's meaning.
func ParseFrameAncestors(list string) ([]string, error) {
	var out []string
	for _, src := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
		if src == "'self'" || src == "self" {
			out = append(out, "'self'")
			continue
		}
		u, err := url.Parse(src)
		host := ""
		if err == nil {
			host = u.Hostname()
		}
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || host == "" || u.User != nil ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(src, "';\"") ||
			strings.Contains(strings.TrimPrefix(host, "*."), "*") {
			return nil, fmt.Errorf("board frame ancestor %q: give an origin such as https://screens.example.gov.cn (scheme and host, optional port, no path), or 'self'", src)
		}
		out = append(out, u.Scheme+"://"+u.Host)
	}
	return out, nil
}

// ParseBridge checks the ID card reader bridge's address and returns its
// origin ("" for none): http or https, a host, nothing after the port.
func ParseBridge(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return "", fmt.Errorf("--idcard-bridge %q: give the bridge's address, e.g. http://127.0.0.1:18090", raw)
	}
	return u.Scheme + "://" + u.Host, nil
}
