package web

import "net/http"

// registerIntake mounts these pages; filled in by the workbench issue.
func (h *Handlers) registerIntake(mux *http.ServeMux) {}
