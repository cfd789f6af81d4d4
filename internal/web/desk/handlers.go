// Package desk holds the staff's desks: intake (综合受理), the department desk,
// pre-review and online intake, handover, issuance, one-thing bundles, case
// pages and prints, rectifications of bad ratings and the clerk's window
// console. Its routes are listed in routes.go; its templates are embedded
// beside it and rendered on the shared page kit.
package desk

import (
	"context"
	"embed"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/onewindow/onewindow/internal/casework"
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
	if barPages[name] {
		v.CallBar = h.callBar(r)
	}
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
	flashLinkKey      = page.FlashLinkKey
	flashLinkLabelKey = page.FlashLinkLabelKey
)

func (h *Handlers) deskError(w http.ResponseWriter, r *http.Request, title string, err error) {
	h.DeskError(w, r, title, err)
}

func (h *Handlers) rows(ctx context.Context, views []*service.CaseView) []caseRow {
	return h.Rows(ctx, views)
}

type caseRow = page.CaseRow

func barcodePNG(number string) (template.URL, error) { return page.BarcodePNG(number) }

func fieldID(field string) string { return page.FieldID(field) }

type fieldMessage = page.FieldMessage

func fmtTime(t time.Time, layout string) string { return page.FmtTime(t, layout) }

func intakeFromForm(code string, f url.Values) casework.Intake { return page.IntakeFromForm(code, f) }

type kioskCategory = page.KioskCategory

func materialsFromForm(f url.Values) ([]casework.MaterialInput, bool) {
	return page.MaterialsFromForm(f)
}

func partyFromForm(f url.Values, prefix string) casework.Party { return page.PartyFromForm(f, prefix) }

func progressLink(r *http.Request, number, code string) string {
	return page.ProgressLink(r, number, code)
}

func qrPNG(link string) (template.URL, error) { return page.QRPNG(link) }

func ratingLink(r *http.Request, number, code string) string { return page.RatingLink(r, number, code) }

func siteBase(r *http.Request) string { return page.SiteBase(r) }

func writeFile(w http.ResponseWriter, r *http.Request, h *Handlers, rc io.ReadCloser, f casework.FileRef) {
	page.WriteFile(w, r, h.Kit, rc, f)
}

func (h *Handlers) policyInForce(ctx context.Context) casework.Policy { return h.PolicyInForce(ctx) }
