// Package online holds the applicant's online hall (网上办事大厅): accounts,
// online applications and drafts, their cases, one-thing bundles and agent
// authorisations; and the agents' desk (代办). Its routes are listed in
// routes.go; its templates are embedded beside it and rendered on the shared
// page kit.
package online

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

func writeFile(w http.ResponseWriter, r *http.Request, h *Handlers, rc io.ReadCloser, f casework.FileRef) {
	page.WriteFile(w, r, h.Kit, rc, f)
}
