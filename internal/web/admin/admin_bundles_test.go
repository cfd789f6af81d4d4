package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
)

// TestAdminBundles: the bureau admin edits a joint application as JSON; a
// cycle or broken JSON is refused with the reason and the text kept, and
// nothing is saved; a department admin may not open the page.
func TestAdminBundles(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		admin := h.signIn(t, "admin")
		admin.get("/admin").want(t, http.StatusOK, `href="/admin/bundles"`)
		admin.get("/admin/bundles").want(t, http.StatusOK, "YJS-CY", "开办餐饮店", "SCJG-DJ-001")
		admin.get("/admin/bundles?code=YJS-CY").want(t, http.StatusOK, "编辑 YJS-CY", "&#34;lead_department&#34;: &#34;SCJG&#34;")
		h.signIn(t, "bumen").get("/admin/bundles").want(t, http.StatusForbidden)

		const good = `{"code": "YJS-JZ", "name": "工地开工“一件事”", "lead_department": "CGJ", "promised_days": 5,
			"fields": [{"key": "site", "label": "工地地址", "required": true}],
			"members": [{"item_code": "CGJ-XK-001"}, {"item_code": "CGJ-XK-003", "after": ["CGJ-XK-001"]}]}`
		const cycle = `{"code": "YJS-JZ", "name": "工地开工“一件事”", "lead_department": "CGJ", "promised_days": 5, "fields": [],
			"members": [{"item_code": "CGJ-XK-001", "after": ["CGJ-XK-003"]}, {"item_code": "CGJ-XK-003", "after": ["CGJ-XK-001"]}]}`
		admin.post("/admin/bundles", url.Values{"template": {cycle}}).want(t, http.StatusUnprocessableEntity, "成环", "CGJ-XK-003")
		admin.post("/admin/bundles", url.Values{"template": {`{"code": "YJS-JZ",`}}).want(t, http.StatusUnprocessableEntity, "JSON 格式有误")
		if _, err := h.svc.BundleTemplate(context.Background(), "YJS-JZ"); err == nil {
			t.Fatal("a refused template was saved")
		}
		admin.post("/admin/bundles", url.Values{"template": {good}}).want(t, http.StatusSeeOther)
		tpl, err := h.svc.BundleTemplate(context.Background(), "YJS-JZ")
		if err != nil || len(tpl.Members) != 2 || tpl.Members[1].After[0] != "CGJ-XK-001" {
			t.Fatalf("saved template %+v, %v", tpl, err)
		}
	})
}
