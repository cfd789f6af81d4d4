package hall

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/broadcast"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The hall's display board (叫号显示屏): a full-screen page for the hall's
// TV, public like the kiosk, fed by server-sent events.

// boardHeartbeat is how often an idle stream sends a comment, so that
// proxies and the browser keep it open.
const boardHeartbeat = 15 * time.Second

// boardWriteTimeout bounds each write to a board: the server's own
// WriteTimeout would end every stream after a minute.
const boardWriteTimeout = 30 * time.Second

// boardPage is the board's page.View.
type boardPage struct {
	Hall, HallName string
	NowMS          int64 // the server's clock (training mode included), for the board's clock
}

func (h *Handlers) board(w http.ResponseWriter, r *http.Request) {
	hall, err := h.svc.Board(r.Context(), r.PathValue("hall"))
	if err != nil {
		v := page.View{Title: "叫号显示"}
		h.Render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	h.Render(w, r, http.StatusOK, "board", page.View{Title: hall.Name + " 叫号显示", Data: boardPage{
		Hall: hall.Code, HallName: hall.Name, NowMS: h.svc.Now().UnixMilli(),
	}})
}

// boardEvents streams the hall's calls: on a first connection the recent
// ones as "history" (shown, not announced), after a reconnection those
// missed since Last-Event-ID as calls, then each new call at once, with a
// heartbeat comment every 15 s. It ends with the request, or when the hub
// drops it (too slow, or the server shutting down): the browser's
// EventSource then reconnects and catches up.
func (h *Handlers) boardEvents(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	after, _ := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	if after == 0 {
		after, _ = strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	}
	sub, past, err := h.svc.WatchBoard(ctx, r.PathValue("hall"), after)
	if err != nil {
		h.boardProblem(w, r, err)
		return
	}
	defer sub.Close()

	rc := http.NewResponseController(w)
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Accel-Buffering", "no") // no buffering in an nginx in front
	w.WriteHeader(http.StatusOK)

	send := func(chunk string) bool {
		// Errors other than "not supported" surface in the write below.
		_ = rc.SetWriteDeadline(time.Now().Add(boardWriteTimeout))
		if _, err := fmt.Fprint(w, chunk); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: 2000\n\n") {
		return
	}
	replayed := map[int64]bool{}
	kind := "history"
	if after > 0 {
		kind = "" // missed calls: announced like new ones
	}
	for _, ev := range past {
		replayed[ev.ID] = true
		if !send(boardMessage(kind, ev)) {
			return
		}
	}
	heartbeat := time.NewTicker(boardHeartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-sub.C:
			if !ok {
				return
			}
			if replayed[ev.ID] {
				continue
			}
			if !send(boardMessage("", ev)) {
				return
			}
		case <-heartbeat.C:
			if !send(": heartbeat\n\n") {
				return
			}
		}
	}
}

// boardMessage is one SSE message; an empty kind is the default "message".
func boardMessage(kind string, ev broadcast.Event) string {
	data, _ := json.Marshal(ev)
	if kind != "" {
		return fmt.Sprintf("event: %s\nid: %d\ndata: %s\n\n", kind, ev.ID, data)
	}
	return fmt.Sprintf("id: %d\ndata: %s\n\n", ev.ID, data)
}

// boardProblem answers a refused stream in plain text: an EventSource
// shows no page, and an unknown hall should not be retried forever (a
// non-200 answer stops it).
func (h *Handlers) boardProblem(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	switch apperr.CodeOf(err) {
	case apperr.NotFound:
		status = http.StatusNotFound
	case apperr.Invalid:
		status = http.StatusBadRequest
	case apperr.Locked:
		// A cap is full or the client opens too many: the board's script
		// tries again after Retry-After.
		status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", strconv.Itoa(problem.Seconds(apperr.RetryAfterOf(err))))
	default:
		if errors.Is(err, broadcast.ErrClosed) {
			status = http.StatusServiceUnavailable
		} else {
			h.log.Error("board stream", "err", err, "request_id", service.RequestFrom(r.Context()).ID)
		}
	}
	http.Error(w, apperr.MessageOf(err), status)
}
