package hall

import "net/http"

// Routes mounts this package's pages on mux.
func (h *Handlers) Routes(mux *http.ServeMux) {
	// Sign-in, the staff home page, password change, the desk switcher and
	// the handbook:
	// account.go, home.go, catalog.go.
	mux.HandleFunc("GET /login", h.loginForm)
	mux.HandleFunc("POST /login", h.login)
	mux.HandleFunc("POST /logout", h.logout)
	mux.HandleFunc("GET /{$}", h.SignedIn(h.home))
	mux.HandleFunc("GET /password", h.SignedIn(h.passwordForm))
	mux.HandleFunc("POST /password", h.SignedIn(h.changePassword))
	mux.HandleFunc("POST /desk", h.SignedIn(h.switchDesk))
	mux.HandleFunc("GET /items", h.items)
	mux.HandleFunc("GET /items/{code}", h.item)

	// The ticket kiosk and a ticket's public page: kiosk.go.
	mux.HandleFunc("GET /kiosk/{hall}", h.kiosk)
	mux.HandleFunc("POST /kiosk/{hall}", h.kioskTake)
	mux.HandleFunc("GET /kiosk/{hall}/ticket/{id}", h.kioskTicket)
	mux.HandleFunc("GET /queue/ticket/{id}", h.followTicket)

	// Appointments: appointments.go.
	mux.HandleFunc("GET /appointments/{hall}", h.appointmentPage)
	mux.HandleFunc("POST /appointments/{hall}", h.appointmentBook)
	mux.HandleFunc("POST /appointments/{hall}/cancel", h.appointmentCancel)
	mux.HandleFunc("GET /appointments/{hall}/checkin", h.checkInPage)
	mux.HandleFunc("POST /appointments/{hall}/checkin", h.checkIn)
	mux.HandleFunc("GET /appointments/{hall}/bookings", h.SignedIn(h.hallBookings))
	mux.HandleFunc("POST /appointments/{hall}/bookings/{id}/cancel", h.SignedIn(h.cancelHallBooking))

	// The hall board: board.go.
	mux.HandleFunc("GET /board/{hall}", h.board)
	mux.HandleFunc("GET /board/{hall}/events", h.boardEvents)

	// Guidance (导办登记): guidance.go.
	mux.HandleFunc("GET /guidance", h.SignedIn(h.guidance))
	mux.HandleFunc("POST /guidance", h.SignedIn(h.guidanceRecord))

	// Progress look-up by check code: public.go.
	mux.HandleFunc("GET /progress", h.progress)
	// The public verification of electronic results: verify.go.
	mux.HandleFunc("GET /verify/{number}", h.verify)
	mux.HandleFunc("POST /verify/{number}", h.verifyCopy)

	// The rating pad (评价器) and online rating: ratingpages.go.
	mux.HandleFunc("GET /pad/{hall}/{window}", h.pad)
	mux.HandleFunc("GET /pad/{hall}/{window}/pending", h.padPending)
	mux.HandleFunc("POST /pad/{hall}/{window}/rate", h.padRate)
	mux.HandleFunc("POST /pad/{hall}/{window}/skip", h.padSkip)
	mux.HandleFunc("GET /pad/{hall}/{window}/setup", h.SignedIn(h.padSetupForm))
	mux.HandleFunc("POST /pad/{hall}/{window}/setup", h.SignedIn(h.padSetup))
	mux.HandleFunc("GET /rate/{number}", h.rateForm)
	mux.HandleFunc("POST /rate/{number}", h.rateCase)
	mux.HandleFunc("POST /rate/{number}/add", h.addToRating)
}
