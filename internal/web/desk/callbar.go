package desk

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/org"
	"github.com/onewindow/onewindow/internal/problem"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
)

// barPages are the desk pages a clerk at a window works on while serving a
// ticket: the calling bar stays on top of them.
var barPages = map[string]bool{"intake": true, "intake_form": true, "issuance": true, "desk_online_intake": true,
	"desk_bundle_form": true, "case": true}

// callBar returns the calling bar of the window the clerk works at (the
// one last used in this session), or nil for someone at no window.
func (h *Handlers) callBar(r *http.Request) *page.CallBar {
	ctx := r.Context()
	u := service.UserFrom(ctx)
	if u == nil || !u.Role.Sees(org.WorkWindow) || h.sessions == nil {
		return nil
	}
	number := h.sessions.GetString(ctx, sessionWindowKey)
	if number == "" {
		return nil
	}
	wv, err := h.svc.QueueWindow(ctx, u.HallCode, number)
	if err != nil {
		return nil // the console says why; the desk page goes on without the bar
	}
	back := r.URL.Path
	if r.URL.RawQuery != "" {
		back += "?" + r.URL.RawQuery
	}
	return page.NewCallBar(wv, back)
}

// wantsJSON reports whether the request is the calling bar's background
// post.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// barReply answers the calling bar's background post: the message, or the
// refusal, and the bar redrawn.
func (h *Handlers) barReply(w http.ResponseWriter, r *http.Request, hall, number, flash string, err error) {
	out := struct {
		Flash string `json:"flash,omitempty"`
		Error string `json:"error,omitempty"`
		Bar   string `json:"bar,omitempty"`
	}{Flash: flash}
	status := http.StatusOK
	if err != nil {
		out.Error = apperr.MessageOf(err)
		status = problem.Status(apperr.CodeOf(err)) // the one code → status table, as the console's own refusals

	}
	if wv, qerr := h.svc.QueueWindow(r.Context(), hall, number); qerr == nil {
		var buf bytes.Buffer
		if t := h.pages["intake"]; t != nil && t.ExecuteTemplate(&buf, "callbar", page.NewCallBar(wv, page.LocalPath(r.PostFormValue("back"), ""))) == nil {
			out.Bar = buf.String()
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(out)
}
