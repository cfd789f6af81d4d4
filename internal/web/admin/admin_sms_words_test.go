package admin_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/onewindow/onewindow/internal/service"
)

// TestAdminSMSPageWords: the template page names each notice in words
// (no kind value such as "accept"), names who changed a template by name
// (the command line as 系统, never "system"), offers the queue reminder,
// and refuses an unknown kind with nothing saved.
func TestAdminSMSPageWords(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		admin := h.signIn(t, "admin")
		if _, err := h.svc.SaveSMSTemplate(service.AsSystem(t.Context()), service.SMSTemplateEdit{Kind: "accept", Body: "【某区】{{.Body}}"}); err != nil {
			t.Fatal(err)
		}
		p := admin.get("/admin/sms")
		p.want(t, http.StatusOK, "叫号提醒", "系统 于")
		p.wantNot(t, "<code>accept</code>", "<code>return</code>", "<code>queue_near</code>", "管理员 system")
		admin.post("/admin/sms", url.Values{"kind": {"nosuch"}, "template": {"x"}, "action": {"save"}}).
			want(t, http.StatusUnprocessableEntity, "没有这种通知")
		list, err := h.svc.SMSTemplates(asAdmin(t, h))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range list {
			if v.Kind != "accept" && v.Custom {
				t.Errorf("a refused save changed %s", v.Kind)
			}
		}
	})
}
