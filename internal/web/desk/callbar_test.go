package desk_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestCallBarOnTheIntakePage: a clerk at a window has the window's calling
// bar on top of the intake pages; its buttons answer the bar's background
// post with the message and the bar redrawn (the form being filled is not
// left), and without script they come back to the page they were on.
func TestCallBarOnTheIntakePage(t *testing.T) {
	eachHall(t, queueStart, func(t *testing.T, h *hall) {
		h.withQueue(t)
		kiosk := h.browser(t)
		takeAtKiosk(t, kiosk, url.Values{"category": {"A"}})
		takeAtKiosk(t, kiosk, url.Values{"category": {"A"}})

		clerk := h.signIn(t, "shouli")
		clerk.get("/intake").wantNot(t, `id="callbar"`) // at no window yet
		clerk.follow(t, "/window/A01/resume", nil)
		clerk.get("/intake").want(t, http.StatusOK, `id="callbar"`, "A01 窗口", "当前无号", `action="/window/A01/call"`, "callbar.js")

		// The bar's background post: JSON, the bar redrawn with the ticket.
		req, _ := http.NewRequest(http.MethodPost, h.url+"/window/A01/call", strings.NewReader(url.Values{"back": {"/intake/SCJG-XK-001"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		res := clerk.do(req)
		var out struct{ Flash, Error, Bar string }
		if err := json.Unmarshal([]byte(res.body), &out); err != nil || res.status != http.StatusOK {
			t.Fatalf("bar post: %d %q (%v)", res.status, res.body, err)
		}
		if !strings.Contains(out.Flash, "已叫号 A001") || !strings.Contains(out.Bar, "<strong>A001</strong>") || !strings.Contains(out.Bar, `action="/window/A01/recall"`) {
			t.Errorf("bar answer: %+v", out)
		}
		// A refusal comes back in the same shape, with the reason.
		req, _ = http.NewRequest(http.MethodPost, h.url+"/window/A01/finish", strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		res = clerk.do(req)
		if err := json.Unmarshal([]byte(res.body), &out); err != nil || res.status != http.StatusConflict || out.Error == "" {
			t.Errorf("finishing a called ticket: %d %+v", res.status, out)
		}

		// Without script: the post comes back to the page it came from.
		p := clerk.follow(t, "/window/A01/start", url.Values{"back": {"/intake/SCJG-XK-001"}})
		p.want(t, http.StatusOK, "开始办理 A001", "收件：食品经营许可", "办理中", `action="/window/A01/finish"`)
		// Back never leaves the site.
		r := clerk.post("/window/A01/finish", url.Values{"back": {"https://evil.example/"}})
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/window?w=A01") {
			t.Errorf("an outside back: %d → %q", r.status, r.location)
		}
	})
}
