package hall_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestPadPairedByTheWindowsClerk: the clerk signed in at a window pairs
// its rating pad from the tablet (the window console shows the way); a
// colleague not signed in at that window is refused with the reason, and
// the page names the hall, not its code.
func TestPadPairedByTheWindowsClerk(t *testing.T) {
	eachHall(t, start, func(t *testing.T, h *hall) {
		h.withQueue(t)
		if _, err := h.svc.Resume(h.as["shouli"], "JC-ZWZX", "A03"); err != nil {
			t.Fatal(err)
		}
		clerk := h.signIn(t, "shouli")
		clerk.get("/window?w=A03").want(t, http.StatusOK, `id="pad-pairing"`, `href="`+padPath+`/setup"`)

		other := h.signIn(t, "chujian")
		other.get("/window?w=A03").wantNot(t, `id="pad-pairing"`)
		p := other.post(padPath+"/setup", url.Values{})
		p.want(t, http.StatusForbidden, "只有在A03窗口登录的工作人员（或系统管理员）可以配置该窗口的评价器")

		tablet := h.signIn(t, "shouli")
		p = tablet.get(padPath + "/setup")
		p.want(t, http.StatusOK, "江川区政务服务中心 <strong>A03</strong> 窗口的评价器")
		p.wantNot(t, "JC-ZWZX</code>")
		p = tablet.post(padPath+"/setup", url.Values{})
		if p.status != http.StatusSeeOther || p.location != padPath {
			t.Fatalf("the clerk pairs the pad: %d → %q\n%s", p.status, p.location, p.body)
		}
		tablet.get(padPath).want(t, http.StatusOK, "欢迎您")
	})
}
