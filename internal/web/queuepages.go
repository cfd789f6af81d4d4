package web

import "net/http"

// registerQueuePages mounts these pages (issue 5).
func (h *Handlers) registerQueuePages(mux *http.ServeMux) {}
