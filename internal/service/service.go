// Package service holds OneWindow's use cases, one file each. The JSON API,
// the pages and the command line all call them; they check who may act,
// apply the domain rules and write through the store.
package service

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/blob"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/notify"
	"github.com/onewindow/onewindow/internal/org"
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
	Webhooks      WebhookSettings   // how webhooks are sent: back-off, giving up, allowed private networks
	Messages      MessageSettings   // text messages: the public URL of their links, receipts: sms_templates.go
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
		Webhooks:      DefaultWebhookSettings(),
		Messages:      DefaultMessageSettings(),
		MaxDrafts:     20,
		MaxDraftFiles: 50,
		FileGrace:     24 * time.Hour,
	}
}

// Service runs the use cases. It is the composition root of the areas:
// each area (Casework, Hall, Online, Ratings, Admin, Access, Clients,
// Supervision, Ledgers) holds the narrow store interface it uses (areas.go) and the
// areas it calls; Service embeds them so that the API, the pages and the
// command line call every use case on one value.
type Service struct {
	*base
	*Casework
	*Hall
	*Online
	*Ratings
	*Admin
	*Access
	*Clients
	*Integration
	*Messages
	*Network
	*AgentNet

	store *store.Store
	sv    *Supervision // supervision and assessment: supervision.go

	backlogs []BacklogSource // outboxes besides the notifications', for the metrics: metrics_snapshot.go
}

// base is what every area shares: the clock, the logger, the settings,
// the caches of what changes rarely and the senders.
type base struct {
	store baseStore
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
	hallsVersion   int64            // the halls counter the last refresh read
	halls          []org.Hall       // every hall, as of hallsVersion; nil: not read
	policyVersion  int64            // the deadline policy counter the last refresh read
	policy         *casework.Policy // the policy in force, as of policyVersion; nil: not read

	blobs    blob.Store                                 // uploaded files; nil refuses uploads
	sender   notify.Sender                              // verification codes and notifications
	notifier *outbox.Dispatcher[applicant.Notification] // sends the notification outbox, see notifications.go

	guard *guard // this node's own limits: limits.go

	metrics Observer // counts for the metrics: observer.go
}

// New returns a Service on st. It panics on settings Config's checks
// refuse (the command checks them first: see Config.Validate).
func New(st *store.Store, clk clock.Clock, log *slog.Logger, cfg Config) *Service {
	b := &base{store: st, clock: clk, log: log, cfg: cfg, sender: notify.NewLog(log), guard: newGuard(cfg.Limits), metrics: noObserver{}}
	s := &Service{base: b, store: st}
	s.Casework = &Casework{base: b, store: st}
	s.Hall = &Hall{base: b, store: st}
	s.Online = &Online{base: b, store: st}
	s.Ratings = &Ratings{base: b, store: st}
	s.Admin = &Admin{base: b, store: st}
	s.Access = &Access{base: b, store: st}
	s.Clients = &Clients{base: b, store: st}
	s.Messages = &Messages{base: b, store: st}
	s.Network = &Network{base: b, store: st}
	s.AgentNet = &AgentNet{base: b, store: st, online: s.Online}
	s.Casework.access, s.Casework.hall, s.Casework.online = s.Access, s.Hall, s.Online
	s.Casework.agents = s.AgentNet
	s.Hall.ratings = s.Ratings
	s.Online.access, s.Online.cases = s.Access, s.Casework
	s.Ratings.cases = s.Casework
	s.Access.cases = s.Casework
	s.Integration = newIntegration(b, st)
	s.Messages.cases = s.Casework

	notifier, err := s.newNotifier(outbox.Config[applicant.Notification]{Settings: cfg.Notifications})
	if err != nil {
		panic("service: " + err.Error())
	}
	b.notifier = notifier
	st.OnEnqueued(store.NotificationOutbox, s.nudgeNotifications)
	s.sv = newSupervision(st, clk, s.cachedCalendar)
	s.Casework.sv = s.sv
	st.UseFoldEnv(s.sv.foldEnv)
	return s
}

// Validate checks the settings New cannot run with.
func (c Config) Validate() error {
	if err := c.Notifications.Validate(); err != nil {
		return fmt.Errorf("notifications: %w", err)
	}
	if err := c.Webhooks.Outbox.Validate(); err != nil {
		return fmt.Errorf("webhooks: %w", err)
	}
	if c.Messages.LinkTTL <= 0 {
		return fmt.Errorf("messages: the notice links' lifetime must be positive")
	}
	if u := c.Messages.PublicURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return fmt.Errorf("public URL %q: write it as https://host", u)
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

// Training reports whether the service runs in the training mode (serve
// --now): pages show a banner and printed documents a watermark.
func (s *Service) Training() bool { return clock.Training(s.clock) }

// Config returns the settings.
func (s *Service) Config() Config { return s.cfg }
