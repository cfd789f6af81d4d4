package desk

import "net/http"

// Routes mounts this package's pages on mux.
func (h *Handlers) Routes(mux *http.ServeMux) {
	// Case search and case pages: cases.go.
	mux.HandleFunc("GET /cases", h.SignedIn(h.searchCases))
	mux.HandleFunc("GET /cases/{number}", h.SignedIn(h.casePage))
	mux.HandleFunc("POST /cases/{number}/finish-instant", h.SignedIn(h.finishInstant))
	mux.HandleFunc("POST /cases/{number}/{action}", h.SignedIn(h.caseAction))
	// A special procedure's finish carries its attachments: procedures.go.
	mux.HandleFunc("POST /cases/{number}/finish-procedure", h.SignedIn(h.finishProcedure))
	// A result with its PDF, and scans of materials: electronic.go.
	mux.HandleFunc("POST /cases/{number}/submit-result", h.SignedIn(h.submitResult))
	mux.HandleFunc("POST /cases/{number}/materials/files", h.SignedIn(h.attachScans))

	// The department and issuance desks and handover: desks.go.
	mux.HandleFunc("GET /dept", h.SignedIn(h.deptDesk))
	mux.HandleFunc("GET /issuance", h.SignedIn(h.issuanceDesk))
	mux.HandleFunc("POST /issuance/mail", h.SignedIn(h.issuanceMail))
	mux.HandleFunc("GET /handover", h.SignedIn(h.handoverPage))
	mux.HandleFunc("POST /handover", h.SignedIn(h.signHandovers))
	mux.HandleFunc("GET /handover/print", h.SignedIn(h.printHandovers))

	// Paper that travels between halls in batches: transit.go.
	mux.HandleFunc("GET /transit", h.SignedIn(h.transitPage))
	mux.HandleFunc("POST /transit/batches", h.SignedIn(h.prepareBatch))
	mux.HandleFunc("GET /transit/batches/{number}", h.SignedIn(h.batchPage))
	mux.HandleFunc("GET /transit/batches/{number}/print", h.SignedIn(h.printBatch))
	mux.HandleFunc("POST /transit/batches/{number}/sign-out", h.SignedIn(h.signOutBatch))
	mux.HandleFunc("POST /transit/batches/{number}/sign-in", h.SignedIn(h.signInBatch))

	// The street's initial review (委托初审): initial_review.go.
	mux.HandleFunc("GET /initial-review", h.SignedIn(h.initialReviewPage))

	// Intake (综合受理): intake.go.
	mux.HandleFunc("GET /intake", h.SignedIn(h.intakeSearch))
	mux.HandleFunc("GET /intake/check-id", h.intakeJSON(h.checkID))
	mux.HandleFunc("GET /intake/recall", h.intakeJSON(h.recallApplicant))
	mux.HandleFunc("GET /intake/notices", h.SignedIn(h.intakeNotices))
	mux.HandleFunc("GET /intake/notices/{id}/print", h.SignedIn(h.printOneTimeNotice))
	mux.HandleFunc("GET /intake/{code}", h.SignedIn(h.intakeForm))
	mux.HandleFunc("POST /intake/{code}", h.SignedIn(h.takeIn))
	mux.HandleFunc("POST /intake/{code}/notice", h.SignedIn(h.giveOneTimeNotice))

	// Pre-review, online intake and one-thing bundles: online_desk.go, bundle_desk.go.
	mux.HandleFunc("GET /dept/prereview", h.SignedIn(h.prereviewDesk))
	mux.HandleFunc("GET /cases/{number}/files/{sha}", h.SignedIn(h.caseFileDownload))
	mux.HandleFunc("GET /intake/online", h.SignedIn(h.onlineIntakePage))
	mux.HandleFunc("POST /intake/online", h.SignedIn(h.completeOnlineIntake))
	mux.HandleFunc("GET /intake/bundles", h.SignedIn(h.bundleTemplatesPage))
	mux.HandleFunc("GET /intake/bundles/{code}", h.SignedIn(h.windowBundleForm))
	// The form posts to /intake/bundles, its template in a field: a path
	// /intake/bundles/{code} would clash with /intake/{code}/notice.
	mux.HandleFunc("POST /intake/bundles", h.SignedIn(h.takeInBundle))
	mux.HandleFunc("GET /bundles", h.SignedIn(h.bundlesDesk))
	mux.HandleFunc("GET /bundles/{number}", h.SignedIn(h.bundleDesk))
	mux.HandleFunc("GET /bundles/{number}/print", h.SignedIn(h.printBundleReceipt))

	// Prints of a case's documents: print.go.
	mux.HandleFunc("GET /cases/{number}/print/{index}", h.SignedIn(h.printDocument))
	// A text message's link to its notice, for the applicant without
	// signing in: notice_link.go.
	mux.HandleFunc("GET /n/{code}", h.noticeLink)

	// The clerk's window console: queuepages.go.
	mux.HandleFunc("GET /window", h.SignedIn(h.windowConsole))
	mux.HandleFunc("POST /window/{number}/{action}", h.SignedIn(h.windowAct))

	// Rectifications of bad ratings (差评整改): rectifications.go.
	mux.HandleFunc("GET /rectifications", h.SignedIn(h.rectifications))
	mux.HandleFunc("GET /rectifications/{id}", h.SignedIn(h.rectification))
	mux.HandleFunc("POST /rectifications/{id}/{action}", h.SignedIn(h.actOnRectification))
}
