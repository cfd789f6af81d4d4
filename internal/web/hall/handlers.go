// Package hall holds the hall's public and front-of-house pages: sign-in,
// the staff's home page and password change, the handbook (办事指南), progress
// look-up, the ticket kiosk, the hall board, appointments, guidance (导办) and
// the rating pad and online rating. Its routes are listed in routes.go; its
// templates are embedded beside it and rendered on the shared page kit.
package hall

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/alexedwards/scs/v2"

	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/rating"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

//go:embed templates
var templateFS embed.FS

// Handlers serves the pages of this package.
type Handlers struct {
	*page.Renderer
	svc      *service.Service
	sessions *scs.SessionManager
	log      *slog.Logger
	pages    map[string]*template.Template
}

// New parses the package's templates on kit; a broken one is an error
// here, at start.
func New(kit *page.Kit) (*Handlers, error) {
	p, err := kit.Parse(templateFS)
	if err != nil {
		return nil, err
	}
	return &Handlers{Renderer: p, svc: kit.Svc, sessions: kit.Sessions, log: kit.Log, pages: p.Pages()}, nil
}

// The kit's names as the handlers here call them.

type view = page.View

func (h *Handlers) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	h.Render(w, r, status, name, v)
}

func (h *Handlers) formError(r *http.Request, v *view, err error) int { return h.FormError(r, v, err) }

func (h *Handlers) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	h.Redirect(w, r, to, flash)
}

func (h *Handlers) signedIn(next http.HandlerFunc) http.HandlerFunc { return h.SignedIn(next) }

func (h *Handlers) requestID(r *http.Request) string { return h.RequestID(r) }

func localPath(p, fallback string) string { return page.LocalPath(p, fallback) }

const (
	sessionPasswordKey = page.SessionPasswordKey
	sessionUserKey     = page.SessionUserKey
)

func (h *Handlers) hallNamed(r *http.Request, code string) (org.Hall, error) {
	return h.HallNamed(r, code)
}

func (h *Handlers) rows(ctx context.Context, views []*service.CaseView) []caseRow {
	return h.Rows(ctx, views)
}

type caseRow = page.CaseRow

type levelChoice = page.LevelChoice

func passwordFingerprint(u *org.User) string { return page.PasswordFingerprint(u) }

func qrPNG(link string) (template.URL, error) { return page.QRPNG(link) }

func ratingChoices(form url.Values) ([]levelChoice, []tagChoice) { return page.RatingChoices(form) }

func ratingInput(form url.Values, ch rating.Channel) rating.Input { return page.RatingInput(form, ch) }

func siteBase(r *http.Request) string { return page.SiteBase(r) }

type tagChoice = page.TagChoice

type kioskCategory = page.KioskCategory
