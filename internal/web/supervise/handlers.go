// Package supervise holds the supervision pages (督查考核): the
// supervisor's home with the indicators by department, their trend and
// bars as server-drawn SVG, the drill-down from every number to its cases,
// the satisfaction tables, the supervision notices (督办单) and the hall's
// big screen (大屏). The pages call the same service use cases as
// /api/v1/supervision; its routes are listed in routes.go and its
// templates are embedded beside it and rendered on the shared page kit.
package supervise

import (
	"embed"
	"log/slog"
	"net/http"

	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

//go:embed templates
var templateFS embed.FS

// Handlers serves the pages of this package.
type Handlers struct {
	*page.Renderer
	svc *service.Service
	log *slog.Logger
}

// New parses the package's templates on kit; a broken one is an error
// here, at start.
func New(kit *page.Kit) (*Handlers, error) {
	p, err := kit.Parse(templateFS)
	if err != nil {
		return nil, err
	}
	return &Handlers{Renderer: p, svc: kit.Svc, log: kit.Log}, nil
}

// fail answers a refused page request: the error page for a refusal of
// the whole page, name (with the messages) otherwise.
func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, name string, v page.View, err error) {
	status := h.FormError(r, &v, err)
	if status == http.StatusForbidden || status == http.StatusUnauthorized || status == http.StatusNotFound || status >= 500 {
		name = "error"
	}
	h.Render(w, r, status, name, v)
}
