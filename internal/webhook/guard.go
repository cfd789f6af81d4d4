package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
)

// Guard decides which addresses webhooks may be sent to: no loopback,
// link-local, private, shared (CGNAT), multicast or unspecified address
// unless Allow holds it (serve --webhook-allow). It is applied twice: to
// every address a subscription's host resolves to when it is made, and by
// the dialer to the very address it connects to, so a name that resolves
// elsewhere later (DNS rebinding) is refused too.
type Guard struct {
	Allow []netip.Prefix
	// Resolve looks a host up; nil uses net.DefaultResolver.
	Resolve func(ctx context.Context, host string) ([]netip.Addr, error)
}

// ParseAllow reads a comma-separated list of CIDR prefixes (or single
// addresses).
func ParseAllow(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("webhook allow %q: %w", f, err)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("webhook allow %q: %w", f, err)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// shared is 100.64.0.0/10, the carrier-grade NAT range, which
// netip.Addr.IsPrivate does not cover.
var shared = netip.MustParsePrefix("100.64.0.0/10")

// Permits reports whether a may be called.
func (g Guard) Permits(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range g.Allow {
		if p.Contains(a) {
			return true
		}
	}
	return a.IsValid() && a.IsGlobalUnicast() && !a.IsPrivate() && !shared.Contains(a) &&
		!a.IsLoopback() && !a.IsLinkLocalUnicast() && !a.IsUnspecified()
}

// ErrForbiddenAddress says an address is one webhooks may not reach.
var ErrForbiddenAddress = errors.New("webhook: address not allowed")

// Check resolves the URL's host and refuses it if any address it resolves
// to may not be called (an Invalid error on field url).
func (g Guard) Check(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return apperr.Field("url", "请填写完整的 http(s) 地址")
	}
	addrs, err := g.lookup(ctx, u.Hostname())
	if err != nil || len(addrs) == 0 {
		return apperr.Field("url", "无法解析该地址的主机名："+u.Hostname())
	}
	for _, a := range addrs {
		if !g.Permits(a) {
			return apperr.Field("url", "不允许推送到内网、本机或链路本地地址（"+a.String()+"）")
		}
	}
	return nil
}

func (g Guard) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return []netip.Addr{a}, nil
	}
	if g.Resolve != nil {
		return g.Resolve(ctx, host)
	}
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

// Control is a net.Dialer Control hook refusing, at connect time, every
// address the guard does not permit.
func (g Guard) Control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
	}
	if !g.Permits(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, ap.Addr())
	}
	return nil
}

// Dialer returns a dialer that connects only to permitted addresses.
func (g Guard) Dialer(timeout time.Duration) *net.Dialer {
	return &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Control: g.Control}
}
