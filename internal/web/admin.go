package web

import "net/http"

// registerAdmin mounts these pages; filled in by the workbench issue.
func (h *Handlers) registerAdmin(mux *http.ServeMux) {}
