// Package admin holds the administrators' pages: the catalog, the calendar,
// halls, departments, users, bundles and queue settings; and the
// supervisors' queue figures (排队统计); the supervision pages are web/supervise's. Its routes are listed in routes.go; its
// templates are embedded beside it and rendered on the shared page kit.
package admin

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

// navItem is one tab of the admin pages.
type navItem struct {
	Href, Label string
}
