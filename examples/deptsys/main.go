// Command deptsys is a sample department system: the smallest program a
// department's vendor needs to connect its approval system to OneWindow.
// Copy it and replace decide with your own system's work.
//
// It uses nothing but the public API and the standard library:
//
//   - it signs in with an API client key (onewindow client add … --scopes
//     cases:read,cases:act,events:read), sent as Authorization: Bearer;
//   - it registers a webhook for its department and verifies every
//     delivery's Standard Webhooks signature (webhook-id, webhook-timestamp,
//     webhook-signature) before believing it;
//   - it keeps the event feed's cursor in a state file and, when it starts
//     (after any downtime) and every sweep interval, reads the feed from
//     that cursor, so nothing sent while it was down is missed;
//   - for every case of its department waiting for acceptance it accepts
//     and decides (approves) it in the name of one reviewer
//     (On-Behalf-Of), each write with an Idempotency-Key made of the case
//     number and the step, so a retry, a redelivered webhook or a replayed
//     feed never acts twice.
//
// Usage:
//
//	deptsys -base http://127.0.0.1:8080 -key owc_… -on-behalf-of shenpi \
//	        -listen 127.0.0.1:9090 -public-url http://127.0.0.1:9090 -state deptsys.json
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	var cfg Config
	flag.StringVar(&cfg.Base, "base", env("DEPTSYS_BASE", "http://127.0.0.1:8080"), "OneWindow's address")
	flag.StringVar(&cfg.Key, "key", os.Getenv("DEPTSYS_KEY"), "the API client key (owc_…); env DEPTSYS_KEY")
	flag.StringVar(&cfg.OnBehalfOf, "on-behalf-of", env("DEPTSYS_ON_BEHALF_OF", "shenpi"), "the reviewer (username) the system acts for")
	flag.StringVar(&cfg.Listen, "listen", env("DEPTSYS_LISTEN", "127.0.0.1:9090"), "where to receive webhooks")
	flag.StringVar(&cfg.PublicURL, "public-url", os.Getenv("DEPTSYS_PUBLIC_URL"), "the address OneWindow posts webhooks to (default http://<listen>)")
	flag.StringVar(&cfg.StateFile, "state", env("DEPTSYS_STATE", "deptsys.json"), "where the feed cursor and the webhook secret are kept")
	flag.DurationVar(&cfg.Sweep, "sweep", 30*time.Second, "how often to read the event feed besides the webhooks")
	flag.Parse()
	if cfg.Key == "" {
		fmt.Fprintln(os.Stderr, "deptsys: -key (or DEPTSYS_KEY) is required: create one with `onewindow client add`")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, cfg, log.New(os.Stderr, "deptsys ", log.LstdFlags)); err != nil && ctx.Err() == nil {
		fmt.Fprintln(os.Stderr, "deptsys:", err)
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
