// Package service holds OneWindow's use cases, one file each. The JSON API,
// the pages and the command line all call them; they check who may act,
// apply the domain rules and write through the store.
package service

import (
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/broadcast"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/outbox"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/store"
)

// Config holds the settings the use cases follow.
type Config struct {
	TokenTTL      time.Duration     // how long an API token lives
	LockoutLimit  int               // failed sign-ins that lock a username
	LockoutWindow time.Duration     // failures older than this are forgotten
	LockoutFor    time.Duration     // how long a lock lasts
	Calendar      calendar.Settings // closing time, 12:00 split, handover hours, warnings
	Rating        rating.Settings   // addition period, rectification working days, visit token lifetime
	Uploads       blob.Limits       // size and content types of uploaded files
	Limits        Limits            // what one client, key or node may ask for: limits.go
	Notifications outbox.Settings   // how the notification outbox is sent: batches, concurrency, back-off
	MaxDrafts     int               // drafts (item and joint applications) one applicant account may keep
	MaxDraftFiles int               // files one draft may hold
	// FileGrace is how long an uploaded file that no case or draft
	// references is kept after it arrived, before CollectFiles deletes it.
	FileGrace time.Duration
}

// DefaultConfig returns the settings DESIGN.md gives as defaults.
func DefaultConfig() Config {
	return Config{
		TokenTTL:      12 * time.Hour,
		LockoutLimit:  5,
		LockoutWindow: 15 * time.Minute,
		LockoutFor:    15 * time.Minute,
		Calendar:      calendar.DefaultSettings(),
		Rating:        rating.DefaultSettings(),
		Uploads:       blob.DefaultLimits(),
		Limits:        DefaultLimits(),
		Notifications: outbox.DefaultSettings(),
		MaxDrafts:     20,
		MaxDraftFiles: 50,
		FileGrace:     24 * time.Hour,
	}
}

// Service runs the use cases.
type Service struct {
	store *store.Store
	clock clock.Clock
	log   *slog.Logger
	cfg   Config

	// Caches of what changes rarely, checked against the database's
	// counters on every use so that an edit on any node counts at once.
	cacheMu        sync.Mutex
	calVersion     int64              // the calendar counter the calendar was read at
	cal            *calendar.Calendar // the district calendar
	catalogVersion int64              // the catalog counter the items were read at
	items          map[string]*catalog.Item
	// searchIndex is the intake desk's search index of the catalog, rebuilt
	// when the catalog counter moves.
	searchIndex atomic.Pointer[itemIndex]
	board       atomic.Pointer[broadcast.Hub] // the display boards' hub, see board.go

	blobs    blob.Store                             // uploaded files; nil refuses uploads
	sender   notify.Sender                          // verification codes and notifications
	notifier *outbox.Dispatcher[store.Notification] // sends the notification outbox, see notifications.go

	sv *Supervision // supervision and assessment: supervision.go

	guard *guard       // this node's own limits: limits.go
	work  passwordWork // argon2id computations done: hashing.go
}

// New returns a Service on st. It panics on settings Config's checks
// refuse (the command checks them first: see Config.Validate).
func New(st *store.Store, clk clock.Clock, log *slog.Logger, cfg Config) *Service {
	s := &Service{store: st, clock: clk, log: log, cfg: cfg, sender: notify.NewLog(log), guard: newGuard(cfg.Limits)}
	notifier, err := s.newNotifier(outbox.Config[store.Notification]{Settings: cfg.Notifications})
	if err != nil {
		panic("service: " + err.Error())
	}
	s.notifier = notifier
	st.OnEnqueued(store.NotificationOutbox, s.nudgeNotifications)
	s.sv = newSupervision(st, clk, s.cachedCalendar)
	st.UseFoldEnv(s.sv.foldEnv)
	return s
}

// Validate checks the settings New cannot run with.
func (c Config) Validate() error {
	if err := c.Notifications.Validate(); err != nil {
		return fmt.Errorf("notifications: %w", err)
	}
	return nil
}

// Use sets where uploaded files are kept and how messages are sent (the
// logging sender until told otherwise).
func (s *Service) Use(blobs blob.Store, sender notify.Sender) {
	if blobs != nil {
		s.blobs = blobs
	}
	if sender != nil {
		s.sender = sender
	}
}

// Sender returns the message sender (the demo reads the logging sender's
// last codes from it).
func (s *Service) Sender() notify.Sender { return s.sender }

// Now returns the service's clock reading.
func (s *Service) Now() time.Time { return s.clock.Now() }

// Config returns the settings.
func (s *Service) Config() Config { return s.cfg }
