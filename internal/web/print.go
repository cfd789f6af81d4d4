package web

import "net/http"

// registerPrint mounts these pages; filled in by the workbench issue.
func (h *Handlers) registerPrint(mux *http.ServeMux) {}
