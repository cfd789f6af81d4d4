package page

import "net/http"

// Routes mounts the static files every page links to.
func (h *Kit) Routes(mux *http.ServeMux) {
	mux.Handle("GET /static/", http.FileServerFS(staticFS))
}
