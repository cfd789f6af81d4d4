package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestAdminWebhooks: the department admin subscribes on the page (a
// private address refused with the reason), sees the secret once, the
// delivery log and redelivers; a reviewer may not open the page; the
// bureau admin sees every department's subscriptions.
func TestAdminWebhooks(t *testing.T) {
	eachHall(t, adminStart, func(t *testing.T, h *hall) {
		bumen := h.signIn(t, "bumen")
		bumen.get("/admin").want(t, http.StatusOK, `href="/admin/webhooks"`)
		bumen.get("/admin/webhooks").want(t, http.StatusOK, "新建订阅", " 受理</label>")
		bumen.post("/admin/webhooks", url.Values{"url": {"http://192.168.1.20/hook"}}).want(t, http.StatusUnprocessableEntity, "不允许推送到内网", "http://192.168.1.20/hook")
		created := bumen.follow(t, "/admin/webhooks", url.Values{"url": {"https://93.184.216.34/hook"},
			"event_types": {"cn.gov.onewindow.case.accepted"}, "description": {"市场监管审批系统"}})
		created.want(t, http.StatusOK, "签名密钥（只显示这一次", "whsec_", "受理", "推送记录")
		page := bumen.get("/admin/webhooks")
		page.want(t, http.StatusOK, "https://93.184.216.34/hook", "市场监管审批系统", "推送中")
		h.signIn(t, "shenpi").get("/admin/webhooks").want(t, http.StatusForbidden)
		h.signIn(t, "admin").get("/admin/webhooks").want(t, http.StatusOK, "https://93.184.216.34/hook")

		// A case accepted: its delivery is in the log with a redeliver button.
		number, _ := h.wholeCase(t)
		link := regexp.MustCompile(`href="(/admin/webhooks/\d+)"`).FindStringSubmatch(page.body)
		if link == nil {
			t.Fatalf("no link to the delivery log:\n%s", page.body)
		}
		log := bumen.get(link[1])
		log.want(t, http.StatusOK, number, "待发送", "重新推送", "暂停推送")
		if n := strings.Count(log.body, "/redeliver"); n != 1 {
			t.Fatalf("%d deliveries in the log, want 1 (only acceptance is subscribed)", n)
		}
		redeliver := regexp.MustCompile(`action="(/admin/webhooks/deliveries/\d+/redeliver)"`).FindStringSubmatch(log.body)[1]
		bumen.follow(t, redeliver, url.Values{"confirm": {"1"}}).want(t, http.StatusOK, "已重新排队推送办件 "+number)
		if n := strings.Count(bumen.get(link[1]).body, "/redeliver"); n != 2 {
			t.Fatalf("%d deliveries after redelivery, want 2", n)
		}
		bumen.follow(t, link[1]+"/pause", url.Values{}).want(t, http.StatusOK, "已暂停推送", "恢复推送")
		h.signIn(t, "shenpi").post(redeliver, url.Values{"confirm": {"1"}}).want(t, http.StatusForbidden)
	})
}
