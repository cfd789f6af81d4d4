package desk

import "net/http"

// Routes mounts this package's pages on mux.
func (h *Handlers) Routes(mux *http.ServeMux) {
	// Case search and case pages: cases.go.
	mux.HandleFunc("GET /cases", h.signedIn(h.searchCases))
	mux.HandleFunc("GET /cases/{number}", h.signedIn(h.casePage))
	mux.HandleFunc("POST /cases/{number}/finish-instant", h.signedIn(h.finishInstant))
	mux.HandleFunc("POST /cases/{number}/{action}", h.signedIn(h.caseAction))
	// A special procedure's finish carries its attachments: procedures.go.
	mux.HandleFunc("POST /cases/{number}/finish-procedure", h.signedIn(h.finishProcedure))

	// The department and issuance desks and handover: desks.go.
	mux.HandleFunc("GET /dept", h.signedIn(h.deptDesk))
	mux.HandleFunc("GET /issuance", h.signedIn(h.issuanceDesk))
	mux.HandleFunc("POST /issuance/mail", h.signedIn(h.issuanceMail))
	mux.HandleFunc("GET /handover", h.signedIn(h.handoverPage))
	mux.HandleFunc("POST /handover", h.signedIn(h.signHandovers))
	mux.HandleFunc("GET /handover/print", h.signedIn(h.printHandovers))

	// Intake (综合受理): intake.go.
	mux.HandleFunc("GET /intake", h.signedIn(h.intakeSearch))
	mux.HandleFunc("GET /intake/check-id", h.intakeJSON(h.checkID))
	mux.HandleFunc("GET /intake/recall", h.intakeJSON(h.recallApplicant))
	mux.HandleFunc("GET /intake/notices", h.signedIn(h.intakeNotices))
	mux.HandleFunc("GET /intake/notices/{id}/print", h.signedIn(h.printOneTimeNotice))
	mux.HandleFunc("GET /intake/{code}", h.signedIn(h.intakeForm))
	mux.HandleFunc("POST /intake/{code}", h.signedIn(h.takeIn))
	mux.HandleFunc("POST /intake/{code}/notice", h.signedIn(h.giveOneTimeNotice))

	// Pre-review, online intake and one-thing bundles: online_desk.go, bundle_desk.go.
	mux.HandleFunc("GET /dept/prereview", h.signedIn(h.prereviewDesk))
	mux.HandleFunc("GET /cases/{number}/files/{sha}", h.signedIn(h.caseFileDownload))
	mux.HandleFunc("GET /intake/online", h.signedIn(h.onlineIntakePage))
	mux.HandleFunc("POST /intake/online", h.signedIn(h.completeOnlineIntake))
	mux.HandleFunc("GET /intake/bundles", h.signedIn(h.bundleTemplatesPage))
	mux.HandleFunc("GET /intake/bundles/{code}", h.signedIn(h.windowBundleForm))
	// The form posts to /intake/bundles, its template in a field: a path
	// /intake/bundles/{code} would clash with /intake/{code}/notice.
	mux.HandleFunc("POST /intake/bundles", h.signedIn(h.takeInBundle))
	mux.HandleFunc("GET /bundles", h.signedIn(h.bundlesDesk))
	mux.HandleFunc("GET /bundles/{number}", h.signedIn(h.bundleDesk))
	mux.HandleFunc("GET /bundles/{number}/print", h.signedIn(h.printBundleReceipt))

	// Prints of a case's documents: print.go.
	mux.HandleFunc("GET /cases/{number}/print/{index}", h.signedIn(h.printDocument))

	// The clerk's window console: queuepages.go.
	mux.HandleFunc("GET /window", h.signedIn(h.windowConsole))
	mux.HandleFunc("POST /window/{number}/{action}", h.signedIn(h.windowAct))

	// Rectifications of bad ratings (差评整改): rectifications.go.
	mux.HandleFunc("GET /rectifications", h.signedIn(h.rectifications))
	mux.HandleFunc("GET /rectifications/{id}", h.signedIn(h.rectification))
	mux.HandleFunc("POST /rectifications/{id}/{action}", h.signedIn(h.actOnRectification))
}
