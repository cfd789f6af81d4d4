package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/internal/server"
	"github.com/onewindow/onewindow/internal/service"
)

// LimitsConfig holds the abuse limits' settings (README: Security →
// Abuse: limits, lockouts and timing).
type LimitsConfig struct {
	// TrustedProxies: CIDR ranges or addresses of the load balancers whose
	// ProxyHeader names the client; "" trusts none.
	TrustedProxies string `env:"ONEWINDOW_TRUSTED_PROXIES"`
	ProxyHeader    string `env:"ONEWINDOW_PROXY_HEADER" envDefault:"X-Forwarded-For"`
	// RateLimits overrides per-client rates: "signin=20/1m,ticket=120/1m".
	RateLimits            string        `env:"ONEWINDOW_RATE_LIMITS"`
	HashSlots             int           `env:"ONEWINDOW_HASH_SLOTS"`
	BackoffAfter          int           `env:"ONEWINDOW_BACKOFF_AFTER" envDefault:"50"`
	BackoffMax            time.Duration `env:"ONEWINDOW_BACKOFF_MAX" envDefault:"15m"`
	CodeBackoffAfter      int           `env:"ONEWINDOW_CODE_BACKOFF_AFTER" envDefault:"30"`
	BoardStreamsPerHall   int           `env:"ONEWINDOW_BOARD_STREAMS_PER_HALL" envDefault:"50"`
	BoardStreamsPerClient int           `env:"ONEWINDOW_BOARD_STREAMS_PER_CLIENT" envDefault:"10"`
	SignInRetention       time.Duration `env:"ONEWINDOW_SIGN_IN_RETENTION" envDefault:"8760h"`
	DeviceLifetime        time.Duration `env:"ONEWINDOW_DEVICE_LIFETIME" envDefault:"8760h"`
}

// limitFlags adds the limits' flags to serve.
func limitFlags(fs *flag.FlagSet, c *LimitsConfig) {
	defaults := service.DefaultLimits()
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", c.TrustedProxies, "CIDR ranges or addresses of trusted proxies and load balancers, comma-separated;\nonly their --proxy-header names the client (env ONEWINDOW_TRUSTED_PROXIES)")
	fs.StringVar(&c.ProxyHeader, "proxy-header", c.ProxyHeader, "the header trusted proxies name the client in: X-Forwarded-For (read right to left,\nskipping trusted hops) or X-Real-IP (env ONEWINDOW_PROXY_HEADER)")
	fs.StringVar(&c.RateLimits, "rate-limits", c.RateLimits, "per-client rates to change, NAME=N/PERIOD,…; the defaults are\n"+defaults.RatesString()+" (env ONEWINDOW_RATE_LIMITS)")
	fs.IntVar(&c.HashSlots, "hash-slots", c.HashSlots, "password hashes computed at once on this node; 0 is half the CPUs (env ONEWINDOW_HASH_SLOTS)")
	fs.IntVar(&c.BackoffAfter, "backoff-after", c.BackoffAfter, "failed sign-ins of one account from anywhere before each further one delays the next,\n1s doubling (env ONEWINDOW_BACKOFF_AFTER)")
	fs.DurationVar(&c.BackoffMax, "backoff-max", c.BackoffMax, "the longest such delay (env ONEWINDOW_BACKOFF_MAX)")
	fs.IntVar(&c.CodeBackoffAfter, "code-backoff-after", c.CodeBackoffAfter, "wrong check codes of one case number from anywhere before its back-off (env ONEWINDOW_CODE_BACKOFF_AFTER)")
	fs.IntVar(&c.BoardStreamsPerHall, "board-streams-per-hall", c.BoardStreamsPerHall, "display-board streams this node holds open per hall (env ONEWINDOW_BOARD_STREAMS_PER_HALL)")
	fs.IntVar(&c.BoardStreamsPerClient, "board-streams-per-client", c.BoardStreamsPerClient, "display-board streams this node holds open per client (env ONEWINDOW_BOARD_STREAMS_PER_CLIENT)")
	fs.DurationVar(&c.SignInRetention, "sign-in-retention", c.SignInRetention, "how long the sign-in record is kept, at least six months (env ONEWINDOW_SIGN_IN_RETENTION)")
	fs.DurationVar(&c.DeviceLifetime, "device-lifetime", c.DeviceLifetime, "how long a device that signed in stays known without signing in again (env ONEWINDOW_DEVICE_LIFETIME)")
}

// apply sets the service's limits from the settings.
func (c LimitsConfig) apply(l *service.Limits) error {
	if err := l.SetRates(c.RateLimits); err != nil {
		return err
	}
	l.HashSlots = c.HashSlots
	l.BackoffAfter, l.BackoffMax, l.CodeBackoffAfter = c.BackoffAfter, c.BackoffMax, c.CodeBackoffAfter
	l.BoardPerHall, l.BoardPerClient = c.BoardStreamsPerHall, c.BoardStreamsPerClient
	l.SignInRetention, l.DeviceLifetime = c.SignInRetention, c.DeviceLifetime
	return l.Validate()
}

// serverClient sets the server's way of knowing the client's address.
func (c LimitsConfig) serverClient(cfg *server.Config) error {
	proxies, err := server.ParseTrustedProxies(c.TrustedProxies)
	if err != nil {
		return err
	}
	if err := server.CheckProxyHeader(c.ProxyHeader); err != nil {
		return fmt.Errorf("--proxy-header: %w", err)
	}
	cfg.TrustedProxies, cfg.ProxyHeader = proxies, c.ProxyHeader
	return nil
}
