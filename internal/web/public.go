package web

import "net/http"

// registerPublic mounts these pages; filled in by the workbench issue.
func (h *Handlers) registerPublic(mux *http.ServeMux) {}
