package online

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
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
	p = page.LocalPath(p, "/my")
	if p != "/my" && !strings.HasPrefix(p, "/my/") {
		return "/my"
	}
	return p
}

// message returns what a page may say of err, logging internal errors.
func (h *Handlers) message(r *http.Request, err error) string {
	p := problem.From(err)
	if p.Code == apperr.Internal {
		h.log.Error("online hall", "err", err, "request_id", h.RequestID(r))
	}
	return p.Detail
}

// myFail renders the online hall's error page for err.
func (h *Handlers) myFail(w http.ResponseWriter, r *http.Request, title string, err error) {
	v := page.View{Title: title}
	h.Render(w, r, h.FormError(r, &v, err), "my_error", v)
}
