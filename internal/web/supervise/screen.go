package supervise

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/onewindow/onewindow/internal/clock"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// The hall's big screen (大屏, 1920×1080): today's intake, cases in
// progress, red and yellow warnings, satisfaction and the queue. Public
// like the display board (counts only). Its script listens to the board's
// stream (/board/{hall}/events) and fetches the figures again on every
// call, and every minute when the hall is quiet.

// screenData is the big screen's figures as drawn.
type screenData struct {
	*service.HallScreen
	SatisfactionText string
}

func screenOf(s *service.HallScreen) screenData {
	return screenData{HallScreen: s, SatisfactionText: pct(s.Satisfaction)}
}

func (h *Handlers) screen(w http.ResponseWriter, r *http.Request) {
	s, err := h.svc.HallScreen(r.Context(), r.PathValue("hall"))
	if err != nil {
		v := page.View{Title: "大厅大屏"}
		h.Render(w, r, h.FormError(r, &v, err), "error", v)
		return
	}
	h.Render(w, r, http.StatusOK, "screen", page.View{Title: s.HallName + " 政务服务大屏", Data: screenOf(s)})
}

// screenFigures answers the figures as JSON for the screen's script.
func (h *Handlers) screenFigures(w http.ResponseWriter, r *http.Request) {
	s, err := h.svc.HallScreen(r.Context(), r.PathValue("hall"))
	if err != nil {
		v := page.View{}
		status := h.FormError(r, &v, err)
		http.Error(w, v.Error, status)
		return
	}
	d := screenOf(s)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(map[string]string{
		"intakes": strconv.FormatInt(s.Intakes, 10), "in_progress": strconv.Itoa(s.InProgress),
		"red": strconv.Itoa(s.Red), "yellow": strconv.Itoa(s.Yellow), "satisfaction": d.SatisfactionText,
		"ratings": strconv.Itoa(s.Ratings), "waiting": strconv.Itoa(s.Waiting),
		"at": s.At.In(clock.Shanghai).Format("15:04:05"),
	})
}
