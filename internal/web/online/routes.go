package online

import "net/http"

// Routes mounts this package's pages on mux.
func (h *Handlers) Routes(mux *http.ServeMux) {
	// The agents' desk (代办): agent_desk.go.
	mux.HandleFunc("GET /agent", h.SignedIn(h.agentDesk))
	mux.HandleFunc("GET /agent/cases/{number}", h.SignedIn(h.agentCase))
	mux.HandleFunc("GET /agent/apply", h.SignedIn(h.agentApplyForm))
	mux.HandleFunc("POST /agent/apply", h.SignedIn(h.agentApply))
	// The agents' network: agent_work.go.
	mux.HandleFunc("GET /agent/work", h.SignedIn(h.agentWork))
	mux.HandleFunc("GET /agent/applicants/{account}", h.SignedIn(h.agentApplicant))
	mux.HandleFunc("POST /agent/applicants/{account}/log", h.SignedIn(h.agentAddLog))
	mux.HandleFunc("GET /agent/team", h.SignedIn(h.agentTeam))
	mux.HandleFunc("POST /agent/team/assign", h.SignedIn(h.agentAssign))

	// The online hall (网上办事大厅): online*.go.
	mux.HandleFunc("GET /my/login", h.myLoginForm)
	mux.HandleFunc("POST /my/login", h.myLogin)
	mux.HandleFunc("GET /my/register", h.myRegisterForm)
	mux.HandleFunc("POST /my/register", h.myRegister)
	mux.HandleFunc("GET /my/reset", h.myResetForm)
	mux.HandleFunc("POST /my/reset", h.myReset)
	mux.HandleFunc("POST /my/code", h.mySendCode)
	mux.HandleFunc("POST /my/logout", h.myLogout)

	mux.HandleFunc("GET /my", h.applicant(h.myHome))
	mux.HandleFunc("GET /my/{$}", h.applicant(h.myHome))
	mux.HandleFunc("GET /my/profile", h.applicant(h.myProfileForm))
	mux.HandleFunc("POST /my/profile", h.applicant(h.myProfile))

	mux.HandleFunc("GET /my/apply", h.applicant(h.myApplyList))
	mux.HandleFunc("GET /my/apply/{code}", h.applicant(h.myApplyForm))
	mux.HandleFunc("GET /my/drafts", h.applicant(h.myDrafts))
	mux.HandleFunc("GET /my/drafts/{id}", h.applicant(h.myDraftForm))
	mux.HandleFunc("POST /my/drafts/{id}", h.applicant(h.mySaveDraft))
	mux.HandleFunc("POST /my/drafts/{id}/files", h.applicant(h.myUpload))
	mux.HandleFunc("POST /my/drafts/{id}/files/delete", h.applicant(h.myRemoveFile))
	mux.HandleFunc("POST /my/drafts/{id}/submit", h.applicant(h.mySubmit))
	mux.HandleFunc("POST /my/drafts/{id}/delete", h.applicant(h.myDeleteDraft))

	mux.HandleFunc("GET /my/cases/{number}", h.applicant(h.myCase))
	mux.HandleFunc("POST /my/cases/{number}/resubmit", h.applicant(h.myResubmit))
	mux.HandleFunc("POST /my/cases/{number}/withdraw", h.applicant(h.myWithdraw))
	mux.HandleFunc("POST /my/cases/{number}/rate", h.applicant(h.myRate))
	mux.HandleFunc("GET /my/cases/{number}/documents/{index}", h.applicant(h.myDocument))

	mux.HandleFunc("GET /my/agents", h.applicant(h.myAgents))
	mux.HandleFunc("POST /my/agents", h.applicant(h.myAuthorise))
	mux.HandleFunc("POST /my/agents/{id}/revoke", h.applicant(h.myRevoke))

	mux.HandleFunc("GET /my/bundles", h.applicant(h.myBundles))
	// /my/bundles/{code}/apply and /my/bundles/view/{number} overlap for
	// ServeMux ("/my/bundles/view/apply"); one pattern serves both. A
	// template code is upper case, so "view" is never one.
	mux.HandleFunc("GET /my/bundles/{code}/{page}", h.applicant(h.myBundlePage))
	mux.HandleFunc("POST /my/bundles/{code}/apply", h.applicant(h.myBundleApply))

	mux.HandleFunc("GET /my/files/drafts/{id}/{sha}", h.applicant(h.myDraftFile))
	mux.HandleFunc("GET /my/files/cases/{number}/{sha}", h.applicant(h.myCaseFile))
}
