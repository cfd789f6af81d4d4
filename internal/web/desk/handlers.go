// Package desk holds the staff's desks: intake (综合受理), the department desk,
// pre-review and online intake, handover, issuance, one-thing bundles, case
// pages and prints, rectifications of bad ratings and the clerk's window
// console. Its routes are listed in routes.go; its templates are embedded
// beside it and rendered on the shared page kit.
package desk

import (
	"embed"
	"io"
	"log/slog"
	"net/http"

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
	pages    map[string]*page.Template
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

func (h *Handlers) render(w http.ResponseWriter, r *http.Request, status int, name string, v page.View) {
	if barPages[name] {
		v.CallBar = h.callBar(r)
	}
	h.Render(w, r, status, name, v)
}

func writeFile(w http.ResponseWriter, r *http.Request, h *Handlers, rc io.ReadCloser, f casework.FileRef) {
	page.WriteFile(w, r, h.Kit, rc, f)
}
