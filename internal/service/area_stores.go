package service

// The narrow store interface of each area. *store.Store satisfies them
// all; a use case is unit tested with a fake that implements only what
// its area declares (area_fake_test.go).

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/internal/apiclient"
	"github.com/onewindow/onewindow/internal/applicant"
	"github.com/onewindow/onewindow/internal/bundle"
	"github.com/onewindow/onewindow/internal/calendar"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/catalog"
	"github.com/onewindow/onewindow/internal/network"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/store"
	"github.com/onewindow/onewindow/internal/supervision"
	"github.com/onewindow/onewindow/internal/webhook"
)

// accessStore is what Access needs of the store.
type accessStore interface {
	ClaimFormToken(ctx context.Context, key string, now, expires time.Time) (bool, error)
	FinishFormToken(ctx context.Context, key string, result []byte, now time.Time) error
	ReleaseFormToken(ctx context.Context, key string) error
	FormToken(ctx context.Context, key string, now time.Time) (result []byte, done bool, err error)
	ClearFailures(ctx context.Context, keys ...string) error
	CreateToken(ctx context.Context, t store.Token) error
	KnownDevice(ctx context.Context, hash, subject string, since time.Time) (bool, error)
	LockedUntil(ctx context.Context, now time.Time, keys ...string) (time.Time, error)
	LogSignIn(ctx context.Context, e store.SignIn) error
	RecordFailures(ctx context.Context, now time.Time, fs ...store.Failure) ([]time.Time, error)
	RememberDevice(ctx context.Context, hash, subject string, now time.Time) error
	RevokeToken(ctx context.Context, hash string) error
	SetPassword(ctx context.Context, userID int64, hash string) error
	UserByID(ctx context.Context, id int64) (*org.User, error)
	UserByToken(ctx context.Context, hash string, now time.Time) (*org.User, error)
	UserByUsername(ctx context.Context, username string) (*org.User, error)
}

// adminStore is what Admin needs of the store.
type adminStore interface {
	CalendarDays(ctx context.Context) ([]calendar.Override, error)
	ChangeDays(ctx context.Context, hallCode string, changes []store.DayChange, by string) error
	ClearFailuresOf(ctx context.Context, subject string) error
	CreateDepartment(ctx context.Context, d *org.Department) error
	CreateHall(ctx context.Context, h *org.Hall) error
	CreateUser(ctx context.Context, u *org.User) error
	CreateWindow(ctx context.Context, w *org.Window) error
	DeadlinePolicies(ctx context.Context) ([]casework.PublishedPolicy, error)
	DeadlinePolicy(ctx context.Context) (*casework.PublishedPolicy, error)
	Department(ctx context.Context, code string) (*org.Department, error)
	Departments(ctx context.Context) ([]org.Department, error)
	HallDays(ctx context.Context, hallCode string) ([]calendar.Override, error)
	Halls(ctx context.Context) ([]org.Hall, error)
	Item(ctx context.Context, code string) (*catalog.Item, error)
	ItemVersion(ctx context.Context, code string, version int) (*catalog.Item, error)
	ItemVersions(ctx context.Context, code string) ([]catalog.Item, error)
	Items(ctx context.Context, f store.ItemFilter) ([]catalog.Item, error)
	PublishDeadlinePolicy(ctx context.Context, p *casework.Policy, baseVersion int, note, by string) error
	SaveItem(ctx context.Context, it *catalog.Item, baseVersion int, by string) error
	SaveItems(ctx context.Context, edits []store.ItemEdit, by string) error
	SetPassword(ctx context.Context, userID int64, hash string) error
	SetUserActive(ctx context.Context, before *org.User, active bool) error
	UpdateUser(ctx context.Context, before, after *org.User) error
	UserByUsername(ctx context.Context, username string) (*org.User, error)
	Users(ctx context.Context) ([]org.User, error)
	Windows(ctx context.Context, hallCode string) ([]org.Window, error)
}

// clientsStore is what Clients needs of the store.
type clientsStore interface {
	APIClient(ctx context.Context, id int64) (*apiclient.Client, error)
	APIClientByKey(ctx context.Context, hash string) (*apiclient.Client, *apiclient.Key, error)
	APIClients(ctx context.Context, department string) ([]apiclient.Client, error)
	ClaimIdempotencyKey(ctx context.Context, key, fingerprint string, now, expires time.Time) (claimed bool, held string, err error)
	CreateAPIClient(ctx context.Context, c *apiclient.Client, k *apiclient.Key) error
	FinishIdempotencyKey(ctx context.Context, key string, result []byte, now time.Time) error
	IdempotencyKey(ctx context.Context, key string, now time.Time) (result []byte, done bool, claimedAt time.Time, err error)
	ReleaseIdempotencyKey(ctx context.Context, key string) error
	RevokeAPIClient(ctx context.Context, id int64, now time.Time, by string) error
	RotateAPIClientKey(ctx context.Context, k *apiclient.Key, oldUntil time.Time) error
	TouchAPIClientKey(ctx context.Context, keyID int64, now time.Time) error
	UserByUsername(ctx context.Context, username string) (*org.User, error)
}

// caseworkStore is what Casework needs of the store.
type caseworkStore interface {
	TripBatch(ctx context.Context, number string, cargo network.Cargo, trip int) (*network.Batch, error)
	Authorisations(ctx context.Context, accountID int64, agent string) ([]applicant.Authorisation, error)
	Bundle(ctx context.Context, number string) (*bundle.Bundle, error)
	BundleTemplate(ctx context.Context, code string) (*bundle.Template, error)
	BundleTemplates(ctx context.Context) ([]bundle.Template, error)
	Bundles(ctx context.Context, f store.BundleFilter) ([]bundle.Bundle, error)
	CacheVersions(ctx context.Context) (store.Versions, error)
	Case(ctx context.Context, number string) (*casework.Case, error)
	CaseDocuments(ctx context.Context, number string) ([]casework.Document, error)
	CaseEvents(ctx context.Context, number string) ([]casework.Event, error)
	Cases(ctx context.Context, f store.CaseFilter) ([]casework.Case, int, error)
	CasesByNumber(ctx context.Context, numbers []string) ([]casework.Case, error)
	CloseBundle(ctx context.Context, b *bundle.Bundle, now time.Time) error
	CreateBundle(ctx context.Context, b *bundle.Bundle, cases []*casework.Case, events []*casework.Event, draftID int64, opened store.OpenedFunc) error
	CreateIntakeAttempt(ctx context.Context, a *casework.IntakeAttempt) error
	DeadlinePolicy(ctx context.Context) (*casework.PublishedPolicy, error)
	Department(ctx context.Context, code string) (*org.Department, error)
	Departments(ctx context.Context) ([]org.Department, error)
	DeskCases(ctx context.Context, f store.DeskFilter) ([]casework.Case, error)
	ExpireAttempts(ctx context.Context, now time.Time, r store.Retention) (map[string]int64, error)
	Halls(ctx context.Context) ([]org.Hall, error)
	IntakeAttempt(ctx context.Context, id int64) (*casework.IntakeAttempt, error)
	IntakeAttempts(ctx context.Context, f store.IntakeAttemptFilter) ([]casework.IntakeAttempt, error)
	ItemVersion(ctx context.Context, code string, version int) (*catalog.Item, error)
	Items(ctx context.Context, f store.ItemFilter) ([]catalog.Item, error)
	LapsedCases(ctx context.Context, now time.Time, limit int) ([]string, error)
	LatestDocuments(ctx context.Context, numbers []string, kind casework.DocKind) (map[string]casework.Document, error)
	RecallApplicant(ctx context.Context, idNumber string) (*store.ApplicantRecall, error)
	SaveBundleTemplate(ctx context.Context, t *bundle.Template, by string, now time.Time) error
	TakeIn(ctx context.Context, c *casework.Case, ev *casework.Event, opened store.OpenedFunc, link *store.VisitLink) (*queue.Ticket, error)
	TakeInBundle(ctx context.Context, b *bundle.Bundle, cases []*casework.Case, events []*casework.Event, opened store.OpenedFunc, link *store.VisitLink) (*queue.Ticket, error)
	UpdateCase(ctx context.Context, number string, change store.ChangeFunc) (*casework.Case, error)
	UpdateCaseSteps(ctx context.Context, number string, changes ...store.ChangeFunc) (*casework.Case, error)
	UpdateCaseAtVisit(ctx context.Context, number string, change store.ChangeFunc, link *store.VisitLink) (*casework.Case, *queue.Ticket, error)
	UserNames(ctx context.Context, usernames []string) (map[string]string, error)
	Users(ctx context.Context) ([]org.User, error)
	VerifyChains(ctx context.Context) (*store.ChainReport, error)
}

// hallStore is what Hall needs of the store.
type hallStore interface {
	UserNames(ctx context.Context, usernames []string) (map[string]string, error)
	ActiveAppointmentOf(ctx context.Context, hall string, day calendar.Date, idNumber string) (*store.Appointment, error)
	AddConsultation(ctx context.Context, c *store.Consultation) error
	AppointmentByCode(ctx context.Context, hash string) (*store.Appointment, error)
	AppointmentByID(ctx context.Context, id int64) (*store.Appointment, error)
	AppointmentPlanOf(ctx context.Context, hall, category string) (store.AppointmentPlan, error)
	Appointments(ctx context.Context, hall string, day calendar.Date) ([]store.Appointment, error)
	AtWindow(ctx context.Context, hall, number string, now time.Time, change store.WindowChange) (*queue.Window, *queue.Ticket, error)
	CallNext(ctx context.Context, hall, number, actor string, now time.Time, check func(w *queue.Window, cur *queue.Ticket) error) (*queue.Window, *queue.Ticket, error)
	CancelAppointment(ctx context.Context, id int64, by string, check func(a *store.Appointment) error) (*store.Appointment, error)
	Cases(ctx context.Context, f store.CaseFilter) ([]casework.Case, int, error)
	Categories(ctx context.Context, hall string) ([]queue.Category, error)
	Category(ctx context.Context, hall, code string) (*queue.Category, error)
	ClaimAppointment(ctx context.Context, id int64, now time.Time) error
	Consultations(ctx context.Context, hall string, from, to time.Time) ([]store.Consultation, error)
	CreateAppointment(ctx context.Context, a *store.Appointment, capacity int, codeHash string) error
	CreateCategory(ctx context.Context, c *queue.Category) error
	CreateTicket(ctx context.Context, c *queue.Category, t *queue.Ticket, actor string) (int, error)
	CreateTicketFollow(ctx context.Context, ticketID int64, hash string, now time.Time) error
	FinishVisit(ctx context.Context, hall, number string, now time.Time, change store.WindowChange, pass store.VisitPass) (*queue.Window, *queue.Ticket, error)
	Halls(ctx context.Context) ([]org.Hall, error)
	LinkTicketCase(ctx context.Context, id int64, caseNumber, by string, change store.TicketChange) (*queue.Ticket, error)
	NoShows(ctx context.Context, idNumber string, now time.Time) (int, error)
	QueueSettings(ctx context.Context, hall string) (queue.Settings, error)
	QueueWindow(ctx context.Context, hall, number string) (*queue.Window, error)
	RatingRates(ctx context.Context, from, to time.Time, g rating.GroupBy) ([]rating.Rate, error)
	ReleaseAppointment(ctx context.Context, id int64) error
	SetAppointmentPlan(ctx context.Context, hall, category string, p store.AppointmentPlan, by string) error
	SetAppointmentTicket(ctx context.Context, id, ticketID int64) error
	SetQueueSettings(ctx context.Context, hall string, set queue.Settings, by string) error
	SetWindowCategories(ctx context.Context, hall, number string, cats []string) (*queue.Window, error)
	SlotsBooked(ctx context.Context, hall, category string, day calendar.Date) (map[string]int, error)
	TextTicket(ctx context.Context, m store.TicketText) (bool, error)
	TicketsToText(ctx context.Context, hall string, day calendar.Date) ([]store.TicketToText, error)
	Sums(ctx context.Context, q store.FigureQuery, metrics []supervision.Metric, prefix string) (map[string]map[supervision.Metric]int64, error)
	Ticket(ctx context.Context, id int64) (*queue.Ticket, int, error)
	TicketByFollow(ctx context.Context, hash string) (int64, error)
	TicketCases(ctx context.Context, id int64) ([]string, error)
	TicketEvents(ctx context.Context, id int64) ([]queue.TicketEvent, error)
	TicketRecords(ctx context.Context, hall string, from, to calendar.Date) ([]store.TicketRecord, error)
	UpdateTicket(ctx context.Context, id int64, change store.TicketChange) (*queue.Ticket, error)
	UpdateTicketNumbered(ctx context.Context, hall string, day calendar.Date, number string, change store.TicketChange) (*queue.Ticket, error)
	WaitingCounts(ctx context.Context, hall string, day calendar.Date) ([]queue.WaitingCount, error)
	Windows(ctx context.Context, hallCode string) ([]org.Window, error)
}

// onlineStore is what Online needs of the store.
type onlineStore interface {
	Account(ctx context.Context, id int64) (*applicant.Account, error)
	AccountByPhone(ctx context.Context, phone string) (*applicant.Account, error)
	AdoptUploads(ctx context.Context, files []store.Upload) (int, error)
	Authorisations(ctx context.Context, accountID int64, agent string) ([]applicant.Authorisation, error)
	BundleTemplate(ctx context.Context, code string) (*bundle.Template, error)
	Bundles(ctx context.Context, f store.BundleFilter) ([]bundle.Bundle, error)
	Case(ctx context.Context, number string) (*casework.Case, error)
	CaseNotifications(ctx context.Context, number string) ([]applicant.Notification, error)
	CaseRating(ctx context.Context, number string) (*rating.Rating, error)
	Cases(ctx context.Context, f store.CaseFilter) ([]casework.Case, int, error)
	ClaimUpload(ctx context.Context, key, claim string, cutoff, staleBefore, now time.Time) (bool, error)
	ClearFailuresOf(ctx context.Context, subject string) error
	CreateAccount(ctx context.Context, a *applicant.Account) error
	CreateAuthorisation(ctx context.Context, a *applicant.Authorisation) error
	DeleteDraft(ctx context.Context, id, accountID int64) error
	Draft(ctx context.Context, id, accountID int64) (*store.Draft, error)
	DraftFor(ctx context.Context, accountID int64, kind, code string) (*store.Draft, error)
	Drafts(ctx context.Context, accountID int64) ([]store.Draft, error)
	FilesListedThrough(ctx context.Context, blobs string) (int64, error)
	ForgetUpload(ctx context.Context, key, claim string) error
	NotificationsTo(ctx context.Context, accountID int64, phone string, limit int) ([]applicant.Notification, error)
	RecordUpload(ctx context.Context, u store.Upload, staleBefore time.Time) (bool, error)
	ReleaseUpload(ctx context.Context, key, claim string) error
	RevokeAuthorisation(ctx context.Context, id, accountID int64, now time.Time) error
	SaveCode(ctx context.Context, c applicant.Code, interval time.Duration) error
	SaveDraft(ctx context.Context, d *store.Draft, now time.Time, maxDrafts int) error
	SetFilesListedThrough(ctx context.Context, blobs string, day int64) error
	SubmitDraft(ctx context.Context, draftID, accountID int64, c *casework.Case, ev *casework.Event, opened store.OpenedFunc) error
	TicketsOf(ctx context.Context, idNumber string, limit int) ([]queue.Ticket, error)
	UpdateAccount(ctx context.Context, a *applicant.Account, now time.Time) error
	Upload(ctx context.Context, key string) (*store.Upload, error)
	UploadsToCollect(ctx context.Context, cutoff, staleBefore time.Time, limit int) ([]store.Upload, error)
	UseCode(ctx context.Context, phone string, purpose applicant.Purpose, check func(applicant.Code) error) error
	UserByUsername(ctx context.Context, username string) (*org.User, error)
	Users(ctx context.Context) ([]org.User, error)
}

// ratingsStore is what Ratings needs of the store.
type ratingsStore interface {
	AddToRating(ctx context.Context, id int64, a *rating.Addition) error
	ClearRatingPadPending(ctx context.Context, hall, window, token string) error
	CreateRating(ctx context.Context, r *rating.Rating, tokenHash string, x *rating.Rectification, ev *rating.RectificationEvent) error
	CreateVisitToken(ctx context.Context, t store.VisitToken) error
	Departments(ctx context.Context) ([]org.Department, error)
	PairRatingPad(ctx context.Context, hall, window, keyHash string, at time.Time, by string) error
	QueueWindow(ctx context.Context, hall, number string) (*queue.Window, error)
	Rating(ctx context.Context, id int64) (*rating.Rating, error)
	RatingPad(ctx context.Context, hall, window string) (*store.RatingPad, error)
	RatingRates(ctx context.Context, from, to time.Time, g rating.GroupBy) ([]rating.Rate, error)
	Rectification(ctx context.Context, id int64) (*rating.Rectification, error)
	Rectifications(ctx context.Context, f store.RectificationFilter) ([]rating.Rectification, error)
	SetRatingPadPending(ctx context.Context, hall, window, token string, expires time.Time) error
	UpdateRectification(ctx context.Context, id int64, change store.RectificationChange) (*rating.Rectification, error)
	UserNames(ctx context.Context, usernames []string) (map[string]string, error)
	VisitToken(ctx context.Context, hash string) (*store.VisitToken, error)
	Windows(ctx context.Context, hallCode string) ([]org.Window, error)
}

// messagesStore is what Messages needs of the store.
type messagesStore interface {
	Case(ctx context.Context, number string) (*casework.Case, error)
	CaseDocuments(ctx context.Context, number string) ([]casework.Document, error)
	CreateNoticeLink(ctx context.Context, l store.NoticeLink) error
	NoticeLinkByHash(ctx context.Context, hash string) (*store.NoticeLink, error)
	RecordDeliveryReceipt(ctx context.Context, id int64, status, detail string, at time.Time) error
	SMSTemplates(ctx context.Context) (map[string]store.SMSTemplate, error)
	SaveSMSTemplate(ctx context.Context, t store.SMSTemplate) error
	UserNames(ctx context.Context, usernames []string) (map[string]string, error)
}

// baseStore is what the shared caches (base) need of the store.
type baseStore interface {
	HallScope(ctx context.Context, hall string) (network.Scope, bool, error)
	CacheVersions(ctx context.Context) (store.Versions, error)
	CalendarDays(ctx context.Context) ([]calendar.Override, error)
	DeadlinePolicy(ctx context.Context) (*casework.PublishedPolicy, error)
	HallDays(ctx context.Context, hallCode string) ([]calendar.Override, error)
	Halls(ctx context.Context) ([]org.Hall, error)
	Item(ctx context.Context, code string) (*catalog.Item, error)
	TakeToken(ctx context.Context, key string, now time.Time, n int, per time.Duration) (time.Duration, error)
}

// networkStore is what Network needs of the store.
type networkStore interface {
	Case(ctx context.Context, number string) (*casework.Case, error)
	CreateBatch(ctx context.Context, b *network.Batch) error
	HallScopeVersions(ctx context.Context, hall string) ([]network.Scope, error)
	Items(ctx context.Context, f store.ItemFilter) ([]catalog.Item, error)
	PublishHallScope(ctx context.Context, sc *network.Scope, baseVersion int) error
	TransitBatch(ctx context.Context, number string) (*network.Batch, error)
	TransitBatches(ctx context.Context, f store.BatchFilter) ([]network.Batch, error)
	UpdateBatch(ctx context.Context, number string, change store.BatchChange) (*network.Batch, error)
	Users(ctx context.Context) ([]org.User, error)
	WaitingTrips(ctx context.Context, hall string) ([]store.Trip, error)
}

var (
	_ networkStore     = (*store.Store)(nil)
	_ accessStore      = (*store.Store)(nil)
	_ adminStore       = (*store.Store)(nil)
	_ caseworkStore    = (*store.Store)(nil)
	_ clientsStore     = (*store.Store)(nil)
	_ hallStore        = (*store.Store)(nil)
	_ onlineStore      = (*store.Store)(nil)
	_ ratingsStore     = (*store.Store)(nil)
	_ messagesStore    = (*store.Store)(nil)
	_ baseStore        = (*store.Store)(nil)
	_ supervisionStore = (*store.Store)(nil)
)

// integrationStore is what Integration needs of the store.
type integrationStore interface {
	Feed(ctx context.Context, q store.FeedQuery) ([]webhook.CaseEvent, error)
	FeedEnd(ctx context.Context) (string, error)
	CreateWebhook(ctx context.Context, w *webhook.Subscription) error
	Webhook(ctx context.Context, id int64) (*webhook.Subscription, error)
	Webhooks(ctx context.Context, department string) ([]webhook.Subscription, error)
	PausedWebhooks(ctx context.Context, department string) ([]webhook.Subscription, error)
	UpdateWebhook(ctx context.Context, w *webhook.Subscription) error
	DeleteWebhook(ctx context.Context, id int64, now time.Time) error
	WebhookDeliveries(ctx context.Context, subscription, before int64, limit int) ([]*webhook.Delivery, error)
	WebhookDelivery(ctx context.Context, id int64) (*webhook.Delivery, error)
	RedeliverWebhook(ctx context.Context, id int64, now time.Time) (*webhook.Delivery, error)
	ClaimWebhookDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit, maxAttempts int) ([]*webhook.Delivery, error)
	ReportWebhookDeliveries(ctx context.Context, now time.Time, outcomes []store.DeliveryOutcome, reason string) ([]int64, error)
	WebhookBacklog(ctx context.Context, now time.Time) (store.OutboxBacklog, error)
	Department(ctx context.Context, code string) (*org.Department, error)
}

// agentNetStore is what AgentNet needs of the store.
type agentNetStore interface {
	Account(ctx context.Context, id int64) (*applicant.Account, error)
	AddAgentLog(ctx context.Context, e *applicant.LogEntry) error
	AgentCasesDue(ctx context.Context, horizon time.Time, limit int) ([]casework.Case, error)
	AgentLog(ctx context.Context, accountID int64) ([]applicant.LogEntry, error)
	AgentReminders(ctx context.Context, agent string, limit int) ([]applicant.Reminder, error)
	AssignApplicant(ctx context.Context, a *applicant.Assignment, ended, started []applicant.Authorisation) error
	Assignments(ctx context.Context, accountID int64, team string) ([]applicant.Assignment, error)
	Authorisations(ctx context.Context, accountID int64, agent string) ([]applicant.Authorisation, error)
	Case(ctx context.Context, number string) (*casework.Case, error)
	Halls(ctx context.Context) ([]org.Hall, error)
	RecordReminder(ctx context.Context, r *applicant.Reminder) (bool, error)
	UserByUsername(ctx context.Context, username string) (*org.User, error)
	Users(ctx context.Context) ([]org.User, error)
}

var _ agentNetStore = (*store.Store)(nil)
