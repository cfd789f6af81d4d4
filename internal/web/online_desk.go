package web

import "net/http"

// registerOnlineDesk mounts the staff side of online applications, bundles
// and agents.
func (h *Handlers) registerOnlineDesk(mux *http.ServeMux) {}
