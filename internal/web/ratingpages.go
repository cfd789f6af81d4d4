package web

import "net/http"

// registerRatingPages mounts these pages (issue 5).
func (h *Handlers) registerRatingPages(mux *http.ServeMux) {}
