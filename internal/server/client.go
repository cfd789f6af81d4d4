package server

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/service"
)

// Who the client is: its address and its device. This is the one place
// the client's address is worked out; logs, the sign-in record and every
// limit read it from the request's service.Request.
//
// The address is the connection's peer, unless the peer is a trusted
// proxy (Config.TrustedProxies): then it comes from the configured header
// (Config.ProxyHeader). X-Forwarded-For is read right to left, skipping
// the trusted proxies' own hops, and the first address that is not one is
// the client; X-Real-IP is taken as it is. A header from a peer that is
// not trusted is never read: anyone can write one.

// Proxy headers that may carry the client's address.
const (
	HeaderForwardedFor = "X-Forwarded-For"
	HeaderRealIP       = "X-Real-IP"
)

// ParseTrustedProxies reads a comma-separated list of CIDR ranges or
// single addresses ("10.0.0.0/8,192.0.2.7"); "" trusts none.
func ParseTrustedProxies(spec string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: not an address or a CIDR range", part)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// CheckProxyHeader refuses a header other than the two the server reads.
func CheckProxyHeader(h string) error {
	switch http.CanonicalHeaderKey(h) {
	case http.CanonicalHeaderKey(HeaderForwardedFor), http.CanonicalHeaderKey(HeaderRealIP):
		return nil
	}
	return fmt.Errorf("proxy header %q: use %s or %s", h, HeaderForwardedFor, HeaderRealIP)
}

// trusted reports whether a is one of the trusted proxies.
func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// fromTrustedProxy reports whether r's connection comes from a trusted
// proxy.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	return err == nil && s.trusted(peer.Unmap().WithZone(""))
}

// clientAddr returns the client's address for r, as described above.
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host // not an IP connection (a test, a unix socket)
	}
	peer = peer.Unmap().WithZone("")
	if !s.trusted(peer) {
		return peer.String()
	}
	if http.CanonicalHeaderKey(s.cfg.ProxyHeader) == http.CanonicalHeaderKey(HeaderRealIP) {
		if a, err := netip.ParseAddr(strings.TrimSpace(r.Header.Get(HeaderRealIP))); err == nil {
			return a.Unmap().WithZone("").String()
		}
		return peer.String()
	}
	// Every X-Forwarded-For header, in order, as one list.
	var hops []string
	for _, v := range r.Header.Values(HeaderForwardedFor) {
		hops = append(hops, strings.Split(v, ",")...)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			// A trusted proxy writes addresses; garbage came from further
			// out. The last hop a trusted proxy vouched for stands.
			break
		}
		client = a.Unmap().WithZone("")
		if !s.trusted(client) {
			break
		}
	}
	return client.String()
}

// deviceLifetime is how long the device cookie lives in the browser; the
// server forgets a device unused for Limits.DeviceLifetime.
const deviceLifetime = 400 * 24 * time.Hour

// identifyClient puts the client's address and device cookie in the
// request's service.Request, and sets the device cookie on the response
// when a sign-in gave the device a new one. It runs first of all.
func (s *Server) identifyClient(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dev := &service.Device{}
		if c, err := r.Cookie(service.DeviceCookie); err == nil {
			dev.Cookie = c.Value
		}
		ctx := service.WithRequest(r.Context(), service.Request{RemoteAddr: s.clientAddr(r), Device: dev})
		dw := &deviceWriter{ResponseWriter: w, dev: dev, secure: s.viaHTTPS(r) || s.sessions.Cookie.Secure}
		next.ServeHTTP(dw, r.WithContext(ctx))
	})
}

// deviceWriter adds the device cookie a sign-in issued to the response's
// headers, just before they are written.
type deviceWriter struct {
	http.ResponseWriter
	dev    *service.Device
	secure bool
	done   bool
}

func (w *deviceWriter) setCookie() {
	if w.done {
		return
	}
	w.done = true
	if w.dev.Issue == "" {
		return
	}
	http.SetCookie(w.ResponseWriter, &http.Cookie{
		Name: service.DeviceCookie, Value: w.dev.Issue, Path: "/",
		MaxAge: int(deviceLifetime / time.Second), HttpOnly: true, Secure: w.secure, SameSite: http.SameSiteLaxMode,
	})
}

func (w *deviceWriter) WriteHeader(code int) {
	w.setCookie()
	w.ResponseWriter.WriteHeader(code)
}

func (w *deviceWriter) Write(b []byte) (int, error) {
	w.setCookie()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *deviceWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
