package web

import "net/http"

// registerOnline mounts the applicant's online hall (网上办事大厅) under /my.
func (h *Handlers) registerOnline(mux *http.ServeMux) {}
