package page

import (
	"context"
	"net/http"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/casework"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/queue"
	"github.com/onewindow/onewindow/internal/service"
)

// The helpers that pages of several audiences share.

// RequestID is the id of the request, for the log.
func (h *Kit) RequestID(r *http.Request) string { return service.RequestFrom(r.Context()).ID }

// DeskError renders err on the error page under title.
func (h *Kit) DeskError(w http.ResponseWriter, r *http.Request, title string, err error) {
	v := View{Title: title}
	h.own.Render(w, r, h.FormError(r, &v, err), "error", v)
}

// HallNamed returns the hall with code, or not found.
func (h *Kit) HallNamed(r *http.Request, code string) (org.Hall, error) {
	halls, err := h.Svc.Halls(r.Context())
	if err != nil {
		return org.Hall{}, err
	}
	for _, x := range halls {
		if x.Code == code {
			return x, nil
		}
	}
	return org.Hall{}, apperr.New(apperr.NotFound, "没有大厅 %s", code)
}

// KioskCategory is a queue category with how many wait in it: on the
// kiosk and on the window console.
type KioskCategory struct {
	queue.Category
	Waiting int
}

// PolicyInForce returns the deadline policy new cases take now, for the
// words of a page; if it cannot be read, the error is logged and the page
// states the default policy's limits.
func (h *Kit) PolicyInForce(ctx context.Context) casework.Policy {
	p, err := h.Svc.DeadlinePolicy(ctx)
	if err != nil {
		h.Log.Error("deadline policy", "err", err, "request_id", service.RequestFrom(ctx).ID)
		return casework.DefaultPolicy()
	}
	return p.Policy
}
