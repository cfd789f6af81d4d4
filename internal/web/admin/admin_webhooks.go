package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/internal/apperr"
	"github.com/onewindow/onewindow/internal/service"
	"github.com/onewindow/onewindow/internal/web/page"
	"github.com/onewindow/onewindow/internal/webhook"
)

// The webhook subscriptions of a department (事件推送), kept by its admin,
// and every department's by the bureau admin: the list with delivery
// counts, a form to subscribe, and each subscription's delivery log with
// the receiver's response codes and a button to send a delivery again.
// Every page and button calls the same use case as the API.

type webhooksData struct {
	adminPage
	Webhooks      []webhook.Subscription
	Types         []option
	Departments   []option // the bureau admin chooses the department
	OwnDepartment string
	Add           subform
}

func (h *Handlers) typeOptions() []option {
	var out []option
	for _, t := range webhook.Types() {
		out = append(out, option{t, webhook.TypeLabel(t)})
	}
	return out
}

func (h *Handlers) adminWebhooks(w http.ResponseWriter, r *http.Request) {
	h.showWebhooks(w, r, http.StatusOK, page.View{}, subform{})
}

func (h *Handlers) showWebhooks(w http.ResponseWriter, r *http.Request, status int, v page.View, add subform) {
	ctx := r.Context()
	list, err := h.svc.Webhooks(ctx)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	p := h.adminTabs(r)
	p.ActiveTab = "/admin/webhooks"
	d := webhooksData{adminPage: p, Webhooks: list, Types: h.typeOptions(), Add: add}
	if u := service.UserFrom(ctx); u != nil {
		d.OwnDepartment = u.DepartmentCode
	}
	if d.OwnDepartment == "" {
		depts, _ := h.svc.Departments(ctx)
		for _, x := range depts {
			d.Departments = append(d.Departments, option{x.Code, x.Name})
		}
	}
	v.Title, v.Data = "事件推送", d
	h.Render(w, r, status, "admin_webhooks", v)
}

// createWebhook subscribes; the secret is shown once, in the message after
// the redirect.
func (h *Handlers) createWebhook(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	in := service.WebhookInput{
		Department: r.PostFormValue("department"), URL: r.PostFormValue("url"), EventTypes: r.PostForm["event_types"],
		ItemCodes:   strings.FieldsFunc(r.PostFormValue("item_codes"), func(c rune) bool { return c == ',' || c == '，' || c == ' ' || c == '\n' }),
		Description: r.PostFormValue("description"),
	}
	created, err := h.svc.CreateWebhook(r.Context(), in)
	if err != nil {
		v := page.View{}
		status := h.FormError(r, &v, err)
		h.showWebhooks(w, r, status, v, splitErrors(&v, r))
		return
	}
	h.Redirect(w, r, fmt.Sprintf("/admin/webhooks/%d", created.ID),
		"已新建推送订阅。签名密钥（只显示这一次，请交给接收系统保存）："+created.Secret)
}

type webhookData struct {
	adminPage
	Webhook    *webhook.Subscription
	Deliveries []*webhook.Delivery
	Next       int64 // the "before" of the next page; 0 when none
}

func (h *Handlers) adminWebhook(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ctx := r.Context()
	sub, err := h.svc.Webhook(ctx, id)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	ds, err := h.svc.WebhookDeliveries(ctx, id, before)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	p := h.adminTabs(r)
	p.ActiveTab = "/admin/webhooks"
	d := webhookData{adminPage: p, Webhook: sub, Deliveries: ds}
	if len(ds) == 50 {
		d.Next = ds[len(ds)-1].ID
	}
	h.Render(w, r, http.StatusOK, "admin_webhook", page.View{Title: "推送记录", Data: d})
}

// webhookAction runs one of the subscription's buttons and comes back to
// its page with what was done.
func (h *Handlers) webhookAction(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ctx := r.Context()
	back := fmt.Sprintf("/admin/webhooks/%d", id)
	var msg string
	var err error
	switch r.PathValue("action") {
	case "pause":
		_, err = h.svc.PauseWebhook(ctx, id, true)
		msg = "已暂停推送。"
	case "resume":
		_, err = h.svc.PauseWebhook(ctx, id, false)
		msg = "已恢复推送，暂停前排队的事件将按序发送。"
	case "rotate":
		var c *service.WebhookCreated
		if c, err = h.svc.RotateWebhookSecret(ctx, id); err == nil {
			msg = "已更换签名密钥，旧密钥 24 小时内仍同时签名。新密钥（只显示这一次）：" + c.Secret
		}
	case "delete":
		err = h.svc.DeleteWebhook(ctx, id)
		msg, back = "已删除推送订阅，推送记录保留。", "/admin/webhooks"
	default:
		err = apperr.New(apperr.NotFound, "没有这个操作")
	}
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.Redirect(w, r, back, msg)
}

// redeliver sends one delivery again.
func (h *Handlers) redeliver(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d, err := h.svc.RedeliverWebhook(r.Context(), id, r.PostFormValue("confirm") == "1")
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.Redirect(w, r, fmt.Sprintf("/admin/webhooks/%d", d.SubscriptionID),
		fmt.Sprintf("已重新排队推送办件 %s 的第 %d 个事件。", d.CaseNumber, d.EventSeq))
}
