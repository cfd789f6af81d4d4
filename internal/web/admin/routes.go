package admin

import "net/http"

// Routes mounts this package's pages on mux.
func (h *Handlers) Routes(mux *http.ServeMux) {
	// Administration (issue 4, item 9): admin*.go.
	mux.HandleFunc("GET /admin", h.SignedIn(h.adminIndex))

	mux.HandleFunc("GET /admin/items", h.SignedIn(h.adminItems))
	mux.HandleFunc("GET /admin/items/new", h.SignedIn(h.newItemForm))
	mux.HandleFunc("POST /admin/items", h.SignedIn(h.createItem))
	mux.HandleFunc("GET /admin/items/{code}/edit", h.SignedIn(h.editItemForm))
	mux.HandleFunc("POST /admin/items/{code}", h.SignedIn(h.updateItem))
	mux.HandleFunc("GET /admin/items/{code}/versions", h.SignedIn(h.itemVersions))
	mux.HandleFunc("GET /admin/items/{code}/versions/{version}", h.SignedIn(h.itemVersion))

	mux.HandleFunc("GET /admin/calendar", h.SignedIn(h.adminCalendar))
	mux.HandleFunc("POST /admin/calendar/day", h.SignedIn(h.changeDay))
	mux.HandleFunc("GET /admin/policy", h.SignedIn(h.adminPolicy))
	mux.HandleFunc("POST /admin/policy", h.SignedIn(h.publishPolicy))

	mux.HandleFunc("GET /admin/halls", h.SignedIn(h.adminHalls))
	mux.HandleFunc("POST /admin/halls", h.SignedIn(h.addHall))
	mux.HandleFunc("GET /admin/halls/{code}/scope", h.SignedIn(h.hallScope))
	mux.HandleFunc("POST /admin/halls/{code}/scope", h.SignedIn(h.publishScope))
	mux.HandleFunc("POST /admin/windows", h.SignedIn(h.addWindow))
	mux.HandleFunc("GET /admin/departments", h.SignedIn(h.adminDepartments))
	mux.HandleFunc("POST /admin/departments", h.SignedIn(h.addDepartment))

	mux.HandleFunc("GET /admin/users", h.SignedIn(h.adminUsers))
	mux.HandleFunc("POST /admin/users", h.SignedIn(h.addUser))
	mux.HandleFunc("GET /admin/users/{username}", h.SignedIn(h.adminUser))
	mux.HandleFunc("POST /admin/users/{username}", h.SignedIn(h.updateUser))
	mux.HandleFunc("POST /admin/users/{username}/active", h.SignedIn(h.setUserActive))
	mux.HandleFunc("POST /admin/users/{username}/password", h.SignedIn(h.resetPassword))

	// Department systems (API clients) and their keys: admin_clients.go.
	mux.HandleFunc("GET /admin/clients", h.SignedIn(h.adminClients))
	mux.HandleFunc("POST /admin/clients", h.SignedIn(h.addClient))
	mux.HandleFunc("POST /admin/clients/{id}/rotate", h.SignedIn(h.rotateClientKey))
	mux.HandleFunc("POST /admin/clients/{id}/revoke", h.SignedIn(h.revokeClient))

	// One-thing bundle templates: admin_bundles.go.
	mux.HandleFunc("GET /admin/bundles", h.SignedIn(h.adminBundles))
	mux.HandleFunc("POST /admin/bundles", h.SignedIn(h.saveAdminBundle))

	// Text message templates: admin_sms.go.
	mux.HandleFunc("GET /admin/sms", h.SignedIn(h.adminSMS))
	mux.HandleFunc("POST /admin/sms", h.SignedIn(h.saveAdminSMS))

	// Queue categories, windows and rules: queue.go.
	mux.HandleFunc("GET /admin/queue", h.SignedIn(h.queueAdmin))
	mux.HandleFunc("POST /admin/queue/categories", h.SignedIn(h.queueAdminCreate))
	mux.HandleFunc("POST /admin/queue/windows/{number}", h.SignedIn(h.queueAdminWindow))
	mux.HandleFunc("POST /admin/queue/settings", h.SignedIn(h.queueAdminSettings))

	// Webhook subscriptions and their delivery logs: admin_webhooks.go.
	mux.HandleFunc("GET /admin/webhooks", h.SignedIn(h.adminWebhooks))
	mux.HandleFunc("POST /admin/webhooks", h.SignedIn(h.createWebhook))
	mux.HandleFunc("GET /admin/webhooks/{id}", h.SignedIn(h.adminWebhook))
	mux.HandleFunc("POST /admin/webhooks/{id}/{action}", h.SignedIn(h.webhookAction))
	mux.HandleFunc("POST /admin/webhooks/deliveries/{id}/redeliver", h.SignedIn(h.redeliver))

	// Queue figures (排队统计): figures.go.
	mux.HandleFunc("GET /queue/figures", h.SignedIn(h.queueFigures))
}
