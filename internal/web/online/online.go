package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/service"
)

// The applicant's online hall (网上办事大厅) under /my: an account signed
// in with phone and password applies for items online with electronic
// materials, keeps drafts, follows its cases, corrects a failed
// pre-review, rates the service, authorises agents and applies for joint
// applications (一件事). Every flow is a plain form; nothing changes on GET.
//
// Uploads are read part by part (see readUploads), each file streamed to
// the service as it arrives, never whole into memory, so that the service
// sees each file's name as the browser sent it and refuses a name with a
// path. A draft holds an item application's files; a joint application's
// form, delivery and files are a draft too, one per template (the service
// keeps both in the database, where the files they hold are referenced).

func (h *Handlers) registerOnline(mux *http.ServeMux) {
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

// applicant sends visitors without an applicant session (a staff session
// included) to the online hall's sign-in page, and back afterwards.
func (h *Handlers) applicant(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if service.AccountFrom(r.Context()) == nil {
			to := "/my/login"
			if r.Method == http.MethodGet && r.URL.Path != "/my" && r.URL.Path != "/my/" {
				to += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}

// myNext is where to go after signing in: a page of the online hall.
func myNext(p string) string {
	p = localPath(p, "/my")
	if p != "/my" && !strings.HasPrefix(p, "/my/") {
		return "/my"
	}
	return p
}

// message returns what a page may say of err, logging internal errors.
func (h *Handlers) message(r *http.Request, err error) string {
	p := problem.From(err)
	if p.Code == apperr.Internal {
		h.log.Error("online hall", "err", err, "request_id", h.requestID(r))
	}
	return p.Detail
}

// myFail renders the online hall's error page for err.
func (h *Handlers) myFail(w http.ResponseWriter, r *http.Request, title string, err error) {
	v := view{Title: title}
	h.render(w, r, h.formError(r, &v, err), "my_error", v)
}
