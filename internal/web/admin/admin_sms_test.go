package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/onewindow/onewindow/internal/service"
)

// TestAdminSMSTemplates: the bureau admin previews a template on a sample
// notice with its length, saves it, and resets it; a broken template is
// refused with the reason and the text kept; a clerk may not open the page.
func TestAdminSMSTemplates(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		admin := h.signIn(t, "admin")
		admin.get("/admin").want(t, http.StatusOK, `href="/admin/sms"`)
		admin.get("/admin/sms").want(t, http.StatusOK, "退回补正", "默认模板", "【一窗通】您申请的「食品经营许可」", "一条短信")
		h.signIn(t, "shouli").get("/admin/sms").want(t, http.StatusForbidden)

		const mine = "【某区政务服务】{{.Number}} 已受理，详询 12345。"
		admin.post("/admin/sms", url.Values{"kind": {"accept"}, "template": {mine}, "action": {"preview"}}).
			want(t, http.StatusOK, "预览：", "【某区政务服务】20261202000001 已受理，详询 12345。", "一条短信")
		admin.post("/admin/sms", url.Values{"kind": {"accept"}, "template": {"{{.Number"}, "action": {"save"}}).
			want(t, http.StatusUnprocessableEntity, "模板写法有误", "{{.Number")
		if list, _ := h.svc.SMSTemplates(asAdmin(t, h)); custom(list, "accept") {
			t.Fatal("a refused template was saved")
		}
		admin.post("/admin/sms", url.Values{"kind": {"accept"}, "template": {mine}, "action": {"save"}}).want(t, http.StatusSeeOther)
		list, err := h.svc.SMSTemplates(asAdmin(t, h))
		if err != nil || !custom(list, "accept") {
			t.Fatalf("not saved: %v", err)
		}
		admin.get("/admin/sms").want(t, http.StatusOK, "刘志强", "恢复默认")
		admin.post("/admin/sms", url.Values{"kind": {"accept"}, "template": {mine}, "action": {"reset"}}).want(t, http.StatusSeeOther)
		if list, _ := h.svc.SMSTemplates(asAdmin(t, h)); custom(list, "accept") {
			t.Error("reset kept the template")
		}
	})
}

func custom(list []service.SMSTemplateView, kind string) bool {
	for _, v := range list {
		if v.Kind == kind {
			return v.Custom
		}
	}
	return false
}

func asAdmin(t *testing.T, h *hall) context.Context {
	t.Helper()
	ctx, ok := h.as["admin"]
	if !ok {
		t.Fatal("no admin session")
	}
	return ctx
}
