package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/webhook"
)

// errUsage reports a usage error whose message was already printed.
var errUsage = errors.New("usage")

// Version is the program's version, set at build time with -ldflags.
var Version = "0.1.0-dev"

// Config is every setting, each from a flag or its environment variable
// (the flag wins).
type Config struct {
	DB              string        `env:"ONEWINDOW_DB" envDefault:"data/onewindow.db"`
	Addr            string        `env:"ONEWINDOW_ADDR" envDefault:"127.0.0.1:8080"`
	Now             string        `env:"ONEWINDOW_NOW"`
	Demo            bool          `env:"ONEWINDOW_DEMO"`
	DemoHistory     int           `env:"ONEWINDOW_DEMO_HISTORY" envDefault:"1200"`
	LogLevel        string        `env:"ONEWINDOW_LOG_LEVEL" envDefault:"info"`
	CloseTime       string        `env:"ONEWINDOW_CLOSE_TIME" envDefault:"17:00"`
	TokenTTL        time.Duration `env:"ONEWINDOW_TOKEN_TTL" envDefault:"12h"`
	LockoutAttempts int           `env:"ONEWINDOW_LOCKOUT_ATTEMPTS" envDefault:"5"`
	LockoutDuration time.Duration `env:"ONEWINDOW_LOCKOUT_DURATION" envDefault:"15m"`
	SecureCookies   bool          `env:"ONEWINDOW_SECURE_COOKIES"`
	// RectificationDays is the working days a bad rating has to be rectified in.
	RectificationDays int `env:"ONEWINDOW_RECTIFICATION_DAYS" envDefault:"5"`
	// RatingAdditionDays is how long a rating may be added to.
	RatingAdditionDays int `env:"ONEWINDOW_RATING_ADDITION_DAYS" envDefault:"7"`
	// Files is where uploaded files are kept: a folder, or
	// s3://ACCESS:SECRET@host:port/bucket/prefix for S3-compatible storage.
	Files string `env:"ONEWINDOW_FILES" envDefault:"data/files"`
	// Notify is how messages go out: "log" (the log only) or
	// smtp://user:pass@host:port?from=… (e-mail).
	Notify string `env:"ONEWINDOW_NOTIFY" envDefault:"log"`
	// PublicURL is the hall's address as applicants reach it, for the
	// links text messages carry (https://zwfw.example.gov.cn).
	PublicURL string `env:"ONEWINDOW_PUBLIC_URL"`
	// NoticeLinkTTL is how long such a link opens its notice.
	NoticeLinkTTL time.Duration `env:"ONEWINDOW_NOTICE_LINK_TTL" envDefault:"720h"`
	// MetricsAddr, if set, serves the Prometheus metrics at /metrics on a
	// listener of its own; MetricsToken, if set, serves them at /metrics
	// on the main listener to a scraper presenting it as a bearer token.
	MetricsAddr  string `env:"ONEWINDOW_METRICS_ADDR"`
	MetricsToken string `env:"ONEWINDOW_METRICS_TOKEN"`
	// DataKey seals personal data at rest: 32 bytes in base64 or hex.
	DataKey string `env:"ONEWINDOW_DATA_KEY"`
	// DataKeyOld are the keys being rotated away from, comma-separated:
	// values sealed under them are still read.
	DataKeyOld string `env:"ONEWINDOW_DATA_KEY_OLD"`
	// Limits are the abuse limits: limits.go.
	Limits LimitsConfig
	// BoardFrameAncestors are the origins that may show the display board
	// in a frame, comma-separated; none by default.
	BoardFrameAncestors string `env:"ONEWINDOW_BOARD_FRAME_ANCESTORS"`
	// IDCardBridge is the ID card reader bridge's address on the windows'
	// PCs (http://127.0.0.1:18090); none by default.
	IDCardBridge string `env:"ONEWINDOW_IDCARD_BRIDGE"`
	// MaxDrafts is how many drafts (item and joint applications) one
	// applicant account may keep; MaxDraftFiles how many files one draft.
	MaxDrafts     int `env:"ONEWINDOW_MAX_DRAFTS" envDefault:"20"`
	MaxDraftFiles int `env:"ONEWINDOW_MAX_DRAFT_FILES" envDefault:"50"`
	// UploadGrace is how long an uploaded file no case or draft references
	// is kept before the collection deletes it.
	UploadGrace time.Duration `env:"ONEWINDOW_UPLOAD_GRACE" envDefault:"24h"`
	// PprofAddr is where serve answers Go's profiling endpoints
	// (/debug/pprof/), on a listener of its own; none by default.
	PprofAddr string `env:"ONEWINDOW_PPROF_ADDR"`
	// GroupCommit commits the SQLite writes that queue while a commit is
	// in flight in one transaction (internal/store/group_commit.go); off,
	// every write commits alone. PostgreSQL ignores it.
	GroupCommit bool `env:"ONEWINDOW_GROUP_COMMIT" envDefault:"true"`
	// WebhookAllow are the private networks webhooks may reach anyway,
	// comma-separated CIDR prefixes; none by default.
	WebhookAllow string `env:"ONEWINDOW_WEBHOOK_ALLOW"`
	// WebhookRetryBase is the wait after a webhook's first failed attempt,
	// doubling after each further one (with jitter) for 3 days.
	WebhookRetryBase time.Duration `env:"ONEWINDOW_WEBHOOK_RETRY_BASE" envDefault:"4s"`
	// MemoryLimitMiB is serve's soft limit on the Go runtime's memory
	// (runtime/debug.SetMemoryLimit), in MiB; 0 for none. GOMEMLIMIT, when
	// set, wins.
	MemoryLimitMiB int `env:"ONEWINDOW_MEMORY_LIMIT_MIB" envDefault:"48"`
	// GCPercent is serve's garbage collection target (runtime/debug.
	// SetGCPercent): the heap may grow by this percentage of the live heap
	// before a collection; the memory limit above still caps it. GOGC,
	// when set, wins.
	GCPercent int `env:"ONEWINDOW_GC_PERCENT" envDefault:"200"`
}

// Main is the program: it parses the command line, wires the packages
// and runs one subcommand.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Env            map[string]string // the environment; os.Environ by default

	// Ready, if set, receives the server's address once it listens (tests).
	Ready chan<- string

	store *store.Store
}

// NewMain returns a Main on the process's streams and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Env: env.ToMap(os.Environ())}
}

// Close releases what Run opened.
func (m *Main) Close() error {
	if m.store != nil {
		return m.store.Close()
	}
	return nil
}

const usage = `onewindow — 一窗通：政务服务大厅“一窗受理、集成服务”系统

Usage:
  onewindow serve [flags]            start the hall (web pages, JSON API, background work)
  onewindow migrate [flags]          apply database migrations
  onewindow user add [flags]         add a staff account
  onewindow client add|list|rotate|revoke   department systems' API clients and their keys
  onewindow catalog import FILE      add or update catalog items from JSON ("-" for stdin)
  onewindow catalog export [FILE]    write the catalog as JSON (stdout by default)
  onewindow calendar show [flags]    print a year's working-day calendar
  onewindow calendar import FILE     set or reset calendar days from JSON
  onewindow audit verify             check every case's hash-chained record
  onewindow stats rebuild            recompute the supervision figures from the case events
  onewindow backup FILE              write a consistent copy of the database while it serves
  onewindow restore FILE             check a backup and make it the database (--force to replace one)
  onewindow datakey generate|status|rotate   the data key that seals ID and phone numbers
  onewindow demo generate --cases N  add N made-up cases (two years of history) through the real transitions
  onewindow ledger export [flags]    write a ledger (台账) as .xlsx or CSV, streamed; reports rows/s and peak memory
  onewindow idcard-sim [flags]       an ID card reader bridge without hardware (training, tests)

Run "onewindow COMMAND --help" for a command's flags. Every flag has an
environment variable (shown in its help); the flag wins.
`

// Run runs the subcommand named by args.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return m.serve(ctx, rest)
	case "migrate":
		return m.migrate(ctx, rest)
	case "user":
		return m.user(ctx, rest)
	case "client":
		return m.client(ctx, rest)
	case "catalog":
		return m.catalog(ctx, rest)
	case "calendar":
		return m.calendar(ctx, rest)
	case "audit":
		return m.audit(ctx, rest)
	case "stats":
		return m.stats(ctx, rest)
	case "backup":
		return m.backup(ctx, rest)
	case "restore":
		return m.restore(ctx, rest)
	case "datakey":
		return m.datakey(ctx, rest)
	case "demo":
		return m.demo(ctx, rest)
	case "ledger":
		return m.ledger(ctx, rest)
	case "idcard-sim":
		return m.idcardSim(ctx, rest)
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	case "version", "--version":
		fmt.Fprintln(m.Stdout, "onewindow", Version)
		return nil
	}
	fmt.Fprintf(m.Stderr, "unknown command %q\n\n%s", cmd, usage)
	return errUsage
}

// config reads the environment into a Config.
func (m *Main) config() (Config, error) {
	var cfg Config
	err := env.ParseWithOptions(&cfg, env.Options{Environment: m.Env})
	return cfg, err
}

// flags returns a flag set that prints its usage to Stderr.
func (m *Main) flags(name, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: onewindow %s\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args; -h prints the help and ends the command successfully.
func parse(fs *flag.FlagSet, args []string) (done bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return true, errUsage
	}
	return false, nil
}

func dbFlag(fs *flag.FlagSet, cfg *Config) {
	fs.StringVar(&cfg.DB, "db", cfg.DB, "SQLite file (created with its folder if missing) or postgres://user@host/db URL (env ONEWINDOW_DB)")
}

// logger returns the JSON logger for level.
func (m *Main) logger(level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: use debug, info, warn or error", level)
	}
	return slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: l})), nil
}

// open opens and migrates the database and returns the use cases on it.
func (m *Main) open(ctx context.Context, cfg Config, clk clock.Clock, log *slog.Logger) (*service.Service, error) {
	st, err := store.Open(ctx, cfg.DB, clk)
	if err != nil {
		return nil, err
	}
	m.store = st
	n, err := st.Migrate(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		log.Info("database migrated", "applied", n, "dialect", st.Dialect())
	}
	if err := st.CheckSchema(ctx); err != nil {
		return nil, err
	}
	if err := m.useDataKeys(ctx, cfg, log); err != nil {
		return nil, err
	}
	scfg, err := serviceConfig(cfg)
	if err != nil {
		return nil, err
	}
	var sender notify.Sender
	if cfg.Files != "" {
		if sender, err = notify.Open(cfg.Notify, log); err != nil {
			return nil, fmt.Errorf("notify: %w", err)
		}
		// The gateway's delivery receipts are checked with its own keys.
		if sms, ok := sender.(*notify.SMS); ok {
			scfg.Messages.ReceiptSecret, scfg.Messages.ReceiptToken = sms.ReceiptKeys()
		}
	}
	svc := service.New(st, clk, log, scfg)
	if cfg.Files != "" {
		blobs, err := blob.Open(cfg.Files)
		if err != nil {
			return nil, fmt.Errorf("files %q: %w", cfg.Files, err)
		}
		svc.Use(blobs, sender)
	}
	return svc, nil
}

func serviceConfig(cfg Config) (service.Config, error) {
	s := service.DefaultConfig()
	s.TokenTTL = cfg.TokenTTL
	s.LockoutLimit = cfg.LockoutAttempts
	s.LockoutFor = cfg.LockoutDuration
	if s.TokenTTL < time.Minute {
		return s, fmt.Errorf("token TTL %s is too short", s.TokenTTL)
	}
	if s.LockoutLimit < 1 {
		return s, fmt.Errorf("lockout attempts must be at least 1")
	}
	if err := cfg.Limits.apply(&s.Limits); err != nil {
		return s, err
	}
	s.Rating.RectificationDays, s.Rating.AdditionDays = cfg.RectificationDays, cfg.RatingAdditionDays
	if s.Rating.RectificationDays < 1 || s.Rating.RectificationDays > 30 {
		return s, fmt.Errorf("rectification days %d: use 1 to 30 working days", s.Rating.RectificationDays)
	}
	if s.Rating.AdditionDays < 0 || s.Rating.AdditionDays > 90 {
		return s, fmt.Errorf("rating addition days %d: use 0 to 90 days", s.Rating.AdditionDays)
	}
	s.Messages.PublicURL, s.Messages.LinkTTL = strings.TrimSpace(cfg.PublicURL), cfg.NoticeLinkTTL
	if s.Messages.LinkTTL < time.Hour {
		return s, fmt.Errorf("notice link TTL %s is too short: use 1h or more", s.Messages.LinkTTL)
	}
	if u := s.Messages.PublicURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return s, fmt.Errorf("public URL %q: write it as https://host", u)
	}
	s.MaxDrafts, s.MaxDraftFiles, s.FileGrace = cfg.MaxDrafts, cfg.MaxDraftFiles, cfg.UploadGrace
	if s.MaxDrafts < 1 || s.MaxDrafts > 1000 {
		return s, fmt.Errorf("max drafts %d: use 1 to 1000", s.MaxDrafts)
	}
	if s.MaxDraftFiles < 1 || s.MaxDraftFiles > 1000 {
		return s, fmt.Errorf("max draft files %d: use 1 to 1000", s.MaxDraftFiles)
	}
	if s.FileGrace < time.Hour {
		// An upload must outlive the request that uploads it and the one
		// that names it in a draft, and a collector's claim.
		return s, fmt.Errorf("upload grace %s is too short: use 1h or more", s.FileGrace)
	}
	if cfg.WebhookRetryBase < 100*time.Millisecond || cfg.WebhookRetryBase > time.Hour {
		return s, fmt.Errorf("webhook retry base %s: use 100ms to 1h", cfg.WebhookRetryBase)
	}
	s.Webhooks.SetRetryBase(cfg.WebhookRetryBase)
	allow, err := webhook.ParseAllow(cfg.WebhookAllow)
	if err != nil {
		return s, err
	}
	s.Webhooks.Allow = allow
	var h, min int
	if _, err := fmt.Sscanf(strings.TrimSpace(cfg.CloseTime), "%d:%d", &h, &min); err != nil {
		return s, fmt.Errorf("close time %q: use HH:MM", cfg.CloseTime)
	}
	s.Calendar.CloseHour, s.Calendar.CloseMinute = h, min
	if err := s.Calendar.Validate(); err != nil {
		return s, fmt.Errorf("close time %q: %w", cfg.CloseTime, err)
	}
	return s, s.Validate()
}

// cliLogger is the quiet logger of one-shot commands: warnings and errors.
func (m *Main) cliLogger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// openCLI opens the database for a one-shot command, acting as the system.
func (m *Main) openCLI(ctx context.Context, cfg Config) (context.Context, *service.Service, error) {
	svc, err := m.open(ctx, cfg, clock.System{}, m.cliLogger())
	if err != nil {
		return ctx, nil, err
	}
	ctx = service.WithRequest(service.AsSystem(ctx), service.Request{ID: "cli", Channel: "cli"})
	return ctx, svc, nil
}
