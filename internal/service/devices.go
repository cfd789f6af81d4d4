package service

import (
	"context"
	"strings"
	"time"
)

// Device is the browser or API client a request comes from, as its device
// cookie tells. The server reads the cookie into Cookie; a successful
// sign-in of a device without a valid one puts a new value in Issue, which
// the server sends back as the cookie. The cookie is 256 random bits;
// only its SHA-256 is kept, per account it signed in to (known_devices).
type Device struct {
	Cookie string // the cookie as the request carried it; "" if none
	Issue  string // a new cookie to set on the response; "" for none
}

// DeviceCookie names the device cookie.
const DeviceCookie = "onewindow_device"

const devicePrefix = "dv_"

// validDevice reports whether token looks like a cookie this server
// issued: its prefix and 43 characters of base64url.
func validDevice(token string) bool {
	rest, ok := strings.CutPrefix(token, devicePrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	for _, c := range rest {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// deviceHash returns the hash the request's device is kept under, or ""
// when it carries no valid device cookie.
func deviceHash(ctx context.Context) string {
	d := RequestFrom(ctx).Device
	if d == nil || !validDevice(d.Cookie) {
		return ""
	}
	return tokenHash(d.Cookie)
}

// knownDevice reports whether the request's device has signed in to
// subject within the device lifetime.
func (s *Access) knownDevice(ctx context.Context, subject string, now time.Time) (bool, error) {
	h := deviceHash(ctx)
	if h == "" {
		return false, nil
	}
	return s.store.KnownDevice(ctx, h, subject, now.Add(-s.cfg.Limits.DeviceLifetime))
}

// rememberDevice records that the request's device signed in to subject,
// giving it a cookie first if it has none. A failure is logged: the
// sign-in stands.
func (s *Access) rememberDevice(ctx context.Context, subject string, now time.Time) {
	d := RequestFrom(ctx).Device
	if d == nil {
		return // not a web or API request
	}
	token := d.Cookie
	if !validDevice(token) {
		var err error
		if token, err = randomKey(devicePrefix); err != nil {
			s.log.Error("device cookie", "err", err, "request_id", RequestFrom(ctx).ID)
			return
		}
		d.Issue = token
	}
	if err := s.store.RememberDevice(context.WithoutCancel(ctx), tokenHash(token), subject, now); err != nil {
		s.log.Error("remember device", "err", err, "request_id", RequestFrom(ctx).ID)
	}
}
