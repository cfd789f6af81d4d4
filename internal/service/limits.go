package service

import (
	"context"
	"fmt"
	"net/netip"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/throttle"
)

// Limits bound what one client, one key or one node may ask for, so that
// nobody outside can wear the hall down or lock its people out (README:
// Security → Abuse: limits, lockouts and timing).
//
// A client is its address as the server worked it out (through trusted
// proxies only); IPv6 addresses count by their /64, one subscriber's
// network. Signed-in staff are not held to the per-client rates of the
// public pages: they act under their own names.
type Limits struct {
	// Per client, on each node (in memory, golang.org/x/time/rate): these
	// protect the node's CPU, connections and tables.
	SignIn  throttle.Rate // password checks: staff and applicant sign-in
	Lookup  throttle.Rate // look-ups by a check code or booking code: progress, rating, bookings, check-in
	Follow  throttle.Rate // a ticket's follow page
	Ticket  throttle.Rate // kiosk tickets (a check-in takes one too)
	Booking throttle.Rate // appointments booked
	Board   throttle.Rate // display-board streams opened

	// Per client and per phone, across every node (in the database).
	Codes         throttle.Rate // verification codes one client asks for
	CodesPerPhone throttle.Rate // verification codes and notices sent to one phone

	// HashSlots is how many argon2id password checks run at once on a node
	// (0: half the CPUs, at least one); the rest wait up to HashWait.
	HashSlots int
	HashWait  time.Duration

	// BackoffAfter is how many failed sign-ins of one username or phone,
	// from any clients, start its global back-off: from then on every
	// failure delays the next attempt 1 s, 2 s, 4 s … up to BackoffMax. A
	// device that has signed in to the account before is not held up.
	BackoffAfter int
	BackoffMax   time.Duration
	// CodeBackoffAfter is the same for wrong check codes of one case
	// number from any clients (the progress and rating pages).
	CodeBackoffAfter int
	// CodeFailuresPerClient wrong check codes within an hour, for any
	// case numbers, lock the client out of check-code look-ups for an hour.
	CodeFailuresPerClient int

	// BoardPerHall and BoardPerClient cap the display-board streams a node
	// holds open for one hall and for one client.
	BoardPerHall   int
	BoardPerClient int

	// SignInRetention is how long the sign-in record is kept (网络安全法
	// art. 21 asks for at least six months of such logs).
	SignInRetention time.Duration
	// DeviceLifetime is how long a device stays known without a sign-in.
	DeviceLifetime time.Duration
}

// DefaultLimits returns the limits README.md documents.
func DefaultLimits() Limits {
	return Limits{
		SignIn:  throttle.Rate{N: 10, Per: time.Minute},
		Lookup:  throttle.Rate{N: 30, Per: time.Minute},
		Follow:  throttle.Rate{N: 120, Per: time.Minute},
		Ticket:  throttle.Rate{N: 60, Per: time.Minute},
		Booking: throttle.Rate{N: 10, Per: time.Hour},
		Board:   throttle.Rate{N: 30, Per: time.Minute},

		Codes:         throttle.Rate{N: 10, Per: time.Hour},
		CodesPerPhone: throttle.Rate{N: 10, Per: time.Hour},

		HashWait: 3 * time.Second,

		BackoffAfter:          50,
		BackoffMax:            15 * time.Minute,
		CodeBackoffAfter:      30,
		CodeFailuresPerClient: 30,

		BoardPerHall:   50,
		BoardPerClient: 10,

		SignInRetention: 365 * 24 * time.Hour,
		DeviceLifetime:  365 * 24 * time.Hour,
	}
}

// MinSignInRetention is the shortest sign-in retention allowed: six months.
const MinSignInRetention = 183 * 24 * time.Hour

// rates names each rate as --rate-limits spells it.
func (l *Limits) rates() map[string]*throttle.Rate {
	return map[string]*throttle.Rate{
		"signin": &l.SignIn, "lookup": &l.Lookup, "follow": &l.Follow, "ticket": &l.Ticket,
		"booking": &l.Booking, "board": &l.Board, "codes": &l.Codes, "codes-per-phone": &l.CodesPerPhone,
	}
}

// SetRates changes the rates spec names: "signin=20/1m,ticket=120/1m".
// Rates it does not name keep their values.
func (l *Limits) SetRates(spec string) error {
	named := l.rates()
	for part := range strings.SplitSeq(spec, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		name, value, ok := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		r, found := named[name]
		if !ok || !found {
			return fmt.Errorf("rate limit %q: write NAME=N/PERIOD with NAME one of %s", part, strings.Join(l.RateNames(), ", "))
		}
		parsed, err := throttle.ParseRate(value)
		if err != nil {
			return fmt.Errorf("rate limit %s: %w", name, err)
		}
		*r = parsed
	}
	return nil
}

// RateNames lists the rates' names, sorted.
func (l *Limits) RateNames() []string {
	var names []string
	for n := range l.rates() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// RatesString writes every rate as SetRates reads them.
func (l Limits) RatesString() string {
	named := l.rates()
	var parts []string
	for _, n := range l.RateNames() {
		parts = append(parts, n+"="+rateText(*named[n]))
	}
	return strings.Join(parts, ",")
}

// rateText writes a rate with its period short: 10/1m, 5/1h.
func rateText(r throttle.Rate) string {
	per := r.Per.String() // 1m0s, 1h0m0s, 1m30s
	if strings.HasSuffix(per, "m0s") {
		per = strings.TrimSuffix(per, "0s")
	}
	if strings.HasSuffix(per, "h0m") {
		per = strings.TrimSuffix(per, "0m")
	}
	return fmt.Sprintf("%d/%s", r.N, per)
}

// Validate refuses limits that would let everything through or nothing.
func (l Limits) Validate() error {
	for name, r := range l.rates() {
		if err := r.Validate(); err != nil {
			return fmt.Errorf("rate limit %s: %w", name, err)
		}
	}
	switch {
	case l.HashSlots < 0:
		return fmt.Errorf("hash slots %d: use 0 (half the CPUs) or more", l.HashSlots)
	case l.BackoffAfter < 1 || l.CodeBackoffAfter < 1 || l.CodeFailuresPerClient < 1:
		return fmt.Errorf("back-off thresholds must be at least 1")
	case l.BackoffMax < time.Second:
		return fmt.Errorf("back-off maximum %s: use at least 1s", l.BackoffMax)
	case l.BoardPerHall < 1 || l.BoardPerClient < 1:
		return fmt.Errorf("board stream caps must be at least 1")
	case l.SignInRetention < MinSignInRetention:
		return fmt.Errorf("sign-in retention %s: keep the record at least six months (%s; 网络安全法 art. 21)", l.SignInRetention, MinSignInRetention)
	case l.DeviceLifetime < time.Hour:
		return fmt.Errorf("device lifetime %s: use at least 1h", l.DeviceLifetime)
	}
	return nil
}

// guard holds this node's own limits: the buckets per client, the gate
// in front of password hashing and the board streams held open.
type guard struct {
	signIn, lookup, follow, ticket, booking, board *throttle.Keyed
	hashing                                        *throttle.Gate
	boardHalls, boardClients                       *throttle.Slots
}

func newGuard(l Limits) *guard {
	slots := l.HashSlots
	if slots == 0 {
		slots = max(runtime.GOMAXPROCS(0)/2, 1)
	}
	return &guard{
		signIn: throttle.NewKeyed(l.SignIn), lookup: throttle.NewKeyed(l.Lookup), follow: throttle.NewKeyed(l.Follow),
		ticket: throttle.NewKeyed(l.Ticket), booking: throttle.NewKeyed(l.Booking), board: throttle.NewKeyed(l.Board),
		hashing:    throttle.NewGate(slots),
		boardHalls: throttle.NewSlots(l.BoardPerHall), boardClients: throttle.NewSlots(l.BoardPerClient),
	}
}

// clientKey is the key a request's client is limited under: its address,
// an IPv6 address by its /64. It is "" outside a request (the command
// line, jobs, tests that name no client).
func clientKey(ctx context.Context) string {
	addr := RequestFrom(ctx).RemoteAddr
	if addr == "" {
		return ""
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is6() {
		if p, err := ip.Prefix(64); err == nil {
			return p.String()
		}
	}
	return ip.String()
}

// exempt reports whether ctx acts under a name the hall knows (staff, or
// the system) and so is not held to the public pages' per-client rates.
func exempt(ctx context.Context) bool {
	a := ActorFrom(ctx)
	return a != nil && (a.System || a.User != nil)
}

// throttle takes a token of the client's bucket in k, or refuses with how
// long to wait. Requests without a client (the command line, jobs) and
// staff pass.
func (s *base) throttle(ctx context.Context, k *throttle.Keyed) error {
	client := clientKey(ctx)
	if client == "" || exempt(ctx) {
		return nil
	}
	ok, wait := k.Allow(client, s.clock.Now())
	if ok {
		return nil
	}
	return apperr.TooMany(wait, "操作过于频繁，请%s后再试", waitWords(wait))
}

// takeShared takes a token of key's bucket shared by every node.
func (s *base) takeShared(ctx context.Context, key string, r throttle.Rate, message string) error {
	wait, err := s.store.TakeToken(ctx, key, s.clock.Now(), r.N, r.Per)
	if err != nil || wait == 0 {
		return err
	}
	return apperr.TooMany(wait, "%s，请%s后再试", message, waitWords(wait))
}

// waitWords says how long to wait, as people say it: 30 秒, 5 分钟.
func waitWords(d time.Duration) string {
	switch {
	case d <= time.Second:
		return " 1 秒"
	case d < time.Minute:
		return fmt.Sprintf(" %d 秒", int((d+time.Second-1)/time.Second))
	case d < time.Hour:
		return fmt.Sprintf(" %d 分钟", int((d+time.Minute-1)/time.Minute))
	}
	return fmt.Sprintf(" %d 小时", int((d+time.Hour-1)/time.Hour))
}
