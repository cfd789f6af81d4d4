package admin

import "net/http"

// Routes mounts this package's pages on mux.
func (h *Handlers) Routes(mux *http.ServeMux) {
	// Administration (issue 4, item 9): admin*.go.
	mux.HandleFunc("GET /admin", h.signedIn(h.adminIndex))

	mux.HandleFunc("GET /admin/items", h.signedIn(h.adminItems))
	mux.HandleFunc("GET /admin/items/new", h.signedIn(h.newItemForm))
	mux.HandleFunc("POST /admin/items", h.signedIn(h.createItem))
	mux.HandleFunc("GET /admin/items/{code}/edit", h.signedIn(h.editItemForm))
	mux.HandleFunc("POST /admin/items/{code}", h.signedIn(h.updateItem))
	mux.HandleFunc("GET /admin/items/{code}/versions", h.signedIn(h.itemVersions))
	mux.HandleFunc("GET /admin/items/{code}/versions/{version}", h.signedIn(h.itemVersion))

	mux.HandleFunc("GET /admin/calendar", h.signedIn(h.adminCalendar))
	mux.HandleFunc("POST /admin/calendar/day", h.signedIn(h.changeDay))
	mux.HandleFunc("GET /admin/policy", h.signedIn(h.adminPolicy))
	mux.HandleFunc("POST /admin/policy", h.signedIn(h.publishPolicy))

	mux.HandleFunc("GET /admin/halls", h.signedIn(h.adminHalls))
	mux.HandleFunc("POST /admin/halls", h.signedIn(h.addHall))
	mux.HandleFunc("POST /admin/windows", h.signedIn(h.addWindow))
	mux.HandleFunc("GET /admin/departments", h.signedIn(h.adminDepartments))
	mux.HandleFunc("POST /admin/departments", h.signedIn(h.addDepartment))

	mux.HandleFunc("GET /admin/users", h.signedIn(h.adminUsers))
	mux.HandleFunc("POST /admin/users", h.signedIn(h.addUser))
	mux.HandleFunc("GET /admin/users/{username}", h.signedIn(h.adminUser))
	mux.HandleFunc("POST /admin/users/{username}", h.signedIn(h.updateUser))
	mux.HandleFunc("POST /admin/users/{username}/active", h.signedIn(h.setUserActive))
	mux.HandleFunc("POST /admin/users/{username}/password", h.signedIn(h.resetPassword))

	// One-thing bundle templates: admin_bundles.go.
	mux.HandleFunc("GET /admin/bundles", h.signedIn(h.adminBundles))
	mux.HandleFunc("POST /admin/bundles", h.signedIn(h.saveAdminBundle))

	// Queue categories, windows and rules: queue.go.
	mux.HandleFunc("GET /admin/queue", h.signedIn(h.queueAdmin))
	mux.HandleFunc("POST /admin/queue/categories", h.signedIn(h.queueAdminCreate))
	mux.HandleFunc("POST /admin/queue/windows/{number}", h.signedIn(h.queueAdminWindow))
	mux.HandleFunc("POST /admin/queue/settings", h.signedIn(h.queueAdminSettings))

	// Queue figures (排队统计): figures.go.
	mux.HandleFunc("GET /queue/figures", h.signedIn(h.queueFigures))
}
