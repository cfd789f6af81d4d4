package server

import "net/http"

// noSuchPage answers page requests no route serves with the pages' own
// Chinese 404 and 405 (render), instead of the router's English text; the
// API's addresses keep their problem+json answers.
func noSuchPage(mux *http.ServeMux, render func(http.ResponseWriter, *http.Request, int)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" || isAPI(r) {
			mux.ServeHTTP(w, r)
			return
		}
		// The router's own answer says which: 404, or 405 with Allow.
		rec := &headerOnly{header: http.Header{}}
		mux.ServeHTTP(rec, r)
		if allow := rec.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		render(w, r, rec.status)
	})
}

// headerOnly keeps a response's header and status and drops its body.
type headerOnly struct {
	header http.Header
	status int
}

func (w *headerOnly) Header() http.Header { return w.header }

func (w *headerOnly) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *headerOnly) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return len(b), nil
}
