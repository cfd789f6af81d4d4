package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/onewindow/onewindow/internal/service"
)

// keyShown finds a client key on a page.
var keyShown = regexp.MustCompile(`owc_[a-z2-7]{52}`)

func TestAdminClients(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		admin := h.signIn(t, "admin")
		admin.get("/admin/clients").want(t, http.StatusOK, "还没有接口客户端", "添加接口客户端")

		add := url.Values{"name": {"食品许可审批系统"}, "department": {"SCJG"}, "rate": {"60"}}
		p := admin.post("/admin/clients", add)
		p.want(t, http.StatusUnprocessableEntity, `value="食品许可审批系统"`)
		p.wantNear(t, `</fieldset>`, "至少授予一项权限范围")

		add["scopes"] = []string{"cases:read", "cases:act"}
		p = admin.post("/admin/clients", add)
		p.want(t, http.StatusOK, "已添加接口客户端：食品许可审批系统", "密钥只显示这一次", "江川区市场监督管理局", "查看本部门办件、代审查人员办理本部门办件", "从未使用")
		key := keyShown.FindString(p.body)
		if key == "" {
			t.Fatalf("no key shown:\n%s", p.body)
		}
		ctx := context.Background()
		a, err := h.svc.AuthenticateClient(ctx, key, "", false)
		if err != nil || a.Client.Name != "食品许可审批系统" || a.Client.RatePerMinute != 60 {
			t.Fatalf("the key shown opens %+v, %v", a, err)
		}
		// The key is shown once: the list never shows it again.
		list := admin.get("/admin/clients")
		list.want(t, http.StatusOK, "食品许可审批系统", key[:12]+"…")
		list.wantNot(t, key)

		// A department admin sees and manages their own department's only.
		gh, err := h.svc.AddAPIClient(service.AsSystem(ctx), service.NewClient{Name: "规划审批系统", Department: "GHZY", Scopes: "cases:read"})
		if err != nil {
			t.Fatal(err)
		}
		bumen := h.signIn(t, "bumen")
		own := bumen.get("/admin/clients")
		own.want(t, http.StatusOK, "食品许可审批系统")
		own.wantNot(t, "规划审批系统")
		bumen.post("/admin/clients", url.Values{"name": {"越权系统"}, "department": {"GHZY"}, "scopes": {"cases:read"}}).
			want(t, http.StatusForbidden, "只能管理本部门的接口客户端")
		bumen.post("/admin/clients/"+itoa(gh.Client.ID)+"/revoke", url.Values{}).want(t, http.StatusForbidden)

		// Rotation: a new key, the old one kept for the overlap.
		id := itoa(a.Client.ID)
		p = bumen.post("/admin/clients/"+id+"/rotate", url.Values{"overlap": {"1h"}})
		p.want(t, http.StatusOK, "换发新密钥", "密钥只显示这一次")
		next := keyShown.FindString(p.body)
		if next == "" || next == key {
			t.Fatalf("rotation showed %q", next)
		}
		for _, k := range []string{key, next} {
			if _, err := h.svc.AuthenticateClient(ctx, k, "", false); err != nil {
				t.Errorf("within the overlap: %v", err)
			}
		}
		bumen.follow(t, "/admin/clients/"+id+"/revoke", url.Values{}).want(t, http.StatusOK, "已吊销接口客户端“食品许可审批系统”", "吊销")
		if _, err := h.svc.AuthenticateClient(ctx, next, "", false); err == nil {
			t.Error("a revoked client's key still opens the API")
		}
		h.signIn(t, "shouli").get("/admin/clients").want(t, http.StatusForbidden)
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
