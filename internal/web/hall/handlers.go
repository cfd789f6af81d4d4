// Package hall holds the hall's public and front-of-house pages: sign-in,
// the staff's home page and password change, the handbook (办事指南), progress
// look-up, the ticket kiosk, the hall board, appointments, guidance (导办) and
// the rating pad and online rating. Its routes are listed in routes.go; its
// templates are embedded beside it and rendered on the shared page kit.
package hall

import (
	"embed"
	"log/slog"

	"github.com/alexedwards/scs/v2"

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
