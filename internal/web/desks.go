package web

import "net/http"

// registerDesks mounts these pages; filled in by the workbench issue.
func (h *Handlers) registerDesks(mux *http.ServeMux) {}
