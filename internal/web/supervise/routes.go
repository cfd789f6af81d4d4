package supervise

import "net/http"

// Routes mounts this package's pages on mux.
func (h *Handlers) Routes(mux *http.ServeMux) {
	// The supervisor's home and its drill-downs: home.go, drill.go.
	mux.HandleFunc("GET /supervision", h.SignedIn(h.home))
	mux.HandleFunc("GET /supervision/cases", h.SignedIn(h.drill))
	// The per-hall figures (各大厅) and their case lists: halls.go.
	mux.HandleFunc("GET /supervision/halls", h.SignedIn(h.halls))
	mux.HandleFunc("GET /supervision/halls/cases", h.SignedIn(h.hallCases))
	// The satisfaction tables (好差评监督统计): ratings.go.
	mux.HandleFunc("GET /supervision/ratings", h.SignedIn(h.ratings))

	// The monthly bulletin (督查通报), printed or as a workbook: bulletin.go.
	mux.HandleFunc("GET /supervision/bulletin", h.SignedIn(h.bulletin))

	// The ledgers (台账) as pages and their exports: ledgers.go.
	mux.HandleFunc("GET /supervision/ledgers", h.SignedIn(h.ledgers))
	mux.HandleFunc("GET /supervision/ledgers/{kind}", h.SignedIn(h.ledgers))

	// Supervision notices (督办单): notices.go.
	mux.HandleFunc("GET /supervision/notices", h.SignedIn(h.notices))
	mux.HandleFunc("GET /supervision/notices/new", h.SignedIn(h.newNotice))
	mux.HandleFunc("POST /supervision/notices", h.SignedIn(h.openNotice))
	mux.HandleFunc("GET /supervision/notices/{id}", h.SignedIn(h.notice))
	mux.HandleFunc("POST /supervision/notices/{id}/reply", h.SignedIn(h.replyNotice))

	// The hall's big screen (大屏), public like the display board: screen.go.
	mux.HandleFunc("GET /screen/{hall}", h.screen)
	mux.HandleFunc("GET /screen/{hall}/figures", h.screenFigures)
}
